"""Contributions (bidrag): input a case asks of another administration or unit.

Each contribution has its own administration, unit, officer, internal deadline and
status (afventer → modtaget, or annulleret). Its text is gathered into the case's draft
answer — into the answer of the question it was asked for, or the general answer — and
a case cannot go to approval while a contribution is awaited (``kkdesk.core.workflow``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kkdesk.core.dates import long_date
from kkdesk.core.errors import FieldError, KnownError, NotFoundError, ValidationError
from kkdesk.core.models import (
    Administration,
    Case,
    CaseEvent,
    Contribution,
    Officer,
    Unit,
    utcnow,
)
from kkdesk.core.vocab import OPEN_STATUSES

STATUS_LABELS: Final = {"afventer": "Afventer", "modtaget": "Modtaget", "annulleret": "Annulleret"}


@dataclass
class ContributionDraft:
    """A request for input, as the form or a caller gives it (references by code/name)."""

    administration: str
    unit: str | None = None
    officer: str | None = None
    question_number: int | None = None
    request: str = ""
    internal_deadline: dt.date | None = None


@dataclass(frozen=True)
class ContributionRow:
    """One contribution as the case dialog lists it."""

    id: int
    administration: str
    unit: str
    officer: str
    question_number: int | None
    request: str
    internal_deadline: dt.date | None
    status: str
    text: str
    received_on: dt.date | None
    gathered: bool

    @property
    def who(self) -> str:
        """``TMF – Byens Drift`` or just the administration code."""
        return f"{self.administration} – {self.unit}" if self.unit else self.administration


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id, options=[selectinload(Case.contributions)])
    if case is None:
        raise NotFoundError("Sagen findes ikke længere. Den kan være slettet af en kollega.")
    return case


def _contribution(session: Session, contribution_id: int) -> Contribution:
    found = session.get(Contribution, contribution_id)
    if found is None:
        raise NotFoundError("Bidraget findes ikke længere.")
    return found


def _label(c: Contribution) -> str:
    return f"{c.administration.code} – {c.unit.name}" if c.unit else c.administration.code


def _record(case: Case, user: str, comment: str) -> None:
    case.history.append(CaseEvent(user=user, action="bidrag", comment=comment))
    case.updated_at = utcnow()
    case.updated_by = user


def request_contribution(
    session: Session, case_id: int, draft: ContributionDraft, user: str
) -> Contribution:
    """Ask for input; the internal deadline defaults to the case's internal deadline."""
    case = _case(session, case_id)
    if case.status not in OPEN_STATUSES:
        raise KnownError(f"Sag {case.case_number} er lukket; der kan ikke bedes om bidrag.")
    errors: list[FieldError] = []
    code = draft.administration.strip()
    admin = session.scalar(
        select(Administration).where(func.upper(Administration.code) == code.upper())
    )
    if admin is None:
        errors.append(FieldError("Forvaltning", f"'{code}' er ikke en kendt forvaltning."))
    unit = None
    if draft.unit and admin is not None:
        unit = session.scalar(
            select(Unit).where(Unit.administration_id == admin.id, Unit.name == draft.unit)
        )
        if unit is None:
            errors.append(FieldError("Enhed", f"'{draft.unit}' er ikke en enhed i {admin.name}."))
    officer = None
    if draft.officer:
        officer = session.scalar(
            select(Officer).where(Officer.name == draft.officer).order_by(Officer.id)
        )
        if officer is None:
            errors.append(FieldError("Sagsbehandler", f"'{draft.officer}' er ikke oprettet."))
    numbers = {q.number for q in case.questions}
    if draft.question_number is not None and draft.question_number not in numbers:
        errors.append(
            FieldError("Spørgsmål", f"sagen har ikke et spørgsmål {draft.question_number}.")
        )
    deadline = draft.internal_deadline or case.internal_deadline
    if deadline is not None and deadline < case.received_on:
        errors.append(FieldError("Intern frist", "kan ikke ligge før modtagelsesdatoen."))
    if errors:
        raise ValidationError(errors, context="Anmodningen om bidrag er ikke gemt")
    assert admin is not None
    contribution = Contribution(
        administration=admin,
        unit=unit,
        officer=officer,
        question_number=draft.question_number,
        request=draft.request.strip(),
        internal_deadline=deadline,
        status="afventer",
        created_by=user,
    )
    case.contributions.append(contribution)
    where = f"spørgsmål {draft.question_number}" if draft.question_number else "hele sagen"
    when = f", intern frist {long_date(deadline)}" if deadline else ""
    _record(case, user, f"Bidrag anmodet fra {_label(contribution)} ({where}{when})")
    session.flush()
    return contribution


