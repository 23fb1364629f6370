"""Deadlines: rules per kind of inquiry, derived deadlines, override, extension, pauses.

A case's deadline is *derived*: the kind's rule (N working days after the earliest
received date), plus extensions, with the days "sat i bero" not counted, on the
calendar of ``kkdesk.core.calendar`` — unless someone set it by hand (with a reason).
The internal deadline for the unit's draft is the kind's ``internal_days`` working days
before it.

The result is stored on the case (``Case.deadline``/``internal_deadline``) so the list
sorts and filters by it in the database. Stored values stay derived: every change of a
rule or of the calendar recomputes the open cases in the same transaction, and records
the change in their history; cases that are answered, forwarded or cancelled keep the
deadline they had (it was frozen when they left the open statuses).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from kkdesk.core.calendar import (
    OPTIONAL_BY_KEY,
    SWITCHES_KEY,
    WorkCalendar,
    days_text,
    dump_switches,
    load_calendar,
    load_settings,
    short_day,
)
from kkdesk.core.dates import long_date, weekday_date
from kkdesk.core.drafts import CaseDraft
from kkdesk.core.errors import FieldError, KnownError, NotFoundError, ValidationError
from kkdesk.core.models import (
    AppSetting,
    Case,
    CaseEvent,
    CasePause,
    ClosingDay,
    DeadlineExtension,
    InquiryKind,
    utcnow,
)
from kkdesk.core.vocab import OPEN_STATUSES

MAX_RULE_DAYS = 250
SOON_WORKING_DAYS = 2  # "due within two working days" is shown in amber


# --- rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How long a kind of inquiry may take, in working days (0: no deadline)."""

    kind_code: str
    name: str
    days: int
    internal_days: int


def rules(session: Session) -> dict[str, Rule]:
    """Every kind's rule, by kind code."""
    return {
        k.code: Rule(k.code, k.name, k.deadline_days, k.internal_days)
        for k in session.scalars(select(InquiryKind).order_by(InquiryKind.name))
    }


def rule_for(session: Session, kind_code: str) -> Rule:
    """The rule of one kind, or ``NotFoundError``."""
    kind = session.get(InquiryKind, kind_code)
    if kind is None:
        raise NotFoundError(f"'{kind_code}' er ikke en kendt type henvendelse.")
    return Rule(kind.code, kind.name, kind.deadline_days, kind.internal_days)


def validate_rule(days: int, internal_days: int) -> list[FieldError]:
    """Danish messages for an impossible rule."""
    errors: list[FieldError] = []
    if not 0 <= days <= MAX_RULE_DAYS:
        errors.append(
            FieldError("Svarfrist", f"skal være mellem 0 og {MAX_RULE_DAYS} arbejdsdage.")
        )
    if internal_days < 0:
        errors.append(FieldError("Intern frist", "kan ikke være negativ."))
    elif days and internal_days >= days:
        errors.append(
            FieldError("Intern frist", f"skal ligge før svarfristen (højst {days - 1} dage før).")
        )
    return errors


# --- the computation ----------------------------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """Everything a case's deadline is derived from."""

    received: dt.date
    days: int
    internal_days: int
    extensions: tuple[tuple[int, str], ...] = ()  # (working days, reason)
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = ()  # [from, to); to None: open
    override: dt.date | None = None
    override_reason: str = ""

    @property
    def total_days(self) -> int:
        return self.days + sum(days for days, _reason in self.extensions)

    @property
    def open_pause(self) -> dt.date | None:
        """Since when the clock is stopped, if it is."""
        return next((start for start, end in self.pauses if end is None), None)


@dataclass(frozen=True)
class Result:
    """A computed deadline; ``computed`` ignores a manual override."""

    deadline: dt.date | None
    internal_deadline: dt.date | None
    computed: dt.date | None


def compute(basis: Basis, calendar: WorkCalendar) -> Result:
    """The deadline and internal deadline the basis gives on ``calendar``."""
    computed = (
        calendar.add_with_pauses(basis.received, basis.total_days, basis.pauses)
        if basis.days > 0
        else None
    )
    deadline = basis.override or computed
    internal = None
    if deadline is not None:
        internal = max(
            calendar.subtract_working_days(deadline, basis.internal_days), basis.received
        )
    return Result(deadline, internal, computed)


