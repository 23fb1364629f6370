"""Saving a reviewed intake: the case and its bilag in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from kkdesk.core.attachments import add_attachment
from kkdesk.core.cases import create_case
from kkdesk.core.drafts import CaseDraft
from kkdesk.core.intake.build import PendingAttachment
from kkdesk.core.intake.mail import DEFAULT_LIMITS, Limits
from kkdesk.core.models import Case


def save_pending_attachments(
    session: Session,
    case_id: int,
    pending: Sequence[PendingAttachment],
    *,
    user: str,
    limits: Limits = DEFAULT_LIMITS,
) -> int:
    """Store the pending files with a case; identical files are stored once. Returns count."""
    seen: set[bytes] = set()
    stored = 0
    for item in pending:
        key = item.data
        if key in seen:
            continue
        seen.add(key)
        add_attachment(
            session,
            case_id,
            item.name,
            item.data,
            user=user,
            content_type=item.content_type,
            is_original=item.is_original,
            limits=limits,
        )
        stored += 1
    return stored


def create_case_from_mail(
    session: Session,
    draft: CaseDraft,
    pending: Sequence[PendingAttachment],
    *,
    user: str,
    limits: Limits = DEFAULT_LIMITS,
) -> Case:
    """Create the case and store its bilag. Nothing is kept if anything fails (the
    caller's session rolls back)."""
    case = create_case(session, draft, user)
    save_pending_attachments(session, case.id, pending, user=user, limits=limits)
    return case
