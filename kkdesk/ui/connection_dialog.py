"""Filer → Databaseforbindelse: the local file, or a shared PostgreSQL server.

"Test forbindelse" connects once (off the UI thread) before anything is saved. The
connection is saved without the password (``kkdesk.core.connection``); "Husk
adgangskoden på denne pc" puts it in PostgreSQL's own password file instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import connection, paths
from kkdesk.core.connection import PostgresSettings
from kkdesk.core.database import describe_url, sqlite_path
from kkdesk.core.errors import KnownError
from kkdesk.ui import errors


class _TestSignals(QObject):
    done = Signal(bool, str)


class _TestJob(QRunnable):
    """Connect once in a worker thread; reports (ok, Danish text)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.signals = _TestSignals()

    def run(self) -> None:
        try:
            text = connection.test_connection(self.url)
        except KnownError as exc:
            self.signals.done.emit(False, f"{exc.message} {exc.detail}".strip())
        except Exception as exc:  # the worker must always answer the dialog
            self.signals.done.emit(False, f"Forbindelsen mislykkedes: {exc}")
        else:
            self.signals.done.emit(True, text)


class ConnectionDialog(QDialog):
    """Choose and test the database; ``saved`` tells whether a new choice was stored."""

    def __init__(self, current_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Databaseforbindelse")
        self.saved = False
        self.tested_ok = False
        self.local_radio = QRadioButton("Lokal database på denne pc (til én person)")
        self.server_radio = QRadioButton("Fælles PostgreSQL-server (til et team)")
        group = QButtonGroup(self)
        group.addButton(self.local_radio)
        group.addButton(self.server_radio)
        local_note = QLabel(f"Filen ligger i {paths.default_database_path()}.")
        local_note.setWordWrap(True)
        local_note.setStyleSheet("color: #555;")

        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("fx dbserver.kk.dk")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(connection.DEFAULT_PORT)
        self.database_edit = QLineEdit("kkdesk")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("tom, hvis serveren ikke kræver adgangskode")
        self.remember_check = QCheckBox("Husk adgangskoden på denne pc")
        self.remember_check.setToolTip(
            f"Gemmes i PostgreSQLs egen adgangskodefil ({connection.pgpass_path()}), som kun "
            "du kan læse – aldrig i kkdesks indstillinger. Ellers spørger kkdesk ved start."
        )
        form = QFormLayout()
        form.addRow("Server:", self.host_edit)
        form.addRow("Port:", self.port_spin)
        form.addRow("Database:", self.database_edit)
        form.addRow("Bruger:", self.user_edit)
        form.addRow("Adgangskode:", self.password_edit)
        form.addRow("", self.remember_check)
        self.server_box = QGroupBox("PostgreSQL")
        self.server_box.setLayout(form)

        self.test_button = QPushButton("Test forbindelse")
        self.test_button.clicked.connect(self.test)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Gem", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annullér", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        path = sqlite_path(current_url)
        now = f"den lokale fil {path}" if path else describe_url(current_url)
        current = QLabel(f"Nu bruger kkdesk {now}.")
        current.setWordWrap(True)
        layout.addWidget(current)
        layout.addWidget(self.local_radio)
        layout.addWidget(local_note)
        layout.addWidget(self.server_radio)
        layout.addWidget(self.server_box)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)

        saved = connection.load() or connection.from_url(current_url)
        if saved is not None:
            self.server_radio.setChecked(True)
            self.host_edit.setText(saved.host)
            self.port_spin.setValue(saved.port)
            self.database_edit.setText(saved.database)
            self.user_edit.setText(saved.user)
            self.remember_check.setChecked(connection.has_stored_password(saved))
        else:
            self.local_radio.setChecked(True)
        for widget in (self.host_edit, self.database_edit, self.user_edit, self.password_edit):
            widget.textChanged.connect(self._changed)
        self.port_spin.valueChanged.connect(self._changed)
        self.server_radio.toggled.connect(self._changed)
        self._changed()
        self.resize(560, 0)

    def settings(self) -> PostgresSettings:
        return PostgresSettings(
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            database=self.database_edit.text().strip(),
            user=self.user_edit.text().strip(),
        )

    def _changed(self) -> None:
        server = self.server_radio.isChecked()
        self.server_box.setEnabled(server)
        self.test_button.setEnabled(server)
        self.tested_ok = False
        self.result_label.clear()

    def test(self) -> None:
        """Try the connection in a worker thread; the result appears under the button."""
        problems = self.settings().problems()
        if problems:
            self._show_result(False, " ".join(problems))
            return
        url = self.settings().url(self.password_edit.text() or None)
        self.test_button.setEnabled(False)
        self.result_label.setText("Tester forbindelsen …")
        job = _TestJob(url)
        job.signals.done.connect(self._show_result)
        self._job = job  # keep the signals object alive until the answer arrives
        QThreadPool.globalInstance().start(job)

    def _show_result(self, ok: bool, text: str) -> None:
        self.tested_ok = ok
        self.test_button.setEnabled(self.server_radio.isChecked())
        colour = "#1b5e20" if ok else "#b71c1c"
        self.result_label.setStyleSheet(f"color: {colour};")
        self.result_label.setText(text)

    def save(self) -> None:
        try:
            if self.local_radio.isChecked():
                connection.save(None)
            else:
                settings = self.settings()
                problems = settings.problems()
                if problems:
                    raise KnownError("Forbindelsen kan ikke gemmes:", detail=" ".join(problems))
                if not self.tested_ok:
                    raise KnownError(
                        "Test forbindelsen først.",
                        detail="Tryk på 'Test forbindelse'; den skal lykkes, før den gemmes.",
                    )
                if self.remember_check.isChecked() and self.password_edit.text():
                    connection.remember_password(settings, self.password_edit.text())
                elif not self.remember_check.isChecked():
                    connection.forget_password(settings)
                connection.save(settings)
        except KnownError as exc:
            errors.show_known_error(self, exc, "Ikke gemt")
            return
        self.saved = True
        self.accept()
