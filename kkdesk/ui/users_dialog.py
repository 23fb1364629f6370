"""Register → Brugere: who uses kkdesk, with which role (secretariat only), and
"Min profil" (anyone: their own name and initials)."""

from __future__ import annotations

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
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from kkdesk.core import users
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration
from kkdesk.ui import errors

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Login", "Navn", "Initialer", "Rolle", "Forvaltning", "Aktiv")


class UserTableModel(QAbstractTableModel):
    """Rows are plain dicts: id, login, name, initials, role, administration_id, code, active."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

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
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        return (
            row["login"],
            row["name"],
            row["initials"],
            users.ROLE_LABELS.get(row["role"], row["role"]),
            row["code"] or "",
            "Ja" if row["active"] else "Nej",
        )[index.column()]


class UsersDialog(QDialog):
    """The list of users and a form to change one (saved through ``users.save_user``)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Brugere")
        self.model = UserTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((110, 200, 70, 110, 100)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._show(cur.row()))

        self.login_edit = QLineEdit()
        self.login_edit.setPlaceholderText("brugerens Windows-login, fx ab12cd")
        self.name_edit = QLineEdit()
        self.initials_edit = QLineEdit()
        self.role_combo = QComboBox()
        for code, label in users.ROLE_LABELS.items():
            self.role_combo.addItem(f"{label} – {users.ROLE_DESCRIPTIONS[code]}", code)
        self.admin_combo = QComboBox()
        self.active_check = QCheckBox("Aktiv (kan bruge kkdesk)")
        self.role_combo.currentIndexChanged.connect(lambda _i: self._role_changed())
        form = QFormLayout()
        form.addRow("Login:", self.login_edit)
        form.addRow("Navn:", self.name_edit)
        form.addRow("Initialer:", self.initials_edit)
        form.addRow("Rolle:", self.role_combo)
        form.addRow("Forvaltning:", self.admin_combo)
        form.addRow("", self.active_check)

        self.new_button = QPushButton("Ny bruger")
        self.save_button = QPushButton("Gem")
        self.new_button.clicked.connect(self.new_user)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        note = QLabel(
            "Nye kolleger oprettes automatisk som Læser, første gang de starter kkdesk. "
            "Alle ændringer her skrives i revisionsloggen."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addWidget(close)
        self.current_id: int | None = None
        self.reload()
        self.resize(760, 560)

    def reload(self, select_id: int | None = None) -> None:
        with self.db.session() as session:
            rows = [
                {
                    "id": u.id,
                    "login": u.login,
                    "name": u.name,
                    "initials": u.initials,
                    "role": u.role,
                    "administration_id": u.administration_id,
                    "code": u.administration.code if u.administration else None,
                    "active": u.active,
                }
                for u in users.list_users(session)
            ]
            admins = [
                (f"{a.code} – {a.name}", a.id)
                for a in session.scalars(select(Administration).order_by(Administration.code))
            ]
        self.admin_combo.clear()
        self.admin_combo.addItem("(ingen)", None)
        for label, admin_id in admins:
            self.admin_combo.addItem(label, admin_id)
        self.model.set_rows(rows)
        target = next((i for i, r in enumerate(rows) if r["id"] == select_id), 0 if rows else -1)
        if target >= 0:
            self.view.selectRow(target)
        self._show(target)

    def _show(self, row: int) -> None:
        values = self.model.rows[row] if 0 <= row < len(self.model.rows) else {}
        self.current_id = values.get("id")
        self.login_edit.setText(values.get("login", ""))
        self.login_edit.setReadOnly(self.current_id is not None)
        self.name_edit.setText(values.get("name", ""))
        self.initials_edit.setText(values.get("initials", ""))
        self.role_combo.setCurrentIndex(
            max(self.role_combo.findData(values.get("role", users.LAESER)), 0)
        )
        self.admin_combo.setCurrentIndex(
            max(self.admin_combo.findData(values.get("administration_id")), 0)
        )
        self.active_check.setChecked(bool(values.get("active", True)))
        self._role_changed()

    def _role_changed(self) -> None:
        self.admin_combo.setEnabled(self.role_combo.currentData() == users.FORVALTNING)

    def new_user(self) -> None:
        self.view.clearSelection()
        self._show(-1)
        self.login_edit.setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "login": self.login_edit.text(),
            "name": self.name_edit.text(),
            "initials": self.initials_edit.text(),
            "role": self.role_combo.currentData(),
            "administration_id": self.admin_combo.currentData(),
            "active": self.active_check.isChecked(),
        }

    def save(self) -> bool:
        try:
            with self.db.session() as session:
                user = users.save_user(session, self.db.user, self.current_id, self.values())
                saved_id = user.id
        except KnownError as exc:
            errors.show_known_error(self, exc, "Brugeren blev ikke gemt")
            return False
        self.reload(saved_id)
        return True


class ProfileDialog(QDialog):
    """A person's own name and initials (shown in history and presence notices)."""

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, intro: str = "", title: str = ""
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(title or "Min profil")
        with db.session() as session:
            actor = users.actor_for(session, db.user)
        self.actor = actor
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        self.name_edit = QLineEdit(actor.name or actor.login)
        self.initials_edit = QLineEdit(actor.initials or users.suggest_initials(actor.name))
        self.initials_edit.setMaxLength(users.MAX_INITIALS)
        form = QFormLayout()
        form.addRow("Login:", QLabel(actor.login))
        form.addRow("Navn:", self.name_edit)
        form.addRow("Initialer:", self.initials_edit)
        form.addRow("Rolle:", QLabel(actor.role_label))
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Gem", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annullér", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.intro.setMinimumWidth(560)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)

    def save(self) -> None:
        try:
            with self.db.session() as session:
                users.update_profile(
                    session, self.db.user, self.name_edit.text(), self.initials_edit.text()
                )
        except KnownError as exc:
            errors.show_known_error(self, exc, "Profilen blev ikke gemt")
            return
        self.accept()
