"""The SQLite database file, its -wal and -shm (and a rollback -journal) readable by their
owner only: they hold every record, and the process's umask would leave them to every local user.

SQLite creates the -wal and -shm with the permissions of the database file, so once the file is
0600 the files it makes later are too; each new connection also narrows any that an older
install, or the very first connection, left wider.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MODE = 0o600
SUFFIXES = ("", "-wal", "-shm", "-journal")


def database_path(connection) -> Path | None:
    """The file behind a SQLite connection; None for an in-memory database or another vendor."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


def restrict_files(path: Path) -> None:
    for suffix in SUFFIXES:
        file = path.with_name(path.name + suffix)
        try:
            if stat.S_IMODE(file.stat().st_mode) & ~MODE:
                os.chmod(file, MODE)
        except (FileNotFoundError, PermissionError):
            continue  # absent, or another user's file that is not ours to change


def restrict_database_files(sender, connection, **kwargs) -> None:
    """connection_created's receiver."""
    path = database_path(connection)
    if path is not None:
        restrict_files(path)
