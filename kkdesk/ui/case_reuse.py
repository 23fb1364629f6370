"""Reuse in the case editor: the "Spurgt før?" panel and standard texts.

``install_reuse(dialog)`` adds the panel beside the questions, an "Indsæt standardtekst"
button under the answer, and a save hook that (in the same transaction as the case)
refuses answers with unfilled standard-text fields and writes "svar genbrugt fra …"
to the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout
from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core import standard_texts
from kkdesk.core.errors import FieldError, ValidationError
from kkdesk.core.models import Administration, Case, CaseEvent
from kkdesk.core.search import Suggestion
from kkdesk.core.users import current_user
from kkdesk.ui.asked_before_panel import AskedBeforePanel

if TYPE_CHECKING:
    from kkdesk.ui.case_editor import CaseDialog

# Reused answers are recorded only if this much of them is still in the saved answer.
KEEP_PREFIX = 40


class CaseReuse:
    """The reuse features of one open case dialog."""

    def __init__(self, dialog: CaseDialog) -> None:
        self.dialog = dialog
        self.reused: list[tuple[int, str, str]] = []  # (question number, case number, answer)
        self.panel = AskedBeforePanel(dialog.db, dialog)
        self.panel.exclude_case_id = dialog.case_id
        dialog.splitter.addWidget(self.panel)
        dialog.splitter.setStretchFactor(2, 1)
        dialog.splitter.setSizes([340, 540, 520])
        dialog.question_text.textChanged.connect(self._query_changed)
        dialog.subject_edit.textChanged.connect(self._query_changed)
        self.panel.reuse.connect(self.use_answer)
        self.insert_button = QPushButton("Indsæt standardtekst…")
        self.insert_button.setToolTip("Indsæt en standardtekst i svaret ved markøren")
        self.insert_button.clicked.connect(self.insert_standard_text)
        holder = dialog.answer_text.parentWidget()
        box = holder.layout() if holder is not None else None
        if isinstance(box, QVBoxLayout):
            row = QHBoxLayout()
            row.addStretch()
            row.addWidget(self.insert_button)
            box.insertLayout(box.indexOf(dialog.answer_text) + 1, row)
        dialog.save_hooks.append(self.before_commit)
        dialog.saved.connect(self._saved)
        self._query_changed()

    def _query_changed(self) -> None:
        self.panel.set_query(
            self.dialog.question_text.toPlainText(), self.dialog.subject_edit.text()
        )

    # --- "Spurgt før?" ----------------------------------------------------------------
    def use_answer(self, suggestion: Suggestion) -> None:
        """Copy an earlier answer into the current question's answer."""
        row = self.dialog.question_view.currentIndex().row()
        item = self.dialog.questions.item(row)
        if item is None:
            return
        current = self.dialog.answer_text.toPlainText().rstrip()
        text = suggestion.answer if not current else f"{current}\n\n{suggestion.answer}"
        self.dialog.answer_text.setPlainText(text)
        self.reused.append((item.number, suggestion.case_number, suggestion.answer))

    # --- standard texts -----------------------------------------------------------------
    def field_values(self) -> dict[str, str]:
        """What the form knows for the standard-text fields."""
        dialog = self.dialog
        code = dialog.admin_combo.currentData()
        admin = None
        signer = None
        if code:
            with dialog.db.session() as session:
                record = session.scalar(select(Administration).where(Administration.code == code))
                if record is not None:
                    admin = (record.name, record.genitive, record.address)
                    signer = record.signer_name or None
        received, _problems = dialog._parse_received()
        return standard_texts.case_values(
            unit=dialog.unit_combo.currentData(),
            administration=admin,
            signer=signer,
            asker=dialog.asker_edit.text(),
            subject=dialog.subject_edit.text(),
            case_number=dialog.number_label.text() if dialog.case_id else None,
            received=received,
        )

    def insert_standard_text(self) -> None:
        from kkdesk.ui.standard_texts_dialog import StandardTextPicker

        if self.dialog.questions.item(self.dialog.question_view.currentIndex().row()) is None:
            return
        picker = StandardTextPicker(self.dialog.db, self.dialog)
        if picker.exec() and picker.chosen is not None:
            filled = standard_texts.fill(picker.chosen.body, self.field_values())
            self.dialog.answer_text.insertPlainText(filled)
            self.dialog.answer_text.setFocus()

    # --- saving -------------------------------------------------------------------------
    def before_commit(self, session: Session, case: Case) -> None:
        """Runs inside the save transaction: check fields, record reused answers."""
        problems: list[FieldError] = []
        for question in case.questions:
            for name in standard_texts.unfilled_fields(question.answer):
                problems.append(
                    FieldError(
                        f"Svar på spørgsmål {question.number}",
                        f"feltet {{{name}}} fra en standardtekst er ikke udfyldt.",
                    )
                )
        if problems:
            raise ValidationError(problems)
        answers = {q.number: q.answer for q in case.questions}
        user = current_user()
        for number, source, answer in self.reused:
            if answer[:KEEP_PREFIX] in answers.get(number, ""):
                case.history.append(
                    CaseEvent(
                        user=user,
                        action="svar genbrugt",
                        comment=f"Spørgsmål {number}: svar genbrugt fra {source}",
                    )
                )
        session.flush()

    def _saved(self, case_id: int) -> None:
        self.reused.clear()
        self.panel.exclude_case_id = case_id


def install_reuse(dialog: CaseDialog) -> CaseReuse:
    """Add the reuse features to a case dialog."""
    return CaseReuse(dialog)
