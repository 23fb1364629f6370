"""Fault tests: kill -9, two writers, a full disk, a read-only file, upgrades – with figures.

    python bench/faults.py [--kills 100] [--saves 1000] [--postgres URL] [--only NAME …]

Every scenario prints what it did and how much was lost; the goal is 0 everywhere:

* ``kill9``: a process registers cases one by one (a commit each) and is killed with
  SIGKILL at a random moment, ``--kills`` times on the same SQLite file. After each kill
  the file must pass ``PRAGMA integrity_check`` and every case the writer reported as
  saved must be there.
* ``kill9-upgrade``: the same during a migration (from the stored 0001 database): the
  file must be at the old or the new revision, never in between, and keep every row.
* ``writers``: two processes save the same case ``--saves`` times in all, each save
  appending its own line to the notes after reading the case (as the program does:
  read, edit, save with the version read). A lost update would drop a line. On SQLite and,
  with ``--postgres``, on PostgreSQL. A control run without the version check shows that
  the test does detect lost updates.
* ``full-disk`` (root only): a 2 MB tmpfs fills up: the error must be the Danish "Disken er
  fuld", the file sound, every saved case present; after freeing space saving works.
* ``read-only``: a database on a read-only file system (root) or a read-only file.
* ``upgrades``: every stored database of an earlier schema version
  (tests/fixtures/dbs) is upgraded to the newest; no row of any table may be lost. On
  PostgreSQL the stored data is first loaded at its revision.

The pytest suite runs the same functions with small numbers (tests/test_faults.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DBS = ROOT / "tests" / "fixtures" / "dbs"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, MetaData, create_engine, inspect, select, text  # noqa: E402

from kkdesk.core import sqlite_health  # noqa: E402
from kkdesk.core.drafts import AskerRef, CaseDraft, QuestionDraft  # noqa: E402


def _draft(index: int, notes: str = "") -> CaseDraft:
    return CaseDraft(
        subject=f"Fejltest {index}: støj på Åboulevarden 🚧",
        asker=AskerRef(name="Åse Ørsted", party="Ø"),
        received=[dt.date(2025, 5, 22)],
        administration="TMF",
        notes=notes,
        questions=[QuestionDraft(1, "Hvornår stopper det?"), QuestionDraft(2, "Hvem betaler?")],
    )


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env.setdefault("KKDESK_HOME", tempfile.mkdtemp(prefix="kkdesk-faults-home-"))
    env.pop("KKDESK_DATABASE_URL", None)
    return env


def _child(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(),
    )


# --- children (run in their own processes) ---------------------------------------------


def child_writer(url: str) -> None:
    """Register cases forever; print each case number once its commit returned."""
    from kkdesk.core.cases import create_case
    from kkdesk.core.database import open_database

    db = open_database(url)
    print("READY", flush=True)
    index = 0
    while True:
        with db.session() as session:
            number = create_case(session, _draft(index), "skriver").case_number
        print(number, flush=True)
        index += 1


def child_migrator(url: str) -> None:
    from kkdesk.core.database import open_database

    print("READY", flush=True)
    open_database(url).dispose()
    print("DONE", flush=True)


def child_saver(url: str, case_id: str, tag: str, count: str, locked: str) -> None:
    """Save the same case ``count`` times, each appending ``<tag>-<n>`` to the notes."""
    from kkdesk.core.cases import case_to_draft, load_case, update_case
    from kkdesk.core.database import open_database
    from kkdesk.core.errors import ConflictError, DatabaseError

    db = open_database(url, migrate=False)
    done = conflicts = busy = 0
    while done < int(count):
        line = f"{tag}-{done}"
        # Read in one action and save in another, as the case window does.
        with db.session() as session:
            case = load_case(session, int(case_id))
            draft, version, notes = case_to_draft(case), case.version, case.notes
        draft.notes = f"{notes}\n{line}" if notes else line
        try:
            with db.session() as session:
                if locked == "1":
                    update_case(session, int(case_id), draft, expected_version=version, user=tag)
                else:  # the control: read-modify-write without the version check
                    session.execute(
                        text('UPDATE "case" SET notes = :n WHERE id = :i'),
                        {"n": draft.notes, "i": int(case_id)},
                    )
        except ConflictError:
            conflicts += 1
            continue
        except DatabaseError as exc:
            if "optaget" not in exc.message:
                raise
            busy += 1
            continue
        print(f"OK {line}", flush=True)
        done += 1
    print(f"STATS {conflicts} {busy}", flush=True)


# --- helpers -------------------------------------------------------------------------------


def _sqlite_numbers(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute('SELECT case_number FROM "case"')}
    finally:
        conn.close()


def _read_lines(process: subprocess.Popen[str]) -> list[str]:
    out, _err = process.communicate(timeout=60)
    return [line for line in out.splitlines() if line]


def _wait_ready(process: subprocess.Popen[str], timeout: float = 60) -> None:
    assert process.stdout is not None
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        line = process.stdout.readline()
        if line.strip() == "READY":
            return
        if not line and process.poll() is not None:
            raise RuntimeError(f"barnet døde: {process.stderr.read() if process.stderr else ''}")
    raise RuntimeError("barnet blev aldrig klar")


# --- kill -9 --------------------------------------------------------------------------------


@dataclass
class KillResult:
    rounds: int = 0
    reported: int = 0
    present: int = 0
    lost: int = 0
    integrity_failures: int = 0
    unreported_but_saved: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"kill -9 af en skrivende proces: {self.rounds} gange på {self.seconds:.0f} s",
            f"  sager meldt gemt: {self.reported}, til stede bagefter: {self.present}",
            f"  tabt: {self.lost}; integritetsfejl: {self.integrity_failures}; "
            f"gemt men ikke nået at blive meldt: {self.unreported_but_saved}",
        ]


def kill9(workdir: Path, rounds: int, *, seed: int = 1) -> KillResult:
    """Kill a writing process ``rounds`` times at random points (see the module docstring)."""
    from kkdesk.core.database import open_database

    rng = random.Random(seed)
    path = workdir / "kill9.sqlite3"
    url = f"sqlite:///{path}"
    open_database(url).dispose()
    result = KillResult()
    reported: set[str] = set()
    start = time.perf_counter()
    for _ in range(rounds):
        process = _child("writer", url)
        _wait_ready(process)
        time.sleep(rng.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        reported |= {line for line in _read_lines(process) if line[:2] == "20"}
        result.rounds += 1
        if sqlite_health.check_file(path, full=True):
            result.integrity_failures += 1
        present = _sqlite_numbers(path)
        result.lost = len(reported - present)
        result.unreported_but_saved = len(present - reported)
        result.present = len(present)
    result.reported = len(reported)
    result.seconds = time.perf_counter() - start
    return result


@dataclass
class MigrationKillResult:
    rounds: int = 0
    at_old: int = 0
    at_new: int = 0
    half_migrated: int = 0
    integrity_failures: int = 0
    lost_rows: int = 0

    def lines(self) -> list[str]:
        return [
            f"kill -9 under opgradering fra 0001: {self.rounds} gange",
            f"  stadig 0001: {self.at_old}, færdig: {self.at_new}, halvt opgraderet: "
            f"{self.half_migrated}; integritetsfejl: {self.integrity_failures}; "
            f"tabte rækker: {self.lost_rows}",
        ]


def kill9_upgrade(workdir: Path, rounds: int, *, seed: int = 2) -> MigrationKillResult:
    from kkdesk.core.migrations import head_revision

    rng = random.Random(seed)
    source = FIXTURE_DBS / "kkdesk-0001.sqlite3"
    before = table_rows(_sqlite_engine(source))
    result = MigrationKillResult()
    for round_ in range(rounds):
        path = workdir / f"upgrade-{round_}.sqlite3"
        shutil.copyfile(source, path)
        process = _child("migrator", f"sqlite:///{path}")
        _wait_ready(process)
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        result.rounds += 1
        if sqlite_health.check_file(path, full=True):
            result.integrity_failures += 1
            continue
        engine = _sqlite_engine(path)
        try:
            revision = _revision(engine)
            tables = set(inspect(engine).get_table_names())
            if revision == "0001" and "app_user" not in tables:
                result.at_old += 1
            elif revision == head_revision():
                result.at_new += 1
            else:
                result.half_migrated += 1
            result.lost_rows += sum(lost_rows(before, engine).values())
        finally:
            engine.dispose()
    return result


# --- two writers ----------------------------------------------------------------------------


@dataclass
class WritersResult:
    backend: str
    locked: bool
    saves: int = 0
    conflicts: int = 0
    busy: int = 0
    lost: int = 0
    history_lines: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        what = "med versionskontrol" if self.locked else "KONTROL uden versionskontrol"
        extra = f", historiklinjer: {self.history_lines}" if self.locked else ""
        return [
            f"to processer gemmer samme sag, {self.backend}, {what}: {self.saves} gem på "
            f"{self.seconds:.0f} s",
            f"  konflikter (genindlæst og gemt igen): {self.conflicts}, optaget: {self.busy}, "
            f"tabte opdateringer: {self.lost}{extra}",
        ]


def writers(url: str, saves: int, *, locked: bool = True) -> WritersResult:
    """Two processes save the same case ``saves`` times in all (see the module docstring)."""
    from kkdesk.core.cases import create_case
    from kkdesk.core.database import open_database
    from kkdesk.core.models import Case, CaseEvent

    db = open_database(url)
    try:
        with db.session() as session:
            case_id = create_case(session, _draft(0), "start").id
    finally:
        db.dispose()
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    result = WritersResult(backend, locked)
    start = time.perf_counter()
    half = saves // 2
    children = [
        _child("saver", url, str(case_id), tag, str(count), "1" if locked else "0")
        for tag, count in (("a", half), ("b", saves - half))
    ]
    saved: set[str] = set()
    for child in children:
        out, err = child.communicate(timeout=1800)
        if child.returncode != 0:
            raise RuntimeError(f"en gemmende proces fejlede:\n{err}")
        for line in out.splitlines():
            if line.startswith("OK "):
                saved.add(line[3:])
            elif line.startswith("STATS "):
                conflicts, busy = line.split()[1:]
                result.conflicts += int(conflicts)
                result.busy += int(busy)
    result.seconds = time.perf_counter() - start
    result.saves = len(saved)
    db = open_database(url, migrate=False)
    try:
        with db.session() as session:
            notes = session.get(Case, case_id).notes  # type: ignore[union-attr]
            result.history_lines = len(
                session.scalars(
                    select(CaseEvent.id).where(
                        CaseEvent.case_id == case_id, CaseEvent.field == "Noter"
                    )
                ).all()
            )
    finally:
        db.dispose()
    result.lost = len(saved - set(notes.splitlines()))
    return result


# --- full disk and read-only ------------------------------------------------------------------


@dataclass
class DiskResult:
    name: str
    saved: int = 0
    message: str = ""
    integrity_ok: bool = False
    lost: int = 0
    recovered: bool = False
    skipped: str = ""

    def lines(self) -> list[str]:
        if self.skipped:
            return [f"{self.name}: sprunget over ({self.skipped})"]
        after = "; gemmer igen efter oprydning" if self.recovered else ""
        return [
            f"{self.name}: {self.saved} sager gemt før fejlen; besked: «{self.message}»",
            f"  integritet: {'ok' if self.integrity_ok else 'FEJL'}; tabt: {self.lost}{after}",
        ]


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def _tmpfs(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def full_disk(workdir: Path) -> DiskResult:
    from kkdesk.core.cases import create_case
    from kkdesk.core.database import open_database
    from kkdesk.core.errors import DatabaseError

    result = DiskResult("fuld disk (2 MB tmpfs)")
    if not _is_root():
        result.skipped = "kræver root til mount"
        return result
    with _tmpfs(workdir / "fuld-disk", "2m") as disk:
        filler = disk / "andre-filer.bin"
        filler.write_bytes(b"\0" * 600_000)
        path = disk / "kkdesk.sqlite3"
        db = open_database(f"sqlite:///{path}")
        saved: list[str] = []
        try:
            for index in range(5000):
                try:
                    with db.session() as session:
                        number = create_case(session, _draft(index, "x" * 20_000), "t").case_number
                    saved.append(number)
                except DatabaseError as exc:
                    result.message = exc.message
                    break
            filler.unlink()
            with db.session() as session:
                saved.append(create_case(session, _draft(-1), "t").case_number)
            result.recovered = True
        finally:
            db.dispose()
        result.saved = len(saved) - 1
        result.integrity_ok = not sqlite_health.check_file(path, full=True)
        result.lost = len(set(saved) - _sqlite_numbers(path))
    return result


def read_only(workdir: Path) -> DiskResult:
    from kkdesk.core.cases import create_case
    from kkdesk.core.database import open_database
    from kkdesk.core.errors import KnownError

    result = DiskResult("skrivebeskyttet database")
    folder = workdir / "skrivebeskyttet"
    mounted = _is_root()
    if mounted:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], check=True)
    else:
        folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kkdesk.sqlite3"
    try:
        db = open_database(f"sqlite:///{path}")
        with db.session() as session:
            numbers = [create_case(session, _draft(i), "t").case_number for i in range(3)]
        db.dispose()
        result.saved = len(numbers)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            path.chmod(0o444)
            folder.chmod(0o555)
        try:
            db = open_database(f"sqlite:///{path}")
            with db.session() as session:
                create_case(session, _draft(9), "t")
            db.dispose()
            result.message = "(ingen fejl!)"
        except KnownError as exc:
            result.message = exc.message
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        present = {row[0] for row in conn.execute('SELECT case_number FROM "case"')}
        result.integrity_ok = conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()
        result.lost = len(set(numbers) - present)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)
    return result


# --- upgrades from every stored schema version ------------------------------------------------

# Search indexes (FTS5 and their shadow tables) are derived data, rebuilt by triggers.
SKIP_TABLES = ("alembic_version", "case_list_search", "case_fts", "sqlite_")


def _sqlite_engine(path: Path) -> Engine:
    return create_engine(f"sqlite:///{path}")


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _normal(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


Rows = dict[str, tuple[list[str], set[tuple[Any, ...]]]]


def table_rows(engine: Engine) -> Rows:
    """Every row of every table, as tuples of normalised values (columns sorted by name)."""
    found: Rows = {}
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        for name, table in metadata.tables.items():
            if name.startswith(SKIP_TABLES):
                continue
            columns = sorted(c.name for c in table.columns)
            rows = conn.execute(select(*(table.c[c] for c in columns))).all()
            found[name] = (columns, {tuple(_normal(v) for v in row) for row in rows})
    engine.dispose()
    return found


def lost_rows(before: Rows, engine: Engine) -> dict[str, int]:
    """Rows of ``before`` missing in ``engine`` (compared on the columns that still exist)."""
    after_meta = MetaData()
    after_meta.reflect(engine)
    lost: dict[str, int] = {}
    with engine.connect() as conn:
        for name, (columns, rows) in before.items():
            table = after_meta.tables.get(name)
            if table is None:
                lost[name] = len(rows)
                continue
            kept = [c for c in columns if c in table.c]
            stored = {
                tuple(_normal(v) for v in row)
                for row in conn.execute(select(*(table.c[c] for c in kept))).all()
            }
            indexes = [columns.index(c) for c in kept]
            missing = {tuple(row[i] for i in indexes) for row in rows} - stored
            if missing:
                lost[name] = len(missing)
    engine.dispose()
    return lost


def load_into_postgres(source: Path, url: str) -> str:
    """Recreate the stored SQLite database's revision and rows on PostgreSQL."""
    from alembic import command

    from kkdesk.core.migrations import alembic_config

    revision = _revision(_sqlite_engine(source))
    assert revision is not None
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
        target = MetaData()
        target.reflect(engine)
        sqlite = _sqlite_engine(source)
        origin = MetaData()
        origin.reflect(sqlite)
        with sqlite.connect() as src, engine.begin() as dest:
            for table in target.sorted_tables:
                if table.name.startswith(SKIP_TABLES) or table.name not in origin.tables:
                    continue
                rows = [
                    dict(row._mapping) for row in src.execute(select(origin.tables[table.name]))
                ]
                if rows:
                    dest.execute(table.insert(), rows)
                if "id" in table.c:
                    dest.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'coalesce(max(id), 0) + 1, false) FROM "{table.name}"'
                        )
                    )
        sqlite.dispose()
    finally:
        engine.dispose()
    return revision


