"""What the team issue adds to the main window, installed with one call from MainWindow:

* Filer: "Databaseforbindelse…", "Tag sikkerhedskopi nu", "Gendan sikkerhedskopi…";
* Register: "Brugere…" (secretariat), "Min profil…", "Revisionslog…";
* the user's name and role in the status bar; "Ny sag" only for those who may create;
* automatic backups of a local file: at start (unless one is under an hour old) and
  daily while the program runs, off the UI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import audit, backups, migrations, permissions, users
from kkdesk.core.database import sqlite_path
from kkdesk.core.errors import KnownError
from kkdesk.core.permissions import Action
from kkdesk.ui import errors
from kkdesk.ui.history_panel import HistoryTableModel

if TYPE_CHECKING:
    from kkdesk.ui.main_window import MainWindow

log = logging.getLogger("kkdesk")
BACKUP_CHECK_MS = 60 * 60 * 1000  # look every hour whether the daily backup is due


class _Signals(QObject):
    done = Signal(object, object)  # result, error


class _Job(QRunnable):
    """Run ``work`` in the thread pool; ``signals.done`` carries (result, KnownError|None)."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except KnownError as exc:
            self.signals.done.emit(None, exc)
        except Exception as exc:  # never let a backup take the program down
            log.exception("Sikkerhedskopi mislykkedes")
            self.signals.done.emit(None, KnownError(f"Sikkerhedskopien mislykkedes: {exc}"))
        else:
            self.signals.done.emit(result, None)


