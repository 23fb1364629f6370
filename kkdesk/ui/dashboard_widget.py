"""The "Overblik" tab: key figures, a table per administration and two month charts.

Every figure leads to the case list filtered to the cases behind it
(``list_requested``): a key figure, a cell of the table, a month of a chart.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import dashboard
from kkdesk.core.dashboard import AdminFigures, Dashboard, format_days, format_pct, month_start
from kkdesk.core.database import Database
from kkdesk.core.dates import MONTHS, long_date
from kkdesk.core.errors import KnownError
from kkdesk.core.vocab import OPEN_STATUSES
from kkdesk.ui import errors
from kkdesk.ui.dashboard_chart import MonthChart

ModelIndex = QModelIndex | QPersistentModelIndex
ADMIN_HEADERS = (
    "Forvaltning",
    "Åbne",
    "Overskredne",
    "Frist denne uge",
    "Til godkendelse",
    "Besvaret (12 mdr.)",
    "Median arbejdsdage til svar",
    "Til tiden",
)
ADMIN_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ListRequest:
    """Which cases the list should show after a click on the overview."""

    label: str
    quick: str = ""
    statuses: frozenset[str] = frozenset()
    administration_id: int | None = None
    answered_from: dt.date | None = None
    answered_to: dt.date | None = None


class AdminTableModel(QAbstractTableModel):
    """One row per administration."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AdminFigures] = []

    def set_rows(self, rows: list[AdminFigures]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def figures(self, row: int) -> AdminFigures | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ADMIN_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(ADMIN_HEADERS)
        ):
            return ADMIN_HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == ADMIN_ID_ROLE:
            return row.administration_id
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row.code} – {row.name}",
                str(row.open),
                str(row.overdue),
                str(row.due_this_week),
                str(row.awaiting_approval),
                str(row.answered),
                format_days(row.median_days),
                format_pct(row.on_time_pct),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.overdue:
            return Qt.GlobalColor.darkRed
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Klik for at se sagerne i listen"
        return None


