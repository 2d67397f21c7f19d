"""The production environment of deploy/tongxin.env, for the tests that start the server or
check its settings in another process."""

import os
import secrets
from pathlib import Path

from tongxin.core import fieldcrypt

ROOT = Path(__file__).resolve().parents[1]


def production_environment(tmp_path) -> dict[str, str]:
    """This process's environment without its Tongxin and Django settings, and
    deploy/tongxin.env as an operator fills it in: keys set, paths of this machine."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TONGXIN_", "DJANGO_"))
    }  # no DJANGO_ALLOW_ASYNC_UNSAFE (the browser tests'), never set in production
    for line in (ROOT / "deploy" / "tongxin.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    assert env["TONGXIN_DEBUG"] == "0" and env["TONGXIN_HTTPS"] == "1"
    env.update(
        TONGXIN_SECRET_KEY=secrets.token_urlsafe(50),
        TONGXIN_FIELD_KEY=fieldcrypt.new_key_text(),
        TONGXIN_VAR_DIR=str(tmp_path),
        TONGXIN_STATIC_ROOT=str(tmp_path / "static"),
        # The test run's database stands in for the server's.
        TONGXIN_DATABASE_URL=os.environ.get("TONGXIN_DATABASE_URL", ""),
    )
    return env
