"""Rotating backups of a local SQLite database, and restoring one.

Copies are made with SQLite's online backup API (consistent even while the program
writes, WAL included), first to a temporary name, checked with ``quick_check`` and only
then renamed, so a half-written copy never looks like a backup.

Where: a folder ``sikkerhedskopier`` next to the database file, files named
``<name>-YYYYMMDD-HHMMSS.sqlite3``. When: at start-up (unless one was made within the last
hour) and daily while the program runs (``backup_if_due``). How many are kept
(``rotate``): the newest ``KEEP_RECENT``, plus the newest of each of the last
``KEEP_DAYS`` days and of each of the last ``KEEP_WEEKS`` weeks – about a month and a half
of history in at most ~25 files. Manual copies (``kkdesk backup --out``) and the copies
made before a migration (``<name>.before-<rev>-….sqlite3``) are never deleted by kkdesk.

PostgreSQL is backed up on the server (``pg_dump``), not by kkdesk.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kkdesk.core.errors import DatabaseError, KnownError
from kkdesk.core.sqlite_health import check_file

FOLDER = "sikkerhedskopier"
KEEP_RECENT = 5
KEEP_DAYS = 14
KEEP_WEEKS = 8
START_INTERVAL = dt.timedelta(hours=1)
DAILY_INTERVAL = dt.timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class Backup:
    """A backup file and when it was made (local time)."""

    path: Path
    made_at: dt.datetime
    automatic: bool

    @property
    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0


def backup_dir(db_path: Path) -> Path:
    """The folder of automatic backups for a database file."""
    return db_path.parent / FOLDER


def _pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}})(?:-\d+)?{re.escape(db_path.suffix)}$"
    )


def _migration_pattern(db_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(db_path.stem)}\.before-.+-(\d{{8}}-\d{{6}}){re.escape(db_path.suffix)}$"
    )


def list_backups(db_path: Path) -> list[Backup]:
    """Automatic backups and pre-migration copies of ``db_path``, newest first."""
    found: list[Backup] = []
    for folder, pattern, automatic in (
        (backup_dir(db_path), _pattern(db_path), True),
        (db_path.parent, _migration_pattern(db_path), False),
    ):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = pattern.match(entry.name)
            if match:
                made = dt.datetime.strptime(match[1], _STAMP)
                found.append(Backup(entry, made, automatic))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def newest_backup(db_path: Path) -> Path | None:
    """The newest backup that passes the integrity check, or None."""
    for backup in list_backups(db_path):
        if not check_file(backup.path):
            return backup.path
    return None


def _copy(source: Path, target: Path) -> None:
    """Online backup ``source`` → ``target`` via a temporary file, verified, then renamed."""
    temporary = target.with_name(target.name + ".tmp")
    temporary.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(str(source), timeout=30)
        try:
            dest = sqlite3.connect(str(temporary))
            try:
                src.backup(dest)
                # A self-contained file: no WAL next to the copy.
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            src.close()
        problems = check_file(temporary)
        if problems:
            raise DatabaseError(
                "Sikkerhedskopien kunne ikke bekræftes og er slettet igen.",
                detail="; ".join(problems[:3]),
            )
        os.replace(temporary, target)
    except sqlite3.Error as exc:
        raise _explain(exc, target) from exc
    except OSError as exc:
        raise KnownError(
            f"Sikkerhedskopien kunne ikke skrives til {target}: {exc.strerror}.",
            detail="Tjek at der er plads på disken, og at du må skrive i mappen.",
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _explain(exc: sqlite3.Error, target: Path) -> KnownError:
    message = str(exc).lower()
    if "full" in message:
        return KnownError(
            "Disken er fuld, så sikkerhedskopien kunne ikke tages.",
            detail=f"Frigør plads ved {target.parent}. Databasen er ikke berørt.",
        )
    return DatabaseError(f"Sikkerhedskopien kunne ikke tages: {exc}.", detail=str(target))


def make_backup(
    db_path: Path, target: Path | None = None, *, now: dt.datetime | None = None
) -> Path:
    """Copy the database; to ``target`` or, by default, into the rotating folder."""
    if not db_path.exists():
        raise KnownError(f"Databasefilen {db_path} findes ikke.")
    if target is None:
        stamp = (now or dt.datetime.now()).strftime(_STAMP)
        folder = backup_dir(db_path)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise KnownError(
                f"Mappen til sikkerhedskopier kan ikke oprettes: {folder} ({exc.strerror})."
            ) from exc
        target = folder / f"{db_path.stem}-{stamp}{db_path.suffix}"
        counter = 1
        while target.exists():  # two copies in the same second
            target = folder / f"{db_path.stem}-{stamp}-{counter}{db_path.suffix}"
            counter += 1
    elif target.is_dir():
        stamp = (now or dt.datetime.now()).strftime(_STAMP)
        target = target / f"{db_path.stem}-{stamp}{db_path.suffix}"
    _copy(db_path, target)
    return target


def keep_set(backups: list[Backup], now: dt.datetime) -> set[Path]:
    """The automatic backups rotation keeps (see the module docstring)."""
    automatic = sorted((b for b in backups if b.automatic), key=lambda b: b.made_at, reverse=True)
    keep = {b.path for b in automatic[:KEEP_RECENT]}
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in automatic:
        day = backup.made_at.date()
        age = (now.date() - day).days
        if age < KEEP_DAYS and day not in days:
            days.add(day)
            keep.add(backup.path)
        week = tuple(day.isocalendar())[:2]
        if age < KEEP_WEEKS * 7 and week not in weeks:
            weeks.add(week)  # type: ignore[arg-type]
            keep.add(backup.path)
    return keep


def rotate(db_path: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete automatic backups that rotation no longer keeps; returns what was deleted."""
    backups = list_backups(db_path)
    keep = keep_set(backups, now or dt.datetime.now())
    removed: list[Path] = []
    for backup in backups:
        if backup.automatic and backup.path not in keep:
            try:
                backup.path.unlink()
                removed.append(backup.path)
            except OSError:
                pass  # a locked or vanished file is tried again next time
    return removed


