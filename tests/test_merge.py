"""The three-way merge after a save conflict (kkdesk.core.merge), without a database."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kkdesk.core.drafts import CaseDraft, QuestionDraft
from kkdesk.core.merge import DELETED, field_diffs, merge
from tests.conftest import build_draft


def _base() -> CaseDraft:
    return build_draft(
        questions=[
            QuestionDraft(1, "Første?", "", id=11, version=1),
            QuestionDraft(2, "Andet?", "", id=12, version=1),
        ],
        notes="",
    )


def test_fields_changed_on_one_side_merge_by_themselves() -> None:
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.notes = "Min note"
    mine.questions[0].answer = "Mit svar på 1"
    theirs.subject = "Kollegaens emne"
    theirs.questions[1].answer = "Kollegaens svar på 2"
    theirs.questions[1].version = 2
    diffs = field_diffs(base, mine, theirs)
    assert not any(d.conflict for d in diffs)
    assert {d.label for d in diffs} == {
        "Emne",
        "Noter",
        "Spørgsmål 1 – svar",
        "Spørgsmål 2 – svar",
    }
    merged = merge(base, mine, theirs)
    assert merged.subject == "Kollegaens emne"
    assert merged.notes == "Min note"
    assert [(q.answer, q.version) for q in merged.questions] == [
        ("Mit svar på 1", 1),
        ("Kollegaens svar på 2", 2),
    ]


def test_conflicts_follow_the_choices() -> None:
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.subject, theirs.subject = "Mit emne", "Deres emne"
    mine.received, theirs.received = [dt.date(2025, 5, 1)], [dt.date(2025, 5, 2)]
    mine.questions[0].text, theirs.questions[0].text = "Min tekst", "Deres tekst"
    diffs = {d.key: d for d in field_diffs(base, mine, theirs)}
    assert diffs["subject"].conflict and diffs["received"].conflict
    assert diffs["received"].mine == "01-05-2025"
    assert diffs["q:11:text"].conflict
    default = merge(base, mine, theirs)
    assert (default.subject, default.questions[0].text) == ("Mit emne", "Min tekst")
    chosen = merge(base, mine, theirs, {"subject": "theirs", "q:11:text": "theirs"})
    assert (chosen.subject, chosen.received) == ("Deres emne", [dt.date(2025, 5, 1)])
    assert chosen.questions[0].text == "Deres tekst"


def test_deleted_and_added_questions() -> None:
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.questions[1].answer = "Svar på 2"  # … which they deleted
    del theirs.questions[1]
    mine.questions.append(QuestionDraft(3, "Mit nye spørgsmål?"))
    theirs.questions.append(QuestionDraft(3, "Deres nye spørgsmål?", id=13, version=1))
    diffs = {d.key: d for d in field_diffs(base, mine, theirs)}
    assert diffs["q:12"].conflict and diffs["q:12"].theirs == DELETED
    kept = merge(base, mine, theirs)  # default: mine – the question stays
    assert [(q.number, q.text, q.id) for q in kept.questions] == [
        (1, "Første?", 11),
        (3, "Deres nye spørgsmål?", 13),
        (2, "Andet?", None),  # re-created: it is gone from the database
        (4, "Mit nye spørgsmål?", None),  # both added a number 3
    ]
    dropped = merge(base, mine, theirs, {"q:12": "theirs"})
    assert [q.text for q in dropped.questions] == [
        "Første?",
        "Deres nye spørgsmål?",
        "Mit nye spørgsmål?",
    ]


TEXT = st.text(max_size=20)


@settings(max_examples=200, deadline=None)
@given(
    mine_subject=st.one_of(st.none(), TEXT),
    theirs_subject=st.one_of(st.none(), TEXT),
    mine_answer=st.one_of(st.none(), TEXT),
    theirs_answer=st.one_of(st.none(), TEXT),
    theirs_deletes=st.booleans(),
)
def test_merge_never_loses_a_one_sided_change(
    mine_subject: str | None,
    theirs_subject: str | None,
    mine_answer: str | None,
    theirs_answer: str | None,
    theirs_deletes: bool,
) -> None:
    base = _base()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    if mine_subject is not None:
        mine.subject = mine_subject
    if theirs_subject is not None:
        theirs.subject = theirs_subject
    if mine_answer is not None:
        mine.questions[0].answer = mine_answer
    if theirs_answer is not None:
        theirs.questions[0].answer = theirs_answer
    if theirs_deletes:
        del theirs.questions[1]
    merged = merge(base, mine, theirs, {"subject": "theirs"})
    if mine.subject == base.subject:
        assert merged.subject == theirs.subject
    elif theirs.subject == base.subject:
        assert merged.subject == mine.subject
    else:
        assert merged.subject == theirs.subject  # the choice
    first = merged.questions[0]
    if mine.questions[0].answer != base.questions[0].answer:
        assert first.answer == mine.questions[0].answer  # default for conflicts: mine
    else:
        assert first.answer == theirs.questions[0].answer
    assert len(merged.questions) == (1 if theirs_deletes else 2)
    numbers = [q.number for q in merged.questions]
    assert len(numbers) == len(set(numbers))
