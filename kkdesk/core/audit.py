"""The audit trail: append-only, who changed what and when.

Two tables, both append-only:

* ``case_event`` – a case's history (created, each changed field with old and new value,
  status transitions, exports). Written by ``kkdesk.core.cases`` and by later features
  with ``record_case_event`` (or ``case.history.append(CaseEvent(...))``).
* ``audit_log`` – everything that is not a case: the register, users, imports/exports of
  many cases, backups and restores. Written with ``log``.

Append-only three times over: this module refuses any ORM update or delete of those rows
(a ``before_flush`` and a ``do_orm_execute`` hook, registered on import), the database
refuses them with a trigger (migration 0007_team), and on PostgreSQL the roles made by
``kkdesk.core.pg_roles`` have only SELECT and INSERT on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from kkdesk.core.errors import KnownError
from kkdesk.core.models import AuditLog, CaseEvent
from kkdesk.core.users import display_names

APPEND_ONLY: tuple[type, ...] = (CaseEvent, AuditLog)

ACTION_LABELS = {
    "oprettet": "Oprettet",
    "ændret": "Ændret",
    "status": "Status ændret",
    "spørgsmål": "Spørgsmål",
    "eksporteret": "Eksporteret",
    "importeret": "Importeret",
    "slettet": "Slettet",
}


class AuditTamperError(KnownError):
    """Someone tried to change or delete a line of the audit trail."""

    def __init__(self) -> None:
        super().__init__(
            "Historikken kan kun udvides, ikke ændres eller slettes.",
            detail="Det er en programfejl, hvis du ser denne besked. Kontakt IT-supporten.",
        )


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, APPEND_ONLY):
            raise AuditTamperError()
    for obj in session.dirty:
        if isinstance(obj, APPEND_ONLY) and session.is_modified(obj, include_collections=False):
            raise AuditTamperError()


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None and issubclass(mapper.class_, APPEND_ONLY):
            raise AuditTamperError()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def log(
    session: Session,
    user: str,
    entity: str,
    entity_id: Any,
    action: str,
    field: str | None = None,
    old_value: Any = None,
    new_value: Any = None,
    comment: str = "",
) -> AuditLog:
    """Append one line to the audit log (not for cases: see ``record_case_event``)."""
    entry = AuditLog(
        user=user,
        entity=entity,
        entity_id="" if entity_id is None else str(entity_id),
        action=action,
        field=field,
        old_value=_text(old_value),
        new_value=_text(new_value),
        comment=comment,
    )
    session.add(entry)
    return entry


def record_case_event(
    session: Session,
    case_id: int,
    user: str,
    action: str,
    field: str | None = None,
    old_value: Any = None,
    new_value: Any = None,
    comment: str = "",
) -> CaseEvent:
    """Append one line to a case's history (e.g. "eksporteret" for a reply letter)."""
    entry = CaseEvent(
        case_id=case_id,
        user=user,
        action=action,
        field=field,
        old_value=_text(old_value),
        new_value=_text(new_value),
        comment=comment,
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class HistoryRow:
    """One line of history as the "Historik" tab shows it."""

    at: dt.datetime  # local time
    user: str  # "Navn (INIT)" or the login
    action: str  # Danish label
    field: str
    old_value: str
    new_value: str
    comment: str


def local_time(utc: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) timestamp in the PC's local time, naive."""
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _rows(session: Session, entries: list[Any]) -> list[HistoryRow]:
    names = display_names(session, {e.user for e in entries})
    return [
        HistoryRow(
            at=local_time(e.at),
            user=names.get(e.user, e.user),
            action=ACTION_LABELS.get(e.action, e.action.capitalize()),
            field=e.field or "",
            old_value=e.old_value or "",
            new_value=e.new_value or "",
            comment=e.comment or "",
        )
        for e in entries
    ]


def case_history(session: Session, case_id: int) -> list[HistoryRow]:
    """A case's history, oldest first."""
    entries = list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
        )
    )
    return _rows(session, entries)


def audit_entries(
    session: Session, entity: str | None = None, entity_id: Any = None, limit: int = 1000
) -> list[HistoryRow]:
    """The newest lines of the audit log (optionally of one entity), oldest first."""
    query = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditLog.entity == entity)
    if entity_id is not None:
        query = query.where(AuditLog.entity_id == str(entity_id))
    entries = list(reversed(list(session.scalars(query))))
    rows = _rows(session, entries)
    return [
        replace(row, field=_where(entry) + (f": {row.field}" if row.field else ""))
        for row, entry in zip(rows, entries, strict=True)
    ]


ENTITY_LABELS = {
    "administration": "Forvaltning",
    "unit": "Enhed",
    "officer": "Sagsbehandler",
    "asker": "Spørger",
    "party": "Parti",
    "kind": "Type henvendelse",
    "bruger": "Bruger",
    "sager": "Sager",
    "database": "Database",
}


def _where(entry: AuditLog) -> str:
    label = ENTITY_LABELS.get(entry.entity, entry.entity)
    return f"{label} {entry.entity_id}".strip()
