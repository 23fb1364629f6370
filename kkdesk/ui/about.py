"""Hjælp ▸ Om kkdesk: the version and the database in use, with what IT support asks for."""

from __future__ import annotations

import platform
import sys

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kkdesk import __version__
from kkdesk.core import demo, paths
from kkdesk.core.database import Database


def database_kind(db: Database) -> str:
    """Danish description of the kind of database."""
    try:
        if demo.is_demo(db):
            return "Eksempeldata (fiktive sager)"
    except Exception:  # the marker cannot be read: not the demo
        pass
    return "Fælles PostgreSQL-database" if db.dialect == "postgresql" else "Lokal SQLite-fil"


def about_facts(db: Database) -> list[tuple[str, str]]:
    """(label, value) pairs shown in the dialog and copied for IT support."""
    frozen = getattr(sys, "frozen", False)
    return [
        ("Version", __version__),
        ("Database", db.describe()),
        ("Databasetype", database_kind(db)),
        ("Datamappe", str(paths.data_dir())),
        ("Fejllog", str(paths.log_dir() / "fejl.log")),
        ("Installation", "selvstændig pakke" if frozen else f"Python {platform.python_version()}"),
        ("Qt", f"{qVersion()} (PySide6 {PySide6.__version__})"),
        ("System", platform.platform(terse=True)),
    ]


class AboutDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Om kkdesk")
        self.facts = about_facts(db)
        logo = QLabel()
        icon = paths.resources_dir() / "icons" / "kkdesk.png"
        if icon.exists():
            logo.setPixmap(QIcon(str(icon)).pixmap(64, 64))
        title = QLabel(
            f"<h2>kkdesk {__version__}</h2>"
            "Sekretariatets register over politikerspørgsmål, frister og svar."
        )
        title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title, 1)
        form = QFormLayout()
        self.value_labels: dict[str, QLabel] = {}
        for label, value in self.facts:
            field = QLabel(value)
            field.setWordWrap(True)
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", field)
            self.value_labels[label] = field
        buttons = QDialogButtonBox()
        copy = buttons.addButton("Kopiér oplysninger", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setToolTip("Kopiér oplysningerne, så du kan sende dem til IT-supporten")
        copy.clicked.connect(self.copy_facts)
        close = buttons.addButton("Luk", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def facts_text(self) -> str:
        return "\n".join(f"{label}: {value}" for label, value in self.facts)

    def copy_facts(self) -> None:
        QGuiApplication.clipboard().setText(self.facts_text())
