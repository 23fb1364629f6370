"""Hooks the letter features into the main window: case menu, toolbar, register menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from kkdesk.core.errors import KnownError
from kkdesk.ui import errors

if TYPE_CHECKING:
    from kkdesk.ui.main_window import MainWindow


def _current(window: MainWindow) -> int | None:
    case_id = window.current_case_id()
    if case_id is None:
        errors.show_known_error(window, KnownError("Markér en sag i listen først."))
    return case_id


def preview(window: MainWindow) -> None:
    from kkdesk.ui.letters_preview import show_preview

    case_id = _current(window)
    if case_id is not None:
        show_preview(window, window.db, case_id)


def export(window: MainWindow, fmt: str) -> None:
    from kkdesk.ui.letters_export import export_letter

    case_id = _current(window)
    if case_id is not None and export_letter(window, window.db, case_id, fmt) is not None:
        window.statusBar().showMessage("Brevet er gemt.", 5000)


def batch(window: MainWindow) -> None:
    from kkdesk.ui.letters_batch import start_batch

    window._letter_batch = start_batch(window, window.db, window.selected_case_ids())  # type: ignore[attr-defined]


def interim(window: MainWindow) -> None:
    from kkdesk.ui.letters_interim import make_interim

    case_id = _current(window)
    if case_id is not None and make_interim(window, window.db, case_id) is not None:
        window.statusBar().showMessage("Det foreløbige svar er gemt.", 5000)


def edit_templates(window: MainWindow) -> None:
    from kkdesk.ui.letters_templates import TemplateDialog

    try:
        TemplateDialog(window.db, window).exec()
    except Exception as exc:
        errors.handle(window, exc)


def install(window: MainWindow) -> None:
    """Add the letter actions to ``window``'s menus and toolbar."""
    actions = {
        "preview": QAction("Vis brev…", window),
        "docx": QAction("Eksportér som Word (udkast)…", window),
        "pdf": QAction("Eksportér som PDF…", window),
        "batch": QAction("Eksportér valgte sager…", window),
        "interim": QAction("Foreløbigt svar…", window),
    }
    actions["preview"].setShortcut(QKeySequence("Ctrl+B"))
    actions["preview"].setToolTip("Vis svarbrevet til den markerede sag (Ctrl+B)")
    actions["pdf"].setShortcut(QKeySequence("Ctrl+E"))
    actions["batch"].setToolTip("Dan svarbreve til alle markerede sager på én gang")
    actions["preview"].triggered.connect(lambda: preview(window))
    actions["docx"].triggered.connect(lambda: export(window, "docx"))
    actions["pdf"].triggered.connect(lambda: export(window, "pdf"))
    actions["batch"].triggered.connect(lambda: batch(window))
    actions["interim"].setToolTip("Fortæl spørgeren, hvornår svaret senest kommer")
    actions["interim"].triggered.connect(lambda: interim(window))
    window.case_menu.addSeparator()
    for action in actions.values():
        window.case_menu.addAction(action)
    window.toolbar.insertAction(window.toolbar.actions()[2], actions["preview"])
    window.toolbar.insertAction(window.toolbar.actions()[3], actions["pdf"])
    actions["pdf"].setIconText("Eksportér PDF")
    actions["preview"].setIconText("Vis brev")
    templates = QAction("Brevskabeloner…", window)
    templates.triggered.connect(lambda: edit_templates(window))
    window.register_menu.addSeparator()
    window.register_menu.addAction(templates)
    window.letter_actions = {**actions, "templates": templates}  # type: ignore[attr-defined]
