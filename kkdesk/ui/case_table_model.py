"""The case list model: holds only case ids; fetches visible rows in blocks.

Sorting and filtering run in the database (``kkdesk.core.caselist``), so the list stays
responsive with 100,000 cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kkdesk.core import caselist
from kkdesk.core.calendar import WorkCalendar, load_calendar
from kkdesk.core.caselist import CaseFilter, CaseRow, CaseSort
from kkdesk.core.database import Database
from kkdesk.core.dates import short_date
from kkdesk.core.vocab import status_label
from kkdesk.ui import deadline_cells

ModelIndex = QModelIndex | QPersistentModelIndex

HEADERS = (
    "Sagsnr.",
    "Emne",
    "Spørger (parti)",
    "Forvaltning",
    "Modtaget",
    "Status",
    *deadline_cells.HEADERS,
)
DEADLINE_COLUMN = 6  # the first of the deadline columns
SORT_KEYS = caselist.COLUMNS
BLOCK = 200
MAX_CACHED = 20 * BLOCK
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CaseTableModel(QAbstractTableModel):
    """Rows are cases; ``CASE_ID_ROLE`` gives a row's case id."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._ids: list[int] = []
        self._rows: dict[int, CaseRow] = {}
        self._filter = CaseFilter()
        self._sort = CaseSort()
        # No query runs until the first filter is set (the view sorts while it is built).
        self._active = False
        # Working days left are counted on the database's calendar, as of the last reload.
        self._calendar: WorkCalendar | None = None
        self._today = dt.date.today()

    # --- Qt API -------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

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
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        case_id = self._ids[index.row()]
        if role == CASE_ID_ROLE:
            return case_id
        column = index.column()
        if column >= DEADLINE_COLUMN:
            found = self._row(index.row())
            if found is None or self._calendar is None:
                return None
            return deadline_cells.deadline_cell(
                found, column - DEADLINE_COLUMN, role, self._calendar, self._today
            )
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if column == 0:
            return row.case_number
        if column == 1:
            return row.subject
        if column == 2:
            return row.asker
        if column == 3:
            return row.administration
        if column == 4:
            return short_date(row.received_on)
        if column == 5:
            return status_label(row.status)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        self._sort = CaseSort(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
        if self._active:
            self.reload()

    # --- kkdesk API ---------------------------------------------------------------
    @property
    def current_filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter) -> None:
        """Show only the cases matching ``flt``."""
        self._filter = flt
        self._active = True
        self.reload()

    def reload(self) -> None:
        """Re-run the query (after a filter, a sort or a saved change)."""
        with self._db.session() as session:
            ids = caselist.case_ids(session, self._filter, self._sort)
            first = caselist.case_rows(session, ids[:BLOCK])
            calendar = load_calendar(session)
        self._calendar, self._today = calendar, dt.date.today()
        self.beginResetModel()
        self._ids = ids
        self._rows = first
        self.endResetModel()

    def refresh_case(self, case_id: int) -> None:
        """A case was saved: re-read its row (or the list, if it is new)."""
        if case_id not in self._rows and case_id not in set(self._ids):
            self.reload()
            return
        with self._db.session() as session:
            self._rows.update(caselist.case_rows(session, [case_id]))
        row = self._ids.index(case_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def case_ids(self) -> list[int]:
        """The ids of the list as shown (filtered and sorted)."""
        return list(self._ids)

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int | None:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return None

    def _row(self, row: int) -> CaseRow | None:
        case_id = self._ids[row]
        found = self._rows.get(case_id)
        if found is None:
            start = row - row % BLOCK
            block = self._ids[start : start + BLOCK]
            if len(self._rows) > MAX_CACHED:
                self._rows.clear()
            with self._db.session() as session:
                self._rows.update(caselist.case_rows(session, block))
            found = self._rows.get(case_id)
        return found
