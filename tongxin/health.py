"""/healthz for the load balancer: is this server fit to take requests, and is the import worker
alive. Anonymous and cheap (one query for the database, one for the migrations, one file's
date), and it says nothing about people: only each check's state."""

from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tongxin.io import jobs

OK = "ok"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return OK


def migrations_state() -> str:
    """ "pending" while the code expects a migration the database has not had: this server's
    code and the database disagree (a deployment that skipped `manage.py migrate`)."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "unknown"
    return "pending" if plan else OK


def worker_state(*, now=None) -> str:
    seen = jobs.worker_last_seen()
    if seen is None:
        return "never seen"
    now = now or timezone.now()
    if now - seen > timedelta(seconds=settings.TONGXIN_WORKER_STALE_SECONDS):
        return "stale"
    return OK


@never_cache
@require_GET
def healthz(request):
    database = database_state()
    checks = {
        "database": database,
        "migrations": migrations_state() if database == OK else "unknown",
        "worker": worker_state(),
    }
    healthy = all(state == OK for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
