"""Full-text search and "asked before" on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kkdesk.core.cases import case_to_draft, create_case, load_case, update_case
from kkdesk.core.database import Database
from kkdesk.core.drafts import AskerRef, QuestionDraft
from kkdesk.core.models import Asker
from kkdesk.core.search import (
    HL_END,
    HL_START,
    parse_query,
    search_cases,
    similar_questions,
    snippet_segments,
)
from tests.conftest import build_draft


def _add(db: Database, **overrides: object) -> int:
    with db.session() as session:
        return create_case(session, build_draft(**overrides), "test").id


def _numbers(db: Database, text: str, **kwargs: object) -> list[str]:
    with db.session() as session:
        return [hit.case_number for hit in search_cases(session, text, **kwargs)]  # type: ignore[arg-type]


@pytest.fixture
def sample(db: Database) -> Database:
    _add(
        db,
        subject="Støj fra byggeriet ved Åboulevarden",
        questions=[
            QuestionDraft(1, "Hvornår slutter arbejdet om natten?", "Arbejdet slutter i år.")
        ],
    )
    _add(
        db,
        subject="Cykelparkering ved Nørreport",
        asker=AskerRef(name="Bent Ar", party="V"),
        questions=[QuestionDraft(1, "Hvor mange pladser er der?", "Der er 2.000 pladser.")],
    )
    _add(
        db,
        subject="Legepladser i Valby",
        notes="Ring til enheden om STØJMÅLINGER",
        questions=[
            QuestionDraft(1, "Hvor mange legepladser er renoveret?", ""),
            QuestionDraft(2, "Hvad koster det?", "Prisen er 4 mio. kr. over tre år."),
        ],
    )
    return db


def test_upper_case_danish_letters_find_lower_case(sample: Database) -> None:
    assert _numbers(sample, "STØJ", prefix_last=False) == ["2025-0001"]
    assert _numbers(sample, "støj", prefix_last=False) == ["2025-0001"]
    assert _numbers(sample, "ÅBOULEVARDEN", prefix_last=False) == ["2025-0001"]


def test_aar_is_not_ar(sample: Database) -> None:
    # "år" is in case 1's answer and case 3's answer; "Ar" is only the asker of case 2.
    assert sorted(_numbers(sample, "år", prefix_last=False)) == ["2025-0001", "2025-0003"]
    assert _numbers(sample, "ar", prefix_last=False) == ["2025-0002"]


def test_prefix_search(sample: Database) -> None:
    assert sorted(_numbers(sample, "stø")) == ["2025-0001", "2025-0003"]  # støj, støjmålinger
    assert _numbers(sample, "stø", prefix_last=False) == []
    assert sorted(_numbers(sample, "legeplads*", prefix_last=False)) == ["2025-0003"]
    assert _numbers(sample, "cykel park") == []  # "cykel" is not a word of the subject
    assert _numbers(sample, "cykelp") == ["2025-0002"]


def test_every_word_must_match_and_phrases(sample: Database) -> None:
    assert _numbers(sample, "pladser valby", prefix_last=False) == []
    assert _numbers(sample, "legepladser valby", prefix_last=False) == ["2025-0003"]
    assert _numbers(sample, '"legepladser i valby"', prefix_last=False) == ["2025-0003"]
    assert _numbers(sample, '"valby legepladser"', prefix_last=False) == []


def test_hits_say_where_and_highlight(sample: Database) -> None:
    with sample.session() as session:
        (hit,) = search_cases(session, "koster", prefix_last=False)
        assert hit.where == ("spørgsmål 2",)
        assert f"{HL_START}koster{HL_END}" in hit.snippet
        assert ("koster", True) in snippet_segments(hit.snippet)
        (hit,) = search_cases(session, "prisen", prefix_last=False)
        assert hit.where == ("svar 2",)
        (hit,) = search_cases(session, "støjmålinger", prefix_last=False)
        assert hit.where == ("noter",)
        (hit,) = search_cases(session, "nørreport", prefix_last=False)
        assert hit.where == ("emne",)
        assert hit.asker == "Bent Ar (V)"
        (hit,) = search_cases(session, "bent", prefix_last=False)
        assert hit.where == ("spørger",)


def test_subject_ranks_above_answer(db: Database) -> None:
    _add(
        db,
        subject="Affald i parken",
        questions=[QuestionDraft(1, "Hvad gør I?", "Vi fjerner træer.")],
    )
    _add(db, subject="Træer på Vesterbro", questions=[QuestionDraft(1, "Fældes de?", "Nej.")])
    assert _numbers(db, "træer", prefix_last=False) == ["2025-0002", "2025-0001"]


def test_index_follows_changes(db: Database) -> None:
    case_id = _add(db, questions=[QuestionDraft(1, "Hvad med cyklerne?")])
    assert _numbers(db, "cyklerne", prefix_last=False) == ["2025-0001"]
    with db.session() as session:
        case = load_case(session, case_id)
        draft = case_to_draft(case)
        draft.questions[0].text = "Hvad med bilerne?"
        draft.questions[0].answer = "Bilerne flyttes."
        draft.subject = "Parkering"
        update_case(session, case_id, draft, expected_version=case.version, user="test")
    assert _numbers(db, "cyklerne", prefix_last=False) == []
    assert _numbers(db, "bilerne parkering", prefix_last=False) == ["2025-0001"]
    with db.session() as session:
        asker = session.scalars(select(Asker)).one()
        asker.name = "Yrsa Ølund"
    assert _numbers(db, "ølund", prefix_last=False) == ["2025-0001"]
    # (Cases are never deleted: their history is an append-only audit trail.)


def test_case_number_comes_first(sample: Database) -> None:
    assert _numbers(sample, "2025-0002")[0] == "2025-0002"


def test_empty_and_odd_queries(sample: Database) -> None:
    for text in ("", "   ", '"', "***", "-", "(", "AND OR NOT", "NEAR(a b)", "'", "\\"):
        _numbers(sample, text)  # no exception


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_valid_query(text: str) -> None:
    for term in parse_query(text):
        assert all(w and '"' not in w and "'" not in w for w in term.words)


def test_similar_questions(db: Database) -> None:
    _add(
        db,
        subject="Rotter i gårdene på Nørrebro",
        received=[dt.date(2023, 3, 1)],
        questions=[
            QuestionDraft(1, "Hvor mange anmeldelser om rotter kom der i 2022?", "Der kom 412."),
            QuestionDraft(2, "Hvad koster bekæmpelsen af rotter?", "Den koster 3 mio. kr."),
        ],
    )
    _add(
        db,
        subject="Skraldespande",
        received=[dt.date(2024, 1, 5)],
        questions=[QuestionDraft(1, "Hvor mange skraldespande er der?", "Der er 900.")],
    )
    _add(db, subject="Rotter uden svar", questions=[QuestionDraft(1, "Rotter?", "")])
    with db.session() as session:
        found = similar_questions(session, "Hvad koster det at bekæmpe rotter i gårdene?")
        assert [s.case_number for s in found] == ["2023-0001"]
        (first,) = found
        assert first.question_number == 2
        assert first.answer == "Den koster 3 mio. kr."
        assert first.administration == "TMF"
        assert first.asker == "Åse Ørsted (Ø)"
        assert similar_questions(session, "og i på") == []
        assert similar_questions(session, "rotter", exclude_case_id=first.case_id) == []
