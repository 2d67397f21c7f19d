"""The roster page, the person file and its forms, as a logged-in user sees them."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_member
from tongxin.core.codes import PostKind
from tongxin.people.models import Person, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return {
        "张敏": make_member(
            world.branch_a,
            name="张敏",
            gender="2",
            birth_date=date(1980, 5, 1),
            education="14",
            degree="3",
            title="副教授",
            title_level="2",
            work_unit="江城大学",
            sector="education",
        ),
        "周明": make_member(
            world.branch_g1,
            name="周明",
            birth_date=date(1958, 1, 1),
            education="21",
            degree="4",
            title="主任医师",
            title_level="1",
            work_unit="江城市第一人民医院",
            sector="health",
            is_retired=True,
        ),
        "王芳": make_member(
            world.branch_b,
            name="王芳",
            gender="2",
            birth_date=date(1990, 3, 3),
            education="31",
            work_unit="江城律师事务所",
            sector="law",
        ),
        "曾强": make_member(world.other_branch, name="曾强", work_unit="河城大学"),
    }


def roster_names(client, org, **params):
    response = client.get(reverse("people:roster"), {"org": org.pk, **params})
    assert response.status_code == 200
    return sorted(row["name"] for row in response.context["rows"]), response


def test_the_roster_lists_the_whole_subtree_with_a_total(client, world, city_staff, people):
    client.force_login(city_staff)
    names, response = roster_names(client, world.city)
    assert names == ["周明", "张敏", "王芳"]
    assert "共 3 人" in response.content.decode()


def test_pinyin_initials_find_the_right_people(client, world, city_staff, people):
    client.force_login(city_staff)
    assert roster_names(client, world.city, q="zm")[0] == ["周明", "张敏"]
    assert roster_names(client, world.city, q="ZM")[0] == ["周明", "张敏"]
    assert roster_names(client, world.city, q="wf")[0] == ["王芳"]


def test_full_pinyin_chinese_name_and_work_unit_find_people(client, world, city_staff, people):
    client.force_login(city_staff)
    assert roster_names(client, world.city, q="zhangmin")[0] == ["张敏"]
    assert roster_names(client, world.city, q="张")[0] == ["张敏"]
    assert roster_names(client, world.city, q="江城大学")[0] == ["张敏"]


def test_the_filters_narrow_the_roster(client, world, city_staff, people):
    client.force_login(city_staff)
    on = date.today()
    names, response = roster_names(client, world.city, gender="2")
    assert names == ["张敏", "王芳"]
    assert '<option value="2" selected>女</option>' in response.content.decode()
    assert roster_names(client, world.city, education="研究生")[0] == ["张敏"]
    assert roster_names(client, world.city, degree="学士")[0] == ["周明"]
    assert roster_names(client, world.city, title_level="正高级")[0] == ["周明"]
    assert roster_names(client, world.city, title_level="无")[0] == ["王芳"]
    assert roster_names(client, world.city, sector="law")[0] == ["王芳"]
    assert roster_names(client, world.city, retired="1")[0] == ["周明"]
    assert roster_names(client, world.city, retired="0")[0] == ["张敏", "王芳"]
    assert roster_names(client, world.city, branch=world.branch_b.pk)[0] == ["王芳"]
    oldest = "61岁及以上" if on.year - 1958 >= 61 else "51至60岁"
    assert roster_names(client, world.city, age_band=oldest)[0] == ["周明"]


def test_the_branch_filter_takes_the_branch_with_its_subtree(client, world, city_staff, people):
    client.force_login(city_staff)
    assert roster_names(client, world.city, branch=world.general.pk)[0] == ["周明"]


def test_an_invalid_filter_is_named_and_ignored(client, world, city_staff, people):
    client.force_login(city_staff)
    names, response = roster_names(client, world.city, branch=world.other_branch.pk, gender="2")
    assert names == ["张敏", "王芳"]
    assert "以下筛选条件无效，已忽略：“所在组织”" in response.content.decode()


def test_the_rank_group_filter_reads_government_posts_in_force(client, world, city_staff, people):
    Post.objects.create(
        person=people["王芳"],
        kind=PostKind.GOVERNMENT,
        title="副区长",
        unit="江城市某区人民政府",
        rank="132",
        start=date(2020, 1, 1),
    )
    Post.objects.create(
        person=people["张敏"],
        kind=PostKind.GOVERNMENT,
        title="处长",
        rank="131",
        start=date(2010, 1, 1),
        end=date(2015, 1, 1),
    )
    client.force_login(city_staff)
    assert roster_names(client, world.city, rank_group="县处级")[0] == ["王芳"]


def test_the_roster_sorts_by_age_and_paginates(client, world, city_staff, people, settings):
    settings.TONGXIN_ROSTER_PAGE_SIZE = 2
    client.force_login(city_staff)
    response = client.get(reverse("people:roster"), {"org": world.city.pk, "sort": "-age"})
    assert [row["name"] for row in response.context["rows"]] == ["周明", "张敏"]
    assert "第 1 / 2 页" in response.content.decode()
    response = client.get(
        reverse("people:roster"), {"org": world.city.pk, "sort": "-age", "page": 2}
    )
    assert [row["name"] for row in response.context["rows"]] == ["王芳"]


def test_an_htmx_filter_request_returns_only_the_list(client, world, city_staff, people):
    client.force_login(city_staff)
    response = client.get(
        reverse("people:roster"),
        {"org": world.city.pk, "q": "zm"},
        headers={"HX-Request": "true", "HX-Target": "roster-list"},
    )
    body = response.content.decode()
    assert "共 2 人" in body and "<html" not in body


def test_the_roster_of_an_organization_outside_the_scope_is_not_found(client, world, chair_a):
    client.force_login(chair_a)
    response = client.get(reverse("people:roster"), {"org": world.branch_b.pk})
    assert response.status_code == 404


def test_a_branch_chair_sees_only_the_own_branch(client, world, chair_a, people):
    client.force_login(chair_a)
    names, response = roster_names(client, world.branch_a)
    assert names == ["张敏"]
    assert "王芳" not in response.content.decode()
    # Without ?org= the roster opens at the user's own scope node.
    response = client.get(reverse("people:roster"))
    assert [row["name"] for row in response.context["rows"]] == ["张敏"]


def test_a_person_outside_the_scope_answers_404_on_every_person_page(
    client, world, staff_a, people
):
    client.force_login(staff_a)
    other = people["王芳"]
    for url in (
        reverse("people:detail", args=[other.pk]),
        reverse("people:detail", args=[other.pk]) + "?tab=membership",
        reverse("people:edit", args=[other.pk]),
        reverse("people:post_create", args=[other.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("people:edit", args=[other.pk]), {"name": "篡改"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "王芳"


def test_the_global_search_opens_the_person_when_one_matches(client, world, city_staff, people):
    client.force_login(city_staff)
    response = client.get(reverse("people:search"), {"q": "wf"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[people["王芳"].pk])
    response = client.get(reverse("people:search"), {"q": "zm"})
    assert "q=zm" in response["Location"]
    # Outside the scope: not found, the roster says so.
    response = client.get(reverse("people:search"), {"q": "zq"})
    assert "q=zq" in response["Location"]


def test_the_person_page_shows_the_tabs_and_masks_the_id_number(client, world, city_staff, people):
    person = people["张敏"]
    client.force_login(city_staff)
    body = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    for tab in ("基本信息", "成员关系", "职务与安排"):
        assert tab in body
    assert person.id_number not in body
    assert person.id_number[0] + "*" * 16 + person.id_number[-1] in body
    body = client.get(reverse("people:detail", args=[person.pk]), {"tab": "membership"})
    assert "江城大学第一支部" in body.content.decode()


def test_the_person_file_orders_its_tabs_as_staff_know_them(client, world, city_staff, people):
    """UI.md's order (后备与考核, 培训, 实践, 表彰, 参政议政), whatever the order of the apps."""
    client.force_login(city_staff)
    body = client.get(reverse("people:detail", args=[people["张敏"].pk])).content.decode()
    labels = ["基本信息", "成员关系", "职务与安排", "后备与考核"]
    labels += ["培训", "实践", "表彰", "参政议政"]
    positions = [body.index(f">{label}<") for label in labels]
    assert positions == sorted(positions)


