"""Reminders: which open cases are due soon or overdue, and the e-mail that says so.

``due_cases`` lists open cases whose clock runs and whose deadline is within two working
days or past, or whose internal deadline (the unit's draft) is today or past.
``write_reminder`` writes an .eml file that Outlook opens as a draft ready to send
(``X-Unsent: 1``) to the case officer, stating the real deadline with weekday and date
and quoting the questions; the reminder is recorded in the case's history.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kkdesk.core import paths
from kkdesk.core.calendar import WorkCalendar, days_text, load_calendar
from kkdesk.core.caselist_deadlines import RUNNING
from kkdesk.core.cases import asker_label, load_case
from kkdesk.core.dates import weekday_date
from kkdesk.core.deadlines import SOON_WORKING_DAYS
from kkdesk.core.models import Administration, Case, CaseEvent, Officer, Unit, utcnow


@dataclass(frozen=True)
class DueCase:
    """One case the reminder list shows."""

    id: int
    case_number: str
    subject: str
    administration: str
    unit: str
    officer: str
    officer_email: str
    status: str
    deadline: dt.date | None
    internal_deadline: dt.date | None
    state: str  # "overdue", "soon" or "internal" (only the internal deadline is due)
    days_left: int  # working days to the deadline (negative: overdue)


def due_cases(
    session: Session,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    within: int = SOON_WORKING_DAYS,
) -> list[DueCase]:
    """Open cases due within ``within`` working days or overdue: the soon-due first,
    then those past only their internal deadline, then the overdue ones, most recently
    overdue first (a case forgotten for years should not hide this week's)."""
    today = today or dt.date.today()
    calendar = calendar or load_calendar(session)
    limit = calendar.add_working_days(today, within)
    query = (
        select(
            Case.id,
            Case.case_number,
            Case.subject,
            Administration.code,
            Unit.name,
            Officer.name,
            Officer.email,
            Case.status,
            Case.deadline,
            Case.internal_deadline,
        )
        .join(Administration, Administration.id == Case.administration_id)
        .outerjoin(Unit, Unit.id == Case.unit_id)
        .outerjoin(Officer, Officer.id == Case.officer_id)
        .where(
            Case.status.in_(RUNNING),
            or_(Case.deadline <= limit, Case.internal_deadline <= today),
        )
        .order_by(Case.deadline, Case.year, Case.seq)
    )
    found: list[DueCase] = []
    for row in session.execute(query):
        case_id, number, subject, admin, unit, officer, email, status, deadline, internal = row
        left = calendar.working_days_between(today, deadline) if deadline else 0
        if deadline is not None and deadline < today:
            state = "overdue"
            left = min(left, -1)  # past a Friday deadline on Saturday is still overdue
        elif deadline is not None and deadline <= limit:
            state = "soon"
        else:
            state = "internal"
        found.append(
            DueCase(case_id, number, subject, admin, unit or "", officer or "", email or "",
                    status, deadline, internal, state, left)
        )  # fmt: skip
    rank = {"soon": 0, "internal": 1, "overdue": 2}
    found.sort(key=lambda c: (rank[c.state], c.days_left if c.state != "overdue" else -c.days_left))
    return found


def summary(cases: list[DueCase]) -> str:
    """``2 sager har overskredet fristen, 3 har frist inden for 2 arbejdsdage.``"""
    overdue = sum(c.state == "overdue" for c in cases)
    soon = sum(c.state == "soon" for c in cases)
    internal = sum(c.state == "internal" for c in cases)
    parts = []
    if overdue:
        parts.append(f"{overdue} {'sag har' if overdue == 1 else 'sager har'} overskredet fristen")
    if soon:
        parts.append(f"{soon} har frist inden for {days_text(SOON_WORKING_DAYS)}")
    if internal:
        parts.append(f"{internal} har passeret den interne frist")
    return (", ".join(parts) + ".") if parts else "Ingen sager har frist inden for de næste dage."


def _deadline_sentence(deadline: dt.date | None, today: dt.date, calendar: WorkCalendar) -> str:
    if deadline is None:
        return "Sagen har ingen svarfrist."
    if deadline < today:
        late = max(calendar.working_days_between(deadline, today), 1)
        return f"Svarfristen var {weekday_date(deadline)} og er overskredet med {days_text(late)}."
    left = calendar.working_days_between(today, deadline)
    if left == 0:
        return f"Svarfristen er i dag, {weekday_date(deadline)}."
    return f"Svarfristen er {weekday_date(deadline)} – om {days_text(left)}."


def reminder_message(
    session: Session, case_id: int, sender: str, today: dt.date | None = None
) -> EmailMessage:
    """The reminder e-mail for one case (a draft for Outlook: ``X-Unsent: 1``)."""
    today = today or dt.date.today()
    calendar = load_calendar(session)
    case = load_case(session, case_id)
    officer = case.officer
    message = EmailMessage(policy=SMTP)
    if officer is not None and officer.email:
        message["To"] = formataddr((officer.name, officer.email))
    when = weekday_date(case.deadline) if case.deadline else "uden frist"
    message["Subject"] = f"Rykker: sag {case.case_number} – svarfrist {when}"
    message["X-Unsent"] = "1"
    greeting = f"Kære {officer.name}" if officer is not None else "Kære kollega"
    unit = f" ({case.unit.name})" if case.unit else ""
    lines = [
        greeting,
        "",
        f"Sag {case.case_number} vedrørende {case.subject} fra {asker_label(case.asker)} "
        f"er fordelt til {case.administration.name}{unit}.",
        _deadline_sentence(case.deadline, today, calendar),
    ]
    if case.internal_deadline is not None:
        verb = "var" if case.internal_deadline < today else "er"
        lines.append(
            f"Den interne frist for jeres udkast til svar {verb} "
            f"{weekday_date(case.internal_deadline)}."
        )
    lines += ["", "Spørgsmålene:"]
    for question in case.questions:
        text = " ".join(question.text.split())
        lines.append(f"{question.number}. {text}")
    lines += [
        "",
        "Send venligst jeres udkast til sekretariatet hurtigst muligt, eller giv besked, "
        "hvis der er brug for en fristforlængelse.",
        "",
        "Med venlig hilsen",
        sender,
    ]
    message.set_content("\n".join(lines) + "\n")
    return message


def _file_name(case_number: str, now: dt.datetime) -> str:
    safe = re.sub(r"[^0-9A-Za-z-]", "_", case_number)
    return f"rykker-{safe}-{now:%Y%m%d-%H%M%S}.eml"


def default_folder() -> Path:
    """Where reminders are written unless the user chose another folder."""
    folder = paths.data_dir() / "rykkere"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_reminder(
    session: Session,
    case_id: int,
    user: str,
    folder: Path | None = None,
    today: dt.date | None = None,
) -> Path:
    """Write the reminder .eml and record it on the case; returns the file."""
    message = reminder_message(session, case_id, user, today)
    case = load_case(session, case_id)
    folder = folder or default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now()
    target = folder / _file_name(case.case_number, now)
    target.write_bytes(bytes(message))
    recipient = message["To"] or "(ingen modtager – udfyldes i Outlook)"
    case.history.append(
        CaseEvent(
            user=user,
            action="rykker",
            comment=f"Rykker til {recipient}: {message['Subject']}",
        )
    )
    case.updated_at = utcnow()
    case.updated_by = user
    session.flush()
    return target
