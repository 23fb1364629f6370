"""The case workflow: which status may follow which, and what each step records.

Modtaget → Fordelt → Under udarbejdelse → Til godkendelse → Godkendt → Besvaret →
Offentliggjort, plus Sat i bero (stops the deadline clock; "Genoptag" returns to the
status the case had), Videresendt (to another administration) and Annulleret. Every
step is a ``CaseEvent`` (who, when, optional comment); approval records the approver;
"Retur" sends a case back to the unit with a comment; "Besvaret" records the answered
date and freezes the deadline (``kkdesk.core.deadlines``).

This module is the only way a stored case changes status (``kkdesk.core.cases``
routes status edits here too), so the rules hold for the GUI and the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kkdesk.core import deadlines
from kkdesk.core.dates import long_date
from kkdesk.core.errors import ConflictError, FieldError, KnownError, ValidationError
from kkdesk.core.models import Case, CaseEvent, Contribution, utcnow
from kkdesk.core.vocab import OPEN_STATUSES, STATUS_LABELS, status_label

PAUSABLE = frozenset({"modtaget", "fordelt", "under_udarbejdelse", "til_godkendelse", "godkendt"})
FORWARDABLE = frozenset({"modtaget", "fordelt", "under_udarbejdelse"})


@dataclass(frozen=True)
class Action:
    """A workflow step as the user sees it (a button, a menu entry, a CLI verb)."""

    key: str
    label: str
    sources: frozenset[str]
    target: str  # "" for "Genoptag": back to the status before the pause
    comment: str = "optional"  # "optional" | "required"
    hint: str = ""


ACTIONS: tuple[Action, ...] = (
    Action("fordel", "Fordel", frozenset({"modtaget"}), "fordelt",
           hint="Sagen er fordelt til forvaltning og enhed."),
    Action("start", "Start udarbejdelse", frozenset({"fordelt"}), "under_udarbejdelse",
           hint="Enheden er i gang med svaret."),
    Action("til_godkendelse", "Send til godkendelse", frozenset({"under_udarbejdelse"}),
           "til_godkendelse", hint="Svaret er klar til godkendelse."),
    Action("godkend", "Godkend", frozenset({"til_godkendelse"}), "godkendt",
           hint="Du godkender svaret (du registreres som godkender)."),
    Action("retur", "Retur", frozenset({"til_godkendelse", "godkendt"}), "under_udarbejdelse",
           comment="required", hint="Send sagen tilbage til enheden med en kommentar."),
    Action("besvar", "Markér som besvaret", frozenset({"godkendt"}), "besvaret",
           hint="Svaret er sendt; svardatoen registreres, og fristen låses."),
    Action("offentliggoer", "Offentliggør", frozenset({"besvaret"}), "offentliggjort",
           hint="Svaret er lagt på hjemmesiden."),
    Action("bero", "Sæt i bero", PAUSABLE, "i_bero", comment="required",
           hint="Fristen står stille, til sagen genoptages."),
    Action("genoptag", "Genoptag", frozenset({"i_bero"}), "",
           hint="Fristen løber videre fra i dag."),
    Action("videresend", "Videresend", FORWARDABLE, "videresendt",
           hint="Sagen sendes til en anden forvaltning eller myndighed, som svarer."),
    Action("annuller", "Annullér", frozenset(OPEN_STATUSES), "annulleret", comment="required",
           hint="Sagen skal ikke besvares."),
    Action("genaabn", "Genåbn", frozenset({"annulleret", "videresendt"}), "modtaget",
           comment="required", hint="Sagen åbnes igen som modtaget."),
)  # fmt: skip
ACTIONS_BY_KEY = {a.key: a for a in ACTIONS}


def _targets(action: Action) -> frozenset[str]:
    return PAUSABLE if action.key == "genoptag" else frozenset({action.target})


# Every allowed (from, to) pair and the action that makes it.
TRANSITIONS: dict[tuple[str, str], Action] = {
    (source, target): action
    for action in ACTIONS
    for source in action.sources
    for target in _targets(action)
}


def allowed_targets(status: str) -> set[str]:
    """Statuses a case in ``status`` may move to (ignoring a pause's own resume status)."""
    return {to for (source, to) in TRANSITIONS if source == status}


def actions_for(status: str) -> list[Action]:
    """The steps offered for a case in ``status``, in workflow order."""
    return [a for a in ACTIONS if status in a.sources]


class WorkflowError(KnownError):
    """A step the workflow does not allow (the message says which steps are possible)."""


def forbidden_message(current: str, wanted: str) -> str:
    """``Sagen har status "Modtaget" og kan ikke sættes til "Godkendt". Mulige skridt: …``."""
    steps = ", ".join(a.label for a in actions_for(current)) or "ingen"
    return (
        f'Sagen har status "{status_label(current)}" og kan ikke sættes til '
        f'"{status_label(wanted)}". Mulige skridt: {steps}.'
    )


def check_transition(case: Case, wanted: str) -> Action:
    """The action that takes ``case`` to ``wanted``; ``WorkflowError`` if none may."""
    if wanted not in STATUS_LABELS:
        raise WorkflowError(f"'{wanted}' er ikke en kendt status.")
    action = TRANSITIONS.get((case.status, wanted))
    if action is None:
        raise WorkflowError(forbidden_message(case.status, wanted))
    if action.key == "genoptag":
        current = deadlines.open_pause(case)
        back = current.resume_status if current else "under_udarbejdelse"
        if wanted != back:
            raise WorkflowError(
                f'Sagen blev sat i bero fra "{status_label(back)}" og genoptages dertil; '
                f'den kan ikke genoptages som "{status_label(wanted)}".'
            )
    return action


def outstanding_contributions(case: Case) -> list[Contribution]:
    """Contributions (bidrag) still awaited."""
    return [c for c in case.contributions if c.status == "afventer"]


def _check_ready_for_approval(case: Case) -> None:
    waiting = outstanding_contributions(case)
    if waiting:
        names = ", ".join(
            (c.unit.name if c.unit else c.administration.code)
            + (f" (intern frist {long_date(c.internal_deadline)})" if c.internal_deadline else "")
            for c in waiting
        )
        raise WorkflowError(
            "Sagen kan ikke sendes til godkendelse, før alle bidrag er modtaget.",
            detail=f"Der mangler bidrag fra: {names}.",
        )
    if not case.general_answer.strip():
        missing = [str(q.number) for q in case.questions if not q.answer.strip()]
        if missing:
            raise WorkflowError(
                "Sagen kan ikke sendes til godkendelse, før alle spørgsmål har et svar.",
                detail=f"Der mangler svar på spørgsmål {', '.join(missing)}.",
            )


def transition(
    session: Session,
    case: Case,
    wanted: str,
    user: str,
    comment: str = "",
    *,
    answered_on: dt.date | None = None,
    forward_to: str = "",
    today: dt.date | None = None,
) -> Action:
    """Move ``case`` to ``wanted`` with the side effects of the step; records it."""
    today = today or dt.date.today()
    action = check_transition(case, wanted)
    comment = comment.strip()
    errors: list[FieldError] = []
    if action.comment == "required" and not comment:
        errors.append(FieldError("Kommentar", f'skal udfyldes ved "{action.label}".'))
    if action.key == "videresend" and not forward_to.strip():
        errors.append(FieldError("Videresendt til", "skal udfyldes."))
    if action.key == "besvar":
        answered_on = answered_on or today
        if answered_on > today:
            errors.append(FieldError("Besvaret", f"{long_date(answered_on)} ligger i fremtiden."))
        if answered_on < case.received_on:
            errors.append(FieldError("Besvaret", "kan ikke ligge før modtagelsesdatoen."))
    if errors:
        raise ValidationError(errors, context=f'"{action.label}" er ikke udført')
    if action.key == "til_godkendelse":
        _check_ready_for_approval(case)

    old = case.status
    reason = f"{action.label}"
    if action.key == "godkend":
        case.approved_by, case.approved_at = user, utcnow()
    elif action.key == "retur":
        case.approved_by, case.approved_at = None, None
    elif action.key == "besvar":
        case.answered_on = answered_on
    elif action.key == "videresend":
        target = " ".join(forward_to.split())
        comment = f"Videresendt til {target}" + (f": {comment}" if comment else "")
    elif action.key == "bero":
        deadlines.pause(session, case, user, comment, today)
    elif action.key in ("genoptag", "annuller") and old == "i_bero":
        deadlines.resume(case, today)
    elif action.key == "genaabn":
        case.answered_on = None
        case.approved_by, case.approved_at = None, None
    case.status = wanted
    case.history.append(
        CaseEvent(
            user=user,
            action="status",
            field="Status",
            old_value=status_label(old),
            new_value=status_label(wanted),
            comment=comment,
        )
    )
    if action.key in ("bero", "genoptag", "genaabn"):
        deadlines.refresh_case(session, case, user, reason)
    return action


def perform(
    session: Session,
    case_id: int,
    action_key: str,
    user: str,
    comment: str = "",
    *,
    expected_version: int | None = None,
    answered_on: dt.date | None = None,
    forward_to: str = "",
    today: dt.date | None = None,
) -> Case:
    """Run the step ``action_key`` on a stored case (one user action)."""
    from kkdesk.core.cases import load_case

    action = ACTIONS_BY_KEY.get(action_key)
    if action is None:
        raise WorkflowError(f"'{action_key}' er ikke et kendt skridt i arbejdsgangen.")
    case = load_case(session, case_id)
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(
            f"Sag {case.case_number} er ændret af {case.updated_by or 'en kollega'}, "
            "siden du åbnede den.",
            detail="Genindlæs sagen og prøv igen.",
        )
    if case.status not in action.sources:
        wanted = action.target or "under_udarbejdelse"
        raise WorkflowError(forbidden_message(case.status, wanted))
    target = action.target
    if action.key == "genoptag":
        current = deadlines.open_pause(case)
        target = current.resume_status if current else "under_udarbejdelse"
    transition(
        session,
        case,
        target,
        user,
        comment,
        answered_on=answered_on,
        forward_to=forward_to,
        today=today,
    )
    case.updated_at = utcnow()
    case.updated_by = user
    session.flush()
    return case
