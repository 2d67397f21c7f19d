from django.urls import reverse

_SENTINEL = 987654321


def url_pattern(name: str) -> str:
    """The URL of ``name`` with ``{}`` where its one integer argument goes.

    For pages that link to many records: one ``reverse()`` instead of one a link.
    """
    return reverse(name, args=[_SENTINEL]).replace(str(_SENTINEL), "{}")
