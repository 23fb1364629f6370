"""The main window: the filterable, sortable case list and the menus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)
from sqlalchemy import select

from kkdesk.core.caselist import CaseFilter
from kkdesk.core.database import Database
from kkdesk.core.models import Administration
from kkdesk.core.vocab import OPEN_STATUSES, STATUS_LABELS
from kkdesk.ui import errors
from kkdesk.ui.case_table_model import CASE_ID_ROLE, CaseTableModel
from kkdesk.ui.deadline_features import install as install_deadline_features

OPEN_FILTER = "__open__"


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(f"kkdesk – {db.describe()}")
        self.case_model = CaseTableModel(db, self)
        # Functions that refine the list's filter (quick filters …), applied in order.
        self.filter_hooks: list[Callable[[CaseFilter], CaseFilter]] = []
        self._build_table()
        self._build_toolbar()
        self._build_menus()
        from kkdesk.ui import letters_actions

        letters_actions.install(self)
        from kkdesk.ui import reuse_actions

        reuse_actions.install(self)
        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_field.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.admin_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.count_label = QLabel()
        self.statusBar().addPermanentWidget(self.count_label)
        self.case_model.modelReset.connect(self._update_count)
        self._restore_geometry()
        from kkdesk.ui import team_setup  # users, roles, backups, connection (issue 6)

        self.team = team_setup.install(self)
        install_deadline_features(self)
        self.apply_filter()
        # Set by "Skift database …"; run_gui then shows the welcome again.
        self.switch_database_requested = False
        from kkdesk.ui import demo_banner

        demo_banner.install(self)
        from kkdesk.ui import reply_actions
        from kkdesk.ui.mail_intake import install as install_mail_intake

        self.mail_intake = install_mail_intake(self)
        reply_actions.install(self)

    # --- building -----------------------------------------------------------------
    def _build_table(self) -> None:
        view = QTableView(self)
        view.setModel(self.case_model)
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(24)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((90, 420, 200, 90, 90, 130)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        view.doubleClicked.connect(lambda index: self.open_case(index.data(CASE_ID_ROLE)))
        self.table = view
        # Tabs: the list first; features add theirs (the overview).
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(view, "Sager")
        self.setCentralWidget(self.tabs)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Værktøjslinje", self)
        self.toolbar = bar
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        self.new_action = QAction("Ny sag", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setToolTip("Registrér en ny henvendelse (Ctrl+N)")
        self.new_action.triggered.connect(self.new_case)
        self.open_action = QAction("Åbn sag", self)
        self.open_action.setShortcut(QKeySequence(Qt.Key.Key_Return))
        self.open_action.triggered.connect(self.open_selected)
        bar.addAction(self.new_action)
        bar.addAction(self.open_action)
        bar.addSeparator()
        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText("Søg i sagsnr., emne og spørger (Ctrl+F)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumWidth(280)
        bar.addWidget(self.search_field)
        bar.addWidget(QLabel("  Status: "))
        self.status_filter = QComboBox(self)
        self.status_filter.addItem("Alle", None)
        self.status_filter.addItem("Åbne sager", OPEN_FILTER)
        for code, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, code)
        bar.addWidget(self.status_filter)
        bar.addWidget(QLabel("  Forvaltning: "))
        self.admin_filter = QComboBox(self)
        bar.addWidget(self.admin_filter)
        self._fill_admin_filter()
        find = QAction("Søg", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.addToolBar(bar)

    def _fill_admin_filter(self) -> None:
        current = self.admin_filter.currentData()
        self.admin_filter.blockSignals(True)
        self.admin_filter.clear()
        self.admin_filter.addItem("Alle", None)
        with self.db.session() as session:
            for admin in session.scalars(select(Administration).order_by(Administration.code)):
                self.admin_filter.addItem(f"{admin.code} – {admin.name}", admin.id)
        index = self.admin_filter.findData(current)
        self.admin_filter.setCurrentIndex(max(index, 0))
        self.admin_filter.blockSignals(False)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&Filer")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        switch_db = QAction("Skift database …", self)
        switch_db.triggered.connect(self.request_database_switch)
        file_menu.addAction(switch_db)
        file_menu.addSeparator()
        quit_action = QAction("&Afslut", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        self.file_menu = file_menu
        # Case actions (letters, workflow…) are added to this menu by their modules.
        self.case_menu = menu.addMenu("&Sag")
        self.case_menu.addAction(self.open_action)

        register = menu.addMenu("&Register")
        self.register_menu = register
        for entity, label in (
            ("administration", "Forvaltninger…"),
            ("unit", "Enheder…"),
            ("officer", "Sagsbehandlere…"),
            ("asker", "Spørgere…"),
            ("party", "Partier…"),
            ("kind", "Typer af henvendelser…"),
        ):
            action = QAction(label, self)
            action.triggered.connect(lambda _c=False, e=entity: self.edit_register(e))
            register.addAction(action)

        help_menu = menu.addMenu("&Hjælp")
        self.help_menu = help_menu
        guide = QAction("Brugervejledning", self)
        guide.setShortcut(QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self.show_help)
        help_menu.addAction(guide)
        about = QAction("Om kkdesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    # --- actions ------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_field.setFocus()
        self.search_field.selectAll()

    def current_filter(self) -> CaseFilter:
        status = self.status_filter.currentData()
        statuses: frozenset[str] = frozenset()
        if status == OPEN_FILTER:
            statuses = OPEN_STATUSES
        elif status:
            statuses = frozenset({status})
        admin = self.admin_filter.currentData()
        admins = frozenset({admin}) if admin is not None else frozenset()
        flt = CaseFilter(statuses, admins, self.search_field.text().strip())
        for hook in self.filter_hooks:
            flt = hook(flt)
        return flt

    def apply_filter(self) -> None:
        try:
            self.case_model.set_filter(self.current_filter())
        except Exception as exc:
            errors.handle(self, exc)

    def selected_case_ids(self) -> list[int]:
        """Ids of the selected cases, top to bottom."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [case_id for row in rows if (case_id := self.case_model.case_id(row)) is not None]

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.case_model.case_id(index.row()) if index.isValid() else None

    def _update_count(self) -> None:
        count = self.case_model.rowCount()
        self.count_label.setText(f"{count:,} sager".replace(",", "."))

    def new_case(self) -> None:
        self._edit(None)

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.open_case(index.data(CASE_ID_ROLE))

    def open_case(self, case_id: int | None) -> None:
        if case_id is not None:
            self._edit(case_id)

    def _edit(self, case_id: int | None) -> None:
        from kkdesk.ui.case_editor import CaseDialog

        try:
            dialog = CaseDialog(self.db, case_id, self)
        except Exception as exc:
            errors.handle(self, exc)
            return
        dialog.saved.connect(self._case_saved)
        dialog.exec()

    def _case_saved(self, case_id: int) -> None:
        self.case_model.refresh_case(case_id)
        row = self.case_model.row_of(case_id)
        if row is not None:
            self.table.selectRow(row)
        self.statusBar().showMessage("Sagen er gemt.", 4000)

    def edit_register(self, entity: str) -> None:
        from kkdesk.ui.registry_dialog import RegistryDialog

        RegistryDialog(self.db, entity, self).exec()
        self._fill_admin_filter()
        self.case_model.reload()

    def show_about(self) -> None:
        from kkdesk.ui.about import AboutDialog

        AboutDialog(self.db, self).exec()

    def show_help(self) -> None:
        from kkdesk.ui.help import HelpDialog

        try:
            dialog = HelpDialog(self)
        except Exception as exc:
            errors.handle(self, exc)
            return
        dialog.setModal(False)
        dialog.show()
        self.help_dialog = dialog

    def request_database_switch(self) -> None:
        """Close the window; run_gui asks for another database and opens it."""
        self.switch_database_requested = True
        self.close()

    # --- window state -------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 720)
        state = settings.value("main_window/header")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.table.horizontalHeader().restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/header", self.table.horizontalHeader().saveState())
        super().closeEvent(event)
