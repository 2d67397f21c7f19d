"""What a logged-in user must do before anything else: change the password (first login or
expired), then pass the second factor (TOTP). Until then only those pages, logout and static
files are reachable."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .roles import is_administrator

PASSWORD_STEP = ("accounts:password_change",)
OTP_VERIFY_STEP = ("accounts:otp_verify",)
OTP_SETUP_STEP = ("accounts:otp_setup",)


def pending_step(user) -> tuple[str, ...]:
    """The URL names the user is held to, first one the destination; () when nothing is due."""
    if user.must_change_password or user.password_expired_days():
        return PASSWORD_STEP
    if user.is_verified():
        return ()
    if user_has_device(user, confirmed=True):
        return OTP_VERIFY_STEP
    if settings.TONGXIN_ADMIN_OTP_REQUIRED and is_administrator(user):
        return OTP_SETUP_STEP
    return ()


class IdentityMiddleware:
    """Holds a logged-in user to the pending step. Placed after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            step = pending_step(request.user)
            if step and not self.allowed(request.path, step):
                return self.send_to(request, reverse(step[0]))
        return self.get_response(request)

    @staticmethod
    def allowed(path, step) -> bool:
        free = [reverse("logout"), *(reverse(name) for name in step)]
        return path in free or path.startswith("/" + settings.STATIC_URL.lstrip("/"))

    @staticmethod
    def send_to(request, url):
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse()  # htmx follows HX-Redirect
            response["HX-Redirect"] = url
            return response
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)


# The header a page's own polling sends (an import's progress): see IdleSessionMiddleware.
POLL_HEADER = "X-Tongxin-Poll"


# How stale the session's expiry may grow before a request saves it again (seconds).
RENEW_AFTER = 60
RENEWED_AT = "tongxin_renewed_at"


class IdleSessionMiddleware:
    """A session ends TONGXIN_IDLE_LOGOUT_MINUTES after the user's last request: a request saves
    it again with a new expiry when it was last saved more than RENEW_AFTER seconds ago, so that
    a user clicking through pages does not write the session table on every click (three
    statements a request, and under load every staff member's) and the limit holds to within a
    minute. A page's own polling (marked with POLL_HEADER) is not the user's doing and never
    renews it: a batch page left open must not keep its session alive, and its polls must not
    write to the database while the import they watch is writing (SQLite would make them wait
    for its lock). Placed after SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # An empty session (a visitor, the load balancer's health check) stays unsaved.
        if (
            session is not None
            and not session.is_empty()
            and request.headers.get(POLL_HEADER) != "1"
        ):
            now = time.time()
            if session.modified or now - session.get(RENEWED_AT, 0) >= RENEW_AFTER:
                session[RENEWED_AT] = now  # saved (unless empty) by SessionMiddleware
        return response


LOGIN_AT = "tongxin_login_at"


class SessionLifetimeMiddleware:
    """A session ends TONGXIN_SESSION_MAX_HOURS after its login however busy it is, beside the
    idle timeout: a stolen session cookie is not good for ever. The login time is noted at the
    session's first request that is not a poll (a login flushes or renews the session; an
    anonymous session never holds it). Placed after MessageMiddleware, whose message the
    login page shows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            now = time.time()
            if started is None:
                # Not on a page's own polling, which must not write (IdleSessionMiddleware).
                if request.headers.get(POLL_HEADER) != "1":
                    request.session[LOGIN_AT] = now
            elif now - started > settings.TONGXIN_SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(
                    request,
                    f"登录已超过 {settings.TONGXIN_SESSION_MAX_HOURS} 小时，请重新登录。",
                )
                return IdentityMiddleware.send_to(request, reverse("login"))
        return self.get_response(request)
