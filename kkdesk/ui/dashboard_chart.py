"""A small month chart drawn with QPainter: bars (answered per month) or a line (share
on time per month). Clicking a month emits ``month_clicked`` with its first day.

No QtCharts: that module is in PySide6-Addons, which kkdesk does not ship.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from kkdesk.core.dates import MONTHS

BAR = QColor(43, 87, 151)
LINE = QColor(46, 125, 50)
GRID = QColor(220, 220, 220)
TEXT = QColor(70, 70, 70)


class MonthChart(QWidget):
    """Values per month; ``None`` values are gaps (e.g. no answered case to judge)."""

    month_clicked = Signal(object)  # dt.date: the first day of the month

    def __init__(self, title: str, kind: str = "bars", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.kind = kind  # "bars" | "line" (a percentage, 0–100)
        self.months: list[dt.date] = []
        self.values: list[float | None] = []
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(460, 240)

    def set_data(self, months: list[dt.date], values: list[float | None]) -> None:
        self.months, self.values = list(months), list(values)
        tips = [
            f"{MONTHS[m.month - 1]} {m.year}: "
            + ("–" if v is None else (f"{v:.0f} %" if self.kind == "line" else f"{v:.0f}"))
            for m, v in zip(months, values, strict=True)
        ]
        self.setToolTip("\n".join(tips))
        self.update()

    # --- geometry ---------------------------------------------------------------------
    def _plot(self) -> QRectF:
        return QRectF(40, 28, max(self.width() - 52, 10), max(self.height() - 70, 10))

    def _top(self) -> float:
        if self.kind == "line":
            return 100.0
        highest = max((v for v in self.values if v is not None), default=0.0)
        return 4 * _nice_step(highest) if highest else 4.0

    def month_at(self, x: float) -> dt.date | None:
        """The month under x (widget coordinates), if any."""
        plot = self._plot()
        if not self.months or not plot.left() <= x <= plot.right():
            return None
        index = int((x - plot.left()) / (plot.width() / len(self.months)))
        return self.months[min(index, len(self.months) - 1)]

    # --- events -------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        month = self.month_at(event.position().x())
        if month is not None and event.button() == Qt.MouseButton.LeftButton:
            self.month_clicked.emit(month)
        super().mousePressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        title = QFont(self.font())
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(TEXT)
        painter.drawText(
            QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title
        )
        painter.setFont(self.font())
        plot = self._plot()
        top = self._top()
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() - 1.5, 6.5))
        painter.setFont(small)
        for i in range(5):  # grid and y labels
            value = top * i / 4
            y = plot.bottom() - plot.height() * i / 4
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(TEXT)
            label = f"{value:.0f} %" if self.kind == "line" else f"{value:.0f}"
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(QRectF(0, y - 8, plot.left() - 4, 16), right, label)
        if not self.months:
            painter.end()
            return
        slot = plot.width() / len(self.months)
        points: list[QPointF] = []
        for index, (month, found) in enumerate(zip(self.months, self.values, strict=True)):
            x = plot.left() + slot * index
            name = MONTHS[month.month - 1][:3]
            if index == 0 or month.month == 1:
                name += f" {month.year % 100:02d}"
            painter.setPen(TEXT)
            painter.drawText(QRectF(x, plot.bottom() + 4, slot, 16),
                             Qt.AlignmentFlag.AlignHCenter, name)  # fmt: skip
            if found is None:
                continue
            value = found
            height = plot.height() * min(value / top, 1.0) if top else 0.0
            if self.kind == "bars":
                bar = QRectF(x + slot * 0.18, plot.bottom() - height, slot * 0.64, height)
                painter.fillRect(bar, BAR)
                painter.drawText(QRectF(x, plot.bottom() - height - 16, slot, 14),
                                 Qt.AlignmentFlag.AlignHCenter, f"{value:.0f}")  # fmt: skip
            else:
                points.append(QPointF(x + slot / 2, plot.bottom() - height))
        if points:
            painter.setPen(QPen(LINE, 2))
            if len(points) > 1:
                painter.drawPolyline(QPolygonF(points))
            painter.setBrush(LINE)
            for point in points:
                painter.drawEllipse(point, 3, 3)
        painter.end()


def _nice_step(highest: float) -> float:
    """A round grid step so that four steps cover ``highest``."""
    raw = max(highest / 4, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10.0 * magnitude
