"""Connect to the team's PostgreSQL server: the fields, a connection test that runs off the
UI thread, and saving only after a successful test."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kkdesk.core import pgserver
from kkdesk.core.errors import KnownError, ValidationError
from kkdesk.core.pgserver import ServerReport, ServerSettings
from kkdesk.core.users import current_user
from kkdesk.ui import settings as user_settings

OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b71c1c;"


class _Signals(QObject):
    finished = Signal(object)  # ServerReport, or the exception


class _ConnectionTest(QRunnable):
    """Runs ``check_connection`` on the thread pool (it may wait for a slow network)."""

    def __init__(self, settings: ServerSettings) -> None:
        super().__init__()
        self.settings = settings
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result: object = pgserver.check_connection(self.settings)
        except Exception as exc:  # handed to the UI thread, which shows it
            result = exc
        self.signals.finished.emit(result)


class ServerDialog(QDialog):
    """Asks for server, port, database, user and password; saves them only when a
    connection test succeeds. ``url`` is the saved URL (without the password)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Forbind til fælles database")
        self.url: str | None = None
        self._running: _ConnectionTest | None = None
        self._save_after_test = False

        intro = QLabel(
            "Skriv oplysningerne om holdets PostgreSQL-database. Du får dem hos IT. "
            "Forbindelsen testes, før den gemmes."
        )
        intro.setWordWrap(True)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("fx dbserver.kk.dk")
        self.port_edit = QSpinBox()
        self.port_edit.setRange(1, 65535)
        self.port_edit.setValue(pgserver.DEFAULT_PORT)
        self.database_edit = QLineEdit("kkdesk")
        self.user_edit = QLineEdit(current_user())
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("tom, hvis serveren ikke kræver adgangskode")
        form = QFormLayout()
        form.addRow("Server:", self.host_edit)
        form.addRow("Port:", self.port_edit)
        form.addRow("Database:", self.database_edit)
        form.addRow("Bruger:", self.user_edit)
        form.addRow("Adgangskode:", self.password_edit)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setMinimumHeight(48)

        self.buttons = QDialogButtonBox()
        self.test_button = QPushButton("Test forbindelse")
        self.save_button = QPushButton("Gem og forbind")
        self.save_button.setDefault(True)
        cancel = QPushButton("Annullér")
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.test_button.clicked.connect(lambda: self.start_test(save=False))
        self.save_button.clicked.connect(lambda: self.start_test(save=True))
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self._prefill(user_settings.saved_database_url())

    def _prefill(self, url: str | None) -> None:
        if not url:
            return
        try:
            parsed = make_url(url)
        except ArgumentError:
            return
        if parsed.get_backend_name() != "postgresql":
            return
        self.host_edit.setText(parsed.host or "")
        self.port_edit.setValue(parsed.port or pgserver.DEFAULT_PORT)
        self.database_edit.setText(parsed.database or "")
        self.user_edit.setText(parsed.username or "")

    def server_settings(self) -> ServerSettings:
        return ServerSettings(
            host=self.host_edit.text().strip(),
            port=self.port_edit.value(),
            database=self.database_edit.text().strip(),
            user=self.user_edit.text().strip(),
            password=self.password_edit.text(),
        )

    def is_testing(self) -> bool:
        return self._running is not None

    def start_test(self, *, save: bool) -> None:
        """Test the connection on the thread pool; with ``save``, save and close on success."""
        if self._running is not None:
            return
        settings = self.server_settings()
        try:
            pgserver.validate_settings(settings)
        except ValidationError as exc:
            self._show_error(exc)
            return
        self._save_after_test = save
        self._set_busy(True)
        self.status_label.setStyleSheet("")
        self.status_label.setText(f"Tester forbindelsen til {settings.host} …")
        task = _ConnectionTest(settings)
        task.signals.finished.connect(self._test_finished)
        self._running = task
        QThreadPool.globalInstance().start(task)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.test_button, self.save_button):
            widget.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _test_finished(self, result: object) -> None:
        task, self._running = self._running, None
        self._set_busy(False)
        if isinstance(result, ServerReport) and task is not None:
            self.status_label.setStyleSheet(OK_STYLE)
            self.status_label.setText(result.summary())
            if self._save_after_test:
                self._save(task.settings)
            return
        if isinstance(result, KnownError):
            self._show_error(result)
            return
        self.status_label.setStyleSheet(ERROR_STYLE)
        self.status_label.setText(f"Forbindelsen mislykkedes: {result}")

    def _show_error(self, error: KnownError) -> None:
        self.status_label.setStyleSheet(ERROR_STYLE)
        if isinstance(error, ValidationError):
            text = "\n".join(f"• {e}" for e in error.errors)
        else:
            text = error.message + (f"\n{error.detail}" if error.detail else "")
        self.status_label.setText(text)

    def _save(self, settings: ServerSettings) -> None:
        try:
            pgserver.remember_password(settings)
        except OSError as exc:
            self._show_error(
                KnownError(
                    "Adgangskoden kunne ikke gemmes.",
                    detail=f"{exc.strerror}: {exc.filename}",
                )
            )
            return
        pgserver.use_password_file()
        self.url = settings.url()
        user_settings.save_database_url(self.url)
        self.accept()

    def reject(self) -> None:
        # A test still running reports to nobody; its result is dropped.
        if self._running is not None:
            self._running.signals.finished.disconnect(self._test_finished)
            _orphans.append(self._running)
            self._running = None
        super().reject()


# Tests abandoned by a closed dialog stay referenced until the process ends, so Python
# does not collect a runnable the thread pool is still running.
_orphans: list[_ConnectionTest] = []
