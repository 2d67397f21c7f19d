import auditlog.middleware
from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from tongxin.core.clientip import client_ip
from tongxin.core.scope import Scope


class ScopeMiddleware:
    """Puts the user's scope on the request, so that every view starts from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))
        return self.get_response(request)


class QueryStringMiddleware:
    """Refuses (400) an address whose parameters hold a NUL character, before any view reads
    them: no field takes one, and PostgreSQL refuses it in a query, which a search (``?q=``)
    would otherwise answer with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "")
                raise BadRequest(f"地址中的参数 {shown} 含有空字符（NUL），无效。")
        return self.get_response(request)


class UploadLimitMiddleware:
    """Refuses (413) a request whose body is larger than TONGXIN_MAX_UPLOAD_MB before any of it
    is read, so that an oversized upload fills neither memory nor the temporary directory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_mb = settings.TONGXIN_MAX_UPLOAD_MB
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > (limit_mb + 1) * 1024 * 1024:
            return HttpResponse(
                f"上传的内容超过 {limit_mb} MB，已拒绝。请分批导入，或联系系统管理员。",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware, recording the client's address as the audit events do
    (its own takes the first X-Forwarded-For entry, which any client can write)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None  # X-Forwarded-Port is the client's word as well


class PrivateResponseMiddleware:
    """What a logged-in user is sent (pages, exports, photos) may carry personal data: no
    browser or proxy cache may keep it, for a shared computer's back button or disk cache to
    show the next person. Placed after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
