"""A member's login reaches the members' pages and nothing of staff's: every other page answers
404, whatever the URL. A member account holds no role, so staff pages would show nothing of the
records anyway; this keeps them from showing even their empty frame."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from .selectors import member_account_of, member_refusal

MEMBER_LAYOUT = "portal/member/base.html"

# Pages of the login itself that a member uses as staff do.
OPEN_TO_MEMBERS = (
    "logout",
    "login",
    "accounts:password_change",
    "accounts:otp",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:otp_disable",
    "accounts:otp_login",
)


class MemberOnlyMiddleware:
    """Placed after IdentityMiddleware (a pending password change or second factor first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if member_account_of(request.user) is not None:
            # The login's rule (the ``login_refusals`` hook), asked again of an open session:
            # a membership that ended since the login ends the session on its next request.
            if refusal := member_refusal(request.user, timezone.localdate()):
                logout(request)
                messages.error(request, refusal)
                return redirect("login")
            # The login's own pages (修改密码, 双重验证) extend ``request.layout``: a member
            # sees them in the members' phone frame, without staff's navigation.
            request.layout = MEMBER_LAYOUT
            path = request.path
            if path == "/":
                return redirect("member:home")
            if not self.allowed(path):
                raise Http404("成员账号不能访问此页面")
        return self.get_response(request)

    @staticmethod
    def allowed(path: str) -> bool:
        if path.startswith(reverse("member:home")):
            return True
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return path in {reverse(name) for name in OPEN_TO_MEMBERS}
