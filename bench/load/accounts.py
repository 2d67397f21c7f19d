"""The load's accounts and what each simulated user works on, written as JSON for the locustfile.

    TONGXIN_DATABASE_URL=… .venv/bin/python bench/load/accounts.py --out users.json \
        --workbooks DIR --password P [--demo]

Run by bench/load/run.py in the environment of the services (the database's migrations applied).

- ``--demo``: the demo's own accounts (``zuzhi`` staff of the root, ``zhibu`` chair of the demo
  branch), made by seed_demo; nothing is created.
- otherwise (a large tree, e.g. bench/roster.py's 1M tree): 100 staff and 20 branch chairs are
  created or brought up to date, idempotently, through the product's own services (the user
  manager, ``accounts.services.change_grants`` acting as the first superuser, as the security
  administrator's page does): staff (组织部工作人员) of the root (2), of provinces (8, depth 2),
  of cities (40, depth 3) and of counties (50, depth 4), the root's and the provinces' allowed to
  reveal personal data; chairs (支部主委) of 20 branches that have members. Nodes are drawn with a
  fixed seed, so that a second run finds the same accounts on the same nodes.

For each account the JSON holds its node, people of its subtree (their files are opened), search
terms that match there (two characters of a name, six letters of its pinyin, two initials),
a few organizations below the node (their rosters), and, for staff, a small roster workbook
(5 new members of a branch of their node, written by ``tongxin.io.workbook.write_workbook``,
the export's writer in the template's format) that the simulated user imports.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

SEED = 21
# Where a real deployment's staff sit: a few at the top, most in cities and counties.
STAFF_AT_DEPTH = {1: 2, 2: 8, 3: 40, 4: 50}
REVEAL_DEPTHS = {1, 2}
CHAIRS = 20
PEOPLE_PER_USER = 30
IMPORT_ROWS = 5


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongxin.settings")
    import django

    django.setup()


def _ensure(username: str, name: str, password: str, *, actor, role, node, reveal) -> None:
    """Create ``username`` or bring it up to date: one role, one scope node, reveal or not."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from tongxin.accounts.services import change_grants

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=password)
    elif not user.check_password(password):
        user.set_password(password)
    user.name = name
    user.is_active = True
    user.must_change_password = False  # a load run does not change passwords first
    user.save()
    permissions = list(Permission.objects.filter(codename="reveal_personal_data")) if reveal else []
    change_grants(actor=actor, user=user, roles=[role], scope_nodes=[node], permissions=permissions)


