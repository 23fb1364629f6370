"""Three-way merge of a case after a save conflict.

``base`` is the case as the user opened it, ``mine`` the form with the user's changes,
``theirs`` the case as a colleague saved it meanwhile. ``field_diffs`` lists every field
either side changed; a field both changed differently is a *conflict* the user decides
(``choices``: key → "mine" or "theirs"). Everything else merges by itself: a field only
one side changed takes that side's value.

Questions are matched by their id. A question only one side added is kept; a question
one side deleted and the other changed is a conflict ("slettet" against the text).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from kkdesk.core.drafts import LAYOUTS, OPENINGS, CaseDraft, QuestionDraft
from kkdesk.core.vocab import channel_label, role_label, status_label

Side = Literal["mine", "theirs"]
DELETED = "(slettet)"


def _dates(days: list[dt.date]) -> str:
    return ", ".join(f"{d:%d-%m-%Y}" for d in sorted(days))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class _Field:
    key: str
    label: str
    get: Callable[[CaseDraft], Any]
    set: Callable[[CaseDraft, Any], None]
    show: Callable[[Any], str] = _text


def _attr(path: str) -> tuple[Callable[[CaseDraft], Any], Callable[[CaseDraft, Any], None]]:
    *parents, name = path.split(".")

    def owner(draft: CaseDraft) -> Any:
        obj: Any = draft
        for parent in parents:
            obj = getattr(obj, parent)
        return obj

    def get(draft: CaseDraft) -> Any:
        return copy.copy(getattr(owner(draft), name))

    def put(draft: CaseDraft, value: Any) -> None:
        setattr(owner(draft), name, copy.copy(value))

    return get, put


def _field(key: str, label: str, show: Callable[[Any], str] = _text) -> _Field:
    get, put = _attr(key)
    return _Field(key, label, get, put, show)


FIELDS: list[_Field] = [
    _field("kind", "Type"),
    _field("subject", "Emne"),
    _field("asker.name", "Spørger"),
    _field("asker.party", "Parti"),
    _field("asker.email", "E-mail"),
    _field("asker.role", "Rolle", role_label),
    _field("received", "Modtaget", _dates),
    _field("channel", "Kanal", channel_label),
    _field("administration", "Forvaltning"),
    _field("unit", "Enhed"),
    _field("officer", "Sagsbehandler"),
    _field("status", "Status", status_label),
    _field("notes", "Noter"),
    _field("letter.layout", "Brevlayout", lambda v: LAYOUTS.get(v, _text(v))),
    _field("letter.opening", "Indledning", lambda v: OPENINGS.get(v, _text(v))),
    _field("letter.general_answer", "Generelt svar"),
    _field("letter.signer_name", "Underskriver"),
    _field("letter.signer_title", "Underskrivers titel"),
    _field("letter.bilag", "Bilag", lambda v: "\n".join(v)),
]


@dataclass(frozen=True)
class FieldDiff:
    """One field that changed on at least one side, with the values as shown to the user."""

    key: str
    label: str
    base: str
    mine: str
    theirs: str
    mine_changed: bool
    theirs_changed: bool

    @property
    def conflict(self) -> bool:
        """Both changed it, to different values: the user must choose."""
        return self.mine_changed and self.theirs_changed and self.mine != self.theirs

    @property
    def automatic(self) -> Side:
        """The side that wins without asking (for conflicts: the default choice)."""
        return "mine" if self.mine_changed else "theirs"


@dataclass
class _QuestionSlot:
    """One question (by id) as each side has it; None where that side lacks it."""

    qid: int
    base: QuestionDraft | None
    mine: QuestionDraft | None
    theirs: QuestionDraft | None
    label: str = field(default="")


def _question_slots(base: CaseDraft, mine: CaseDraft, theirs: CaseDraft) -> list[_QuestionSlot]:
    def by_id(draft: CaseDraft) -> dict[int, QuestionDraft]:
        return {q.id: q for q in draft.questions if q.id is not None}

    b, m, t = by_id(base), by_id(mine), by_id(theirs)
    order = list(t) + [qid for qid in b if qid not in t]
    slots = []
    for qid in order:
        shown = t.get(qid) or m.get(qid) or b.get(qid)
        assert shown is not None
        slots.append(
            _QuestionSlot(qid, b.get(qid), m.get(qid), t.get(qid), f"Spørgsmål {shown.number}")
        )
    return slots


def _question_parts() -> list[tuple[str, str]]:
    return [("text", "tekst"), ("answer", "svar"), ("number", "nummer")]


def field_diffs(base: CaseDraft, mine: CaseDraft, theirs: CaseDraft) -> list[FieldDiff]:
    """Every field that ``mine`` or ``theirs`` changed relative to ``base``."""
    diffs: list[FieldDiff] = []
    for spec in FIELDS:
        b, m, t = spec.get(base), spec.get(mine), spec.get(theirs)
        if m != b or t != b:
            diffs.append(
                FieldDiff(
                    spec.key, spec.label, spec.show(b), spec.show(m), spec.show(t), m != b, t != b
                )
            )
    for slot in _question_slots(base, mine, theirs):
        if slot.base is None:
            continue  # added by them: kept as is
        if slot.mine is None or slot.theirs is None:
            mine_text = DELETED if slot.mine is None else slot.mine.text
            theirs_text = DELETED if slot.theirs is None else slot.theirs.text
            mine_changed = slot.mine is None or _changed(slot.base, slot.mine)
            theirs_changed = slot.theirs is None or _changed(slot.base, slot.theirs)
            diffs.append(
                FieldDiff(
                    f"q:{slot.qid}",
                    slot.label,
                    slot.base.text,
                    mine_text,
                    theirs_text,
                    mine_changed,
                    theirs_changed,
                )
            )
            continue
        for attr, word in _question_parts():
            b, m, t = (getattr(q, attr) for q in (slot.base, slot.mine, slot.theirs))
            if m != b or t != b:
                diffs.append(
                    FieldDiff(
                        f"q:{slot.qid}:{attr}",
                        f"{slot.label} – {word}",
                        _text(b),
                        _text(m),
                        _text(t),
                        m != b,
                        t != b,
                    )
                )
    new_mine = [q for q in mine.questions if q.id is None]
    for index, question in enumerate(new_mine, start=1):
        diffs.append(
            FieldDiff(
                f"new:{index}",
                f"Nyt spørgsmål {question.number}",
                "",
                question.text,
                "",
                True,
                False,
            )
        )
    return diffs


def _changed(a: QuestionDraft, b: QuestionDraft) -> bool:
    return (a.text, a.answer, a.number) != (b.text, b.answer, b.number)


def merge(
    base: CaseDraft, mine: CaseDraft, theirs: CaseDraft, choices: dict[str, Side] | None = None
) -> CaseDraft:
    """The merged draft, to be saved against ``theirs``' version.

    Fields only one side changed take that side's value; conflicts follow ``choices``
    (default: "mine", the user who is saving).
    """
    choices = choices or {}
    result = copy.deepcopy(theirs)
    diffs = {d.key: d for d in field_diffs(base, mine, theirs)}

    def wins_mine(key: str) -> bool:
        diff = diffs.get(key)
        if diff is None:
            return False
        if diff.conflict:
            return choices.get(key, "mine") == "mine"
        return diff.mine_changed

    for spec in FIELDS:
        if wins_mine(spec.key):
            spec.set(result, spec.get(mine))
    kept: list[QuestionDraft] = []
    for slot in _question_slots(base, mine, theirs):
        if slot.base is None:  # added by them
            if slot.theirs is not None:
                kept.append(copy.copy(slot.theirs))
            continue
        key = f"q:{slot.qid}"
        if key in diffs:  # deleted on one side
            source = slot.mine if wins_mine(key) else slot.theirs
            if source is not None:
                question = copy.copy(source)
                if slot.theirs is not None:
                    question.version = slot.theirs.version
                else:
                    question.id = question.version = None  # re-created
                kept.append(question)
            continue
        assert slot.theirs is not None and slot.mine is not None
        question = copy.copy(slot.theirs)
        for attr, _word in _question_parts():
            if wins_mine(f"{key}:{attr}"):
                setattr(question, attr, getattr(slot.mine, attr))
        kept.append(question)
    kept += [copy.copy(q) for q in mine.questions if q.id is None]
    result.questions = _renumber_duplicates(kept)
    return result


def _renumber_duplicates(questions: list[QuestionDraft]) -> list[QuestionDraft]:
    """Both sides may have added "question 4": later duplicates get the next free number."""
    used: set[int] = set()
    top = max((q.number for q in questions), default=0)
    for question in questions:
        if question.number in used:
            top += 1
            question.number = top
        used.add(question.number)
    return questions
