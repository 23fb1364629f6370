"""Maintaining the register: administrations, units, officers, askers, parties, kinds.

One dialog serves all of them: a table of the records and a form described by
``FIELDS``; saving and deleting go through ``kkdesk.core.registry``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core import registry
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration, Party, Unit
from kkdesk.core.vocab import ROLE_LABELS
from kkdesk.ui import errors

ModelIndex = QModelIndex | QPersistentModelIndex
Options = Callable[[Session], list[tuple[str, Any]]]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text | bool | choice
    options: Options | None = None
    width: int = 0


def _admins(session: Session) -> list[tuple[str, Any]]:
    return [
        (f"{a.code} – {a.name}", a.id)
        for a in session.scalars(select(Administration).order_by(Administration.code))
    ]


def _admins_optional(session: Session) -> list[tuple[str, Any]]:
    return [("(ingen)", None), *_admins(session)]


def _units(session: Session) -> list[tuple[str, Any]]:
    rows = session.scalars(
        select(Unit).join(Administration).order_by(Administration.code, Unit.name)
    )
    return [("(ingen)", None)] + [(f"{u.administration.code}: {u.name}", u.id) for u in rows]


def _parties(session: Session) -> list[tuple[str, Any]]:
    rows = session.scalars(select(Party).order_by(Party.letter))
    return [("(intet parti)", None)] + [(f"{p.letter} – {p.name}", p.id) for p in rows]


def _roles(_session: Session) -> list[tuple[str, Any]]:
    return [(label, code) for code, label in ROLE_LABELS.items()]


FIELDS: dict[str, tuple[str, list[Field]]] = {
    "administration": (
        "Forvaltninger",
        [
            Field("code", "Kode", width=60),
            Field("name", "Navn", width=280),
            Field("genitive", "Genitiv (i breve)", width=280),
            Field("address", "Adresse", width=200),
            Field("signer_name", "Underskriver"),
            Field("signer_title", "Underskrivers titel"),
            Field("active", "Aktiv", "bool"),
        ],
    ),
    "unit": (
        "Enheder",
        [
            Field("administration_id", "Forvaltning", "choice", _admins, width=240),
            Field("name", "Navn", width=260),
            Field("active", "Aktiv", "bool"),
        ],
    ),
    "officer": (
        "Sagsbehandlere",
        [
            Field("name", "Navn", width=200),
            Field("initials", "Initialer", width=70),
            Field("email", "E-mail", width=200),
            Field("administration_id", "Forvaltning", "choice", _admins_optional),
            Field("unit_id", "Enhed", "choice", _units),
            Field("active", "Aktiv", "bool"),
        ],
    ),
    "asker": (
        "Spørgere",
        [
            Field("name", "Navn", width=220),
            Field("party_id", "Parti", "choice", _parties),
            Field("role", "Rolle", "choice", _roles),
            Field("email", "E-mail", width=220),
        ],
    ),
    "party": (
        "Partier",
        [Field("letter", "Bogstav", width=70), Field("name", "Navn", width=300)],
    ),
    "kind": (
        "Typer af henvendelser",
        [
            Field("code", "Kode", width=110),
            Field("name", "Navn", width=260),
            Field("active", "Aktiv", "bool"),
        ],
    ),
}


class RegistryTableModel(QAbstractTableModel):
    """Rows are plain dicts of a record's values plus ``_id``; labels resolved for choices."""

    def __init__(self, fields: list[Field], parent: Any = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.rows: list[dict[str, Any]] = []
        self.labels: dict[str, dict[Any, str]] = {}

    def set_rows(self, rows: list[dict[str, Any]], labels: dict[str, dict[Any, str]]) -> None:
        self.beginResetModel()
        self.rows, self.labels = rows, labels
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.fields)
        ):
            return self.fields[section].label
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        field = self.fields[index.column()]
        value = self.rows[index.row()].get(field.key)
        if field.kind == "bool":
            return "Ja" if value else "Nej"
        if field.kind == "choice":
            return self.labels.get(field.key, {}).get(value, "")
        return "" if value is None else str(value)


class RegistryDialog(QDialog):
    def __init__(self, db: Database, entity: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.entity = entity
        title, self.fields = FIELDS[entity]
        self.setWindowTitle(title)
        self.model = RegistryTableModel(self.fields, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, field in enumerate(self.fields):
            if field.width:
                self.view.setColumnWidth(column, field.width)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))

        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for field in self.fields:
            widget: QWidget
            if field.kind == "bool":
                widget = QCheckBox()
            elif field.kind == "choice":
                widget = QComboBox()
            else:
                widget = QLineEdit()
            self.editors[field.key] = widget
            form.addRow(f"{field.label}:", widget)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("Ny")
        self.save_button = QPushButton("Gem")
        self.delete_button = QPushButton("Slet")
        self.new_button.clicked.connect(self.new_record)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.current_id: Any = None
        self.reload()
        self.resize(900, 600)

    def reload(self, select_id: Any = None) -> None:
        with self.db.session() as session:
            records = registry.list_records(session, self.entity)
            rows = []
            for record in records:
                row = {f.key: getattr(record, f.key) for f in self.fields}
                row["_id"] = record.code if self.entity == "kind" else record.id
                rows.append(row)
            options = {f.key: f.options(session) for f in self.fields if f.options}
        labels = {key: dict((v, label) for label, v in opts) for key, opts in options.items()}
        for key, opts in options.items():
            combo = self.editors[key]
            assert isinstance(combo, QComboBox)
            combo.clear()
            for label, value in opts:
                combo.addItem(label, value)
        self.model.set_rows(rows, labels)
        target = next((i for i, r in enumerate(rows) if r["_id"] == select_id), 0 if rows else -1)
        if target >= 0:
            self.view.selectRow(target)
        self._show(target)

    def _show(self, row: int) -> None:
        values = self.model.rows[row] if 0 <= row < len(self.model.rows) else {}
        self.current_id = values.get("_id")
        for field in self.fields:
            widget = self.editors[field.key]
            value = values.get(field.key)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value) if values else True)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            elif isinstance(widget, QLineEdit):
                widget.setText("" if value is None else str(value))
        if self.entity == "kind":
            code = self.editors["code"]
            assert isinstance(code, QLineEdit)
            code.setReadOnly(self.current_id is not None)

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for field in self.fields:
            widget = self.editors[field.key]
            if isinstance(widget, QCheckBox):
                result[field.key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                result[field.key] = widget.currentData()
            elif isinstance(widget, QLineEdit):
                result[field.key] = widget.text()
        return result

    def new_record(self) -> None:
        self.view.clearSelection()
        self._show(-1)

    def save(self) -> None:
        try:
            with self.db.session() as session:
                record = registry.save(
                    session, self.entity, self.current_id, self.values(), user=self.db.user
                )
                new_id = record.code if self.entity == "kind" else record.id
        except KnownError as exc:
            errors.show_known_error(self, exc, "Ikke gemt")
            return
        self.reload(new_id)

    def delete(self) -> None:
        if self.current_id is None:
            return
        answer = QMessageBox.question(self, "Slet", "Vil du slette den valgte post?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            with self.db.session() as session:
                registry.delete(session, self.entity, self.current_id, user=self.db.user)
        except KnownError as exc:
            errors.show_known_error(self, exc, "Ikke slettet")
            return
        self.reload()
