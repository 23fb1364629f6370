"""The database connection chosen in the program (Filer → Databaseforbindelse).

Saved as ``forbindelse.json`` in the user's data folder (``kkdesk.core.paths.data_dir``),
beside the window settings. Not in QSettings: the command line (which has no Qt) must use
the same database as the program, and ``kkdesk.core`` never imports Qt.

The password is **never** written to that file. If the user ticks "Husk adgangskoden",
it goes into PostgreSQL's own password file, which psycopg/libpq read by themselves:
``%APPDATA%\\postgresql\\pgpass.conf`` on Windows (inside the user's profile), ``~/.pgpass``
elsewhere (made readable by the user only), or ``PGPASSFILE``. Otherwise the program asks
for the password at start-up and keeps it in memory only.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from kkdesk.core import paths
from kkdesk.core.errors import KnownError

FILE_NAME = "forbindelse.json"
DEFAULT_PORT = 5432


@dataclass
class PostgresSettings:
    """A PostgreSQL server and database, without the password."""

    host: str
    port: int = DEFAULT_PORT
    database: str = "kkdesk"
    user: str = ""

    def url(self, password: str | None = None) -> str:
        """The SQLAlchemy URL (with the password only if given)."""
        return URL.create(
            "postgresql+psycopg",
            username=self.user or None,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
        ).render_as_string(hide_password=False)

    def problems(self) -> list[str]:
        """Danish messages for fields that are missing or wrong."""
        found = []
        if not self.host.strip():
            found.append("Server skal udfyldes.")
        if not 0 < self.port < 65536:
            found.append("Port skal være et tal mellem 1 og 65535.")
        if not self.database.strip():
            found.append("Database skal udfyldes.")
        if not self.user.strip():
            found.append("Bruger skal udfyldes.")
        return found


def settings_file() -> Path:
    return paths.data_dir() / FILE_NAME


def load() -> PostgresSettings | None:
    """The saved PostgreSQL connection, or None (use the local SQLite file)."""
    try:
        data = json.loads(settings_file().read_text(encoding="utf-8"))
        pg = data.get("postgresql")
        if not isinstance(pg, dict):
            return None
        return PostgresSettings(
            host=str(pg["host"]),
            port=int(pg.get("port", DEFAULT_PORT)),
            database=str(pg.get("database", "kkdesk")),
            user=str(pg.get("user", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(settings: PostgresSettings | None) -> None:
    """Save the connection (None: go back to the local SQLite file)."""
    data = {"postgresql": asdict(settings) if settings else None}
    target = settings_file()
    temporary = target.with_name(target.name + ".tmp")
    try:
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        raise KnownError(f"Forbindelsen kunne ikke gemmes i {target}: {exc.strerror}.") from exc


def saved_url() -> str | None:
    """The saved connection's URL (without password), or None."""
    settings = load()
    return settings.url() if settings else None


def from_url(url: str) -> PostgresSettings | None:
    """The fields of a PostgreSQL URL (for filling in the dialog), or None."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "postgresql":
        return None
    return PostgresSettings(
        host=parsed.host or "",
        port=parsed.port or DEFAULT_PORT,
        database=parsed.database or "",
        user=parsed.username or "",
    )


# --- libpq's password file -------------------------------------------------------------


def pgpass_path() -> Path:
    """Where libpq looks for stored passwords."""
    override = os.environ.get("PGPASSFILE")
    if override:
        return Path(override)
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _key(settings: PostgresSettings) -> str:
    parts = (settings.host, str(settings.port), settings.database, settings.user)
    return ":".join(_escape(p) for p in parts) + ":"


def _without(lines: list[str], settings: PostgresSettings) -> list[str]:
    key = _key(settings)
    return [line for line in lines if not line.startswith(key)]


def _read_pgpass() -> list[str]:
    try:
        return pgpass_path().read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _write_pgpass(lines: list[str]) -> None:
    target = pgpass_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Create it private from the start; libpq ignores a file others can read.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
        if sys.platform != "win32":
            target.chmod(0o600)
    except OSError as exc:
        raise KnownError(f"Adgangskoden kunne ikke gemmes i {target}: {exc.strerror}.") from exc


def remember_password(settings: PostgresSettings, password: str) -> Path:
    """Store the password in libpq's password file (replacing an older one)."""
    lines = _without(_read_pgpass(), settings)
    lines.append(_key(settings) + _escape(password))
    _write_pgpass(lines)
    return pgpass_path()


