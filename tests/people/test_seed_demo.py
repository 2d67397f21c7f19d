"""The demo data: a believable 民盟 city committee with five years of history, the same for the
same seed and day, written through the services, and the command that loads it."""

from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from tongxin.core import codes
from tongxin.core.dates import age_on, years_before
from tongxin.core.idnumber import parse_id_number
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people import demo
from tongxin.people.models import MembershipSpell, Person, Post
from tongxin.people.selectors import members_on

TODAY = date(2025, 6, 30)
SEED = 7
SKIPPED = "演示数据已存在，跳过（使用 --reset 重新生成）"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One build shared by the tests that only read it; rolled back when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.build_demo(seed=SEED, today=TODAY)
        yield summary
        transaction.set_rollback(True)


def _root() -> Organization:
    return Organization.objects.get(code=demo.ROOT_CODE)


def _members(on: date = TODAY):
    return members_on(scope=Scope(everything=True), org=_root(), on=on)


def _demo_spells():
    return MembershipSpell.objects.filter(subtree_q(_root().path, "org__path"))


def _snapshot():
    people = sorted(
        Person.objects.values_list(
            "name", "id_number", "birth_date", "gender", "work_unit", "title", "phone"
        )
    )
    spells = sorted(
        MembershipSpell.objects.values_list(
            "person__id_number", "org__code", "start", "end", "start_reason", "end_reason"
        ),
        key=repr,
    )
    posts = sorted(
        Post.objects.values_list(
            "person__id_number", "kind", "title", "org__code", "rank", "body", "start", "end"
        ),
        key=repr,
    )
    return people, spells, posts


@pytest.mark.django_db
def test_seeding_builds_one_committee_with_about_eighteen_branches(seeded):
    root = _root()
    assert root.kind == codes.OrgKind.COMMITTEE
    assert root.party == "05"
    assert root.name == "民盟江城市委员会"
    assert root.established.year < 1990
    tree = Organization.objects.filter(subtree_q(root.path))
    assert tree.filter(kind=codes.OrgKind.COMMITTEE).count() == 1

    branches = [b for b in tree.filter(kind=codes.OrgKind.BRANCH) if b.is_current(TODAY)]
    assert 16 <= len(branches) <= 20
    assert seeded.current_branches == len(branches)
    categories = {c.name for b in branches for c in b.categories.all()}
    assert {"县区支部", "高校支部", "直属支部", "界别支部"} <= categories

    grassroots = tree.filter(kind=codes.OrgKind.GRASSROOTS_COMMITTEE)
    assert grassroots.count() == 2
    for committee in grassroots:
        children = tree.filter(subtree_q(committee.path), depth=committee.depth + 1)
        assert 2 <= children.count() <= 3


@pytest.mark.django_db
def test_one_branch_was_dissolved_after_its_members_left(seeded):
    dissolved = Organization.objects.filter(
        subtree_q(_root().path), kind=codes.OrgKind.BRANCH, dissolved__isnull=False
    )
    assert dissolved.count() == 1 == seeded.dissolved_branches
    branch = dissolved.get()
    assert years_before(TODAY, 3) < branch.dissolved < TODAY
    spells = branch.spells.all()
    assert spells.count() >= 3
    assert all(s.end is not None and s.end <= branch.dissolved for s in spells)
    moved = spells.filter(end_reason=codes.SpellReason.TRANSFERRED_OUT)
    for spell in moved:
        assert MembershipSpell.objects.filter(
            person=spell.person, start=spell.end, start_reason=codes.SpellReason.TRANSFERRED_IN
        ).exists()


@pytest.mark.django_db
def test_seeding_gives_the_committee_250_to_350_current_members(seeded):
    count = _members().count()
    assert 250 <= count <= 350
    assert seeded.current_members == count
    # Five years ago the committee was about as large: the history is continuous.
    assert 200 <= _members(years_before(TODAY, 5)).count() <= 350


