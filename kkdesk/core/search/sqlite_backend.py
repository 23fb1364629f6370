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


# Above this many matching cases, bm25 is computed for the newest ones only: scoring
# every match of a word found in most cases (60,000 of 100,000) costs ~100 ms, while the
# user will narrow such a search anyway. See docs/search.md.
RANK_WINDOW = 8000


def _snippet_columns() -> str:
    return ", ".join(
        f"snippet(case_fts, {i}, :hs, :he, '…', {SNIPPET_TOKENS})" for i in range(len(COLUMNS))
    )


def _estimate(session: Session, terms: Sequence[Term]) -> int:
    """An upper bound of the number of cases containing every term (from fts5vocab)."""
    best: int | None = None
    for term in terms:
        for word in term.words[-1:] if term.prefix else term.words:
            if term.prefix and word == term.words[-1]:
                count = session.execute(
                    text("SELECT sum(doc) FROM case_fts_vocab WHERE term >= :a AND term < :b"),
                    {"a": word, "b": word + "\U0010ffff"},
                ).scalar()
            else:
                count = session.execute(
                    text("SELECT doc FROM case_fts_vocab WHERE term = :a"), {"a": word}
                ).scalar()
            best = min(best if best is not None else int(count or 0), int(count or 0))
    return best or 0


def _ranked(
    session: Session, terms: Sequence[Term], limit: int, from_id: int
) -> list[tuple[int, float, dict[str, str]]]:
    # ORDER BY rank lets FTS5 sort internally; snippets are made for the returned rows only.
    rows = session.execute(
        text(
            f"SELECT rowid, rank, {_snippet_columns()} FROM case_fts "
            "WHERE case_fts MATCH :m AND rowid >= :from ORDER BY rank LIMIT :n"
        ),
        {"m": _match(terms), "n": limit, "from": from_id, "hs": HL_START, "he": HL_END},
    )
    return [(int(row[0]), -float(row[1]), dict(zip(COLUMNS, row[2:], strict=True))) for row in rows]


def rank(
    session: Session, terms: Sequence[Term], limit: int
) -> list[tuple[int, float, dict[str, str]]]:
    """The best ``limit`` cases with every term: (id, score, snippet per column)."""
    estimate = _estimate(session, terms)
    if estimate > RANK_WINDOW:
        low, high = session.execute(text('SELECT min(id), max(id) FROM "case"')).one()
        cutoff = int(high - (high - low) * RANK_WINDOW / estimate)
        found = _ranked(session, terms, limit, cutoff)
        if len(found) >= limit:
            return found
    return _ranked(session, terms, limit, 0)


def snippets(
    session: Session, terms: Sequence[Term], ids: Sequence[int]
) -> dict[int, dict[str, str]]:
    """Per case, a highlighted snippet of each column (no marks where it has no hit)."""
    result: dict[int, dict[str, str]] = {}
    for case_id in ids:
        row = session.execute(
            text(
                f"SELECT {_snippet_columns()} FROM case_fts WHERE case_fts MATCH :m AND rowid = :id"
            ),
            {"m": _match(terms), "id": case_id, "hs": HL_START, "he": HL_END},
        ).first()
        if row is not None:
            result[case_id] = dict(zip(COLUMNS, row, strict=True))
    return result


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
