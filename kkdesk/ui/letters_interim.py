"""Sag › Foreløbigt svar…: pick the date the answer will come by, save the letter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from kkdesk.core.cases import load_case
from kkdesk.core.database import Database
from kkdesk.core.dates import weekday_date
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import write_file
from kkdesk.core.letters.interim import make_interim_letter
from kkdesk.ui import errors


class InterimDialog(QDialog):
    """Asks for the expected answer date (default: the case's deadline) and the format."""

    def __init__(self, case_number: str, deadline: dt.date | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Foreløbigt svar – sag {case_number}")
        start = max(deadline or dt.date.today(), dt.date.today())
        self.date_edit = QDateEdit(QDate(start.year, start.month, start.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd-MM-yyyy")
        self.format_combo = QComboBox()
        self.format_combo.addItem("PDF", "pdf")
        self.format_combo.addItem("Word", "docx")
        self.preview = QLabel()
        self.date_edit.dateChanged.connect(self._update)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Svar senest:", self.date_edit)
        form.addRow("", self.preview)
        form.addRow("Format:", self.format_combo)
        form.addRow(buttons)
        self._update()

    def expected(self) -> dt.date:
        chosen = self.date_edit.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def _update(self) -> None:
        self.preview.setText(f"Brevet lover svar senest {weekday_date(self.expected())}.")


def make_interim(window: QWidget, db: Database, case_id: int) -> Path | None:
    """Ask, render and save the interim reply; returns the file written."""
    try:
        with db.session() as session:
            case = load_case(session, case_id)
            number, deadline = case.case_number, getattr(case, "deadline", None)
        dialog = InterimDialog(number, deadline, window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        fmt = dialog.format_combo.currentData()
        with db.session() as session:
            preview = make_interim_letter(
                session, case_id, fmt, user=db.user, expected=dialog.expected(), record=False
            )
        path, _ = QFileDialog.getSaveFileName(
            window, "Gem foreløbigt svar", preview.file_name, f"*.{fmt}"
        )
        if not path:
            return None
        with db.session() as session:
            result = make_interim_letter(
                session, case_id, fmt, user=db.user, expected=dialog.expected()
            )
            write_file(Path(path), result.data)
        return Path(path)
    except KnownError as exc:
        errors.show_known_error(window, exc, "Foreløbigt svar blev ikke dannet")
        return None