def counted_days(basis: Basis, calendar: WorkCalendar, until: dt.date) -> int:
    """Working days counted after receipt up to and including ``until`` (pauses excluded)."""
    total = calendar.working_days_between(basis.received, until) if until > basis.received else 0
    for start, end in basis.pauses:
        last = min(until, (end or dt.date.max) - dt.timedelta(days=1))
        first = max(start, basis.received + dt.timedelta(days=1))
        if last >= first:
            total -= calendar.working_days_between(first - dt.timedelta(days=1), last)
    return total


def explain(basis: Basis, calendar: WorkCalendar) -> list[str]:
    """How the deadline was found, in Danish, one line per step.

    The first line reads ``Modtaget tirsdag 3. juni 2025 + 10 arbejdsdage; sprunget over:
    5. juni grundlovsdag, 9. juni 2. pinsedag → torsdag 19. juni 2025``.
    """
    result = compute(basis, calendar)
    lines: list[str] = []
    if basis.days <= 0:
        lines.append(f"Modtaget {weekday_date(basis.received)}; typen har ingen svarfrist.")
    else:
        lines.append(_explain_count(basis, calendar, result.computed))
    if basis.override is not None:
        reason = f": {basis.override_reason}" if basis.override_reason else ""
        lines.append(f"Fastsat manuelt til {weekday_date(basis.override)}{reason}.")
    if result.internal_deadline is not None:
        before = days_text(basis.internal_days)
        lines.append(
            f"Intern frist: {before} før fristen → {weekday_date(result.internal_deadline)}."
        )
    return lines


def _explain_count(basis: Basis, calendar: WorkCalendar, end: dt.date | None) -> str:
    text = f"Modtaget {weekday_date(basis.received)} + {days_text(basis.days)}"
    for days, reason in basis.extensions:
        text += f" + {days_text(days)} fristforlængelse" + (f" ({reason})" if reason else "")
    horizon = end or dt.date.today()
    for start, stop in basis.pauses:
        if stop is None:
            text += f"; sat i bero siden {weekday_date(start)}"
        elif stop > start:
            paused = calendar.working_days_between(
                start - dt.timedelta(days=1), stop - dt.timedelta(days=1)
            )
            last = stop - dt.timedelta(days=1)
            text += f"; i bero {long_date(start)}–{long_date(last)} ({days_text(paused)})"
    skipped = [
        (day, name)
        for day, name in calendar.skipped_closings(basis.received, horizon)
        if not any(s <= day < (e or dt.date.max) for s, e in basis.pauses)
    ]
    if skipped:
        text += "; sprunget over: " + ", ".join(
            f"{short_day(day, basis.received.year)} {name}" for day, name in skipped
        )
    if end is None:
        left = basis.total_days - counted_days(basis, calendar, (basis.open_pause or horizon))
        return (
            f"{text} → uret står stille ({days_text(max(left, 0))} tilbage, når sagen genoptages)"
        )
    return f"{text} → {weekday_date(end)}"


def deadline_for(
    session: Session, received: dt.date, kind_code: str = "br"
) -> tuple[dt.date | None, list[str]]:
    """The deadline of a new inquiry of ``kind_code`` received on ``received``, explained."""
    rule = rule_for(session, kind_code)
    basis = Basis(received, rule.days, rule.internal_days)
    calendar = load_calendar(session)
    return compute(basis, calendar).deadline, explain(basis, calendar)


# --- urgency ------------------------------------------------------------------------------


def urgency(
    deadline: dt.date | None, today: dt.date, calendar: WorkCalendar
) -> tuple[str, int] | None:
    """``("overdue", -n)``, ``("soon", n)`` (within two working days) or ``("ok", n)``.

    ``n`` is the number of working days left (negative: working days overdue).
    """
    if deadline is None:
        return None
    left = calendar.working_days_between(today, deadline)
    if deadline < today:
        return "overdue", min(left, -1)
    if left <= SOON_WORKING_DAYS:
        return "soon", left
    return "ok", left


