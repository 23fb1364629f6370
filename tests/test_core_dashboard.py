"""Dashboard figures on a fixture checked by hand; reminders; Excel and PDF exports.

Today is Friday 20 June 2025 (week: Monday 16 – Sunday 22 June; 12-month period from
1 July 2024). Deadlines: council member's questions, 10 working days.

| case | adm. | received | status            | deadline | answered | days | on time |
|------|------|----------|-------------------|----------|----------|------|---------|
| A    | TMF  | 03-06-25 | under udarbejdelse| 19-06-25 |          |      | overdue |
| B    | TMF  | 10-06-25 | fordelt           | 24-06-25 |          |      |         |
| C    | TMF  | 05-06-25 | til godkendelse   | 20-06-25 |          |      | this wk |
| D    | BUF  | 16-06-25 | sat i bero        | –        |          |      |         |
| E    | BUF  | 01-05-25 | besvaret          | 15-05-25 | 14-05-25 | 9    | yes     |
| F    | BUF  | 20-05-25 | besvaret          | 04-06-25 | 10-06-25 | 12   | no      |
| G    | TMF  | 01-03-24 | besvaret          | 15-03-24 | 10-03-24 | (before the period) |
| H    | ØKF  | 02-06-25 | annulleret        |          |          |      |         |
| I    | TMF  | 02-06-25 | offentliggjort    | 18-06-25 | 18-06-25 | 10   | yes     |
"""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_bytes
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from kkdesk.core import dashboard, reminders
from kkdesk.core.caselist import CaseFilter, CaseSort, case_ids
from kkdesk.core.cases import create_case
from kkdesk.core.dashboard_pdf import write_pdf
from kkdesk.core.database import Database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.list_export import export_list
from kkdesk.core.models import CaseEvent
from kkdesk.core.registry import save
from tests.conftest import build_draft

TODAY = dt.date(2025, 6, 20)
D = dt.date


def _add(db: Database, name: str, admin: str, received: D, status: str, **more: Any) -> int:
    values: dict[str, Any] = {
        "subject": f"Sag {name}",
        "administration": admin,
        "unit": "Byens Drift" if admin == "TMF" else None,
        "received": [received],
        "status": status,
        "questions": [QuestionDraft(1, f"Spørgsmål til {name}?"), QuestionDraft(2, "Og så?")],
    }
    values.update(more)
    with db.session() as session:
        return create_case(session, build_draft(**values), "anna").id


@pytest.fixture
def fixture_cases(db: Database) -> dict[str, int]:
    with db.session() as session:
        save(session, "officer", None, {"name": "Ib Ørum", "initials": "IØ",
                                        "email": "ib@kk.example", "active": True})  # fmt: skip
    ids = {
        "A": _add(db, "A", "TMF", D(2025, 6, 3), "under_udarbejdelse", officer="Ib Ørum"),
        "B": _add(db, "B", "TMF", D(2025, 6, 10), "fordelt"),
        "C": _add(db, "C", "TMF", D(2025, 6, 5), "til_godkendelse"),
        "D": _add(db, "D", "BUF", D(2025, 6, 16), "i_bero"),
        "E": _add(db, "E", "BUF", D(2025, 5, 1), "besvaret", answered_on=D(2025, 5, 14)),
        "F": _add(db, "F", "BUF", D(2025, 5, 20), "besvaret", answered_on=D(2025, 6, 10)),
        "G": _add(db, "G", "TMF", D(2024, 3, 1), "besvaret", answered_on=D(2024, 3, 10)),
        "H": _add(db, "H", "ØKF", D(2025, 6, 2), "annulleret"),
        "I": _add(db, "I", "TMF", D(2025, 6, 2), "offentliggjort", answered_on=D(2025, 6, 18)),
    }
    return ids


def test_dashboard_figures(db: Database, fixture_cases: dict[str, int]) -> None:
    with db.session() as session:
        board = dashboard.build(session, TODAY)
    assert (board.open, board.overdue, board.due_this_week, board.awaiting_approval) == (
        4,
        1,
        2,
        1,
    )
    assert board.period_from == D(2024, 7, 1)
    assert board.answered == 3
    assert board.median_days == 10.0  # median of 10, 9, 12
    assert board.on_time_pct == pytest.approx(200 / 3)
    by_code = {a.code: a for a in board.administrations}
    assert [a.code for a in board.administrations] == [
        "BIF",
        "BUF",
        "KFF",
        "SOF",
        "SUF",
        "TMF",
        "ØKF",
    ]
    tmf, buf, okf = by_code["TMF"], by_code["BUF"], by_code["ØKF"]
    assert (tmf.open, tmf.overdue, tmf.due_this_week, tmf.awaiting_approval) == (3, 1, 2, 1)
    assert (tmf.answered, tmf.median_days, tmf.on_time_pct) == (1, 10.0, 100.0)
    assert (buf.open, buf.overdue, buf.answered, buf.median_days, buf.on_time_pct) == (
        1,
        0,
        2,
        10.5,
        50.0,
    )
    assert (okf.open, okf.answered, okf.median_days, okf.on_time_pct) == (0, 0, None, None)
    months = {m.month: (m.answered, m.on_time, m.judged) for m in board.months}
    assert len(board.months) == 12
    assert board.months[0].month == D(2024, 7, 1) and board.months[-1].month == D(2025, 6, 1)
    assert months[D(2025, 5, 1)] == (1, 1, 1)
    assert months[D(2025, 6, 1)] == (2, 1, 2)
    assert sum(m.answered for m in board.months) == 3
    data = board.as_json()
    assert json.loads(json.dumps(data)) == data
    assert data["on_time_pct"] == 66.7
    assert data["months"][-1] == {
        "month": "2025-06",
        "answered": 2,
        "on_time": 1,
        "with_deadline": 2,
        "on_time_pct": 50.0,
    }
    assert dashboard.format_days(10.5) == "10,5"
    assert dashboard.format_pct(200 / 3) == "67 %"


