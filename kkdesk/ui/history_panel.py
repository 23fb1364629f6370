"""The "Historik" tab of a case: every change, who made it and when (read-only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import audit
from kkdesk.core.audit import HistoryRow
from kkdesk.core.database import Database

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Tidspunkt", "Bruger", "Handling", "Felt", "Ændring")
PREVIEW = 60


def _preview(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW else line[: PREVIEW - 1] + "…"


class HistoryTableModel(QAbstractTableModel):
    """History rows (``kkdesk.core.audit.HistoryRow``), oldest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> HistoryRow | None:
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

    def _values(self, row: HistoryRow) -> tuple[str, ...]:
        field = row.field or row.comment
        if row.old_value and row.new_value:
            change = f"{_preview(row.old_value)} → {_preview(row.new_value)}"
        elif row.new_value:
            change = f"→ {_preview(row.new_value)}"
        elif row.old_value:
            change = f"{_preview(row.old_value)} → (fjernet)"
        else:
            change = ""
        return (row.at.strftime("%d-%m-%Y %H.%M"), row.user, row.action, field, change)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None or not 0 <= index.column() < len(HEADERS):
            return None
        value = self._values(row)[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _preview(value) if index.column() == 3 else value
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4 and value:
            return "Vælg linjen for at se hele værdien før og efter."
        return None


class HistoryPanel(QWidget):
    """The table of history lines, and the full before/after text of the selected line."""

    def __init__(self, db: Database, case_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.case_id = case_id
        self.model = HistoryTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((120, 130, 95, 140)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show(current.row())
        )
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Vælg en linje for at se hele værdien før og efter.")
        self.note = QLabel("Historikken kan ikke ændres eller slettes.")
        self.note.setStyleSheet("color: #555;")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(self.note)
        self.reload()

    def set_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        if self.case_id is None:
            self.model.set_rows([])
        else:
            with self.db.session() as session:
                self.model.set_rows(audit.case_history(session, self.case_id))
            self.view.scrollToBottom()
        self._show(-1)

    def _show(self, row: int) -> None:
        item = self.model.row(row)
        if item is None:
            self.detail.clear()
            return
        parts = [f"{item.at:%d-%m-%Y %H.%M.%S} · {item.user} · {item.action}"]
        if item.field:
            parts.append(f"Felt: {item.field}")
        if item.comment and item.comment != item.field:
            parts.append(item.comment)
        if item.old_value:
            parts.append(f"Før:\n{item.old_value}")
        if item.new_value:
            parts.append(f"Efter:\n{item.new_value}")
        self.detail.setPlainText("\n\n".join(parts))
