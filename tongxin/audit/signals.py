"""Logins, logouts and failed logins (Django's auth signals), and lockouts if django-axes is
installed."""

from django.apps import apps
from django.contrib.auth import signals as auth_signals

from tongxin.audit.services import Kind, record_event


def on_login(sender, request, user, **kwargs):
    record_event(Kind.LOGIN, request=request, user=user, summary=f"用户 {user.get_username()} 登录")


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(
            Kind.LOGOUT, request=request, user=user, summary=f"用户 {user.get_username()} 退出"
        )


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record_event(
        Kind.LOGIN_FAILED,
        request=request,
        username=username,
        summary=f"以用户名“{username}”登录失败",
        detail={"username": username},
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    record_event(
        Kind.LOCKOUT,
        request=request,
        username=username,
        summary=f"用户名“{username}”因多次登录失败被锁定",
        detail={"username": username, "ip_address": ip_address},
    )


def connect() -> None:
    auth_signals.user_logged_in.connect(on_login, dispatch_uid="audit_login")
    auth_signals.user_logged_out.connect(on_logout, dispatch_uid="audit_logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="audit_locked_out")
