"""SQLite: the FTS5 table ``case_fts`` (migration 0006_search), ranked by bm25.

The column weights are stored in the table's ``rank`` setting, so ``ORDER BY rank`` lets
FTS5 sort inside the index and compute snippets for the returned rows only.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from kkdesk.core.search.query import HL_END, HL_START, Term

COLUMNS = ("subject", "questions", "answers", "asker", "notes")
SNIPPET_TOKENS = 14


def _match(terms: Sequence[Term], column_filter: str = "") -> str:
    body = " AND ".join(t.fts5() for t in terms)
    return f"{column_filter} : ({body})" if column_filter else body


def rank(session: Session, terms: Sequence[Term], limit: int) -> list[tuple[int, float]]:
    """Ids and scores (higher is better) of the best ``limit`` cases with every term."""
    rows = session.execute(
        text("SELECT rowid, rank FROM case_fts WHERE case_fts MATCH :m ORDER BY rank LIMIT :n"),
        {"m": _match(terms), "n": limit},
    )
    return [(int(row[0]), -float(row[1])) for row in rows]


def snippets(
    session: Session, terms: Sequence[Term], ids: Sequence[int]
) -> dict[int, dict[str, str]]:
    """Per case, a highlighted snippet of each column (no marks where it has no hit)."""
    if not ids:
        return {}
    columns = ", ".join(
        f"snippet(case_fts, {i}, :hs, :he, '…', {SNIPPET_TOKENS})" for i in range(len(COLUMNS))
    )
    placeholders = ", ".join(str(int(i)) for i in ids)
    rows = session.execute(
        text(
            f"SELECT rowid, {columns} FROM case_fts "
            f"WHERE case_fts MATCH :m AND rowid IN ({placeholders})"
        ),
        {"m": _match(terms), "hs": HL_START, "he": HL_END},
    )
    return {int(row[0]): dict(zip(COLUMNS, row[1:], strict=True)) for row in rows}


def document_frequencies(session: Session, words: Sequence[str]) -> tuple[dict[str, int], int]:
    """How many cases contain each word, and how many cases are indexed."""
    if not words:
        return {}, 0
    params = {f"w{i}": w for i, w in enumerate(words)}
    names = ", ".join(f":{k}" for k in params)
    found = {
        str(term): int(doc)
        for term, doc in session.execute(
            text(f"SELECT term, doc FROM case_fts_vocab WHERE term IN ({names})"), params
        )
    }
    # The highest case id stands in for the number of cases (exact enough, and free).
    total = int(session.execute(text('SELECT max(id) FROM "case"')).scalar() or 0)
    return found, total


def rank_any(
    session: Session, words: Sequence[str], limit: int, exclude_case_id: int | None
) -> list[tuple[int, float]]:
    """Cases whose questions, subject or answers contain any of ``words``, best first."""
    if not words:
        return []
    body = " OR ".join(f'"{w}"' for w in words)
    rows = session.execute(
        text(
            "SELECT rowid, rank FROM case_fts WHERE case_fts MATCH :m "
            "AND rowid != :x ORDER BY rank LIMIT :n"
        ),
        {"m": f"{{questions subject}} : ({body})", "n": limit, "x": exclude_case_id or -1},
    )
    return [(int(row[0]), -float(row[1])) for row in rows]
