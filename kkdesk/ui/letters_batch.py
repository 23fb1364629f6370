"""Batch export of the selected cases' letters, off the UI thread, with progress and cancel."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import BatchResult, export_batch
from kkdesk.core.users import current_user
from kkdesk.ui import errors
from kkdesk.ui.letters_export import last_folder, remember_folder

FORMAT_CHOICES = {"PDF": "pdf", "Word": "docx"}


class _Worker(QObject):
    progressed = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, db: Database, case_ids: list[int], fmt: str, folder: Path) -> None:
        super().__init__()
        self.db, self.case_ids, self.fmt, self.folder = db, case_ids, fmt, folder
        self.user = current_user()
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = export_batch(
                self.db,
                self.case_ids,
                self.fmt,
                self.folder,
                user=self.user,
                progress=self._progress,
            )
        except Exception as exc:  # shown on the UI thread by the error handler
            self.failed.emit(exc)
            return
        self.done.emit(result)

    def _progress(self, done: int, total: int, label: str) -> bool:
        self.progressed.emit(done, total, label)
        return not self.cancel.is_set()


class BatchExport(QObject):
    """One running batch export; ``finished(result)`` when done, cancelled or failed."""

    finished = Signal(object)

    def __init__(
        self, parent: QWidget, db: Database, case_ids: list[int], fmt: str, folder: Path
    ) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.result: BatchResult | None = None
        self.progress = QProgressDialog("Danner breve …", "Annullér", 0, len(case_ids), parent)
        self.progress.setWindowTitle("Eksport af svarbreve")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.worker_thread = QThread(self)
        self.worker = _Worker(db, case_ids, fmt, folder)
        self.worker.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._progressed)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.progress.canceled.connect(self.worker.cancel.set)
        self.folder = folder

    def start(self) -> None:
        self.progress.show()
        self.worker_thread.start()

    def _progressed(self, done: int, total: int, label: str) -> None:
        self.progress.setValue(done)
        suffix = f" (senest {label})" if label else ""
        self.progress.setLabelText(f"Danner brev {min(done + 1, total)} af {total}{suffix} …")

    def _finish(self) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()
        self.progress.close()

    def _done(self, result: BatchResult) -> None:
        self._finish()
        self.result = result
        summary_box(self.parent_widget, result, self.folder)
        self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        errors.handle(self.parent_widget, exc)
        self.finished.emit(None)


def summary_text(result: BatchResult, folder: Path) -> str:
    """The Danish summary shown after a batch export."""
    count = len(result.written)
    lines = [f"{count} {'brev' if count == 1 else 'breve'} gemt i {folder}."]
    if result.drafts:
        lines.append(f"{result.drafts} er mærket UDKAST, fordi sagen ikke er godkendt.")
    if result.cancelled:
        lines.append("Eksporten blev annulleret; de resterende sager er ikke dannet.")
    if result.failed:
        lines.append(f"{len(result.failed)} kunne ikke dannes:")
        lines += [f"• {label}: {message}" for label, message in result.failed[:15]]
        if len(result.failed) > 15:
            lines.append(f"… og {len(result.failed) - 15} flere.")
    return "\n".join(lines)


def summary_box(parent: QWidget | None, result: BatchResult, folder: Path) -> None:
    icon = QMessageBox.Icon.Warning if result.failed else QMessageBox.Icon.Information
    box = QMessageBox(icon, "Eksport af svarbreve", summary_text(result, folder), parent=parent)
    box.exec()


def ask_format(parent: QWidget | None, count: int) -> str | None:
    choice, ok = QInputDialog.getItem(
        parent,
        "Eksportér valgte sager",
        f"Dan svarbreve til {count} {'sag' if count == 1 else 'sager'} som:",
        list(FORMAT_CHOICES),
        0,
        False,
    )
    return FORMAT_CHOICES[choice] if ok else None


def ask_folder(parent: QWidget | None) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Vælg mappe til brevene", last_folder())
    if not folder:
        return None
    remember_folder(Path(folder))
    return Path(folder)


def start_batch(parent: QWidget, db: Database, case_ids: list[int]) -> BatchExport | None:
    """Ask for format and folder, then export in the background."""
    if not case_ids:
        errors.show_known_error(parent, KnownError("Markér en eller flere sager i listen først."))
        return None
    fmt = ask_format(parent, len(case_ids))
    if fmt is None:
        return None
    folder = ask_folder(parent)
    if folder is None:
        return None
    batch = BatchExport(parent, db, case_ids, fmt, folder)
    batch.start()
    return batch
