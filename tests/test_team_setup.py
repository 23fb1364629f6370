"""Setting up for a team: the saved connection and password file, one PostgreSQL role per
person, and the backup/restore/check/user commands."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kkdesk.cli import main
from kkdesk.core import audit, cases, connection, pg_roles
from kkdesk.core.database import open_database, resolve_url
from kkdesk.core.errors import DatabaseError, KnownError
from tests.conftest import FIXTURES_DIR, build_draft, postgres_url, reset_postgres

CASES_JSON = FIXTURES_DIR / "cases.json"


def _run(capsys: pytest.CaptureFixture[str], *args: Any) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# --- the saved connection ----------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KKDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass.conf"))
    monkeypatch.delenv("KKDESK_DATABASE_URL", raising=False)
    return tmp_path


def test_saved_connection_is_the_next_fallback(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url(None).endswith("kkdesk.sqlite3")
    settings = connection.PostgresSettings("db.kk.dk", 5433, "kkdesk", "anna")
    connection.save(settings)
    assert connection.load() == settings
    saved = (home / "home" / "forbindelse.json").read_text(encoding="utf-8")
    assert "password" not in saved
    assert resolve_url(None) == "postgresql+psycopg://anna@db.kk.dk:5433/kkdesk"
    monkeypatch.setenv("KKDESK_DATABASE_URL", "sqlite:///x.sqlite3")
    assert resolve_url(None) == "sqlite:///x.sqlite3"  # the environment wins
    assert resolve_url("sqlite:///y.sqlite3") == "sqlite:///y.sqlite3"  # and --db above all
    connection.save(None)
    monkeypatch.delenv("KKDESK_DATABASE_URL")
    assert resolve_url(None).endswith("kkdesk.sqlite3")


def test_password_goes_to_libpq_password_file_only(home: Path) -> None:
    settings = connection.PostgresSettings("db.kk.dk", 5432, "kkdesk", "anna")
    other = connection.PostgresSettings("db.kk.dk", 5432, "andet", "anna")
    connection.remember_password(other, "x")
    path = connection.remember_password(settings, "hem:me\\lig")
    path = connection.remember_password(settings, "hem:me\\lig2")  # replaced, not added
    assert path == home / "pgpass.conf"
    assert path.read_text(encoding="utf-8").splitlines() == [
        "db.kk.dk:5432:andet:anna:x",
        "db.kk.dk:5432:kkdesk:anna:hem\\:me\\\\lig2",
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert connection.has_stored_password(settings)
    connection.save(settings)
    assert "hem" not in (home / "home" / "forbindelse.json").read_text(encoding="utf-8")
    connection.forget_password(settings)
    assert not connection.has_stored_password(settings)
    assert connection.has_stored_password(other)


@pytest.mark.postgres
def test_test_connection_against_the_server() -> None:
    url = postgres_url()
    reset_postgres(url)
    text_before = connection.test_connection(url)
    assert text_before.startswith("Forbindelsen virker: PostgreSQL ")
    assert "databasen er tom" in text_before
    open_database(url).dispose()
    assert "klar til denne version" in connection.test_connection(url)
    wrong = make_url(url).set(host="127.0.0.1", port=1).render_as_string(hide_password=False)
    with pytest.raises(KnownError) as info:
        connection.test_connection(wrong, timeout=2)
    assert info.value.message == "Serveren '127.0.0.1' svarer ikke på port 1."


def test_settings_problems() -> None:
    assert connection.PostgresSettings("", 0, "", "").problems() == [
        "Server skal udfyldes.",
        "Port skal være et tal mellem 1 og 65535.",
        "Database skal udfyldes.",
        "Bruger skal udfyldes.",
    ]
    assert connection.from_url("postgresql+psycopg://bo@srv:6543/kk") == (
        connection.PostgresSettings("srv", 6543, "kk", "bo")
    )
    assert connection.from_url("sqlite:///x") is None


# --- one PostgreSQL role per person --------------------------------------------------------


@pytest.fixture
def person_roles() -> Iterator[tuple[str, str, str]]:
    """A migrated database, group roles with a test prefix, a reader and a writer.

    Roles are cluster-wide: their names start with ``kkdesk_test_`` and are dropped again.
    """
    url = postgres_url()
    reset_postgres(url)
    open_database(url).dispose()
    suffix = uuid.uuid4().hex[:6]
    prefix = f"kkdesk_test_{suffix}"
    reader, writer = f"kkdesk_test_laes_{suffix}", f"kkdesk_test_skriv_{suffix}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            pg_roles.setup(conn, prefix)
            pg_roles.add_person(conn, reader, "læs", prefix=prefix)
            pg_roles.add_person(conn, writer, "skriv", prefix=prefix)
        yield url, reader, writer
    finally:
        with admin.begin() as conn:
            for role in (reader, writer, *pg_roles.group_names(prefix)):
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


@pytest.mark.postgres
def test_read_only_role_cannot_write(person_roles: tuple[str, str, str]) -> None:
    url, reader, writer = person_roles
    # The writer registers a case; the reader sees it but can change nothing.
    db = open_database(_as(url, writer))
    try:
        with db.session() as session:
            case_id = cases.create_case(session, build_draft(), writer).id
    finally:
        db.dispose()
    db = open_database(_as(url, reader))
    try:
        with db.session() as session:
            assert cases.load_case(session, case_id).subject == build_draft().subject
        with pytest.raises(DatabaseError) as info, db.session() as session:
            cases.create_case(session, build_draft(subject="Læserens sag"), reader)
        assert info.value.message == "Din databasebruger har ikke ret til at ændre dette."
        for sql in (
            "UPDATE \"case\" SET subject = 'x'",
            "DELETE FROM question",
            "INSERT INTO party (letter, name) VALUES ('Q', 'Q')",
            "UPDATE alembic_version SET version_num = 'x'",
        ):
            with pytest.raises(DatabaseError), db.session() as session:
                session.execute(text(sql))
        # Presence and its own export line are allowed.
        with db.session() as session:
            audit.log(session, reader, "sager", "", "eksporteret", comment="1 sag")
    finally:
        db.dispose()
    # The writer cannot touch the audit trail either – refused by privilege, not only trigger.
    db = open_database(_as(url, writer))
    try:
        for sql in ("UPDATE case_event SET comment = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DatabaseError) as info, db.session() as session:
                session.execute(text(sql))
            assert info.value.message == "Din databasebruger har ikke ret til at ændre dette."
    finally:
        db.dispose()


# --- commands ----------------------------------------------------------------------------


def test_backup_restore_and_check_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kkdesk.sqlite3"
    code, _out, err = _run(capsys, "--db", path, "case", "import", CASES_JSON)
    assert code == 0, err
    code, out, _err = _run(capsys, "--db", path, "check")
    assert code == 0
    assert "Integritet:        ok" in out and out.rstrip().endswith("Alt i orden.")
    assert "Historik:          beskyttet mod ændring og sletning" in out
    code, out, _err = _run(capsys, "--db", path, "backup")
    assert code == 0 and out.startswith(f"Sikkerhedskopi: {tmp_path / 'sikkerhedskopier'}")
    manual = tmp_path / "manuel.sqlite3"
    code, out, _err = _run(capsys, "--db", path, "backup", "--out", manual)
    assert code == 0 and manual.exists()
    # A case registered after the backup is gone after the restore; the old file is kept.
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        cases.create_case(session, build_draft(subject="Efter kopien"), "test")
    db.dispose()
    code, out, err = _run(capsys, "--db", path, "restore", manual, "--yes")
    assert code == 0, err
    assert "Den tidligere fil ligger som" in out
    code, out, _err = _run(capsys, "--db", path, "case", "list")
    assert "Efter kopien" not in out
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        (entry,) = audit.audit_entries(session, "database")
    db.dispose()
    assert entry.action == "Gendannet" and "manuel.sqlite3" in entry.comment


def test_check_reports_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kkdesk.sqlite3"
    path.write_bytes(b"ikke en database " * 500)
    code, out, _err = _run(capsys, "--db", path, "check")
    assert code == 1
    assert "Integritet:        FEJL" in out


def test_backup_of_postgres_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "--db", "postgresql+psycopg://x@localhost/y", "backup")
    assert code == 2
    assert err.startswith("Fejl: Sikkerhedskopier af en PostgreSQL-database tages på serveren")


def test_user_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    path = tmp_path / "kkdesk.sqlite3"
    monkeypatch.setenv("KKDESK_USER", "anna")
    code, out, _err = _run(capsys, "--db", path, "user", "list")
    assert code == 0 and out.startswith("Ingen brugere endnu")
    code, out, err = _run(capsys, "--db", path, "user", "set", "Anna", "--name", "Anna Andersen",
                          "--role", "sekretariat")  # fmt: skip
    assert code == 0, err
    code, out, err = _run(capsys, "--db", path, "user", "set", "bo", "--name", "Bo Berg",
                          "--role", "forvaltning", "--administration", "tmf")  # fmt: skip
    assert code == 0, err
    code, out, _err = _run(capsys, "--db", path, "user", "list")
    assert out.splitlines()[1:] == [
        "anna   Anna Andersen  AA         Sekretariat               ja",
        "bo     Bo Berg        BB         Forvaltning  TMF          ja",
    ]
    monkeypatch.setenv("KKDESK_USER", "bo")
    code, _out, err = _run(capsys, "--db", path, "case", "import", CASES_JSON)
    assert code == 2
    assert err.startswith("Fejl: Som forvaltningsbruger kan du ikke importere sager.")
    code, _out, err = _run(capsys, "--db", path, "user", "set", "bo", "--role", "sekretariat")
    assert code == 2 and "kan du ikke oprette og rette brugere" in err


def test_pgroles_needs_postgres(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = _run(capsys, "--db", tmp_path / "k.sqlite3", "pgroles", "setup")
    assert code == 2 and "kun på PostgreSQL" in err


def test_data_folder_is_not_group_readable_for_passwords(home: Path) -> None:
    connection.remember_password(connection.PostgresSettings("h", 5432, "d", "u"), "p")
    mode = stat.S_IMODE(os.stat(home / "pgpass.conf").st_mode)
    assert mode & 0o077 == 0


def test_json_export_is_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "kkdesk.sqlite3"
    assert _run(capsys, "--db", path, "case", "import", CASES_JSON)[0] == 0
    code, out, _err = _run(capsys, "--db", path, "case", "export", "--out", tmp_path / "ud.json")
    assert code == 0 and out == ""
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        actions = [(e.action, e.comment) for e in audit.audit_entries(session, "sager")]
    db.dispose()
    assert actions[0][0] == "Importeret"
    assert actions[1] == ("Eksporteret", f"3 sager eksporteret som JSON til {tmp_path / 'ud.json'}")
