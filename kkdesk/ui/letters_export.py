"""Exporting one case's letter from the app: draft or final, where to save, history.

The questions asked (draft or final, the override's reason, the file) are module-level
functions so tests can answer them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from kkdesk.core.cases import load_case
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import (
    FORMAT_LABELS,
    is_approved,
    make_letter,
    record_letter,
    write_file,
)
from kkdesk.core.privacy import Finding
from kkdesk.core.users import current_user
from kkdesk.core.vocab import status_label
from kkdesk.ui import errors

FOLDER_SETTING = "letters/folder"
FILTERS = {"pdf": "PDF-dokument (*.pdf)", "docx": "Word-dokument (*.docx)"}


def last_folder() -> str:
    value = QSettings().value(FOLDER_SETTING, str(Path.home()))
    return str(value)


def remember_folder(folder: Path) -> None:
    QSettings().setValue(FOLDER_SETTING, str(folder))


def ask_draft_or_final(parent: QWidget | None, case_number: str, status: str) -> str | None:
    """``"draft"``, ``"final"`` or None (cancelled) for a PDF of an unapproved case."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Sagen er ikke godkendt")
    box.setText(f"Sag {case_number} er ikke godkendt (status: {status_label(status)}).")
    box.setInformativeText(
        "Brevet bliver mærket UDKAST. Et endeligt brev uden godkendelse kræver en "
        "begrundelse, som skrives i sagens historik."
    )
    draft = box.addButton("Eksportér som udkast", QMessageBox.ButtonRole.AcceptRole)
    final = box.addButton("Endeligt alligevel…", QMessageBox.ButtonRole.ActionRole)
    box.addButton("Annullér", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(draft)
    box.exec()
    clicked = box.clickedButton()
    if clicked is draft:
        return "draft"
    if clicked is final:
        return "final"
    return None


def ask_override_reason(parent: QWidget | None) -> str | None:
    reason, ok = QInputDialog.getText(
        parent,
        "Endeligt brev uden godkendelse",
        "Begrundelse (skrives i sagens historik):",
        QLineEdit.EchoMode.Normal,
    )
    return reason.strip() if ok and reason.strip() else None


def ask_save_path(parent: QWidget | None, file_name: str, fmt: str) -> Path | None:
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Gem svarbrev", str(Path(last_folder()) / file_name), FILTERS[fmt]
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(target.name + f".{fmt}")
    remember_folder(target.parent)
    return target


def export_letter(parent: QWidget | None, db: Database, case_id: int, fmt: str) -> Path | None:
    """Ask what is needed, render, save and record the letter; None if cancelled or failed
    (a failure has been shown)."""
    try:
        with db.session() as session:
            case = load_case(session, case_id)
            status, number = case.status, case.case_number
        final, reason = False, ""
        if fmt == "pdf" and not is_approved(status):
            choice = ask_draft_or_final(parent, number, status)
            if choice is None:
                return None
            if choice == "final":
                given = ask_override_reason(parent)
                if given is None:
                    return None
                final, reason = True, given
        with db.session() as session:
            letter = make_letter(
                session,
                case_id,
                fmt,
                user=current_user(),
                final=final,
                override_reason=reason,
                record=False,
            )
        findings: list[Finding] = []
        privacy_reason = ""
        if not letter.draft:  # the personal-data guard (docs/mail.md)
            from kkdesk.ui import privacy_dialog

            go_on, findings, privacy_reason = privacy_dialog.confirm(parent, db, case_id, "Brevet")
            if not go_on:
                return None
        target = ask_save_path(parent, letter.file_name, fmt)
        if target is None:
            return None
        write_file(target, letter.data)
        if not letter.draft:
            with db.session() as session:
                record_letter(session, letter, user=current_user(), override_reason=reason)
            privacy_dialog.record(
                db, case_id, findings, privacy_reason, "Endeligt brev dannet", current_user()
            )
    except KnownError as exc:
        errors.show_known_error(
            parent, exc, f"{FORMAT_LABELS.get(fmt, fmt)}-brevet blev ikke dannet"
        )
        return None
    return target
