"""The case editor: metadata form, numbered questions with answers, notes.

It builds a ``CaseDraft`` from the form and hands it to ``kkdesk.core.cases``; all
validation messages come from the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core import cases
from kkdesk.core.database import Database
from kkdesk.core.dates import parse_date, short_date
from kkdesk.core.drafts import AskerRef, CaseDraft
from kkdesk.core.errors import ConflictError, FieldError, KnownError, ValidationError
from kkdesk.core.intake.build import PendingAttachment
from kkdesk.core.models import Administration, Asker, Case, InquiryKind, Officer, Party
from kkdesk.core.vocab import CHANNEL_LABELS, ROLE_LABELS
from kkdesk.ui import case_team, errors
from kkdesk.ui.attachments_panel import AttachmentsPanel
from kkdesk.ui.letters_fields import LetterFieldsWidget
from kkdesk.ui.question_table_model import QuestionTableModel
from kkdesk.ui.workflow_panel import WorkflowPanel


@dataclass
class _Choices:
    """What the combo boxes offer, read in one session."""

    kinds: list[tuple[str, str]]
    administrations: list[tuple[str, str, list[str]]]
    officers: list[tuple[str, str | None]]
    parties: list[tuple[str, str]]
    askers: dict[str, tuple[str | None, str | None, str]]


def _load_choices(db: Database) -> _Choices:
    with db.session() as session:
        kinds = [
            (k.code, k.name)
            for k in session.scalars(select(InquiryKind).order_by(InquiryKind.name))
        ]
        admins = [
            (a.code, a.name, [u.name for u in a.units])
            for a in session.scalars(select(Administration).order_by(Administration.code))
        ]
        officers = [
            (o.name, o.administration.code if o.administration else None)
            for o in session.scalars(select(Officer).where(Officer.active).order_by(Officer.name))
        ]
        parties = [
            (p.letter, p.name) for p in session.scalars(select(Party).order_by(Party.letter))
        ]
        askers = {
            a.name: (a.party.letter if a.party else None, a.email, a.role)
            for a in session.scalars(select(Asker).order_by(Asker.name))
        }
    return _Choices(kinds, admins, officers, parties, askers)


class CaseDialog(QDialog):
    """Create (``case_id`` None) or edit a case. Emits ``saved(case_id)`` after each save."""

    saved = Signal(int)

    def __init__(self, db: Database, case_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.case_id = case_id
        self.version = 0
        self.choices = _load_choices(db)
        self.questions = QuestionTableModel(self)
        # Run inside the save transaction after the case is written (may raise KnownError).
        self.save_hooks: list[Callable[[Session, Case], None]] = []
        self._build()
        if case_id is None:
            self.setWindowTitle("Ny sag")
            self._saved_draft: CaseDraft | None = None
            self.received_edit.setText(short_date(dt.date.today()))
            self.add_question()
        else:
            self._load(case_id)
        from kkdesk.ui.case_reuse import install_reuse

        self.reuse = install_reuse(self)
        self._baseline = self._form_state()
        # Presence notice, "Historik" tab, role restrictions, conflict handling.
        self.team = case_team.attach(self)
        self.resize(1400, 760)

    @classmethod
    def from_draft(
        cls,
        db: Database,
        draft: CaseDraft,
        attachments: Sequence[PendingAttachment] = (),
        parent: QWidget | None = None,
    ) -> CaseDialog:
        """A "Ny sag" dialog filled from a draft (e.g. an e-mail) for review. The
        attachments are stored with the case when it is first saved."""
        dialog = cls(db, None, parent)
        dialog._show_draft(draft)
        dialog.setWindowTitle(f"Ny sag – {draft.subject}")
        dialog.number_label.setText("(tildeles ved første gem)")
        dialog.bilag_panel.set_pending(list(attachments))
        return dialog

    # --- layout -------------------------------------------------------------------
    def _build(self) -> None:
        self.number_label = QLabel("(tildeles ved første gem)")
        self.kind_combo = QComboBox()
        for code, name in self.choices.kinds:
            self.kind_combo.addItem(name, code)
        # A new case is most often a council member's question (the drafts' default).
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(CaseDraft.kind), 0))
        self.subject_edit = QLineEdit()
        self.subject_edit.setPlaceholderText("vedrørende …")
        self.asker_edit = QLineEdit()
        completer = QCompleter(sorted(self.choices.askers), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.asker_edit.setCompleter(completer)
        completer.activated.connect(self._asker_chosen)
        self.party_combo = QComboBox()
        self.party_combo.addItem("(intet parti)", None)
        for letter, name in self.choices.parties:
            self.party_combo.addItem(f"{letter} – {name}", letter)
        self.email_edit = QLineEdit()
        self.role_combo = QComboBox()
        for code, label in ROLE_LABELS.items():
            self.role_combo.addItem(label, code)
        self.received_edit = QLineEdit()
        self.received_edit.setPlaceholderText("fx 22-05-2025; flere datoer adskilles med komma")
        self.channel_combo = QComboBox()
        for code, label in CHANNEL_LABELS.items():
            self.channel_combo.addItem(label, code)
        self.admin_combo = QComboBox()
        self.admin_combo.addItem("(vælg forvaltning)", "")
        for code, name, _units in self.choices.administrations:
            self.admin_combo.addItem(f"{code} – {name}", code)
        self.unit_combo = QComboBox()
        self.officer_combo = QComboBox()
        self.admin_combo.currentIndexChanged.connect(lambda _i: self._fill_units())
        # The status is shown, not edited: it changes by the workflow's steps.
        self.workflow_panel = WorkflowPanel(self)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Interne noter (kommer ikke med i svaret)")

        form = QFormLayout()
        form.addRow("Sagsnr.:", self.number_label)
        form.addRow("Type:", self.kind_combo)
        form.addRow("Emne:", self.subject_edit)
        form.addRow("Spørger:", self.asker_edit)
        form.addRow("Parti:", self.party_combo)
        form.addRow("E-mail:", self.email_edit)
        form.addRow("Rolle:", self.role_combo)
        form.addRow("Modtaget:", self.received_edit)
        form.addRow("Kanal:", self.channel_combo)
        form.addRow("Forvaltning:", self.admin_combo)
        form.addRow("Enhed:", self.unit_combo)
        form.addRow("Sagsbehandler:", self.officer_combo)
        form.addRow("Status:", self.workflow_panel)
        form.addRow("Noter:", self.notes_edit)
        meta = QGroupBox("Sagen")
        meta_layout = QVBoxLayout(meta)
        meta_layout.addLayout(form)

        self.question_view = QTableView()
        self.question_view.setModel(self.questions)
        self.question_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.question_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.question_view.verticalHeader().setVisible(False)
        self.question_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.question_view.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.question_view.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.question_view.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._show_question(current.row())
        )
        buttons = QHBoxLayout()
        for label, slot in (
            ("Tilføj spørgsmål", self.add_question),
            ("Slet", self.delete_question),
            ("Flyt op", lambda: self.move_question(-1)),
            ("Flyt ned", lambda: self.move_question(1)),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch()
        self.question_text = QPlainTextEdit()
        self.question_text.setPlaceholderText("Spørgsmålets tekst")
        self.answer_text = QPlainTextEdit()
        self.answer_text.setPlaceholderText(
            "Svar. Tom linje mellem afsnit; '- ' giver punkter, '1) ' nummererede punkter."
        )
        self.question_text.textChanged.connect(self._question_edited)
        self.answer_text.textChanged.connect(self._answer_edited)
        self._current_question = -1

        qbox = QGroupBox("Spørgsmål og svar")
        qlayout = QVBoxLayout(qbox)
        qlayout.addWidget(self.question_view, 2)
        qlayout.addLayout(buttons)
        qlayout.addWidget(QLabel("Spørgsmål:"))
        qlayout.addWidget(self.question_text, 2)
        qlayout.addWidget(QLabel("Svar:"))
        qlayout.addWidget(self.answer_text, 3)

        self.letter_fields = LetterFieldsWidget()
        self.letter_fields.preview_requested.connect(self.preview_letter)
        # Features add their own tabs (e.g. "Historik", kkdesk.ui.case_team).
        self.tabs = self.side_tabs = QTabWidget()
        self.tabs.addTab(qbox, "Spørgsmål og svar")
        self.tabs.addTab(self.letter_fields, "Brev")

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(meta)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 2)
        # Bilag across the full width under the case, so file names and titles fit.
        self.bilag_panel = AttachmentsPanel(self.db, self)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.addWidget(splitter)
        outer.addWidget(self.bilag_panel)
        outer.setStretchFactor(0, 4)
        outer.setStretchFactor(1, 1)

        box = QDialogButtonBox()
        self.save_button = box.addButton("Gem", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_close_button = box.addButton("Gem og luk", QDialogButtonBox.ButtonRole.AcceptRole)
        close_button = box.addButton("Luk", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setToolTip("Gem (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.save_close_button.clicked.connect(self.save_and_close)
        close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(outer)
        layout.addWidget(box)
        self._fill_units()

    def _fill_units(self, unit: str | None = None, officer: str | None = None) -> None:
        code = self.admin_combo.currentData()
        self.unit_combo.clear()
        self.unit_combo.addItem("(ingen enhed)", None)
        self.officer_combo.clear()
        self.officer_combo.addItem("(ingen sagsbehandler)", None)
        for admin_code, _name, units in self.choices.administrations:
            if admin_code == code:
                for name in units:
                    self.unit_combo.addItem(name, name)
        for name, officer_admin in self.choices.officers:
            if officer_admin in (None, code):
                self.officer_combo.addItem(name, name)
        if unit:
            self._select(self.unit_combo, unit, add=True)
        if officer:
            self._select(self.officer_combo, officer, add=True)

    @staticmethod
    def _select(combo: QComboBox, value: object, *, add: bool = False) -> None:
        index = combo.findData(value)
        if index < 0 and add:
            combo.addItem(str(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))

    # --- questions ----------------------------------------------------------------
    def _show_question(self, row: int) -> None:
        self._current_question = -1
        item = self.questions.item(row)
        self.question_text.setPlainText(item.text if item else "")
        self.answer_text.setPlainText(item.answer if item else "")
        self.question_text.setEnabled(item is not None)
        self.answer_text.setEnabled(item is not None)
        self._current_question = row if item else -1

    def _question_edited(self) -> None:
        if self._current_question >= 0:
            self.questions.update_item(
                self._current_question, text=self.question_text.toPlainText()
            )

    def _answer_edited(self) -> None:
        if self._current_question >= 0:
            self.questions.update_item(
                self._current_question, answer=self.answer_text.toPlainText()
            )

    def _select_question(self, row: int) -> None:
        self.question_view.selectRow(row)
        self._show_question(row)

    def add_question(self) -> None:
        row = self.questions.add()
        self._select_question(row)
        self.question_text.setFocus()

    def delete_question(self) -> None:
        row = self.question_view.currentIndex().row()
        if row < 0:
            return
        self.questions.remove(row)
        self._select_question(min(row, self.questions.rowCount() - 1))

    def move_question(self, delta: int) -> None:
        row = self.question_view.currentIndex().row()
        if row >= 0:
            self._select_question(self.questions.move(row, delta))

    # --- data ---------------------------------------------------------------------
    def _asker_chosen(self, name: str) -> None:
        known = self.choices.askers.get(name)
        if known:
            party, email, role = known
            self._select(self.party_combo, party)
            self.email_edit.setText(email or "")
            self._select(self.role_combo, role)

    def _load(self, case_id: int) -> None:
        with self.db.session() as session:
            case = cases.load_case(session, case_id)
            draft = cases.case_to_draft(case)
            self.version = case.version
        self._saved_draft = draft
        self._show_draft(draft)
        self.bilag_panel.set_case(case_id)

    def _show_draft(self, draft: CaseDraft) -> None:
        self.setWindowTitle(f"Sag {draft.case_number} – {draft.subject}")
        self.number_label.setText(draft.case_number or "")
        self._select(self.kind_combo, draft.kind, add=True)
        self.subject_edit.setText(draft.subject)
        self.asker_edit.setText(draft.asker.name)
        self._select(self.party_combo, draft.asker.party)
        self.email_edit.setText(draft.asker.email or "")
        self._select(self.role_combo, draft.asker.role)
        self.received_edit.setText(", ".join(short_date(d) for d in draft.received))
        self._select(self.channel_combo, draft.channel)
        self._select(self.admin_combo, draft.administration, add=True)
        self._fill_units(draft.unit, draft.officer)
        self.workflow_panel.show_case(self.case_id, draft.status)
        self.notes_edit.setPlainText(draft.notes)
        self.questions.set_items(draft.questions)
        self._select_question(0 if draft.questions else -1)
        self.letter_fields.set_letter(draft.letter)

    def _parse_received(self) -> tuple[list[dt.date], list[FieldError]]:
        days: list[dt.date] = []
        problems: list[FieldError] = []
        for part in self.received_edit.text().replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                days.append(parse_date(part))
            except ValueError as exc:
                problems.append(FieldError("Modtaget", str(exc)))
        return days, problems

    def reload(self) -> None:
        """Re-read the case after a change made beside the form (workflow, deadline)."""
        if self.case_id is None:
            return
        try:
            self._load(self.case_id)
        except KnownError as exc:
            errors.show_known_error(self, exc)
            return
        self._baseline = self._form_state()
        self.saved.emit(self.case_id)

    def draft(self) -> CaseDraft:
        """The form as a ``CaseDraft``; raises ``ValidationError`` for unreadable dates."""
        received, problems = self._parse_received()
        if problems:
            raise ValidationError(problems)
        return CaseDraft(
            case_number=self._saved_draft.case_number if self._saved_draft else None,
            kind=self.kind_combo.currentData() or "",
            subject=self.subject_edit.text(),
            asker=AskerRef(
                name=self.asker_edit.text(),
                party=self.party_combo.currentData(),
                email=self.email_edit.text().strip() or None,
                role=self.role_combo.currentData(),
            ),
            received=received,
            channel=self.channel_combo.currentData(),
            administration=self.admin_combo.currentData() or "",
            unit=self.unit_combo.currentData(),
            officer=self.officer_combo.currentData(),
            status=self._saved_draft.status if self._saved_draft else "modtaget",
            notes=self.notes_edit.toPlainText(),
            questions=self.questions.items(),
            letter=self.letter_fields.letter(),
        )

    def _form_state(self) -> tuple:
        """Everything the user can change, to detect unsaved edits."""
        return (
            self.kind_combo.currentData(),
            self.subject_edit.text(),
            self.asker_edit.text(),
            self.party_combo.currentData(),
            self.email_edit.text(),
            self.role_combo.currentData(),
            self.received_edit.text(),
            self.channel_combo.currentData(),
            self.admin_combo.currentData(),
            self.unit_combo.currentData(),
            self.officer_combo.currentData(),
            self.notes_edit.toPlainText(),
            tuple((q.number, q.text, q.answer) for q in self.questions.items()),
            self.letter_fields.state(),
        )

    def is_dirty(self) -> bool:
        return self._form_state() != self._baseline

    def save(self) -> bool:
        """Save the form; True on success. Errors are shown, nothing is lost."""
        try:
            draft = self.draft()
            with self.db.session() as session:
                if self.case_id is None:
                    case = cases.create_case(session, draft, self.db.user)
                    # Bilag from an e-mail are saved with the case or not at all.
                    self.bilag_panel.save_pending(session, case.id)
                else:
                    case = cases.update_case(
                        session,
                        self.case_id,
                        draft,
                        expected_version=self.version,
                        user=self.db.user,
                    )
                for hook in self.save_hooks:
                    hook(session, case)
                case_id, version = case.id, case.version
            with self.db.session() as session:
                saved = cases.case_to_draft(cases.load_case(session, case_id))
        except ConflictError as exc:
            if self.case_id is not None and self._saved_draft is not None:
                return self.team.resolve_conflict()  # a colleague saved meanwhile: merge
            errors.show_known_error(self, exc, "Sagen blev ikke gemt")
            return False
        except KnownError as exc:
            errors.show_known_error(self, exc, "Sagen blev ikke gemt")
            return False
        self.case_id, self.version, self._saved_draft = case_id, version, saved
        self._show_draft(saved)
        if self.bilag_panel.case_id is None:
            self.bilag_panel.set_case(case_id)
        self._baseline = self._form_state()
        self.saved.emit(case_id)
        return True

    def preview_letter(self) -> None:
        """Save if needed, then show the reply letter."""
        if (self.case_id is None or self.is_dirty()) and not self.save():
            return
        from kkdesk.ui.letters_preview import show_preview

        if self.case_id is not None:
            show_preview(self, self.db, self.case_id)

    def save_and_close(self) -> None:
        if self.save():
            self.accept()

    def reject(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                "Ikke gemte ændringer",
                "Sagen har ændringer, der ikke er gemt. Vil du gemme dem?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.isVisible():  # already finished (done/accept): nothing to ask
            event.accept()
            return
        event.ignore()
        self.reject()
