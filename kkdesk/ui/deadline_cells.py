"""How the case list shows deadlines: "Frist", "Intern frist", "Arbejdsdage tilbage".

Overdue is red and due within two working days amber — always with a word and an icon
as well, so the state does not depend on seeing colours.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap

from kkdesk.core.calendar import WorkCalendar, days_text
from kkdesk.core.caselist import CaseRow
from kkdesk.core.dates import short_date, weekday_date
from kkdesk.core.deadlines import on_time, urgency
from kkdesk.core.vocab import OPEN_STATUSES

HEADERS = ("Frist", "Intern frist", "Arbejdsdage tilbage")
RED_BG = QColor(255, 222, 222)
RED_FG = QColor(150, 0, 0)
AMBER_BG = QColor(255, 236, 196)
AMBER_FG = QColor(120, 70, 0)
GREY_FG = QColor(110, 110, 110)


@cache
def state_icon(state: str) -> QIcon:
    """A small round icon: red with "!" (overdue), amber with "…" (soon), grey pause."""
    size = 14
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = {"overdue": QColor(200, 30, 30), "soon": QColor(230, 150, 0)}.get(
        state, QColor(130, 130, 130)
    )
    painter.setBrush(QBrush(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.setPen(QPen(QColor("white")))
    if state == "paused":
        painter.fillRect(QRectF(4.5, 4, 1.8, 6), QColor("white"))
        painter.fillRect(QRectF(7.7, 4, 1.8, 6), QColor("white"))
    else:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(10)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter,
                         "!" if state == "overdue" else "…")  # fmt: skip
    painter.end()
    return QIcon(pixmap)


def row_state(row: CaseRow, calendar: WorkCalendar, today: dt.date) -> tuple[str, int] | None:
    """``("overdue"|"soon"|"ok", working days left)`` for open cases whose clock runs."""
    if row.status not in OPEN_STATUSES or row.status == "i_bero":
        return None
    return urgency(row.deadline, today, calendar)


def _days_left_text(row: CaseRow, state: tuple[str, int] | None) -> str:
    if row.status == "i_bero":
        return ""  # the deadline column says "i bero"
    if row.status in ("besvaret", "offentliggjort"):
        verdict = on_time(row.answered_on, row.deadline)
        if verdict is None:
            return "besvaret"
        return "besvaret til tiden" if verdict else "besvaret for sent"
    if state is None:
        return ""
    kind, left = state
    if kind == "overdue":
        return f"{left} – overskredet".replace("-", "−", 1)
    if kind == "soon":
        return "0 – i dag" if left == 0 else f"{left} – snart"
    return str(left)


def _tooltip(row: CaseRow, state: tuple[str, int] | None) -> str:
    if row.deadline is None:
        return "Fristen står stille, mens sagen er sat i bero." if row.status == "i_bero" else ""
    text = f"Frist {weekday_date(row.deadline)}"
    if row.internal_deadline:
        text += f"; intern frist {weekday_date(row.internal_deadline)}"
    if state is not None:
        kind, left = state
        if kind == "overdue":
            text += f" – overskredet med {days_text(-left)}"
        else:
            text += f" – {days_text(left)} tilbage"
    return text


def deadline_cell(
    row: CaseRow, column: int, role: int, calendar: WorkCalendar, today: dt.date
) -> Any:
    """The value of deadline column ``column`` (0, 1, 2 of ``HEADERS``) for ``role``."""
    state = row_state(row, calendar, today)
    kind = state[0] if state else None
    internal_late = (
        state is not None and row.internal_deadline is not None and row.internal_deadline < today
    )
    if role == Qt.ItemDataRole.DisplayRole:
        if column == 0:
            if row.deadline is None:
                return "i bero" if row.status == "i_bero" else "–"
            return short_date(row.deadline)
        if column == 1:
            return short_date(row.internal_deadline) if row.internal_deadline else ""
        return _days_left_text(row, state)
    if role == Qt.ItemDataRole.ToolTipRole:
        return _tooltip(row, state)
    if role == Qt.ItemDataRole.DecorationRole and column == 0:
        if kind in ("overdue", "soon"):
            return state_icon(kind)
        if row.status == "i_bero":
            return state_icon("paused")
        return None
    late = kind == "overdue" or (column == 1 and internal_late)
    if role == Qt.ItemDataRole.BackgroundRole:
        if late:
            return QBrush(RED_BG)
        if kind == "soon" and column != 1:
            return QBrush(AMBER_BG)
        return None
    if role == Qt.ItemDataRole.ForegroundRole:
        if late:
            return QBrush(RED_FG)
        if kind == "soon" and column != 1:
            return QBrush(AMBER_FG)
        if state is None and column == 2:
            return QBrush(GREY_FG)
        return None
    if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
        return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return None