def register_contribution(
    session: Session,
    contribution_id: int,
    text: str,
    user: str,
    *,
    received_on: dt.date | None = None,
    gather: bool = True,
) -> Contribution:
    """Record the input received; by default gather it into the draft answer at once."""
    contribution = _contribution(session, contribution_id)
    if contribution.status == "annulleret":
        raise KnownError("Bidraget er annulleret og kan ikke registreres.")
    if not text.strip():
        raise ValidationError(
            [FieldError("Tekst", "skal udfyldes.")], context="Bidraget er ikke registreret"
        )
    contribution.text = text.strip()
    contribution.status = "modtaget"
    contribution.received_on = received_on or dt.date.today()
    _record(contribution.case, user, f"Bidrag fra {_label(contribution)} modtaget")
    if gather:
        gather_contribution(session, contribution.id, user)
    session.flush()
    return contribution


def gather_contribution(session: Session, contribution_id: int, user: str) -> None:
    """Append the contribution's text to the draft answer it was asked for."""
    contribution = _contribution(session, contribution_id)
    case = contribution.case
    if contribution.status != "modtaget":
        raise KnownError("Kun modtagne bidrag kan indsættes i svaret.")
    if contribution.gathered_at is not None:
        raise KnownError("Bidraget er allerede indsat i svaret.")
    text = contribution.text.strip()
    if contribution.question_number is not None:
        question = next(
            (q for q in case.questions if q.number == contribution.question_number), None
        )
        if question is None:
            raise KnownError(
                f"Spørgsmål {contribution.question_number} findes ikke længere i sagen."
            )
        question.answer = _append(question.answer, text)
        where = f"svaret på spørgsmål {question.number}"
    else:
        case.general_answer = _append(case.general_answer, text)
        where = "det generelle svar"
    contribution.gathered_at = utcnow()
    _record(case, user, f"Bidrag fra {_label(contribution)} indsat i {where}")
    session.flush()


def _append(existing: str, text: str) -> str:
    return f"{existing.rstrip()}\n\n{text}" if existing.strip() else text


def cancel_contribution(session: Session, contribution_id: int, reason: str, user: str) -> None:
    """Stop waiting for a contribution (it no longer blocks approval)."""
    contribution = _contribution(session, contribution_id)
    if contribution.status == "annulleret":
        return
    contribution.status = "annulleret"
    why = f": {reason.strip()}" if reason.strip() else ""
    _record(contribution.case, user, f"Bidrag fra {_label(contribution)} annulleret{why}")
    session.flush()


def list_contributions(session: Session, case_id: int) -> list[ContributionRow]:
    """A case's contributions, oldest first."""
    query = (
        select(Contribution)
        .where(Contribution.case_id == case_id)
        .options(
            selectinload(Contribution.administration),
            selectinload(Contribution.unit),
            selectinload(Contribution.officer),
        )
        .order_by(Contribution.id)
    )
    return [
        ContributionRow(
            id=c.id,
            administration=c.administration.code,
            unit=c.unit.name if c.unit else "",
            officer=c.officer.name if c.officer else "",
            question_number=c.question_number,
            request=c.request,
            internal_deadline=c.internal_deadline,
            status=c.status,
            text=c.text,
            received_on=c.received_on,
            gathered=c.gathered_at is not None,
        )
        for c in session.scalars(query)
    ]
