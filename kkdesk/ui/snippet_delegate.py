"""Draws a search snippet with the hit words in bold (HL_START/HL_END marks)."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kkdesk.core.search import snippet_segments


def snippet_html(snippet: str) -> str:
    """The snippet as HTML: hits in bold on a light yellow background."""
    parts = []
    for text, hit in snippet_segments(snippet):
        escaped = html.escape(text)
        parts.append(f"<b style='background:#fff3b0'>{escaped}</b>" if hit else escaped)
    return "".join(parts)


class SnippetDelegate(QStyledItemDelegate):
    """Renders the model's DisplayRole (a marked snippet) as rich text on one line."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        snippet = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        doc.setHtml(snippet_html(snippet))
        painter.save()
        rect = opt.rect.adjusted(2, 0, -2, 0)
        top = max(0.0, (rect.height() - doc.size().height()) / 2)
        painter.translate(rect.left(), rect.top() + top)
        painter.setClipRect(QRectF(0, -top, rect.width(), rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 8))
