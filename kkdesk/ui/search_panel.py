"""Full-text search in the main window: a dock with a search field and ranked hits.

Searches as the user types (a short pause first); double-click opens the case.
Installed by ``install_search(window)`` so the main window itself hardly changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core.database import Database
from kkdesk.core.dates import short_date
from kkdesk.core.search import SearchHit, search_cases, snippet_segments
from kkdesk.ui import errors
from kkdesk.ui.snippet_delegate import SnippetDelegate

if TYPE_CHECKING:
    from kkdesk.ui.main_window import MainWindow

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Sagsnr.", "Emne", "Spørger", "Modtaget", "Fundet i", "Uddrag")
SNIPPET_COLUMN = 5
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchResultModel(QAbstractTableModel):
    """Ranked hits, best first; column 5 holds the marked snippet."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

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
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        column = index.column()
        if role == CASE_ID_ROLE:
            return hit.case_id
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                hit.case_number,
                hit.subject,
                hit.asker,
                short_date(hit.received_on),
                hit.where_label,
                hit.snippet,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SNIPPET_COLUMN:
                return "".join(text for text, _ in snippet_segments(hit.snippet))
            if column == 1:
                return hit.subject
            if column == 4:
                return hit.where_label
        return None


class SearchPanel(QWidget):
    """Search field, hit count and result table."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.field = QLineEdit()
        self.field.setPlaceholderText(
            'Søg i emner, spørgsmål, svar, spørgere og noter – fx støj* eller "Enghave Plads"'
        )
        self.field.setClearButtonEnabled(True)
        self.status = QLabel("Skriv et eller flere ord.")
        self.model = SearchResultModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(SNIPPET_COLUMN, SnippetDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        for column, width in enumerate((80, 250, 160, 80, 210)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(SNIPPET_COLUMN, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.view)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.run_search)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self.run_search)

    def run_search(self) -> None:
        self._timer.stop()
        text = self.field.text()
        if not text.strip():
            self.model.set_hits([])
            self.status.setText("Skriv et eller flere ord.")
            return
        try:
            with self.db.session() as session:
                hits = search_cases(session, text)
        except Exception as exc:
            errors.handle(self, exc)
            return
        self.model.set_hits(hits)
        if not hits:
            self.status.setText("Ingen sager indeholder alle ordene.")
        elif len(hits) >= 50:
            self.status.setText("De 50 bedste træf vises – skriv flere ord for at indsnævre.")
        else:
            self.status.setText(f"{len(hits)} sager fundet, de bedste først.")


def install_search(window: MainWindow) -> QDockWidget:
    """Add the search dock to the main window (bottom, with Ctrl+Shift+F)."""
    panel = SearchPanel(window.db, window)
    dock = QDockWidget("Søg i sager og svar", window)
    dock.setObjectName("search_dock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    panel.view.doubleClicked.connect(lambda index: window.open_case(index.data(CASE_ID_ROLE)))
    action = QAction("Søg i sager og svar", window)
    action.setShortcut(QKeySequence("Ctrl+Shift+F"))

    def focus() -> None:
        dock.show()
        dock.raise_()
        panel.field.setFocus()
        panel.field.selectAll()

    action.triggered.connect(focus)
    window.case_menu.addAction(action)
    window.addAction(action)
    window.search_panel = panel  # type: ignore[attr-defined]
    return dock