def on_time(answered_on: dt.date | None, deadline: dt.date | None) -> bool | None:
    """Answered no later than the deadline (None: not answered or no deadline)."""
    if answered_on is None or deadline is None:
        return None
    return answered_on <= deadline


# --- one case -----------------------------------------------------------------------------


def basis_of(case: Case, rule: Rule | None = None) -> Basis:
    """The basis of a loaded case (its kind, extensions and pauses)."""
    days = rule.days if rule else case.kind.deadline_days
    internal = rule.internal_days if rule else case.kind.internal_days
    return Basis(
        received=case.received_on,
        days=days,
        internal_days=internal,
        extensions=tuple((e.working_days, e.reason) for e in case.extensions),
        pauses=tuple((p.paused_on, p.resumed_on) for p in case.pauses),
        override=case.deadline_override,
        override_reason=case.deadline_override_reason or "",
    )


def _date_text(day: dt.date | None) -> str:
    return long_date(day) if day else "ingen"


def refresh_case(
    session: Session,
    case: Case,
    user: str,
    reason: str,
    calendar: WorkCalendar | None = None,
    *,
    record: bool = True,
) -> bool:
    """Recompute the stored deadlines of an open case; True if they changed.

    Answered and closed cases keep theirs. A change is written to the history with
    ``reason`` unless ``record`` is False (a new case).
    """
    if case.status not in OPEN_STATUSES:
        return False
    session.flush()  # extensions and pauses just added must be visible on the case
    result = compute(basis_of(case), calendar or load_calendar(session))
    if (case.deadline, case.internal_deadline) == (result.deadline, result.internal_deadline):
        return False
    old = case.deadline
    case.deadline, case.internal_deadline = result.deadline, result.internal_deadline
    if record and old != result.deadline:
        case.history.append(
            CaseEvent(
                user=user,
                action="frist",
                field="Frist",
                old_value=_date_text(old),
                new_value=_date_text(result.deadline),
                comment=reason,
            )
        )
    return True


def start_case(session: Session, case: Case, draft: CaseDraft, user: str) -> None:
    """Give a new case its deadline state (from an import: override, extensions, pauses,
    answered date) and its derived deadlines."""
    spec = draft.deadline
    case.deadline_override = spec.override
    case.deadline_override_reason = spec.override_reason.strip() if spec.override else ""
    case.answered_on = draft.answered_on
    case.approved_by = draft.approved_by
    case.extensions = [
        DeadlineExtension(working_days=e.days, reason=e.reason.strip(), created_by=user)
        for e in spec.extensions
    ]
    pauses = [
        CasePause(
            paused_on=p.paused_on,
            resumed_on=p.resumed_on,
            reason=p.reason.strip(),
            resume_status=p.resume_status,
            created_by=user,
        )
        for p in spec.pauses
    ]
    if case.status == "i_bero" and not any(p.resumed_on is None for p in pauses):
        # Registered as paused without saying since when: the clock has not run yet.
        first = case.received_on + dt.timedelta(days=1)
        pauses.append(CasePause(paused_on=first, reason="", created_by=user))
    case.pauses = pauses
    # Also for closed cases (an imported archive): their deadline is frozen from the start.
    with session.no_autoflush:  # one INSERT, no UPDATE (which would bump the version)
        calendar = load_calendar(session)
    result = compute(basis_of(case), calendar)
    case.deadline, case.internal_deadline = result.deadline, result.internal_deadline


def _open_case(session: Session, case_id: int, expected_version: int | None) -> Case:
    from kkdesk.core.cases import load_case

    case = load_case(session, case_id)
    if expected_version is not None and case.version != expected_version:
        raise KnownError(
            f"Sag {case.case_number} er ændret af {case.updated_by or 'en kollega'}, "
            "siden du åbnede den.",
            detail="Genindlæs sagen og prøv igen.",
        )
    if case.status not in OPEN_STATUSES:
        raise KnownError(
            f"Fristen på sag {case.case_number} er låst, fordi sagen ikke længere er åben.",
            detail="Fristen på besvarede, videresendte og annullerede sager ændres ikke.",
        )
    return case


