"""The first start: a welcome that lets the user choose where the cases live.

Shown when no database has been chosen yet (no ``--db``, no ``KKDESK_DATABASE_URL``, no
saved choice and no local database file), and again from Filer ▸ Skift database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import connection, demo, paths
from kkdesk.core.database import ENV_VAR, resolve_url
from kkdesk.ui import errors
from kkdesk.ui.connection_dialog import ConnectionDialog

LOCAL, SERVER, DEMO = "local", "server", "demo"


@dataclass(frozen=True)
class WelcomeChoice:
    """What the user chose: ``kind`` is ``local``, ``server`` or ``demo``."""

    kind: str
    url: str


def needs_welcome(cli_db: str | None) -> bool:
    """True on a first start: nothing tells kkdesk which database to use yet."""
    if cli_db or os.environ.get(ENV_VAR):
        return False
    if connection.saved_url():
        return False
    return not paths.default_database_path().exists()


def display_path(path: Path) -> str:
    """``path`` with the home folder shortened to ``~`` (Linux/macOS), as users know it."""
    if os.name == "nt":
        return str(path)
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class WelcomeDialog(QDialog):
    """Three choices; ``choice`` is set when the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None, *, first_start: bool = True) -> None:
        super().__init__(parent)
        self.choice: WelcomeChoice | None = None
        self.setWindowTitle("Velkommen til kkdesk" if first_start else "Skift database")
        icon_path = paths.resources_dir() / "icons" / "kkdesk.png"

        heading = QLabel("Velkommen til kkdesk" if first_start else "Vælg database")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        logo = QLabel()
        if icon_path.exists():
            logo.setPixmap(QIcon(str(icon_path)).pixmap(56, 56))
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addWidget(heading, 1)

        intro = QLabel(
            "kkdesk holder styr på politikerspørgsmål, frister og svarbreve. "
            "Vælg, hvor sagerne skal gemmes. Du kan skifte senere under "
            "Filer ▸ Skift database."
        )
        intro.setWordWrap(True)

        local_path = paths.default_database_path()
        local_exists = local_path.exists()
        self.local_button = QCommandLinkButton(
            "Lokal database" if local_exists else "Ny lokal database",
            (
                "Brug databasen på denne computer"
                if local_exists
                else "Gem sagerne i en ny fil på denne computer"
            )
            + f" ({display_path(local_path)}). Godt, når du arbejder alene.",
        )
        self.server_button = QCommandLinkButton(
            "Forbind til fælles database",
            "Arbejd sammen med dine kolleger i holdets PostgreSQL-database. Du skal bruge "
            "serverens navn, databasens navn og dit login fra IT.",
        )
        self.demo_button = QCommandLinkButton(
            "Prøv med eksempeldata",
            "Se kkdesk med fiktive sager i en separat eksempeldatabase. Dine egne data "
            "berøres ikke.",
        )
        self.local_button.clicked.connect(self.choose_local)
        self.server_button.clicked.connect(self.choose_server)
        self.demo_button.clicked.connect(self.choose_demo)

        buttons = QDialogButtonBox()
        close = buttons.addButton(
            "Afslut" if first_start else "Annullér", QDialogButtonBox.ButtonRole.RejectRole
        )
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addSpacing(8)
        for button in (self.local_button, self.server_button, self.demo_button):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def choose_local(self) -> None:
        # The local file is the default, so choosing it means forgetting a saved server.
        try:
            connection.save(None)
        except Exception as exc:
            errors.handle(self, exc)
            return
        self._accept(LOCAL, resolve_url(None))

    def choose_server(self) -> None:
        """The connection dialog (kkdesk.ui.connection_dialog): the server is tested before
        it is saved; the password only goes to PostgreSQL's own password file."""
        dialog = self.make_server_dialog()
        dialog.exec()
        if not dialog.saved:
            return
        if dialog.local_radio.isChecked():
            self._accept(LOCAL, resolve_url(None))
        else:
            self._accept(SERVER, connection.saved_url() or resolve_url(None))

    def make_server_dialog(self) -> ConnectionDialog:
        """Separate so tests can drive the dialog without a nested event loop."""
        dialog = ConnectionDialog(resolve_url(None), self)
        dialog.setWindowTitle("Forbind til fælles database")
        dialog.server_radio.setChecked(True)
        return dialog

    def choose_demo(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = demo.create_demo_database()
        except Exception as exc:
            QGuiApplication.restoreOverrideCursor()
            errors.handle(self, exc)
            return
        QGuiApplication.restoreOverrideCursor()
        # The demo is never saved as the user's choice: the next start asks again.
        self._accept(DEMO, result.url)

    def _accept(self, kind: str, url: str) -> None:
        self.choice = WelcomeChoice(kind, url)
        self.accept()


def ask_for_database(
    parent: QWidget | None = None, *, first_start: bool = True
) -> WelcomeChoice | None:
    """Show the welcome; the choice, or None if the user closed it."""
    dialog = WelcomeDialog(parent, first_start=first_start)
    dialog.exec()
    return dialog.choice