def backup_if_due(
    db_path: Path, interval: dt.timedelta = DAILY_INTERVAL, *, now: dt.datetime | None = None
) -> Path | None:
    """Make an automatic backup if the newest is older than ``interval``; then rotate."""
    now = now or dt.datetime.now()
    newest = next((b for b in list_backups(db_path) if b.automatic), None)
    if newest is not None and now - newest.made_at < interval:
        return None
    made = make_backup(db_path, now=now)
    rotate(db_path, now=now)
    return made


def restore(backup: Path, db_path: Path) -> Path | None:
    """Replace the database file with ``backup``; returns where the old file was put.

    The backup is checked first. The current file (even a damaged one) is moved aside as
    ``<name>.before-restore-<time>.sqlite3`` – never deleted. Other programs must have
    closed the database.
    """
    if not backup.exists():
        raise KnownError(f"Sikkerhedskopien {backup} findes ikke.")
    problems = check_file(backup)
    if problems:
        raise DatabaseError(
            f"{backup.name} er selv beskadiget eller ikke en database og kan ikke gendannes.",
            detail="; ".join(problems[:3]),
        )
    if not _is_kkdesk_database(backup):
        raise KnownError(f"{backup.name} er ikke en kkdesk-database.")
    _require_exclusive(db_path)
    aside: Path | None = None
    stamp = dt.datetime.now().strftime(_STAMP)
    staging = db_path.with_name(db_path.name + ".restore-tmp")
    try:
        shutil.copyfile(backup, staging)
        if db_path.exists():
            aside = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
            os.replace(db_path, aside)
        for suffix in ("-wal", "-shm", "-journal"):
            side = Path(str(db_path) + suffix)
            if side.exists():
                if aside is not None:
                    os.replace(side, Path(str(aside) + suffix))
                else:
                    side.unlink()
        os.replace(staging, db_path)
    except OSError as exc:
        raise KnownError(
            f"Gendannelsen mislykkedes: {exc.strerror}.",
            detail=f"Den tidligere fil ligger som {aside or db_path}.",
        ) from exc
    finally:
        staging.unlink(missing_ok=True)
    return aside


def _is_kkdesk_database(path: Path) -> bool:
    try:
        conn = sqlite3.connect(str(path))
        try:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return {"alembic_version", "case"} <= names


def _require_exclusive(db_path: Path) -> None:
    """Refuse to restore while another program has the database open (if it can be told)."""
    if not db_path.exists() or check_file(db_path):
        return  # nothing there, or damaged: nobody can be using it meaningfully
    try:
        conn = sqlite3.connect(str(db_path), timeout=0.5)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise KnownError(
                "Databasen er i brug. Luk kkdesk (også hos kolleger, der bruger filen) og "
                "prøv igen."
            ) from exc
        raise
