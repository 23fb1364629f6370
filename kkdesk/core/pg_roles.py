"""One PostgreSQL role per person: read-only and read-write group roles.

Run by IT as the database's owner (or a role with CREATEROLE), via
``kkdesk pgroles setup`` and ``kkdesk pgroles add LOGIN --access læs|skriv``:

* ``<prefix>_laeser`` (læs): SELECT on every table; may keep presence leases
  (``case_lease``) and append to ``audit_log`` (its exports are recorded) – nothing else.
* ``<prefix>_skriver`` (skriv): SELECT, INSERT, UPDATE, DELETE on the program's tables,
  but only SELECT and INSERT on the audit tables (``case_event``, ``audit_log``) and only
  SELECT on ``alembic_version``.
* Each person is a LOGIN role in one of the groups. Migrations (new program versions)
  run as the owner; ``kkdesk.core.migrations`` re-applies these grants after an upgrade,
  so tables that a new version adds are covered.

The append-only trigger of migration 0007_team holds for the owner, too.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

DEFAULT_PREFIX = "kkdesk"
AUDIT_TABLES = ("case_event", "audit_log")
PRESENCE_TABLES = ("case_lease",)
READ_ONLY_TABLES = ("alembic_version",)
ACCESS = {
    "læs": "laeser",
    "laes": "laeser",
    "read": "laeser",
    "skriv": "skriver",
    "write": "skriver",
}


def group_names(prefix: str = DEFAULT_PREFIX) -> tuple[str, str]:
    """(reader group, writer group)."""
    return f"{prefix}_laeser", f"{prefix}_skriver"


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _tables(conn: Connection) -> list[str]:
    rows = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    )
    return [str(row[0]) for row in rows]


def _role_exists(conn: Connection, name: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
    return found.scalar() is not None


def grant_statements(conn: Connection, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """The GRANT/REVOKE statements for the two groups on the current tables."""
    reader, writer = (_quote(conn, name) for name in group_names(prefix))
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {reader}, {writer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {reader}, {writer}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {reader}, {writer}",
    ]
    for table in _tables(conn):
        quoted = _quote(conn, table)
        if table in AUDIT_TABLES:
            statements += [
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {quoted} FROM {reader}, {writer}",
                f"GRANT INSERT ON {quoted} TO {writer}",
            ]
            if table == "audit_log":
                statements.append(f"GRANT INSERT ON {quoted} TO {reader}")
        elif table in PRESENCE_TABLES:
            statements.append(f"GRANT INSERT, UPDATE, DELETE ON {quoted} TO {reader}, {writer}")
        elif table not in READ_ONLY_TABLES and not table.startswith("case_list_search"):
            statements.append(f"GRANT INSERT, UPDATE, DELETE ON {quoted} TO {writer}")
    return statements


def setup(conn: Connection, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """Create the two group roles if missing and grant them their rights; returns the SQL."""
    done: list[str] = []
    for name in group_names(prefix):
        if not _role_exists(conn, name):
            statement = f"CREATE ROLE {_quote(conn, name)} NOLOGIN"
            conn.exec_driver_sql(statement)
            done.append(statement)
    for statement in grant_statements(conn, prefix):
        conn.exec_driver_sql(statement)
        done.append(statement)
    return done


def refresh_grants(conn: Connection, prefix: str = DEFAULT_PREFIX) -> bool:
    """Re-apply the grants if the groups exist (after a migration added tables)."""
    if not all(_role_exists(conn, name) for name in group_names(prefix)):
        return False
    for statement in grant_statements(conn, prefix):
        conn.exec_driver_sql(statement)
    return True


def add_person(
    conn: Connection,
    login: str,
    access: str,
    password: str | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> list[str]:
    """Create a LOGIN role for a person in the reader or writer group (or move it there)."""
    kind = ACCESS.get(access.lower())
    if kind is None:
        raise ValueError(access)
    reader, writer = group_names(prefix)
    group, other = (reader, writer) if kind == "laeser" else (writer, reader)
    person = _quote(conn, login)
    done: list[str] = []
    if not _role_exists(conn, login):
        statement = f"CREATE ROLE {person} LOGIN"
        conn.exec_driver_sql(statement)
        done.append(statement)
    if password:
        # The password goes as a literal: CREATE/ALTER ROLE take no bind parameters.
        literal = password.replace("'", "''")
        conn.exec_driver_sql(f"ALTER ROLE {person} PASSWORD '{literal}'")
        done.append(f"ALTER ROLE {person} PASSWORD '…'")
    for statement in (
        f"REVOKE {_quote(conn, other)} FROM {person}",
        f"GRANT {_quote(conn, group)} TO {person}",
    ):
        conn.exec_driver_sql(statement)
        done.append(statement)
    return done
