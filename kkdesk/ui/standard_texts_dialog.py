"""Standard texts: the maintenance dialog (Register ▸ Standardtekster…) and the picker
the case editor uses to insert one into an answer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import standard_texts
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.standard_texts import FIELDS, StandardTextInfo
from kkdesk.core.users import current_user
from kkdesk.ui import errors

ModelIndex = QModelIndex | QPersistentModelIndex


class StandardTextListModel(QAbstractListModel):
    """Standard texts by name (inactive ones marked)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[StandardTextInfo] = []

    def set_items(self, items: list[StandardTextInfo]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> StandardTextInfo | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, text_id: int) -> int:
        return next((i for i, t in enumerate(self._items) if t.id == text_id), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name if item.active else f"{item.name} (ikke i brug)"
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.body
        return None


def _fields_help() -> str:
    return "Felter: " + ", ".join("{" + name + "}" for name in FIELDS) + "."


class StandardTextsDialog(QDialog):
    """Create, change and delete standard texts."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Standardtekster")
        self.current_id: int | None = None
        self.model = StandardTextListModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.name_edit = QLineEdit()
        self.body_edit = QPlainTextEdit()
        self.body_edit.setPlaceholderText("Teksten. Brug felter som {enhed} og {telefon}.")
        self.active_box = QCheckBox("I brug")
        self.active_box.setChecked(True)
        help_label = QLabel(_fields_help())
        help_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Navn:", self.name_edit)
        form.addRow("Tekst:", self.body_edit)
        form.addRow("", self.active_box)
        form.addRow("", help_label)
        self.new_button = QPushButton("Ny")
        self.save_button = QPushButton("Gem")
        self.delete_button = QPushButton("Slet")
        self.new_button.clicked.connect(self.new_text)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(close)
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show(current.row())
        )
        self.resize(900, 520)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        with self.db.session() as session:
            self.model.set_items(standard_texts.list_texts(session))
        row = self.model.row_of(select_id) if select_id is not None else 0
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(max(row, 0)))
        else:
            self.new_text()

    def _show(self, row: int) -> None:
        item = self.model.item(row)
        if item is None:
            return
        self.current_id = item.id
        self.name_edit.setText(item.name)
        self.body_edit.setPlainText(item.body)
        self.active_box.setChecked(item.active)

    def new_text(self) -> None:
        self.current_id = None
        self.list.clearSelection()
        self.name_edit.clear()
        self.body_edit.clear()
        self.active_box.setChecked(True)
        self.name_edit.setFocus()

    def save(self) -> bool:
        try:
            with self.db.session() as session:
                text_id = standard_texts.save_text(
                    session,
                    self.current_id,
                    self.name_edit.text(),
                    self.body_edit.toPlainText(),
                    current_user(),
                    active=self.active_box.isChecked(),
                )
        except KnownError as exc:
            errors.show_known_error(self, exc, "Standardteksten blev ikke gemt")
            return False
        self.reload(text_id)
        return True

    def delete(self) -> None:
        if self.current_id is None:
            return
        answer = QMessageBox.question(
            self, "Slet standardtekst", f"Slet standardteksten '{self.name_edit.text()}'?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with self.db.session() as session:
            standard_texts.delete_text(session, self.current_id)
        self.reload()


class StandardTextPicker(QDialog):
    """Choose a standard text to insert; ``chosen`` is set when accepted."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Indsæt standardtekst")
        self.chosen: StandardTextInfo | None = None
        self.model = StandardTextListModel(self)
        with db.session() as session:
            self.model.set_items(standard_texts.list_texts(session, active_only=True))
        self.list = QListView()
        self.list.setModel(self.model)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        note = QLabel(
            "Felter, som sagen kender, udfyldes; resten, fx {telefon}, skal du selv udfylde, "
            "før sagen kan gemmes."
        )
        note.setWordWrap(True)
        box = QDialogButtonBox()
        self.insert_button = box.addButton("Indsæt", QDialogButtonBox.ButtonRole.AcceptRole)
        box.addButton("Annullér", QDialogButtonBox.ButtonRole.RejectRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(note)
        layout.addWidget(box)
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show(current.row())
        )
        self.list.doubleClicked.connect(lambda _i: self.accept())
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
        else:
            self.preview.setPlainText(
                "Der er ingen standardtekster endnu (Register ▸ Standardtekster…)."
            )
            self.insert_button.setEnabled(False)
        self.resize(760, 420)

    def _show(self, row: int) -> None:
        self.chosen = self.model.item(row)
        self.preview.setPlainText(self.chosen.body if self.chosen else "")
