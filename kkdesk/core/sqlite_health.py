"""Keeping a local SQLite file healthy: the journal mode, network shares, integrity checks.

* On a local disk kkdesk uses WAL (readers never wait for the writer, a crash loses no
  committed transaction).
* WAL needs shared memory between the processes that use the file, which does not work
  across PCs on a network share (SMB/CIFS, NFS, a mapped drive). A file there gets the
  classic rollback journal (``journal_mode=DELETE``) and the user is told that a team
  should use PostgreSQL.
* ``quick_check`` runs at start-up; a damaged file raises ``DamagedDatabaseError``, which
  names the newest backup so the program can offer to restore it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from kkdesk.core.errors import DatabaseError

# File systems on another machine (Linux names as in /proc/mounts).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "davfs",
        "fuse.davfs2",
        "lustre",
        "gpfs",
        "ocfs2",
        "gfs2",
    }
)
DRIVE_REMOTE = 4  # GetDriveTypeW


def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal (\040 …).
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_fstype(path: Path, mounts_text: str | None = None) -> str | None:
    """The file system type of the mount that holds ``path`` (Linux), or None."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best: tuple[int, str] | None = None
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fstype = _unescape_mount(parts[1]), parts[2]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fstype)
    return best[1] if best else None


def _windows_drive_is_remote(path: Path) -> bool:  # pragma: no cover - Windows only
    import ctypes

    root = f"{path.drive}\\"
    return bool(ctypes.windll.kernel32.GetDriveTypeW(root) == DRIVE_REMOTE)  # type: ignore[attr-defined]


def is_network_path(
    path: Path, *, platform: str | None = None, mounts_text: str | None = None
) -> bool:
    """True if ``path`` is on another machine: a UNC path or mapped network drive on
    Windows, an NFS/SMB/… mount on Linux and macOS."""
    platform = platform or sys.platform
    text = str(path)
    if platform == "win32":
        if text.startswith(("\\\\", "//")):
            return True
        try:
            return _windows_drive_is_remote(path)
        except (OSError, AttributeError, ValueError):
            return False
    resolved = path if mounts_text is not None else _resolve(path)
    fstype = mount_fstype(resolved, mounts_text)
    return fstype is not None and (fstype in NETWORK_FILESYSTEMS or fstype.startswith("nfs"))


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def journal_mode_for(path: Path) -> str:
    """``"wal"`` on a local disk, ``"delete"`` on a network share."""
    return "delete" if is_network_path(path.parent if not path.exists() else path) else "wal"


def network_warning(path: Path) -> str:
    """The Danish notice shown when the database file is on a network share."""
    return (
        f"Databasefilen ligger på et netværksdrev ({path}). kkdesk gemmer derfor på den "
        "langsommere, sikre måde (uden WAL), og kun én ad gangen bør arbejde i den. "
        "Arbejder I flere sammen, så brug en fælles PostgreSQL-database "
        "(Filer → Databaseforbindelse…)."
    )


def configure_journal(engine: Engine, path: Path) -> str:
    """Set WAL or the rollback journal for the file; returns the mode in effect."""
    wanted = journal_mode_for(path)
    with engine.connect() as conn:
        mode = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower()
        # If another process has the file open in WAL mode, switching fails: leave it; it
        # is switched the next time kkdesk is alone with the file.
        if mode != wanted:
            with contextlib.suppress(OperationalError):
                mode = str(conn.exec_driver_sql(f"PRAGMA journal_mode={wanted}").scalar()).lower()
    return mode


def read_only_error(path: Path) -> DatabaseError | None:
    """A clear error if the file or its folder cannot be written, else None.

    SQLite needs to write the file and, next to it, its journal (and the WAL's shared
    memory file); on a read-only file, folder or file system it would otherwise fail with
    a bare "unable to open database file".
    """
    if not path.exists():
        return None
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK):
        return None
    which = "filen" if not os.access(path, os.W_OK) else "mappen"
    return DatabaseError(
        "Databasen kan kun læses, ikke ændres.",
        detail=f"Du har ikke skriveadgang til {which} ({path}); kkdesk skal kunne skrive både "
        "i filen og i mappen. Kontakt IT, eller vælg en anden database. Intet er ændret.",
    )


# --- integrity ---------------------------------------------------------------------------


class DamagedDatabaseError(DatabaseError):
    """The database file fails SQLite's integrity check (or is no database at all)."""

    def __init__(self, path: Path, problems: list[str], backup: Path | None) -> None:
        if backup is not None:
            detail = (
                f"Den nyeste sikkerhedskopi er {backup.name}. Du kan gendanne den; den "
                "beskadigede fil gemmes ved siden af, så IT kan se på den."
            )
        else:
            detail = "Der er ingen sikkerhedskopi. Kontakt IT-supporten, før du gør mere."
        super().__init__(f"Databasefilen {path.name} er beskadiget.", detail=detail)
        self.path = path
        self.problems = problems
        self.backup = backup


def check_file(path: Path, *, full: bool = False) -> list[str]:
    """Run SQLite's ``quick_check`` (or the slower, complete ``integrity_check``) on a file.

    Returns the problems found; an empty list means the file is sound.
    """
    pragma = "integrity_check" if full else "quick_check"
    try:
        conn = sqlite3.connect(str(path), timeout=5)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        rows = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.Error as exc:
        message = str(exc)
        if "locked" in message or "busy" in message:
            return []  # someone is writing right now: not a sign of damage
        return [message]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def require_sound(path: Path) -> None:
    """Raise ``DamagedDatabaseError`` (naming the newest backup) if the file is damaged."""
    from kkdesk.core import backups

    if not path.exists():
        return
    problems = check_file(path)
    if problems:
        raise DamagedDatabaseError(path, problems, backups.newest_backup(path))