def person_form_data(**overrides):
    data = {
        "name": "李新",
        "id_number": "",
        "gender": "",
        "birth_date": "",
        "ethnicity": "01",
        "native_place": "",
        "education": "21",
        "degree": "4",
        "school_major": "",
        "title": "",
        "title_level": "",
        "work_unit": "江城一中",
        "unit_nature": "20",
        "job_post": "",
        "sector": "education",
        "upper_middle": "unknown",
        "admitted_on": "",
        "phone": "",
        "email": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_creating_a_member_derives_gender_and_birth_date_from_the_id_number(
    client, world, city_staff
):
    client.force_login(city_staff)
    data = person_form_data(
        org=world.branch_a.pk,
        start="2024-07-01",
        start_reason="admitted",
        id_number="11010519491231002x",
        title="讲师",
    )
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(name="李新")
    assert person.id_number == "11010519491231002X"
    assert person.gender == "2" and person.birth_date == date(1949, 12, 31)
    assert person.title_level == "3"
    assert person.admitted_on == date(2024, 7, 1)
    assert person.name_initials == "lx"
    assert person.spells.get().org == world.branch_a


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("360426199101010072", "校验位"),
        ("1101051949123100", "18位"),
        ("11010519491332002X", "出生日期"),
        ("1101051949A231002X", "数字"),
    ],
)
def test_an_invalid_id_number_is_refused_with_its_reason_and_nothing_is_saved(
    client, world, city_staff, number, reason
):
    client.force_login(city_staff)
    data = person_form_data(
        org=world.branch_a.pk, start="2024-07-01", start_reason="admitted", id_number=number
    )
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["id_number"]
    assert any(reason in e for e in errors), errors
    assert reason in response.content.decode()
    assert not Person.objects.filter(name="李新").exists()


