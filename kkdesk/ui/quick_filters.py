"""The quick filters above the case list: "Overskredne", "Frist denne uge", "Til
godkendelse", "Mine sager" (at most one at a time), and a filter set from the overview
(e.g. "Besvaret i maj 2025") that can be cleared."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar, QToolButton, QWidget

from kkdesk.core.caselist import CaseFilter
from kkdesk.core.caselist_deadlines import QUICK_FILTERS
from kkdesk.core.users import current_user

TIPS = {
    "overdue": "Åbne sager, hvis frist er overskredet (sager i bero tæller ikke med)",
    "due_this_week": "Åbne sager med frist i denne uge (mandag–søndag)",
    "awaiting_approval": "Sager med status Til godkendelse",
    "mine": "Åbne sager, hvor du er sagsbehandler eller har oprettet sagen",
}


class QuickFilterBar(QToolBar):
    """Checkable quick filters; ``apply`` adds the chosen one to a ``CaseFilter``."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Hurtigfiltre", parent)
        self.setObjectName("quick_filter_toolbar")
        self.setMovable(False)
        self.addWidget(QLabel("  Hurtigfiltre: "))
        self.actions_by_key: dict[str, QAction] = {}
        for key, label in QUICK_FILTERS.items():
            action = QAction(label, self)
            action.setCheckable(True)
            action.setToolTip(TIPS[key])
            action.toggled.connect(lambda on, k=key: self._toggled(k, on))
            self.addAction(action)
            self.actions_by_key[key] = action
        self.addSeparator()
        self.extra_label = QLabel()
        self.extra_label.setStyleSheet("color: #2b5797; font-weight: bold;")
        self.clear_button = QToolButton()
        self.clear_button.setText("Ryd filter")
        self.clear_button.setToolTip(
            "Vis alle sager igen (nulstil hurtigfiltre og overblikkets filter)"
        )
        self.clear_button.clicked.connect(self.clear)
        self.addWidget(self.extra_label)
        self.addWidget(self.clear_button)
        self.answered: tuple[dt.date, dt.date] | None = None
        self._quiet = False
        self._update_extra("")

    def quick(self) -> str:
        """The chosen quick filter's key, or ""."""
        return next((k for k, a in self.actions_by_key.items() if a.isChecked()), "")

    def _toggled(self, key: str, on: bool) -> None:
        if self._quiet:
            return
        self._quiet = True
        if on:
            for other, action in self.actions_by_key.items():
                if other != key:
                    action.setChecked(False)
        self._quiet = False
        self.changed.emit()

    def set_quick(self, key: str, *, emit: bool = True) -> None:
        """Choose a quick filter ("" for none)."""
        self._quiet = True
        for other, action in self.actions_by_key.items():
            action.setChecked(other == key)
        self._quiet = False
        if emit:
            self.changed.emit()

    def set_answered(self, label: str, period: tuple[dt.date, dt.date] | None) -> None:
        """Limit to cases answered in ``period`` (set from the overview)."""
        self.answered = period
        self._update_extra(label if period else "")

    def _update_extra(self, label: str) -> None:
        self.extra_label.setText(f"  {label}  " if label else "")
        self.extra_label.setVisible(bool(label))

    def clear(self) -> None:
        self.set_answered("", None)
        self.set_quick("", emit=False)
        self.changed.emit()

    def apply(self, flt: CaseFilter) -> CaseFilter:
        """``flt`` with the quick filter and the answered period."""
        quick = self.quick()
        start, end = self.answered or (None, None)
        return replace(
            flt,
            quick=quick,
            user=current_user() if quick == "mine" else flt.user,
            answered_from=start,
            answered_to=end,
        )
