"""Standard texts (standardtekster): reusable paragraphs with named fields.

A field is written ``{enhed}``. Fields the case knows (unit, administration, asker, …)
are filled when the text is inserted into an answer; the others (``{telefon}``, …) are
left for the user, and a case is not saved while an answer still holds one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kkdesk.core.dates import long_date
from kkdesk.core.errors import FieldError, NotFoundError, ValidationError
from kkdesk.core.models import StandardText, utcnow

# Field name → what it is (shown in the maintenance dialog).
FIELDS: dict[str, str] = {
    "enhed": "enheden, der har svaret (fra sagen)",
    "forvaltning": "forvaltningens navn (fra sagen)",
    "forvaltningens": "forvaltningens navn i ejefald (fra sagen)",
    "adresse": "forvaltningens adresse (fra sagen)",
    "spørger": "spørgerens navn (fra sagen)",
    "emne": "sagens emne (fra sagen)",
    "sagsnr": "sagens nummer (fra sagen)",
    "modtaget": "datoen for henvendelsen (fra sagen)",
    "dato": "dagens dato",
    "underskriver": "underskriverens navn (fra forvaltningen)",
    "telefon": "et telefonnummer (udfyldes i svaret)",
    "email": "en e-mailadresse (udfyldes i svaret)",
    "link": "en internetadresse (udfyldes i svaret)",
    "frist": "en frist (udfyldes i svaret)",
}
_FIELD = re.compile(r"\{([^{}\n]*)\}")
MAX_NAME = 200


@dataclass(frozen=True)
class StandardTextInfo:
    id: int
    name: str
    body: str
    active: bool


def field_names(body: str) -> list[str]:
    """The field names used in ``body``, in order, once each."""
    return list(dict.fromkeys(m.group(1).strip() for m in _FIELD.finditer(body)))


def validate_text(name: str, body: str) -> list[FieldError]:
    """Problems with a standard text (Danish); unknown fields are refused."""
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(FieldError("Navn", "skal udfyldes."))
    elif len(name) > MAX_NAME:
        errors.append(FieldError("Navn", f"må højst være {MAX_NAME} tegn."))
    if not body.strip():
        errors.append(FieldError("Tekst", "skal udfyldes."))
    unknown = [f for f in field_names(body) if f not in FIELDS]
    if unknown:
        names = ", ".join("{" + f + "}" for f in unknown)
        known = ", ".join("{" + f + "}" for f in FIELDS)
        errors.append(FieldError("Tekst", f"ukendt felt {names}. Mulige felter: {known}."))
    if _FIELD.sub("", body).count("{") or _FIELD.sub("", body).count("}"):
        errors.append(FieldError("Tekst", "en krøllet parentes { eller } står alene."))
    return errors


def list_texts(session: Session, *, active_only: bool = False) -> list[StandardTextInfo]:
    """All standard texts by name."""
    query = select(StandardText).order_by(func.lower(StandardText.name))
    if active_only:
        query = query.where(StandardText.active)
    return [StandardTextInfo(t.id, t.name, t.body, t.active) for t in session.scalars(query)]


def save_text(
    session: Session, text_id: int | None, name: str, body: str, user: str, *, active: bool = True
) -> int:
    """Create (``text_id`` None) or change a standard text; returns its id."""
    errors = validate_text(name, body)
    clash = session.scalar(
        select(StandardText.id).where(
            func.lower(StandardText.name) == name.strip().lower(),
            StandardText.id != (text_id or -1),
        )
    )
    if clash is not None:
        errors.append(FieldError("Navn", f"'{name.strip()}' findes allerede."))
    if errors:
        raise ValidationError(errors, context="Standardteksten blev ikke gemt")
    if text_id is None:
        record = StandardText()
        session.add(record)
    else:
        found = session.get(StandardText, text_id)
        if found is None:
            raise NotFoundError("Standardteksten findes ikke længere.")
        record = found
    record.name = name.strip()
    record.body = body
    record.active = active
    record.updated_at = utcnow()
    record.updated_by = user
    session.flush()
    return record.id


def delete_text(session: Session, text_id: int) -> None:
    record = session.get(StandardText, text_id)
    if record is not None:
        session.delete(record)


def fill(body: str, values: dict[str, str]) -> str:
    """``body`` with every field that has a (non-empty) value filled in."""

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1).strip(), "")
        return value if value else match.group(0)

    return _FIELD.sub(replace, body)


def unfilled_fields(text: str) -> list[str]:
    """Standard-text fields still waiting in ``text`` (``{telefon}``)."""
    return [f for f in field_names(text) if f in FIELDS]


def case_values(
    *,
    unit: str | None = None,
    administration: tuple[str, str, str] | None = None,  # name, genitive, address
    signer: str | None = None,
    asker: str = "",
    subject: str = "",
    case_number: str | None = None,
    received: list[dt.date] | None = None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """The field values a case knows."""
    values = {
        "enhed": unit or "",
        "spørger": asker.strip(),
        "emne": subject.strip(),
        "sagsnr": case_number or "",
        "modtaget": long_date(min(received)) if received else "",
        "dato": long_date(today or dt.date.today()),
        "underskriver": signer or "",
    }
    if administration:
        values["forvaltning"], values["forvaltningens"], values["adresse"] = administration
    return values
