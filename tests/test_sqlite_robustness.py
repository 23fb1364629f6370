"""SQLite robustness: journal mode and network shares, busy databases, integrity checks,
rotating backups and restore, all-or-nothing migrations, full disks and read-only files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from kkdesk.core import backups, database, migrations, paths, sqlite_health
from kkdesk.core.cases import create_case
from kkdesk.core.database import create_db_engine, open_database
from kkdesk.core.errors import DatabaseError, KnownError
from kkdesk.core.migrations import current_revision, head_revision
from tests.conftest import build_draft

MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//filserver/afdeling /mnt/afdeling cifs rw,vers=3.0 0 0
filer:/export/home /home/delt nfs4 rw 0 0
/dev/vdb1 /home/delt/lokal ext4 rw 0 0
//nas/med\\040mellemrum /mnt/med\\040mellemrum smb3 rw 0 0
"""


def _path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _fill(url: str, count: int = 3) -> list[str]:
    db = open_database(url)
    try:
        with db.session() as session:
            return [
                create_case(session, build_draft(subject=f"Sag {i}"), "test").case_number
                for i in range(count)
            ]
    finally:
        db.dispose()


def _numbers(path: Path, *, immutable: bool = False) -> list[str]:
    # A WAL file on a read-only disk opens only as "immutable" (no shared memory file).
    conn = (
        sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        if immutable
        else sqlite3.connect(path)
    )
    try:
        return [row[0] for row in conn.execute('SELECT case_number FROM "case" ORDER BY id')]
    finally:
        conn.close()


# --- network shares and journal mode -----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/home/anna/kkdesk.sqlite3", False),
        ("/mnt/afdeling/kkdesk/kkdesk.sqlite3", True),
        ("/home/delt/kkdesk.sqlite3", True),
        ("/home/delt/lokal/kkdesk.sqlite3", False),  # a local disk mounted inside the share
        ("/mnt/med mellemrum/kkdesk.sqlite3", True),
        ("/mnt/afdelingen/kkdesk.sqlite3", False),  # a prefix is not a parent folder
    ],
)
def test_network_mounts_on_linux(path: str, network: bool) -> None:
    assert (
        sqlite_health.is_network_path(Path(path), platform="linux", mounts_text=MOUNTS) is network
    )


def test_unc_paths_on_windows() -> None:
    assert sqlite_health.is_network_path(
        Path("//filserver/afdeling/kkdesk.sqlite3"), platform="win32"
    )
    assert sqlite_health.is_network_path(
        Path("\\\\filserver\\afdeling\\k.sqlite3"), platform="win32"
    )