def test_a_gender_that_contradicts_the_id_number_is_refused(client, world, city_staff):
    client.force_login(city_staff)
    data = person_form_data(
        org=world.branch_a.pk,
        start="2024-07-01",
        start_reason="admitted",
        id_number="11010519491231002X",
        gender="1",
    )
    response = client.post(reverse("people:create"), data)
    assert "性别与身份证号不一致" in response.content.decode()
    assert not Person.objects.filter(name="李新").exists()


def test_a_member_cannot_be_created_in_an_organization_outside_the_scope(client, world, staff_a):
    client.force_login(staff_a)
    data = person_form_data(org=world.branch_b.pk, start="2024-07-01", start_reason="admitted")
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert "请选择管理范围内的组织" in response.content.decode()
    assert not Person.objects.filter(name="李新").exists()


def test_editing_a_person_saves_and_updates_the_pinyin(client, world, city_staff, people):
    person = people["张敏"]
    client.force_login(city_staff)
    data = person_form_data(
        name="张敏慧", id_number=person.id_number, work_unit="江城师范学院", phone="13812345678"
    )
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert (person.name, person.work_unit, person.name_initials) == (
        "张敏慧",
        "江城师范学院",
        "zmh",
    )


def test_a_bad_phone_number_is_refused_in_chinese(client, world, city_staff, people):
    person = people["张敏"]
    client.force_login(city_staff)
    data = person_form_data(name="张敏", id_number=person.id_number, phone="12345")
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert "手机号码应为以1开头的11位数字" in response.content.decode()


def test_a_political_arrangement_needs_its_body_and_level(client, world, city_staff, people):
    person = people["张敏"]
    client.force_login(city_staff)
    url = reverse("people:post_create", args=[person.pk])
    response = client.post(url, {"kind": "political", "title": "政协委员"})
    body = response.content.decode()
    assert "政治安排须选择类别" in body and "政治安排须选择层级" in body
    response = client.post(
        url,
        {
            "kind": "political",
            "title": "政协委员",
            "body": "cppcc_member",
            "level": "city",
            "term": "第十五届",
            "start": "2022-01-10",
        },
    )
    assert response.status_code == 302
    assert person.posts.get().get_level_display() == "市级"
