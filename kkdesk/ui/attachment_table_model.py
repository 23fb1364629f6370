"""The bilag of the case being edited: stored ones (``AttachmentInfo``) or, for a case
not saved yet, pending files from an e-mail. Toggling "Sendes med svaret" emits
``send_toggled``; the panel decides what that does (save now, or keep it pending)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from kkdesk.core.attachments import AttachmentInfo, default_title
from kkdesk.core.intake.mail import human_size

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Fil", "Titel i brevet", "Størrelse", "Tilføjet", "Sendes med svaret")
COL_NAME, COL_TITLE, COL_SIZE, COL_ADDED, COL_SEND = range(5)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class AttachmentRow:
    """One line of the table: a stored bilag (``attachment_id``) or a pending file."""

    file_name: str
    size: int
    added: str
    send_with_reply: bool
    is_original: bool
    title: str = ""
    attachment_id: int | None = None
    pending_index: int | None = None

    @classmethod
    def from_info(cls, info: AttachmentInfo) -> AttachmentRow:
        when = info.added_at.strftime("%d-%m-%Y")
        return cls(
            info.file_name,
            info.size,
            f"{when} af {info.added_by}" if info.added_by else when,
            info.send_with_reply,
            info.is_original,
            info.title,
            attachment_id=info.id,
        )


class AttachmentTableModel(QAbstractTableModel):
    send_toggled = Signal(int, bool)  # row, new value
    title_edited = Signal(int, str)  # row, new title ("" = the file name)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AttachmentRow] = []

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

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_SEND:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == COL_TITLE:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_NAME:
                return f"✉ {row.file_name}" if row.is_original else row.file_name
            if column == COL_TITLE:
                return row.title or default_title(row.file_name)
            if column == COL_SIZE:
                return human_size(row.size)
            if column == COL_ADDED:
                return row.added
            return None
        if role == Qt.ItemDataRole.EditRole and column == COL_TITLE:
            return row.title or default_title(row.file_name)
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_SEND:
            return Qt.CheckState.Checked if row.send_with_reply else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_NAME:
            title = row.title or default_title(row.file_name)
            what = "Den oprindelige e-mail" if row.is_original else "Bilag"
            return f"{what}: {row.file_name}\nI brevets bilagsliste: {title}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.isValid() and index.column() == COL_TITLE and role == Qt.ItemDataRole.EditRole:
            row = self._rows[index.row()]
            title = " ".join(str(value).split())
            if title == default_title(row.file_name):
                title = ""
            if title == row.title:
                return False
            row.title = title
            self.dataChanged.emit(index, index)
            self.title_edited.emit(index.row(), title)
            return True
        if (
            not index.isValid()
            or index.column() != COL_SEND
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        row = self._rows[index.row()]
        if row.send_with_reply == checked:
            return False
        row.send_with_reply = checked
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.send_toggled.emit(index.row(), checked)
        return True

    # --- content ------------------------------------------------------------------
    def set_rows(self, rows: list[AttachmentRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[AttachmentRow]:
        return list(self._rows)

    def row(self, index: int) -> AttachmentRow | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None