def _touch(case: Case, user: str) -> None:
    case.updated_at = utcnow()
    case.updated_by = user


def set_override(
    session: Session,
    case_id: int,
    day: dt.date | None,
    reason: str,
    user: str,
    *,
    expected_version: int | None = None,
) -> Case:
    """Set the deadline by hand (``day``) or go back to the derived one (``None``)."""
    case = _open_case(session, case_id, expected_version)
    reason = reason.strip()
    errors: list[FieldError] = []
    if day is not None and not reason:
        errors.append(FieldError("Begrundelse", "skal udfyldes, når fristen fastsættes manuelt."))
    if day is not None and day < case.received_on:
        errors.append(FieldError("Frist", "kan ikke ligge før modtagelsesdatoen."))
    if errors:
        raise ValidationError(errors, context="Fristen er ikke ændret")
    if day == case.deadline_override:
        return case
    old = case.deadline_override
    case.deadline_override = day
    case.deadline_override_reason = reason if day is not None else ""
    case.history.append(
        CaseEvent(
            user=user,
            action="frist",
            field="Manuel frist",
            old_value=_date_text(old),
            new_value=_date_text(day),
            comment=reason or "Beregnet frist bruges igen",
        )
    )
    refresh_case(session, case, user, "Manuel frist", record=False)
    _touch(case, user)
    session.flush()
    return case


def extend(
    session: Session,
    case_id: int,
    working_days: int,
    reason: str,
    user: str,
    *,
    expected_version: int | None = None,
) -> Case:
    """A fristforlængelse of ``working_days`` with a reason."""
    case = _open_case(session, case_id, expected_version)
    reason = reason.strip()
    errors: list[FieldError] = []
    if not 1 <= working_days <= MAX_RULE_DAYS:
        errors.append(FieldError("Forlængelse", f"skal være 1–{MAX_RULE_DAYS} arbejdsdage."))
    if not reason:
        errors.append(FieldError("Begrundelse", "skal udfyldes."))
    if errors:
        raise ValidationError(errors, context="Fristen er ikke forlænget")
    old = case.deadline
    case.extensions.append(
        DeadlineExtension(working_days=working_days, reason=reason, created_by=user)
    )
    refresh_case(session, case, user, "", record=False)
    case.history.append(
        CaseEvent(
            user=user,
            action="fristforlængelse",
            field="Frist",
            old_value=_date_text(old),
            new_value=_date_text(case.deadline),
            comment=f"+ {days_text(working_days)}: {reason}",
        )
    )
    _touch(case, user)
    session.flush()
    return case


def pause(session: Session, case: Case, user: str, reason: str, day: dt.date) -> None:
    """Stop the clock from ``day`` (the workflow's "Sæt i bero")."""
    case.pauses.append(
        CasePause(paused_on=day, reason=reason, resume_status=case.status, created_by=user)
    )


def open_pause(case: Case) -> CasePause | None:
    """The pause that stops the clock now, if any."""
    return next((p for p in case.pauses if p.resumed_on is None), None)


def resume(case: Case, day: dt.date) -> CasePause | None:
    """Start the clock again from ``day``; returns the pause that ended."""
    current = open_pause(case)
    if current is not None:
        current.resumed_on = max(day, current.paused_on)
    return current


# --- every open case at once ------------------------------------------------------------


@dataclass
class _OpenRow:
    id: int
    received: dt.date
    kind: str
    deadline: dt.date | None
    internal: dt.date | None
    override: dt.date | None
    extensions: list[tuple[int, str]] = field(default_factory=list)
    pauses: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)


