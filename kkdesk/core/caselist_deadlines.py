"""The case list's deadline filters: "Overskredne", "Frist denne uge", "Til godkendelse",
"Mine sager", and cases answered in a period (the dashboard's charts lead there).

They are plain conditions on stored columns (``Case.deadline`` is derived and stored,
see ``kkdesk.core.deadlines``), so they run as indexed queries in the database.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Select, func, or_, select

from kkdesk.core.models import Case, Officer
from kkdesk.core.vocab import OPEN_STATUSES

if TYPE_CHECKING:
    from kkdesk.core.caselist import CaseFilter

QUICK_FILTERS: Final = {
    "overdue": "Overskredne",
    "due_this_week": "Frist denne uge",
    "awaiting_approval": "Til godkendelse",
    "mine": "Mine sager",
}
# The clock does not run while a case is "sat i bero": it is never overdue.
RUNNING: Final = sorted(OPEN_STATUSES - {"i_bero"})


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week ``day`` is in."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def officer_ids_of(user: str) -> Select[Any]:
    """Officers a login name may be: by initials, e-mail name or full name (any case)."""
    login = user.strip().lower()
    return select(Officer.id).where(
        or_(
            func.lower(Officer.initials) == login,
            func.lower(Officer.email).like(f"{login}@%"),
            func.lower(Officer.name) == login,
        )
    )


def deadline_filters(query: Select[Any], flt: CaseFilter) -> Select[Any]:
    """``query`` narrowed by the quick filter and the answered period of ``flt``."""
    today = flt.today or dt.date.today()
    if flt.quick == "overdue":
        query = query.where(Case.status.in_(RUNNING), Case.deadline < today)
    elif flt.quick == "due_this_week":
        monday, sunday = week_of(today)
        query = query.where(Case.status.in_(RUNNING), Case.deadline.between(monday, sunday))
    elif flt.quick == "awaiting_approval":
        query = query.where(Case.status == "til_godkendelse")
    elif flt.quick == "mine":
        query = query.where(
            Case.status.in_(sorted(OPEN_STATUSES)),
            or_(Case.officer_id.in_(officer_ids_of(flt.user)), Case.created_by == flt.user),
        )
    elif flt.quick:
        raise ValueError(f"unknown quick filter {flt.quick!r}")
    if flt.answered_from is not None:
        query = query.where(Case.answered_on >= flt.answered_from)
    if flt.answered_to is not None:
        query = query.where(Case.answered_on <= flt.answered_to)
    return query
