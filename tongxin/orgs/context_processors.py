from .selectors import scope_roots


def scope_nodes(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope_nodes": scope_roots(scope=request.scope)}
