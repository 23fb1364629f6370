"""Application start-up: Danish translations, settings, error handling, the main window."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QIcon
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


def run_gui(db_url: str | None) -> int:
    """Start the app; returns the exit code."""
    from kkdesk.ui.errors import install_excepthook
    from kkdesk.ui.main_window import MainWindow
    from kkdesk.ui.startup import open_interactive

    app = create_application()
    install_excepthook()
    # Integrity check, password prompt, first-start dialog (kkdesk.ui.startup).
    db = open_interactive(db_url)
    if db is None:
        return 1
    window = MainWindow(db)
    window.show()
    window.team.start_backups()
    code = app.exec()
    db.dispose()
    return code


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
    elapsed = time.perf_counter() - start
    print(f"OK: {rows} sager, database {db.describe()}, {elapsed:.2f} s")
    return 0
