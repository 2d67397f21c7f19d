from django.utils.functional import SimpleLazyObject

from tongxin.core.scope import Scope


class ScopeMiddleware:
    """Puts the user's scope on the request, so that every view starts from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: Scope.for_user(request.user))
        return self.get_response(request)