@dataclass
class UpgradeResult:
    source: str
    backend: str
    revision: str
    rows: int = 0
    lost: dict[str, int] = field(default_factory=dict)
    usable: bool = False

    def lines(self) -> list[str]:
        lost = sum(self.lost.values())
        detail = f" ({self.lost})" if lost else ""
        return [
            f"opgradering {self.revision} → nyeste, {self.backend}: {self.rows} rækker før, "
            f"tabt: {lost}{detail}; derefter brugbar: {'ja' if self.usable else 'NEJ'}"
        ]


def upgrade_stored(source: Path, workdir: Path, postgres_url: str | None = None) -> UpgradeResult:
    """Upgrade a copy of a stored database (SQLite, or loaded into PostgreSQL)."""
    from kkdesk.core.cases import case_to_draft, create_case, load_case, update_case
    from kkdesk.core.database import open_database

    before = table_rows(_sqlite_engine(source))
    if postgres_url:
        revision = load_into_postgres(source, postgres_url)
        url = postgres_url
        backend = "PostgreSQL"
    else:
        copy = workdir / f"upgrade-{source.name}"
        shutil.copyfile(source, copy)
        revision = _revision(_sqlite_engine(copy)) or "?"
        url = f"sqlite:///{copy}"
        backend = "SQLite"
    result = UpgradeResult(source.name, backend, revision)
    result.rows = sum(len(rows) for _columns, rows in before.values())
    db = open_database(url)
    try:
        result.lost = lost_rows(before, db.engine)
        # Still a working register: an old case can be changed, a new one registered.
        with db.session() as session:
            case_id = session.scalars(text('SELECT id FROM "case" ORDER BY id LIMIT 1')).one()
            case = load_case(session, case_id)
            draft = case_to_draft(case)
            draft.notes += "\nRettet efter opgraderingen"
            update_case(session, case_id, draft, expected_version=case.version, user="test")
            create_case(session, _draft(1), "test")
        result.usable = True
    finally:
        db.dispose()
    return result


