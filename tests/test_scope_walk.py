"""No way around scope: a branch chair of branch A walks every URL pattern of the project with
the ids of branch B's records (in the path and in the query string), by GET and by POST, and
gets 403 or 404 (or the login page, for the back office), and never a byte of B's data.

A new URL pattern with an argument this walk does not know fails the test until a record of
branch B is given for it, below or in the app's own ``tests/<app>/scope_walk.py``, which may
define (all optional):

``b_records(world) -> dict``
    records of branch B (and of the other city) that the app's pages take;
``argument(name, arg, records) -> str | None``
    the value of URL argument ``arg`` of the pattern named ``name`` (``"ns:name"``), pointing at
    one of those records, or None when the app does not know it;
``markers(records) -> list[str]``
    text of B's records that must appear in no answer;
``snapshot() -> object``
    the app's tables as they stand, compared before and after the walk (nothing of B changes,
    whatever was posted);
``EXPECTED``
    names of patterns the walk must have covered.
"""

import importlib
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_member, make_user
from tests.io.helpers import member, workbook_bytes
from tongxin.core.codes import PostKind
from tongxin.io import jobs
from tongxin.io.models import ImportBatch
from tongxin.people.models import Person, Post

pytestmark = pytest.mark.django_db(transaction=False)

B_NAME = "医药卫生支部"


@pytest.fixture
def b_records(world, client):
    """Records of branch B (and of the other city): a member with a post, and an import batch
    uploaded by B's own staff."""
    person = make_member(
        world.branch_b, name="欧阳青", phone="13912345678", work_unit="江城第三医院"
    )
    post = Post.objects.create(
        person=person,
        kind=PostKind.PARTY,
        title="支部主委",
        org=world.branch_b,
        start=date(2020, 1, 1),
    )
    far = make_member(world.other_branch, name="司马远")
    staff_b = make_user("staff_b", world.branch_b)
    client.force_login(staff_b)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.post(
        reverse("io:upload"),
        {
            "file": SimpleUploadedFile(
                "B名册.xlsx", workbook_bytes(members=[member("慕容秋", "C1-B")])
            ),
            "effective_date": "2025-03-01",
        },
    )
    batch = ImportBatch.objects.get()
    jobs.run_pending()
    client.logout()
    return {"person": person, "post": post, "far": far, "batch": batch, "user": staff_b}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def _app_walks():
    """The ``tests/<app>/scope_walk.py`` modules of the installed tongxin apps."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("tongxin."):
            try:
                yield importlib.import_module(f"tests.{config.label}.scope_walk")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.{config.label}.scope_walk":
                    raise


@pytest.fixture
def app_walks(world, b_records):
    walks = list(_app_walks())
    for walk in walks:
        if hasattr(walk, "b_records"):
            b_records[walk.__name__] = walk.b_records(world)
    return walks


def _arguments(name: str, route: str, world, b, walks=()) -> dict[str, str] | None:
    """The value of each argument of ``route`` pointing at one of B's records."""
    import re

    args = re.findall(r"<(?:(\w+):)?(\w+)>", route) + [
        (None, g) for g in re.findall(r"\(\?P<(\w+)>", route)
    ]
    values = {}
    for _converter, arg in args:
        # An app's own walk knows its patterns best, even under another app's namespace.
        from_walk = next(
            (
                value
                for walk in walks
                if hasattr(walk, "argument")
                and (value := walk.argument(name, arg, b.get(walk.__name__, {}))) is not None
            ),
            None,
        )
        if from_walk is not None:
            values[arg] = from_walk
        elif name.startswith("admin:"):
            # Django's back office: object ids, app labels and models; the chair may not enter.
            values[arg] = {
                "object_id": str(b["person"].pk),
                "app_label": "people",
                "model_name": "person",
                "content_type_id": "1",
                "id": str(b["person"].pk),
                "url": "people/person/",
                "user_id": str(b["user"].pk),
                "uidb64": "x",
                "token": "x",
            }.get(arg, str(world.branch_b.pk))
        elif name.startswith("orgs:") and arg == "pk":
            values[arg] = str(world.branch_b.pk)
        elif name.startswith("people:") and arg == "pk":
            values[arg] = str(b["person"].pk)
        elif name == "people:reveal" and arg == "field":
            values[arg] = "id_number"
        elif name.startswith("people:") and arg == "post_pk":
            values[arg] = str(b["post"].pk)
        elif name.startswith("io:") and arg == "pk":
            values[arg] = str(b["batch"].pk)
        elif name.startswith("accounts:password_reset_") and arg == "pk":
            # A password reset belongs to no branch: the chair, no administrator, gets 403.
            values[arg] = str(b["user"].pk)
        else:
            values[arg] = None
        if values[arg] is None:
            pytest.fail(f"the scope walk knows no record of branch B for <{arg}> of {name} {route}")
    return values


