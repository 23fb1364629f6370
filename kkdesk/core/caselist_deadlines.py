"""The case list's deadline filters: "Overskredne", "Frist denne uge", "Til godkendelse",
"Mine sager", and cases answered in a period (the dashboard's charts lead there).

They are plain conditions on stored columns (``Case.deadline`` is derived and stored,
see ``kkdesk.core.deadlines``), so they run as indexed queries in the database.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

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


def officer_ids_of(session: Session, user: str) -> list[int]:
    """Officers a login name may be: by initials, e-mail name or full name.

    Compared case-folded in Python (SQLite's ``lower()`` folds ASCII only, and "IØ"
    must match "iø"); the officer register is small.
    """
    login = user.strip().casefold()
    if not login:
        return []
    found: list[int] = []
    for officer_id, initials, email, name in session.execute(
        select(Officer.id, Officer.initials, Officer.email, Officer.name)
    ):
        mail_name = (email or "").casefold().partition("@")[0]
        if login in ((initials or "").casefold(), mail_name, name.casefold()):
            found.append(officer_id)
    return found


def deadline_filters(session: Session, query: Select[Any], flt: CaseFilter) -> Select[Any]:
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
            or_(
                Case.officer_id.in_(officer_ids_of(session, flt.user)),
                Case.created_by == flt.user,
            ),
        )
    elif flt.quick:
        raise ValueError(f"unknown quick filter {flt.quick!r}")
    if flt.answered_from is not None:
        query = query.where(Case.answered_on >= flt.answered_from)
    if flt.answered_to is not None:
        query = query.where(Case.answered_on <= flt.answered_to)
    return query
