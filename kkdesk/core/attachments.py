"""Bilag: files kept with a case, stored in the database (``CaseAttachment``).

Every change is written to the case history. Adding checks the size (empty files and
files over the limit are refused with a Danish message) and refuses a file the case
already has (same SHA-256). The letter's Bilag list is built by ``letter_bilag``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kkdesk.core.errors import KnownError, NotFoundError
from kkdesk.core.intake.mail import DEFAULT_LIMITS, Limits, check_attachment_size, human_size
from kkdesk.core.models import Case, CaseAttachment, CaseEvent
from kkdesk.core.pdf_bilag import PdfPart

PDF_TYPE = "application/pdf"


class DuplicateAttachment(KnownError):
    """The case already has a file with the same content."""


@dataclass(frozen=True)
class AttachmentInfo:
    """A bilag without its bytes (what lists and tables show)."""

    id: int
    case_id: int
    position: int
    file_name: str
    title: str
    content_type: str
    size: int
    sha256: str
    added_by: str
    added_at: dt.datetime
    send_with_reply: bool
    is_original: bool

    @property
    def is_pdf(self) -> bool:
        return self.content_type == PDF_TYPE or self.file_name.lower().endswith(".pdf")

    @property
    def display_title(self) -> str:
        """The Bilag line: the title, else the file name without its extension."""
        return self.title.strip() or default_title(self.file_name)


def default_title(file_name: str) -> str:
    """``"Notat om trafiktal.pdf"`` → ``"Notat om trafiktal"``."""
    stem, dot, _ext = file_name.rpartition(".")
    return stem if dot and stem else file_name


def guess_content_type(file_name: str, data: bytes = b"") -> str:
    """The MIME type from the name; a PDF is recognised by its first bytes too."""
    if data.startswith(b"%PDF-"):
        return PDF_TYPE
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"


def _info(row: CaseAttachment) -> AttachmentInfo:
    return AttachmentInfo(
        row.id,
        row.case_id,
        row.position,
        row.file_name,
        row.title,
        row.content_type,
        row.size,
        row.sha256,
        row.added_by,
        row.added_at,
        row.send_with_reply,
        row.is_original,
    )


def _event(session: Session, case_id: int, user: str, comment: str) -> None:
    session.add(CaseEvent(case_id=case_id, user=user, action="bilag", comment=comment))


def list_attachments(session: Session, case_id: int) -> list[AttachmentInfo]:
    """The case's bilag in their order (bytes not loaded)."""
    rows = session.scalars(
        select(CaseAttachment)
        .where(CaseAttachment.case_id == case_id)
        .order_by(CaseAttachment.position, CaseAttachment.id)
    )
    return [_info(row) for row in rows]


