"""Team features of the case window, attached by ``CaseDialog`` with one call:

* the presence notice ("<navn> redigerer denne sag") at the top, kept current by a lease
  with a heartbeat (``kkdesk.ui.presence``);
* the "Historik" tab (``kkdesk.ui.history_panel``);
* the role: a læser sees the case read-only, a forvaltning user may only write answers
  (the core services enforce the same; this only saves the user a refused save);
* the save conflict: ``resolve_conflict`` shows the conflict dialog and merges or reloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton

from kkdesk.core import audit, cases, permissions, users
from kkdesk.core.errors import KnownError
from kkdesk.core.permissions import Action
from kkdesk.ui import errors
from kkdesk.ui.conflict_dialog import MERGE, RELOAD, ConflictDialog
from kkdesk.ui.history_panel import HistoryPanel
from kkdesk.ui.presence import Banner, PresenceTracker

if TYPE_CHECKING:
    from kkdesk.ui.case_editor import CaseDialog

QUESTION_BUTTONS = ("Tilføj spørgsmål", "Slet", "Flyt op", "Flyt ned")


class CaseTeam(QObject):
    """The team features of one ``CaseDialog`` (see the module docstring)."""

    def __init__(self, dialog: CaseDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.db = dialog.db
        self.presence_banner = Banner("presence", dialog)
        self.role_banner = Banner("info", dialog)
        layout = dialog.layout()
        assert layout is not None
        layout.insertWidget(0, self.presence_banner)  # type: ignore[attr-defined]
        layout.insertWidget(1, self.role_banner)  # type: ignore[attr-defined]
        self.history = HistoryPanel(self.db, dialog.case_id, dialog)
        dialog.side_tabs.addTab(self.history, "Historik")
        self.tracker = PresenceTracker(self.db, self)
        self.tracker.changed.connect(self.presence_banner.set_text)
        self.last_conflict: ConflictDialog | None = None
        dialog.saved.connect(self._saved)
        dialog.finished.connect(lambda _result: self.tracker.stop())
        if dialog.case_id is not None:
            self.tracker.start(dialog.case_id)
        self.apply_role()

    # --- after a save -----------------------------------------------------------------
    def _saved(self, case_id: int) -> None:
        self.history.set_case(case_id)
        if self.tracker.case_id != case_id:
            self.tracker.start(case_id)

    # --- role -------------------------------------------------------------------------
    def apply_role(self) -> None:
        """Make the form read-only where the user's role does not allow changes."""
        dialog = self.dialog
        with self.db.session() as session:
            actor = users.actor_for(session, self.db.user)
            case = cases.load_case(session, dialog.case_id) if dialog.case_id else None
            if case is None:
                can_edit = permissions.allowed(actor, Action.CASE_CREATE)
                can_answer = can_transition = can_edit
            else:
                can_edit = permissions.allowed(actor, Action.CASE_EDIT, case)
                can_answer = permissions.allowed(actor, Action.CASE_ANSWER, case)
                can_transition = permissions.allowed(actor, Action.CASE_TRANSITION, case)
        self.actor = actor
        for widget in (
            dialog.kind_combo,
            dialog.subject_edit,
            dialog.asker_edit,
            dialog.party_combo,
            dialog.email_edit,
            dialog.role_combo,
            dialog.received_edit,
            dialog.channel_combo,
            dialog.admin_combo,
            dialog.unit_combo,
            dialog.officer_combo,
        ):
            widget.setEnabled(can_edit)
        for edit, writable in (
            (dialog.notes_edit, can_edit),
            (dialog.question_text, can_edit),
            (dialog.answer_text, can_answer),
        ):
            edit.setReadOnly(not writable)
            # Read-only text looks like the disabled fields (grey), not like an input.
            edit.setStyleSheet("" if writable else "QPlainTextEdit { background: #f0f0f0; }")
        dialog.workflow_panel.setEnabled(can_transition)
        for button in dialog.findChildren(QPushButton):
            if button.text() in QUESTION_BUTTONS:
                button.setEnabled(can_edit)
        can_save = can_edit or can_answer or can_transition
        dialog.save_button.setEnabled(can_save)
        dialog.save_close_button.setEnabled(can_save)
        if not actor.active:
            text = "Din bruger er deaktiveret: du kan kun læse sagen."
        elif not can_save:
            text = f"Du kan kun læse denne sag (din rolle: {actor.role_label})."
        elif not can_edit:
            text = (
                f"Din rolle er {actor.role_label}: du kan skrive svar på spørgsmålene; "
                "sagens øvrige oplysninger retter sekretariatet."
            )
        else:
            text = ""
        self.role_banner.set_text(text)

    # --- save conflicts ---------------------------------------------------------------
    def resolve_conflict(self) -> bool:
        """After a ``ConflictError``: merge and save, reload, or go back. True if saved."""
        dialog = self.dialog
        assert dialog.case_id is not None and dialog._saved_draft is not None
        try:
            mine = dialog.draft()
            with self.db.session() as session:
                case = cases.load_case(session, dialog.case_id)
                theirs = cases.case_to_draft(case)
                version = case.version
                who = users.display_name(session, case.updated_by) if case.updated_by else ""
                when = audit.local_time(case.updated_at)
        except KnownError as exc:
            errors.show_known_error(dialog, exc, "Sagen blev ikke gemt")
            return False
        conflict = ConflictDialog(
            dialog._saved_draft, mine, theirs, who or "En kollega", when, dialog
        )
        self.last_conflict = conflict
        result = conflict.exec()
        if result == MERGE:
            merged = conflict.merged()
            dialog.version, dialog._saved_draft = version, theirs
            dialog._show_draft(merged)
            return dialog.save()
        if result == RELOAD:
            dialog._load(dialog.case_id)
            dialog._baseline = dialog._form_state()
            self.history.reload()
        return False


def attach(dialog: CaseDialog) -> CaseTeam:
    """Add the team features to a freshly built ``CaseDialog``."""
    return CaseTeam(dialog)
