"""One place that shows errors: known errors as a Danish message, bugs as a crash dialog.

``install_excepthook`` routes every uncaught exception in a Qt slot here, so the app stays
up after an error. Bug details are written to the log folder.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kkdesk.core import paths
from kkdesk.core.errors import KnownError, ValidationError

log = logging.getLogger("kkdesk")


def show_known_error(parent: QWidget | None, error: KnownError, title: str = "") -> None:
    """A warning with the error's Danish message and, if any, what to do."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title or "kkdesk")
    if isinstance(error, ValidationError):
        head = "Sagen kan ikke gemmes endnu:" if not error.context else f"{error.context}:"
        box.setText(head)
        box.setInformativeText("\n".join(f"• {e}" for e in error.errors))
    else:
        box.setText(error.message)
        if error.detail:
            box.setInformativeText(error.detail)
    box.exec()


def write_crash_report(exc: BaseException) -> str:
    """Append the traceback to the crash log; returns the file's path."""
    target = paths.log_dir() / "fejl.log"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"\n=== {dt.datetime.now().isoformat(timespec='seconds')} ===\n{text}")
    return str(target)


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    """A crash dialog: an apology, where the details are, and the details themselves."""
    try:
        where = write_crash_report(exc)
    except OSError:
        where = "(logfilen kunne ikke skrives)"
    log.error("Uventet fejl", exc_info=exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("kkdesk – uventet fejl")
    box.setText("Der opstod en uventet fejl i kkdesk. Dine gemte data er ikke berørt.")
    box.setInformativeText(
        f"Detaljerne er gemt i {where}. Send filen til IT-supporten, hvis fejlen gentager sig."
    )
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.exec()


def handle(parent: QWidget | None, exc: BaseException) -> None:
    """Show any exception the right way."""
    if isinstance(exc, KnownError):
        show_known_error(parent, exc)
    else:
        show_bug(parent, exc)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    handle(QApplication.activeWindow(), exc.with_traceback(tb))


def install_excepthook() -> None:
    sys.excepthook = _excepthook