def forget_password(settings: PostgresSettings) -> None:
    """Remove a stored password for this server, database and user (if any)."""
    lines = _read_pgpass()
    kept = _without(lines, settings)
    if kept != lines:
        _write_pgpass(kept)


def has_stored_password(settings: PostgresSettings) -> bool:
    return any(line.startswith(_key(settings)) for line in _read_pgpass())


# --- testing a connection --------------------------------------------------------------


def test_connection(url: str, timeout: int = 5) -> str:
    """Connect once; returns a Danish description of the server, or raises ``KnownError``."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    from kkdesk.core.database import explain_operational_error
    from kkdesk.core.migrations import VERSION_TABLE, head_revision

    engine = create_engine(url, connect_args={"connect_timeout": timeout})
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar())
            has_table = conn.execute(
                text("SELECT to_regclass(:name) IS NOT NULL"), {"name": VERSION_TABLE}
            ).scalar()
            revision = (
                conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
                if has_table
                else None
            )
    except SQLAlchemyError as exc:
        raise (
            explain_password(exc)
            or explain_connect_error(exc, url)
            or explain_operational_error(exc, url)
        ) from exc
    finally:
        engine.dispose()
    if revision is None:
        state = "databasen er tom; kkdesk opretter tabellerne ved første start"
    elif revision == head_revision():
        state = "databasen er klar til denne version af kkdesk"
    else:
        state = f"databasen opgraderes ved start (fra version {revision})"
    return f"Forbindelsen virker: PostgreSQL {version}; {state}."


def needs_password(exc: BaseException) -> bool:
    """Did the server refuse because no or a wrong password was given?"""
    message = str(getattr(exc, "orig", exc)).lower()
    return "password" in message and (
        "no password supplied" in message
        or "authentication failed" in message
        or "password authentication" in message
    )


def explain_password(exc: BaseException) -> KnownError | None:
    if not needs_password(exc):
        return None
    return KnownError(
        "Serveren afviste brugernavn eller adgangskode.",
        detail="Tjek bruger og adgangskode, eller spørg IT.",
    )


def explain_connect_error(exc: BaseException, url: str) -> KnownError | None:
    """A Danish message naming what is wrong when a server refuses a connection (unknown
    server, closed port, unknown user or database, no access), or None."""
    message = str(getattr(exc, "orig", exc)).lower()
    parsed = make_url(url)
    host, port = parsed.host or "localhost", parsed.port or DEFAULT_PORT
    if "role" in message and "does not exist" in message:
        return KnownError(
            f"Brugeren '{parsed.username}' findes ikke på serveren.",
            detail="Tjek brugernavnet, eller bed IT oprette brugeren.",
        )
    if "database" in message and "does not exist" in message:
        return KnownError(
            f"Databasen '{parsed.database}' findes ikke på serveren.",
            detail="Tjek navnet, eller bed IT oprette databasen.",
        )
    if any(
        text in message
        for text in (
            "could not translate host name",
            "name or service not known",
            "failed to resolve host",
            "nodename nor servname",
            "no such host",
        )
    ):
        return KnownError(
            f"Serveren '{host}' kan ikke findes.",
            detail="Tjek stavningen af serverens navn, og at computeren er på netværket.",
        )
    if "connection refused" in message:
        return KnownError(
            f"Serveren '{host}' svarer ikke på port {port}.",
            detail="Tjek port og servernavn, og at PostgreSQL kører på serveren.",
        )
    if "timeout" in message or "timed out" in message:
        return KnownError(
            f"Serveren '{host}' svarede ikke i tide.",
            detail="Tjek servernavn og port, og at en firewall ikke blokerer forbindelsen.",
        )
    if "pg_hba.conf" in message:
        return KnownError(
            "Serveren tillader ikke forbindelser fra denne computer eller bruger.",
            detail="Bed IT give adgang (pg_hba.conf på serveren).",
        )
    return None
