"""Maintaining the register's reference records: administrations, units, case officers,
askers, parties and kinds of inquiry.

``save`` and ``delete`` take the entity name and a dict of values, validate them with
Danish messages, and refuse to delete a record that cases still use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kkdesk.core import audit, permissions, users
from kkdesk.core.cases import refresh_search_text_for_asker
from kkdesk.core.drafts import EMAIL_RE
from kkdesk.core.errors import FieldError, KnownError, NotFoundError, ValidationError
from kkdesk.core.models import Administration, Asker, Base, InquiryKind, Officer, Party, Unit
from kkdesk.core.permissions import Action
from kkdesk.core.textcheck import text_problem
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
    if not is_record_id(admin_id) or session.get(Administration, admin_id) is None:
        return [FieldError("Forvaltning", "skal vælges.")]
    name = values.get("name")
    same = session.scalar(select(Unit).where(Unit.administration_id == admin_id, Unit.name == name))
    if name and same is not None and same.id != values.get("_id"):
        return [FieldError("Navn", f"'{name}' findes allerede i forvaltningen.")]
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


# Labels of the optional fields (the required ones are labelled in ``ENTITIES``).
FIELD_LABELS = {
    "address": "Adresse",
    "signer_name": "Underskriver",
    "signer_title": "Underskrivers titel",
    "active": "Aktiv",
    "initials": "Initialer",
    "email": "E-mail",
    "administration_id": "Forvaltning",
    "unit_id": "Enhed",
    "party_id": "Parti",
    "role": "Rolle",
}

# Foreign keys a form may set, and the record they must point at.
REFERENCES: dict[str, tuple[type[Base], str]] = {
    "administration_id": (Administration, "Forvaltning"),
    "unit_id": (Unit, "Enhed"),
    "party_id": (Party, "Parti"),
}


def is_record_id(value: Any) -> bool:
    """An int that fits an INTEGER column on both databases (PostgreSQL's is 32-bit)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31


def _column_problems(
    session: Session,
    model: Any,
    values: dict[str, Any],
    labels: dict[str, str],
    *,
    lookups: bool = True,
) -> list[FieldError]:
    """Type, length, character and reference checks from the model's columns, so the
    database never has to refuse a value (PostgreSQL would with a generic error)."""
    errors: list[FieldError] = []
    columns = model.__table__.columns
    for key, value in values.items():
        label = labels.get(key, key)
        if key not in columns:
            errors.append(FieldError(label, "er ikke et felt i registeret."))
            continue
        column_type = columns[key].type
        if value is None:
            continue
        if isinstance(column_type, String):
            if not isinstance(value, str):
                errors.append(FieldError(label, "skal være tekst."))
                continue
            problem = text_problem(value)
            if problem:
                errors.append(FieldError(label, problem))
            elif column_type.length and len(value) > column_type.length:
                errors.append(FieldError(label, f"må højst være {column_type.length} tegn."))
        elif isinstance(column_type, Boolean) and not isinstance(value, bool):
            errors.append(FieldError(label, "skal være ja eller nej."))
        elif isinstance(column_type, Integer) and not is_record_id(value):
            errors.append(FieldError(label, "skal vælges fra listen."))
        elif lookups and key in REFERENCES and session.get(REFERENCES[key][0], value) is None:
            errors.append(FieldError(REFERENCES[key][1], "findes ikke (længere)."))
    return errors


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return "" if value is None else str(value)


def list_records(session: Session, entity: str) -> list[Any]:
    """All records of one kind, in a stable, readable order."""
    spec = ENTITIES[entity]
    model: Any = spec.model
    order = model.code if entity == "kind" else model.id
    return list(session.scalars(select(model).order_by(order)))


def save(
    session: Session,
    entity: str,
    record_id: Any | None,
    values: dict[str, Any],
    *,
    user: str | None = None,
) -> Any:
    """Create (``record_id`` None) or update a record; returns it.

    ``user`` is the acting login (default: the operating system's); only the secretariat
    may change the register. Every changed field goes to the audit log.
    """
    login = user or users.current_user()
    permissions.require(users.actor_for(session, login), Action.REGISTRY_EDIT)
    spec = ENTITIES[entity]
    model: Any = spec.model
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for key in ("email", "party_id", "unit_id", "administration_id"):
        if key in cleaned and cleaned[key] in ("", None):
            cleaned[key] = None
    errors: list[FieldError] = [
        FieldError(label, "skal udfyldes.") for key, label in spec.required if not cleaned.get(key)
    ]
    labels = dict(spec.required) | dict(spec.unique) | FIELD_LABELS
    # Checks without the database first: a value with NUL must never reach a query.
    shape = _column_problems(session, model, cleaned, labels, lookups=False)
    if shape:
        reported = {error.field for error in errors}
        raise ValidationError(
            errors + [e for e in shape if e.field not in reported], context=spec.title
        )
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
        errors += spec.check(session, {**cleaned, "_id": record_id})
    reported = {error.field for error in errors}
    errors += [
        error
        for error in _column_problems(session, model, cleaned, labels)
        if error.field not in reported
    ]
    if errors:
        raise ValidationError(errors, context=spec.title)
    if record is None:
        record = model(**cleaned)
        session.add(record)
        session.flush()
        key = record.code if entity == "kind" else record.id
        summary = "\n".join(f"{labels.get(k, k)}: {_shown(v)}" for k, v in cleaned.items())
        audit.log(session, login, entity, key, "oprettet", None, None, summary)
    else:
        key = record.code if entity == "kind" else record.id
        for name, value in cleaned.items():
            old = getattr(record, name)
            if old != value:
                audit.log(
                    session,
                    login,
                    entity,
                    key,
                    "ændret",
                    labels.get(name, name),
                    _shown(old),
                    _shown(value),
                )
            setattr(record, name, value)
        session.flush()
        # Relationships loaded before (asker.party …) must follow the changed ids.
        session.expire(record)
    session.flush()
    session.expire(record)  # relationships (e.g. asker.party) follow the new foreign keys
    if entity == "asker":
        refresh_search_text_for_asker(session, record.id)
    elif entity == "party":
        for asker_id in session.scalars(select(Asker.id).where(Asker.party_id == record.id)):
            refresh_search_text_for_asker(session, asker_id)
    return record


def delete(session: Session, entity: str, record_id: Any, *, user: str | None = None) -> None:
    """Delete a record that no case uses; otherwise say to mark it inactive.

    ``user`` is the acting login (default: the operating system's); secretariat only.
    """
    login = user or users.current_user()
    permissions.require(users.actor_for(session, login), Action.REGISTRY_EDIT)
    spec = ENTITIES[entity]
    record = session.get(spec.model, record_id)
    if record is None:
        return
    shown = {
        column.key: _shown(getattr(record, column.key))
        for column in spec.model.__table__.columns
        if column.key != "id"
    }
    try:
        with session.begin_nested():
            session.delete(record)
            session.flush()
            summary = "\n".join(f"{k}: {v}" for k, v in shown.items())
            audit.log(session, login, entity, record_id, "slettet", None, summary, None)
            session.flush()
    except IntegrityError as exc:
        hint = " Markér den som inaktiv i stedet." if hasattr(record, "active") else ""
        raise KnownError(
            f"{spec.title} kan ikke slettes, fordi den bruges af sager eller andre poster.{hint}"
        ) from exc
