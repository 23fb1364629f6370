"""Contributions (bidrag) of one case: ask for input, register what came, gather it into
the draft answer, or cancel. Everything goes through ``kkdesk.core.contributions``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from kkdesk.core import contributions
from kkdesk.core.cases import load_case
from kkdesk.core.contributions import ContributionDraft, ContributionRow
from kkdesk.core.database import Database
from kkdesk.core.dates import short_date
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration, Officer
from kkdesk.core.users import current_user
from kkdesk.ui import errors
from kkdesk.ui.workflow_actions import date_edit, to_pydate

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Fra", "Spørgsmål", "Intern frist", "Status", "Modtaget", "I svaret")


class ContributionTableModel(QAbstractTableModel):
    """The contributions of a case, one per row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ContributionRow] = []

    def set_rows(self, rows: list[ContributionRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> ContributionRow | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

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
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.text or row.request or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            row.who + (f" ({row.officer})" if row.officer else ""),
            str(row.question_number) if row.question_number else "Hele sagen",
            short_date(row.internal_deadline) if row.internal_deadline else "",
            contributions.STATUS_LABELS.get(row.status, row.status),
            short_date(row.received_on) if row.received_on else "",
            "ja" if row.gathered else "",
        )[index.column()]


class RequestDialog(QDialog):
    """Ask an administration (unit, officer) for input on a question or the whole case."""

    def __init__(self, db: Database, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bed om bidrag")
        with db.session() as session:
            case = load_case(session, case_id)
            numbers = [q.number for q in case.questions]
            default = case.internal_deadline or dt.date.today()
            self._units = {
                a.code: [u.name for u in a.units if u.active]
                for a in session.scalars(select(Administration).order_by(Administration.code))
            }
            names = {a.code: a.name for a in session.scalars(select(Administration))}
            self._officers = [
                (o.name, o.administration.code if o.administration else None)
                for o in session.scalars(
                    select(Officer).where(Officer.active).order_by(Officer.name)
                )
            ]
        self.admin = QComboBox()
        for code in self._units:
            self.admin.addItem(f"{code} – {names[code]}", code)
        self.unit = QComboBox()
        self.officer = QComboBox()
        self.admin.currentIndexChanged.connect(lambda _i: self._fill())
        self.question = QComboBox()
        self.question.addItem("Hele sagen (det generelle svar)", None)
        for number in numbers:
            self.question.addItem(f"Spørgsmål {number}", number)
        self.deadline = date_edit(default)
        self.request = QPlainTextEdit()
        self.request.setPlaceholderText("Hvad skal bidraget handle om?")
        self.request.setFixedHeight(80)
        form = QFormLayout(self)
        form.addRow("Forvaltning:", self.admin)
        form.addRow("Enhed:", self.unit)
        form.addRow("Sagsbehandler:", self.officer)
        form.addRow("Til:", self.question)
        form.addRow("Intern frist:", self.deadline)
        form.addRow("Anmodning:", self.request)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Bed om bidrag")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Fortryd")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._fill()

    def _fill(self) -> None:
        code = self.admin.currentData()
        self.unit.clear()
        self.unit.addItem("(ingen enhed)", None)
        for name in self._units.get(code, []):
            self.unit.addItem(name, name)
        self.officer.clear()
        self.officer.addItem("(ingen sagsbehandler)", None)
        for name, admin in self._officers:
            if admin in (None, code):
                self.officer.addItem(name, name)

    def value(self) -> ContributionDraft:
        return ContributionDraft(
            administration=self.admin.currentData() or "",
            unit=self.unit.currentData(),
            officer=self.officer.currentData(),
            question_number=self.question.currentData(),
            request=self.request.toPlainText(),
            internal_deadline=to_pydate(self.deadline.date()),
        )


def ask_request(parent: QWidget | None, db: Database, case_id: int) -> ContributionDraft | None:
    dialog = RequestDialog(db, case_id, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


class TextDialog(QDialog):
    """The contribution's text as received (pasted from the e-mail)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Indsæt bidragets tekst:"))
        self.text = QPlainTextEdit()
        layout.addWidget(self.text)
        self.gather = QCheckBox("Indsæt teksten i svaret med det samme")
        self.gather.setChecked(True)
        layout.addWidget(self.gather)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Registrér")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Fortryd")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 360)


def ask_text(parent: QWidget | None, title: str) -> tuple[str, bool] | None:
    dialog = TextDialog(title, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text.toPlainText(), dialog.gather.isChecked()


class ContributionsDialog(QDialog):
    """The list of a case's contributions with their actions."""

    def __init__(self, db: Database, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.case_id = case_id
        self.setWindowTitle("Bidrag til sagen")
        self.model = ContributionTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(
            "Sagen kan ikke sendes til godkendelse, mens der afventes bidrag. Modtagne bidrag "
            "indsættes i svaret på det spørgsmål, de handler om (ellers i det generelle svar)."
        )
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        for label, slot in (
            ("Bed om bidrag…", self.request),
            ("Registrér modtaget bidrag…", self.register),
            ("Indsæt i svaret", self.gather),
            ("Annullér bidrag", self.cancel),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(820, 360)
        self.refresh()

    def refresh(self) -> None:
        with self.db.session() as session:
            self.model.set_rows(contributions.list_contributions(session, self.case_id))

    def _selected(self) -> ContributionRow | None:
        return self.model.row(self.view.currentIndex().row())

    def _do(self, title: str, work: Any) -> None:
        try:
            with self.db.session() as session:
                work(session)
        except KnownError as exc:
            errors.show_known_error(self, exc, title)
        self.refresh()

    def request(self) -> None:
        draft = ask_request(self, self.db, self.case_id)
        if draft is not None:
            self._do(
                "Anmodningen er ikke gemt",
                lambda s: contributions.request_contribution(
                    s, self.case_id, draft, current_user()
                ),
            )

    def register(self) -> None:
        row = self._selected()
        if row is None:
            return
        given = ask_text(self, f"Bidrag fra {row.who}")
        if given is not None:
            text, gather = given
            self._do(
                "Bidraget er ikke registreret",
                lambda s: contributions.register_contribution(
                    s, row.id, text, current_user(), gather=gather
                ),
            )

    def gather(self) -> None:
        row = self._selected()
        if row is not None:
            self._do(
                "Bidraget er ikke indsat",
                lambda s: contributions.gather_contribution(s, row.id, current_user()),
            )

    def cancel(self) -> None:
        row = self._selected()
        if row is not None:
            self._do(
                "Bidraget er ikke annulleret",
                lambda s: contributions.cancel_contribution(s, row.id, "", current_user()),
            )
