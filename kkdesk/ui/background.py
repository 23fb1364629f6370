"""Run long work off the UI thread behind a progress dialog.

``run_with_progress`` starts ``work(progress, cancelled)`` on a ``QThread``; ``progress``
may be called from the worker with (done, total); the dialog's "Annullér" sets
``cancelled()``. The UI thread waits in a local event loop, so the caller gets the result
(or the exception) back as if it were a plain call. The work must open its own database
sessions (never share one between threads).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], T]


class _Worker(QThread):
    progressed = Signal(int, int)

    def __init__(self, work: Work[Any], cancel: threading.Event, parent: QObject | None) -> None:
        super().__init__(parent)
        self.work = work
        self.cancel = cancel
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work(lambda d, t: self.progressed.emit(d, t), self.cancel.is_set)
        except BaseException as exc:  # handed to the UI thread
            self.error = exc


def run_with_progress(parent: QWidget | None, label: str, work: Work[T]) -> T:
    """Run ``work`` in a thread with a modal progress dialog; returns its result."""
    cancel = threading.Event()
    dialog = QProgressDialog(label, "Annullér", 0, 0, parent)
    dialog.setWindowTitle("kkdesk")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    worker = _Worker(work, cancel, parent)
    loop = QEventLoop()

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(f"{label} ({done} af {total})")

    worker.progressed.connect(progressed)
    worker.finished.connect(loop.quit)
    dialog.canceled.connect(cancel.set)
    worker.start()
    loop.exec()
    worker.wait()
    dialog.close()
    dialog.deleteLater()
    worker.deleteLater()
    if worker.error is not None:
        raise worker.error
    result: T = worker.result
    return result