def test_local_file_uses_wal(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert db.warnings == []
    finally:
        db.dispose()


def test_network_share_gets_rollback_journal_and_a_warning(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(sqlite_url, 1)  # made in WAL mode on a "local" disk …
    monkeypatch.setattr(sqlite_health, "is_network_path", lambda _path, **_kw: True)
    db = open_database(sqlite_url)  # … then the folder is moved to a share
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        (warning,) = db.warnings
        assert "netværksdrev" in warning and "PostgreSQL" in warning
        with db.session() as session:
            create_case(session, build_draft(), "test")
    finally:
        db.dispose()
    assert not Path(str(_path(sqlite_url)) + "-wal").exists()
    assert len(_numbers(_path(sqlite_url))) == 2


# --- a busy database ---------------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 400)
    return 400


def test_busy_database_is_retried_then_reported(sqlite_url: str, short_busy_timeout: int) -> None:
    _fill(sqlite_url, 1)
    db = open_database(sqlite_url)
    blocker = sqlite3.connect(_path(sqlite_url), isolation_level=None, check_same_thread=False)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        with pytest.raises(DatabaseError) as info, db.session() as session:
            create_case(session, build_draft(subject="Venter"), "test")
        assert info.value.message == "Databasen er optaget af et andet program eller en kollega."
        assert "intet er gemt" in info.value.detail
        # Released within the timeout: SQLite's busy handler retries and the save succeeds.
        timer = threading.Timer(0.15, lambda: blocker.execute("COMMIT"))
        blocker.execute("COMMIT")
        blocker.execute("BEGIN IMMEDIATE")
        timer.start()
        with db.session() as session:
            create_case(session, build_draft(subject="Kom igennem"), "test")
        timer.join()
    finally:
        blocker.close()
        db.dispose()
    assert len(_numbers(_path(sqlite_url))) == 2


# --- integrity ---------------------------------------------------------------------------


def _damage(path: Path) -> None:
    """Overwrite pages in the middle of the file (as a failing disk or a bad copy would)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(4096 * 2, size - 4096, 4096 * 3):
            handle.seek(offset + 100)
            handle.write(os.urandom(512))


def _checkpointed(url: str, count: int = 60) -> Path:
    _fill(url, count)
    path = _path(url)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def test_quick_check_finds_damage_and_names_the_newest_backup(sqlite_url: str) -> None:
    path = _checkpointed(sqlite_url)
    assert sqlite_health.check_file(path) == []
    older = backups.make_backup(path, now=dt.datetime(2025, 5, 1, 8, 0))
    newer = backups.make_backup(path, now=dt.datetime(2025, 5, 2, 8, 0))
    _damage(path)
    problems = sqlite_health.check_file(path)
    assert problems
    with pytest.raises(sqlite_health.DamagedDatabaseError) as info:
        sqlite_health.require_sound(path)
    assert info.value.backup == newer != older
    assert info.value.message == f"Databasefilen {path.name} er beskadiget."
    assert newer.name in info.value.detail
    # Restoring keeps the damaged file aside and gives a sound database with the data.
    aside = backups.restore(info.value.backup, path)
    assert aside is not None and aside.exists() and sqlite_health.check_file(aside)
    assert sqlite_health.check_file(path) == []
    assert len(_numbers(path)) == 60


def test_a_file_that_is_no_database(tmp_path: Path) -> None:
    path = tmp_path / "kkdesk.sqlite3"
    path.write_bytes(b"Dette er et Word-dokument, ikke en database. " * 200)
    assert sqlite_health.check_file(path)
    with pytest.raises(sqlite_health.DamagedDatabaseError) as info:
        sqlite_health.require_sound(path)
    assert info.value.backup is None
    assert "Der er ingen sikkerhedskopi" in info.value.detail
    with pytest.raises(DatabaseError) as opened:
        open_database(f"sqlite:///{path}")
    assert "beskadiget eller er ikke en kkdesk-database" in opened.value.message


# --- backups -----------------------------------------------------------------------------


def test_backup_is_consistent_while_the_program_writes(sqlite_url: str) -> None:
    numbers = _fill(sqlite_url, 5)
    db = open_database(sqlite_url)
    try:
        with db.session() as session:  # committed, still in the WAL
            numbers.append(create_case(session, build_draft(), "test").case_number)
        copy = backups.make_backup(_path(sqlite_url))
    finally:
        db.dispose()
    assert copy.parent == _path(sqlite_url).parent / "sikkerhedskopier"
    assert _numbers(copy) == numbers
    assert not Path(str(copy) + "-wal").exists()


def test_rotation_keeps_recent_daily_and_weekly_copies(tmp_path: Path) -> None:
    path = tmp_path / "kkdesk.sqlite3"
    folder = tmp_path / "sikkerhedskopier"
    folder.mkdir()
    now = dt.datetime(2025, 6, 30, 12, 0)
    made = []
    for hours in range(0, 24 * 90, 6):  # every six hours for 90 days
        when = now - dt.timedelta(hours=hours)
        name = folder / f"kkdesk-{when:%Y%m%d-%H%M%S}.sqlite3"
        name.write_bytes(b"x")
        made.append(when)
    manual = tmp_path / "kkdesk.before-0007_team-20250101-080000.sqlite3"
    manual.write_bytes(b"x")
    backups.rotate(path, now=now)
    kept = backups.list_backups(path)
    automatic = [b.made_at for b in kept if b.automatic]
    assert automatic[:5] == made[:5]  # the newest five
    days = {b.date() for b in automatic}
    assert {(now - dt.timedelta(days=d)).date() for d in range(14)} <= days
    assert len(automatic) <= 5 + 14 + 8
    assert min(automatic) >= now - dt.timedelta(weeks=8)
    assert manual.exists()  # never deleted by rotation


def test_backup_if_due(sqlite_url: str) -> None:
    path = _checkpointed(sqlite_url, 1)
    start = dt.datetime(2025, 5, 22, 8, 0)
    first = backups.backup_if_due(path, backups.START_INTERVAL, now=start)
    assert first is not None
    soon = start + dt.timedelta(minutes=30)
    assert backups.backup_if_due(path, backups.START_INTERVAL, now=soon) is None
    assert backups.backup_if_due(path, backups.DAILY_INTERVAL, now=soon) is None
    tomorrow = start + dt.timedelta(hours=25)
    assert backups.backup_if_due(path, backups.DAILY_INTERVAL, now=tomorrow) is not None


def test_restore_refuses_bad_backups(sqlite_url: str, tmp_path: Path) -> None:
    path = _checkpointed(sqlite_url, 2)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"ikke en database" * 100)
    with pytest.raises(DatabaseError):
        backups.restore(broken, path)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(KnownError) as info:
        backups.restore(other, path)
    assert info.value.message == "other.sqlite3 er ikke en kkdesk-database."
    with pytest.raises(KnownError):
        backups.restore(tmp_path / "findes-ikke.sqlite3", path)
    assert len(_numbers(path)) == 2


def test_restore_refuses_while_in_use(sqlite_url: str) -> None:
    path = _checkpointed(sqlite_url, 1)
    copy = backups.make_backup(path)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        with pytest.raises(KnownError) as info:
            backups.restore(copy, path)
        assert info.value.message.startswith("Databasen er i brug.")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# --- migrations: a backup first, then all or nothing ------------------------------------


@pytest.fixture
def failing_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real migrations plus one on top that does real work and then fails."""
    target = tmp_path / "db"
    shutil.copytree(
        paths.migrations_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3")
    )
    old_head = head_revision()
    (target / "versions" / "9999_fails.py").write_text(
        f'"""test only"""\n\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "9999fail"\ndown_revision = "{old_head}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        '    op.create_table("halvfaerdig", sa.Column("id", sa.Integer, primary_key=True))\n'
        '    op.add_column("party", sa.Column("halvt", sa.String(), server_default="x"))\n'
        "    op.execute(\"UPDATE party SET name = 'ØDELAGT'\")\n"
        '    raise RuntimeError("migrationen fejler midtvejs")\n\n\n'
        "def downgrade() -> None:\n    pass\n",
        encoding="utf-8",
    )
    head_revision.cache_clear()
    monkeypatch.setattr(paths, "migrations_dir", lambda: target)
    yield old_head
    head_revision.cache_clear()


def _schema(url: str) -> tuple[set[str], set[str], list[str]]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("party")}
            names = [row[0] for row in conn.execute(text("SELECT name FROM party ORDER BY id"))]
        return tables, columns, names
    finally:
        engine.dispose()


def test_a_failing_migration_changes_nothing(db_url: str, failing_migration: str) -> None:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(paths, "migrations_dir", lambda: paths.bundled_dir("db"))
        head_revision.cache_clear()
        _fill(db_url, 2)
    head_revision.cache_clear()
    before = _schema(db_url)
    with pytest.raises(DatabaseError) as info:
        open_database(db_url)
    assert info.value.message == (
        "Opgraderingen af databasen mislykkedes. Intet er ændret; databasen er som før."
    )
    assert "migrationen fejler midtvejs" in info.value.detail
    assert _schema(db_url) == before
    engine = create_db_engine(db_url)
    try:
        assert current_revision(engine) == failing_migration
    finally:
        engine.dispose()


def test_a_failing_chain_from_the_first_revision_stays_at_the_first(
    db_url: str, failing_migration: str
) -> None:
    engine = create_db_engine(db_url)
    try:
        with engine.begin() as conn:
            from alembic import command

            command.upgrade(migrations.alembic_config(conn), "0001")
        with pytest.raises(DatabaseError):
            migrations.upgrade_to_head(engine, db_url)
        assert current_revision(engine) == "0001"
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert "app_user" not in tables and "letter_appendix" not in tables
    finally:
        engine.dispose()


# --- a full disk and a read-only file ------------------------------------------------------


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs (root only)."""
    if not _is_root() or shutil.which("mount") is None:
        pytest.skip("kræver root (mount -t tmpfs)")
    mount = tmp_path / "lille-disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"tmpfs kan ikke monteres: {result.stderr.decode(errors='replace')}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_gives_a_clear_message_and_loses_nothing(tiny_disk: Path) -> None:
    filler = tiny_disk / "andre-filer.bin"
    filler.write_bytes(b"\0" * 600_000)  # the disk also holds other files
    url = f"sqlite:///{tiny_disk / 'kkdesk.sqlite3'}"
    db = open_database(url)
    saved: list[str] = []
    message = None
    try:
        for i in range(2000):
            try:
                with db.session() as session:
                    draft = build_draft(subject=f"Sag {i}", notes="x" * 20_000)
                    number = create_case(session, draft, "test").case_number
                saved.append(number)  # only once committed
            except DatabaseError as exc:
                message = exc
                break
        assert message is not None, "disken blev aldrig fuld"
        assert message.message == "Disken er fuld, så ændringen kunne ikke gemmes."
        assert len(saved) > 5
        # Space freed: work goes on in the same program.
        filler.unlink()
        with db.session() as session:
            saved.append(create_case(session, build_draft(), "test").case_number)
    finally:
        db.dispose()
    path = tiny_disk / "kkdesk.sqlite3"
    assert sqlite_health.check_file(path) == []
    assert _numbers(path) == saved


@pytest.fixture
def read_only_database(tmp_path: Path) -> Iterator[Path]:
    """A database with two cases that cannot be written: on a read-only mounted file
    system as root (root ignores file permissions), else a read-only file and folder."""
    if _is_root():
        folder = tmp_path / "skrivebeskyttet"
        folder.mkdir()
        if subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], check=False
        ).returncode:
            pytest.skip("tmpfs kan ikke monteres")
        try:
            _checkpointed(f"sqlite:///{folder / 'kkdesk.sqlite3'}", 2)
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            yield folder / "kkdesk.sqlite3"
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    folder = tmp_path / "skrivebeskyttet"
    folder.mkdir()
    path = folder / "kkdesk.sqlite3"
    _checkpointed(f"sqlite:///{path}", 2)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield path
    finally:
        folder.chmod(0o755)


def test_read_only_database_gives_a_clear_message(
    read_only_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kkdesk.cli import main

    code = main(["--db", str(read_only_database), "case", "import", str(CASES)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("Fejl: Databasen kan kun læses, ikke ændres."), err
    assert _numbers(read_only_database, immutable=True) == ["2025-0001", "2025-0002"]


CASES = Path(__file__).parent / "fixtures" / "cases.json"


def test_migration_backup_names_the_copy_when_it_fails(
    sqlite_url: str, failing_migration: str
) -> None:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(paths, "migrations_dir", lambda: paths.bundled_dir("db"))
        head_revision.cache_clear()
        _fill(sqlite_url, 1)
    head_revision.cache_clear()
    with pytest.raises(DatabaseError) as info:
        open_database(sqlite_url)
    copies = list(_path(sqlite_url).parent.glob("*.before-9999fail-*.sqlite3"))
    assert len(copies) == 1
    assert copies[0].name in info.value.detail
