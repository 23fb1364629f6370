"""Who may do what. Enforced in the core services, not only by hiding buttons.

Roles (``kkdesk.core.users``):

* **sekretariat** – everything;
* **forvaltning** – the cases of its own administration: write answers (``CASE_ANSWER``),
  move the case on (``CASE_TRANSITION``) and export its letter (``CASE_EXPORT``);
* **læser** (``laeser``) – read only.

A deactivated user may do nothing. Reading (lists, opening a case, JSON export) is open
to every role.

How a service checks (later features do the same)::

    from kkdesk.core import permissions, users
    from kkdesk.core.permissions import Action

    def approve(session, case_id, user: str) -> None:
        case = load_case(session, case_id)
        actor = users.actor_for(session, user)        # login → Actor (role, administration)
        permissions.require(actor, Action.CASE_TRANSITION, case)  # raises PermissionDenied
        ...

``require`` raises ``PermissionDenied`` (a ``KnownError``) with a Danish message; the UI
shows it like any other known error. ``allowed`` answers the same question without raising
(to disable buttons). Add a new action to ``Action``, ``DESCRIPTIONS`` and, if the
administrations may do it, ``FORVALTNING_ACTIONS``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from kkdesk.core.errors import KnownError
from kkdesk.core.users import FORVALTNING, SEKRETARIAT, Actor


class Action(StrEnum):
    CASE_CREATE = "case.create"
    CASE_EDIT = "case.edit"  # the case's facts: subject, asker, dates, questions, notes …
    CASE_ANSWER = "case.answer"  # answers to the questions and the general answer
    CASE_TRANSITION = "case.transition"  # status changes
    CASE_EXPORT = "case.export"  # reply letters and other documents that leave the house
    CASE_IMPORT = "case.import"
    REGISTRY_EDIT = "registry.edit"
    USERS_MANAGE = "users.manage"
    SETTINGS_EDIT = "settings.edit"


DESCRIPTIONS: dict[Action, str] = {
    Action.CASE_CREATE: "oprette sager",
    Action.CASE_EDIT: "rette sagens oplysninger og spørgsmål",
    Action.CASE_ANSWER: "skrive svar",
    Action.CASE_TRANSITION: "ændre sagens status",
    Action.CASE_EXPORT: "danne svarbreve og andre udgående dokumenter",
    Action.CASE_IMPORT: "importere sager",
    Action.REGISTRY_EDIT: "rette i registrene (forvaltninger, enheder, spørgere …)",
    Action.USERS_MANAGE: "oprette og rette brugere",
    Action.SETTINGS_EDIT: "ændre fælles indstillinger",
}
FORVALTNING_ACTIONS = frozenset({Action.CASE_ANSWER, Action.CASE_TRANSITION, Action.CASE_EXPORT})


class CaseLike(Protocol):
    """What the checks need of a case (a ``Case`` or anything with these attributes)."""

    @property
    def administration_id(self) -> int: ...

    @property
    def case_number(self) -> str: ...


class PermissionDenied(KnownError):
    """The acting user's role does not allow the action."""


def _problem(actor: Actor, action: Action, case: CaseLike | None) -> PermissionDenied | None:
    what = DESCRIPTIONS[action]
    if not actor.active:
        return PermissionDenied(
            f"Din bruger ({actor.login}) er deaktiveret i kkdesk, så du kan ikke {what}.",
            detail="Kontakt sekretariatet, hvis du skal have adgang igen.",
        )
    if actor.role == SEKRETARIAT:
        return None
    if actor.role == FORVALTNING and action in FORVALTNING_ACTIONS:
        if case is None or case.administration_id == actor.administration_id:
            return None
        own = actor.administration_code or "ingen"
        return PermissionDenied(
            f"Sag {case.case_number} hører ikke under din forvaltning ({own}), "
            f"så du kan ikke {what} i den.",
            detail="Kontakt sekretariatet, hvis sagen skal fordeles til jer.",
        )
    if actor.role == FORVALTNING:
        return PermissionDenied(
            f"Som forvaltningsbruger kan du ikke {what}.",
            detail="Det gør sekretariatet. Du kan skrive svar på din forvaltnings sager.",
        )
    return PermissionDenied(
        f"Du har kun læseadgang i kkdesk og kan ikke {what}.",
        detail="Sekretariatet kan give dig flere rettigheder under Register → Brugere.",
    )


def allowed(actor: Actor, action: Action, case: CaseLike | None = None) -> bool:
    """May ``actor`` do ``action`` (to ``case``)? For enabling buttons; never raises."""
    return _problem(actor, action, case) is None


def require(actor: Actor, action: Action, case: CaseLike | None = None) -> None:
    """Raise ``PermissionDenied`` (Danish message) unless ``actor`` may do ``action``."""
    problem = _problem(actor, action, case)
    if problem is not None:
        raise problem


def require_all(actor: Actor, actions: set[Action], case: CaseLike | None = None) -> None:
    """``require`` each action, in a fixed order so the message is predictable."""
    for action in Action:
        if action in actions:
            require(actor, action, case)
