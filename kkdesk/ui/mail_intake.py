"""E-mails into the main window: drop .eml/.msg files on it, or Filer › Åbn e-mail….

Both open the "Ny sag" dialog filled from the mail(s) for review; nothing is saved until
the user saves. Several files dropped together become one case.

Outlook: a message dragged straight out of classic Outlook is not a file but a "virtual
file" (the Windows formats FileGroupDescriptorW + FileContents). Qt exposes those as
``application/x-qt-windows-mime;value="…"``; when Outlook hands over the bytes, they are
written to a temporary .msg and read like a file. Outlook usually hands a message over as
an OLE storage, which Qt cannot read; then the user is told to drag the message to the
desktop (or a folder) first and drop that file — see docs/mail.md.
"""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QMimeData, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.intake import AttachmentProblem, Intake, ParsedMail, build_intake, read_mail
from kkdesk.core.intake.askers import EXACT, SUGGESTED
from kkdesk.ui import errors

MAIL_SUFFIXES = (".eml", ".msg")
WINDOWS_MIME = 'application/x-qt-windows-mime;value="{}"'
DESCRIPTOR = WINDOWS_MIME.format("FileGroupDescriptorW")
CONTENTS = WINDOWS_MIME.format("FileContents")
_DESCRIPTOR_SIZE = 592  # FILEDESCRIPTORW
_NAME_OFFSET = 72


def mail_paths(mime: QMimeData) -> list[Path]:
    """Local .eml/.msg files among the dropped URLs."""
    found = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in MAIL_SUFFIXES:
                found.append(path)
    return found


def virtual_file_names(mime: QMimeData) -> list[str]:
    """File names in a Windows FileGroupDescriptorW (what Outlook drags)."""
    if not mime.hasFormat(DESCRIPTOR):
        return []
    raw = bytes(mime.data(DESCRIPTOR).data())
    if len(raw) < 4:
        return []
    (count,) = struct.unpack_from("<I", raw)
    names = []
    for index in range(count):
        start = 4 + index * _DESCRIPTOR_SIZE + _NAME_OFFSET
        chunk = raw[start : start + 520]
        if len(chunk) < 2:
            break
        name = chunk.decode("utf-16-le", "replace").split("\x00", 1)[0]
        names.append(Path(name).name or "besked.msg")
    return names


def save_virtual_file(mime: QMimeData) -> Path:
    """The first dragged Outlook message written to a temporary file; ``KnownError`` if
    Outlook did not hand over its bytes."""
    names = virtual_file_names(mime)
    data = bytes(mime.data(CONTENTS).data()) if mime.hasFormat(CONTENTS) else b""
    if not names or not data:
        raise KnownError(
            "Outlook afleverede ikke selve beskeden, så kkdesk kan ikke læse den.",
            detail="Træk beskeden fra Outlook til skrivebordet (eller en mappe) først, og "
            "træk så filen ind i kkdesk – eller brug Filer › Åbn e-mail….",
        )
    name = names[0] if names[0].lower().endswith(MAIL_SUFFIXES) else f"{names[0]}.msg"
    target = Path(tempfile.mkdtemp(prefix="kkdesk-outlook-")) / name
    target.write_bytes(data)
    return target


def is_mail_drop(mime: QMimeData) -> bool:
    return bool(mail_paths(mime)) or mime.hasFormat(DESCRIPTOR)


# --- reading off the UI thread ------------------------------------------------------------


class _Signals(QObject):
    done = Signal(object)


class _ReadMails(QRunnable):
    def __init__(self, paths: list[Path], strict: bool) -> None:
        super().__init__()
        self.paths, self.strict = paths, strict
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result: object = [read_mail(path, strict=self.strict) for path in self.paths]
        except Exception as exc:  # handed to the UI thread, shown there
            result = exc
        self.signals.done.emit(result)


def read_mails(parent: QWidget, paths: list[Path], *, strict: bool) -> list[ParsedMail]:
    """Read the files on a worker thread while a progress dialog shows; raises its error."""
    job = _ReadMails(paths, strict)
    loop = QEventLoop()
    outcome: list[object] = []

    def finished(result: object) -> None:
        outcome.append(result)
        loop.quit()

    job.signals.done.connect(finished)
    progress = QProgressDialog("Læser e-mail…", "", 0, 0, parent)
    progress.setWindowTitle("kkdesk")
    progress.setCancelButton(None)
    progress.setMinimumDuration(400)
    QThreadPool.globalInstance().start(job)
    if not outcome:
        loop.exec()
    progress.close()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    assert isinstance(result, list)
    return result


# --- review -------------------------------------------------------------------------------


