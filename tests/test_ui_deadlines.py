"""GUI: the workflow panel, quick filters, the overview tab, reminders, exports, the
calendar and contributions dialogs; every new table model through qtmodeltester."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QPoint, Qt
from sqlalchemy import select

from kkdesk.core import contributions, dashboard, reminders
from kkdesk.core.calendar import WorkCalendar
from kkdesk.core.cases import create_case, load_case
from kkdesk.core.contributions import ContributionDraft
from kkdesk.core.database import Database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.errors import KnownError
from kkdesk.core.models import CaseEvent
from kkdesk.ui import (
    contributions_dialog,
    dashboard_widget,
    errors,
    reminder_ui,
    workflow_actions,
)
from kkdesk.ui.app import create_application
from kkdesk.ui.calendar_dialog import CalendarDialog, RuleTableModel
from kkdesk.ui.case_editor import CaseDialog
from kkdesk.ui.case_table_model import DEADLINE_COLUMN, CaseTableModel
from kkdesk.ui.contributions_dialog import ContributionsDialog, ContributionTableModel
from kkdesk.ui.dashboard_chart import MonthChart
from kkdesk.ui.dashboard_widget import AdminTableModel, DashboardWidget
from kkdesk.ui.main_window import MainWindow
from kkdesk.ui.reminder_ui import DueCaseTableModel
from kkdesk.ui.workflow_actions import ActionInput
from tests.conftest import build_draft

TODAY = dt.date.today()
RECEIVED_ANSWERED = TODAY - dt.timedelta(days=50)
ANSWERED_ON = WorkCalendar().add_working_days(RECEIVED_ANSWERED, 8)  # on time
ANSWERED = [QuestionDraft(1, "Hvor mange?", "Tolv."), QuestionDraft(2, "Hvornår?", "I maj.")]


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


@pytest.fixture
def cases(db: Database) -> dict[str, int]:
    """An overdue case, a fresh one, one awaiting approval, one answered last month."""
    create_application()
    made = {}
    specs = {
        "old": {"received": [TODAY - dt.timedelta(days=40)], "status": "under_udarbejdelse",
                "subject": "Gammel sag om støj"},
        "new": {"received": [TODAY], "status": "modtaget", "subject": "Ny sag om cykler"},
        "approval": {"received": [TODAY - dt.timedelta(days=3)], "status": "til_godkendelse",
                     "subject": "Sag til godkendelse", "administration": "BUF", "unit": None},
        "answered": {"received": [RECEIVED_ANSWERED], "status": "besvaret",
                     "answered_on": ANSWERED_ON, "subject": "Besvaret sag"},
    }  # fmt: skip
    with db.session() as session:
        for name, values in specs.items():
            made[name] = create_case(session, build_draft(questions=ANSWERED, **values), "test").id
    return made


# --- models -------------------------------------------------------------------------------


def test_case_table_model_with_deadlines(qtmodeltester: Any, db: Database, cases: dict) -> None:
    model = CaseTableModel(db)
    from kkdesk.core.caselist import CaseFilter

    model.sort(0)
    model.set_filter(CaseFilter())
    qtmodeltester.check(model, force_py=True)
    rows = {model.index(r, 1).data(): r for r in range(model.rowCount())}
    old = rows["Gammel sag om støj"]
    days_left = model.index(old, DEADLINE_COLUMN + 2)
    assert days_left.data().endswith("– overskredet")
    assert days_left.data().startswith("−")
    assert model.index(old, DEADLINE_COLUMN).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(old, DEADLINE_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "overskredet med" in model.index(old, DEADLINE_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    answered = rows["Besvaret sag"]
    assert model.index(answered, DEADLINE_COLUMN + 2).data() == "besvaret til tiden"
    assert model.index(answered, DEADLINE_COLUMN).data(Qt.ItemDataRole.BackgroundRole) is None
    model.set_filter(CaseFilter(quick="overdue"))
    assert model.rowCount() == 1


def test_new_models(qtmodeltester: Any, db: Database, cases: dict[str, int]) -> None:
    with db.session() as session:
        contributions.request_contribution(
            session, cases["old"], ContributionDraft("BUF", question_number=1), "test"
        )
        board = dashboard.build(session)
        due = reminders.due_cases(session)
        rows = contributions.list_contributions(session, cases["old"])
    admins = AdminTableModel()
    admins.set_rows(board.administrations)
    qtmodeltester.check(admins, force_py=True)
    assert admins.rowCount() == 7
    due_model = DueCaseTableModel()
    due_model.set_rows(due)
    qtmodeltester.check(due_model, force_py=True)
    assert due_model.index(0, 0).data().startswith(str(TODAY.year - (TODAY.month == 1)))
    contribution_model = ContributionTableModel()
    contribution_model.set_rows(rows)
    qtmodeltester.check(contribution_model, force_py=True)
    assert contribution_model.index(0, 0).data() == "BUF"
    rules = RuleTableModel(db)
    rules.reload()
    qtmodeltester.check(rules, force_py=True)


# --- the case dialog ------------------------------------------------------------------------


def test_workflow_panel_replaces_the_status_combo(
    qtbot: Any, db: Database, cases: dict[str, int], shown_errors: list[KnownError],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    dialog = CaseDialog(db, cases["new"])
    qtbot.addWidget(dialog)
    panel = dialog.workflow_panel
    assert not hasattr(dialog, "status_combo")
    assert panel.status_label.text() == "Modtaget"
    assert list(panel.action_buttons) == ["fordel", "bero", "videresend", "annuller"]
    assert panel.deadline_label.text().startswith("Frist: ")
    assert "arbejdsdage" in panel.explanation.text()
    saved: list[int] = []
    dialog.saved.connect(saved.append)
    qtbot.mouseClick(panel.action_buttons["fordel"], Qt.MouseButton.LeftButton)
    assert panel.status_label.text() == "Fordelt"
    assert saved == [cases["new"]]
    # An unsaved edit is saved before the step, so nothing is lost.
    dialog.subject_edit.setText("Ny sag om cykler (rettet)")
    asked: list[str] = []

    def answer(_parent: Any, action: Any, number: str, _targets: list[str]) -> ActionInput:
        asked.append(f"{action.key} {number}")
        return ActionInput(comment="Afventer byggetilladelse")

    monkeypatch.setattr(workflow_actions, "ask_action_input", answer)
    qtbot.mouseClick(panel.action_buttons["bero"], Qt.MouseButton.LeftButton)
    assert asked == [f"bero {dialog.number_label.text()}"]
    assert panel.status_label.text() == "Sat i bero"
    assert panel.deadline_label.text() == "Frist: står stille (sat i bero)"
    assert not dialog.is_dirty()
    with db.session() as session:
        case = load_case(session, cases["new"])
        assert (case.status, case.subject) == ("i_bero", "Ny sag om cykler (rettet)")
    # A refused step shows the Danish message and changes nothing.
    monkeypatch.setattr(workflow_actions, "ask_action_input", lambda *a: ActionInput(""))
    qtbot.mouseClick(panel.action_buttons["annuller"], Qt.MouseButton.LeftButton)
    assert "Kommentar" in str(shown_errors[-1])
    assert panel.status_label.text() == "Sat i bero"
    dialog.done(0)


def test_deadline_menu_in_the_dialog(
    qtbot: Any, db: Database, cases: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = CaseDialog(db, cases["old"])
    qtbot.addWidget(dialog)
    before = dialog.workflow_panel.deadline_label.text()
    assert "overskredet med" in before
    monkeypatch.setattr(
        workflow_actions,
        "ask_deadline_input",
        lambda *_a: workflow_actions.DeadlineInput("Aftalt med spørger", days=30),
    )
    dialog.workflow_panel.extend_action.trigger()
    assert dialog.workflow_panel.deadline_label.text() != before
    assert "fristforlængelse (Aftalt med spørger)" in dialog.workflow_panel.explanation.text()
    dialog.done(0)


# --- the main window ------------------------------------------------------------------------


def test_quick_filters_overview_and_status_menu(
    qtbot: Any, db: Database, cases: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(db)
    qtbot.addWidget(window)
    features = window.deadline_features  # type: ignore[attr-defined]
    model = window.case_model
    assert model.rowCount() == 4
    features.quick.actions_by_key["overdue"].trigger()
    assert model.rowCount() == 1
    features.quick.actions_by_key["awaiting_approval"].trigger()
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == "Sag til godkendelse"
    assert not features.quick.actions_by_key["overdue"].isChecked()
    features.quick.actions_by_key["mine"].trigger()  # KKDESK_USER=test created them all
    assert model.rowCount() == 3
    features.quick.clear()
    assert model.rowCount() == 4

    # The overview is read when its tab is first shown; a click leads to the list.
    window.tabs.setCurrentIndex(features.dashboard_index)
    board = features.dashboard.board
    assert board is not None and (board.open, board.overdue, board.awaiting_approval) == (3, 1, 1)
    features.dashboard.cards["overdue"].clicked.emit()
    assert window.tabs.currentIndex() == 0
    assert model.rowCount() == 1 and model.index(0, 1).data() == "Gammel sag om støj"
    window.tabs.setCurrentIndex(features.dashboard_index)
    buf = next(i for i, a in enumerate(board.administrations) if a.code == "BUF")
    features.dashboard._admin_clicked(features.dashboard.admin_model.index(buf, 1))
    assert model.rowCount() == 1 and model.index(0, 3).data() == "BUF"
    assert window.status_filter.currentData() == "__open__"
    features.dashboard._month_clicked(ANSWERED_ON.replace(day=1))
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == ["Besvaret sag"]
    assert "Besvaret i" in features.quick.extra_label.text()
    features.quick.clear()
    assert model.rowCount() == 4

    # Sag > Status offers the current case's next steps.
    row = next(r for r in range(4) if model.index(r, 1).data() == "Sag til godkendelse")
    window.table.selectRow(row)
    window.table.setCurrentIndex(model.index(row, 0))
    features._fill_status_menu()
    labels = [a.text() for a in features.status_menu.actions()]
    assert labels == ["Godkend", "Retur", "Sæt i bero", "Annullér"]
    features.status_menu.actions()[0].trigger()
    with db.session() as session:
        case = load_case(session, cases["approval"])
        assert (case.status, case.approved_by) == ("godkendt", "test")
    assert model.index(row, 5).data() == "Godkendt"


def test_month_chart_click(qtbot: Any) -> None:
    create_application()
    chart = MonthChart("Besvarede", "bars")
    qtbot.addWidget(chart)
    chart.resize(480, 240)
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    chart.set_data(months, [float(m) for m in range(12)])
    chart.show()
    with qtbot.waitSignal(chart.month_clicked) as signal:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(chart.width() - 20, 100))
    assert signal.args == [dt.date(2025, 12, 1)]
    assert chart.month_at(5) is None


def test_excel_and_pdf_export(
    qtbot: Any, db: Database, cases: dict[str, int], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    window = MainWindow(db)
    qtbot.addWidget(window)
    features = window.deadline_features  # type: ignore[attr-defined]
    monkeypatch.setattr(
        "kkdesk.ui.deadline_features.choose_save_path", lambda *_a: str(tmp_path / "liste")
    )
    features.quick.set_quick("overdue")
    features.export_excel()
    job = features.export_job
    assert job is not None
    qtbot.waitUntil(lambda: job.result is not None, timeout=20000)
    assert job.result == 1
    qtbot.waitUntil(lambda: "1 sager er gemt" in window.statusBar().currentMessage())
    sheet = load_workbook(tmp_path / "liste.xlsx").active
    assert sheet is not None
    assert [c.value for c in sheet[2]][1] == "Gammel sag om støj"
    monkeypatch.setattr(dashboard_widget, "choose_save_path", lambda *_a: str(tmp_path / "o.pdf"))
    features.dashboard.export_pdf()
    assert (tmp_path / "o.pdf").read_bytes().startswith(b"%PDF")


def test_reminders_at_start_and_send(
    qtbot: Any, db: Database, cases: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(reminder_ui, "open_file", lambda path: opened.append(path) or True)
    window = MainWindow(db)
    qtbot.addWidget(window)
    features = window.deadline_features  # type: ignore[attr-defined]
    features.check_at_start()
    dialog = features.reminder_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.model.rowCount() >= 1
    assert "overskredet" in dialog.summary.text()
    assert features.reminder_action.text() == "Frister (1)"
    assert dialog.model.index(0, 1).data() == "Gammel sag om støj"
    dialog.view.setCurrentIndex(dialog.model.index(0, 0))
    dialog._remind()
    assert len(opened) == 1 and opened[0].suffix == ".eml"
    assert "Rykker: sag" in opened[0].read_text(encoding="utf-8")
    with db.session() as session:
        events = session.scalars(select(CaseEvent).where(CaseEvent.action == "rykker")).all()
        assert len(events) == 1
    dialog.close()


def test_calendar_dialog_moves_open_deadlines(
    qtbot: Any, db: Database, cases: dict[str, int], shown_errors: list[KnownError]
) -> None:
    dialog = CalendarDialog(db)
    qtbot.addWidget(dialog)
    with db.session() as session:
        before = load_case(session, cases["new"]).deadline
    assert before is not None
    # A closing day on the working day before the deadline moves it one working day.
    closing = WorkCalendar().subtract_working_days(before, 1)
    dialog.own_date.setDate(QDate(closing.year, closing.month, closing.day))
    dialog.own_name.setText("Personaledag")
    dialog._add_day()
    assert dialog.own_list.count() == 1
    assert "åbne sager fik ny frist" in dialog.message.text()
    with db.session() as session:
        assert load_case(session, cases["new"]).deadline != before
    # Rules are edited in place; a bad one gives the Danish message.
    rules = dialog.rules
    names = [rules.index(r, 0).data() for r in range(rules.rowCount())]
    row = names.index("Spørgsmål fra BR-medlem")
    assert rules.setData(rules.index(row, 2), 12) is False
    assert "Intern frist" in str(shown_errors[-1])
    assert rules.setData(rules.index(row, 1), 15) is True
    assert rules.index(row, 1).data() == "15 arbejdsdage"
    dialog.switches["grundlovsdag"].setChecked(False)
    assert "Kalenderen er ændret" in dialog.message.text()
    assert "arbejdsdage" in dialog.try_result.text()
    dialog.done(0)


def test_contributions_dialog(
    qtbot: Any, db: Database, cases: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = ContributionsDialog(db, cases["old"])
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        contributions_dialog, "ask_request",
        lambda *_a: ContributionDraft("BUF", question_number=2, request="Tal"),
    )  # fmt: skip
    dialog.request()
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, 3).data() == "Afventer"
    dialog.view.setCurrentIndex(dialog.model.index(0, 0))
    monkeypatch.setattr(contributions_dialog, "ask_text", lambda *_a: ("Bidrag fra BUF.", True))
    dialog.register()
    assert dialog.model.index(0, 3).data() == "Modtaget"
    assert dialog.model.index(0, 5).data() == "ja"
    with db.session() as session:
        assert load_case(session, cases["old"]).questions[1].answer == "I maj.\n\nBidrag fra BUF."
    dialog.done(0)


def test_dashboard_widget_alone(qtbot: Any, db: Database, cases: dict[str, int]) -> None:
    widget = DashboardWidget(db)
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.cards["open"].number.text() == "3"
    assert widget.cards["overdue"].number.text() == "1"
    with qtbot.waitSignal(widget.list_requested) as request:
        qtbot.mouseClick(widget.cards["awaiting_approval"], Qt.MouseButton.LeftButton)
    assert request.args[0].quick == "awaiting_approval"
    assert widget.last_ms > 0
