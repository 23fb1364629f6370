"""Alembic migrations run from code at start-up.

The script folder is resolved at run time (``paths.migrations_dir()``), so a source
checkout, an installed wheel and a frozen bundle all find it. An existing SQLite file is
copied aside (SQLite's online backup API) before it is migrated.

Start-up speed: when the database is already at the newest revision (the usual case),
Alembic is not even imported; the head is read from the script files' headers.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from kkdesk.core import paths
from kkdesk.core.database import sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision\s*(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(?:None|['\"]([^'\"]+)['\"])", re.MULTILINE)
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at kkdesk's migrations (and optionally a connection)."""
    import sys

    from alembic.config import Config

    # Alembic's default stream is the sys.stdout of when it was first imported, which may
    # since have been closed (test capture, a reconfigured console): use today's.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str:
    """The newest migration's revision id, read from the script headers."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (paths.migrations_dir() / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if match := _REVISION.search(source):
            revisions.add(match[1])
            down = _DOWN.search(source)
            if down and down[1]:
                parents.add(down[1])
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"Expected one migration head, found {sorted(heads)}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The database's migration state, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def backup_sqlite_file(path: Path, label: str) -> Path:
    """Copy an SQLite file aside with the online backup API (safe with WAL)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def upgrade_to_head(engine: Engine, url: str, target: str = "head") -> Path | None:
    """Migrate the database to ``target``; returns the backup file made first, if any.

    The upgrade runs in one transaction, so it is all or nothing.
    """
    current = current_revision(engine)
    head = head_revision()
    if target in ("head", head) and current == head:
        return None
    from alembic import command

    backup: Path | None = None
    path = sqlite_path(url)
    if current is not None and path is not None and path.exists():
        backup = backup_sqlite_file(path, f"before-{head}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)
    return backup
