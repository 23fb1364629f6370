"""The search service: ranked case search with snippets, and "asked before" suggestions.

Both functions take a session and pick the backend from its dialect; results carry
plain values (no ORM objects), so they can cross to the UI thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core.drafts import CASE_NUMBER_RE
from kkdesk.core.models import Administration, Asker, Case, Party, Question
from kkdesk.core.search import postgres_backend, sqlite_backend
from kkdesk.core.search.query import HL_END, HL_START, Term, parse_query, words
from kkdesk.core.search.stopwords import STOPWORDS

DEFAULT_LIMIT = 50
# Order in which a column's snippet is preferred for the result list (the subject has a
# column of its own there).
SNIPPET_ORDER = ("questions", "answers", "notes", "subject", "asker")
COLUMN_LABELS = {"subject": "emne", "asker": "spørger", "notes": "noter"}


@dataclass(frozen=True)
class SearchHit:
    """One case found by ``search_cases``; ``snippet`` has HL_START/HL_END marks."""

    case_id: int
    case_number: str
    subject: str
    asker: str
    administration: str
    received_on: dt.date
    status: str
    where: tuple[str, ...]
    snippet: str
    score: float

    @property
    def where_label(self) -> str:
        """``spørgsmål 2, svar 2`` – where in the case the words were found."""
        return ", ".join(self.where)


@dataclass(frozen=True)
class Suggestion:
    """An earlier question similar to the one being written, with its answer."""

    case_id: int
    case_number: str
    received_on: dt.date
    asker: str
    administration: str
    administration_name: str
    subject: str
    question_number: int
    question: str
    answer: str
    score: float


def _backend(session: Session) -> ModuleType:
    dialect = session.get_bind().dialect.name
    return sqlite_backend if dialect == "sqlite" else postgres_backend


def snippet_segments(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, highlighted) pieces, for views that draw it."""
    pieces: list[tuple[str, bool]] = []
    for part in re.split(f"({HL_START}[^{HL_END}]*{HL_END})", snippet):
        if not part:
            continue
        if part.startswith(HL_START):
            pieces.append((part[1:-1], True))
        else:
            pieces.append((part.replace(HL_START, "").replace(HL_END, ""), False))
    return pieces


def _one_line(snippet: str) -> str:
    return " ".join(snippet.split())


def _question_hits_py(
    session: Session, terms: Sequence[Term], ids: Sequence[int]
) -> dict[int, list[tuple[int, bool, bool]]]:
    """Which questions and answers contain every term (SQLite tokenizer rules)."""
    patterns = [re.compile(t.pattern()) for t in terms]

    def hit(value: str) -> bool:
        lowered = value.lower()
        return bool(lowered) and any(p.search(lowered) for p in patterns)

    result: dict[int, list[tuple[int, bool, bool]]] = {}
    rows = session.execute(
        select(Question.case_id, Question.number, Question.text, Question.answer)
        .where(Question.case_id.in_(list(ids)))
        .order_by(Question.case_id, Question.position)
    )
    for case_id, number, question, answer in rows:
        result.setdefault(case_id, []).append((number, hit(question), hit(answer)))
    return result


def _where(columns: dict[str, str], questions: list[tuple[int, bool, bool]]) -> tuple[str, ...]:
    marked = {name for name, value in columns.items() if HL_START in (value or "")}
    labels: list[str] = []
    if "subject" in marked:
        labels.append("emne")
    labels += [f"spørgsmål {n}" for n, in_text, _ in questions if in_text]
    answer_labels = [f"svar {n}" for n, _, in_answer in questions if in_answer]
    labels += answer_labels
    if "answers" in marked and not answer_labels:
        labels.append("generelt svar")
    if "questions" in marked and not any(q[1] for q in questions):
        labels.append("spørgsmål")
    labels += [COLUMN_LABELS[c] for c in ("asker", "notes") if c in marked]
    return tuple(labels)


