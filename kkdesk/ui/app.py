"""Application start-up: Danish translations, settings, error handling, the main window."""

from __future__ import annotations

import sys
import time
import zoneinfo

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon, QRawFont
from PySide6.QtWidgets import QApplication

from kkdesk import __version__
from kkdesk.core import paths
from kkdesk.core.database import open_database
from kkdesk.core.errors import KnownError

_translators: list[QTranslator] = []


def _install_translations(app: QApplication) -> None:
    """Qt's own strings (buttons, context menus) in Danish from ``qtbase_da``."""
    QLocale.setDefault(QLocale(QLocale.Language.Danish, QLocale.Country.Denmark))
    folders = [
        str(paths.resources_dir() / "translations"),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ]
    for name in ("qtbase_da",):
        translator = QTranslator(app)
        if any(translator.load(name, folder) for folder in folders):
            app.installTranslator(translator)
            _translators.append(translator)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, configured once (also used by tests)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setOrganizationName("kkdesk")
    app.setApplicationName("kkdesk")
    app.setApplicationDisplayName("kkdesk")
    app.setApplicationVersion(__version__)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths.data_dir()))
    icon = paths.resources_dir() / "icons" / "kkdesk.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    if not _translators:
        _install_translations(app)
    return app


def choose_database_url(db_url: str | None, *, ask: bool = False) -> tuple[bool, str | None]:
    """What to open: ``(False, None)`` if the user quit the welcome, else ``(True, url)``,
    where ``url`` None means "as usual" (``--db``, ``KKDESK_DATABASE_URL``, the saved
    connection, the local file). The welcome asks on a first start, or when ``ask``."""
    from kkdesk.ui import welcome

    if ask or welcome.needs_welcome(db_url):
        choice = welcome.ask_for_database(first_start=not ask)
        return (False, None) if choice is None else (True, choice.url)
    return True, db_url


def run_gui(db_url: str | None) -> int:
    """Start the app; returns the exit code."""
    from kkdesk.ui.errors import install_excepthook
    from kkdesk.ui.main_window import MainWindow
    from kkdesk.ui.startup import open_interactive

    app = create_application()
    install_excepthook()
    ask = False
    while True:
        go_on, url = choose_database_url(None if ask else db_url, ask=ask)
        if not go_on:
            return 0
        # Integrity check, password prompt, user registration (kkdesk.ui.startup).
        db = open_interactive(url)
        if db is None:
            return 1
        window = MainWindow(db)
        window.show()
        window.team.start_backups()
        code = app.exec()
        db.dispose()
        if not window.switch_database_requested:
            return code
        ask = True  # Skift database: the welcome again, then the chosen database


# Qt's stand-ins when fontconfig finds no font file at all; they draw empty boxes.
_GENERIC_FAMILIES = {"Sans Serif", "Serif", "Monospace"}


def text_is_drawn() -> bool:
    """True if Qt has a real font for Danish text. Without any font on the system (a bare
    Linux without fonts) Qt starts fine but draws empty boxes instead of letters."""
    if not set(QFontDatabase.families()) - _GENERIC_FAMILIES:
        return False
    raw = QRawFont.fromFont(QFont())
    return raw.isValid() and all(raw.supportsCharacter(ord(c)) for c in "Æblegrød")


def import_all_modules() -> tuple[int, list[str]]:
    """Import every kkdesk module (the ones menus load on first use too); returns how many
    were imported and the failures. In the installer bundle this proves that every module
    and the libraries it needs were frozen in."""
    import importlib
    import pkgutil

    import kkdesk

    count, failures = 0, []
    for info in pkgutil.walk_packages(kkdesk.__path__, "kkdesk."):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
            count += 1
        except Exception as exc:  # reported, not raised: the smoke test lists them all
            failures.append(f"{info.name}: {type(exc).__name__}: {exc}")
    return count, failures


def run_smoke(db_url: str | None) -> int:
    """Open and migrate the database, build and show the main window, exit 0."""
    start = time.perf_counter()
    app = create_application()
    try:
        db = open_database(db_url)
    except KnownError as exc:
        print(f"Fejl: {exc.message} {exc.detail}".strip(), file=sys.stderr)
        return 1
    from kkdesk.ui.main_window import MainWindow

    window = MainWindow(db)
    window.show()
    app.processEvents()
    rows = window.case_model.rowCount()
    window.close()
    app.processEvents()
    db.dispose()
    modules, failures = import_all_modules()
    try:  # the bundle takes time zones from the OS on Linux (tzdata)
        zoneinfo.ZoneInfo("Europe/Copenhagen")
    except zoneinfo.ZoneInfoNotFoundError:
        failures.append("tidszonen Europe/Copenhagen findes ikke (tzdata mangler)")
    if failures:
        print("Fejl:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - start
    danish = "ja" if _translators else "NEJ"
    drawn = "ja" if text_is_drawn() else "NEJ"
    print(
        f"OK: {rows} sager, database {db.describe()}, Qt på dansk: {danish}, "
        f"tekst tegnes: {drawn}, {modules} moduler, {elapsed:.2f} s"
    )
    return 0
