"""PostgreSQL: the table ``case_fts_doc`` with a ``danish`` tsvector and a GIN index
(migration 0006_search), ranked by ``ts_rank`` with ``ts_headline`` snippets."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.core.search.query import HL_END, HL_START, Term

COLUMNS = ("subject", "questions", "answers", "asker", "notes")
HEADLINE_OPTIONS = (
    f"StartSel={HL_START}, StopSel={HL_END}, MaxWords=16, MinWords=6, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# Query terms are folded like the document (see case_fts_fold in the migration).
_QUERY = "to_tsquery('danish', case_fts_fold(:q))"
# ts_rank must read (detoast) every candidate's tsvector: a word found in 60,000 cases
# costs a second. Like SQLite's bm25 window, rank only the newest 4,000 matches of such
# words (fewer than SQLite: reading a tsvector costs more than an FTS5 doclist entry).
RANK_WINDOW = 4000
_WINDOWED = (
    # The inner query reads only ids from the GIN index's bitmap; the tsvectors are read
    # for the window's cases alone.
    "SELECT d.case_id, ts_rank(d.document, q.query, 1) AS score FROM "
    f"(SELECT d0.case_id FROM case_fts_doc d0, {_QUERY} AS q0(query) "
    "WHERE d0.document @@ q0.query AND d0.case_id <> :x "
    "ORDER BY d0.case_id DESC LIMIT :w) m "
    f"JOIN case_fts_doc d ON d.case_id = m.case_id, {_QUERY} AS q(query) "
    "ORDER BY score DESC, d.case_id DESC LIMIT :n"
)


def tsquery(terms: Sequence[Term]) -> str:
    return " & ".join(f"({t.tsquery()})" for t in terms)


def rank(
    session: Session, terms: Sequence[Term], limit: int
) -> list[tuple[int, float, dict[str, str]]]:
    """The best ``limit`` cases with every term: (id, score, snippet per column)."""
    rows = session.execute(
        text(_WINDOWED), {"q": tsquery(terms), "n": limit, "w": RANK_WINDOW, "x": -1}
    )
    ranked = [(int(row[0]), float(row[1])) for row in rows]
    found = snippets(session, terms, [case_id for case_id, _ in ranked])
    return [(case_id, score, found.get(case_id, {})) for case_id, score in ranked]


def snippets(
    session: Session, terms: Sequence[Term], ids: Sequence[int]
) -> dict[int, dict[str, str]]:
    """Per case, a highlighted snippet of each column (no marks where it has no hit)."""
    if not ids:
        return {}
    columns = ", ".join(
        f"CASE WHEN to_tsvector('danish', case_fts_fold(d.{c})) @@ q.query "
        f"THEN ts_headline('danish', d.{c}, q.query, :opts) ELSE left(d.{c}, 200) END"
        for c in COLUMNS
    )
    rows = session.execute(
        text(
            f"SELECT d.case_id, {columns} FROM case_fts_doc d, {_QUERY} AS q(query) "
            "WHERE d.case_id = ANY(:ids)"
        ),
        {"q": tsquery(terms), "ids": list(ids), "opts": HEADLINE_OPTIONS},
    )
    return {int(row[0]): dict(zip(COLUMNS, row[1:], strict=True)) for row in rows}


def question_hits(
    session: Session, terms: Sequence[Term], ids: Sequence[int]
) -> dict[int, list[tuple[int, bool, bool]]]:
    """Per case, (question number, hit in the question, hit in the answer)."""
    rows = session.execute(
        text(
            "SELECT qu.case_id, qu.number, "
            "to_tsvector('danish', case_fts_fold(qu.text)) @@ q.query, "
            "to_tsvector('danish', case_fts_fold(qu.answer)) @@ q.query "
            f"FROM question qu, {_QUERY} AS q(query) WHERE qu.case_id = ANY(:ids) "
            "ORDER BY qu.case_id, qu.position"
        ),
        {"q": tsquery(terms), "ids": list(ids)},
    )
    result: dict[int, list[tuple[int, bool, bool]]] = {}
    for case_id, number, in_text, in_answer in rows:
        result.setdefault(int(case_id), []).append((int(number), bool(in_text), bool(in_answer)))
    return result


def document_frequencies(session: Session, words: Sequence[str]) -> tuple[dict[str, int], int]:
    """PostgreSQL has no cheap per-word counts: every word counts as informative."""
    return {}, 0


def rank_any(
    session: Session, words: Sequence[str], limit: int, exclude_case_id: int | None
) -> list[tuple[int, float]]:
    """Cases whose questions, subject or answers contain any of ``words``, best first."""
    if not words:
        return []
    # No weight filter (':AB') here: it would make PostgreSQL recheck every match against
    # its tsvector; the ranking weights favour subject and questions anyway.
    query = " | ".join(f"'{w}'" for w in words)
    rows = session.execute(
        text(_WINDOWED), {"q": query, "n": limit, "w": RANK_WINDOW, "x": exclude_case_id or -1}
    )
    return [(int(row[0]), float(row[1])) for row in rows]
