"""From one or more mails to a case draft for review: ``build_intake``.

Several mails about the same inquiry become one case: the subject and the sender of
the earliest mail, every received date, the questions of all mails numbered in order,
every attachment and every original message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kkdesk.core.dates import long_date
from kkdesk.core.drafts import CaseDraft, QuestionDraft
from kkdesk.core.intake.askers import NEW, AskerMatch, match_asker
from kkdesk.core.intake.body import clean_subject, join_wrapped, split_questions, trim_body
from kkdesk.core.intake.mail import IntakeError, MailAttachment, ParsedMail
from kkdesk.core.mailsettings import own_domains


@dataclass
class PendingAttachment:
    """A file that becomes a bilag when the case is saved."""

    name: str
    content_type: str
    data: bytes = field(repr=False)
    is_original: bool = False


@dataclass
class Intake:
    """What the review dialog and ``kkdesk intake`` show before a case is created."""

    draft: CaseDraft
    asker: AskerMatch
    attachments: list[PendingAttachment]
    warnings: list[str]
    mails: list[ParsedMail]


def _pending(item: MailAttachment, *, original: bool) -> PendingAttachment:
    return PendingAttachment(item.name, item.content_type, item.data, is_original=original)


def _unique_names(items: list[PendingAttachment]) -> list[PendingAttachment]:
    """ "bilag.pdf", "bilag (2).pdf" … so every bilag of a case has its own name."""
    seen: dict[str, int] = {}
    for item in items:
        key = item.name.casefold()
        if key in seen:
            seen[key] += 1
            stem, dot, ext = item.name.rpartition(".")
            base = stem if dot else item.name
            item.name = f"{base} ({seen[key]}){dot}{ext if dot else ''}"
        else:
            seen[key] = 1
    return items


def build_intake(
    session: Session,
    mails: Sequence[ParsedMail],
    *,
    received_fallback: dt.date | None = None,
    administration: str = "",
    require_date: bool = True,
) -> Intake:
    """A ``CaseDraft`` (not saved) from the mails, with the asker matched to the register.

    A mail without a readable date raises ``IntakeError`` unless ``received_fallback``
    is given or ``require_date`` is off (the review dialog: the user types the date).
    """
    if not mails:
        raise IntakeError("Der er ingen e-mails at oprette en sag fra.")
    ordered = sorted(mails, key=lambda m: (m.sent is None, m.sent or dt.datetime.min))
    warnings: list[str] = []
    received: list[dt.date] = []
    for mail in ordered:
        warnings += [f"{mail.source.name}: {w}" if len(mails) > 1 else w for w in mail.warnings]
        day = mail.received or received_fallback
        if day is None and not require_date:
            warnings.append(
                f"'{mail.source.name}' har ingen dato; skriv modtagelsesdatoen i sagen."
            )
            continue
        if day is None:
            raise IntakeError(
                f"E-mailen '{mail.source.name}' har ingen dato (feltet Date mangler eller "
                "kan ikke læses), så modtagelsesdatoen kendes ikke.",
                detail="Angiv datoen selv (kkdesk intake --received ÅÅÅÅ-MM-DD), eller "
                "opret sagen med Ny sag.",
            )
        if mail.received is None:
            warnings.append(
                f"'{mail.source.name}' har ingen dato; {long_date(day)} er brugt i stedet."
            )
        if day not in received:
            received.append(day)
    first = ordered[0]
    domains = own_domains(session)
    asker = match_asker(session, first.sender_name, first.sender_email, own_domains=domains)
    senders = {(m.sender_email or m.sender_name).lower() for m in ordered}
    if len(senders) > 1:
        warnings.append(
            "E-mailene har forskellige afsendere; spørgeren er taget fra den første "
            f"({first.sender_name or first.sender_email})."
        )
    questions: list[QuestionDraft] = []
    notes: list[str] = []
    for mail in ordered:
        split = split_questions(trim_body(mail.body))
        for text in split.questions:
            questions.append(QuestionDraft(number=len(questions) + 1, text=text))
        when = f"{long_date(mail.received)}" if mail.received else "uden dato"
        extra = "\n\n".join(
            join_wrapped(p.split("\n")) for p in (split.preamble, split.trailer) if p
        )
        if extra and split.style != "none":
            title = clean_subject(mail.subject) or "uden emne"
            notes.append(f"Fra e-mailen {when} ({title}):\n{extra}")
    if not questions:
        warnings.append("E-mailen har ingen tekst; skriv spørgsmålene ind i sagen.")
    subject = clean_subject(first.subject) or "(uden emne)"
    draft = CaseDraft(
        subject=subject,
        asker=asker.ref,
        received=sorted(received),
        administration=administration,
        kind="br" if asker.ref.role == "br" else "borger",
        channel="email",
        notes="\n\n".join(notes),
        questions=questions,
    )
    if asker.status == NEW and not asker.ref.email:
        warnings.append("Afsenderens e-mailadresse kunne ikke læses.")
    attachments: list[PendingAttachment] = []
    for mail in ordered:
        if mail.original is not None:
            attachments.append(_pending(mail.original, original=True))
        attachments += [_pending(a, original=False) for a in mail.attachments]
    return Intake(draft, asker, _unique_names(attachments), warnings, list(ordered))
