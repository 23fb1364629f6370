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
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from kkdesk.core import paths
from kkdesk.core.database import sqlite_path
from kkdesk.core.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^revision\s*(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]+)?=\s*(?:None|['\"]([^'\"]+)['\"])", re.MULTILINE)
VERSION_TABLE = "alembic_version"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at kkdesk's migrations (and optionally a connection)."""

    from alembic.config import Config

    # Alembic's default output stream is the sys.stdout of when it was imported, which
    # may be closed by now (a replaced stream); use the current one.
    config = Config(stdout=sys.stdout)
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id, read from the script headers."""
    return _head_revision(paths.migrations_dir())


@cache
def _head_revision(folder: Path) -> str:
    # Cached per folder: tests (and a frozen bundle) may point at another script folder.
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (folder / "versions").glob("*.py"):
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


# Tests swap the script folder; they clear the per-folder cache through this.
head_revision.cache_clear = _head_revision.cache_clear  # type: ignore[attr-defined]


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


@contextmanager
def _sqlite_transaction(conn: Connection) -> Iterator[None]:
    """One real SQLite transaction around DDL and DML.

    Python's sqlite3 module (legacy transaction control) opens a transaction only before
    INSERT/UPDATE/DELETE, so CREATE/ALTER/DROP would be committed one by one and a failing
    migration would leave a half-migrated file. Here the module's transaction handling is
    switched off for this connection and BEGIN IMMEDIATE/COMMIT/ROLLBACK are ours.
    """
    raw = conn.connection.driver_connection
    assert raw is not None
    previous = raw.isolation_level
    raw.isolation_level = None
    try:
        # An SQLAlchemy-level transaction first: Alembic then sees an "external"
        # transaction and does not commit after each revision.
        with conn.begin():
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if raw.in_transaction:  # SQLite may have rolled back already (disk full)
                    raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
    finally:
        raw.isolation_level = previous


def _explain_failure(exc: Exception, backup: Path | None) -> DatabaseError:
    message = str(getattr(exc, "orig", exc)).lower()
    if "permission denied" in message or "must be owner" in message:
        return DatabaseError(
            "Databasen skal opgraderes til den nye version af kkdesk, men din databasebruger "
            "må ikke ændre tabellerne.",
            detail="Bed IT om at starte kkdesk én gang med databasens ejer. Intet er ændret.",
        )
    where = f" En kopi fra før opgraderingen ligger i {backup}." if backup else ""
    return DatabaseError(
        "Opgraderingen af databasen mislykkedes. Intet er ændret; databasen er som før.",
        detail=f"Fejl: {getattr(exc, 'orig', exc)}.{where} Kontakt IT-supporten.",
    )


def _refresh_role_grants(conn: Connection) -> None:
    """Per-person PostgreSQL roles (kkdesk.core.pg_roles) get rights on new tables too."""
    from kkdesk.core import pg_roles

    try:
        with conn.begin_nested():
            pg_roles.refresh_grants(conn)
    except SQLAlchemyError:
        pass  # not allowed to grant: IT runs ``kkdesk pgroles setup`` after the upgrade


def upgrade_to_head(engine: Engine, url: str, target: str = "head") -> Path | None:
    """Migrate the database to ``target``; returns the backup file made first, if any.

    The whole upgrade (every revision on the way) runs in one transaction, on SQLite too,
    so it is all or nothing; a failure raises ``DatabaseError`` with the database as before.
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
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn, _sqlite_transaction(conn):
                command.upgrade(alembic_config(conn), target)
        else:
            with engine.begin() as conn:
                command.upgrade(alembic_config(conn), target)
                _refresh_role_grants(conn)
    except Exception as exc:  # a broken migration script fails the same way: rolled back
        raise _explain_failure(exc, backup) from exc
    return backup
