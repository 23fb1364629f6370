"""Letter templates in the database: the common texts and one layer per administration.

``effective_templates`` gives what a letter uses; ``save_templates`` validates (unknown
fields, unreadable braces, a logo that is not a PNG or JPEG) before anything is stored.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core import paths
from kkdesk.core.errors import FieldError, ValidationError
from kkdesk.core.letters.templates import KEYS, TemplateSet, merged, validate_texts
from kkdesk.core.models import Administration, LetterTemplate, utcnow

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_FILE = "logo.png"


@cache
def default_logo() -> bytes:
    """The neutral placeholder shipped in resources/letterhead."""
    return (paths.resources_dir() / "letterhead" / LOGO_FILE).read_bytes()


def _row(session: Session, administration_id: int | None) -> LetterTemplate | None:
    query = select(LetterTemplate).order_by(LetterTemplate.id)
    if administration_id is None:
        query = query.where(LetterTemplate.administration_id.is_(None))
    else:
        query = query.where(LetterTemplate.administration_id == administration_id)
    return session.scalars(query).first()


def _texts(row: LetterTemplate | None) -> dict[str, str]:
    if row is None or not row.texts:
        return {}
    data = json.loads(row.texts)
    # Keys a later version dropped are ignored rather than breaking every letter.
    return {k: v for k, v in data.items() if k in KEYS and isinstance(v, str)}


@dataclass(frozen=True)
class TemplateLayer:
    """What is stored for the common texts or one administration, as the editor shows it."""

    texts: dict[str, str]
    logo: bytes | None
    logo_name: str
    updated_by: str = ""


def load_layer(session: Session, administration_id: int | None) -> TemplateLayer:
    """The stored texts of one layer (only what was set there)."""
    row = _row(session, administration_id)
    if row is None:
        return TemplateLayer({}, None, "")
    return TemplateLayer(_texts(row), row.logo, row.logo_name, row.updated_by)


def effective_templates(session: Session, administration_id: int | None) -> TemplateSet:
    """The texts and logo a letter from this administration uses."""
    common = _row(session, None)
    own = _row(session, administration_id) if administration_id is not None else None
    texts = merged(_texts(common), _texts(own))
    logo = (own.logo if own else None) or (common.logo if common else None) or default_logo()
    return TemplateSet(texts, logo)


def check_logo(data: bytes) -> list[FieldError]:
    """A logo must be a PNG or JPEG image that the PDF renderer can read."""
    if len(data) > MAX_LOGO_BYTES:
        return [FieldError("Logo", "filen er for stor (højst 2 MB).")]
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8")):
        return [FieldError("Logo", "skal være et billede i formatet PNG eller JPEG.")]
    try:
        from reportlab.lib.utils import ImageReader

        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:
        return [FieldError("Logo", "billedet kan ikke læses; filen er måske beskadiget.")]
    if width < 1 or height < 1:
        return [FieldError("Logo", "billedet er tomt.")]
    return []


class _KeepLogo:
    """Marker: leave the stored logo as it is."""


KEEP_LOGO = _KeepLogo()


def save_templates(
    session: Session,
    administration_id: int | None,
    texts: dict[str, str],
    user: str,
    *,
    logo: bytes | _KeepLogo | None = KEEP_LOGO,
    logo_name: str = "",
) -> None:
    """Store one layer after validating it. For an administration, empty texts are not
    stored (they mean "use the common text"). ``logo=None`` removes the layer's logo."""
    errors = validate_texts(texts)
    if isinstance(logo, bytes):
        errors += check_logo(logo)
    if administration_id is not None and session.get(Administration, administration_id) is None:
        errors.append(FieldError("Forvaltning", "findes ikke længere."))
    if errors:
        raise ValidationError(errors, context="Brevskabelonen kan ikke gemmes")
    stored = texts if administration_id is None else {k: v for k, v in texts.items() if v}
    row = _row(session, administration_id)
    if row is None:
        row = LetterTemplate(administration_id=administration_id)
        session.add(row)
    row.texts = json.dumps(stored, ensure_ascii=False, sort_keys=True)
    if not isinstance(logo, _KeepLogo):
        row.logo = logo
        row.logo_name = logo_name if logo is not None else ""
    row.updated_at = utcnow()
    row.updated_by = user
    session.flush()