@pytest.mark.django_db
def test_the_history_has_admissions_transfers_exits_and_deaths(seeded):
    spells = _demo_spells()
    window = (years_before(TODAY, 5), TODAY)
    exits = set(
        spells.filter(end__range=window).exclude(end_reason="").values_list("end_reason", flat=True)
    )
    assert {"transferred_out", "withdrew", "died", "removed", "expelled"} <= exits
    assert spells.filter(end_reason=codes.SpellReason.EXPELLED).count() == 1

    for years_ago in range(5, 0, -1):
        start, end = years_before(TODAY, years_ago), years_before(TODAY, years_ago - 1)
        admitted = spells.filter(
            start_reason=codes.SpellReason.ADMITTED, start__gte=start, start__lt=end
        ).count()
        assert 8 <= admitted <= 25, (start, admitted)

    transfers = [
        s
        for s in spells.filter(end_reason=codes.SpellReason.TRANSFERRED_OUT)
        if spells.filter(
            person=s.person, start=s.end, start_reason=codes.SpellReason.TRANSFERRED_IN
        )
        .exclude(org=s.org)
        .exists()
    ]
    assert len(transfers) >= 10
    left_the_city = spells.filter(end_reason=codes.SpellReason.TRANSFERRED_OUT).count() - len(
        transfers
    )
    assert left_the_city >= 1

    for spell in spells.filter(end_reason=codes.SpellReason.DIED).select_related("person"):
        assert age_on(spell.person.birth_date, spell.end) >= 65
        assert spell.end_approved_by == ""


@pytest.mark.django_db
def test_every_id_number_is_valid_and_agrees_with_gender_and_birth_date(seeded):
    people = list(Person.objects.all())
    assert len(people) == seeded.people
    for person in people:
        info = parse_id_number(person.id_number)
        assert info.number == person.id_number
        assert info.gender == person.gender, person
        assert info.birth_date == person.birth_date, person
    numbers = [p.id_number for p in people]
    assert len(set(numbers)) == len(numbers)
    hubei = sum(n.startswith("42") for n in numbers)
    assert hubei >= 0.8 * len(numbers)


@pytest.mark.django_db
def test_current_members_look_like_a_real_roster(seeded):
    members = list(_members())
    count = len(members)
    ages = [age_on(p.birth_date, TODAY) for p in members]
    assert 30 <= min(ages) and max(ages) <= 82
    assert sum(40 <= a <= 65 for a in ages) >= 0.55 * count
    women = sum(p.gender == codes.Gender.FEMALE for p in members)
    assert 0.35 * count <= women <= 0.55 * count
    minorities = sum(p.ethnicity != "01" for p in members)
    assert 0.03 * count <= minorities <= 0.15 * count
    retired = [p for p in members if p.is_retired]
    assert 0.15 * count <= len(retired) <= 0.35 * count
    assert sum(age_on(p.birth_date, TODAY) >= 58 for p in retired) == len(retired)

    education = Counter(codes.education_group(p.education) for p in members)
    assert education["研究生"] + education["大学本科"] >= 0.85 * count
    degrees = Counter(codes.degree_group(p.degree) for p in members)
    assert degrees["博士"] and degrees["硕士"] and degrees["学士"]

    for person in members:
        if person.title:
            assert person.title_level == codes.title_level_for(person.title), person.title
    universities = [p for p in members if p.work_unit.startswith("江城大学")]
    senior = sum(p.title_level in ("1", "2") for p in universities)
    assert senior >= 0.5 * len(universities)
    titles = {p.title for p in members}
    assert {"教授", "副教授", "主任医师", "副主任医师"} <= titles
    sectors = {p.sector for p in members}
    assert {"education", "health", "law", "economy", "culture"} <= sectors
    assert 0 < sum(p.is_cross_member for p in members) < 0.1 * count
    assert sum(bool(p.phone) for p in members) >= 0.8 * count
    assert sum(bool(p.email) for p in members) >= 0.2 * count
    names = [p.name for p in Person.objects.all()]
    assert len(set(names)) == len(names)


@pytest.mark.django_db
def test_at_least_two_current_members_have_the_initials_zm(seeded):
    assert _members().filter(name_initials="zm").count() >= 2
    assert _members().filter(name="张敏").exists()


@pytest.mark.django_db
def test_surnames_are_read_as_surnames(seeded):
    for surname, reading in (("单", "shan"), ("曾", "zeng"), ("解", "xie"), ("欧阳", "ouyang")):
        people = Person.objects.filter(name__startswith=surname)
        assert people.exists(), surname
        assert all(p.name_pinyin.startswith(reading) for p in people), surname


