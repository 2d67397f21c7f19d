"""The demo gives a few members accounts, notices, a class to sign up for and a pending
correction; a reset removes them with their logins."""

import random
from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from tongxin.accounts.models import User
from tongxin.people import demo
from tongxin.portal import demo as portal_demo
from tongxin.portal import selectors
from tongxin.portal.models import CorrectionRequest, MemberAccount, Notice

TODAY = date(2025, 6, 30)
SEED = 7


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        demo.build_demo(seed=SEED, today=TODAY)
        root = demo.demo_root()
        lines = portal_demo.seed(root=root, today=TODAY, rng=random.Random(SEED))
        yield {"root": root, "lines": lines}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_members_log_in_and_find_what_to_try(seeded):
    line = seeded["lines"][0]
    for username in portal_demo.MEMBER_USERNAMES:
        assert username in line
        account = MemberAccount.objects.get(user__username=username)
        person = account.person
        assert selectors.notices_for(person=person, on=TODAY).count() == 3
        assert selectors.classes_for(person=person, on=TODAY).exists()
    waiting = MemberAccount.objects.get(user=None)
    assert waiting.person.name in line and "激活码" in line
    assert CorrectionRequest.objects.filter(state="chair").count() == 1
    assert Notice.objects.filter(kind="material").exclude(file="").count() == 1


@pytest.mark.django_db
def test_the_reset_removes_the_portals_records_and_member_logins(seeded):
    assert demo.reset_demo()
    assert not MemberAccount.objects.exists() and not Notice.objects.exists()
    assert not User.objects.filter(username__in=portal_demo.MEMBER_USERNAMES).exists()
