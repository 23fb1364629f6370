"""The user's own settings file (``<data dir>/kkdesk/kkdesk.ini``) and the database choice
saved in it.

``user_settings()`` opens the same file as ``QSettings()`` after ``create_application``,
but also works without a ``QApplication``, so the command line honours the choice the
user made in the welcome dialog.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from kkdesk.core import paths

DATABASE_KEY = "database/url"


def settings_file() -> str:
    """The INI file Qt uses for organisation "kkdesk", application "kkdesk"."""
    return str(paths.data_dir() / "kkdesk" / "kkdesk.ini")


def user_settings() -> QSettings:
    return QSettings(settings_file(), QSettings.Format.IniFormat)


def saved_database_url() -> str | None:
    """The database chosen at the first start (never contains a password), or None."""
    value = user_settings().value(DATABASE_KEY)
    return str(value) if value else None


def save_database_url(url: str | None) -> None:
    """Remember ``url`` as the user's database; None forgets it (the local default)."""
    settings = user_settings()
    if url:
        settings.setValue(DATABASE_KEY, url)
    else:
        settings.remove(DATABASE_KEY)
    settings.sync()
