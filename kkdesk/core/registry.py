"""Maintaining the register's reference records: administrations, units, case officers,
askers, parties and kinds of inquiry.

``save`` and ``delete`` take the entity name and a dict of values, validate them with
Danish messages, and refuse to delete a record that cases still use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kkdesk.core.cases import refresh_search_text_for_asker
from kkdesk.core.drafts import EMAIL_RE
from kkdesk.core.errors import FieldError, KnownError, NotFoundError, ValidationError
from kkdesk.core.models import Administration, Asker, Base, InquiryKind, Officer, Party, Unit
from kkdesk.core.vocab import ROLE_LABELS


@dataclass(frozen=True)
class Entity:
    """One kind of reference record and how to check it."""

    key: str
    model: type[Base]
    title: str
    required: tuple[tuple[str, str], ...]
    unique: tuple[tuple[str, str], ...] = ()
    check: Callable[[Session, dict[str, Any]], list[FieldError]] | None = None


def _check_email(_session: Session, values: dict[str, Any]) -> list[FieldError]:
    email = (values.get("email") or "").strip()
    if email and not EMAIL_RE.match(email):
        return [FieldError("E-mail", f"'{email}' er ikke en gyldig e-mailadresse.")]
    return []


def _check_asker(session: Session, values: dict[str, Any]) -> list[FieldError]:
    errors = _check_email(session, values)
    if values.get("role", "br") not in ROLE_LABELS:
        errors.append(FieldError("Rolle", f"'{values.get('role')}' er ukendt."))
    return errors


def _check_unit(session: Session, values: dict[str, Any]) -> list[FieldError]:
    admin_id = values.get("administration_id")
    if admin_id is None or session.get(Administration, admin_id) is None:
        return [FieldError("Forvaltning", "skal vælges.")]
    return []


ENTITIES: dict[str, Entity] = {
    "administration": Entity(
        "administration",
        Administration,
        "Forvaltning",
        required=(("code", "Kode"), ("name", "Navn"), ("genitive", "Genitiv")),
        unique=(("code", "Kode"),),
    ),
    "unit": Entity("unit", Unit, "Enhed", required=(("name", "Navn"),), check=_check_unit),
    "officer": Entity(
        "officer", Officer, "Sagsbehandler", required=(("name", "Navn"),), check=_check_email
    ),
    "asker": Entity("asker", Asker, "Spørger", required=(("name", "Navn"),), check=_check_asker),
    "party": Entity(
        "party",
        Party,
        "Parti",
        required=(("letter", "Bogstav"), ("name", "Navn")),
        unique=(("letter", "Bogstav"),),
    ),
    "kind": Entity(
        "kind",
        InquiryKind,
        "Type henvendelse",
        required=(("code", "Kode"), ("name", "Navn")),
        unique=(("code", "Kode"),),
    ),
}


def list_records(session: Session, entity: str) -> list[Any]:
    """All records of one kind, in a stable, readable order."""
    spec = ENTITIES[entity]
    model: Any = spec.model
    order = model.code if entity == "kind" else model.id
    return list(session.scalars(select(model).order_by(order)))


def save(session: Session, entity: str, record_id: Any | None, values: dict[str, Any]) -> Any:
    """Create (``record_id`` None) or update a record; returns it."""
    spec = ENTITIES[entity]
    model: Any = spec.model
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for key in ("email", "party_id", "unit_id", "administration_id"):
        if key in cleaned and cleaned[key] in ("", None):
            cleaned[key] = None
    errors: list[FieldError] = [
        FieldError(label, "skal udfyldes.") for key, label in spec.required if not cleaned.get(key)
    ]
    record = None
    if record_id is not None:
        record = session.get(model, record_id)
        if record is None:
            raise NotFoundError(f"{spec.title} findes ikke længere.")
    for key, label in spec.unique:
        value = cleaned.get(key)
        other = session.scalar(select(model).where(getattr(model, key) == value))
        if value and other is not None and other is not record:
            errors.append(FieldError(label, f"'{value}' bruges allerede."))
    if spec.check is not None:
        errors += spec.check(session, cleaned)
    if entity == "unit" and cleaned.get("name") and cleaned.get("administration_id"):
        twin = session.scalar(
            select(Unit).where(
                Unit.administration_id == cleaned["administration_id"],
                Unit.name == cleaned["name"],
            )
        )
        if twin is not None and twin is not record:
            errors.append(
                FieldError("Navn", f"'{cleaned['name']}' findes allerede i forvaltningen.")
            )
    if errors:
        raise ValidationError(errors, context=spec.title)
    if record is None:
        record = model(**cleaned)
        session.add(record)
    else:
        for key, value in cleaned.items():
            setattr(record, key, value)
    session.flush()
    session.expire(record)  # relationships (e.g. asker.party) follow the new foreign keys
    if entity == "asker":
        refresh_search_text_for_asker(session, record.id)
    elif entity == "party":
        for asker_id in session.scalars(select(Asker.id).where(Asker.party_id == record.id)):
            refresh_search_text_for_asker(session, asker_id)
    return record


def delete(session: Session, entity: str, record_id: Any) -> None:
    """Delete a record that no case uses; otherwise say to mark it inactive."""
    spec = ENTITIES[entity]
    record = session.get(spec.model, record_id)
    if record is None:
        return
    try:
        with session.begin_nested():
            session.delete(record)
            session.flush()
    except IntegrityError as exc:
        hint = " Markér den som inaktiv i stedet." if hasattr(record, "active") else ""
        raise KnownError(
            f"{spec.title} kan ikke slettes, fordi den bruges af sager eller andre poster.{hint}"
        ) from exc
