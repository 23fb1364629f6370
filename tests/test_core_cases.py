"""Creating and changing cases: numbering, history, optimistic locking, validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from kkdesk.core.cases import (
    case_to_draft,
    create_case,
    find_case_id,
    load_case,
    update_case,
)
from kkdesk.core.database import Database
from kkdesk.core.drafts import AskerRef, CaseDraft, QuestionDraft, validate_draft
from kkdesk.core.errors import (
    ConflictError,
    DatabaseError,
    FieldError,
    NotFoundError,
    ValidationError,
)
from kkdesk.core.models import (
    Administration,
    Asker,
    Case,
    CaseEvent,
    CaseNumberCounter,
    Question,
    ReceivedDate,
)

MakeDraft = Callable[..., CaseDraft]


def _create(db: Database, draft: CaseDraft, user: str = "test") -> Case:
    with db.session() as session:
        return create_case(session, draft, user)


def _numbers(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(Case.case_number).order_by(Case.id)))


def _count(db: Database, model: Any) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _errors(exc: ValidationError) -> list[str]:
    return [str(e) for e in exc.errors]


# --- Creating -------------------------------------------------------------------------


def test_create_case_stores_everything(db: Database, make_draft: MakeDraft) -> None:
    draft = make_draft(
        received=[dt.date(2025, 5, 22), dt.date(2025, 5, 20)],
        notes="Første linje\nanden linje",
        questions=[
            QuestionDraft(number=1, text="Hvor længe?"),
            QuestionDraft(number=2, text="Hvem betaler?", answer="Bygherren."),
        ],
    )
    created = _create(db, draft, user="anna")
    assert created.case_number == "2025-0001"
    with db.session() as session:
        case = load_case(session, created.id)
        assert (case.year, case.seq, case.version) == (2025, 1, 1)
        assert case.subject == "Støj fra byggepladsen på Åboulevarden"
        assert case.received_on == dt.date(2025, 5, 20)
        assert [d.received for d in case.received_dates] == [
            dt.date(2025, 5, 20),
            dt.date(2025, 5, 22),
        ]
        assert case.administration.code == "TMF"
        assert case.unit is not None and case.unit.name == "Byens Drift"
        assert case.asker.name == "Åse Ørsted"
        assert case.asker.party is not None and case.asker.party.letter == "Ø"
        assert case.asker.email == "aase@kk.dk"
        assert [(q.position, q.number, q.text, q.answer) for q in case.questions] == [
            (1, 1, "Hvor længe?", ""),
            (2, 2, "Hvem betaler?", "Bygherren."),
        ]
        assert case.notes == "Første linje\nanden linje"
        assert case.status == "modtaget"
        assert (case.created_by, case.updated_by) == ("anna", "anna")
        assert case.search_text == "2025-0001 støj fra byggepladsen på åboulevarden åse ørsted (ø)"
        history = [(e.user, e.action, e.field, e.comment) for e in case.history]
        assert history == [("anna", "oprettet", None, "Sag 2025-0001 oprettet")]


def test_subject_is_trimmed_and_asker_name_normalised(db: Database, make_draft: MakeDraft) -> None:
    draft = make_draft(subject="  Cykelstier  ", asker=AskerRef(name="  Bo   Bøgh "))
    created = _create(db, draft)
    with db.session() as session:
        case = load_case(session, created.id)
        assert case.subject == "Cykelstier"
        assert case.asker.name == "Bo Bøgh"


def test_case_numbers_run_per_year(db: Database, make_draft: MakeDraft) -> None:
    may = [dt.date(2025, 5, 1)]
    assert _create(db, make_draft(received=may)).case_number == "2025-0001"
    assert _create(db, make_draft(received=may)).case_number == "2025-0002"
    old = [dt.date(2024, 12, 30)]
    assert _create(db, make_draft(received=old)).case_number == "2024-0001"
    assert _create(db, make_draft(received=may)).case_number == "2025-0003"
    assert _create(db, make_draft(received=old)).case_number == "2024-0002"
    # The earliest received date decides the year.
    both = [dt.date(2025, 1, 2), dt.date(2024, 12, 31)]
    assert _create(db, make_draft(received=both)).case_number == "2024-0003"
    with db.session() as session:
        rows = session.execute(select(CaseNumberCounter.year, CaseNumberCounter.last_number))
        counters = {year: last for year, last in rows}
    assert counters == {2024: 3, 2025: 3}


def test_imported_numbers_bump_the_counter(db: Database, make_draft: MakeDraft) -> None:
    assert _create(db, make_draft()).case_number == "2025-0001"
    assert _create(db, make_draft(case_number="2025-0010")).case_number == "2025-0010"
    assert _create(db, make_draft()).case_number == "2025-0011"
    # A lower, unused number may be imported, but does not lower the counter.
    assert _create(db, make_draft(case_number="2025-0005")).case_number == "2025-0005"
    assert _create(db, make_draft()).case_number == "2025-0012"
    # A number in a year without a counter starts that year's counter.
    assert _create(db, make_draft(case_number="2023-0042")).case_number == "2023-0042"
    received_2023 = [dt.date(2023, 3, 1)]
    assert _create(db, make_draft(received=received_2023)).case_number == "2023-0043"


def test_cases_are_never_deleted_and_numbers_never_reused(
    db: Database, make_draft: MakeDraft
) -> None:
    _create(db, make_draft())
    second = _create(db, make_draft())
    assert second.case_number == "2025-0002"
    # A case with history cannot be hard-deleted: the audit trail must survive it.
    with pytest.raises(DatabaseError) as info, db.session() as session:
        session.delete(session.get(Case, second.id))
    assert "sæt dens status til Annulleret" in info.value.detail
    assert _numbers(db) == ["2025-0001", "2025-0002"]
    assert _create(db, make_draft()).case_number == "2025-0003"


def test_duplicate_case_number_is_refused(db: Database, make_draft: MakeDraft) -> None:
    _create(db, make_draft())
    with pytest.raises(ValidationError) as info:
        _create(db, make_draft(case_number="2025-0001"))
    assert _errors(info.value) == ["Sagsnr.: 2025-0001 findes allerede."]
    assert _numbers(db) == ["2025-0001"]


def test_duplicate_case_number_in_short_form_is_refused(
    db: Database, make_draft: MakeDraft
) -> None:
    _create(db, make_draft())
    with pytest.raises(ValidationError) as info:
        _create(db, make_draft(case_number="2025-1"))
    assert _errors(info.value) == ["Sagsnr.: 2025-0001 findes allerede."]


def test_askers_are_matched_by_email_then_name_and_party(
    db: Database, make_draft: MakeDraft
) -> None:
    _create(db, make_draft(asker=AskerRef(name="Åse Ørsted", party="Ø", email="aase@kk.dk")))
    # Same e-mail (other case), other spelling of the name: the same person.
    _create(db, make_draft(asker=AskerRef(name="Å. Ørsted", party="Ø", email="AASE@kk.dk")))
    # Same name and party without e-mail: the same person.
    _create(db, make_draft(asker=AskerRef(name="Åse  Ørsted", party="Ø")))
    assert _count(db, Asker) == 1
    # Same name, other party: someone else.
    _create(db, make_draft(asker=AskerRef(name="Åse Ørsted", party="A")))
    assert _count(db, Asker) == 2


def test_a_failed_create_saves_nothing(db: Database, make_draft: MakeDraft) -> None:
    with pytest.raises(ValidationError):
        _create(db, make_draft(unit="Findes ikke", asker=AskerRef(name="Ny Person")))
    assert _count(db, Case) == 0
    assert _count(db, Asker) == 0
    assert _count(db, CaseNumberCounter) == 0


# --- Validation -----------------------------------------------------------------------


def _tmf_name(db: Database) -> str:
    with db.session() as session:
        return session.scalar(select(Administration.name).where(Administration.code == "TMF"))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"subject": "   "}, "Emne: skal udfyldes."),
        ({"subject": "x" * 501}, "Emne: må højst være 500 tegn."),
        ({"asker": AskerRef(name=" ")}, "Spørger: skal udfyldes."),
        (
            {"asker": AskerRef(name="Bo", email="ikke-en-mail")},
            "E-mail: 'ikke-en-mail' er ikke en gyldig e-mailadresse.",
        ),
        ({"asker": AskerRef(name="Bo", role="gud")}, "Rolle: 'gud' er ukendt."),
        ({"received": []}, "Modtaget: mindst én modtagelsesdato skal udfyldes."),
        ({"received": [dt.date(1989, 12, 31)]}, "Modtaget: 31-12-1989 er for langt tilbage."),
        (
            {"received": [dt.date(2025, 1, 2), dt.date(2025, 1, 2)]},
            "Modtaget: den samme dato står der flere gange.",
        ),
        ({"administration": " "}, "Forvaltning: skal vælges."),
        ({"channel": "fax"}, "Kanal: 'fax' er ukendt."),
        ({"status": "lukket"}, "Status: 'lukket' er ukendt."),
        ({"case_number": "25-1"}, "Sagsnr.: '25-1' skal have formen ÅÅÅÅ-NNNN."),
        ({"questions": []}, "Spørgsmål: sagen skal have mindst ét spørgsmål."),
        ({"questions": [" \n "]}, "Spørgsmål 1: teksten skal udfyldes."),
        (
            {"questions": [QuestionDraft(number=0, text="Nul?")]},
            "Spørgsmål 1: nummeret skal være 1 eller større.",
        ),
        (
            {"questions": [QuestionDraft(1, "Et?"), QuestionDraft(1, "To?")]},
            "Spørgsmål 1: nummeret bruges allerede i sagen.",
        ),
        ({"notes": "a\x00b"}, "Noter: indeholder et ugyldigt tegn (NUL)."),
    ],
)
def test_validation_messages(make_draft: MakeDraft, overrides, expected) -> None:
    # Checks that need no database (the service runs them first, see below).
    errors = [str(e) for e in validate_draft(make_draft(**overrides))]
    assert expected in errors


def test_create_reports_every_problem_and_saves_nothing(
    db: Database, make_draft: MakeDraft
) -> None:
    draft = make_draft(
        subject=" ",
        asker=AskerRef(name="Bo", email="bo@"),
        questions=[QuestionDraft(1, "Et?"), QuestionDraft(1, "To?")],
    )
    with pytest.raises(ValidationError) as info:
        _create(db, draft)
    assert _errors(info.value) == [
        "Emne: skal udfyldes.",
        "E-mail: 'bo@' er ikke en gyldig e-mailadresse.",
        "Spørgsmål 1: nummeret bruges allerede i sagen.",
    ]
    assert str(info.value) == "; ".join(_errors(info.value))
    with pytest.raises(ValidationError) as info:
        _create(db, make_draft(questions=[]))
    assert _errors(info.value) == ["Spørgsmål: sagen skal have mindst ét spørgsmål."]
    assert _count(db, Case) == 0


def test_received_date_in_the_future(db: Database, make_draft: MakeDraft) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        _create(db, make_draft(received=[tomorrow]))
    assert _errors(info.value) == [f"Modtaget: {tomorrow:%d-%m-%Y} ligger i fremtiden."]
    # Today is fine.
    assert _create(db, make_draft(received=[dt.date.today()])).case_number


def test_validate_draft_today_parameter(make_draft: MakeDraft) -> None:
    draft = make_draft(received=[dt.date(2025, 5, 22)])
    assert validate_draft(draft, today=dt.date(2025, 5, 22)) == []
    assert validate_draft(draft, today=dt.date(2025, 5, 21)) == [
        FieldError("Modtaget", "22-05-2025 ligger i fremtiden.")
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"administration": "XYZ"}, "Forvaltning: 'XYZ' er ikke en kendt forvaltning."),
        ({"kind": "brev"}, "Type: 'brev' er ikke en kendt type henvendelse."),
        ({"officer": "Ingen Ansat"}, "Sagsbehandler: 'Ingen Ansat' er ikke oprettet."),
        ({"asker": AskerRef(name="Bo", party="Q")}, "Parti: 'Q' er ikke et kendt parti."),
    ],
)
def test_unknown_references(db: Database, make_draft: MakeDraft, overrides, expected) -> None:
    with pytest.raises(ValidationError) as info:
        _create(db, make_draft(**overrides))
    assert _errors(info.value) == [expected]


def test_unit_must_belong_to_the_administration(db: Database, make_draft: MakeDraft) -> None:
    with pytest.raises(ValidationError) as info:
        _create(db, make_draft(administration="TMF", unit="Biblioteker"))
    assert _errors(info.value) == [f"Enhed: 'Biblioteker' er ikke en enhed i {_tmf_name(db)}."]
    assert "Teknik" in _tmf_name(db) or _tmf_name(db)


def test_administration_by_code_any_case_or_by_name(db: Database, make_draft: MakeDraft) -> None:
    by_code = _create(db, make_draft(administration="tmf"))
    by_name = _create(db, make_draft(administration=_tmf_name(db)))
    by_danish_code = _create(db, make_draft(administration="økf", unit=None))
    with db.session() as session:
        codes = [
            load_case(session, c.id).administration.code for c in (by_code, by_name, by_danish_code)
        ]
    assert codes == ["TMF", "TMF", "ØKF"]


# --- Updating -------------------------------------------------------------------------


def _edit(db: Database, case_id: int, change: Callable[[CaseDraft], None], user: str) -> Case:
    with db.session() as session:
        case = load_case(session, case_id)
        draft = case_to_draft(case)
        change(draft)
        return update_case(session, case_id, draft, expected_version=case.version, user=user)


def _history(db: Database, case_id: int) -> list[tuple[Any, ...]]:
    with db.session() as session:
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
        return [(e.user, e.action, e.field, e.old_value, e.new_value, e.comment) for e in events]


def test_update_records_each_change(db: Database, make_draft: MakeDraft) -> None:
    created = _create(db, make_draft(), user="anna")

    def change(draft: CaseDraft) -> None:
        draft.subject = "Larm om natten"
        draft.status = "fordelt"
        draft.unit = "Byens Udvikling"
        draft.received = [dt.date(2025, 5, 22), dt.date(2025, 5, 23)]
        draft.channel = "brev"
        draft.notes = "Ring til bygherren"

    updated = _edit(db, created.id, change, user="bo")
    assert updated.version > created.version
    history = _history(db, created.id)
    assert history[0][:2] == ("anna", "oprettet")
    assert sorted(history[1:]) == sorted(
        [
            ("bo", "ændret", "Emne", "Støj fra byggepladsen på Åboulevarden", "Larm om natten", ""),
            ("bo", "ændret", "Modtaget", "2025-05-22", "2025-05-22, 2025-05-23", ""),
            ("bo", "ændret", "Kanal", "E-mail", "Brev", ""),
            ("bo", "ændret", "Enhed", "Byens Drift", "Byens Udvikling", ""),
            ("bo", "status", "Status", "Modtaget", "Fordelt", ""),
            ("bo", "ændret", "Noter", "", "Ring til bygherren", ""),
        ]
    )
    with db.session() as session:
        case = load_case(session, created.id)
        assert case.subject == "Larm om natten"
        assert case.updated_by == "bo"
        assert case.created_by == "anna"
        assert case.updated_at >= case.created_at
        assert "larm om natten" in case.search_text
        assert "støj" not in case.search_text


def test_update_questions_records_lines(db: Database, make_draft: MakeDraft) -> None:
    draft = make_draft(questions=["Første?", "Andet?", "Tredje?"])
    created = _create(db, draft)

    def change(d: CaseDraft) -> None:
        first, second, third = d.questions
        first.answer = "Svar på første."
        second.text = "Andet, omformuleret?"
        third.number = 4
        d.questions = [first, second, third, QuestionDraft(number=5, text="Femte?")]

    _edit(db, created.id, change, user="bo")
    comments = [h[5] for h in _history(db, created.id) if h[1] == "spørgsmål"]
    assert comments == [
        "Spørgsmål 1: svar ændret",
        "Spørgsmål 2: tekst ændret",
        "Spørgsmål 3 omnummereret til 4",
        "Spørgsmål 5 tilføjet",
    ]

    def remove(d: CaseDraft) -> None:
        d.questions = [d.questions[0], d.questions[3]]

    _edit(db, created.id, remove, user="bo")
    comments = [h[5] for h in _history(db, created.id) if h[1] == "spørgsmål"][4:]
    assert sorted(comments) == ["Spørgsmål 2 slettet", "Spørgsmål 4 slettet"]
    with db.session() as session:
        case = load_case(session, created.id)
        assert [(q.position, q.number, q.answer) for q in case.questions] == [
            (1, 1, "Svar på første."),
            (2, 5, ""),
        ]
        ids = set(session.scalars(select(Question.case_id)))
    assert ids == {created.id}


def test_update_without_changes_records_nothing(db: Database, make_draft: MakeDraft) -> None:
    created = _create(db, make_draft())
    updated = _edit(db, created.id, lambda d: None, user="bo")
    assert updated.version == created.version
    assert len(_history(db, created.id)) == 1
    with db.session() as session:
        assert load_case(session, created.id).updated_by == "test"


def test_update_received_dates_keeps_rows_and_earliest(db: Database, make_draft: MakeDraft) -> None:
    created = _create(db, make_draft(received=[dt.date(2025, 5, 22)]))
    _edit(db, created.id, lambda d: setattr(d, "received", [dt.date(2025, 5, 2)]), user="bo")
    with db.session() as session:
        case = load_case(session, created.id)
        assert case.received_on == dt.date(2025, 5, 2)
        # The case number keeps the year it was given.
        assert case.case_number == "2025-0001"
    assert _count(db, ReceivedDate) == 1


def test_stale_version_raises_conflict(db: Database, make_draft: MakeDraft) -> None:
    created = _create(db, make_draft(), user="anna")
    # Two users open the case.
    with db.session() as session:
        case = load_case(session, created.id)
        mine, my_version = case_to_draft(case), case.version
    with db.session() as session:
        case = load_case(session, created.id)
        theirs, their_version = case_to_draft(case), case.version
    theirs.subject = "Kollegaens ændring"
    with db.session() as session:
        update_case(session, created.id, theirs, expected_version=their_version, user="bo")
    mine.subject = "Min ændring"
    with pytest.raises(ConflictError) as info, db.session() as session:
        update_case(session, created.id, mine, expected_version=my_version, user="anna")
    assert info.value.message == "Sag 2025-0001 er ændret af bo, siden du åbnede den."
    assert info.value.detail == "Dine ændringer er ikke gemt. Genindlæs sagen og indfør dem igen."
    with db.session() as session:
        assert load_case(session, created.id).subject == "Kollegaens ændring"
    # After reloading, the save goes through.
    with db.session() as session:
        case = load_case(session, created.id)
        update_case(session, created.id, mine, expected_version=case.version, user="anna")
    with db.session() as session:
        assert load_case(session, created.id).subject == "Min ændring"


def test_concurrent_save_between_read_and_write_is_a_conflict(
    db: Database, make_draft: MakeDraft
) -> None:
    created = _create(db, make_draft(), user="anna")
    with pytest.raises(ConflictError), db.session() as mine:
        # This user's action reads the case …
        case = load_case(mine, created.id)
        draft, version = case_to_draft(case), case.version
        # … a colleague saves the same case meanwhile …
        with db.session() as theirs:
            other = case_to_draft(load_case(theirs, created.id))
            other.subject = "Kollegaens ændring"
            update_case(theirs, created.id, other, expected_version=version, user="bo")
        # … and this user's write must be refused as a conflict.
        draft.subject = "Min ændring"
        update_case(mine, created.id, draft, expected_version=version, user="anna")
    with db.session() as session:
        assert load_case(session, created.id).subject == "Kollegaens ændring"


def test_update_validates_and_saves_nothing(db: Database, make_draft: MakeDraft) -> None:
    created = _create(db, make_draft())

    def change(d: CaseDraft) -> None:
        d.subject = "Nyt emne"
        d.unit = "Biblioteker"

    with pytest.raises(ValidationError) as info:
        _edit(db, created.id, change, user="bo")
    assert _errors(info.value) == [f"Enhed: 'Biblioteker' er ikke en enhed i {_tmf_name(db)}."]
    with pytest.raises(ValidationError) as info:
        _edit(db, created.id, lambda d: setattr(d, "questions", []), user="bo")
    assert _errors(info.value) == ["Spørgsmål: sagen skal have mindst ét spørgsmål."]
    with db.session() as session:
        case = load_case(session, created.id)
        assert case.subject == "Støj fra byggepladsen på Åboulevarden"
        assert case.version == created.version
    assert len(_history(db, created.id)) == 1


def test_missing_cases(db: Database) -> None:
    with pytest.raises(NotFoundError) as info, db.session() as session:
        load_case(session, 12345)
    assert str(info.value) == "Sagen findes ikke længere. Den kan være slettet af en kollega."
    with pytest.raises(NotFoundError) as info, db.session() as session:
        find_case_id(session, "2025-9999")
    assert str(info.value) == "Sag 2025-9999 findes ikke."


def test_find_case_id_and_case_to_draft(db: Database, make_draft: MakeDraft) -> None:
    draft = make_draft(
        kind="borger",
        channel="telefon",
        status="under_udarbejdelse",
        notes="Noter",
        asker=AskerRef(name="Kim Borger", email="kim@example.dk", role="borger"),
        questions=[QuestionDraft(number=3, text="Tre?", answer="Ja.")],
    )
    created = _create(db, draft)
    with db.session() as session:
        case_id = find_case_id(session, "2025-0001")
        assert case_id == created.id
        again = case_to_draft(load_case(session, case_id))
    assert again.case_number == "2025-0001"
    assert [(q.number, q.text, q.answer) for q in again.questions] == [(3, "Tre?", "Ja.")]
    assert all(q.id is not None for q in again.questions)
    for q in again.questions:
        q.id = q.version = None
    again.case_number = None
    assert again == draft
