"""A district's campaign of elections from one workbook (集中换届): one row per seat, the
election form's rules, all or nothing, and the ``terms`` figures summing it."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import make_user
from tests.terms.terms_helpers import elect, member
from tongxin.audit.models import Event
from tongxin.core.scope import Scope
from tongxin.people.models import Post
from tongxin.terms import campaign
from tongxin.terms.models import Election, Term, TermSeat

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)
HEADERS = [c.header for c in campaign.COLUMNS]


def workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = campaign.SHEET
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def seat(org, person, title, held_on="2024-05-20", entitled=20, voted=18, **extra):
    return {
        "组织编码": org.code, "选举日期": held_on, "应参加选举人数": entitled,
        "参加投票人数": voted, "职务": title, "姓名": person.name,
        "身份证号": person.id_number, **extra,
    }  # fmt: skip


def snapshot():
    return (
        sorted(Term.objects.values_list("org_id", "number", "start", "end")),
        Election.objects.count(),
        TermSeat.objects.count(),
        sorted(Post.objects.values_list("person_id", "title", "start", "end")),
    )


@pytest.fixture
def people(world):
    return {
        "a1": member(world.branch_a, "张敏"),
        "a2": member(world.branch_a, "李华", gender="2"),
        "b1": member(world.branch_b, "王芳", gender="2"),
        "b2": member(world.branch_b, "赵强"),
        "o1": member(world.other_branch, "钱进"),
    }


def run(data, scope=None, **kwargs):
    scope = scope or Scope(everything=True)
    return campaign.import_file(data=data, filename="换届.xlsx", scope=scope, today=TODAY, **kwargs)


def test_a_campaign_records_one_election_per_organization_and_day(world, people):
    elect(world.branch_a, 2, date(2019, 5, 10), [(people["a1"], "支部主委")], today=TODAY)
    data = workbook(
        seat(world.branch_a, people["a2"], "支部主委"),
        seat(world.branch_a, people["a1"], "支委"),
        seat(world.branch_b, people["b1"], "支部主委", held_on="2024-06-01", entitled=12, voted=12),
        seat(world.branch_b, people["b2"], "支委", held_on="2024-06-01", entitled=12, voted=12),
    )
    result = run(data)
    assert result.ok, result.messages()
    assert [(t.org, t.number) for t in result.terms] == [(world.branch_a, 3), (world.branch_b, 1)]
    new = Term.objects.get(org=world.branch_a, number=3)
    assert new.previous.end == date(2024, 5, 20)  # the old term closed, as the form closes it
    assert [(s.person.name, s.title, s.is_chair) for s in new.seats.all()] == [
        ("李华", "支部主委", True),
        ("张敏", "支委", False),
    ]
    assert (new.election.entitled, new.election.voted) == (20, 18)
    assert Post.objects.filter(term_seat__term=new, end__isnull=True).count() == 2

    out = io.StringIO()
    call_command(
        "stats", org=world.city.code, as_of="2024-12-31", period_start="2024-01-01",
        json=True, stdout=out,
    )  # fmt: skip
    terms = json.loads(out.getvalue())["terms"]
    assert terms["renewed"] == 2 and terms["seats"] == 4
    assert terms["voters_entitled"] == 32 and terms["voters_voted"] == 30


def test_one_bad_row_refuses_the_whole_campaign(world, people):
    before = snapshot()
    data = workbook(
        seat(world.branch_b, people["b1"], "支部主委", held_on="2024-06-01"),
        seat(world.branch_a, people["a1"], "支部主委"),
        # 王芳 is a member of branch B, not of branch A: the election form refuses her seat.
        seat(world.branch_a, people["b1"], "支委"),
    )
    result = run(data)
    assert not result.ok and result.terms == []
    assert snapshot() == before  # branch B's valid election was taken back with the rest
    (message,) = result.messages()
    assert "第3至4行" in message and "江城大学第一支部" in message
    assert "王芳" in message and "不是「江城大学第一支部」及其下级组织的在册成员" in message


def test_cells_scope_and_disagreeing_rows_are_each_named(world, people):
    staff = make_user("city_staff", world.city)
    data = workbook(
        seat(world.branch_a, people["a1"], "支部主委", voted=30),  # more voters than entitled
        seat(world.branch_a, people["a2"], "支委", entitled=21),  # disagrees with the row above
        seat(world.other_branch, people["o1"], "组长"),  # not a seat title; other city
        {**seat(world.branch_b, people["b1"], "支委"), "选举日期": "2024-13-01"},
    )
    before = snapshot()
    result = run(data, scope=Scope.for_user(staff))
    assert snapshot() == before
    found = {(p["row"], p["column"]) for p in result.problems}
    assert (3, "应参加选举人数") in found
    assert (4, "职务") in found and (4, "组织编码") in found and (4, "身份证号") in found
    assert (5, "选举日期") in found
    assert any("应相同" in m and "第2行" in m for m in result.messages())


def test_a_dry_run_checks_every_rule_and_keeps_nothing(world, people):
    data = workbook(seat(world.branch_a, people["a1"], "支部主委"))
    before = snapshot()
    result = run(data, dry_run=True)
    assert result.ok and len(result.terms) == 1
    assert snapshot() == before


def test_the_template_reads_back_and_offers_the_seat_titles(world):
    book = load_workbook(io.BytesIO(campaign.template_workbook()))
    assert [c.value for c in book[campaign.SHEET][1]] == HEADERS
    (choices,) = [v for v in book[campaign.SHEET].data_validations.dataValidation]
    assert "支部主委" in choices.formula1 and "书记" in choices.formula1


def test_the_page_imports_a_campaign_and_audits_it(client, world, people):
    client.force_login(make_user("city_staff", world.city))
    page = reverse("terms:campaign_import") + f"?org={world.city.pk}"
    assert client.get(page).status_code == 200
    data = workbook(seat(world.branch_a, people["a1"], "支部主委", held_on="2024-05-20"))
    upload = io.BytesIO(data)
    upload.name = "换届.xlsx"
    response = client.post(page, {"file": upload})
    assert response.status_code == 302
    assert Term.objects.filter(org=world.branch_a, start=date(2024, 5, 20)).exists()
    assert Event.objects.filter(summary__startswith="导入集中换届").count() == 1


def test_the_page_refuses_another_subtree_and_shows_the_errors(client, world, people):
    client.force_login(make_user("city_staff", world.city))
    other = reverse("terms:campaign_import") + f"?org={world.other_city.pk}"
    assert client.get(other).status_code == 404
    page = reverse("terms:campaign_import") + f"?org={world.city.pk}"
    upload = io.BytesIO(workbook(seat(world.other_branch, people["o1"], "支部主委")))
    upload.name = "换届.xlsx"
    response = client.post(page, {"file": upload})
    assert response.status_code == 200
    assert "不在您的管理范围内" in response.content.decode()
    assert not Term.objects.exists()


def test_a_branch_chair_may_not_import_a_campaign(client, world, chair_a):
    client.force_login(chair_a)
    page = reverse("terms:campaign_import") + f"?org={world.branch_a.pk}"
    assert client.get(page).status_code in (403, 404)


def test_a_count_in_superscript_digits_is_named_not_a_crash(world, people):
    result = run(workbook(seat(world.branch_a, people["a1"], "支部主委", entitled="²")))
    assert not result.ok
    assert (2, "应参加选举人数") in {(p["row"], p["column"]) for p in result.problems}


def test_the_command_records_a_campaign_as_its_user_and_names_an_unknown_one(
    world, people, tmp_path
):
    from django.core.management.base import CommandError

    make_user("root", world.city, superuser=True)
    path = tmp_path / "换届.xlsx"
    path.write_bytes(workbook(seat(world.branch_a, people["a1"], "支部主委")))
    with pytest.raises(CommandError, match="找不到用户“nobody”"):
        call_command("import_elections", str(path), user="nobody")
    assert not Term.objects.exists()
    out = io.StringIO()
    call_command("import_elections", str(path), stdout=out)
    assert "1 个组织换届 1 次" in out.getvalue()
    assert Term.objects.filter(org=world.branch_a).count() == 1
