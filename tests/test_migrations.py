"""Migrations: data written under the first schema survives every later migration, the
models match the migrations (``alembic check``), and SQLite files are backed up first."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from kkdesk.core import migrations, paths
from kkdesk.core.cases import load_case
from kkdesk.core.database import create_db_engine, open_database
from kkdesk.core.interchange import export_cases
from kkdesk.core.migrations import alembic_config, current_revision, head_revision
from kkdesk.core.models import Base
from tests.conftest import DEFAULT_LETTER


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def _first_revision() -> str:
    (base,) = _script().get_bases()
    return base


def _upgrade(engine: Engine, target: str) -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)


def _insert(conn: Any, table: str, values: dict[str, Any], key: str = "id") -> Any:
    """Insert one row with plain SQL (as the first schema knew it); returns its key."""
    columns = ", ".join(f'"{c}"' for c in values)
    params = ", ".join(f":{c}" for c in values)
    conn.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({params})'), values)
    match = {c: v for c, v in values.items() if c not in TEXTS and v is not None}
    where = " AND ".join(f'"{c}" = :{c}' for c in match)
    return conn.execute(text(f'SELECT "{key}" FROM "{table}" WHERE {where}'), match).scalar_one()


# Long text columns are left out of the look-up of a row's key.
TEXTS = {"text", "answer", "notes", "search_text", "comment", "old_value", "new_value"}
NOW = dt.datetime(2025, 5, 22, 9, 30, 15)
TEXT_WITH_EVERYTHING = "Linje 1 med \"citat\" og 'apostrof'\nLinje 2\tmed tab – æ ø å Æ Ø Å 🚲"


def _fill_first_schema(engine: Engine) -> dict[str, dict[str, Any]]:
    """Rows of every table, valid against the first migration; returns what was written."""
    written: dict[str, dict[str, Any]] = {}
    with engine.begin() as conn:
        rows: dict[str, Any] = {}
        rows["administration"] = {
            "code": "ØKF",
            "name": "Økonomiforvaltningen",
            "genitive": "Økonomiforvaltningens",
            "address": "Rådhuset",
            "signer_name": "Åse Å",
            "signer_title": "Direktør",
            "active": True,
        }
        admin_id = _insert(conn, "administration", rows["administration"])
        rows["unit"] = {
            "administration_id": admin_id,
            "name": "Center for Byudvikling",
            "active": True,
        }
        unit_id = _insert(conn, "unit", rows["unit"])
        rows["party"] = {"letter": "Ø", "name": "Enhedslisten"}
        party_id = _insert(conn, "party", rows["party"])
        rows["inquiry_kind"] = {"code": "br", "name": "Spørgsmål fra BR-medlem", "active": True}
        _insert(conn, "inquiry_kind", rows["inquiry_kind"], key="code")
        rows["officer"] = {
            "name": "Ib Ølgaard",
            "initials": "IØ",
            "email": "ib@kk.dk",
            "administration_id": admin_id,
            "unit_id": unit_id,
            "active": True,
        }
        officer_id = _insert(conn, "officer", rows["officer"])
        rows["asker"] = {"name": "Søren Ærø", "role": "br", "party_id": party_id, "email": None}
        asker_id = _insert(conn, "asker", rows["asker"])
        rows["case_number_counter"] = {"year": 2024, "last_number": 17}
        _insert(conn, "case_number_counter", rows["case_number_counter"], key="year")
        rows["case"] = {
            "case_number": "2024-0017",
            "year": 2024,
            "seq": 17,
            "kind_code": "br",
            "subject": 'Støj på "Åboulevarden"',
            "channel": "email",
            "received_on": dt.date(2024, 12, 30),
            "asker_id": asker_id,
            "administration_id": admin_id,
            "unit_id": unit_id,
            "officer_id": officer_id,
            "status": "under_udarbejdelse",
            "notes": TEXT_WITH_EVERYTHING,
            "search_text": '2024-0017 støj på "åboulevarden" søren ærø (ø)',
            "created_at": NOW,
            "created_by": "anna",
            "updated_at": NOW,
            "updated_by": "bo",
            "version": 4,
        }
        case_id = _insert(conn, "case", rows["case"])
        rows["received_date"] = {"case_id": case_id, "received": dt.date(2024, 12, 30)}
        _insert(conn, "received_date", rows["received_date"])
        rows["question"] = {
            "case_id": case_id,
            "position": 1,
            "number": 1,
            "text": TEXT_WITH_EVERYTHING,
            "answer": "Svar\r\nmed CRLF",
        }
        _insert(conn, "question", rows["question"])
        rows["case_event"] = {
            "case_id": case_id,
            "at": NOW,
            "user": "anna",
            "action": "oprettet",
            "field": None,
            "old_value": None,
            "new_value": None,
            "comment": "Sag 2024-0017 oprettet",
        }
        _insert(conn, "case_event", rows["case_event"])
        rows["app_setting"] = {"key": "brevskabelon", "value": '{"fod": "Med venlig hilsen"}'}
        _insert(conn, "app_setting", rows["app_setting"], key="key")
        written.update(rows)
    return written


def _normalise(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _assert_rows_kept(engine: Engine, written: dict[str, dict[str, Any]]) -> None:
    with engine.connect() as conn:
        for table, values in written.items():
            columns = ", ".join(f'"{c}"' for c in values)
            stored = conn.execute(text(f'SELECT {columns} FROM "{table}"')).all()
            stored = [tuple(_normalise(v) for v in row) for row in stored]
            expected = tuple(_normalise(v) for v in values.values())
            assert expected in stored, f"{table}: {expected} ikke blandt {stored}"


# --- (a) data written under the first migration survives upgrade to head ---------------


def test_first_revision_is_the_base() -> None:
    first = _first_revision()
    revisions = list(_script().walk_revisions())
    assert revisions[-1].revision == first
    assert revisions[0].revision == head_revision()


def test_data_survives_upgrade_from_first_revision(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        _upgrade(engine, _first_revision())
        assert current_revision(engine) == _first_revision()
        written = _fill_first_schema(engine)
        migrations.upgrade_to_head(engine, db_url)
        assert current_revision(engine) == head_revision()
        _assert_rows_kept(engine, written)
    finally:
        engine.dispose()
    # The app opens it, keeps the reference data it found, and reads the old case.
    db = open_database(db_url)
    try:
        _assert_rows_kept(db.engine, written)
        with db.session() as session:
            (case,) = export_cases(session)["cases"]
            loaded = load_case(session, _case_id(session))
            assert loaded.version == 4
            assert loaded.created_by == "anna"
        assert case == {
            "case_number": "2024-0017",
            "kind": "br",
            "subject": 'Støj på "Åboulevarden"',
            "asker": {"name": "Søren Ærø", "party": "Ø", "email": None, "role": "br"},
            "received": ["2024-12-30"],
            "channel": "email",
            "administration": "ØKF",
            "unit": "Center for Byudvikling",
            "officer": "Ib Ølgaard",
            "status": "under_udarbejdelse",
            "questions": [
                {"number": 1, "text": TEXT_WITH_EVERYTHING, "answer": "Svar\r\nmed CRLF"}
            ],
            "notes": TEXT_WITH_EVERYTHING,
            "letter": DEFAULT_LETTER,
        }
    finally:
        db.dispose()


def _case_id(session: Any) -> int:
    return int(session.execute(text('SELECT id FROM "case"')).scalar_one())


# --- (b) and (d): models and migrations agree, on both backends -------------------------


def test_alembic_check_passes(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        assert migrations.upgrade_to_head(engine, db_url) is None  # new database: no backup
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            command.check(alembic_config(conn))  # raises if the models need a migration
            tables = set(inspect(conn).get_table_names())
        # Objects made by hand-written SQL (FTS5 tables and their shadow tables) aside.
        tables = {t for t in tables if not t.startswith("case_list_search")}
        assert set(Base.metadata.tables) | {"alembic_version"} == tables
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        _upgrade(engine, "head")
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        assert current_revision(engine) is None
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        _upgrade(engine, "head")
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_open_database_is_idempotent(db_url: str) -> None:
    for _ in range(2):
        db = open_database(db_url)
        try:
            assert current_revision(db.engine) == head_revision()
            with db.engine.connect() as conn:
                count = conn.execute(text("SELECT count(*) FROM administration")).scalar_one()
            assert count == 7
        finally:
            db.dispose()


def test_upgrade_at_head_does_nothing(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        _upgrade(engine, "head")
        assert migrations.upgrade_to_head(engine, db_url) is None
    finally:
        engine.dispose()


# --- (c) SQLite files are copied aside before they are migrated ------------------------


@pytest.fixture
def newer_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A copy of the migrations with one more (empty) revision on top; returns its id."""
    source = paths.migrations_dir()
    target = tmp_path / "db"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    old_head = head_revision()
    new_head = "9999test"
    (target / "versions" / f"{new_head}_noop.py").write_text(
        f'"""test only"""\n\nrevision = "{new_head}"\ndown_revision = "{old_head}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "migrations_dir", lambda: target)
    # head_revision() is cached (start-up speed); forget the real head while patched.
    head_revision.cache_clear()
    assert head_revision() == new_head
    yield new_head
    head_revision.cache_clear()


def test_sqlite_file_is_backed_up_before_migrating(
    sqlite_url: str, newer_migrations: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    # A database file at the released head, with data, as a user has it.
    with monkeypatch.context() as m:
        m.setattr(paths, "migrations_dir", lambda: paths.bundled_dir("db"))
        head_revision.cache_clear()
        old_head = head_revision()
        db = open_database(sqlite_url)
        db.dispose()
    head_revision.cache_clear()
    engine = create_db_engine(sqlite_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO app_setting (key, value) VALUES ('merke', 'æøå')"))
        assert current_revision(engine) == old_head
        before = set(path.parent.iterdir())
        backup = migrations.upgrade_to_head(engine, sqlite_url)
        assert current_revision(engine) == newer_migrations
    finally:
        engine.dispose()
    assert backup is not None
    assert backup.exists()
    assert backup.parent == path.parent
    assert set(path.parent.iterdir()) - before >= {backup}
    assert backup.name.startswith(f"{path.stem}.before-{newer_migrations}-")
    assert backup.suffix == path.suffix
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(old_head,)]
        assert copy.execute("SELECT value FROM app_setting WHERE key = 'merke'").fetchall() == [
            ("æøå",)
        ]
        assert copy.execute("SELECT count(*) FROM administration").fetchone() == (7,)
    finally:
        copy.close()
    # Already at head: no further backup.
    engine = create_db_engine(sqlite_url)
    try:
        assert migrations.upgrade_to_head(engine, sqlite_url) is None
    finally:
        engine.dispose()


def test_new_sqlite_file_and_postgres_get_no_backup(db_url: str, newer_migrations: str) -> None:
    engine = create_db_engine(db_url)
    try:
        assert migrations.upgrade_to_head(engine, db_url) is None
        assert current_revision(engine) == newer_migrations
    finally:
        engine.dispose()


def test_old_revision_is_backed_up_only_on_sqlite(
    db_url: str, newer_migrations: str, tmp_path: Path
) -> None:
    engine = create_db_engine(db_url)
    try:
        _upgrade(engine, _first_revision())
        before = set(tmp_path.rglob("*"))
        backup = migrations.upgrade_to_head(engine, db_url)
        assert current_revision(engine) == newer_migrations
    finally:
        engine.dispose()
    if db_url.startswith("sqlite"):
        assert backup is not None and backup.exists()
    else:
        assert backup is None
        assert set(tmp_path.rglob("*")) == before


def test_backup_sqlite_file_directly(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    try:
        with db.engine.begin() as conn:
            # Left in the WAL (not yet checkpointed): the online backup still sees it.
            conn.execute(text("INSERT INTO app_setting (key, value) VALUES ('wal', 'ja')"))
        path = Path(sqlite_url.removeprefix("sqlite:///"))
        target = migrations.backup_sqlite_file(path, "manuel")
    finally:
        db.dispose()
    assert target.name.startswith(f"{path.stem}.manuel-")
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT value FROM app_setting WHERE key = 'wal'").fetchall() == [
            ("ja",)
        ]
    finally:
        copy.close()