class TeamSetup(QObject):
    """Menus, status and backups of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.db = window.db
        self.path: Path | None = sqlite_path(self.db.url)
        self._jobs: list[_Job] = []
        self.user_label = QLabel()
        self.user_label.setStyleSheet("padding-left: 10px; border-left: 1px solid #b0b0b0;")
        window.statusBar().addPermanentWidget(self.user_label)
        self._build_menus()
        self.refresh_user()
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(lambda: self.backup_in_background(backups.DAILY_INTERVAL))

    def start_backups(self) -> None:
        """Back up a local file now (unless a copy is under an hour old) and daily."""
        if self.path is not None:
            self.backup_in_background(backups.START_INTERVAL)
            self.backup_timer.start()

    # --- menus ------------------------------------------------------------------------
    def _build_menus(self) -> None:
        window = self.window
        file_menu = window.file_menu
        quit_action = next((a for a in file_menu.actions() if a.text() == "&Afslut"), None)
        self.connection_action = QAction("Databaseforbindelse…", window)
        self.connection_action.triggered.connect(self.choose_connection)
        self.backup_action = QAction("Tag sikkerhedskopi nu", window)
        self.backup_action.triggered.connect(self.backup_now)
        self.restore_action = QAction("Gendan sikkerhedskopi…", window)
        self.restore_action.triggered.connect(self.restore_backup)
        for action in (self.connection_action, self.backup_action, self.restore_action):
            file_menu.insertAction(quit_action, action)  # type: ignore[arg-type]
        file_menu.insertSeparator(quit_action)  # type: ignore[arg-type]
        local = self.path is not None
        self.backup_action.setEnabled(local)
        self.restore_action.setEnabled(local)

        register = window.register_menu
        register.addSeparator()
        self.users_action = QAction("Brugere…", window)
        self.users_action.triggered.connect(self.edit_users)
        self.profile_action = QAction("Min profil…", window)
        self.profile_action.triggered.connect(self.edit_profile)
        self.audit_action = QAction("Revisionslog…", window)
        self.audit_action.triggered.connect(self.show_audit_log)
        for action in (self.users_action, self.profile_action, self.audit_action):
            register.addAction(action)

    def refresh_user(self) -> None:
        """Show who is working, and enable what the role allows."""
        try:
            with self.db.session() as session:
                self.actor = users.actor_for(session, self.db.user)
        except KnownError:
            self.actor = users.Actor(login=self.db.user)
        self.user_label.setText(f"{self.actor.label} · {self.actor.role_label}")
        self.window.new_action.setEnabled(permissions.allowed(self.actor, Action.CASE_CREATE))
        self.users_action.setEnabled(permissions.allowed(self.actor, Action.USERS_MANAGE))
        for action in self.window.register_menu.actions():
            if action.text().endswith("…") and action not in (
                self.users_action,
                self.profile_action,
                self.audit_action,
            ):
                action.setEnabled(permissions.allowed(self.actor, Action.REGISTRY_EDIT))

    # --- dialogs ----------------------------------------------------------------------
    def choose_connection(self) -> None:
        from kkdesk.ui.connection_dialog import ConnectionDialog

        dialog = ConnectionDialog(self.db.url, self.window)
        dialog.exec()
        if dialog.saved:
            QMessageBox.information(
                self.window,
                "Databaseforbindelse",
                "Forbindelsen er gemt. Luk kkdesk og start programmet igen for at bruge den.",
            )

    def edit_users(self) -> None:
        from kkdesk.ui.users_dialog import UsersDialog

        UsersDialog(self.db, self.window).exec()
        self.refresh_user()

    def edit_profile(self) -> None:
        from kkdesk.ui.users_dialog import ProfileDialog

        try:
            ProfileDialog(self.db, self.window).exec()
        except KnownError as exc:
            errors.show_known_error(self.window, exc)
        self.refresh_user()

    def show_audit_log(self) -> None:
        AuditLogDialog(self.db, self.window).exec()

    # --- backups ----------------------------------------------------------------------
    def backup_in_background(self, interval: dt.timedelta) -> None:
        """Make an automatic backup if the newest is older than ``interval`` (SQLite)."""
        if self.path is None:
            return
        path = self.path
        job = _Job(lambda: backups.backup_if_due(path, interval))
        job.signals.done.connect(self._backup_done)
        self._jobs.append(job)
        QThreadPool.globalInstance().start(job)

    def _backup_done(self, result: object, error: object) -> None:
        self._jobs = [job for job in self._jobs if job.signals is not self.sender()]
        if isinstance(error, KnownError):
            self.window.statusBar().showMessage(f"{error.message} {error.detail}", 15000)
        elif isinstance(result, Path):
            self.window.statusBar().showMessage(f"Sikkerhedskopi taget: {result.name}", 6000)

    def backup_now(self) -> None:
        if self.path is None:
            return
        try:
            made = backups.make_backup(self.path)
            backups.rotate(self.path)
        except KnownError as exc:
            errors.show_known_error(self.window, exc, "Sikkerhedskopi")
            return
        QMessageBox.information(self.window, "Sikkerhedskopi", f"Sikkerhedskopien er gemt:\n{made}")

    def restore_backup(self) -> None:
        """Replace the local database with a chosen backup, then carry on with it."""
        if self.path is None:
            return
        found = backups.list_backups(self.path)
        if not found:
            QMessageBox.information(self.window, "Gendan", "Der er ingen sikkerhedskopier endnu.")
            return
        labels = [
            f"{b.made_at:%d-%m-%Y %H.%M} – {b.path.name}"
            + ("" if b.automatic else " (før opgradering)")
            for b in found
        ]
        choice, ok = QInputDialog.getItem(
            self.window,
            "Gendan sikkerhedskopi",
            "Vælg kopien, der skal gendannes:",
            labels,
            0,
            False,
        )
        if not ok:
            return
        backup = found[labels.index(choice)]
        answer = QMessageBox.question(
            self.window,
            "Gendan sikkerhedskopi",
            f"Erstat databasen med kopien fra {backup.made_at:%d-%m-%Y kl. %H.%M}? Ændringer "
            "gjort siden da forsvinder fra databasen; den nuværende fil gemmes ved siden af.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.db.dispose()  # close every pooled connection to the file before replacing it
        try:
            aside = backups.restore(backup.path, self.path)
            migrations.upgrade_to_head(self.db.engine, self.db.url)
            with self.db.session() as session:
                audit.log(
                    session,
                    self.db.user,
                    "database",
                    "",
                    "gendannet",
                    comment=f"Gendannet fra {backup.path.name}; den tidligere fil: {aside}",
                )
        except KnownError as exc:
            errors.show_known_error(self.window, exc, "Gendannelsen mislykkedes")
            return
        self.window.case_model.reload()
        self.refresh_user()
        self.window.statusBar().showMessage("Sikkerhedskopien er gendannet.", 8000)


class AuditLogDialog(QDialog):
    """Register → Revisionslog: changes to the register, users, imports, restores."""

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Revisionslog")
        self.model = HistoryTableModel(self)
        with db.session() as session:
            self.model.set_rows(audit.audit_entries(session))
        view = QTableView()
        view.setModel(self.model)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((130, 150, 100, 220, 170)):
            view.setColumnWidth(column, width)
        view.scrollToBottom()
        note = QLabel(
            "Ændringer i registre, brugere, importer og gendannelser. Sagernes egne ændringer "
            "står under fanen Historik i sagen. Loggen kan ikke ændres eller slettes."
        )
        note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(note)
        layout.addWidget(close)
        self.resize(1000, 560)


def install(window: MainWindow) -> TeamSetup:
    """Add the team menus and status to the main window (backups: ``start_backups``)."""
    return TeamSetup(window)
