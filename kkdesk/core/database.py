"""Opening the database: URL resolution, engine settings, migrations, reference data.

One ``Database`` per process; the UI and the command line open a short session per user
action with ``Database.session()``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from kkdesk.core import (
    audit,  # noqa: F401  (registers the audit trail's append-only guard)
    connection,
    paths,
    sqlite_health,
)
from kkdesk.core.errors import ConflictError, DatabaseError
from kkdesk.core.users import current_user

ENV_VAR = "KKDESK_DATABASE_URL"
BUSY_TIMEOUT_MS = 5000


def resolve_url(cli_value: str | None = None) -> str:
    """The database URL: ``--db``, else ``KKDESK_DATABASE_URL``, else the connection saved
    in the program (Filer → Databaseforbindelse, ``kkdesk.core.connection``), else the
    user's SQLite file.

    A bare file path is accepted as shorthand for ``sqlite:///PATH``.
    """
    value = cli_value or os.environ.get(ENV_VAR) or connection.saved_url() or ""
    if not value:
        return f"sqlite:///{paths.default_database_path()}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        # Use psycopg 3, the driver kkdesk ships with.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def describe_url(url: str) -> str:
    """The URL with any password hidden, for windows and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # FULL: a commit is on the disk before the program goes on, so even a power cut right
    # after "Sagen er gemt" loses nothing (NORMAL could roll back the last commits). The
    # extra fsync per save costs milliseconds; kkdesk saves a handful of times a minute.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """An engine with kkdesk's settings: SQLite gets foreign keys, WAL and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(
            f"Databaseadressen '{url}' kan ikke forstås.",
            detail="Brug fx sqlite:///C:/sti/kkdesk.sqlite3 eller "
            "postgresql+psycopg://bruger@server/database.",
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None and not path.parent.exists():
            raise DatabaseError(
                f"Mappen '{path.parent}' findes ikke.",
                detail="Vælg en database i en mappe, der findes.",
            )
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_on_connect)
        if path is not None:
            sqlite_health.configure_journal(engine, path)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    raise DatabaseError(
        f"Databasetypen '{backend}' understøttes ikke.",
        detail="kkdesk bruger SQLite (lokalt) eller PostgreSQL (fælles server).",
    )


def explain_operational_error(exc: Exception, url: str) -> DatabaseError:
    """Turn a driver error into a Danish message saying what to do."""
    message = str(getattr(exc, "orig", exc)).lower()
    where = describe_url(url)
    if "historikken kan kun udvides" in message:
        return DatabaseError(
            "Historikken kan kun udvides, ikke ændres eller slettes.",
            detail=f"Databasen afviste ændringen. ({where})",
        )
    if "permission denied" in message or "insufficient privilege" in message:
        return DatabaseError(
            "Din databasebruger har ikke ret til at ændre dette.",
            detail="Du har måske kun læseadgang til databasen. Kontakt IT, hvis du skal "
            f"kunne rette. Intet er ændret. ({where})",
        )
    if "locked" in message or "busy" in message:
        return DatabaseError(
            "Databasen er optaget af et andet program eller en kollega.",
            detail=f"kkdesk ventede {BUSY_TIMEOUT_MS // 1000} sekunder uden at komme til. "
            f"Vent et øjeblik og prøv igen; intet er gemt endnu. ({where})",
        )
    if "readonly" in message or "read-only" in message or "read only" in message:
        return DatabaseError(
            "Databasen kan kun læses, ikke ændres.",
            detail=f"Tjek at du har skriveadgang til filen og mappen. ({where})",
        )
    if ("disk" in message and "full" in message) or "no space" in message:
        return DatabaseError(
            "Disken er fuld, så ændringen kunne ikke gemmes.",
            detail="Frigør plads på disken og prøv igen. Intet er gået tabt.",
        )
    if "foreign key" in message:
        return DatabaseError(
            "Posten bruges stadig af andre data og kan ikke slettes eller ændres sådan.",
            detail="En sag med historik slettes aldrig; sæt dens status til Annulleret i "
            "stedet. Intet er ændret.",
        )
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return DatabaseError(
            "Databasefilen er beskadiget eller er ikke en kkdesk-database.",
            detail=f"Vælg en anden fil eller gendan fra en sikkerhedskopi. ({where})",
        )
    if "unable to open" in message:
        return DatabaseError(
            "Databasefilen kan ikke åbnes.",
            detail=f"Tjek stien og dine rettigheder. ({where})",
        )
    if "connection" in message or "could not connect" in message or "timeout" in message:
        return DatabaseError(
            "Der er ingen forbindelse til databaseserveren.",
            detail=f"Tjek netværket og serverens adresse, eller kontakt IT. ({where})",
        )
    return DatabaseError(
        "Databasen svarede med en fejl.",
        detail=f"{getattr(exc, 'orig', exc)} ({where})",
    )


@dataclass
class Database:
    """An open, migrated database and its session factory.

    ``user`` is the login acting through this handle (the OS login by default; a test may
    run two "PCs" in one process with two handles). ``warnings`` are Danish notes for the
    user from opening it (e.g. a database on a network drive).
    """

    url: str
    engine: Engine
    user: str = field(default_factory=current_user)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one user action: committed on success, rolled back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            # Another user saved the same record between this action's read and its write
            # (the version column's UPDATE … WHERE version = ? matched no row).
            session.rollback()
            raise ConflictError(
                "En kollega har gemt de samme oplysninger samtidig med dig.",
                detail="Dine ændringer er ikke gemt. Genindlæs og prøv igen.",
            ) from exc
        except (OperationalError, SADatabaseError) as exc:
            session.rollback()
            raise explain_operational_error(exc, self.url) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def describe(self) -> str:
        return describe_url(self.url)

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (and by default migrate and seed) the database at ``url``."""
    from kkdesk.core import migrations, refdata

    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    if path is not None and (problem := sqlite_health.read_only_error(path)):
        raise problem
    try:
        engine = create_db_engine(resolved)
    except (OperationalError, SADatabaseError, sqlite3.DatabaseError) as exc:
        raise explain_operational_error(exc, resolved) from exc
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if migrate:
            migrations.upgrade_to_head(engine, resolved)
        db = Database(resolved, engine)
        if path is not None and sqlite_health.journal_mode_for(path) != "wal":
            db.warnings.append(sqlite_health.network_warning(path))
        if migrate:
            refdata.load_if_missing(db)
    except (OperationalError, SADatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise explain_operational_error(exc, resolved) from exc
    return db
