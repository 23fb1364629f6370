"""Sag › Send svar…: the reply e-mail of the selected case, opened in the mail program.

Steps: the personal-data guard, a small dialog (to whom, copy to the council, what is
attached), the .eml written to the user's "Udgående svar" folder and opened with the
system (Outlook opens it as a new message), then the question whether it was sent; yes
moves the case to Besvaret.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core import attachments, cases, paths, reply_mail
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import is_approved
from kkdesk.core.letters.filenames import unique_path
from kkdesk.core.users import current_user
from kkdesk.core.vocab import status_label
from kkdesk.ui import errors, privacy_dialog


def outbox() -> Path:
    folder = paths.data_dir() / "Udgående svar"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class SendReplyDialog(QDialog):
    def __init__(self, parent: QWidget | None, to: str, members: int, files: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send svar")
        layout = QVBoxLayout(self)
        self.setMinimumWidth(480)
        layout.addWidget(QLabel(f"<b>Til:</b> {html.escape(to)}"))
        self.cc = QCheckBox(f"Kopi til alle medlemmer af Borgerrepræsentationen ({members})")
        self.cc.setEnabled(members > 0)
        layout.addWidget(self.cc)
        listing = "<br>".join(f"• {html.escape(name)}" for name in files)
        files_label = QLabel(f"<b>Vedhæftes:</b><br>{listing}")
        files_label.setWordWrap(True)
        layout.addWidget(files_label)
        note = QLabel("E-mailen åbnes i dit mailprogram, hvor du kan rette teksten og sende den.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(self)
        buttons.addButton("Opret e-mail", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annullér", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_options(parent: QWidget | None, to: str, members: int, files: list[str]) -> bool | None:
    """Copy to the council? None if cancelled."""
    dialog = SendReplyDialog(parent, to, members, files)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.cc.isChecked()


def ask_sent(parent: QWidget | None, case_number: str) -> bool:
    answer = QMessageBox.question(
        parent,
        "Er svaret sendt?",
        f"Svar-e-mailen til sag {case_number} er åbnet i dit mailprogram.\n\n"
        "Har du sendt den? Så flyttes sagen til Besvaret.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def send_reply(parent: Any, db: Any, case_id: int) -> bool:
    """The whole flow; True when the case was moved to Besvaret."""
    try:
        with db.session() as session:
            case = cases.load_case(session, case_id)
            number, status = case.case_number, case.status
            to = case.asker.email or ""
            members = len(reply_mail.council_members(session, exclude_id=case.asker_id))
            extra = [
                i.file_name
                for i in attachments.list_attachments(session, case_id)
                if i.send_with_reply and not i.is_pdf
            ]
        if not is_approved(status):
            raise KnownError(
                f"Sag {number} er ikke godkendt (status: {status_label(status)}).",
                detail="Svaret kan sendes, når sagen er godkendt.",
            )
        if not to:
            raise KnownError("Spørgeren har ingen e-mailadresse i registret.")
        go_on, findings, reason = privacy_dialog.confirm(parent, db, case_id, "Svaret")
        if not go_on:
            return False
        cc = ask_options(parent, to, members, ["Svarbrevet (PDF, med PDF-bilag)", *extra])
        if cc is None:
            return False
        with db.session() as session:
            reply = reply_mail.build_reply(session, case_id, user=current_user(), cc_council=cc)
            target = reply_mail.write_reply(unique_path(outbox(), reply.file_name), reply)
        privacy_dialog.record(db, case_id, findings, reason, "Svar-e-mail dannet", current_user())
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            raise KnownError(
                "Der er intet mailprogram til at åbne e-mailen.",
                detail=f"Filen er gemt her: {target}",
            )
        if not ask_sent(parent, number):
            return False
        with db.session() as session:
            reply_mail.mark_sent(session, case_id, user=current_user())
        return True
    except Exception as exc:
        errors.handle(parent, exc)
        return False


def install(window: Any) -> None:
    """Sag › Send svar… in the main window."""
    action = QAction("Send svar…", window)
    action.setToolTip("Dan svar-e-mailen med brev og bilag til den markerede sag")

    def run() -> None:
        case_id = window.current_case_id()
        if case_id is None:
            errors.show_known_error(window, KnownError("Markér en sag i listen først."))
            return
        if send_reply(window, window.db, case_id):
            window.case_model.refresh_case(case_id)
            window.statusBar().showMessage("Sagen er markeret som besvaret.", 5000)

    action.triggered.connect(run)
    window.case_menu.addAction(action)
    window.send_reply_action = action
