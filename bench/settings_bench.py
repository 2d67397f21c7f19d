"""Settings for bench/import.py's django-import-export runs: Tongxin's own, plus the library's
app (it brings no models; it is here because its documentation asks for it)."""

from tongxin.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "import_export"]  # noqa: F405