def add_attachment(
    session: Session,
    case_id: int,
    file_name: str,
    data: bytes,
    *,
    user: str,
    content_type: str | None = None,
    send_with_reply: bool = False,
    is_original: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> AttachmentInfo:
    """Store a file with the case. Raises ``KnownError`` (empty, too big, duplicate)."""
    if session.get(Case, case_id) is None:
        raise NotFoundError("Sagen findes ikke længere. Den kan være slettet af en kollega.")
    name = file_name.replace("/", "_").replace("\\", "_").strip() or "bilag"
    check_attachment_size(name, len(data), limits)
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(
        select(CaseAttachment).where(
            CaseAttachment.case_id == case_id, CaseAttachment.sha256 == digest
        )
    )
    if existing is not None:
        raise DuplicateAttachment(
            f"Filen '{name}' er allerede tilknyttet sagen som '{existing.file_name}'.",
            detail="Den samme fil gemmes kun én gang pr. sag.",
        )
    position = (
        session.scalar(
            select(func.max(CaseAttachment.position)).where(CaseAttachment.case_id == case_id)
        )
        or 0
    ) + 1
    row = CaseAttachment(
        case_id=case_id,
        position=position,
        file_name=name[:255],
        title="",
        content_type=(content_type or guess_content_type(name, data))[:120],
        size=len(data),
        sha256=digest,
        data=data,
        added_by=user,
        send_with_reply=send_with_reply,
        is_original=is_original,
    )
    session.add(row)
    what = "Den oprindelige e-mail" if is_original else "Bilag"
    _event(session, case_id, user, f"{what} '{row.file_name}' tilføjet ({human_size(len(data))})")
    session.flush()
    return _info(row)


def read_file_for_attachment(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A file's bytes, refused before reading if it is empty or over the limit."""
    try:
        size = path.stat().st_size
        check_attachment_size(path.name, size, limits)
        return path.read_bytes()
    except OSError as exc:
        raise KnownError(f"Filen '{path}' kan ikke læses: {exc.strerror}.") from exc


def add_file(
    session: Session, case_id: int, path: Path, *, user: str, limits: Limits = DEFAULT_LIMITS
) -> AttachmentInfo:
    """Store a file from disk with the case (see ``add_attachment``)."""
    data = read_file_for_attachment(path, limits)
    return add_attachment(session, case_id, path.name, data, user=user, limits=limits)


def _row(session: Session, attachment_id: int) -> CaseAttachment:
    row = session.get(CaseAttachment, attachment_id)
    if row is None:
        raise NotFoundError("Bilaget findes ikke længere. Det kan være slettet af en kollega.")
    return row


def remove_attachment(session: Session, attachment_id: int, *, user: str) -> None:
    """Delete a bilag; the history keeps its name and checksum."""
    row = _row(session, attachment_id)
    _event(
        session,
        row.case_id,
        user,
        f"Bilag '{row.file_name}' slettet (SHA-256 {row.sha256[:12]}…)",
    )
    session.delete(row)
    session.flush()


def set_send_with_reply(session: Session, attachment_id: int, value: bool, *, user: str) -> None:
    """Mark whether the bilag goes with the reply (letter's Bilag list, PDF, e-mail)."""
    row = _row(session, attachment_id)
    if row.send_with_reply == value:
        return
    row.send_with_reply = value
    state = "sendes med svaret" if value else "sendes ikke med svaret"
    _event(session, row.case_id, user, f"Bilag '{row.file_name}' {state}")
    session.flush()


def set_title(session: Session, attachment_id: int, title: str, *, user: str) -> None:
    """The bilag's line in the letter ("" = the file name without extension)."""
    row = _row(session, attachment_id)
    title = " ".join(title.split())
    if row.title == title:
        return
    old = row.title or default_title(row.file_name)
    row.title = title
    _event(
        session,
        row.case_id,
        user,
        f"Bilag '{row.file_name}': titel ændret fra '{old}' til "
        f"'{title or default_title(row.file_name)}'",
    )
    session.flush()


def attachment_data(session: Session, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
    """A bilag and its bytes."""
    row = _row(session, attachment_id)
    return _info(row), bytes(row.data)


@dataclass(frozen=True)
class BilagEntry:
    """One line of the letter's Bilag list: ``Bilag <number> – <title>``."""

    number: int
    title: str
    attachment_id: int | None  # None: a title line without a stored file
    is_pdf: bool = False


def _key(title: str) -> str:
    return " ".join(default_title(title).casefold().split())


def letter_bilag(session: Session, case_id: int) -> list[BilagEntry]:
    """The letter's Bilag list: the case's title lines, then files sent with the reply.

    The rule (docs/mail.md): numbering runs over the title lines (``LetterAppendix``)
    first, in their order; a file marked "sendes med svaret" whose title equals a title
    line (ignoring case and file extension) takes that line's number; the other such
    files follow in the order of the Bilag panel.
    """
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError("Sagen findes ikke længere. Den kan være slettet af en kollega.")
    files = [a for a in list_attachments(session, case_id) if a.send_with_reply]
    unused = list(files)
    entries: list[BilagEntry] = []
    for appendix in case.appendices:
        match = next((f for f in unused if _key(f.display_title) == _key(appendix.title)), None)
        if match is not None:
            unused.remove(match)
        entries.append(
            BilagEntry(
                len(entries) + 1,
                appendix.title,
                match.id if match else None,
                bool(match and match.is_pdf),
            )
        )
    for info in unused:
        entries.append(BilagEntry(len(entries) + 1, info.display_title, info.id, info.is_pdf))
    return entries


def letter_pdf_parts(session: Session, case_id: int) -> list[PdfPart]:
    """The PDF bilag of the letter's Bilag list, in order, titled "Bilag N – titel"."""
    parts: list[PdfPart] = []
    for entry in letter_bilag(session, case_id):
        if entry.attachment_id is not None and entry.is_pdf:
            info, data = attachment_data(session, entry.attachment_id)
            parts.append(PdfPart(f"Bilag {entry.number} – {entry.title}", data, info.file_name))
    return parts
