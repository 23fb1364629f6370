"""The workflow: every allowed and every forbidden transition, and what each step records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kkdesk.core import contributions, workflow
from kkdesk.core.cases import create_case, load_case, update_case
from kkdesk.core.contributions import ContributionDraft
from kkdesk.core.database import Database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.errors import ConflictError, ValidationError
from kkdesk.core.models import CaseEvent
from kkdesk.core.vocab import STATUS_LABELS
from kkdesk.core.workflow import WorkflowError
from tests.conftest import build_draft

# Written out by hand (not derived from workflow.TRANSITIONS), so the test can fail.
ALLOWED: dict[str, set[str]] = {
    "modtaget": {"fordelt", "i_bero", "videresendt", "annulleret"},
    "fordelt": {"under_udarbejdelse", "i_bero", "videresendt", "annulleret"},
    "under_udarbejdelse": {"til_godkendelse", "i_bero", "videresendt", "annulleret"},
    "til_godkendelse": {"godkendt", "under_udarbejdelse", "i_bero", "annulleret"},
    "godkendt": {"besvaret", "under_udarbejdelse", "i_bero", "annulleret"},
    "besvaret": {"offentliggjort"},
    "offentliggjort": set(),
    # A paused case goes back to the status it was paused from (here: under udarbejdelse).
    "i_bero": {"under_udarbejdelse", "annulleret"},
    "videresendt": {"modtaget"},
    "annulleret": {"modtaget"},
}
ANSWERED = [
    QuestionDraft(1, "Hvor mange klager?", "Der er kommet 12 klager."),
    QuestionDraft(2, "Hvad gør I?", "Vi taler med entreprenøren."),
]
RECEIVED = dt.date(2025, 6, 3)


def _case(db: Database, status: str, **overrides: Any) -> int:
    values: dict[str, Any] = {"status": status, "received": [RECEIVED], "questions": ANSWERED}
    if status in ("besvaret", "offentliggjort"):
        values["answered_on"] = dt.date(2025, 6, 18)
    values.update(overrides)
    with db.session() as session:
        return create_case(session, build_draft(**values), "anna").id


def _transition(db: Database, case_id: int, target: str) -> str:
    with db.session() as session:
        case = load_case(session, case_id)
        workflow.transition(
            session, case, target, "bo", "Begrundelse", forward_to="Region Hovedstaden"
        )
        return case.status


@pytest.mark.parametrize("source", list(STATUS_LABELS))
def test_every_transition_from(db: Database, source: str) -> None:
    assert set(ALLOWED) == set(STATUS_LABELS)
    case_id = _case(db, source)
    for target in STATUS_LABELS:
        if target in ALLOWED[source]:
            assert _transition(db, case_id, target) == target, (source, target)
            # Back to the source for the next target: a fresh case.
            case_id = _case(db, source)
        else:
            with pytest.raises(WorkflowError) as caught:
                _transition(db, case_id, target)
            assert (
                caught.value.message.startswith(
                    f'Sagen har status "{STATUS_LABELS[source]}" og kan ikke sættes til '
                    f'"{STATUS_LABELS[target]}".'
                )
                or "genoptages" in caught.value.message
            ), caught.value.message
            with db.session() as session:
                assert load_case(session, case_id).status == source


def test_forbidden_message_lists_the_possible_steps(db: Database) -> None:
    case_id = _case(db, "modtaget")
    with pytest.raises(WorkflowError) as caught:
        _transition(db, case_id, "godkendt")
    assert caught.value.message == (
        'Sagen har status "Modtaget" og kan ikke sættes til "Godkendt". '
        "Mulige skridt: Fordel, Sæt i bero, Videresend, Annullér."
    )


def test_a_paused_case_resumes_where_it_was(db: Database) -> None:
    case_id = _case(db, "til_godkendelse")
    with db.session() as session:
        workflow.perform(session, case_id, "bero", "bo", "Afventer")
    with pytest.raises(WorkflowError, match="genoptages dertil"):
        _transition(db, case_id, "under_udarbejdelse")
    with db.session() as session:
        assert workflow.perform(session, case_id, "genoptag", "bo").status == "til_godkendelse"


def _history(db: Database, case_id: int) -> list[tuple[str, str | None, str | None, str]]:
    with db.session() as session:
        return [
            (e.user, e.old_value, e.new_value, e.comment)
            for e in session.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case_id, CaseEvent.action == "status")
                .order_by(CaseEvent.id)
            )
        ]


def test_the_whole_way_with_approval_and_retur(db: Database) -> None:
    case_id = _case(db, "modtaget")
    with db.session() as session:
        workflow.perform(session, case_id, "fordel", "sekr")
        workflow.perform(session, case_id, "start", "enhed")
        workflow.perform(session, case_id, "til_godkendelse", "enhed")
    with pytest.raises(ValidationError, match="Kommentar"), db.session() as session:
        workflow.perform(session, case_id, "retur", "direktør")
    with db.session() as session:
        workflow.perform(session, case_id, "retur", "direktør", "Uddyb svar 2")
        workflow.perform(session, case_id, "til_godkendelse", "enhed", "Rettet")
        case = workflow.perform(session, case_id, "godkend", "direktør")
        assert case.approved_by == "direktør" and case.approved_at is not None
    with pytest.raises(ValidationError, match="fremtiden"), db.session() as session:
        workflow.perform(
            session, case_id, "besvar", "sekr", answered_on=dt.date.today() + dt.timedelta(1)
        )
    with db.session() as session:
        case = workflow.perform(
            session, case_id, "besvar", "sekr", answered_on=dt.date(2025, 6, 19)
        )
        assert case.answered_on == dt.date(2025, 6, 19)
        assert case.deadline == dt.date(2025, 6, 19)  # answered on the last day: on time
        workflow.perform(session, case_id, "offentliggoer", "sekr")
    assert _history(db, case_id) == [
        ("sekr", "Modtaget", "Fordelt", ""),
        ("enhed", "Fordelt", "Under udarbejdelse", ""),
        ("enhed", "Under udarbejdelse", "Til godkendelse", ""),
        ("direktør", "Til godkendelse", "Under udarbejdelse", "Uddyb svar 2"),
        ("enhed", "Under udarbejdelse", "Til godkendelse", "Rettet"),
        ("direktør", "Til godkendelse", "Godkendt", ""),
        ("sekr", "Godkendt", "Besvaret", ""),
        ("sekr", "Besvaret", "Offentliggjort", ""),
    ]


def test_approval_needs_answers(db: Database) -> None:
    case_id = _case(db, "under_udarbejdelse", questions=[QuestionDraft(1, "Hvorfor?")])
    with pytest.raises(WorkflowError) as caught, db.session() as session:
        workflow.perform(session, case_id, "til_godkendelse", "bo")
    assert caught.value.detail == "Der mangler svar på spørgsmål 1."


def test_outstanding_contribution_blocks_approval(db: Database) -> None:
    case_id = _case(db, "under_udarbejdelse")
    with db.session() as session:
        asked = contributions.request_contribution(
            session,
            case_id,
            ContributionDraft("BUF", question_number=2, request="Tal for skolerne"),
            "sekr",
        ).id
    with pytest.raises(WorkflowError) as caught, db.session() as session:
        workflow.perform(session, case_id, "til_godkendelse", "bo")
    assert "bidrag" in caught.value.message
    assert caught.value.detail.startswith("Der mangler bidrag fra: BUF (intern frist")
    with db.session() as session:
        contributions.register_contribution(session, asked, "Skolerne har 40 klager.", "sekr")
        case = workflow.perform(session, case_id, "til_godkendelse", "bo")
        assert case.questions[1].answer == (
            "Vi taler med entreprenøren.\n\nSkolerne har 40 klager."
        )


def test_forward_needs_a_recipient(db: Database) -> None:
    case_id = _case(db, "fordelt")
    with pytest.raises(ValidationError, match="Videresendt til"), db.session() as session:
        workflow.perform(session, case_id, "videresend", "bo")
    with db.session() as session:
        workflow.perform(session, case_id, "videresend", "bo", forward_to="Region Hovedstaden")
    assert _history(db, case_id)[-1][3] == "Videresendt til Region Hovedstaden"


def test_stale_version_is_a_conflict(db: Database) -> None:
    case_id = _case(db, "modtaget")
    with pytest.raises(ConflictError), db.session() as session:
        workflow.perform(session, case_id, "fordel", "bo", expected_version=99)


def test_status_edits_in_the_form_go_through_the_workflow(db: Database) -> None:
    case_id = _case(db, "modtaget")
    with pytest.raises(WorkflowError), db.session() as session:
        version = load_case(session, case_id).version
        draft = build_draft(received=[RECEIVED], questions=ANSWERED, status="besvaret")
        update_case(session, case_id, draft, expected_version=version, user="bo")
    with db.session() as session:
        assert load_case(session, case_id).status == "modtaget"


def test_actions_for_each_status() -> None:
    labels = {s: [a.label for a in workflow.actions_for(s)] for s in STATUS_LABELS}
    assert labels["modtaget"] == ["Fordel", "Sæt i bero", "Videresend", "Annullér"]
    assert labels["til_godkendelse"] == ["Godkend", "Retur", "Sæt i bero", "Annullér"]
    assert labels["i_bero"] == ["Genoptag", "Annullér"]
    assert labels["offentliggjort"] == []
