"""The case dialog's status and deadline panel: the status (read-only), the workflow's
next steps as buttons, the deadline and internal deadline with how they were computed,
and the deadline, contribution and reminder actions.

The status is never edited freely: every change is a workflow step (with its rules).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import deadlines, workflow
from kkdesk.core.calendar import days_text
from kkdesk.core.dates import weekday_date
from kkdesk.core.errors import KnownError
from kkdesk.core.vocab import OPEN_STATUSES, status_label
from kkdesk.ui import errors, workflow_actions

if TYPE_CHECKING:
    from kkdesk.ui.case_editor import CaseDialog

STATE_STYLE = {
    "overdue": "color: #960000; background: #ffdede; padding: 2px 4px;",
    "soon": "color: #784600; background: #ffecc4; padding: 2px 4px;",
}


def urgency_text(state: tuple[str, int] | None) -> str:
    """``overskredet med 2 arbejdsdage`` / ``1 arbejdsdag tilbage`` / ``i dag``."""
    if state is None:
        return ""
    kind, left = state
    if kind == "overdue":
        return f"overskredet med {days_text(-left)}"
    if left == 0:
        return "fristen er i dag"
    return f"{days_text(left)} tilbage"


class WorkflowPanel(QWidget):
    """Shows and changes a case's status and deadline (inside ``CaseDialog``)."""

    def __init__(self, dialog: CaseDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.status_label = QLabel()
        self.status_label.setStyleSheet("font-weight: bold;")
        self.deadline_label = QLabel()
        self.internal_label = QLabel()
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setStyleSheet("color: #555;")
        self.action_row = QHBoxLayout()
        self.action_buttons: dict[str, QPushButton] = {}

        self.deadline_button = QPushButton("Frist")
        self.deadline_button.setToolTip("Forlæng fristen eller fastsæt den manuelt")
        menu = QMenu(self.deadline_button)
        self.extend_action = menu.addAction("Forlæng frist…", lambda: self._deadline("extend"))
        self.override_action = menu.addAction(
            "Fastsæt frist manuelt…", lambda: self._deadline("override")
        )
        self.derived_action = menu.addAction(
            "Brug den beregnede frist igen", lambda: self._deadline("derived")
        )
        self.deadline_button.setMenu(menu)
        self.contributions_button = QPushButton("Bidrag…")
        self.contributions_button.setToolTip("Bed andre forvaltninger eller enheder om bidrag")
        self.contributions_button.clicked.connect(self._contributions)
        self.reminder_button = QPushButton("Send rykker")
        self.reminder_button.setToolTip("Lav en e-mail til sagsbehandleren om fristen")
        self.reminder_button.clicked.connect(self._reminder)

        top = QHBoxLayout()
        top.addWidget(self.status_label)
        top.addStretch()
        tools = QHBoxLayout()
        tools.addWidget(self.deadline_button)
        tools.addWidget(self.contributions_button)
        tools.addWidget(self.reminder_button)
        tools.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(self.action_row)
        layout.addWidget(self.deadline_label)
        layout.addWidget(self.internal_label)
        layout.addWidget(self.explanation)
        layout.addLayout(tools)
        self.show_case(None, "modtaget")

    # --- showing ------------------------------------------------------------------------
    def show_case(self, case_id: int | None, status: str) -> None:
        """Show a case's status, steps and deadlines (``case_id`` None: not saved yet)."""
        self.status_label.setText(status_label(status))
        for button in self.action_buttons.values():
            # Hidden and detached at once: deleteLater alone leaves it drawn over the panel.
            self.action_row.removeWidget(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        self.action_buttons.clear()
        saved = case_id is not None
        for action in workflow.actions_for(status):
            button = QPushButton(action.label)
            button.setToolTip(action.hint)
            button.setEnabled(saved)
            button.clicked.connect(lambda _c=False, a=action: self._run(a))
            self.action_row.addWidget(button)
            self.action_buttons[action.key] = button
        is_open = status in OPEN_STATUSES
        for widget in (self.deadline_button, self.contributions_button, self.reminder_button):
            widget.setEnabled(saved and is_open)
        if case_id is None:
            self.deadline_label.setText("Frist: beregnes, når sagen gemmes.")
            self.deadline_label.setStyleSheet("")
            self.internal_label.clear()
            self.explanation.clear()
            return
        try:
            with self.dialog.db.session() as session:
                info = deadlines.deadline_info(session, case_id)
        except KnownError as exc:
            errors.show_known_error(self, exc)
            return
        if info.deadline is None:
            text = "Frist: står stille (sat i bero)" if info.paused_since else "Frist: ingen"
        else:
            text = f"Frist: {weekday_date(info.deadline)}"
            detail = urgency_text(info.urgency)
            if detail:
                text += f" – {detail}"
            if info.override is not None:
                text += " (fastsat manuelt)"
        self.deadline_label.setText(text)
        self.deadline_label.setStyleSheet(
            STATE_STYLE.get(info.urgency[0], "") if info.urgency else ""
        )
        internal = info.internal_deadline
        late = internal is not None and info.urgency is not None and internal < dt.date.today()
        self.internal_label.setText(
            f"Intern frist: {weekday_date(internal)}" + (" – passeret" if late else "")
            if internal
            else ""
        )
        self.internal_label.setStyleSheet(STATE_STYLE["overdue"] if late else "")
        # The internal deadline has its own line above.
        lines = [line for line in info.lines if not line.startswith("Intern frist")]
        self.explanation.setText("\n".join(lines))
        self.derived_action.setEnabled(info.override is not None)

    # --- acting -------------------------------------------------------------------------
    def _ready(self) -> bool:
        """Unsaved edits are saved first, so a step never loses them."""
        return self.dialog.case_id is not None and (
            not self.dialog.is_dirty() or self.dialog.save()
        )

    def _run(self, action: workflow.Action) -> None:
        if not self._ready():
            return
        number = self.dialog.number_label.text()
        assert self.dialog.case_id is not None
        if workflow_actions.run_action(
            self, self.dialog.db, self.dialog.case_id, number, action, self.dialog.version
        ):
            self.dialog.reload()

    def _deadline(self, mode: str) -> None:
        if not self._ready():
            return
        assert self.dialog.case_id is not None
        if workflow_actions.change_deadline(
            self, self.dialog.db, self.dialog.case_id, mode, self.dialog.version
        ):
            self.dialog.reload()

    def _contributions(self) -> None:
        from kkdesk.ui.contributions_dialog import ContributionsDialog

        if not self._ready():
            return
        assert self.dialog.case_id is not None
        ContributionsDialog(self.dialog.db, self.dialog.case_id, self).exec()
        self.dialog.reload()

    def _reminder(self) -> None:
        from kkdesk.ui import reminder_ui

        if not self._ready():
            return
        assert self.dialog.case_id is not None
        if reminder_ui.send_reminder(self, self.dialog.db, self.dialog.case_id):
            self.dialog.reload()