class FigureCard(QFrame):
    """A key figure: a big number over its label; a click shows the cases."""

    clicked = Signal()

    def __init__(self, label: str, colour: str = "#202020", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figure_card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Klik for at se sagerne i listen")
        self.setStyleSheet(
            "#figure_card { border: 1px solid #d0d0d0; border-radius: 6px; background: white; }"
            "#figure_card:hover { border-color: #2b5797; }"
        )
        self.number = QLabel("–")
        self.number.setStyleSheet(f"color: {colour}; font-size: 20pt; font-weight: bold;")
        self.text = QLabel(label)
        self.text.setStyleSheet("color: #404040;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.text)
        self.setMinimumWidth(150)

    def set_value(self, value: str) -> None:
        self.number.setText(value)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class DashboardWidget(QWidget):
    """The overview tab. ``refresh()`` reads the figures; clicks emit ``list_requested``."""

    list_requested = Signal(object)  # ListRequest

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.board: Dashboard | None = None
        self.last_ms = 0.0
        self.read_at = 0.0  # time.monotonic() of the last refresh
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.period = QLabel()
        self.period.setStyleSheet("color: #555;")
        refresh = QPushButton("Opdatér")
        refresh.clicked.connect(self.refresh)
        self.pdf_button = QPushButton("Eksportér som PDF…")
        self.pdf_button.clicked.connect(self.export_pdf)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.period)
        head.addLayout(titles)
        head.addStretch()
        head.addWidget(refresh)
        head.addWidget(self.pdf_button)

        self.cards = {
            "open": FigureCard("åbne sager"),
            "overdue": FigureCard("overskredet frist", "#a00000"),
            "due_this_week": FigureCard("frist denne uge", "#8a5200"),
            "awaiting_approval": FigureCard("til godkendelse"),
            "on_time": FigureCard("besvaret til tiden (12 mdr.)", "#2e7d32"),
        }
        requests = {
            "open": ListRequest("Åbne sager", statuses=frozenset(OPEN_STATUSES)),
            "overdue": ListRequest("Overskredne", quick="overdue"),
            "due_this_week": ListRequest("Frist denne uge", quick="due_this_week"),
            "awaiting_approval": ListRequest("Til godkendelse", quick="awaiting_approval"),
        }
        cards = QHBoxLayout()
        for key, card in self.cards.items():
            cards.addWidget(card)
            if key in requests:
                card.clicked.connect(lambda r=requests[key]: self.list_requested.emit(r))
            else:
                card.clicked.connect(self._answered_in_period)

        self.admin_model = AdminTableModel(self)
        self.admin_view = QTableView()
        self.admin_view.setModel(self.admin_model)
        self.admin_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.admin_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.admin_view.verticalHeader().setVisible(False)
        self.admin_view.setAlternatingRowColors(True)
        self.admin_view.setCursor(Qt.CursorShape.PointingHandCursor)
        header = self.admin_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(ADMIN_HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.admin_view.clicked.connect(self._admin_clicked)
        self.admin_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.admin_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.admin_model.modelReset.connect(self._fit_table)

        self.answered_chart = MonthChart("Besvarede sager pr. måned", "bars")
        self.on_time_chart = MonthChart("Andel besvaret til tiden pr. måned", "line")
        for chart in (self.answered_chart, self.on_time_chart):
            chart.month_clicked.connect(self._month_clicked)
        charts = QGridLayout()
        charts.addWidget(self.answered_chart, 0, 0)
        charts.addWidget(self.on_time_chart, 0, 1)
        hint = QLabel("Klik på et tal, en celle eller en måned for at se sagerne i listen.")
        hint.setStyleSheet("color: #555;")

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d0d0d0;")
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(cards)
        layout.addWidget(self.admin_view)
        layout.addWidget(line)
        layout.addLayout(charts, 4)
        layout.addWidget(hint)

    def _fit_table(self) -> None:
        """As tall as its rows: seven administrations need no scrolling."""
        view = self.admin_view
        rows = sum(view.rowHeight(r) for r in range(self.admin_model.rowCount()))
        view.setFixedHeight(rows + view.horizontalHeader().height() + 2 * view.frameWidth())

    # --- data -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the figures again (two queries, see ``kkdesk.core.dashboard``)."""
        started = time.perf_counter()
        try:
            with self.db.session() as session:
                board = dashboard.build(session)
        except KnownError as exc:
            errors.show_known_error(self, exc, "Overblikket kunne ikke opdateres")
            return
        self.show_board(board)
        self.last_ms = (time.perf_counter() - started) * 1000
        self.read_at = time.monotonic()

    def show_board(self, board: Dashboard) -> None:
        self.board = board
        self.heading.setText(f"Overblik pr. {long_date(board.today)}")
        self.period.setText(
            f"Besvarelser fra {long_date(board.period_from)} til i dag: {board.answered}, "
            f"median {format_days(board.median_days)} arbejdsdage fra modtagelse til svar."
        )
        self.cards["open"].set_value(f"{board.open:,}".replace(",", "."))
        self.cards["overdue"].set_value(str(board.overdue))
        self.cards["due_this_week"].set_value(str(board.due_this_week))
        self.cards["awaiting_approval"].set_value(str(board.awaiting_approval))
        self.cards["on_time"].set_value(format_pct(board.on_time_pct))
        self.admin_model.set_rows(board.administrations)
        months = [m.month for m in board.months]
        self.answered_chart.set_data(months, [float(m.answered) for m in board.months])
        self.on_time_chart.set_data(months, [m.on_time_pct for m in board.months])

    # --- clicks -------------------------------------------------------------------------
    def _admin_clicked(self, index: QModelIndex) -> None:
        figures = self.admin_model.figures(index.row())
        if figures is None or self.board is None:
            return
        name = figures.code
        column = index.column()
        if column == 2:
            request = ListRequest(f"{name}: overskredne", quick="overdue")
        elif column == 3:
            request = ListRequest(f"{name}: frist denne uge", quick="due_this_week")
        elif column == 4:
            request = ListRequest(f"{name}: til godkendelse", quick="awaiting_approval")
        elif column >= 5:
            request = ListRequest(
                f"{name}: besvaret siden {long_date(self.board.period_from)}",
                answered_from=self.board.period_from,
                answered_to=self.board.today,
            )
        else:
            request = ListRequest(f"{name}: åbne sager", statuses=frozenset(OPEN_STATUSES))
        self.list_requested.emit(
            ListRequest(
                request.label,
                request.quick,
                request.statuses,
                figures.administration_id,
                request.answered_from,
                request.answered_to,
            )
        )

    def _answered_in_period(self) -> None:
        if self.board is not None:
            self.list_requested.emit(
                ListRequest(
                    f"Besvaret siden {long_date(self.board.period_from)}",
                    answered_from=self.board.period_from,
                    answered_to=self.board.today,
                )
            )

    def _month_clicked(self, month: dt.date) -> None:
        last = month_start(month, -1) - dt.timedelta(days=1)
        self.list_requested.emit(
            ListRequest(
                f"Besvaret i {MONTHS[month.month - 1]} {month.year}",
                answered_from=month,
                answered_to=last,
            )
        )

    def export_pdf(self) -> None:
        from kkdesk.core.dashboard_pdf import write_pdf

        if self.board is None:
            self.refresh()
        if self.board is None:
            return
        path = choose_save_path(
            self, "Gem overblikket som PDF", f"overblik-{self.board.today:%Y-%m-%d}.pdf",
            "PDF-filer (*.pdf)",
        )  # fmt: skip
        if not path:
            return
        try:
            write_pdf(self.board, _with_suffix(path, ".pdf"))
        except KnownError as exc:
            errors.show_known_error(self, exc, "Overblikket blev ikke gemt")
            return
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Overblikket er gemt i {path}", 6000)


def choose_save_path(parent: QWidget, title: str, name: str, filters: str) -> str:
    """Ask where to save (tests replace this)."""
    path, _chosen = QFileDialog.getSaveFileName(parent, title, name, filters)
    return path


def _with_suffix(path: str, suffix: str) -> Any:
    from pathlib import Path

    target = Path(path)
    return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)
