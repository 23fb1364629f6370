"""A shared PostgreSQL server: its settings, a connection test with Danish errors, and
where the password is kept.

The URL saved in the user's settings never contains the password. The password goes into
kkdesk's own password file in the PostgreSQL ``pgpass`` format (``<data dir>/pgpass.conf``,
readable only by the user); ``use_password_file`` points libpq at it, so every connection
of the process finds it without the password ever appearing in a URL, a window title or
a log.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from kkdesk.core import paths
from kkdesk.core.errors import DatabaseError, FieldError, ValidationError

DEFAULT_PORT = 5432
TEST_TIMEOUT_S = 5
PASSFILE_ENV = "PGPASSFILE"


@dataclass(frozen=True)
class ServerSettings:
    """What the user types to reach the team's PostgreSQL database."""

    host: str
    database: str
    user: str
    password: str = ""
    port: int = DEFAULT_PORT

    def url(self, *, with_password: bool = False) -> str:
        """The SQLAlchemy URL (psycopg 3); the password only if asked for."""
        return URL.create(
            "postgresql+psycopg",
            username=self.user.strip(),
            password=self.password if with_password and self.password else None,
            host=self.host.strip(),
            port=self.port,
            database=self.database.strip(),
        ).render_as_string(hide_password=False)


@dataclass(frozen=True)
class ServerReport:
    """The result of a successful connection test."""

    server_version: str
    has_kkdesk_tables: bool

    def summary(self) -> str:
        """One Danish sentence for the dialog."""
        state = (
            "Databasen indeholder allerede kkdesk-data."
            if self.has_kkdesk_tables
            else "Databasen er tom; kkdesk opretter tabellerne ved første start."
        )
        return f"Forbindelsen virker (PostgreSQL {self.server_version}). {state}"


def validate_settings(settings: ServerSettings) -> None:
    """Raise ``ValidationError`` for empty or impossible fields."""
    errors: list[FieldError] = []
    if not settings.host.strip():
        errors.append(FieldError("Server", "skal udfyldes (fx dbserver.kk.dk)."))
    if not 1 <= settings.port <= 65535:
        errors.append(FieldError("Port", "skal være mellem 1 og 65535."))
    if not settings.database.strip():
        errors.append(FieldError("Database", "skal udfyldes."))
    if not settings.user.strip():
        errors.append(FieldError("Bruger", "skal udfyldes."))
    if errors:
        raise ValidationError(errors, context="Forbindelsen kan ikke testes")


def explain_connect_error(message: str, settings: ServerSettings) -> DatabaseError:
    """A Danish message for a failed connection, from the driver's (English) message."""
    low = message.lower()
    host, port = settings.host.strip(), settings.port
    if "password authentication failed" in low or "authentication failed" in low:
        return DatabaseError(
            "Brugernavnet eller adgangskoden er forkert.",
            detail=f"Serveren afviste login for brugeren '{settings.user}'. "
            "Tjek adgangskoden, eller spørg IT.",
        )
    if "no password supplied" in low:
        return DatabaseError(
            "Serveren kræver en adgangskode.", detail="Skriv adgangskoden og prøv igen."
        )
    if "role" in low and "does not exist" in low:
        return DatabaseError(
            f"Brugeren '{settings.user}' findes ikke på serveren.",
            detail="Tjek brugernavnet, eller bed IT oprette brugeren.",
        )
    if "database" in low and "does not exist" in low:
        return DatabaseError(
            f"Databasen '{settings.database}' findes ikke på serveren.",
            detail="Tjek navnet, eller bed IT oprette databasen.",
        )
    if (
        "could not translate host name" in low
        or "name or service not known" in low
        or "failed to resolve host" in low
        or "nodename nor servname" in low
        or "no such host" in low
    ):
        return DatabaseError(
            f"Serveren '{host}' kan ikke findes.",
            detail="Tjek stavningen af serverens navn, og at computeren er på netværket.",
        )
    if "connection refused" in low:
        return DatabaseError(
            f"Serveren '{host}' svarer ikke på port {port}.",
            detail="Tjek port og servernavn, og at PostgreSQL kører på serveren.",
        )
    if "timeout" in low or "timed out" in low:
        return DatabaseError(
            f"Serveren '{host}' svarede ikke inden for {TEST_TIMEOUT_S} sekunder.",
            detail="Tjek servernavn og port, og at en firewall ikke blokerer forbindelsen.",
        )
    if "pg_hba.conf" in low:
        return DatabaseError(
            "Serveren tillader ikke forbindelser fra denne computer eller bruger.",
            detail="Bed IT give adgang (pg_hba.conf på serveren).",
        )
    if "permission denied" in low:
        return DatabaseError(
            f"Brugeren '{settings.user}' har ikke adgang til databasen '{settings.database}'.",
            detail="Bed IT give brugeren adgang.",
        )
    return DatabaseError(
        "Forbindelsen til databaseserveren mislykkedes.", detail=message.strip()[:500]
    )


def check_connection(settings: ServerSettings, timeout_s: int = TEST_TIMEOUT_S) -> ServerReport:
    """Connect once with ``settings`` and report; raises a Danish ``KnownError`` otherwise.

    Nothing is created or changed on the server.
    """
    validate_settings(settings)
    engine = create_engine(
        settings.url(with_password=True),
        poolclass=NullPool,
        connect_args={"connect_timeout": timeout_s},
    )
    try:
        with engine.connect() as conn:
            version = str(conn.execute(text("SHOW server_version")).scalar() or "?")
            has_tables = inspect(conn).has_table("alembic_version")
    except Exception as exc:  # the driver's errors vary; all of them mean "no connection"
        raise explain_connect_error(str(getattr(exc, "orig", exc)), settings) from exc
    finally:
        engine.dispose()
    return ServerReport(version.split(" ")[0], has_tables)


# --- The password file -----------------------------------------------------------------


def password_file() -> Path:
    """kkdesk's own pgpass file in the user's data folder."""
    return paths.data_dir() / "pgpass.conf"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def remember_password(settings: ServerSettings) -> Path | None:
    """Store the password for ``settings`` in the password file (replacing an older one
    for the same server, database and user). Does nothing for an empty password."""
    if not settings.password:
        return None
    target = password_file()
    key = ":".join(
        _escape(part)
        for part in (
            settings.host.strip(),
            str(settings.port),
            settings.database.strip(),
            settings.user.strip(),
        )
    )
    lines = []
    if target.exists():
        lines = [
            line
            for line in target.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(key + ":")
        ]
    lines.append(f"{key}:{_escape(settings.password)}")
    # Create it private from the start: libpq ignores a pgpass file others can read.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    return target


def use_password_file() -> None:
    """Let libpq find saved passwords, unless the user has chosen a pgpass file already."""
    target = password_file()
    if target.exists() and not os.environ.get(PASSFILE_ENV):
        os.environ[PASSFILE_ENV] = str(target)
