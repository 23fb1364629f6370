"""Menu entries and the search dock of the search-and-reuse features, installed on the
main window by ``install(window)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from kkdesk.ui.search_panel import install_search

if TYPE_CHECKING:
    from kkdesk.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    """Search dock (Sag ▸ Søg i sager og svar), Filer ▸ Importér svarbreve fra arkivet…,
    Register ▸ Standardtekster…."""
    install_search(window)

    def import_archive() -> None:
        from kkdesk.ui.archive_wizard import ArchiveWizard

        ArchiveWizard(window.db, window).exec()
        window.case_model.reload()

    def edit_texts() -> None:
        from kkdesk.ui.standard_texts_dialog import StandardTextsDialog

        StandardTextsDialog(window.db, window).exec()

    archive = QAction("Importér svarbreve fra arkivet…", window)
    archive.triggered.connect(import_archive)
    actions = window.file_menu.actions()
    if len(actions) > 2:  # after "Ny sag" and "Åbn sag"
        window.file_menu.insertAction(actions[2], archive)
    else:
        window.file_menu.addAction(archive)
    texts = QAction("Standardtekster…", window)
    texts.triggered.connect(edit_texts)
    window.register_menu.addSeparator()
    window.register_menu.addAction(texts)
