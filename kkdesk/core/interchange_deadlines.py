"""The interchange keys for deadlines and the workflow (docs/interchange.md).

``answered_on``, ``approved_by`` and ``deadline`` (``override``, ``override_reason``,
``extensions``, ``pauses``; ``due`` and ``internal_due`` are written on export and
ignored on import, because the deadline is derived). Kept apart from
``kkdesk.core.interchange`` so that module stays about the case itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from kkdesk.core.drafts import DeadlineDraft, ExtensionDraft, PauseDraft
from kkdesk.core.errors import FieldError
from kkdesk.core.models import Case

CASE_KEYS = {"answered_on", "approved_by", "deadline"}
DEADLINE_KEYS = {"override", "override_reason", "extensions", "pauses", "due", "internal_due"}
EXTENSION_KEYS = {"days", "reason"}
PAUSE_KEYS = {"from", "to", "reason", "resume_status"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any, where: str, errors: list[FieldError], *, optional: bool) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    shown = json.dumps(value, ensure_ascii=False)[:40]
    errors.append(FieldError(where, f"{shown} er ikke en dato på formen ÅÅÅÅ-MM-DD."))
    return None


def _text(value: Any, where: str, errors: list[FieldError]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(where, "skal være tekst."))
        return ""
    return value


def _objects(
    raw: Any, where: str, keys: set[str], errors: list[FieldError]
) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(FieldError(where, "skal være en liste."))
        return []
    found: list[dict[str, Any]] = []
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            errors.append(FieldError(f"{where}[{index}]", "skal være et objekt."))
            continue
        for key in sorted(set(item) - keys):
            errors.append(FieldError(f"{where}[{index}].{key}", "er ikke et kendt felt."))
        found.append(item)
    return found


def parse(
    raw: dict[str, Any], errors: list[FieldError]
) -> tuple[dt.date | None, str | None, DeadlineDraft]:
    """``(answered_on, approved_by, deadline)`` of one case; problems go to ``errors``."""
    answered = _date(raw.get("answered_on"), "answered_on", errors, optional=True)
    approver = raw.get("approved_by")
    if approver is not None and not isinstance(approver, str):
        errors.append(FieldError("approved_by", "skal være tekst eller null."))
        approver = None
    spec = DeadlineDraft()
    block = raw.get("deadline")
    if block is None:
        return answered, approver, spec
    if not isinstance(block, dict):
        errors.append(FieldError("deadline", "skal være et objekt."))
        return answered, approver, spec
    for key in sorted(set(block) - DEADLINE_KEYS):
        errors.append(FieldError(f"deadline.{key}", "er ikke et kendt felt."))
    spec.override = _date(block.get("override"), "deadline.override", errors, optional=True)
    spec.override_reason = _text(block.get("override_reason"), "deadline.override_reason", errors)
    for index, item in enumerate(
        _objects(block.get("extensions"), "deadline.extensions", EXTENSION_KEYS, errors), start=1
    ):
        days = item.get("days")
        if not isinstance(days, int) or isinstance(days, bool):
            errors.append(FieldError(f"deadline.extensions[{index}].days", "skal være et heltal."))
            continue
        reason = _text(item.get("reason"), f"deadline.extensions[{index}].reason", errors)
        spec.extensions.append(ExtensionDraft(days, reason))
    for index, item in enumerate(
        _objects(block.get("pauses"), "deadline.pauses", PAUSE_KEYS, errors), start=1
    ):
        where = f"deadline.pauses[{index}]"
        start = _date(item.get("from"), f"{where}.from", errors, optional=False)
        end = _date(item.get("to"), f"{where}.to", errors, optional=True)
        back = _text(
            item.get("resume_status", "under_udarbejdelse"), f"{where}.resume_status", errors
        )
        if start is not None:
            spec.pauses.append(
                PauseDraft(start, end, _text(item.get("reason"), f"{where}.reason", errors), back)
            )
    return answered, approver, spec


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def to_dict(case: Case) -> dict[str, Any]:
    """The keys of one case on export (needs ``extensions`` and ``pauses`` loaded)."""
    return {
        "answered_on": _iso(case.answered_on),
        "approved_by": case.approved_by,
        "deadline": {
            "due": _iso(case.deadline),
            "internal_due": _iso(case.internal_deadline),
            "override": _iso(case.deadline_override),
            "override_reason": case.deadline_override_reason,
            "extensions": [{"days": e.working_days, "reason": e.reason} for e in case.extensions],
            "pauses": [
                {
                    "from": p.paused_on.isoformat(),
                    "to": _iso(p.resumed_on),
                    "reason": p.reason,
                    "resume_status": p.resume_status,
                }
                for p in case.pauses
            ],
        },
    }
