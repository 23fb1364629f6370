"""Derived deadlines: rules, calendar changes, override, extension, pause; open cases
follow every change, answered cases keep their deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kkdesk.core import deadlines, workflow
from kkdesk.core.cases import create_case, load_case, update_case
from kkdesk.core.database import Database
from kkdesk.core.drafts import CaseDraft, DeadlineDraft, ExtensionDraft, PauseDraft
from kkdesk.core.errors import KnownError, ValidationError
from kkdesk.core.models import CaseEvent
from tests.conftest import build_draft

JUNE_3 = dt.date(2025, 6, 3)  # Tuesday; + 10 working days = Thursday 19 June 2025


def _create(db: Database, **overrides: Any) -> int:
    with db.session() as session:
        return create_case(session, build_draft(**overrides), "anna").id


def _deadlines(db: Database, case_id: int) -> tuple[dt.date | None, dt.date | None]:
    with db.session() as session:
        case = load_case(session, case_id)
        return case.deadline, case.internal_deadline


def _events(db: Database, case_id: int, action: str) -> list[tuple[str | None, ...]]:
    with db.session() as session:
        return [
            (e.field, e.old_value, e.new_value, e.comment)
            for e in session.scalars(
                select(CaseEvent)
                .where(CaseEvent.case_id == case_id, CaseEvent.action == action)
                .order_by(CaseEvent.id)
            )
        ]


def _answered(db: Database, received: dt.date, answered: dt.date) -> int:
    return _create(db, received=[received], status="besvaret", answered_on=answered)


def test_new_case_gets_the_derived_deadline(db: Database) -> None:
    council = _create(db, received=[JUNE_3])
    assert _deadlines(db, council) == (dt.date(2025, 6, 19), dt.date(2025, 6, 16))
    access = _create(db, received=[JUNE_3], kind="aktindsigt")  # 7 days, internal 2 before
    assert _deadlines(db, access) == (dt.date(2025, 6, 16), dt.date(2025, 6, 12))
    # Several received dates: the clock starts at the earliest.
    both = _create(db, received=[dt.date(2025, 6, 10), JUNE_3])
    assert _deadlines(db, both)[0] == dt.date(2025, 6, 19)
    with db.session() as session:
        assert load_case(session, council).version == 1  # computing it is no extra update


def test_explanation_of_a_case(db: Database) -> None:
    case_id = _create(db, received=[JUNE_3])
    with db.session() as session:
        info = deadlines.deadline_info(session, case_id, today=dt.date(2025, 6, 17))
    assert info.lines == [
        "Modtaget tirsdag 3. juni 2025 + 10 arbejdsdage; sprunget over: 5. juni grundlovsdag, "
        "9. juni 2. pinsedag → torsdag 19. juni 2025",
        "Intern frist: 3 arbejdsdage før fristen → mandag 16. juni 2025.",
    ]
    assert info.urgency == ("soon", 2)


def test_a_closing_day_added_later_moves_open_deadlines_only(db: Database) -> None:
    open_case = _create(db, received=[JUNE_3])
    answered = _answered(db, JUNE_3, dt.date(2025, 6, 18))
    cancelled = _create(db, received=[JUNE_3], status="annulleret")
    with db.session() as session:
        moved = deadlines.add_closing_day(session, dt.date(2025, 6, 12), "Flytning", "bo")
    assert moved == 1
    assert _deadlines(db, open_case) == (dt.date(2025, 6, 20), dt.date(2025, 6, 17))
    assert _deadlines(db, answered) == (dt.date(2025, 6, 19), dt.date(2025, 6, 16))
    assert _deadlines(db, cancelled)[0] == dt.date(2025, 6, 19)
    assert _events(db, open_case, "frist") == [
        (
            "Frist",
            "19. juni 2025",
            "20. juni 2025",
            "Kalender: lukkedag 12. juni 2025 (Flytning) tilføjet",
        )
    ]
    assert _events(db, answered, "frist") == []
    with db.session() as session:
        info = deadlines.deadline_info(session, answered)
        # The answered case says its deadline was locked and what it would be now.
        assert "låst til 19. juni 2025" in info.lines[-2]
        assert info.lines[-1] == "Besvaret onsdag 18. juni 2025 – til tiden."
        assert "12. juni Flytning" in deadlines.deadline_info(session, open_case).lines[0]
    with db.session() as session:
        assert deadlines.remove_closing_day(session, dt.date(2025, 6, 12), "bo") == 1
    assert _deadlines(db, open_case)[0] == dt.date(2025, 6, 19)
    # The version (optimistic lock) is untouched: nobody's open editor gets a conflict.
    with db.session() as session:
        assert load_case(session, open_case).version == 1


def test_closing_day_input_is_checked(db: Database) -> None:
    with db.session() as session:
        deadlines.add_closing_day(session, dt.date(2025, 6, 12), "Flytning", "bo")
    with pytest.raises(ValidationError) as caught, db.session() as session:
        deadlines.add_closing_day(session, dt.date(2025, 6, 12), " ", "bo")
    messages = [str(e) for e in caught.value.errors]
    assert "Navn: skal udfyldes (fx 'Fredag efter Kr. himmelfart')." in messages
    assert "Dato: 12. juni 2025 er allerede en lukkedag." in messages
    with pytest.raises(KnownError, match="ikke en af sekretariatets lukkedage"), db.session() as s:
        deadlines.remove_closing_day(s, dt.date(2025, 6, 13), "bo")


def test_switching_grundlovsdag_off_and_on(db: Database) -> None:
    case_id = _create(db, received=[JUNE_3])
    with db.session() as session:
        assert deadlines.set_closing_switch(session, "grundlovsdag", False, "bo") == 1
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 18)
    with db.session() as session:
        assert deadlines.set_closing_switch(session, "grundlovsdag", False, "bo") == 0
        assert deadlines.set_closing_switch(session, "grundlovsdag", True, "bo") == 1
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 19)
    with pytest.raises(KnownError), db.session() as session:
        deadlines.set_closing_switch(session, "påskelørdag", True, "bo")


def test_a_rule_change_moves_open_cases_of_that_kind(db: Database) -> None:
    council = _create(db, received=[JUNE_3])
    access = _create(db, received=[JUNE_3], kind="aktindsigt")
    answered = _answered(db, JUNE_3, dt.date(2025, 6, 20))
    with db.session() as session:
        assert deadlines.set_rule(session, "br", 12, 4, "bo") == 1
    assert _deadlines(db, council) == (dt.date(2025, 6, 23), dt.date(2025, 6, 17))
    assert _deadlines(db, access)[0] == dt.date(2025, 6, 16)
    assert _deadlines(db, answered)[0] == dt.date(2025, 6, 19)
    assert "Fristregel for Spørgsmål fra BR-medlem ændret fra 10/3 til 12/4" in str(
        _events(db, council, "frist")
    )
    with pytest.raises(ValidationError) as caught, db.session() as session:
        deadlines.set_rule(session, "br", 5, 5, "bo")
    assert [str(e) for e in caught.value.errors] == [
        "Intern frist: skal ligge før svarfristen (højst 4 dage før)."
    ]
    with db.session() as session:  # 0: no deadline at all
        deadlines.set_rule(session, "br", 0, 0, "bo")
    assert _deadlines(db, council) == (None, None)


def test_changing_the_received_date_moves_the_deadline(db: Database) -> None:
    case_id = _create(db, received=[JUNE_3])
    with db.session() as session:
        case = load_case(session, case_id)
        draft = build_draft(received=[dt.date(2025, 6, 2)])
        update_case(session, case_id, draft, expected_version=case.version, user="bo")
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 18)
    assert _events(db, case_id, "frist")[-1][1:] == (
        "19. juni 2025",
        "18. juni 2025",
        "Type eller modtagelsesdato ændret",
    )


def test_override_with_reason(db: Database) -> None:
    case_id = _create(db, received=[JUNE_3])
    with pytest.raises(ValidationError, match="Begrundelse"), db.session() as session:
        deadlines.set_override(session, case_id, dt.date(2025, 6, 30), "", "bo")
    with pytest.raises(ValidationError, match="før modtagelsesdatoen"), db.session() as session:
        deadlines.set_override(session, case_id, dt.date(2025, 6, 1), "Fejl", "bo")
    with db.session() as session:
        deadlines.set_override(session, case_id, dt.date(2025, 6, 30), "Aftalt med spørger", "bo")
    assert _deadlines(db, case_id) == (dt.date(2025, 6, 30), dt.date(2025, 6, 25))
    with db.session() as session:
        info = deadlines.deadline_info(session, case_id)
    assert info.lines[1] == "Fastsat manuelt til mandag 30. juni 2025: Aftalt med spørger."
    # A calendar change does not move a deadline set by hand.
    with db.session() as session:
        deadlines.add_closing_day(session, dt.date(2025, 6, 27), "Lukket", "bo")
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 30)
    with db.session() as session:
        deadlines.set_override(session, case_id, None, "", "bo")
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 19)
    assert [e[0:3] for e in _events(db, case_id, "frist")] == [
        ("Manuel frist", "ingen", "30. juni 2025"),
        ("Manuel frist", "30. juni 2025", "ingen"),
    ]


def test_extension_with_reason(db: Database) -> None:
    case_id = _create(db, received=[JUNE_3])
    with pytest.raises(ValidationError) as caught, db.session() as session:
        deadlines.extend(session, case_id, 0, "", "bo")
    assert len(caught.value.errors) == 2
    with db.session() as session:
        deadlines.extend(session, case_id, 5, "Afventer tal fra Københavns Statistik", "bo")
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 26)
    assert _events(db, case_id, "fristforlængelse") == [
        (
            "Frist",
            "19. juni 2025",
            "26. juni 2025",
            "+ 5 arbejdsdage: Afventer tal fra Københavns Statistik",
        )
    ]
    with db.session() as session:
        line = deadlines.deadline_info(session, case_id).lines[0]
    assert line == (
        "Modtaget tirsdag 3. juni 2025 + 10 arbejdsdage + 5 arbejdsdage fristforlængelse "
        "(Afventer tal fra Københavns Statistik); sprunget over: 5. juni grundlovsdag, "
        "9. juni 2. pinsedag → torsdag 26. juni 2025"
    )


def test_pause_stops_the_clock_and_resume_starts_it(db: Database) -> None:
    case_id = _create(db, received=[JUNE_3], status="under_udarbejdelse")
    with db.session() as session:
        workflow.perform(session, case_id, "bero", "bo", "Afventer dom", today=dt.date(2025, 6, 10))
    assert _deadlines(db, case_id) == (None, None)
    with db.session() as session:
        info = deadlines.deadline_info(session, case_id, today=dt.date(2025, 6, 12))
        assert info.paused_since == dt.date(2025, 6, 10)
        # 2 working days had passed (4 and 6 June); 10 June is the first paused day.
        assert info.lines[0].endswith(
            "sat i bero siden tirsdag 10. juni 2025; sprunget over: 5. juni grundlovsdag, "
            "9. juni 2. pinsedag → uret står stille (8 arbejdsdage tilbage, når sagen "
            "genoptages)"
        )
        case = workflow.perform(session, case_id, "genoptag", "bo", today=dt.date(2025, 6, 17))
        assert case.status == "under_udarbejdelse"
    # Paused 10–16 June: 5 working days do not count, so 19 June + 5 = 26 June.
    assert _deadlines(db, case_id)[0] == dt.date(2025, 6, 26)
    with db.session() as session:
        line = deadlines.deadline_info(session, case_id).lines[0]
    assert "i bero 10. juni 2025–16. juni 2025 (5 arbejdsdage)" in line
    assert line.endswith("→ torsdag 26. juni 2025")
    assert [e[3] for e in _events(db, case_id, "frist")] == ["Sæt i bero", "Genoptag"]


def test_closed_cases_keep_their_deadline(db: Database) -> None:
    answered = _answered(db, JUNE_3, dt.date(2025, 6, 24))
    with pytest.raises(KnownError, match="låst"), db.session() as session:
        deadlines.extend(session, answered, 5, "For sent", "bo")
    with db.session() as session:
        info = deadlines.deadline_info(session, answered)
    assert info.lines[-1] == "Besvaret tirsdag 24. juni 2025 – 3 arbejdsdage for sent."
    assert info.urgency is None


def test_import_with_deadline_state(db: Database) -> None:
    draft: CaseDraft = build_draft(
        received=[JUNE_3],
        status="i_bero",
        deadline=DeadlineDraft(
            extensions=[ExtensionDraft(2, "Ferie")],
            pauses=[
                PauseDraft(dt.date(2025, 6, 4), dt.date(2025, 6, 6), "Kort pause"),
                PauseDraft(dt.date(2025, 6, 20), None, "Afventer"),
            ],
        ),
    )
    with db.session() as session:
        case = create_case(session, draft, "anna")
        assert (case.deadline, len(case.pauses), case.extensions[0].working_days) == (None, 2, 2)
        case_id = case.id
    with db.session() as session:
        resumed = workflow.perform(session, case_id, "genoptag", "bo", today=dt.date(2025, 6, 24))
        # 12 working days, 4 June paused (6 June is grundlovsdag anyway), 20–23 June paused.
        assert resumed.deadline == dt.date(2025, 6, 26)


def test_draft_validation_of_deadline_state() -> None:
    from kkdesk.core.drafts import validate_draft

    draft = build_draft(
        received=[JUNE_3],
        answered_on=dt.date(2025, 6, 1),
        deadline=DeadlineDraft(
            override=dt.date(2025, 6, 20),
            extensions=[ExtensionDraft(0, "")],
            pauses=[PauseDraft(dt.date(2025, 6, 10), None)],
        ),
    )
    messages = [str(e) for e in validate_draft(draft)]
    assert "Besvaret: kan ikke ligge før modtagelsesdatoen." in messages
    assert "Besvaret: kun besvarede og offentliggjorte sager har en svardato." in messages
    assert "Manuel frist: kræver en begrundelse." in messages
    assert "Fristforlængelse 1: skal være 1–250 arbejdsdage." in messages
    assert "Pauser: kun en sag i bero kan have én igangværende pause." in messages


def test_deadline_for_a_new_inquiry(db: Database) -> None:
    with db.session() as session:
        day, lines = deadlines.deadline_for(session, JUNE_3, "br")
        assert day == dt.date(2025, 6, 19)
        assert lines[0].endswith("→ torsdag 19. juni 2025")
        with pytest.raises(KnownError, match="ikke en kendt type"):
            deadlines.deadline_for(session, JUNE_3, "xx")


def test_interchange_round_trip_of_deadline_state(db: Database) -> None:
    import json

    from kkdesk.core import interchange

    draft = build_draft(
        received=[JUNE_3],
        status="besvaret",
        answered_on=dt.date(2025, 6, 27),
        approved_by="direktør",
        deadline=DeadlineDraft(
            override=dt.date(2025, 6, 30),
            override_reason="Aftalt",
            extensions=[ExtensionDraft(3, "Ferie")],
            pauses=[PauseDraft(dt.date(2025, 6, 10), dt.date(2025, 6, 12), "Afventer")],
        ),
    )
    with db.session() as session:
        number = create_case(session, draft, "anna").case_number
        exported = interchange.export_cases(session, [number])
    case = exported["cases"][0]
    assert (case["answered_on"], case["approved_by"]) == ("2025-06-27", "direktør")
    assert case["deadline"] == {
        "due": "2025-06-30",
        "internal_due": "2025-06-25",
        "override": "2025-06-30",
        "override_reason": "Aftalt",
        "extensions": [{"days": 3, "reason": "Ferie"}],
        "pauses": [{"from": "2025-06-10", "to": "2025-06-12", "reason": "Afventer",
                    "resume_status": "under_udarbejdelse"}],
    }  # fmt: skip
    case.pop("case_number")
    (again,) = interchange.parse_document(json.dumps({"cases": [case]}))
    with db.session() as session:
        copy = interchange.export_cases(session, [create_case(session, again, "bo").case_number])
    assert copy["cases"][0]["deadline"] == case["deadline"]
    assert copy["cases"][0]["answered_on"] == "2025-06-27"
    case["deadline"]["colour"] = "rød"
    case["deadline"]["extensions"] = [{"days": "tre"}]
    with pytest.raises(KnownError) as caught:
        interchange.parse_document(json.dumps({"cases": [case]}))
    assert "deadline.colour: er ikke et kendt felt." in caught.value.message
    assert "deadline.extensions[1].days: skal være et heltal." in caught.value.message
