"""The "Bilag" panel of the case editor: add, remove, open, "sendes med svaret".

For a saved case every action is saved at once (its own short session). For a new case
(e.g. from an e-mail) the files are pending and are stored in the same transaction as
the case (``save_pending``), so a failed save leaves neither.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from kkdesk.core import attachments
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.intake.build import PendingAttachment
from kkdesk.core.intake.mail import DEFAULT_LIMITS, check_attachment_size, human_size
from kkdesk.core.intake.save import save_pending_attachments
from kkdesk.core.users import current_user
from kkdesk.ui import errors
from kkdesk.ui.attachment_table_model import (
    COL_ADDED,
    COL_NAME,
    COL_SEND,
    COL_SIZE,
    COL_TITLE,
    AttachmentRow,
    AttachmentTableModel,
)


def open_with_system_viewer(file_name: str, data: bytes) -> Path:
    """Write the bytes to a private temporary folder and open them with the system."""
    folder = Path(tempfile.mkdtemp(prefix="kkdesk-bilag-"))
    target = folder / (Path(file_name).name or "bilag")
    target.write_bytes(data)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
        raise KnownError(
            f"Der er intet program til at åbne '{target.name}'.",
            detail=f"Filen er gemt her: {target}",
        )
    return target


class AttachmentsPanel(QGroupBox):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Bilag", parent)
        self.db = db
        self.case_id: int | None = None
        self.pending: list[PendingAttachment] = []
        self._pending_send: list[bool] = []
        self._pending_title: list[str] = []
        self.model = AttachmentTableModel(self)
        self.model.send_toggled.connect(self._send_toggled)
        self.model.title_edited.connect(self._title_edited)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setToolTip(
            "Dobbeltklik for at åbne en fil. Klik på titlen for at rette den linje, "
            "der står i brevets bilagsliste."
        )
        for column in (COL_SIZE, COL_ADDED, COL_SEND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(110)
        self.view.doubleClicked.connect(lambda _index: self.open_selected())
        self.add_button = QPushButton("Tilføj fil…")
        self.remove_button = QPushButton("Fjern")
        self.open_button = QPushButton("Åbn")
        self.add_button.clicked.connect(self.add_files_dialog)
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._show_status()

    # --- content ------------------------------------------------------------------
    def set_case(self, case_id: int) -> None:
        """Show (and from now on save directly to) a stored case's bilag."""
        self.case_id = case_id
        self.pending, self._pending_send, self._pending_title = [], [], []
        self.reload()

    def set_pending(self, items: list[PendingAttachment]) -> None:
        """Files to store when the new case is first saved."""
        self.pending = list(items)
        self._pending_send = [False] * len(items)
        self._pending_title = [""] * len(items)
        self.reload()

    def reload(self) -> None:
        if self.case_id is not None:
            with self.db.session() as session:
                infos = attachments.list_attachments(session, self.case_id)
            self.model.set_rows([AttachmentRow.from_info(info) for info in infos])
        else:
            self.model.set_rows(
                [
                    AttachmentRow(
                        item.name,
                        len(item.data),
                        "gemmes med sagen",
                        send,
                        item.is_original,
                        title,
                        pending_index=index,
                    )
                    for index, (item, send, title) in enumerate(
                        zip(self.pending, self._pending_send, self._pending_title, strict=True)
                    )
                ]
            )
        self._show_status()

    def _show_status(self) -> None:
        rows = self.model.rows()
        total = sum(r.size for r in rows)
        sent = sum(1 for r in rows if r.send_with_reply)
        if not rows:
            text = "Ingen bilag. Tilføj filer, eller træk en e-mail ind i hovedvinduet."
        else:
            text = f"{len(rows)} bilag, {human_size(total)}; {sent} sendes med svaret."
            if any(r.is_original for r in rows):
                text += " ✉ = den oprindelige e-mail."
            if self.case_id is None:
                text += " Bilagene gemmes, når sagen gemmes."
        self.status.setText(text)
        has_row = self.view.currentIndex().isValid() or bool(rows)
        self.remove_button.setEnabled(has_row)
        self.open_button.setEnabled(has_row)

    def save_pending(self, session: Session, case_id: int) -> None:
        """Store the pending files with a just-created case (same transaction)."""
        if not self.pending:
            return
        save_pending_attachments(session, case_id, self.pending, user=current_user())
        wanted = {
            item.name: (flag, title)
            for item, flag, title in zip(
                self.pending, self._pending_send, self._pending_title, strict=True
            )
        }
        for info in attachments.list_attachments(session, case_id):
            flag, title = wanted.get(info.file_name, (False, ""))
            if flag:
                attachments.set_send_with_reply(session, info.id, True, user=current_user())
            if title:
                attachments.set_title(session, info.id, title, user=current_user())

    # --- actions ------------------------------------------------------------------
    def _selected(self) -> tuple[int, AttachmentRow] | None:
        index = self.view.currentIndex()
        row = self.model.row(index.row()) if index.isValid() else None
        return (index.row(), row) if row is not None else None

    def add_files_dialog(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, "Tilføj bilag")
        self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        """Add files from disk; each problem is shown, the other files are still added."""
        for path in paths:
            try:
                data = attachments.read_file_for_attachment(path)
                if self.case_id is None:
                    check_attachment_size(path.name, len(data), DEFAULT_LIMITS)
                    if any(item.data == data for item in self.pending):
                        raise attachments.DuplicateAttachment(
                            f"Filen '{path.name}' er allerede tilknyttet sagen."
                        )
                    self.pending.append(
                        PendingAttachment(
                            path.name, attachments.guess_content_type(path.name, data), data
                        )
                    )
                    self._pending_send.append(False)
                    self._pending_title.append("")
                else:
                    with self.db.session() as session:
                        attachments.add_attachment(
                            session, self.case_id, path.name, data, user=current_user()
                        )
            except KnownError as exc:
                errors.show_known_error(self, exc, "Bilaget blev ikke tilføjet")
        self.reload()

    def remove_selected(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        index, row = selected
        answer = QMessageBox.question(
            self,
            "Fjern bilag",
            f"Vil du fjerne '{row.file_name}' fra sagen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            if row.attachment_id is not None:
                with self.db.session() as session:
                    attachments.remove_attachment(session, row.attachment_id, user=current_user())
            elif row.pending_index is not None:
                del self.pending[row.pending_index]
                del self._pending_send[row.pending_index]
                del self._pending_title[row.pending_index]
        except KnownError as exc:
            errors.show_known_error(self, exc, "Bilaget blev ikke fjernet")
        self.reload()
        if self.model.rowCount():
            self.view.selectRow(min(index, self.model.rowCount() - 1))

    def open_selected(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        _index, row = selected
        try:
            if row.attachment_id is not None:
                with self.db.session() as session:
                    info, data = attachments.attachment_data(session, row.attachment_id)
                open_with_system_viewer(info.file_name, data)
            elif row.pending_index is not None:
                item = self.pending[row.pending_index]
                open_with_system_viewer(item.name, item.data)
        except KnownError as exc:
            errors.show_known_error(self, exc, "Bilaget kunne ikke åbnes")
        except OSError as exc:
            errors.show_known_error(
                self, KnownError(f"Bilaget kunne ikke gemmes midlertidigt: {exc.strerror}.")
            )

    def _title_edited(self, row_index: int, title: str) -> None:
        row = self.model.row(row_index)
        if row is None:
            return
        if row.pending_index is not None:
            self._pending_title[row.pending_index] = title
            return
        if row.attachment_id is None:
            return
        try:
            with self.db.session() as session:
                attachments.set_title(session, row.attachment_id, title, user=current_user())
        except KnownError as exc:
            errors.show_known_error(self, exc, "Titlen blev ikke gemt")
        self.reload()

    def _send_toggled(self, row_index: int, value: bool) -> None:
        row = self.model.row(row_index)
        if row is None:
            return
        if row.pending_index is not None:
            self._pending_send[row.pending_index] = value
            self._show_status()
            return
        if row.attachment_id is None:
            return
        try:
            with self.db.session() as session:
                attachments.set_send_with_reply(
                    session, row.attachment_id, value, user=current_user()
                )
        except KnownError as exc:
            errors.show_known_error(self, exc, "Bilaget blev ikke ændret")
        self.reload()
