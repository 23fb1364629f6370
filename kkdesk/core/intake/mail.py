"""A received e-mail as kkdesk needs it, read from a saved .eml or Outlook .msg file.

``read_mail`` picks the reader by the file's content (an Outlook .msg is an OLE compound
file; anything else is read as MIME), checks sizes before decoding, and raises
``IntakeError`` (a ``KnownError`` with a Danish message) for anything it cannot use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from kkdesk.core.errors import KnownError

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
MIB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class IntakeError(KnownError):
    """A mail file that cannot be taken in as it is (Danish message, nothing is saved)."""


class AttachmentProblem(IntakeError):
    """One attachment of an otherwise readable mail cannot be used (empty, too big, broken).

    The mail can still be taken in without it (``read_mail(..., strict=False)``).
    """


@dataclass(frozen=True)
class Limits:
    """Size limits. A bilag over ``max_attachment`` is refused with a clear message."""

    max_attachment: int = 25 * MIB
    # A mail file larger than this is refused before it is parsed (base64 grows by 4/3).
    max_mail_file: int = 60 * MIB


DEFAULT_LIMITS = Limits()


@dataclass
class MailAttachment:
    """A file attached to a mail (or the original message itself)."""

    name: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ParsedMail:
    """What kkdesk reads from one message. ``sent`` is aware, in Danish time."""

    source: Path
    subject: str
    sender_name: str
    sender_email: str | None
    sent: dt.datetime | None
    body: str
    attachments: list[MailAttachment] = field(default_factory=list)
    original: MailAttachment | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def received(self) -> dt.date | None:
        """The day the mail was sent, in Danish time (the case's received date)."""
        return self.sent.date() if self.sent else None


def to_danish_time(value: dt.datetime) -> dt.datetime:
    """An e-mail timestamp in Danish time; a timestamp without zone is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(DANISH_TIME)


def human_size(size: int) -> str:
    """``1,5 MB`` / ``820 kB`` / ``12 byte`` (Danish decimal comma)."""
    if size >= MIB:
        return f"{size / MIB:.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size} byte"


def check_attachment_size(name: str, size: int, limits: Limits) -> None:
    """Raise ``AttachmentProblem`` for an empty or too large attachment."""
    if size == 0:
        raise AttachmentProblem(
            f"Bilaget '{name}' er tomt (0 byte).",
            detail="Bed afsenderen sende filen igen, eller fortsæt uden bilaget.",
        )
    if size > limits.max_attachment:
        raise AttachmentProblem(
            f"Bilaget '{name}' fylder {human_size(size)}; grænsen er "
            f"{human_size(limits.max_attachment)}.",
            detail="Gem filen i ESDH-systemet og henvis til den, eller fortsæt uden bilaget.",
        )


def read_mail(path: Path, *, strict: bool = True, limits: Limits = DEFAULT_LIMITS) -> ParsedMail:
    """Read a saved e-mail (.eml or .msg).

    With ``strict`` an attachment that cannot be used raises ``AttachmentProblem``;
    otherwise it is left out and a warning says so. Raises ``IntakeError`` for a file
    that is not a readable mail.
    """
    try:
        size = path.stat().st_size
        if size > limits.max_mail_file:
            raise IntakeError(
                f"E-mailen '{path.name}' fylder {human_size(size)}; kkdesk kan højst tage "
                f"imod e-mails på {human_size(limits.max_mail_file)}.",
                detail="Gem de store bilag et andet sted og send mailen uden dem.",
            )
        if size == 0:
            raise IntakeError(f"Filen '{path.name}' er tom (0 byte) og er ikke en e-mail.")
        with path.open("rb") as handle:
            head = handle.read(8)
            data = head + handle.read()
    except OSError as exc:
        raise IntakeError(f"Filen '{path}' kan ikke læses: {exc.strerror}.") from exc
    suffix = path.suffix.lower()
    if head == OLE_MAGIC:
        from kkdesk.core.intake.msg import parse_msg

        return parse_msg(path, data, strict=strict, limits=limits)
    if suffix == ".msg":
        raise IntakeError(
            f"Filen '{path.name}' er ikke en Outlook-besked (.msg).",
            detail="Filen kan være beskadiget eller omdøbt. Gem mailen igen fra Outlook "
            "(Filer › Gem som › Outlook-meddelelsesformat).",
        )
    if suffix not in (".eml", ".txt", ".mht", ""):
        raise IntakeError(
            f"Filen '{path.name}' er ikke en e-mail.",
            detail="kkdesk kan læse e-mails gemt som .eml eller .msg.",
        )
    from kkdesk.core.intake.eml import parse_eml

    return parse_eml(path, data, strict=strict, limits=limits)
