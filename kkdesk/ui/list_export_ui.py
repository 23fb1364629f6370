"""Filer > "Eksportér listen til Excel…": the list as shown (filter and order), written
off the UI thread with a progress dialog that can cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.ui import errors


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(int)  # rows written; -1: cancelled
    failed = Signal(object)  # the exception


class ExportJob(QRunnable):
    """Writes the workbook in a worker thread, with its own database session."""

    def __init__(self, db: Database, ids: list[int], target: Path) -> None:
        super().__init__()
        self.db = db
        self.ids = ids
        self.target = target
        self.signals = _Signals()
        self.cancelled = False
        self.result: int | None = None  # set before ``finished`` is emitted

    def run(self) -> None:
        # Imported here: openpyxl takes ≈ 0.4 s to import, which start-up should not pay.
        from kkdesk.core.list_export import export_list

        try:
            with self.db.session() as session:
                count = export_list(
                    session,
                    self.ids,
                    self.target,
                    title="Sager",
                    progress=self._progress,
                )
        except Exception as exc:  # reported on the UI thread, which knows how to show it
            self.result = -2
            self.signals.failed.emit(exc)
            return
        self.result = count
        self.signals.finished.emit(count)

    def _progress(self, done: int, total: int) -> bool:
        self.signals.progress.emit(done, total)
        return not self.cancelled


def start_export(parent: QWidget, db: Database, ids: list[int], target: Path) -> ExportJob:
    """Start the export with a progress dialog; returns the job (its signals tell the end)."""
    job = ExportJob(db, ids, target)
    dialog = QProgressDialog("Eksporterer sagerne til Excel …", "Annullér", 0, max(len(ids), 1),
                             parent)  # fmt: skip
    dialog.setWindowTitle("Eksport til Excel")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    dialog.canceled.connect(lambda: setattr(job, "cancelled", True))
    job.signals.progress.connect(lambda done, _total: dialog.setValue(done))

    def done(count: int) -> None:
        dialog.reset()
        window = parent.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            text = (
                "Eksporten er annulleret."
                if count < 0
                else f"{count:,} sager er gemt i {target}".replace(",", ".")
            )
            status().showMessage(text, 8000)

    def failed(exc: object) -> None:
        dialog.reset()
        if isinstance(exc, KnownError):
            errors.show_known_error(parent, exc, "Listen blev ikke eksporteret")
        elif isinstance(exc, BaseException):
            errors.handle(parent, exc)

    job.signals.finished.connect(done)
    job.signals.failed.connect(failed)
    job.setAutoDelete(False)
    QThreadPool.globalInstance().start(job)
    return job
