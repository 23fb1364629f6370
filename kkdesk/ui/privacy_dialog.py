"""The personal-data warning: what was found where, and a reason to go on anyway.

``confirm`` scans the case; with findings it shows ``PrivacyDialog`` (``ask_reason`` is a
module-level function so tests can answer it). The caller records the reason with
``privacy.record_override`` once the letter or e-mail has actually been made.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import privacy
from kkdesk.core.database import Database
from kkdesk.core.privacy import Finding


class PrivacyDialog(QDialog):
    def __init__(self, findings: list[Finding], purpose: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mulige personoplysninger")
        head = QLabel(
            f"<b>{purpose} indeholder muligvis personoplysninger ({len(findings)} fund).</b>"
            "<br>Ret teksten eller bilagene, eller skriv en begrundelse for at fortsætte. "
            "Begrundelsen skrives i sagens historik."
        )
        head.setWordWrap(True)
        table = QTableWidget(len(findings), 4, self)
        table.setHorizontalHeaderLabels(["Hvad", "Værdi", "Hvor", "Sammenhæng"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, finding in enumerate(findings):
            for column, text in enumerate(
                (finding.label, finding.value, finding.where, finding.context)
            ):
                table.setItem(row, column, QTableWidgetItem(text))
        header = table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table = table
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Begrundelse, fx: nummeret er kommunens eget")
        buttons = QDialogButtonBox(self)
        self.go_on = buttons.addButton("Fortsæt alligevel", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annullér", QDialogButtonBox.ButtonRole.RejectRole)
        self.go_on.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.go_on.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(table, 1)
        layout.addWidget(QLabel("Begrundelse for at fortsætte:"))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(900, 420)


def ask_reason(parent: QWidget | None, findings: list[Finding], purpose: str) -> str | None:
    """The reason the user typed, or None if cancelled."""
    dialog = PrivacyDialog(findings, purpose, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason.text().strip() or None


def confirm(
    parent: QWidget | None, db: Database, case_id: int, purpose: str
) -> tuple[bool, list[Finding], str]:
    """(go on?, findings, reason). No findings: (True, [], "")."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with db.session() as session:
            findings = privacy.scan_case(session, case_id)
    finally:
        QGuiApplication.restoreOverrideCursor()
    if not findings:
        return True, [], ""
    reason = ask_reason(parent, findings, purpose)
    if reason is None:
        return False, findings, ""
    return True, findings, reason


def record(
    db: Database, case_id: int, findings: list[Finding], reason: str, purpose: str, user: str
) -> None:
    """Write the reason to the history (only when there were findings)."""
    if findings and reason:
        with db.session() as session:
            privacy.record_override(
                session, case_id, findings, reason=reason, purpose=purpose, user=user
            )
