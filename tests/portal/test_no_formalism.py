"""No formalism on the members' side (指尖上的形式主义): no check-in, no points, no ranking and
no online time on any member page, even for a member whose contributions earned points."""

from datetime import date

import pytest
from django.urls import reverse

from tongxin.branchwork import services as branchwork_services
from tongxin.branchwork.models import Contribution
from tongxin.core.scope import Scope

pytestmark = pytest.mark.django_db

WORDS = ("打卡", "签到", "积分", "分值", "排名", "排行", "在线时长", "学习时长")


@pytest.fixture
def rules(db):
    from tongxin.branchwork.points import reward_rules_restore_defaults

    reward_rules_restore_defaults()


def test_no_member_page_counts_or_ranks_the_member(client, world, member_a, rules):
    branchwork_services.contribution_save(
        contribution=Contribution(
            kind="social_report", title="关于社区养老的建议", submitted_on=date(2025, 3, 1)
        ),
        authors=[member_a],
        scope=Scope(everything=True),
    )
    client.force_login(member_a.user)
    for name in (
        "member:home",
        "member:notices",
        "member:classes",
        "member:signups",
        "member:record",
        "member:corrections",
        "member:drafts",
    ):
        page = client.get(reverse(name)).content.decode()
        found = [word for word in WORDS if word in page]
        assert not found, f"{name} shows {found}"