def _url(route: str, values: dict[str, str]) -> str:
    import re

    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], url)
    return "/" + url.lstrip("^").rstrip("$").replace("\\", "")


def _markers(world, b, walks=()) -> list[str]:
    person = b["person"]
    extra = [
        marker
        for walk in walks
        if hasattr(walk, "markers")
        for marker in walk.markers(b.get(walk.__name__, {}))
    ]
    return extra + [
        B_NAME,
        world.other_city.name,
        person.name,
        person.id_number,
        person.id_number[-6:],
        person.phone,
        person.work_unit,
        b["far"].name,
        "慕容秋",
        "B名册",
    ]


def test_a_branch_chair_reaches_nothing_of_another_branch(
    client, world, chair_a, b_records, app_walks
):
    batch_before = ImportBatch.objects.get()
    people_before = sorted(Person.objects.values_list("pk", "name", "work_unit"))
    snapshots = [(w, w.snapshot()) for w in app_walks if hasattr(w, "snapshot")]
    client.force_login(chair_a)
    markers = _markers(world, b_records, app_walks)
    query = {
        "org": world.branch_b.pk,
        "ids": f"{world.branch_b.pk},{world.other_city.pk}",
        "q": b_records["person"].name,
        "person": b_records["person"].pk,
        "batch": b_records["batch"].pk,
        "as_of": "2026-01-01",
    }
    walked = []
    for name, route, _pattern in _patterns():
        if route.startswith("static") or name.startswith("djdt"):
            continue
        values = _arguments(name, route, world, b_records, app_walks)
        url = _url(route, values)
        for method in ("get", "post"):
            client.force_login(chair_a)  # again: the walk posts to logout too
            response = getattr(client, method)(url, query, follow=False)
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            where = f"{method.upper()} {url} ({name})"
            leaked = [m for m in markers if m and m in text]
            assert not leaked, f"{where} shows branch B's data: {leaked}"
            if values:
                if name.startswith("admin:") or name in ("login", "logout"):
                    assert response.status_code in (302, 403, 404, 405), where
                    if response.status_code == 302:
                        assert "login" in response["Location"], where
                else:
                    assert response.status_code in (403, 404, 405), (
                        f"{where} answered {response.status_code}"
                    )
            walked.append(where)
    # Nothing of B changed, whatever was posted.
    assert sorted(Person.objects.values_list("pk", "name", "work_unit")) == people_before
    batch_after = ImportBatch.objects.get()
    assert (batch_after.status, batch_after.created_by_id) == (
        batch_before.status,
        batch_before.created_by_id,
    )
    for walk, before in snapshots:
        assert walk.snapshot() == before, f"{walk.__name__}: branch B's records changed"
    # The walk covered the pages that take a record of B.
    names = {w.split("(")[-1].rstrip(")") for w in walked}
    expected_names = [
        "orgs:detail",
        "people:detail",
        "people:post_edit",
        "people:reveal",
        "io:batch",
        "io:export",
    ]
    expected_names += [n for w in app_walks for n in getattr(w, "EXPECTED", ())]
    for expected in expected_names:
        assert expected in names
