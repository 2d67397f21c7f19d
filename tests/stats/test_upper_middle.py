"""中上层人士: the person's own field first, else the deployment's rule (settings), counted in
SQL on the date, and the same on the roster."""

from datetime import date

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tests.factories import make_member
from tongxin.core.codes import PostKind
from tongxin.core.scope import Scope
from tongxin.people.models import Post
from tongxin.people.population import upper_middle_rule
from tongxin.stats import selectors

pytestmark = pytest.mark.django_db
D = date(2024, 12, 31)


def upper(org, on=D):
    figure = selectors.members(scope=Scope(everything=True), org=org, as_of=on)["upper_middle"]
    return figure.value, sorted(p.name for p in figure.records)


@pytest.fixture
def people(world):
    section_chief = make_member(world.branch_a, name="科长")
    Post.objects.create(person=section_chief, kind=PostKind.GOVERNMENT, title="科长",
                        rank="142", start=date(2020, 1, 1), end=date(2024, 7, 1))  # fmt: skip
    return {
        "讲师": make_member(world.branch_a, name="讲师", title_level="3"),
        "助教": make_member(world.branch_a, name="助教", title_level="4"),
        "硕士": make_member(world.branch_a, name="硕士", degree="3"),
        "学士": make_member(world.branch_a, name="学士", degree="4"),
        "科长": section_chief,
        "自认": make_member(world.branch_a, name="自认", upper_middle=True),
        "自否": make_member(world.branch_a, name="自否", title_level="1", upper_middle=False),
    }


def test_the_default_rule_is_intermediate_title_section_rank_or_masters(world, people):
    assert upper(world.city) == (3, ["硕士", "自认", "讲师"])
    # The section chief's post was in force in the first half of the year only.
    assert upper(world.city, date(2024, 6, 30)) == (4, ["硕士", "科长", "自认", "讲师"])
    assert "中级及以上职称" in upper_middle_rule().describe()


def test_the_thresholds_are_deployment_settings(world, people, settings):
    settings.TONGXIN_UPPER_MIDDLE_TITLE_LEVEL = "初级"
    settings.TONGXIN_UPPER_MIDDLE_DEGREE = "无"
    assert upper(world.city) == (3, ["助教", "自认", "讲师"])
    settings.TONGXIN_UPPER_MIDDLE_TITLE_LEVEL = "无"
    settings.TONGXIN_UPPER_MIDDLE_RANK = "无"
    assert upper(world.city, date(2024, 6, 30)) == (1, ["自认"])


def test_the_roster_filter_lists_the_same_people(client, world, people, city_staff):
    client.force_login(city_staff)
    for flag, expected in (
        ("1", ["硕士", "自认", "讲师"]),
        ("0", ["助教", "学士", "科长", "自否"]),
    ):
        response = client.get(
            reverse("people:roster"), {"org": world.city.pk, "as_of": D, "upper_middle": flag}
        )
        assert sorted(row["name"] for row in response.context["rows"]) == sorted(expected)


def test_a_bad_setting_is_named_in_chinese(settings):
    settings.TONGXIN_UPPER_MIDDLE_RANK = "处级"
    with pytest.raises(ImproperlyConfigured, match="TONGXIN_UPPER_MIDDLE_RANK 的值「处级」无效"):
        upper_middle_rule()
    errors = [e for e in run_checks() if e.id == "tongxin.stats.E001"]
    assert errors and "省部级、厅局级、县处级、乡科级" in errors[0].msg