def stored_databases() -> list[Path]:
    return sorted(FIXTURE_DBS.glob("kkdesk-*.sqlite3"))


# --- main ----------------------------------------------------------------------------------


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


SCENARIOS = ("kill9", "kill9-upgrade", "writers", "full-disk", "read-only", "upgrades")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--upgrade-kills", type=int, default=20)
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("KKDESK_BENCH_POSTGRES_URL", ""),
        metavar="URL",
        help="a PostgreSQL database the test may empty (else only SQLite)",
    )
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        {"writer": child_writer, "migrator": child_migrator, "saver": child_saver}[kind](*rest)
        return 0
    os.environ.setdefault("KKDESK_HOME", tempfile.mkdtemp(prefix="kkdesk-faults-home-"))
    os.environ.pop("KKDESK_DATABASE_URL", None)
    lost_total = 0
    failures = 0
    with tempfile.TemporaryDirectory(prefix="kkdesk-faults-") as tmp:
        work = Path(tmp)
        results: list[Any] = []
        if "kill9" in args.only:
            results.append(kill9(work, args.kills))
        if "kill9-upgrade" in args.only:
            results.append(kill9_upgrade(work, args.upgrade_kills))
        if "writers" in args.only:
            results.append(writers(f"sqlite:///{work / 'writers.sqlite3'}", args.saves))
            if args.postgres:
                _reset_postgres(args.postgres)
                results.append(writers(args.postgres, args.saves))
            control = writers(f"sqlite:///{work / 'control.sqlite3'}", 200, locked=False)
        else:
            control = None
        if "full-disk" in args.only:
            results.append(full_disk(work))
        if "read-only" in args.only:
            results.append(read_only(work))
        if "upgrades" in args.only:
            for source in stored_databases():
                results.append(upgrade_stored(source, work))
                if args.postgres:
                    results.append(upgrade_stored(source, work, args.postgres))
        for result in results:
            print("\n".join(result.lines()))
            lost = getattr(result, "lost", 0)
            lost_total += sum(lost.values()) if isinstance(lost, dict) else lost
            failures += getattr(result, "integrity_failures", 0)
            failures += getattr(result, "half_migrated", 0)
            failures += getattr(result, "lost_rows", 0)
        if control is not None:
            print("\n".join(control.lines()))
            print("  (kontrollen viser, at testen opdager tabte opdateringer; den tæller ikke med)")
    print(f"I alt tabt: {lost_total}; integritetsfejl og halve opgraderinger: {failures}")
    return 0 if lost_total == 0 and failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
