"""The training pages as staff, a branch chair and a reader use them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_member, make_user
from tests.training.helpers import attend_all, make_class, make_rule
from tongxin.accounts.roles import Role
from tongxin.core.dates import years_before
from tongxin.training import services
from tongxin.training.models import (
    Attendance,
    ClassSession,
    Enrollment,
    ExternalTraining,
    TrainingClass,
)

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def classes(world):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    city = make_class(world.city, name="2024年新成员培训班", start=date(2024, 5, 6))
    services.enrollment_add(training_class=city, people=[a, b], on=date(2024, 5, 1))
    attend_all(city)
    in_b = make_class(
        world.branch_b, name="医卫支部学习班", class_type="grassroots", start=date(2024, 9, 2)
    )
    services.enrollment_add(training_class=in_b, people=[b], on=date(2024, 9, 1))
    return {"city": city, "b": in_b, "a": a, "b_person": b}


def test_the_class_list_shows_the_subtree_with_a_count_and_filters(
    client, world, city_staff, classes
):
    client.force_login(city_staff)
    response = client.get(reverse("training:index"), {"org": world.city.pk})
    assert response.status_code == 200
    assert "共 2 个培训班" in html(response)
    response = client.get(reverse("training:index"), {"org": world.city.pk, "type": "grassroots"})
    assert [r["cls"].name for r in response.context["rows"]] == ["医卫支部学习班"]
    response = client.get(
        reverse("training:index"), {"org": world.city.pk, "from": "2024-01-01", "to": "2024-06-30"}
    )
    assert [r["cls"].name for r in response.context["rows"]] == ["2024年新成员培训班"]
    response = client.get(reverse("training:index"), {"org": world.branch_b.pk})
    assert [r["cls"].name for r in response.context["rows"]] == ["医卫支部学习班"]


def test_a_bad_filter_is_named_and_dropped(client, world, city_staff, classes):
    client.force_login(city_staff)
    response = client.get(reverse("training:index"), {"org": world.city.pk, "from": "2024-13-01"})
    assert "以下筛选条件无效，已忽略" in html(response)
    assert "共 2 个培训班" in html(response)


def test_staff_of_branch_a_get_404_for_a_class_of_branch_b(client, world, staff_a, classes):
    client.force_login(staff_a)
    url = reverse("training:class_detail", args=[classes["b"].pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("training:index"), {"org": world.branch_b.pk}).status_code == 404
    # The city's class is held above A: not A's either, though A's member attended it.
    assert (
        client.get(reverse("training:class_detail", args=[classes["city"].pk])).status_code == 404
    )


def test_the_class_page_shows_meetings_enrolment_and_attendance(client, city_staff, classes):
    client.force_login(city_staff)
    response = client.get(reverse("training:class_detail", args=[classes["city"].pk]))
    page = html(response)
    assert "甲一" in page and "乙二" in page
    assert page.count("出席 2 / 2") == 3
    assert "共 3 次，24 学时" in page


def test_creating_a_class_makes_its_daily_meetings(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("training:class_create"),
        {
            "name": "2025年中青年骨干培训班",
            "class_type": "young_backbone",
            "level": "academy",
            "org": world.city.pk,
            "organizer": "江城市社会主义学院",
            "start": "2025-04-07",
            "end": "2025-04-11",
            "hours": "40",
            "daily_sessions": "on",
        },
    )
    cls = TrainingClass.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:class_detail", args=[cls.pk])
    assert cls.sessions.count() == 5
    assert sum(s.hours for s in cls.sessions.all()) == Decimal("40")


def test_a_bad_class_form_says_what_is_wrong_and_saves_nothing(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("training:class_create"),
        {
            "name": "坏数据",
            "class_type": "young_backbone",
            "level": "own",
            "org": world.city.pk,
            "start": "2025-04-11",
            "end": "2025-04-07",
            "hours": "-3",
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert "结业日期不能早于开班日期" in page
    assert "确保该值大于或等于0" in page
    assert not TrainingClass.objects.exists()


def test_a_class_cannot_be_held_by_an_organization_outside_the_scope(client, world, staff_a):
    client.force_login(staff_a)
    client.post(
        reverse("training:class_create"),
        {
            "name": "越界",
            "class_type": "other",
            "level": "own",
            "org": world.branch_b.pk,
            "start": "2025-04-07",
            "end": "2025-04-07",
            "hours": "4",
        },
    )
    assert not TrainingClass.objects.exists()


def test_enrolment_offers_the_holding_subtree_and_adds_the_chosen(client, world, city_staff):
    a = make_member(world.branch_a, name="甲一")
    make_member(world.branch_a, name="甲二")
    make_member(world.other_branch, name="远方")
    cls = make_class(
        world.branch_a, name="A支部学习班", class_type="grassroots", start=date(2024, 5, 6)
    )
    client.force_login(city_staff)
    response = client.get(reverse("training:enrol", args=[cls.pk]))
    assert [p.name for p in response.context["candidates"]] == ["甲二", "甲一"]
    response = client.get(
        reverse("training:enrol", args=[cls.pk]),
        {"q": "jiay"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="candidates",
    )
    assert response.templates[0].name == "training/_candidates.html"
    response = client.post(reverse("training:enrol", args=[cls.pk]), {"person": [a.pk]})
    assert response.status_code == 302
    assert list(cls.enrollments.values_list("person__name", flat=True)) == ["甲一"]
    response = client.get(reverse("training:enrol", args=[cls.pk]))
    assert [p.name for p in response.context["candidates"]] == ["甲二"]


def test_enrolling_someone_outside_the_class_subtree_is_refused(client, world, city_staff):
    far = make_member(world.branch_b, name="乙外")
    cls = make_class(world.branch_a, name="A支部学习班", start=date(2024, 5, 6))
    client.force_login(city_staff)
    response = client.post(
        reverse("training:enrol", args=[cls.pk]), {"person": [far.pk]}, follow=True
    )
    assert "不在本培训班可选范围内" in html(response)
    assert not Enrollment.objects.exists()


def test_a_new_member_class_opens_on_the_recent_admissions(client, world, city_staff):
    today = timezone.localdate()
    make_member(world.branch_a, name="新人", start=today - timedelta(days=100))
    make_member(world.branch_a, name="老人", start=date(2015, 1, 1))
    cls = make_class(world.city, name="新成员班", start=today)
    client.force_login(city_staff)
    response = client.get(reverse("training:enrol", args=[cls.pk]))
    assert [p.name for p in response.context["candidates"]] == ["新人"]
    response = client.get(reverse("training:enrol", args=[cls.pk]), {"group": ""})
    assert sorted(p.name for p in response.context["candidates"]) == ["新人", "老人"]


def test_the_young_backbone_group_suggests_members_under_45_with_mid_titles(
    client, world, city_staff
):
    today = timezone.localdate()
    young = make_member(
        world.branch_a,
        name="青年中级",
        birth_date=years_before(today, 35),
        title="工程师",
        title_level="3",
    )
    make_member(world.branch_a, name="青年无职称", birth_date=years_before(today, 35))
    make_member(world.branch_a, name="年长中级", birth_date=date(1960, 1, 1), title_level="3")
    cls = make_class(world.city, name="骨干班", class_type="young_backbone", start=today)
    client.force_login(city_staff)
    response = client.get(reverse("training:enrol", args=[cls.pk]), {"group": "young"})
    assert [p.pk for p in response.context["candidates"]] == [young.pk]


def test_the_attendance_sheet_proposes_everyone_present_and_saves(client, world, city_staff):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    cls = make_class(world.city, start=date(2024, 5, 6))
    ea, eb = services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    session = cls.sessions.first()
    url = reverse("training:attendance", args=[cls.pk, session.pk])
    client.force_login(city_staff)
    response = client.get(url)
    assert [r["mark"] for r in response.context["rows"]] == ["present", "present"]
    response = client.post(
        url, {f"mark-{ea.pk}": "present", f"mark-{eb.pk}": "absent"}, follow=True
    )
    assert "已记录 2024-05-06 的考勤：出席 1 人，共 2 人" in html(response)
    assert sorted(Attendance.objects.values_list("enrollment__person__name", "status")) == [
        ("乙二", "absent"),
        ("甲一", "present"),
    ]
    session.refresh_from_db()
    assert session.recorded_by == city_staff


def test_an_incomplete_sheet_is_refused_with_the_names(client, world, city_staff):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    cls = make_class(world.city, start=date(2024, 5, 6))
    ea, _ = services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    session = cls.sessions.first()
    client.force_login(city_staff)
    response = client.post(
        reverse("training:attendance", args=[cls.pk, session.pk]), {f"mark-{ea.pk}": "present"}
    )
    assert response.status_code == 400
    assert "以下学员未选择出勤情况：乙二" in html(response)
    assert not Attendance.objects.exists()


def test_a_branch_chair_records_attendance_of_the_own_branch_class(client, world, chair_a):
    a = make_member(world.branch_a, name="甲一")
    cls = make_class(world.branch_a, name="A支部学习班", start=date(2024, 5, 6))
    [ea] = services.enrollment_add(training_class=cls, people=[a], on=date(2024, 5, 1))
    session = cls.sessions.first()
    client.force_login(chair_a)
    response = client.post(
        reverse("training:attendance", args=[cls.pk, session.pk]), {f"mark-{ea.pk}": "leave"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().status == "leave"
    # ... but neither enrols nor edits the class.
    assert client.get(reverse("training:enrol", args=[cls.pk])).status_code == 403


def test_a_reader_may_look_but_not_record(client, world, classes):
    reader = make_user("reader", world.city, roles=(Role.READER,))
    client.force_login(reader)
    cls = classes["city"]
    assert client.get(reverse("training:class_detail", args=[cls.pk])).status_code == 200
    session = cls.sessions.first()
    url = reverse("training:attendance", args=[cls.pk, session.pk])
    assert client.post(url, {}).status_code == 403
    assert client.get(reverse("training:class_create")).status_code == 403


def test_the_completion_sheet_proposes_by_attendance_and_saves(client, world, city_staff):
    a = make_member(world.branch_a, name="甲一")
    b = make_member(world.branch_b, name="乙二")
    cls = make_class(world.city, start=date(2024, 5, 6))
    ea, eb = services.enrollment_add(training_class=cls, people=[a, b], on=date(2024, 5, 1))
    attend_all(cls, absent=[b])
    client.force_login(city_staff)
    url = reverse("training:completion", args=[cls.pk])
    rows = client.get(url).context["rows"]
    proposed = {r["enrollment"].person.name: (r["status"], r["result"]) for r in rows}
    assert proposed == {"甲一": ("completed", "passed"), "乙二": ("not_completed", "")}
    response = client.post(
        url,
        {
            f"status-{ea.pk}": "completed",
            f"result-{ea.pk}": "excellent",
            f"status-{eb.pk}": "not_completed",
            f"result-{eb.pk}": "",
        },
        follow=True,
    )
    assert "已保存结业登记：已结业 1 人，共 2 人" in html(response)
    ea.refresh_from_db()
    assert (ea.status, ea.result, ea.completed_on) == ("completed", "excellent", cls.end)


def test_participants_and_hours_lists_show_what_they_count(client, world, city_staff, classes):
    client.force_login(city_staff)
    response = client.get(reverse("training:participants"), {"org": world.city.pk})
    assert "共 3 人次" in html(response)
    response = client.get(
        reverse("training:participants"), {"org": world.city.pk, "type": "grassroots"}
    )
    assert [e.person.name for e in response.context["enrollments"]] == ["乙二"]
    response = client.get(
        reverse("training:hours"), {"org": world.city.pk, "from": "2024-01-01", "to": "2024-12-31"}
    )
    assert "共 2 人，合计 48 学时" in html(response)
    assert sorted(p.name for p, _ in response.context["rows"]) == ["乙二", "甲一"]


def test_the_person_file_has_a_training_tab(client, world, city_staff, classes):
    a = classes["a"]
    make_rule()
    ExternalTraining.objects.create(
        person=a,
        name="省委会骨干研修班",
        organizer="民盟某省委员会",
        start=date(2024, 9, 1),
        end=date(2024, 9, 3),
        hours=Decimal("16"),
    )
    client.force_login(city_staff)
    response = client.get(reverse("people:detail", args=[a.pk]), {"tab": "training"})
    page = html(response)
    assert "2024年新成员培训班" in page
    assert "省委会骨干研修班" in page
    assert "<td>2024</td>" in page and ">40<" in page  # 24 attended + 16 external
    assert "不培训不上岗（实职安排）" in page and "未达要求" in page


def test_a_branch_chair_sees_the_class_of_a_member_but_not_its_page(
    client, world, chair_a, classes
):
    client.force_login(chair_a)
    response = client.get(reverse("people:detail", args=[classes["a"].pk]), {"tab": "training"})
    page = html(response)
    assert "2024年新成员培训班" in page
    assert reverse("training:class_detail", args=[classes["city"].pk]) not in page


def test_external_records_are_added_edited_and_deleted(client, world, city_staff):
    a = make_member(world.branch_a, name="甲一")
    client.force_login(city_staff)
    response = client.post(
        reverse("training:external_create", args=[a.pk]),
        {
            "name": "社院进修班",
            "organizer": "某省社会主义学院",
            "class_type": "non_party",
            "level": "academy",
            "start": "2024-03-01",
            "end": "2024-03-20",
            "hours": "80",
        },
        follow=True,
    )
    assert "已保存 甲一 的培训记录「社院进修班」" in html(response)
    record = ExternalTraining.objects.get()
    response = client.post(
        reverse("training:external_edit", args=[a.pk, record.pk]),
        {
            "name": "社院进修班",
            "organizer": "某省社会主义学院",
            "start": "2024-03-20",
            "end": "2024-03-01",
            "hours": "80",
        },
    )
    assert "结束日期不能早于开始日期" in html(response)
    record.refresh_from_db()
    assert record.start == date(2024, 3, 1)
    client.post(reverse("training:external_delete", args=[a.pk, record.pk]))
    assert not ExternalTraining.objects.exists()


def test_the_workbench_counts_classes_without_attendance_and_links_to_them(
    client, world, city_staff
):
    today = timezone.localdate()
    a = make_member(world.branch_a, name="甲一")
    waiting = make_class(world.city, name="待记考勤班", start=today - timedelta(days=10))
    services.enrollment_add(training_class=waiting, people=[a], on=today - timedelta(days=20))
    done = make_class(world.city, name="已记考勤班", start=today - timedelta(days=30))
    services.enrollment_add(training_class=done, people=[a], on=today - timedelta(days=40))
    attend_all(done, on=today)
    make_class(world.city, name="未开班", start=today + timedelta(days=5))
    client.force_login(city_staff)
    response = client.get(reverse("workbench"))
    [card] = [c for c in response.context["cards"][0]["todos"] if c.title == "培训班未记考勤"]
    assert card.count == 1
    listed = client.get(card.url)
    assert [r["cls"].name for r in listed.context["rows"]] == ["待记考勤班"]
    assert listed.context["page"].paginator.count == card.count


def test_the_rules_page_lists_the_rules(client, world, city_staff):
    make_rule(enforcement="warn", titles="")
    client.force_login(city_staff)
    page = html(client.get(reverse("training:rules")))
    assert "不培训不上岗（实职安排）" in page and "中青年骨干培训班" in page and "提醒" in page


def test_the_system_administrator_keeps_the_rules_in_the_back_office(client, world):
    sysadmin = make_user("xitong", roles=(Role.SYSTEM_ADMIN,))
    client.force_login(sysadmin)
    url = reverse("admin:training_trainingrequirement_add")
    response = client.post(
        url,
        {
            "name": "不培训不上岗（政治安排）",
            "post_kind": "political",
            "titles": "",
            "class_types": ["non_party"],
            "min_hours": "0",
            "within_years": "5",
            "enforcement": "warn",
            "is_active": "on",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    staff = make_user("staff", world.city)
    client.force_login(staff)
    assert client.get(url).status_code in (302, 403)


def test_a_meeting_is_added_and_an_unrecorded_one_deleted(client, world, city_staff):
    cls = make_class(world.city, start=date(2024, 5, 6), days=3, daily_sessions=False)
    client.force_login(city_staff)
    response = client.post(
        reverse("training:session_create", args=[cls.pk]),
        {"date": "2024-05-07", "hours": "3", "topic": "盟史教育"},
    )
    assert response.status_code == 302
    session = ClassSession.objects.get()
    response = client.post(
        reverse("training:session_create", args=[cls.pk]), {"date": "2024-06-07", "hours": "3"}
    )
    assert "上课日期须在培训日期内" in html(response)
    client.post(reverse("training:session_delete", args=[cls.pk, session.pk]))
    assert not ClassSession.objects.exists()


def test_the_completion_sheet_proposes_nothing_while_meetings_lack_attendance(
    client, world, city_staff
):
    a = make_member(world.branch_a, name="甲一")
    cls = make_class(world.city, start=date(2024, 5, 6), days=3)
    [ea] = services.enrollment_add(training_class=cls, people=[a], on=date(2024, 5, 1))
    first = cls.sessions.first()
    services.attendance_record(session=first, marks={ea.pk: "present"}, by=None, on=first.date)
    client.force_login(city_staff)
    response = client.get(reverse("training:completion", args=[cls.pk]))
    assert "还有 2 次课未记录考勤" in html(response)
    assert [r["status"] for r in response.context["rows"]] == ["enrolled"]
