"""View decorators: every page asks the user's scope for the capability it needs."""

from functools import wraps

from django.contrib.auth.decorators import login_required


def scope_required(cap: str):
    """Log in first, then refuse (403) unless ``request.scope`` grants ``cap``
    (a ``tongxin.accounts.roles.Cap``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.scope.require(cap)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