@pytest.mark.django_db
def test_posts_cover_the_committee_the_branches_government_and_political_seats(seeded):
    root = _root()
    current = Post.objects.active_on(TODAY)
    party = current.filter(kind=codes.PostKind.PARTY)
    assert party.filter(org=root, title="主委", term="第十四届").count() == 1
    assert party.filter(org=root, title="副主委").count() >= 2
    assert party.filter(org=root, title="秘书长").count() == 1
    for branch in Organization.objects.filter(
        subtree_q(root.path), kind=codes.OrgKind.BRANCH, dissolved__isnull=True
    ):
        assert party.filter(org=branch, title="支部主委").count() == 1, branch
    for post in party.select_related("org", "person"):
        # Whoever holds a party post now is a member of that organization's subtree now.
        assert (
            MembershipSpell.objects.active_on(TODAY)
            .in_subtree(post.org.path)
            .filter(person=post.person)
            .exists()
        ), post

    ranks = Counter(current.filter(kind=codes.PostKind.GOVERNMENT).values_list("rank", flat=True))
    assert 1 <= ranks["122"] <= 2
    assert ranks["131"] + ranks["132"] >= 2
    assert ranks["141"] + ranks["142"] > ranks["131"] + ranks["132"]

    political = current.filter(kind=codes.PostKind.POLITICAL)
    assert political.filter(body="cppcc_member", level="city", term="第十五届").count() >= 5
    assert political.filter(body="npc_deputy").exists()
    assert political.filter(level="county").exists()
    assert political.filter(level="provincial").exists()
    ended = Post.objects.filter(end__isnull=False, end__lte=TODAY)
    assert {"party", "government", "political"} <= set(ended.values_list("kind", flat=True))


@pytest.mark.django_db
def test_two_runs_with_the_same_seed_and_today_give_the_same_people():
    demo.reset_demo()
    demo.build_demo(seed=11, today=TODAY, members=80)
    first = _snapshot()
    assert demo.reset_demo()
    assert not Person.objects.exists() and not Post.objects.exists()
    assert not Organization.objects.filter(code__startswith=demo.ROOT_CODE).exists()
    demo.build_demo(seed=11, today=TODAY, members=80)
    assert _snapshot() == first

    demo.reset_demo()
    demo.build_demo(seed=12, today=TODAY, members=80)
    assert _snapshot()[0] != first[0]


@pytest.mark.django_db
def test_building_twice_is_refused():
    demo.reset_demo()
    demo.build_demo(seed=1, today=TODAY, members=60)
    with pytest.raises(ValueError):
        demo.build_demo(seed=1, today=TODAY, members=60)


def _login_request():
    # django-axes counts logins per request: the test client's login must give it one.
    return RequestFactory().post("/login/")


@pytest.mark.django_db
def test_the_command_prints_the_login_and_honours_the_password_in_the_environment(
    client, monkeypatch
):
    monkeypatch.setenv("TONGXIN_DEMO_PASSWORD", "演示-Passw0rd")
    out = StringIO()
    call_command("seed_demo", "--reset", "--members", "60", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text
    assert "admin" in text and "演示-Passw0rd" in text
    assert "现有盟员 60 名" in text

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.name == "超级管理员"
    assert list(admin.scope_nodes.all()) == [_root()]
    zhibu = get_user_model().objects.get(username="zhibu")
    assert not zhibu.is_superuser and zhibu.name == "支部主委示例"
    assert [n.code for n in zhibu.scope_nodes.all()] == [demo.DEMO_BRANCH_CODE]
    assert client.login(request=_login_request(), username="admin", password="演示-Passw0rd")
    assert client.login(request=_login_request(), username="zhibu", password="演示-Passw0rd")
    # One account per role, the administrators (三权分立) without a scope node.
    users = get_user_model().objects
    for username in ("zuzhi", "lingdao", "xitong", "anquan", "shenji"):
        assert username in text
        assert client.login(request=_login_request(), username=username, password="演示-Passw0rd")
    assert not users.get(username="shenji").scope_nodes.exists()
    assert users.get(username="zuzhi").has_perm("people.reveal_personal_data")
    assert not users.get(username="lingdao").has_perm("people.reveal_personal_data")

    # The domain apps' demos may add members of their own (组织发展 admits a few this year).
    before = _members(timezone.localdate()).count()
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert SKIPPED in again.getvalue()
    assert "演示-Passw0rd" in again.getvalue()
    assert _members(timezone.localdate()).count() == before  # nothing was added
    assert client.login(request=_login_request(), username="admin", password="演示-Passw0rd")


@pytest.mark.django_db
def test_without_a_password_in_the_environment_one_is_generated_and_printed(seeded, monkeypatch):
    monkeypatch.delenv("TONGXIN_DEMO_PASSWORD", raising=False)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert SKIPPED in text
    admin = get_user_model().objects.get(username="admin")
    password = next(
        line.split("密码均为 ", 1)[1].rstrip("）：")
        for line in text.splitlines()
        if line.startswith("演示用户")
    )
    assert len(password) >= 12
    assert admin.check_password(password)
    assert "TONGXIN_DEMO_PASSWORD" in text
