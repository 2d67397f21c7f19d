from datetime import timedelta

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tongxin.audit.checks import MIN_RETENTION_DAYS, retention_days
from tongxin.audit.models import Event
from tongxin.audit.services import Kind, record_event


class Command(BaseCommand):
    help = (
        "删除超过保存期限（TONGXIN_AUDIT_RETENTION_DAYS，默认 180 天）的审计事件和数据变更记录，"
        "并记录一条清理事件。这是删除审计记录的唯一途径。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的条数，不删除")

    def handle(self, *args, dry_run=False, **options):
        days = retention_days()
        if days < MIN_RETENTION_DAYS:  # the system check refuses it too; never purge on it
            raise CommandError(f"保存期限 {days} 天少于 {MIN_RETENTION_DAYS} 天，未删除任何记录")
        cutoff = timezone.now() - timedelta(days=days)
        events = Event.objects.filter(time__lt=cutoff)
        changes = LogEntry.objects.filter(timestamp__lt=cutoff)
        before = f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"
        if dry_run:
            self.stdout.write(
                f"将删除 {before} 以前的审计事件 {events.count()} 条、"
                f"数据变更记录 {changes.count()} 条（未删除）"
            )
            return
        with transaction.atomic():
            # A queryset's delete() removes the rows in SQL without Event.delete(), which
            # refuses on purpose: this command is the one way audit rows go.
            removed_events = events.delete()[0]
            removed_changes = changes.delete()[0]
            record_event(
                Kind.PURGE,
                summary=(
                    f"命令行清理审计日志：删除 {before} 以前（保存期限 {days} 天）的审计事件 "
                    f"{removed_events} 条、数据变更记录 {removed_changes} 条"
                ),
                detail={
                    "保存期限（天）": days,
                    "删除截止时间": cutoff.isoformat(),
                    "审计事件": removed_events,
                    "数据变更记录": removed_changes,
                },
                rows=removed_events + removed_changes,
            )
        self.stdout.write(
            f"已删除 {before} 以前的审计事件 {removed_events} 条、数据变更记录 {removed_changes} 条"
        )
