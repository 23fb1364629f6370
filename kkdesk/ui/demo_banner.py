"""Marks a window that shows the demo database, so nobody mistakes it for real cases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from kkdesk.core import demo

if TYPE_CHECKING:
    from kkdesk.ui.main_window import MainWindow

DEMO_TITLE = "kkdesk – EKSEMPELDATA"
BANNER_STYLE = "background: #ffb300; color: #1a1a1a;"
BANNER_TEXT = (
    "<b>EKSEMPELDATA</b> – fiktive sager til afprøvning. Intet her er rigtige sager, og "
    "intet, du gør her, påvirker din egen database."
)


def install(window: MainWindow) -> bool:
    """Give a window on the demo database its title, banner and status-bar label.

    Returns True if the window shows the demo database.
    """
    try:
        is_demo = demo.is_demo(window.db)
    except Exception:  # a database the marker cannot be read from is not the demo
        return False
    if not is_demo:
        return False
    window.setWindowTitle(DEMO_TITLE)

    banner = QWidget()
    banner.setObjectName("demo_banner")
    banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    banner.setStyleSheet(f"#demo_banner {{ {BANNER_STYLE} }}")
    text = QLabel(BANNER_TEXT)
    switch = QPushButton("Vælg rigtig database …")
    switch.setObjectName("demo_switch_button")
    switch.clicked.connect(window.request_database_switch)
    row = QHBoxLayout(banner)
    row.setContentsMargins(10, 6, 10, 6)
    row.addWidget(text, 1)
    row.addWidget(switch)
    banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    bar = QToolBar("Eksempeldata", window)
    bar.setObjectName("demo_banner_bar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setEnabled(False)
    bar.setStyleSheet(f"QToolBar {{ {BANNER_STYLE} border: 0; }}")
    bar.addWidget(banner)
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    label = QLabel(" EKSEMPELDATA ")
    label.setObjectName("demo_status_label")
    label.setStyleSheet(f"{BANNER_STYLE} font-weight: bold; padding: 1px 6px;")
    window.statusBar().insertPermanentWidget(0, label)
    return True
