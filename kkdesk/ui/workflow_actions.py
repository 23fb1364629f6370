"""Workflow steps and deadline changes from the GUI: ask what is needed, run the core
operation in one session, show any refusal. Used by the case dialog's panel and by the
main window's "Sag" menu.

The ``ask_*`` functions open small modal dialogs; tests replace them (monkeypatch) to
answer without a human.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from kkdesk.core import deadlines, workflow
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration
from kkdesk.core.users import current_user
from kkdesk.core.workflow import Action
from kkdesk.ui import errors


@dataclass
class ActionInput:
    """What the user gave for a workflow step."""

    comment: str = ""
    answered_on: dt.date | None = None
    forward_to: str = ""


@dataclass
class DeadlineInput:
    """A new deadline (override) or an extension, with the reason."""

    reason: str
    day: dt.date | None = None
    days: int = 0


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd-MM-yyyy")
    return edit


class ActionDialog(QDialog):
    """Comment (required or optional) and the step's own fields."""

    def __init__(self, action: Action, case_number: str, forward_targets: list[str],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(f"{action.label} – sag {case_number}")
        layout = QVBoxLayout(self)
        hint = QLabel(action.hint)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.answered = date_edit(dt.date.today())
        self.forward = QComboBox()
        self.forward.setEditable(True)
        self.forward.addItems(forward_targets)
        self.forward.setCurrentText("")
        if action.key == "besvar":
            form.addRow("Besvaret den:", self.answered)
        if action.key == "videresend":
            form.addRow("Videresendt til:", self.forward)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(
            "Skriv en begrundelse (skal udfyldes)" if action.comment == "required"
            else "Kommentar til historikken (frivillig)"
        )  # fmt: skip
        self.comment.setFixedHeight(90)
        form.addRow("Kommentar:", self.comment)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(action.label)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Fortryd")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 240)

    def value(self) -> ActionInput:
        return ActionInput(
            comment=self.comment.toPlainText(),
            answered_on=to_pydate(self.answered.date()) if self.action.key == "besvar" else None,
            forward_to=self.forward.currentText() if self.action.key == "videresend" else "",
        )


def ask_action_input(
    parent: QWidget | None, action: Action, case_number: str, forward_targets: list[str]
) -> ActionInput | None:
    """Ask for the comment and fields of a step; None if the user cancelled.

    Steps that need nothing and take no required comment run without asking.
    """
    if action.comment != "required" and action.key not in ("besvar", "videresend", "retur"):
        return ActionInput()
    dialog = ActionDialog(action, case_number, forward_targets, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _forward_targets(db: Database) -> list[str]:
    with db.session() as session:
        names = [
            n for n in session.scalars(select(Administration.name).order_by(Administration.name))
        ]
    return [*names, "Region Hovedstaden", "Et andet ministerium eller en anden myndighed"]


def run_action(
    parent: QWidget | None,
    db: Database,
    case_id: int,
    case_number: str,
    action: Action,
    expected_version: int | None = None,
) -> bool:
    """Ask for what the step needs and perform it; True if it was done."""
    given = ask_action_input(parent, action, case_number, _forward_targets(db))
    if given is None:
        return False
    try:
        with db.session() as session:
            workflow.perform(
                session,
                case_id,
                action.key,
                current_user(),
                given.comment,
                expected_version=expected_version,
                answered_on=given.answered_on,
                forward_to=given.forward_to,
            )
    except KnownError as exc:
        errors.show_known_error(parent, exc, f'"{action.label}" blev ikke udført')
        return False
    return True


class DeadlineDialog(QDialog):
    """Extend by N working days, or set the deadline by hand — always with a reason."""

    def __init__(self, mode: str, current: dt.date | None, case_number: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.mode = mode
        extend = mode == "extend"
        self.setWindowTitle(
            f"{'Forlæng frist' if extend else 'Fastsæt frist manuelt'} – sag {case_number}"
        )
        form = QFormLayout(self)
        if current is not None:
            form.addRow("Nuværende frist:", QLabel(current.strftime("%d-%m-%Y")))
        self.days = QSpinBox()
        self.days.setRange(1, deadlines.MAX_RULE_DAYS)
        self.days.setValue(5)
        self.days.setSuffix(" arbejdsdage")
        self.day = date_edit(current or dt.date.today())
        if extend:
            form.addRow("Forlæng med:", self.days)
        else:
            form.addRow("Ny frist:", self.day)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Begrundelse (skal udfyldes; står i historikken)")
        self.reason.setFixedHeight(80)
        form.addRow("Begrundelse:", self.reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Forlæng" if extend else "Fastsæt"
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Fortryd")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> DeadlineInput:
        if self.mode == "extend":
            return DeadlineInput(self.reason.toPlainText(), days=self.days.value())
        return DeadlineInput(self.reason.toPlainText(), day=to_pydate(self.day.date()))


def ask_deadline_input(
    parent: QWidget | None, mode: str, current: dt.date | None, case_number: str
) -> DeadlineInput | None:
    """Ask for an extension (``mode`` "extend") or a manual deadline ("override")."""
    dialog = DeadlineDialog(mode, current, case_number, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def change_deadline(
    parent: QWidget | None,
    db: Database,
    case_id: int,
    mode: str,
    expected_version: int | None = None,
) -> bool:
    """Extend, set by hand (asking for the details) or, with ``mode`` "derived", go back
    to the derived deadline. True if something changed."""
    try:
        with db.session() as session:
            info = deadlines.deadline_info(session, case_id)
        if mode == "derived":
            given: DeadlineInput | None = DeadlineInput("")
        else:
            given = ask_deadline_input(parent, mode, info.deadline, info.case_number)
        if given is None:
            return False
        with db.session() as session:
            if mode == "extend":
                deadlines.extend(session, case_id, given.days, given.reason, current_user(),
                                 expected_version=expected_version)  # fmt: skip
            else:
                deadlines.set_override(session, case_id, given.day, given.reason, current_user(),
                                       expected_version=expected_version)  # fmt: skip
    except KnownError as exc:
        errors.show_known_error(parent, exc, "Fristen er ikke ændret")
        return False
    return True