def _numbers(db: Database, flt: CaseFilter) -> list[str]:
    from kkdesk.core.caselist import case_rows

    with db.session() as session:
        ids = case_ids(session, flt, CaseSort("deadline", False))
        rows = case_rows(session, ids)
        return [rows[i].subject[-1] for i in ids]


def test_quick_filters_agree_with_the_dashboard(
    db: Database, fixture_cases: dict[str, int]
) -> None:
    assert _numbers(db, CaseFilter(quick="overdue", today=TODAY)) == ["A"]
    assert _numbers(db, CaseFilter(quick="due_this_week", today=TODAY)) == ["A", "C"]
    assert _numbers(db, CaseFilter(quick="awaiting_approval", today=TODAY)) == ["C"]
    # "Mine": open cases where the login is the officer's initials (or I created them).
    assert _numbers(db, CaseFilter(quick="mine", user="iø")) == ["A"]
    assert _numbers(db, CaseFilter(quick="mine", user="anna")) == ["A", "C", "B", "D"]
    assert _numbers(db, CaseFilter(quick="mine", user="ib")) == ["A"]  # e-mail name
    june = CaseFilter(answered_from=D(2025, 6, 1), answered_to=D(2025, 6, 30))
    assert _numbers(db, june) == ["F", "I"]
    assert (
        _numbers(db, CaseFilter(quick="overdue", today=TODAY, administration_ids=frozenset({-1})))
        == []
    )


def test_due_cases_and_reminder(
    db: Database, fixture_cases: dict[str, int], tmp_path: Path
) -> None:
    today = D(2025, 6, 17)
    with db.session() as session:
        due = reminders.due_cases(session, today)
    # A: due Thursday (2 working days); C: its internal deadline (17 June) is today.
    assert [(c.subject, c.state, c.days_left) for c in due] == [
        ("Sag A", "soon", 2),
        ("Sag C", "internal", 3),
    ]
    assert reminders.summary(due) == (
        "1 har frist inden for 2 arbejdsdage, 1 har passeret den interne frist."
    )
    with db.session() as session:
        path = reminders.write_reminder(session, fixture_cases["A"], "sekr", tmp_path, today)
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "Ib Ørum <ib@kk.example>"
    assert message["Subject"] == "Rykker: sag 2025-0001 – svarfrist torsdag 19. juni 2025"
    body = message.get_body().get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert "Svarfristen er torsdag 19. juni 2025 – om 2 arbejdsdage." in body
    assert "Den interne frist for jeres udkast til svar er mandag 16. juni 2025." not in body
    assert "var mandag 16. juni 2025" in body
    assert "1. Spørgsmål til A?\n2. Og så?" in body
    with db.session() as session:
        events = session.query(CaseEvent).filter_by(case_id=fixture_cases["A"], action="rykker")
        (event,) = list(events)
        assert event.comment.startswith("Rykker til Ib Ørum <ib@kk.example>: Rykker: sag 2025-0001")
    with db.session() as session:
        overdue = reminders.reminder_message(session, fixture_cases["A"], "sekr", TODAY)
    assert "er overskredet med 1 arbejdsdag" in overdue.get_content()


def test_excel_export_of_the_list(
    db: Database, fixture_cases: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "sager.xlsx"
    with db.session() as session:
        ids = case_ids(session, CaseFilter(), CaseSort("case_number", False))
        seen: list[tuple[int, int]] = []
        count = export_list(
            session, ids, target, today=TODAY, progress=lambda d, t: seen.append((d, t)) or True
        )
    assert count == 9
    assert seen == [(9, 9)]
    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "Sagsnr.", "Emne", "Spørger (parti)", "Forvaltning", "Modtaget", "Status", "Frist",
        "Intern frist", "Arbejdsdage tilbage",
    )  # fmt: skip
    first = rows[1]
    assert first[0] == "2024-0001" and first[1] == "Sag G"
    by_subject = {r[1]: r for r in rows[1:]}
    a = by_subject["Sag A"]
    assert a[6].date() == D(2025, 6, 19)
    assert (a[8], a[9]) == (-1, "Overskredet")
    assert by_subject["Sag D"][9] == "Sat i bero"
    assert (by_subject["Sag F"][10].date(), by_subject["Sag F"][11]) == (D(2025, 6, 10), "nej")
    cancelled = tmp_path / "afbrudt.xlsx"
    with db.session() as session:
        assert export_list(session, ids, cancelled, progress=lambda d, t: False) == -1
    assert not cancelled.exists()


def test_dashboard_pdf(db: Database, fixture_cases: dict[str, int], tmp_path: Path) -> None:
    with db.session() as session:
        board = dashboard.build(session, TODAY)
    target = tmp_path / "overblik.pdf"
    write_pdf(board, target)
    reader = PdfReader(target)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Overblik over frister og besvarelser" in text
    assert "TMF – Teknik- og Miljøforvaltningen" in text
    assert "Besvarede pr. måned" in text
    assert "67 %" in text


def test_overdue_on_a_weekend(db: Database, fixture_cases: dict[str, int]) -> None:
    saturday = D(2025, 6, 21)  # C's deadline was Friday 20 June
    with db.session() as session:
        due = {c.subject: c for c in reminders.due_cases(session, saturday)}
        message = reminders.reminder_message(session, fixture_cases["C"], "sekr", saturday)
    assert (due["Sag C"].state, due["Sag C"].days_left) == ("overdue", -1)
    assert "er overskredet med 1 arbejdsdag." in message.get_content()