def intake_banner(dialog: Any, intake: Intake) -> QFrame:
    """The notice on top of the review dialog: who the sender was matched to, warnings,
    and (when unsure) a choice among the suggested askers."""
    frame = QFrame(dialog)
    frame.setObjectName("intake_banner")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setStyleSheet("#intake_banner { background: #fff8e1; }")
    layout = QVBoxLayout(frame)
    count = len(intake.mails)
    head = QLabel(
        f"<b>Oprettet fra {count} e-mail{'s' if count > 1 else ''}.</b> "
        "Kontrollér oplysningerne, vælg forvaltning og gem sagen."
    )
    head.setWordWrap(True)
    layout.addWidget(head)
    match = QLabel(intake.asker.describe())
    match.setWordWrap(True)
    layout.addWidget(match)
    if intake.asker.status == SUGGESTED:
        row = QHBoxLayout()
        row.addWidget(QLabel("Spørger:"))
        combo = QComboBox(frame)
        combo.setObjectName("asker_choice")
        combo.addItem(f"Ny spørger: {intake.draft.asker.name}", None)
        for candidate in intake.asker.candidates:
            combo.addItem(f"{candidate.label} – {candidate.reason}", candidate.name)
        combo.currentIndexChanged.connect(
            lambda _i: _use_asker(dialog, combo.currentData(), intake)
        )
        row.addWidget(combo, 1)
        layout.addLayout(row)
    for warning in intake.warnings:
        label = QLabel(f"⚠ {warning}")
        label.setWordWrap(True)
        layout.addWidget(label)
    return frame


def _use_asker(dialog: Any, name: str | None, intake: Intake) -> None:
    if name is None:
        ref = intake.draft.asker
        dialog.asker_edit.setText(ref.name)
        dialog._select(dialog.party_combo, ref.party)
        dialog.email_edit.setText(ref.email or "")
        dialog._select(dialog.role_combo, ref.role)
        return
    dialog.asker_edit.setText(name)
    dialog._asker_chosen(name)
    if not dialog.email_edit.text() and intake.draft.asker.email:
        # The register has no address for this asker: keep the mail's (saved with it).
        dialog.email_edit.setText(intake.draft.asker.email)


class MailIntake(QObject):
    """Drop handling and the "Åbn e-mail…" action for the main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.db: Database = window.db
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        self.open_action = QAction("Åbn e-mail…", window)
        self.open_action.setToolTip("Opret en sag fra en gemt e-mail (.msg eller .eml)")
        self.open_action.triggered.connect(self.choose_files)
        actions = window.file_menu.actions()
        anchor = actions[2] if len(actions) > 2 else None
        window.file_menu.insertAction(anchor, self.open_action)
        # Tests replace this to see the dialog instead of running it modally.
        self.show_dialog: Callable[[Any], None] = lambda dialog: dialog.exec()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
                assert isinstance(event, QDragEnterEvent | QDropEvent)
                if is_mail_drop(event.mimeData()):
                    event.acceptProposedAction()
                    return True
            elif event.type() == QEvent.Type.Drop:
                assert isinstance(event, QDropEvent)
                mime = event.mimeData()
                if is_mail_drop(mime):
                    event.acceptProposedAction()
                    self.handle_drop(mime)
                    return True
        return False

    def handle_drop(self, mime: QMimeData) -> None:
        try:
            paths = mail_paths(mime) or [save_virtual_file(mime)]
        except KnownError as exc:
            errors.show_known_error(self.window, exc, "E-mailen kunne ikke læses")
            return
        self.open_files(paths)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self.window, "Åbn e-mail", "", "E-mails (*.msg *.eml);;Alle filer (*)"
        )
        if names:
            self.open_files([Path(name) for name in names])

    def open_files(self, paths: list[Path]) -> None:
        """Read the mails and open the review dialog (one case for all of them)."""
        try:
            try:
                mails = read_mails(self.window, paths, strict=True)
            except AttachmentProblem as problem:
                answer = QMessageBox.question(
                    self.window,
                    "Bilag kan ikke bruges",
                    f"{problem.message}\n\nVil du oprette sagen uden de bilag, der ikke kan "
                    "bruges?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.Yes,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
                mails = read_mails(self.window, paths, strict=False)
            with self.db.session() as session:
                intake = build_intake(session, mails, require_date=False)
            self.review(intake)
        except Exception as exc:
            errors.handle(self.window, exc)

    def review(self, intake: Intake) -> None:
        from kkdesk.ui.case_editor import CaseDialog

        dialog = CaseDialog.from_draft(self.db, intake.draft, intake.attachments, self.window)
        dialog.setWindowTitle(f"Ny sag fra e-mail – {intake.draft.subject}")
        banner = intake_banner(dialog, intake)
        layout = dialog.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, banner)
        dialog.saved.connect(lambda _case_id: banner.hide())  # its advice is done with
        if intake.asker.status == EXACT:
            dialog._asker_chosen(intake.draft.asker.name)
        dialog.saved.connect(self.window._case_saved)
        self.last_dialog = dialog
        self.show_dialog(dialog)


def install(window: Any) -> MailIntake:
    """Give the main window e-mail intake (drops and the File menu entry)."""
    return MailIntake(window)
