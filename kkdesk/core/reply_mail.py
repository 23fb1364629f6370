"""The reply as an e-mail: an .eml to the asker (optionally copied to every council
member) with the final PDF letter (PDF bilag already appended) and the other bilag
marked "sendes med svaret" attached, and a short Danish text.

The .eml carries ``X-Unsent: 1``, so Outlook opens it as a new message ready to send
(other mail programs open it as a message to forward or send again). When the user
confirms it was sent, ``mark_sent`` moves the case to "besvaret".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core import attachments, cases
from kkdesk.core.dates import long_date
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import LetterFile, make_letter
from kkdesk.core.letters.filenames import safe_file_name
from kkdesk.core.models import Asker, CaseEvent

ANSWERED = "besvaret"


@dataclass
class ReplyMail:
    """A reply e-mail ready to be written as .eml."""

    message: EmailMessage
    file_name: str
    to: str
    cc: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)
    letter: LetterFile | None = None

    def as_bytes(self) -> bytes:
        return self.message.as_bytes()


def council_members(session: Session, *, exclude_id: int | None = None) -> list[tuple[str, str]]:
    """(name, e-mail) of every council member (role "br") with an e-mail address."""
    rows = session.scalars(
        select(Asker).where(Asker.role == "br", Asker.email.is_not(None)).order_by(Asker.name)
    )
    return [(a.name, a.email) for a in rows if a.email and a.email.strip() and a.id != exclude_id]


def _body(name: str, received: list[dt.date], subject: str, extra: list[str], sender: str) -> str:
    days = received[0] if len(received) == 1 else None
    when = long_date(days) if days else ", ".join(long_date(d) for d in received)
    lines = [
        f"Kære {name}",
        "",
        f"Hermed svar på din henvendelse af {when} om {subject.rstrip('.?!')}.",
        "",
        "Svaret er vedhæftet som PDF" + (f" sammen med {len(extra)} bilag." if extra else "."),
        "",
        "Med venlig hilsen",
        "",
        sender,
    ]
    return "\n".join(lines) + "\n"


def build_reply(
    session: Session,
    case_id: int,
    *,
    user: str,
    cc_council: bool = False,
    sender_address: str | None = None,
    letter_date: dt.date | None = None,
) -> ReplyMail:
    """The reply e-mail of an approved case (the final PDF is made and recorded)."""
    case = cases.load_case(session, case_id)
    asker = case.asker
    if not asker.email:
        raise KnownError(
            f"{asker.name} har ingen e-mailadresse i registret.",
            detail="Skriv adressen på spørgeren (Register › Spørgere) eller i sagen, og prøv igen.",
        )
    letter = make_letter(session, case_id, "pdf", user=user, final=True, letter_date=letter_date)
    message = EmailMessage()
    message["To"] = formataddr((asker.name, asker.email))
    cc: list[str] = []
    if cc_council:
        cc = [formataddr(pair) for pair in council_members(session, exclude_id=asker.id)]
        if cc:
            message["Cc"] = ", ".join(cc)
    if sender_address:
        message["From"] = sender_address
    message["Subject"] = f"Svar på din henvendelse om {case.subject} (sag {case.case_number})"
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(domain="kkdesk.local")
    message["X-Unsent"] = "1"  # Outlook: open as a new message to send
    extra = [
        info
        for info in attachments.list_attachments(session, case_id)
        if info.send_with_reply and not info.is_pdf
    ]
    message.set_content(
        _body(
            asker.name,
            [d.received for d in case.received_dates],
            case.subject,
            [info.file_name for info in extra],
            case.administration.name,
        )
    )
    message.add_attachment(
        letter.data, maintype="application", subtype="pdf", filename=letter.file_name
    )
    names = [letter.file_name]
    for info in extra:
        _info, data = attachments.attachment_data(session, info.id)
        maintype, _, subtype = info.content_type.partition("/")
        if info.content_type == "message/rfc822":
            maintype, subtype = "application", "octet-stream"  # attach the file as it is
        message.add_attachment(
            data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=info.file_name,
        )
        names.append(info.file_name)
    stem = letter.file_name.rsplit(".", 1)[0]
    file_name = safe_file_name(stem, ".eml")
    session.add(
        CaseEvent(
            case_id=case_id,
            user=user,
            action="svarmail",
            comment=f"Svar-e-mail dannet til {asker.email}"
            + (f" med kopi til {len(cc)} medlemmer" if cc else "")
            + f": {', '.join(names)}",
        )
    )
    session.flush()
    return ReplyMail(message, file_name, asker.email, cc, names, letter)


def write_reply(path: Path, reply: ReplyMail) -> Path:
    """Write the .eml; a failure is a ``KnownError`` saying why."""
    try:
        path.write_bytes(reply.as_bytes())
    except OSError as exc:
        raise KnownError(f"E-mailen kunne ikke gemmes i '{path}': {exc.strerror}.") from exc
    return path


def mark_sent(session: Session, case_id: int, *, user: str) -> str:
    """The user confirmed the reply was sent: the case becomes "besvaret".

    Uses the workflow's transition when the workflow module is installed, else a plain
    status change through ``cases.update_case`` (recorded in the history either way).
    """
    case = cases.load_case(session, case_id)
    if case.status == ANSWERED:
        return case.status
    draft = cases.case_to_draft(case)
    draft.status = ANSWERED
    cases.update_case(session, case_id, draft, expected_version=case.version, user=user)
    session.add(CaseEvent(case_id=case_id, user=user, action="svarmail", comment="Svaret er sendt"))
    session.flush()
    return ANSWERED
