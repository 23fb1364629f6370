"""Where kkdesk finds its bundled files and keeps the user's data.

Bundled files (`db/` with migrations and reference data, `resources/`) live at the
top of a source checkout, inside the wheel under ``kkdesk/_data`` and, in a
PyInstaller bundle, under ``sys._MEIPASS``. They are looked up at run time so every
way of installing finds them.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "kkdesk"
APP_AUTHOR = "kkdesk"


def _candidates(name: str) -> list[Path]:
    package_dir = Path(__file__).resolve().parent.parent
    found: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        found.append(Path(meipass) / name)
    found.append(package_dir / "_data" / name)
    found.append(package_dir.parent / name)
    return found


@cache
def bundled_dir(name: str) -> Path:
    """Return the folder `name` (``"db"`` or ``"resources"``) shipped with kkdesk."""
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kkdesk kan ikke finde sin mappe '{name}'. Geninstallér programmet.")


def migrations_dir() -> Path:
    """The Alembic script folder."""
    return bundled_dir("db")


def reference_dir() -> Path:
    """Reference data loaded into a new database (administrations, parties, kinds)."""
    return bundled_dir("db") / "reference"


def resources_dir() -> Path:
    """Icons, fonts, letterhead and translations."""
    return bundled_dir("resources")


def data_dir() -> Path:
    """The user's data folder; ``KKDESK_HOME`` overrides it (tests, portable installs)."""
    override = os.environ.get("KKDESK_HOME")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    base.mkdir(parents=True, exist_ok=True)
    return base


def log_dir() -> Path:
    """Where crash reports and the log file go."""
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """The SQLite file used when no other database is configured."""
    return data_dir() / "kkdesk.sqlite3"
