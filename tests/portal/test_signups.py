"""Sign-up: a class's sign-up is its enrolment; an activity's sign-ups become its expected
attendance when the chair records it; who came stays the chair's record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tongxin.branchwork.models import Activity
from tongxin.portal.models import Notice, NoticeKind, SignUp
from tongxin.training import services as training_services
from tongxin.training.models import ClassLevel, ClassType, Enrollment, TrainingClass

pytestmark = pytest.mark.django_db


def _class(org, start, name="履职能力培训班"):
    return training_services.class_create(
        training_class=TrainingClass(
            name=name,
            org=org,
            level=ClassLevel.OWN,
            class_type=ClassType.OTHER,
            start=start,
            end=start + timedelta(days=1),
            hours=Decimal("8"),
        )
    )


def test_signing_up_for_a_class_enrols_the_member(client, world, member_a):
    today = timezone.localdate()
    training_class = _class(world.city, today + timedelta(days=10))
    client.force_login(member_a.user)
    assert "履职能力培训班" in client.get(reverse("member:classes")).content.decode()
    client.post(reverse("member:class_signup", args=[training_class.pk]))
    enrollment = Enrollment.objects.get(training_class=training_class)
    assert enrollment.person == member_a and enrollment.status == "enrolled"
    # Twice is refused, and changes nothing.
    response = client.post(reverse("member:class_signup", args=[training_class.pk]), follow=True)
    assert "已在「履职能力培训班」的学员名单中" in response.content.decode()
    assert Enrollment.objects.count() == 1
    # Cancelling before the class starts takes the member off the list.
    signup = SignUp.objects.get()
    client.post(reverse("member:signup_cancel", args=[signup.pk]))
    assert not Enrollment.objects.exists() and not SignUp.objects.exists()


def test_a_class_of_another_city_or_already_started_is_not_open(client, world, member_a):
    today = timezone.localdate()
    far = _class(world.other_city, today + timedelta(days=10), "河城培训班")
    started = _class(world.city, today - timedelta(days=1), "已开班培训班")
    client.force_login(member_a.user)
    page = client.get(reverse("member:classes")).content.decode()
    assert "河城培训班" not in page and "已开班培训班" not in page
    for training_class in (far, started):
        response = client.post(reverse("member:class_signup", args=[training_class.pk]))
        assert response.status_code == 404
    assert not Enrollment.objects.exists()


def test_activity_sign_ups_become_its_expected_attendance(client, world, chair_a, member_a):
    today = timezone.localdate()
    notice = Notice.objects.create(
        org=world.branch_a,
        kind=NoticeKind.ACTIVITY,
        title="支部读书会",
        event_date=today,
        published_by=chair_a,
    )
    client.force_login(member_a.user)
    client.post(reverse("member:notice_signup", args=[notice.pk]))
    assert SignUp.objects.filter(notice=notice, person=member_a).exists()
    client.force_login(chair_a)
    client.post(reverse("portal:notice_record", args=[notice.pk]))
    activity = Activity.objects.get()
    rows = list(activity.attendance.values_list("person__name", "expected", "present"))
    assert rows == [("林小满", True, False)]
    # Once recorded, the sign-up is closed.
    client.force_login(member_a.user)
    signup = SignUp.objects.get()
    response = client.post(reverse("member:signup_cancel", args=[signup.pk]), follow=True)
    assert "已经举行" in response.content.decode()


def test_a_member_cannot_cancel_another_members_sign_up(client, world, member_a, member_b):
    today = timezone.localdate()
    training_class = _class(world.city, today + timedelta(days=10))
    client.force_login(member_a.user)
    client.post(reverse("member:class_signup", args=[training_class.pk]))
    signup = SignUp.objects.get()
    client.force_login(member_b.user)
    assert client.post(reverse("member:signup_cancel", args=[signup.pk])).status_code == 404
    assert SignUp.objects.count() == 1