def _leaves(node, rng: random.Random, count: int) -> list:
    """Up to ``count`` organizations without children in ``node``'s subtree (its branches)."""
    from tongxin.orgs.models import Organization

    ids = list(
        Organization.objects.filter(path__startswith=node.path, numchild=0, dissolved__isnull=True)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    rng.shuffle(ids)
    return ids[:count]


def _members(org_ids, today: date, limit: int) -> list[int]:
    from django.db.models import Q

    from tongxin.people.models import MembershipSpell

    found: list[int] = []
    each = 3 if len(org_ids) > 1 else limit  # a branch chair's own branch: as many as there are
    for org_id in org_ids:
        found += list(
            MembershipSpell.objects.filter(org_id=org_id, start__lte=today)
            .filter(Q(end__isnull=True) | Q(end__gt=today))
            .order_by("person_id")
            .values_list("person_id", flat=True)[:each]
        )
        if len(found) >= limit:
            break
    return found[:limit]


def _describe(user: dict, node, rng: random.Random, today: date) -> dict:
    from tongxin.orgs.models import Organization
    from tongxin.people.models import Person

    leaves = [node.pk] if node.numchild == 0 else _leaves(node, rng, 60)
    people = _members(leaves, today, PEOPLE_PER_USER)
    terms = []
    for person in Person.objects.filter(pk__in=people[:3]).order_by("pk"):
        terms += [
            ("search name", person.name[:2]),
            ("search pinyin", person.name_pinyin[:6]),
            ("search initials", person.name_initials[:2]),
        ]
    lower = list(
        Organization.objects.filter(path__startswith=node.path, depth=node.depth + 1)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    rng.shuffle(lower)
    branch = (
        Organization.objects.filter(pk__in=leaves[:1]).values_list("code", flat=True).first() or ""
    )
    return dict(
        user,
        node=node.pk,
        node_name=node.name,
        depth=node.depth,
        people=people,
        terms=terms,
        lower=lower[:5],
        branch=branch,
    )


def _workbook(path: Path, branch: str, today: date, rng: random.Random) -> None:
    """IMPORT_ROWS new members of ``branch``, in the import template's format."""
    from tongxin.core.idnumber import make_id_number
    from tongxin.io.workbook import write_workbook

    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    rows = []
    for _ in range(IMPORT_ROWS):
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 40))
        rows.append(
            {
                "name": rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                "id_number": make_id_number("420102", birth, rng.randrange(1000)),
                "admitted_on": today - timedelta(days=rng.randrange(30, 3000)),
                "org_code": branch,
                "work_unit": f"负载测试导入单位{rng.randrange(100)}",
            }
        )
    with path.open("wb") as fp:
        write_workbook(fp, [], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workbooks", type=Path, required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args()
    _setup()

    from django.db import transaction

    from tongxin.accounts.commands import acting_user
    from tongxin.accounts.roles import Role
    from tongxin.orgs.models import Organization

    today = date.today()
    rng = random.Random(SEED)
    accounts: list[tuple[dict, object]] = []
    if args.demo:
        from tongxin.people.demo.tree import DEMO_BRANCH_CODE, ROOT_CODE

        accounts = [
            ({"username": "zuzhi", "kind": "staff"}, Organization.objects.get(code=ROOT_CODE)),
            (
                {"username": "zhibu", "kind": "chair"},
                Organization.objects.get(code=DEMO_BRANCH_CODE),
            ),
        ]
    else:
        actor = acting_user(None)
        number = 0
        for depth, count in STAFF_AT_DEPTH.items():
            nodes = list(Organization.objects.filter(depth=depth).order_by("path"))
            for node in (
                rng.sample(nodes, min(count, len(nodes))) if depth > 1 else nodes[:1] * count
            ):
                number += 1
                username = f"load-staff-{number:03d}"
                with transaction.atomic():
                    _ensure(
                        username,
                        f"负载工作人员{number:03d}",
                        args.password,
                        actor=actor,
                        role=Role.STAFF,
                        node=node,
                        reveal=depth in REVEAL_DEPTHS,
                    )
                accounts.append(({"username": username, "kind": "staff"}, node))
        leaves = list(
            Organization.objects.filter(numchild=0, depth__gt=1).values_list("pk", flat=True)
        )
        chairs = 0
        for pk in rng.sample(leaves, min(len(leaves), CHAIRS * 5)):
            if chairs == CHAIRS:
                break
            if not _members([pk], today, 1):
                continue
            chairs += 1
            node = Organization.objects.get(pk=pk)
            username = f"load-chair-{chairs:02d}"
            with transaction.atomic():
                _ensure(
                    username,
                    f"负载支部主委{chairs:02d}",
                    args.password,
                    actor=actor,
                    role=Role.BRANCH_CHAIR,
                    node=node,
                    reveal=False,
                )
            accounts.append(({"username": username, "kind": "chair"}, node))

    args.workbooks.mkdir(parents=True, exist_ok=True)
    described = []
    # The workbooks' ID numbers differ from run to run: each run's imports add people.
    names = random.Random(os.urandom(16))
    for user, node in accounts:
        entry = _describe(user, node, rng, today)
        if user["kind"] == "staff" and entry["branch"]:
            path = args.workbooks / f"{user['username']}.xlsx"
            _workbook(path, entry["branch"], today, names)
            entry["workbook"] = str(path)
        described.append(entry)
    args.out.write_text(
        json.dumps({"today": today.isoformat(), "users": described}, ensure_ascii=False, indent=1)
    )
    staff = sum(u["kind"] == "staff" for u in described)
    print(f"{staff} staff, {len(described) - staff} chairs -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
