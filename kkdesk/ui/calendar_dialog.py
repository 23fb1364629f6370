"""Register > "Frister og kalender…": the deadline rule of each kind of inquiry, the
optional closing days (switches), the secretariat's own closing days, and a calculator
that shows how a deadline is found. Every change moves the open cases' deadlines at once
(``kkdesk.core.deadlines``) and says how many moved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import deadlines
from kkdesk.core.calendar import OPTIONAL_DAYS, days_text, load_settings
from kkdesk.core.database import Database
from kkdesk.core.dates import weekday_date
from kkdesk.core.deadlines import Rule
from kkdesk.core.errors import KnownError
from kkdesk.core.users import current_user
from kkdesk.ui import errors
from kkdesk.ui.workflow_actions import date_edit, to_pydate

ModelIndex = QModelIndex | QPersistentModelIndex
RULE_HEADERS = ("Type henvendelse", "Svarfrist", "Intern frist")
RULE_TIPS = (
    "",
    "Arbejdsdage fra dagen efter modtagelsen (0: ingen frist)",
    "Arbejdsdage før svarfristen, hvor enhedens udkast skal være klar",
)


class RuleTableModel(QAbstractTableModel):
    """The rules; the two numbers are edited in place and saved at once."""

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self._rules: list[Rule] = []
        self.last_message = ""

    def reload(self) -> None:
        with self.db.session() as session:
            rules = list(deadlines.rules(session).values())
        self.beginResetModel()
        self._rules = rules
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rules)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RULE_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(RULE_HEADERS)
        ):
            return RULE_HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and 0 <= section < len(RULE_TIPS):
            return RULE_TIPS[section] or None
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() > 0:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rules):
            return None
        rule = self._rules[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                return rule.name
            value = rule.days if index.column() == 1 else rule.internal_days
            if role == Qt.ItemDataRole.EditRole:
                return value
            if index.column() == 1:
                return "ingen frist" if value == 0 else days_text(value)
            return f"{value} {'dag' if value == 1 else 'dage'} før"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == 0:
            return False
        rule = self._rules[index.row()]
        try:
            number = int(value)
        except (TypeError, ValueError):
            return False
        days = number if index.column() == 1 else rule.days
        internal = number if index.column() == 2 else rule.internal_days
        try:
            with self.db.session() as session:
                moved = deadlines.set_rule(session, rule.kind_code, days, internal, current_user())
        except KnownError as exc:
            errors.show_known_error(None, exc, "Fristreglen er ikke gemt")
            return False
        self._rules[index.row()] = Rule(rule.kind_code, rule.name, days, internal)
        self.last_message = (
            f"{rule.name}: {days}/{internal} arbejdsdage – {moved} åbne sager fik ny frist."
        )
        self.dataChanged.emit(index, index)
        return True


class CalendarDialog(QDialog):
    """Rules, switches, own closing days and a deadline calculator."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Frister og kalender")
        self.message = QLabel(" ")
        self.message.setStyleSheet("color: #2b5797;")

        self.rules = RuleTableModel(db, self)
        self.rules.reload()
        self.rules.dataChanged.connect(lambda *_a: self._changed(self.rules.last_message))
        rule_view = QTableView()
        rule_view.setModel(self.rules)
        rule_view.verticalHeader().setVisible(False)
        rule_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        rule_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        rule_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        rule_view.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        rule_box = QGroupBox("Fristregler (dobbeltklik på et tal for at ændre det)")
        QVBoxLayout(rule_box).addWidget(rule_view)

        switch_box = QGroupBox("Lukkedage ud over weekender og helligdage")
        switches = QVBoxLayout(switch_box)
        with db.session() as session:
            settings = load_settings(session)
        self.switches: dict[str, QCheckBox] = {}
        for optional in OPTIONAL_DAYS:
            box = QCheckBox(f"{optional.label[:1].upper()}{optional.label[1:]} "
                            f"({optional.day}/{optional.month}) er lukkedag")  # fmt: skip
            box.setChecked(settings.is_closed(optional.key))
            box.toggled.connect(lambda on, key=optional.key: self._switch(key, on))
            switches.addWidget(box)
            self.switches[optional.key] = box

        own_box = QGroupBox("Sekretariatets egne lukkedage")
        own = QVBoxLayout(own_box)
        self.own_list = QListWidget()
        own.addWidget(self.own_list)
        add_row = QHBoxLayout()
        self.own_date = date_edit(dt.date.today())
        self.own_name = QLineEdit()
        self.own_name.setPlaceholderText("fx Fredag efter Kr. himmelfart")
        add_button = QPushButton("Tilføj")
        add_button.clicked.connect(self._add_day)
        remove_button = QPushButton("Fjern valgte")
        remove_button.clicked.connect(self._remove_day)
        add_row.addWidget(self.own_date)
        add_row.addWidget(self.own_name, 1)
        add_row.addWidget(add_button)
        add_row.addWidget(remove_button)
        own.addLayout(add_row)

        try_box = QGroupBox("Prøv en beregning")
        trial = QHBoxLayout(try_box)
        self.try_date = date_edit(dt.date.today())
        self.try_kind = QComboBox()
        with db.session() as session:
            for rule in deadlines.rules(session).values():
                self.try_kind.addItem(rule.name, rule.kind_code)
        self.try_result = QLabel()
        self.try_result.setWordWrap(True)
        self.try_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.try_date.dateChanged.connect(lambda _d: self._try())
        self.try_kind.currentIndexChanged.connect(lambda _i: self._try())
        left = QVBoxLayout()
        left.addWidget(QLabel("Modtaget:"))
        left.addWidget(self.try_date)
        left.addWidget(self.try_kind)
        left.addStretch()
        trial.addLayout(left)
        trial.addWidget(self.try_result, 1)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Luk")
        close.rejected.connect(self.reject)
        columns = QHBoxLayout()
        right = QVBoxLayout()
        right.addWidget(switch_box)
        right.addWidget(own_box)
        columns.addWidget(rule_box, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(try_box)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(980, 620)
        self._fill_own()
        self._try()

    def _changed(self, text: str) -> None:
        self.message.setText(text)
        self._try()

    def _switch(self, key: str, closed: bool) -> None:
        try:
            with self.db.session() as session:
                moved = deadlines.set_closing_switch(session, key, closed, current_user())
        except KnownError as exc:
            errors.show_known_error(self, exc, "Kalenderen er ikke ændret")
            return
        self._changed(f"Kalenderen er ændret – {moved} åbne sager fik ny frist.")

    def _fill_own(self) -> None:
        self.own_list.clear()
        with self.db.session() as session:
            for day, name in deadlines.closing_days(session):
                item = QListWidgetItem(f"{weekday_date(day)} – {name}")
                item.setData(Qt.ItemDataRole.UserRole, day.isoformat())
                self.own_list.addItem(item)

    def _add_day(self) -> None:
        day = to_pydate(self.own_date.date())
        try:
            with self.db.session() as session:
                moved = deadlines.add_closing_day(
                    session, day, self.own_name.text(), current_user()
                )
        except KnownError as exc:
            errors.show_known_error(self, exc, "Lukkedagen er ikke tilføjet")
            return
        self.own_name.clear()
        self._fill_own()
        self._changed(f"Lukkedagen er tilføjet – {moved} åbne sager fik ny frist.")

    def _remove_day(self) -> None:
        item = self.own_list.currentItem()
        if item is None:
            return
        day = dt.date.fromisoformat(item.data(Qt.ItemDataRole.UserRole))
        try:
            with self.db.session() as session:
                moved = deadlines.remove_closing_day(session, day, current_user())
        except KnownError as exc:
            errors.show_known_error(self, exc, "Lukkedagen er ikke fjernet")
            return
        self._fill_own()
        self._changed(f"Lukkedagen er fjernet – {moved} åbne sager fik ny frist.")

    def _try(self) -> None:
        kind = self.try_kind.currentData()
        if not kind:
            return
        try:
            with self.db.session() as session:
                _day, lines = deadlines.deadline_for(session, to_pydate(self.try_date.date()), kind)
        except KnownError as exc:
            self.try_result.setText(exc.message)
            return
        self.try_result.setText("\n".join(lines))
