"""Recording audit events: one function, ``record_event``, for every page and command.

The events are tongxin.audit.models.Event rows; the audit page reads them together with
django-auditlog's record of model changes. Accounts and every other app call this writer: the
audit app imports none of them.
"""

from __future__ import annotations

from tongxin.core.clientip import client_ip

from .models import Event

Kind = Event.Kind


def record_event(
    kind: str,
    *,
    request=None,
    user=None,
    summary: str = "",
    detail: dict | None = None,
    rows: int | None = None,
    username: str = "",
) -> Event:
    """Record one audit event of ``kind`` (a key of ``Kind``: "login", "export", "reveal" …).

    With ``request``, the user (unless given), the client's IP address and the path come from it.
    ``username`` names a user who is not an account (a failed login's attempted name); a command
    run from the shell passes neither request nor user and says 命令行 in its summary.
    """
    if kind not in Kind.values:
        raise ValueError(f"未知的审计事件类型：{kind}")
    ip, path = None, ""
    if request is not None:
        if user is None:
            request_user = getattr(request, "user", None)
            if request_user is not None and request_user.is_authenticated:
                user = request_user
        ip = client_ip(request)
        path = request.get_full_path()[:500]
    if user is not None:
        username = user.get_username()
    return Event.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip=ip,
        path=path,
        summary=summary,
        detail=detail or {},
        rows=rows,
    )
