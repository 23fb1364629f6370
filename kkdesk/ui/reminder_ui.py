"""Reminders in the GUI: a list of cases due soon or overdue (shown at start and checked
every quarter of an hour), and "Send rykker", which writes an .eml and opens it in the
mail program (Outlook opens it as a draft ready to send)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import reminders
from kkdesk.core.calendar import days_text
from kkdesk.core.database import Database
from kkdesk.core.dates import short_date
from kkdesk.core.errors import KnownError
from kkdesk.core.reminders import DueCase
from kkdesk.core.users import current_user
from kkdesk.ui import errors
from kkdesk.ui.deadline_cells import AMBER_BG, RED_BG, state_icon

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Sagsnr.", "Emne", "Forvaltning", "Sagsbehandler", "Frist", "Intern frist", "Tilstand")
CHECK_EVERY_MS = 15 * 60 * 1000
SHOW_AT_START = "reminders/show_at_start"


def open_file(path: Path) -> bool:
    """Open a file with the program the system uses for it (tests replace this)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def send_reminder(parent: QWidget | None, db: Database, case_id: int) -> bool:
    """Write the reminder for a case, record it, and open it in the mail program."""
    try:
        with db.session() as session:
            path = reminders.write_reminder(session, case_id, current_user())
    except KnownError as exc:
        errors.show_known_error(parent, exc, "Rykkeren blev ikke lavet")
        return False
    except OSError as exc:
        errors.show_known_error(
            parent, KnownError(f"Rykkeren kunne ikke gemmes: {exc.strerror or exc}."),
            "Rykkeren blev ikke lavet",
        )  # fmt: skip
        return False
    if not open_file(path):
        errors.show_known_error(
            parent,
            KnownError(
                "Rykkeren er gemt, men kunne ikke åbnes i dit mailprogram.",
                detail=f"Åbn filen selv: {path}",
            ),
        )
    return True


def state_text(case: DueCase) -> str:
    if case.state == "overdue":
        return f"Overskredet med {days_text(-case.days_left)}"
    if case.state == "soon":
        return "Fristen er i dag" if case.days_left == 0 else f"{days_text(case.days_left)} tilbage"
    return "Intern frist passeret"


class DueCaseTableModel(QAbstractTableModel):
    """Cases due soon or overdue."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DueCase] = []

    def set_rows(self, rows: list[DueCase]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def case(self, row: int) -> DueCase | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        case = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                case.case_number,
                case.subject,
                f"{case.administration} – {case.unit}" if case.unit else case.administration,
                case.officer,
                short_date(case.deadline) if case.deadline else "",
                short_date(case.internal_deadline) if case.internal_deadline else "",
                state_text(case),
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 6:
            return state_icon("overdue" if case.state == "overdue" else "soon")
        if role == Qt.ItemDataRole.BackgroundRole and column == 6:
            return RED_BG if case.state == "overdue" else AMBER_BG
        return None


class ReminderDialog(QDialog):
    """The list of cases due soon or overdue, with "Åbn sag" and "Send rykker"."""

    open_case = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Frister der nærmer sig eller er overskredet")
        self.summary = QLabel()
        self.model = DueCaseTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        # Fixed widths: fitting columns to their contents reads every row (slow with
        # thousands of overdue cases).
        for column, width in enumerate((80, 0, 200, 150, 84, 84, 240)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self._open())
        self.at_start = QCheckBox("Vis listen, når kkdesk starter")
        self.at_start.setChecked(bool(QSettings().value(SHOW_AT_START, True, type=bool)))
        self.at_start.toggled.connect(lambda on: QSettings().setValue(SHOW_AT_START, on))
        buttons = QHBoxLayout()
        buttons.addWidget(self.at_start)
        buttons.addStretch()
        for label, slot in (
            ("Åbn sag", self._open),
            ("Send rykker", self._remind),
            ("Luk", self.close),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.resize(1180, 460)

    def set_cases(self, cases: list[DueCase]) -> None:
        self.summary.setText(reminders.summary(cases))
        self.model.set_rows(cases)

    def _current(self) -> DueCase | None:
        return self.model.case(self.view.currentIndex().row())

    def _open(self) -> None:
        case = self._current()
        if case is not None:
            self.open_case.emit(case.id)

    def _remind(self) -> None:
        case = self._current()
        if case is not None and send_reminder(self, self.db, case.id):
            self.summary.setText(f"Rykker for sag {case.case_number} er lavet og åbnet.")


class ReminderWatcher(QObject):
    """Checks for cases due soon or overdue at start and every quarter of an hour."""

    changed = Signal(list)  # list[DueCase]

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cases: list[DueCase] = []
        self.last_checked: dt.datetime | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()

    def check(self) -> list[DueCase]:
        """Look again; emits ``changed`` with the cases. Errors are kept quiet (it runs
        by itself every quarter of an hour): the next check tries again."""
        try:
            with self.db.session() as session:
                found = reminders.due_cases(session)
        except KnownError:
            return self.cases
        self.last_checked = dt.datetime.now()
        self.cases = found
        self.changed.emit(found)
        return found
