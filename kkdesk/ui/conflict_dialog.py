"""The save-conflict dialog: a colleague saved the case while you had it open.

Shows, per field, your change and the colleague's. Fields only one of you changed merge by
themselves; where you both changed the same field, you choose whose version to keep
(tick "Brug min"). "Flet og gem" saves the merged case, "Genindlæs" throws your changes
away and shows the colleague's version, "Annullér" goes back to editing (nothing saved).
The merge itself is ``kkdesk.core.merge``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import merge
from kkdesk.core.dates import long_date
from kkdesk.core.drafts import CaseDraft
from kkdesk.core.merge import FieldDiff, Side

ModelIndex = QModelIndex | QPersistentModelIndex
CONFLICT_COLOUR = QColor("#fde2e1")
PREVIEW = 70

# Dialog results besides Rejected (= cancel).
MERGE = 1
RELOAD = 2


def _preview(text: str) -> str:
    line = " ".join(text.split()) or "(tom)"
    return line if len(line) <= PREVIEW else line[: PREVIEW - 1] + "…"


class ConflictTableModel(QAbstractTableModel):
    """One row per changed field; column 3 is checkable for conflicts ("Brug min")."""

    def __init__(self, diffs: list[FieldDiff], parent: Any = None) -> None:
        super().__init__(parent)
        self.diffs = diffs
        self.headers = ("Felt", "Din ændring", "Kollegaens ændring", "Resultat")
        self.choices: dict[str, Side] = {d.key: "mine" for d in diffs if d.conflict}

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.diffs)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def _result(self, diff: FieldDiff) -> str:
        if diff.conflict:
            return "Brug min" if self.choices[diff.key] == "mine" else "Brug kollegaens"
        if diff.mine_changed and diff.theirs_changed:
            return "Ens ændring"
        return "Din (kun du ændrede)" if diff.mine_changed else "Kollegaens (kun de ændrede)"

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.diffs):
            return None
        diff = self.diffs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return diff.label
            if column == 1:
                return _preview(diff.mine) if diff.mine_changed else "(uændret)"
            if column == 2:
                return _preview(diff.theirs) if diff.theirs_changed else "(uændret)"
            if column == 3:
                return self._result(diff)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 2):
            return (diff.mine if column == 1 else diff.theirs)[:2000] or None
        if role == Qt.ItemDataRole.CheckStateRole and column == 3 and diff.conflict:
            checked = self.choices[diff.key] == "mine"
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and diff.conflict:
            return QBrush(CONFLICT_COLOUR)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 3 and self.diffs[index.row()].conflict:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() != 3
            or not self.diffs[index.row()].conflict
        ):
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        self.choices[self.diffs[index.row()].key] = "mine" if checked else "theirs"
        self.dataChanged.emit(index, index)
        return True

    def conflicts(self) -> int:
        return len(self.choices)


class ConflictDialog(QDialog):
    """Merge or reload after a save conflict; ``merged()`` is the draft to save."""

    def __init__(
        self,
        base: CaseDraft,
        mine: CaseDraft,
        theirs: CaseDraft,
        their_name: str,
        their_time: dt.datetime | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.base, self.mine, self.theirs = base, mine, theirs
        self.setWindowTitle(f"Sag {theirs.case_number} er ændret af en kollega")
        diffs = merge.field_diffs(base, mine, theirs)
        self.model = ConflictTableModel(diffs, self)
        when = f" kl. {their_time:%H.%M} den {long_date(their_time.date())}" if their_time else ""
        both = self.model.conflicts()
        if both:
            advice = (
                f"I har begge ændret {both} felt{'er' if both > 1 else ''} (markeret med rødt). "
                'Sæt flueben ved "Brug min" for at beholde din version, eller fjern det for '
                "at bruge kollegaens. Resten flettes automatisk."
            )
        else:
            advice = "I har ændret forskellige felter, så ændringerne kan flettes uden tab."
        self.intro = QLabel(
            f"<b>{their_name}</b> gemte sagen{when}, mens du havde den åben.<br>{advice}"
        )
        self.intro.setWordWrap(True)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show(current.row())
        )
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Vælg en linje for at se begge versioner i fuld længde.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton("Flet og gem", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reload_button = buttons.addButton(
            "Genindlæs (kassér mine ændringer)", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.cancel_button = buttons.addButton("Annullér", QDialogButtonBox.ButtonRole.RejectRole)
        self.merge_button.clicked.connect(lambda: self.done(MERGE))
        self.reload_button.clicked.connect(lambda: self.done(RELOAD))
        self.cancel_button.clicked.connect(self.reject)
        self.merge_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1000, 560)
        # Show the first conflict's full text without selecting it (keeps the red marking).
        first = next((i for i, d in enumerate(diffs) if d.conflict), 0 if diffs else -1)
        self._show(first)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.model.diffs):
            self.detail.clear()
            return
        diff = self.model.diffs[row]
        self.detail.setPlainText(
            f"{diff.label}\n\nDin version:\n{diff.mine or '(tom)'}\n\n"
            f"Kollegaens version:\n{diff.theirs or '(tom)'}\n\n"
            f"Som du åbnede den:\n{diff.base or '(tom)'}"
        )

    def merged(self) -> CaseDraft:
        """The case with both sets of changes, conflicts decided by the ticks."""
        return merge.merge(self.base, self.mine, self.theirs, dict(self.model.choices))
