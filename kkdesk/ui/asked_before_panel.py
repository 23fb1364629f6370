"""The "Spurgt før?" side panel of the case editor.

While a question is written, it lists the most similar earlier questions (ranked; date,
asker, administration) with their answers. "Brug svaret" copies an earlier answer into
the current question's answer as a starting point; the reuse is written to the case
history when the case is saved.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core.database import Database
from kkdesk.core.dates import long_date, short_date
from kkdesk.core.search import Suggestion, similar_questions

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Modtaget", "Sag", "Spørger", "Forv.", "Spørgsmål")


class SuggestionModel(QAbstractTableModel):
    """Earlier questions like the current one, most similar first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Suggestion] = []

    def set_items(self, items: list[Suggestion]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> Suggestion | None:
        return self._items[row] if 0 <= row < len(self._items) else None

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
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                short_date(item.received_on),
                item.case_number,
                item.asker,
                item.administration,
                " ".join(item.question.split()),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.subject}\n\n{item.question}"
        return None


class AskedBeforePanel(QWidget):
    """Suggestions for the question being edited. Emits ``reuse(suggestion)``."""

    reuse = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.exclude_case_id: int | None = None
        self._query = ("", "")
        title = QLabel("<b>Spurgt før?</b>")
        self.hint = QLabel("Skriv spørgsmålet – lignende tidligere spørgsmål vises her.")
        self.hint.setWordWrap(True)
        self.model = SuggestionModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.setMinimumWidth(420)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.use_button = QPushButton("Brug svaret som udgangspunkt")
        self.use_button.setToolTip(
            "Kopierer svaret ind i det valgte spørgsmåls svar; det noteres i sagens historik."
        )
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self._use)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.detail, 3)
        layout.addLayout(buttons)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show(current.row())
        )
        self.view.doubleClicked.connect(lambda _i: self._use())
        self._timer = QTimer(self, singleShot=True, interval=400)
        self._timer.timeout.connect(self.refresh)

    def set_query(self, question: str, subject: str) -> None:
        """The question (and subject) being written; suggestions follow after a pause."""
        if (question, subject) != self._query:
            self._query = (question, subject)
            self._timer.start()

    def refresh(self) -> None:
        """Look up suggestions now (the query takes a few milliseconds at 100,000 cases)."""
        self._timer.stop()
        question, subject = self._query
        items: list[Suggestion] = []
        if question.strip() or subject.strip():
            with self.db.session() as session:
                items = similar_questions(
                    session, question, subject=subject, exclude_case_id=self.exclude_case_id
                )
        self.model.set_items(items)
        if items:
            self.hint.setText(f"{len(items)} lignende spørgsmål med svar, de mest lignende først.")
            self.view.selectRow(0)
        else:
            self.hint.setText(
                "Ingen lignende spørgsmål med svar fundet."
                if question.strip()
                else "Skriv spørgsmålet – lignende tidligere spørgsmål vises her."
            )
            self._show(-1)

    def _show(self, row: int) -> None:
        item = self.model.item(row)
        self.use_button.setEnabled(item is not None)
        if item is None:
            self.detail.clear()
            return
        esc = html.escape
        paragraphs = "".join(f"<p>{esc(p)}</p>" for p in item.answer.split("\n\n"))
        self.detail.setHtml(
            f"<p><b>Sag {esc(item.case_number)}</b> – {esc(item.subject)}<br>"
            f"Modtaget {esc(long_date(item.received_on))} fra {esc(item.asker)}, "
            f"{esc(item.administration_name)}</p>"
            f"<p><b>Spørgsmål {item.question_number}:</b> {esc(item.question)}</p>"
            f"<p><b>Svar:</b></p>{paragraphs}"
        )

    def current(self) -> Suggestion | None:
        return self.model.item(self.view.currentIndex().row())

    def _use(self) -> None:
        item = self.current()
        if item is not None:
            self.reuse.emit(item)
