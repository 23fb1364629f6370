"""Reading an Outlook message (.msg, an OLE compound file) with ``extract-msg``."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import mimetypes
from pathlib import Path
from typing import Any

from kkdesk.core.intake.eml import decode_text
from kkdesk.core.intake.html_text import html_to_text
from kkdesk.core.intake.mail import (
    AttachmentProblem,
    IntakeError,
    Limits,
    MailAttachment,
    ParsedMail,
    check_attachment_size,
    to_danish_time,
)

# extract-msg logs every oddity of a message at WARNING; kkdesk reports what matters.
logging.getLogger("extract_msg").setLevel(logging.ERROR)


def _not_a_msg(path: Path) -> IntakeError:
    return IntakeError(
        f"Filen '{path.name}' er ikke en Outlook-besked (.msg).",
        detail="Filen kan være beskadiget eller en anden slags Office-fil. Gem mailen igen "
        "fra Outlook (Filer › Gem som › Outlook-meddelelsesformat).",
    )


def _open(path: Path, data: bytes) -> Any:
    import extract_msg

    try:
        message = extract_msg.openMsg(data, delayAttachments=False)
    except Exception as exc:  # extract-msg and olefile raise many kinds of errors
        raise _not_a_msg(path) from exc
    if not hasattr(message, "body") or not hasattr(message, "sender"):
        message.close()
        raise _not_a_msg(path)
    return message


def _sent(message: Any) -> dt.datetime | None:
    value = None
    try:
        value = message.date or message.receivedTime
    except Exception:  # a broken time property: fall back to the transport headers
        value = None
    if not isinstance(value, dt.datetime):
        header = None
        try:
            header = message.header["date"] if message.header is not None else None
        except Exception:
            header = None
        if header:
            try:
                value = email.utils.parsedate_to_datetime(str(header))
            except (TypeError, ValueError, IndexError):
                value = None
    return to_danish_time(value) if isinstance(value, dt.datetime) else None


def _body(message: Any, warnings: list[str]) -> str:
    text = None
    try:
        text = message.body
    except Exception:
        text = None
    if text and text.strip():
        return str(text).replace("\r\n", "\n")
    html = None
    try:
        html = message.htmlBody
    except Exception:
        html = None
    if html:
        return html_to_text(decode_text(html, "utf-8", warnings, "E-mailens tekst"))
    return ""


def _attachments(
    message: Any, *, strict: bool, limits: Limits, warnings: list[str]
) -> list[MailAttachment]:
    found: list[MailAttachment] = []
    for index, attachment in enumerate(message.attachments, start=1):
        name = (
            getattr(attachment, "longFilename", None)
            or getattr(attachment, "shortFilename", None)
            or f"bilag-{index}.bin"
        )
        data = attachment.data
        content_type = (
            getattr(attachment, "mimetype", None)
            or mimetypes.guess_type(str(name))[0]
            or "application/octet-stream"
        )
        if not isinstance(data, bytes | bytearray):
            # An attached Outlook item (a forwarded mail): keep it as a .msg of its own.
            try:
                data = attachment.data.exportBytes()
                name = name if name.lower().endswith(".msg") else f"{name}.msg"
                content_type = "application/vnd.ms-outlook"
            except Exception:
                warnings.append(f"Det vedhæftede element '{name}' kunne ikke læses.")
                continue
        try:
            check_attachment_size(name, len(data), limits)
        except AttachmentProblem as problem:
            if strict:
                raise
            warnings.append(f"{problem.message} Det er ikke taget med.")
            continue
        found.append(MailAttachment(str(name), content_type, bytes(data)))
    return found


def parse_msg(path: Path, data: bytes, *, strict: bool, limits: Limits) -> ParsedMail:
    """Read an Outlook .msg from ``data`` (the bytes of ``path``)."""
    message = _open(path, data)
    try:
        warnings: list[str] = []
        sender = str(message.sender or "")
        name, address = email.utils.parseaddr(sender)
        if not address or "@" not in address:
            name, address = sender.strip(), ""
        attachments = _attachments(message, strict=strict, limits=limits, warnings=warnings)
        return ParsedMail(
            source=path,
            subject=" ".join(str(message.subject or "").split()),
            sender_name=" ".join(name.split()),
            sender_email=address or None,
            sent=_sent(message),
            body=_body(message, warnings),
            attachments=attachments,
            original=MailAttachment(path.name, "application/vnd.ms-outlook", data),
            warnings=warnings,
        )
    finally:
        message.close()
