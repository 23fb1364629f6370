"""The overview figures: what is open, overdue, due this week and awaiting approval, and
per administration how fast and how often on time the answers came.

"The last 12 months" are the current calendar month and the 11 before it, so the table
and the per-month charts count the same cases. Days to answer are working days from the
(earliest) received date to the answered date; "on time" is answered no later than the
deadline (cases answered without a deadline are left out of the percentage).

Two queries: one over the open cases (the ``status`` index) and one over the cases
answered in the period (the ``answered_on`` index); the rest is arithmetic on at most a
year's answered cases.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kkdesk.core.calendar import WorkCalendar, load_calendar
from kkdesk.core.caselist_deadlines import RUNNING, week_of
from kkdesk.core.models import Administration, Case
from kkdesk.core.vocab import OPEN_STATUSES

MONTHS = 12


@dataclass
class AdminFigures:
    """One administration's row of the overview."""

    administration_id: int
    code: str
    name: str
    open: int = 0
    overdue: int = 0
    due_this_week: int = 0
    awaiting_approval: int = 0
    answered: int = 0  # in the period
    median_days: float | None = None  # working days from receipt to answer
    on_time_pct: float | None = None
    _days: list[int] = field(default_factory=list, repr=False)
    _judged: int = field(default=0, repr=False)
    _on_time: int = field(default=0, repr=False)


@dataclass(frozen=True)
class MonthFigures:
    """Cases answered in one calendar month."""

    month: dt.date  # the first day of the month
    answered: int
    on_time: int
    judged: int  # answered cases that had a deadline

    @property
    def on_time_pct(self) -> float | None:
        return 100.0 * self.on_time / self.judged if self.judged else None


@dataclass(frozen=True)
class Dashboard:
    """Everything the overview tab, ``kkdesk stats`` and the PDF show."""

    today: dt.date
    period_from: dt.date
    open: int
    overdue: int
    due_this_week: int
    awaiting_approval: int
    answered: int
    median_days: float | None
    on_time_pct: float | None
    administrations: list[AdminFigures]
    months: list[MonthFigures]

    def as_json(self) -> dict[str, Any]:
        """Plain JSON-ready data (ISO dates) for ``kkdesk stats --json``."""
        return {
            "today": self.today.isoformat(),
            "period_from": self.period_from.isoformat(),
            "open": self.open,
            "overdue": self.overdue,
            "due_this_week": self.due_this_week,
            "awaiting_approval": self.awaiting_approval,
            "answered": self.answered,
            "median_days_to_answer": self.median_days,
            "on_time_pct": _round(self.on_time_pct),
            "administrations": [
                {
                    k: (_round(v) if k == "on_time_pct" else v)
                    for k, v in asdict(a).items()
                    if not k.startswith("_")
                }
                for a in self.administrations
            ],
            "months": [
                {
                    "month": m.month.isoformat()[:7],
                    "answered": m.answered,
                    "on_time": m.on_time,
                    "with_deadline": m.judged,
                    "on_time_pct": _round(m.on_time_pct),
                }
                for m in self.months
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def month_start(day: dt.date, back: int = 0) -> dt.date:
    """The first day of the month ``back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def build(
    session: Session, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> Dashboard:
    """The overview as of ``today`` (default: today)."""
    today = today or dt.date.today()
    calendar = calendar or load_calendar(session)
    period_from = month_start(today, MONTHS - 1)
    admins: dict[int, AdminFigures] = {}
    for admin_id, code, name, active in session.execute(
        select(
            Administration.id, Administration.code, Administration.name, Administration.active
        ).order_by(Administration.code)
    ):
        admins[admin_id] = AdminFigures(admin_id, code, name)
        if not active:
            admins[admin_id].name += " (inaktiv)"

    monday, sunday = week_of(today)
    running = Case.status.in_(RUNNING)
    counts = (
        select(
            Case.administration_id,
            func.count(),
            func.sum(case((running & (Case.deadline < today), 1), else_=0)),
            func.sum(case((running & Case.deadline.between(monday, sunday), 1), else_=0)),
            func.sum(case((Case.status == "til_godkendelse", 1), else_=0)),
        )
        .where(Case.status.in_(sorted(OPEN_STATUSES)))
        .group_by(Case.administration_id)
    )
    for admin_id, opened, overdue, this_week, approval in session.connection().execute(counts):
        figures = admins[admin_id]
        figures.open, figures.overdue = opened, int(overdue or 0)
        figures.due_this_week, figures.awaiting_approval = int(this_week or 0), int(approval or 0)

    months = {month_start(today, back): [0, 0, 0] for back in range(MONTHS)}
    all_days: list[int] = []
    answered = select(
        Case.administration_id, Case.received_on, Case.answered_on, Case.deadline
    ).where(Case.answered_on >= period_from, Case.answered_on <= today)
    between = calendar.working_days_between
    # Core execution: a year's answered cases need no ORM row processing.
    for admin_id, received, answered_on, deadline in session.connection().execute(answered):
        assert answered_on is not None  # the query asks for answered cases
        figures = admins[admin_id]
        days = max(between(received, answered_on), 0)
        figures.answered += 1
        figures._days.append(days)
        all_days.append(days)
        bucket = months[answered_on.replace(day=1)]
        bucket[0] += 1
        if deadline is not None:
            good = answered_on <= deadline
            figures._judged += 1
            figures._on_time += good
            bucket[1] += good
            bucket[2] += 1
    for figures in admins.values():
        figures.median_days = _median(figures._days)
        if figures._judged:
            figures.on_time_pct = 100.0 * figures._on_time / figures._judged
    judged = sum(a._judged for a in admins.values())
    on_time = sum(a._on_time for a in admins.values())
    return Dashboard(
        today=today,
        period_from=period_from,
        open=sum(a.open for a in admins.values()),
        overdue=sum(a.overdue for a in admins.values()),
        due_this_week=sum(a.due_this_week for a in admins.values()),
        awaiting_approval=sum(a.awaiting_approval for a in admins.values()),
        answered=len(all_days),
        median_days=_median(all_days),
        on_time_pct=100.0 * on_time / judged if judged else None,
        administrations=list(admins.values()),
        months=[MonthFigures(m, *v) for m, v in sorted(months.items())],
    )


def format_pct(value: float | None) -> str:
    """``87 %`` (Danish spacing), ``–`` when there is nothing to measure."""
    return "–" if value is None else f"{value:.0f} %"


def format_days(value: float | None) -> str:
    """``7`` or ``7,5`` working days, ``–`` when there is nothing to measure."""
    if value is None:
        return "–"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
