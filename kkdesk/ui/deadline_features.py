"""Deadlines, workflow, overview and reminders in the main window.

``install(window)`` adds, without the main window knowing the details:

* the quick filters above the list ("Overskredne", "Frist denne uge", …);
* the "Overblik" tab (read when it is first shown, and again on "Opdatér");
* Sag > Status (the workflow's next steps for the current case), Sag > Frist,
  Sag > Bidrag…, Sag > Send rykker;
* Filer > Eksportér listen til Excel… and Eksportér overblik som PDF…;
* Register > Frister og kalender…;
* the reminder list ("Frister" on the toolbar), shown at start when cases are due,
  and checked every quarter of an hour.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from kkdesk.core import deadlines, workflow
from kkdesk.core.cases import load_case
from kkdesk.core.errors import KnownError
from kkdesk.core.reminders import DueCase, summary
from kkdesk.core.vocab import OPEN_STATUSES
from kkdesk.ui import errors, reminder_ui, workflow_actions
from kkdesk.ui.dashboard_widget import DashboardWidget, ListRequest, choose_save_path
from kkdesk.ui.list_export_ui import ExportJob, start_export
from kkdesk.ui.quick_filters import QuickFilterBar

if TYPE_CHECKING:
    from kkdesk.ui.main_window import MainWindow

DEADLINE_WIDTHS = {6: 118, 7: 96, 8: 160}


class DeadlineFeatures:
    """What ``install`` adds to one main window (kept on ``window.deadline_features``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.db = window.db
        self.export_job: ExportJob | None = None
        self.reminder_dialog: reminder_ui.ReminderDialog | None = None

        self.quick = QuickFilterBar(window)
        window.addToolBarBreak()
        window.addToolBar(self.quick)
        window.filter_hooks.append(self.quick.apply)
        self.quick.changed.connect(window.apply_filter)

        self.dashboard = DashboardWidget(self.db, window)
        self.dashboard_index = window.tabs.addTab(self.dashboard, "Overblik")
        self.dashboard.list_requested.connect(self.show_list)
        window.tabs.currentChanged.connect(self._tab_changed)

        self._menus()
        self.watcher = reminder_ui.ReminderWatcher(self.db, window)
        self.watcher.changed.connect(self._reminders_changed)
        self.watcher.start()
        self._column_widths()

    # --- building -----------------------------------------------------------------------
    def _menus(self) -> None:
        window = self.window
        self.status_menu = QMenu("Status", window)
        self.status_menu.aboutToShow.connect(self._fill_status_menu)
        window.case_menu.addSeparator()
        window.case_menu.addMenu(self.status_menu)
        deadline_menu = window.case_menu.addMenu("Frist")
        deadline_menu.addAction("Forklar fristen…", self.explain_deadline)
        deadline_menu.addAction("Forlæng frist…", lambda: self.change_deadline("extend"))
        deadline_menu.addAction("Fastsæt frist manuelt…", lambda: self.change_deadline("override"))
        deadline_menu.addAction(
            "Brug den beregnede frist igen", lambda: self.change_deadline("derived")
        )
        window.case_menu.addAction("Bidrag…", self.contributions)
        window.case_menu.addAction("Send rykker", self.send_reminder)

        self.excel_action = QAction("Eksportér listen til Excel…", window)
        self.excel_action.setShortcut(QKeySequence("Ctrl+E"))
        self.excel_action.triggered.connect(self.export_excel)
        pdf = QAction("Eksportér overblik som PDF…", window)
        pdf.triggered.connect(self.dashboard.export_pdf)
        # Before "Afslut" (and the separator above it).
        existing = window.file_menu.actions()
        before = existing[-2] if len(existing) > 1 else existing[-1]
        window.file_menu.insertAction(before, self.excel_action)
        window.file_menu.insertAction(before, pdf)
        window.file_menu.insertSeparator(self.excel_action)

        calendar = QAction("Frister og kalender…", window)
        calendar.triggered.connect(self.edit_calendar)
        window.register_menu.addSeparator()
        window.register_menu.addAction(calendar)

        self.reminder_action = QAction("Frister", window)
        self.reminder_action.setToolTip("Sager med frist inden for 2 arbejdsdage eller overskredet")
        self.reminder_action.triggered.connect(self.show_reminders)
        window.toolbar.insertAction(window.toolbar.actions()[2], self.reminder_action)

    def _column_widths(self) -> None:
        # Once: afterwards the user's own widths are saved with the header state.
        settings = QSettings()
        if not settings.value("main_window/deadline_columns", False, type=bool):
            header = self.window.table.horizontalHeader()
            for column, width in DEADLINE_WIDTHS.items():
                header.resizeSection(column, width)
            settings.setValue("main_window/deadline_columns", True)

    # --- the list -------------------------------------------------------------------------
    def show_list(self, request: ListRequest) -> None:
        """Show the cases behind a figure of the overview."""
        window = self.window
        for combo in (window.status_filter, window.admin_filter):
            combo.blockSignals(True)
        from kkdesk.ui.main_window import OPEN_FILTER

        window.search_field.blockSignals(True)
        window.search_field.clear()
        window.search_field.blockSignals(False)
        index = window.status_filter.findData(
            OPEN_FILTER if request.statuses == OPEN_STATUSES else None
        )
        window.status_filter.setCurrentIndex(max(index, 0))
        admin = window.admin_filter.findData(request.administration_id)
        window.admin_filter.setCurrentIndex(max(admin, 0))
        for combo in (window.status_filter, window.admin_filter):
            combo.blockSignals(False)
        self.quick.set_quick(request.quick, emit=False)
        period = (
            (request.answered_from, request.answered_to)
            if request.answered_from and request.answered_to
            else None
        )
        self.quick.set_answered(request.label if period else "", period)
        window.tabs.setCurrentIndex(0)
        window.apply_filter()
        window.statusBar().showMessage(f"Viser: {request.label}", 6000)

    def _tab_changed(self, index: int) -> None:
        # Read when first shown, and again when shown after a minute (colleagues work too).
        if index == self.dashboard_index and (
            self.dashboard.board is None or time.monotonic() - self.dashboard.read_at > 60
        ):
            self.dashboard.refresh()

    # --- case actions -------------------------------------------------------------------
    def _current(self) -> tuple[int, str, str] | None:
        case_id = self.window.current_case_id()
        if case_id is None:
            self.window.statusBar().showMessage("Vælg en sag i listen først.", 4000)
            return None
        try:
            with self.db.session() as session:
                case = load_case(session, case_id)
                return case.id, case.case_number, case.status
        except KnownError as exc:
            errors.show_known_error(self.window, exc)
            return None

    def _changed(self, case_id: int, message: str) -> None:
        self.window.case_model.refresh_case(case_id)
        self.window.statusBar().showMessage(message, 5000)
        if self.dashboard.board is not None:
            self.dashboard.refresh()

    def _fill_status_menu(self) -> None:
        self.status_menu.clear()
        current = self._current()
        if current is None:
            self.status_menu.addAction("(vælg en sag)").setEnabled(False)
            return
        case_id, number, status = current
        steps = workflow.actions_for(status)
        if not steps:
            self.status_menu.addAction("(ingen flere skridt)").setEnabled(False)
        for action in steps:
            item = self.status_menu.addAction(action.label)
            item.setToolTip(action.hint)
            item.triggered.connect(lambda _c=False, a=action: self.run_action(case_id, number, a))

    def run_action(self, case_id: int, number: str, action: workflow.Action) -> None:
        if workflow_actions.run_action(self.window, self.db, case_id, number, action):
            self._changed(case_id, f"Sag {number}: {action.label} er udført.")

    def change_deadline(self, mode: str) -> None:
        current = self._current()
        if current is not None and workflow_actions.change_deadline(
            self.window, self.db, current[0], mode
        ):
            self._changed(current[0], f"Fristen på sag {current[1]} er ændret.")

    def explain_deadline(self) -> None:
        current = self._current()
        if current is None:
            return
        with self.db.session() as session:
            info = deadlines.deadline_info(session, current[0])
        box = QMessageBox(self.window)
        box.setWindowTitle(f"Fristen på sag {info.case_number}")
        box.setText("Sådan er fristen beregnet:")
        box.setInformativeText("\n\n".join(info.lines))
        box.exec()

    def contributions(self) -> None:
        from kkdesk.ui.contributions_dialog import ContributionsDialog

        current = self._current()
        if current is not None:
            ContributionsDialog(self.db, current[0], self.window).exec()
            self._changed(current[0], f"Bidrag til sag {current[1]} er opdateret.")

    def send_reminder(self) -> None:
        current = self._current()
        if current is not None and reminder_ui.send_reminder(self.window, self.db, current[0]):
            self._changed(current[0], f"Rykker for sag {current[1]} er lavet og åbnet.")

    # --- files and registers --------------------------------------------------------------
    def export_excel(self) -> None:
        ids = self.window.case_model.case_ids()
        if not ids:
            self.window.statusBar().showMessage("Listen er tom; der er intet at eksportere.", 4000)
            return
        path = choose_save_path(self.window, "Eksportér listen til Excel", "sager.xlsx",
                                "Excel-projektmapper (*.xlsx)")  # fmt: skip
        if path:
            target = Path(path)
            if target.suffix.lower() != ".xlsx":
                target = target.with_name(target.name + ".xlsx")
            self.export_job = start_export(self.window, self.db, ids, target)

    def edit_calendar(self) -> None:
        from kkdesk.ui.calendar_dialog import CalendarDialog

        CalendarDialog(self.db, self.window).exec()
        self.window.case_model.reload()
        if self.dashboard.board is not None:
            self.dashboard.refresh()

    # --- reminders ----------------------------------------------------------------------
    def check_at_start(self) -> None:
        """The first check; shows the list when cases are due (unless switched off)."""
        found = self.watcher.check()
        show = bool(QSettings().value(reminder_ui.SHOW_AT_START, True, type=bool))
        if found and show:
            self.show_reminders()

    def _reminders_changed(self, cases: list[DueCase]) -> None:
        self.reminder_action.setText(f"Frister ({len(cases)})" if cases else "Frister")
        if cases:
            self.window.statusBar().showMessage(summary(cases), 10000)
        if self.reminder_dialog is not None and self.reminder_dialog.isVisible():
            self.reminder_dialog.set_cases(cases)
        self.reminder_action.setToolTip(summary(cases) if cases else "Ingen frister lige nu")

    def show_reminders(self) -> None:
        if self.reminder_dialog is None:
            self.reminder_dialog = reminder_ui.ReminderDialog(self.db, self.window)
            self.reminder_dialog.open_case.connect(self.window.open_case)
        self.reminder_dialog.set_cases(self.watcher.cases)
        self.reminder_dialog.show()
        self.reminder_dialog.raise_()


def install(window: MainWindow) -> DeadlineFeatures:
    """Add the deadline features to ``window``; the first reminder check runs once the
    window is up (it reads the database and may show the list)."""
    features = DeadlineFeatures(window)
    window.deadline_features = features  # type: ignore[attr-defined]
    # A timer owned by the window: it dies with it (never fires on a closed window).
    first = QTimer(window)
    first.setSingleShot(True)
    first.setInterval(1500)  # after start-up, when the window is on screen
    first.timeout.connect(features.check_at_start)
    first.start()
    return features