def _case_details(session: Session, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    query = (
        select(
            Case.id,
            Case.case_number,
            Case.subject,
            Asker.name,
            Party.letter,
            Administration.code,
            Administration.name,
            Case.received_on,
            Case.status,
        )
        .join(Asker, Asker.id == Case.asker_id)
        .outerjoin(Party, Party.id == Asker.party_id)
        .join(Administration, Administration.id == Case.administration_id)
        .where(Case.id.in_(list(ids)))
    )
    return {row[0]: tuple(row) for row in session.execute(query)}


def search_cases(
    session: Session, text: str, *, limit: int = DEFAULT_LIMIT, prefix_last: bool = True
) -> list[SearchHit]:
    """The best ``limit`` cases containing every word of ``text``, best first.

    Searches subject, questions, answers, asker and notes. Case-insensitive for æ, ø and
    å too; "år" and "ar" are different words; the last word (or one ending in ``*``) is a
    prefix. A case number ("2024-0042") finds that case first.
    """
    terms = parse_query(text, prefix_last=prefix_last)
    if not terms:
        return []
    backend = _backend(session)
    ranked = backend.rank(session, terms, limit)
    exact = text.strip()
    if CASE_NUMBER_RE.match(exact):
        found = session.scalar(select(Case.id).where(Case.case_number == exact))
        if found is not None:
            own = backend.snippets(session, terms, [found]).get(found, {})
            others = [r for r in ranked if r[0] != found][: limit - 1]
            ranked = [(found, float("inf"), own), *others]
    ids = [case_id for case_id, _, _ in ranked]
    if not ids:
        return []
    columns = {case_id: cols for case_id, _, cols in ranked}
    if backend is postgres_backend:
        questions = postgres_backend.question_hits(session, terms, ids)
    else:
        questions = _question_hits_py(session, terms, ids)
    details = _case_details(session, ids)
    hits: list[SearchHit] = []
    for case_id, score, _cols in ranked:
        if case_id not in details:
            continue
        _, number, subject, name, letter, code, _admin_name, received, status = details[case_id]
        cols = columns.get(case_id, {})
        where = _where(cols, questions.get(case_id, []))
        snippet = next((cols[c] for c in SNIPPET_ORDER if HL_START in (cols.get(c) or "")), "")
        if score == float("inf"):
            where = ("sagsnr.", *where)
        hits.append(
            SearchHit(
                case_id=case_id,
                case_number=number,
                subject=subject,
                asker=f"{name} ({letter})" if letter else name,
                administration=code,
                received_on=received,
                status=status,
                where=where,
                snippet=_one_line(snippet or cols.get("questions", "") or ""),
                score=score,
            )
        )
    return hits


MAX_SIMILAR_WORDS = 10
# A word found in more than this share of the cases says little about the subject.
COMMON_SHARE = 0.2
CANDIDATES = 40


def _informative_words(session: Session, text: str) -> list[str]:
    """The words of a question worth searching for, rarest first."""
    seen = [w for w in dict.fromkeys(words(text)) if len(w) > 2 and w not in STOPWORDS]
    seen = [w for w in seen if not w.isdigit()] or seen
    if not seen:
        return []
    backend = _backend(session)
    counts, total = backend.document_frequencies(session, seen)
    if not total:
        return sorted(seen, key=len, reverse=True)[:MAX_SIMILAR_WORDS]
    known = [w for w in seen if counts.get(w, 0) > 0]
    useful = [w for w in known if counts[w] <= total * COMMON_SHARE] or known
    return sorted(useful, key=lambda w: counts[w])[:MAX_SIMILAR_WORDS]


def similar_questions(
    session: Session,
    question: str,
    *,
    subject: str = "",
    exclude_case_id: int | None = None,
    limit: int = 8,
) -> list[Suggestion]:
    """Earlier questions most like ``question`` (and ``subject``), with their answers.

    Ranks cases by their questions and subject, then shows per case the question that
    shares most words with the new one. Only questions that have an answer are offered.
    """
    chosen = _informative_words(session, f"{subject}\n{question}")
    if not chosen:
        return []
    ranked = _backend(session).rank_any(session, chosen, CANDIDATES, exclude_case_id)
    if not ranked:
        return []
    ids = [case_id for case_id, _ in ranked]
    rows = session.execute(
        select(Question.case_id, Question.number, Question.text, Question.answer)
        .where(Question.case_id.in_(ids))
        .order_by(Question.case_id, Question.position)
    ).all()
    general = dict(
        session.execute(select(Case.id, Case.general_answer).where(Case.id.in_(ids))).all()
    )
    wanted = set(chosen)
    best: dict[int, tuple[int, int, str, str]] = {}
    for case_id, number, text_, answer in rows:
        answer = answer.strip() or (general.get(case_id) or "").strip()
        if not answer:
            continue
        overlap = len(wanted & set(words(text_)))
        if case_id not in best or overlap > best[case_id][0]:
            best[case_id] = (overlap, number, text_, answer)
    details = _case_details(session, [i for i in ids if i in best])
    result: list[Suggestion] = []
    for case_id, score in ranked:
        if case_id not in best or case_id not in details:
            continue
        _, number, subj, name, letter, code, admin_name, received, _status = details[case_id]
        _overlap, q_number, q_text, answer = best[case_id]
        result.append(
            Suggestion(
                case_id=case_id,
                case_number=number,
                received_on=received,
                asker=f"{name} ({letter})" if letter else name,
                administration=code,
                administration_name=admin_name,
                subject=subj,
                question_number=q_number,
                question=q_text,
                answer=answer,
                score=score,
            )
        )
        if len(result) >= limit:
            break
    return result