def recompute_open(
    session: Session,
    user: str,
    reason: str,
    *,
    calendar: WorkCalendar | None = None,
    kind_codes: Iterable[str] | None = None,
) -> int:
    """Recompute the stored deadlines of every open case (of ``kind_codes``); returns
    how many changed. Each change is recorded in the case's history with ``reason``.

    Runs in the caller's transaction, so a rule or calendar change and the deadlines
    that follow from it are saved together or not at all.
    """
    session.flush()
    calendar = calendar or load_calendar(session)
    all_rules = rules(session)
    query = select(
        Case.id,
        Case.received_on,
        Case.kind_code,
        Case.deadline,
        Case.internal_deadline,
        Case.deadline_override,
    ).where(Case.status.in_(sorted(OPEN_STATUSES)))
    if kind_codes is not None:
        query = query.where(Case.kind_code.in_(sorted(set(kind_codes))))
    rows = {r[0]: _OpenRow(*r) for r in session.execute(query)}
    if not rows:
        return 0
    open_ids = query.with_only_columns(Case.id).scalar_subquery()
    for case_id, days, why in session.execute(
        select(DeadlineExtension.case_id, DeadlineExtension.working_days, DeadlineExtension.reason)
        .where(DeadlineExtension.case_id.in_(open_ids))
        .order_by(DeadlineExtension.id)
    ):
        rows[case_id].extensions.append((days, why))
    for case_id, start, end in session.execute(
        select(CasePause.case_id, CasePause.paused_on, CasePause.resumed_on)
        .where(CasePause.case_id.in_(open_ids))
        .order_by(CasePause.id)
    ):
        rows[case_id].pauses.append((start, end))
    changes: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    now = utcnow()
    for row in rows.values():
        rule = all_rules.get(row.kind)
        basis = Basis(
            row.received,
            rule.days if rule else 0,
            rule.internal_days if rule else 0,
            tuple(row.extensions),
            tuple(row.pauses),
            row.override,
        )
        result = compute(basis, calendar)
        if (row.deadline, row.internal) == (result.deadline, result.internal_deadline):
            continue
        changes.append(
            {"b_id": row.id, "b_deadline": result.deadline, "b_internal": result.internal_deadline}
        )
        if row.deadline != result.deadline:
            events.append(
                {"case_id": row.id, "at": now, "user": user, "action": "frist", "field": "Frist",
                 "old_value": _date_text(row.deadline), "new_value": _date_text(result.deadline),
                 "comment": reason}
            )  # fmt: skip
    if changes:
        # Core executemany: a derived value is not a user's edit, so the case's version
        # (optimistic lock) stays and nobody's open editor gets a conflict from it.
        table = Case.__table__
        assert isinstance(table, Table)
        session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(deadline=bindparam("b_deadline"), internal_deadline=bindparam("b_internal")),
            changes,
        )
    if events:
        session.execute(insert(CaseEvent), events)
    session.expire_all()
    return len(changes)


# --- changing the rules and the calendar --------------------------------------------------


def set_rule(session: Session, kind_code: str, days: int, internal_days: int, user: str) -> int:
    """Change a kind's rule; its open cases follow. Returns how many deadlines moved."""
    errors = validate_rule(days, internal_days)
    if errors:
        raise ValidationError(errors, context="Fristreglen er ikke gemt")
    kind = session.get(InquiryKind, kind_code)
    if kind is None:
        raise NotFoundError(f"'{kind_code}' er ikke en kendt type henvendelse.")
    if (kind.deadline_days, kind.internal_days) == (days, internal_days):
        return 0
    reason = (
        f"Fristregel for {kind.name} ændret fra {kind.deadline_days}/{kind.internal_days} "
        f"til {days}/{internal_days} arbejdsdage"
    )
    kind.deadline_days, kind.internal_days = days, internal_days
    return recompute_open(session, user, reason, kind_codes=[kind_code])


