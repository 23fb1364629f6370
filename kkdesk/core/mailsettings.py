"""Shared e-mail settings (stored as ``AppSetting`` rows, the same for everyone).

``mail.own_domains``: the municipality's own mail domains (JSON list, default
``["kk.dk"]``). A sender there is taken for a council member; an address elsewhere in a
letter counts as a private address for the personal-data guard.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from kkdesk.core.errors import FieldError, ValidationError
from kkdesk.core.models import AppSetting

OWN_DOMAINS_KEY = "mail.own_domains"
DEFAULT_OWN_DOMAINS = ["kk.dk"]


def own_domains(session: Session) -> list[str]:
    """The municipality's mail domains, lower case."""
    row = session.get(AppSetting, OWN_DOMAINS_KEY)
    if row is None or not row.value.strip():
        return list(DEFAULT_OWN_DOMAINS)
    try:
        value = json.loads(row.value)
    except json.JSONDecodeError:
        return list(DEFAULT_OWN_DOMAINS)
    if not isinstance(value, list):
        return list(DEFAULT_OWN_DOMAINS)
    return [str(d).strip().lower().lstrip("@") for d in value if str(d).strip()]


def set_own_domains(session: Session, domains: list[str]) -> None:
    """Save the municipality's mail domains (``kk.dk``, ``bif.kk.dk`` …)."""
    cleaned = [d.strip().lower().lstrip("@") for d in domains if d.strip()]
    bad = [d for d in cleaned if "." not in d or " " in d or "@" in d]
    if bad or not cleaned:
        raise ValidationError(
            [FieldError("Kommunens domæner", f"'{', '.join(bad) or '(tom)'}' er ikke et domæne.")]
        )
    row = session.get(AppSetting, OWN_DOMAINS_KEY)
    if row is None:
        session.add(AppSetting(key=OWN_DOMAINS_KEY, value=json.dumps(cleaned)))
    else:
        row.value = json.dumps(cleaned)
