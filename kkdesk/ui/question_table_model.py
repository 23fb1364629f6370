"""The questions of the case being edited (plain ``QuestionDraft``s, saved with the case)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kkdesk.core.drafts import QuestionDraft

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Nr.", "Spørgsmål", "Svar")


def _preview(text: str, limit: int = 90) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class QuestionTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[QuestionDraft] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

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
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(item.number), _preview(item.text), _preview(item.answer))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() > 0:
            return item.text if index.column() == 1 else item.answer
        return None

    # --- editing ------------------------------------------------------------------
    def items(self) -> list[QuestionDraft]:
        return [replace(q) for q in self._items]

    def set_items(self, items: list[QuestionDraft]) -> None:
        self.beginResetModel()
        self._items = [replace(q) for q in items]
        self.endResetModel()

    def item(self, row: int) -> QuestionDraft | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def update_item(self, row: int, *, text: str | None = None, answer: str | None = None) -> None:
        item = self.item(row)
        if item is None:
            return
        if text is not None:
            item.text = text
        if answer is not None:
            item.answer = answer
        self.dataChanged.emit(self.index(row, 1), self.index(row, 2))

    def add(self) -> int:
        row = len(self._items)
        number = max((q.number for q in self._items), default=0) + 1
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(QuestionDraft(number=number, text=""))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if self.item(row) is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self.endRemoveRows()
        self._renumber()

    def move(self, row: int, delta: int) -> int:
        """Move a question up (-1) or down (+1); numbers follow the order. Returns new row."""
        target = row + delta
        if self.item(row) is None or not 0 <= target < len(self._items):
            return row
        destination = target + 1 if delta > 0 else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._items[row], self._items[target] = self._items[target], self._items[row]
        self.endMoveRows()
        self._renumber()
        return target

    def _renumber(self) -> None:
        for number, item in enumerate(self._items, start=1):
            item.number = number
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 0))
