"""Contributions (bidrag): requested, received, gathered into the draft, cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kkdesk.core import contributions
from kkdesk.core.cases import create_case, load_case
from kkdesk.core.contributions import ContributionDraft
from kkdesk.core.database import Database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.errors import KnownError, ValidationError
from kkdesk.core.models import CaseEvent
from tests.conftest import build_draft


def _case(db: Database, status: str = "under_udarbejdelse") -> int:
    draft = build_draft(
        received=[dt.date(2025, 6, 3)],
        status=status,
        questions=[QuestionDraft(1, "Hvor mange?"), QuestionDraft(2, "Hvornår?", "Til sommer.")],
    )
    with db.session() as session:
        return create_case(session, draft, "anna").id


def test_request_register_gather(db: Database) -> None:
    case_id = _case(db)
    with db.session() as session:
        first = contributions.request_contribution(
            session,
            case_id,
            ContributionDraft("buf", unit=None, question_number=1, request="Antal børn"),
            "sekr",
        ).id
        general = contributions.request_contribution(
            session,
            case_id,
            ContributionDraft("TMF", unit="Byens Drift", internal_deadline=dt.date(2025, 6, 13)),
            "sekr",
        ).id
    with db.session() as session:
        rows = contributions.list_contributions(session, case_id)
    assert [(r.who, r.internal_deadline, r.status) for r in rows] == [
        ("BUF", dt.date(2025, 6, 16), "afventer"),  # the case's internal deadline
        ("TMF – Byens Drift", dt.date(2025, 6, 13), "afventer"),
    ]
    with db.session() as session:
        contributions.register_contribution(session, first, "  Der er 214 børn.  ", "sekr")
        contributions.register_contribution(
            session, general, "Generelt om sagen.", "sekr", gather=False
        )
    with db.session() as session:
        case = load_case(session, case_id)
        assert case.questions[0].answer == "Der er 214 børn."
        assert case.general_answer == ""
        contributions.gather_contribution(session, general, "sekr")
    with db.session() as session:
        assert load_case(session, case_id).general_answer == "Generelt om sagen."
        with pytest.raises(KnownError, match="allerede indsat"):
            contributions.gather_contribution(session, general, "sekr")
        comments = list(
            session.scalars(
                select(CaseEvent.comment)
                .where(CaseEvent.case_id == case_id, CaseEvent.action == "bidrag")
                .order_by(CaseEvent.id)
            )
        )
    assert comments == [
        "Bidrag anmodet fra BUF (spørgsmål 1, intern frist 16. juni 2025)",
        "Bidrag anmodet fra TMF – Byens Drift (hele sagen, intern frist 13. juni 2025)",
        "Bidrag fra BUF modtaget",
        "Bidrag fra BUF indsat i svaret på spørgsmål 1",
        "Bidrag fra TMF – Byens Drift modtaget",
        "Bidrag fra TMF – Byens Drift indsat i det generelle svar",
    ]


def test_request_is_checked(db: Database) -> None:
    case_id = _case(db)
    with pytest.raises(ValidationError) as caught, db.session() as session:
        contributions.request_contribution(
            session,
            case_id,
            ContributionDraft(
                "TMF", unit="Ukendt", officer="Ingen", question_number=7,
                internal_deadline=dt.date(2025, 1, 1),
            ),
            "sekr",
        )  # fmt: skip
    assert [str(e) for e in caught.value.errors] == [
        "Enhed: 'Ukendt' er ikke en enhed i Teknik- og Miljøforvaltningen.",
        "Sagsbehandler: 'Ingen' er ikke oprettet.",
        "Spørgsmål: sagen har ikke et spørgsmål 7.",
        "Intern frist: kan ikke ligge før modtagelsesdatoen.",
    ]
    closed = _case(db, "annulleret")
    with pytest.raises(KnownError, match="lukket"), db.session() as session:
        contributions.request_contribution(session, closed, ContributionDraft("TMF"), "sekr")


def test_cancel_and_empty_text(db: Database) -> None:
    case_id = _case(db)
    with db.session() as session:
        asked = contributions.request_contribution(
            session, case_id, ContributionDraft("SOF"), "sekr"
        ).id
    with pytest.raises(ValidationError, match="Tekst"), db.session() as session:
        contributions.register_contribution(session, asked, "   ", "sekr")
    with db.session() as session:
        contributions.cancel_contribution(session, asked, "Ikke længere relevant", "sekr")
    with pytest.raises(KnownError, match="annulleret"), db.session() as session:
        contributions.register_contribution(session, asked, "Sent svar", "sekr")
    with db.session() as session:
        assert contributions.list_contributions(session, case_id)[0].status == "annulleret"
