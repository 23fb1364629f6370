"""The case list: filtered, sorted case ids and the rows for the visible part.

The list keeps only ids (a 100,000-case register is ~1 MB of ints) and fetches the
columns of the rows on screen in blocks, so sorting and filtering run in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session

from kkdesk.core.caselist_deadlines import deadline_filters
from kkdesk.core.models import Administration, Asker, Case, Party

COLUMNS = (
    "case_number",
    "subject",
    "asker",
    "administration",
    "received",
    "status",
    "deadline",
    "internal_deadline",
    "days_left",
)


@dataclass(frozen=True)
class CaseFilter:
    """What the list shows. Empty sets mean "all".

    ``quick`` is one of ``kkdesk.core.caselist_deadlines.QUICK_FILTERS`` ("overdue",
    "due_this_week", "awaiting_approval", "mine"); ``answered_from``/``answered_to``
    (inclusive) limit to cases answered in that period; ``user`` is who "mine" means
    and ``today`` the day "overdue" is measured on (None: today).
    """

    statuses: frozenset[str] = frozenset()
    administration_ids: frozenset[int] = frozenset()
    text: str = ""
    quick: str = ""
    answered_from: dt.date | None = None
    answered_to: dt.date | None = None
    user: str = ""
    today: dt.date | None = None


@dataclass(frozen=True)
class CaseSort:
    column: str = "case_number"
    descending: bool = True


@dataclass(frozen=True)
class CaseRow:
    id: int
    case_number: str
    subject: str
    asker: str
    administration: str
    received_on: dt.date
    status: str
    extra: dict[str, Any] = field(default_factory=dict)
    deadline: dt.date | None = None
    internal_deadline: dt.date | None = None
    answered_on: dt.date | None = None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


TRIGRAM = 3  # the shortest word the trigram index can find


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _filtered(query: Select[Any], flt: CaseFilter, dialect: str) -> Select[Any]:
    if flt.statuses:
        query = query.where(Case.status.in_(sorted(flt.statuses)))
    if flt.administration_ids:
        query = query.where(Case.administration_id.in_(sorted(flt.administration_ids)))
    words = flt.text.casefold().split()
    long_words = [w for w in words if len(w) >= TRIGRAM]
    if dialect == "sqlite" and long_words:
        # Substring match through the FTS5 trigram index (migration 0002).
        match = " AND ".join(_fts_phrase(w) for w in long_words)
        query = query.where(
            Case.id.in_(
                select(text("rowid"))
                .select_from(text("case_list_search"))
                .where(text("case_list_search MATCH :match"))
            )
        ).params(match=match)
        words = [w for w in words if len(w) < TRIGRAM]
    for word in words:
        # PostgreSQL's pg_trgm GIN index serves these LIKEs; on SQLite only short words.
        query = query.where(Case.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
    return query


def _fetch_ids(session: Session, query: Select[Any]) -> list[int]:
    """Run an id query on the driver's cursor: for 100,000 rows SQLAlchemy's result
    processing would cost more than the query itself."""
    connection = session.connection()
    dialect = connection.dialect
    state = query.compile(dialect=dialect).construct_expanded_state()
    args: Any = (
        tuple(state.parameters[name] for name in state.positiontup or ())
        if dialect.positional
        else state.parameters
    )
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(state.statement, args)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


def case_ids(session: Session, flt: CaseFilter, sort: CaseSort) -> list[int]:
    """Ids of the cases matching ``flt`` in the order ``sort`` asks for."""
    dialect = session.get_bind().dialect.name
    query: Select[Any] = _filtered(select(Case.id), flt, dialect)
    query = deadline_filters(session, query, flt)
    keys: list[Any]
    if sort.column == "subject":
        keys = [Case.subject]
    elif sort.column == "asker":
        query = query.join(Asker, Asker.id == Case.asker_id)
        keys = [Asker.name]
    elif sort.column == "administration":
        query = query.join(Administration, Administration.id == Case.administration_id)
        keys = [Administration.code]
    elif sort.column == "received":
        keys = [Case.received_on]
    elif sort.column == "status":
        keys = [Case.status]
    elif sort.column in ("deadline", "days_left"):
        keys = [Case.deadline]
    elif sort.column == "internal_deadline":
        keys = [Case.internal_deadline]
    else:
        keys = []
    keys += [Case.year, Case.seq]
    order = [k.desc() if sort.descending else k.asc() for k in keys]
    if sort.column in ("deadline", "days_left", "internal_deadline"):
        # No deadline sorts as the farthest one, the same on both databases.
        order[0] = order[0].nulls_first() if sort.descending else order[0].nulls_last()
    query = query.order_by(*order)
    return _fetch_ids(session, query)


def case_rows(session: Session, ids: Sequence[int]) -> dict[int, CaseRow]:
    """The list columns of the given cases, keyed by id."""
    if not ids:
        return {}
    query = (
        select(
            Case.id,
            Case.case_number,
            Case.subject,
            Asker.name,
            Party.letter,
            Administration.code,
            Case.received_on,
            Case.status,
            Case.deadline,
            Case.internal_deadline,
            Case.answered_on,
        )
        .join(Asker, Asker.id == Case.asker_id)
        .outerjoin(Party, Party.id == Asker.party_id)
        .join(Administration, Administration.id == Case.administration_id)
        .where(Case.id.in_(list(ids)))
    )
    rows: dict[int, CaseRow] = {}
    for (
        case_id,
        number,
        subject,
        name,
        letter,
        code,
        received,
        status,
        deadline,
        internal,
        answered,
    ) in session.execute(query):
        rows[case_id] = CaseRow(
            id=case_id,
            case_number=number,
            subject=subject,
            asker=f"{name} ({letter})" if letter else name,
            administration=code,
            received_on=received,
            status=status,
            deadline=deadline,
            internal_deadline=internal,
            answered_on=answered,
        )
    return rows
