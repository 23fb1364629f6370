"""Full-text search over cases and "asked before" suggestions.

One service (``kkdesk.core.search.service``) with two backends: SQLite FTS5
(``sqlite_backend``) and PostgreSQL ``tsvector`` (``postgres_backend``). The index is the
search document per case kept by the triggers of migration 0006_search.
"""

from kkdesk.core.search.query import HL_END, HL_START, Term, parse_query
from kkdesk.core.search.service import (
    SearchHit,
    Suggestion,
    search_cases,
    similar_questions,
    snippet_segments,
)

__all__ = [
    "HL_END",
    "HL_START",
    "SearchHit",
    "Suggestion",
    "Term",
    "parse_query",
    "search_cases",
    "similar_questions",
    "snippet_segments",
]