def set_closing_switch(session: Session, key: str, closed: bool, user: str) -> int:
    """Turn an optional closing day (grundlovsdag …) on or off; open cases follow."""
    if key not in OPTIONAL_BY_KEY:
        raise KnownError(f"'{key}' er ikke en kendt lukkedag.")
    settings = load_settings(session)
    if settings.is_closed(key) == closed:
        return 0
    switches = dict(settings.switches)
    switches[key] = closed
    stored = session.get(AppSetting, SWITCHES_KEY)
    if stored is None:
        session.add(AppSetting(key=SWITCHES_KEY, value=dump_switches(switches)))
    else:
        stored.value = dump_switches(switches)
    label = OPTIONAL_BY_KEY[key].label
    what = "er nu lukkedag" if closed else "er nu arbejdsdag"
    return recompute_open(session, user, f"Kalender: {label} {what}")


def add_closing_day(session: Session, day: dt.date, name: str, user: str) -> int:
    """Add one of the secretariat's own closing days; open cases follow."""
    name = " ".join(name.split())
    errors: list[FieldError] = []
    if not name:
        errors.append(FieldError("Navn", "skal udfyldes (fx 'Fredag efter Kr. himmelfart')."))
    if session.scalar(select(ClosingDay.id).where(ClosingDay.day == day)) is not None:
        errors.append(FieldError("Dato", f"{long_date(day)} er allerede en lukkedag."))
    if errors:
        raise ValidationError(errors, context="Lukkedagen er ikke tilføjet")
    session.add(ClosingDay(day=day, name=name))
    return recompute_open(session, user, f"Kalender: lukkedag {long_date(day)} ({name}) tilføjet")


def remove_closing_day(session: Session, day: dt.date, user: str) -> int:
    """Remove an own closing day; open cases follow."""
    found = session.scalar(select(ClosingDay).where(ClosingDay.day == day))
    if found is None:
        raise NotFoundError(f"{long_date(day)} er ikke en af sekretariatets lukkedage.")
    session.execute(delete(ClosingDay).where(ClosingDay.id == found.id))
    return recompute_open(session, user, f"Kalender: lukkedag {long_date(day)} fjernet")


def closing_days(session: Session) -> list[tuple[dt.date, str]]:
    """The secretariat's own closing days, oldest first."""
    return [
        (d, n)
        for d, n in session.execute(
            select(ClosingDay.day, ClosingDay.name).order_by(ClosingDay.day)
        )
    ]


# --- what the case dialog shows -------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineInfo:
    """A case's deadlines and how they came about, for the case dialog."""

    case_number: str
    status: str
    deadline: dt.date | None
    internal_deadline: dt.date | None
    override: dt.date | None
    answered_on: dt.date | None
    lines: list[str]
    urgency: tuple[str, int] | None
    extensions: Sequence[tuple[int, str]]
    paused_since: dt.date | None


def deadline_info(session: Session, case_id: int, today: dt.date | None = None) -> DeadlineInfo:
    """The stored deadlines of a case with the explanation and, if answered, the outcome."""
    from kkdesk.core.cases import load_case

    today = today or dt.date.today()
    case = load_case(session, case_id)
    calendar = load_calendar(session)
    basis = basis_of(case)
    lines = explain(basis, calendar)
    current = compute(basis, calendar).deadline
    is_open = case.status in OPEN_STATUSES
    if not is_open and case.deadline != current:
        lines.append(
            f"Fristen blev låst til {_date_text(case.deadline)}, da sagen blev lukket; med den "
            f"nuværende kalender og regel ville den være {_date_text(current)}."
        )
    if case.answered_on is not None:
        verdict = on_time(case.answered_on, case.deadline)
        if verdict is True:
            outcome = "til tiden"
        elif verdict is False:
            late = calendar.working_days_between(
                case.deadline or case.answered_on, case.answered_on
            )
            outcome = f"{days_text(late)} for sent"
        else:
            outcome = "uden frist"
        lines.append(f"Besvaret {weekday_date(case.answered_on)} – {outcome}.")
    return DeadlineInfo(
        case_number=case.case_number,
        status=case.status,
        deadline=case.deadline,
        internal_deadline=case.internal_deadline,
        override=case.deadline_override,
        answered_on=case.answered_on,
        lines=lines,
        urgency=urgency(case.deadline, today, calendar) if is_open else None,
        extensions=basis.extensions,
        paused_since=basis.open_pause,
    )
