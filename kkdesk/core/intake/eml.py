"""Reading a MIME message (.eml) with the standard library (``email.policy.default``).

Mail from the real world is often slightly wrong: a missing or wrong charset, 8-bit
headers, a Date header that cannot be read. The text is repaired where that is safe
(with a warning the user sees); a broken body or attachment is refused.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from email import errors as email_errors
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

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

_BASE64_DEFECTS = (
    email_errors.InvalidBase64CharactersDefect,
    email_errors.InvalidBase64LengthDefect,
    email_errors.InvalidBase64PaddingDefect,
)
_LATIN1_FAMILY = {"iso-8859-1", "latin-1", "latin1", "iso-8859-15", "windows-1252", "cp1252"}


def fix_surrogates(text: str) -> str:
    """Undo the surrogate escapes Python uses for raw 8-bit bytes in headers."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _decoded_payload(part: Message) -> bytes:
    """The part's bytes; raises ``ValueError`` if its base64 is broken."""
    before = len(part.defects)
    payload = part.get_payload(decode=True)
    new = part.defects[before:]
    del part.defects[before:]  # decoding again must not pile up defects
    if any(isinstance(d, _BASE64_DEFECTS) for d in new):
        raise ValueError("ugyldig base64")
    return payload if isinstance(payload, bytes) else b""


def decode_text(raw: bytes, declared: str | None, warnings: list[str], what: str) -> str:
    """Bytes → text with the declared charset, repaired when it is missing or wrong."""
    declared = (declared or "").lower() or None
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    # Valid UTF-8 with non-ASCII bytes is almost never meant as Latin-1: mojibake ("Ã¸")
    # is what you get from decoding it as declared.
    prefer_utf8 = declared in _LATIN1_FAMILY and _is_utf8_with_non_ascii(raw)
    if prefer_utf8:
        candidates.insert(0, "utf-8")
    candidates += ["utf-8", "cp1252"]
    for charset in candidates:
        try:
            text = raw.decode(charset)
        except LookupError:
            warnings.append(
                f"{what} har et ukendt tegnsæt ('{declared}'); teksten er læst som UTF-8 "
                "eller Windows-1252. Kontrollér æ, ø og å."
            )
            continue
        except UnicodeDecodeError:
            continue
        if charset != declared and (declared or not raw.isascii()):
            if declared and not any("ukendt tegnsæt" in w for w in warnings):
                warnings.append(
                    f"{what} var angivet som '{declared}', men er læst som {charset.upper()}. "
                    "Kontrollér æ, ø og å."
                )
            elif not declared:
                warnings.append(
                    f"{what} manglede tegnsæt; teksten er læst som {charset.upper()}. "
                    "Kontrollér æ, ø og å."
                )
        return text
    warnings.append(f"{what} kunne ikke læses helt; ulæselige tegn er vist som '\ufffd'.")
    return raw.decode("utf-8", "replace")


def _is_utf8_with_non_ascii(raw: bytes) -> bool:
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _sent(message: Message, warnings: list[str]) -> dt.datetime | None:
    values = [value for name, value in message.raw_items() if name.lower() == "date"]
    if not values:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(str(values[0]).strip())
    except (TypeError, ValueError, IndexError):
        warnings.append(f"E-mailens dato '{str(values[0]).strip()[:60]}' kan ikke læses.")
        return None
    return to_danish_time(parsed)


def _sender(message: EmailMessage) -> tuple[str, str | None]:
    try:
        header = message["from"]
        addresses = header.addresses if header is not None else ()
    except (IndexError, ValueError, AttributeError):
        addresses = ()
    if addresses:
        first = addresses[0]
        address = fix_surrogates(first.addr_spec) if first.addr_spec else None
        if address and "@" not in address:
            address = None
        return fix_surrogates(first.display_name or ""), address
    raw = fix_surrogates(str(message.get("from", "") or ""))
    name, address = email.utils.parseaddr(raw)
    return name, address or None


def _body_text(message: EmailMessage, warnings: list[str]) -> tuple[str, Message | None]:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", None
    try:
        raw = _decoded_payload(part)
    except ValueError as exc:
        raise IntakeError(
            "E-mailens tekst er beskadiget (ugyldig base64-kodning) og kan ikke læses.",
            detail="Bed afsenderen sende mailen igen, eller gem den igen fra Outlook.",
        ) from exc
    text = decode_text(raw, part.get_content_charset(), warnings, "E-mailens tekst")
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n"), part


def _attachment_name(part: Message, index: int) -> str:
    name = part.get_filename()
    if name:
        return fix_surrogates(str(name)).replace("/", "_").replace("\\", "_").strip() or "bilag"
    if part.get_content_type() == "message/rfc822":
        return f"vedhæftet-mail-{index}.eml"
    extension = {"application/pdf": ".pdf", "text/plain": ".txt"}.get(part.get_content_type(), "")
    return f"bilag-{index}{extension or '.bin'}"


def _is_inline_decoration(part: Message) -> bool:
    """Logos and pictures in a signature: inline images referenced by Content-ID."""
    return (
        part.get_content_maintype() == "image"
        and part.get("content-id") is not None
        and part.get_content_disposition() != "attachment"
    )


def _attachments(
    message: EmailMessage,
    body_part: Message | None,
    *,
    strict: bool,
    limits: Limits,
    warnings: list[str],
) -> list[MailAttachment]:
    found: list[MailAttachment] = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        if part is body_part or _is_inline_decoration(part):
            continue
        name = _attachment_name(part, index)
        try:
            if part.get_content_type() == "message/rfc822":
                inner = part.get_payload()
                inner_message = inner[0] if isinstance(inner, list) else inner
                if not isinstance(inner_message, Message):
                    raise AttachmentProblem(f"Den vedhæftede e-mail '{name}' er beskadiget.")
                data = inner_message.as_bytes(policy=policy.default)
            else:
                encoded = part.get_payload()
                if isinstance(encoded, str) and len(encoded) * 3 // 4 > limits.max_attachment * 2:
                    # Do not decode hundreds of megabytes only to refuse them.
                    check_attachment_size(name, len(encoded) * 3 // 4, limits)
                try:
                    data = _decoded_payload(part)
                except ValueError as exc:
                    raise AttachmentProblem(
                        f"Bilaget '{name}' er beskadiget (ugyldig base64-kodning).",
                        detail="Bed afsenderen sende filen igen, eller fortsæt uden bilaget.",
                    ) from exc
            check_attachment_size(name, len(data), limits)
        except AttachmentProblem as problem:
            if strict:
                raise
            warnings.append(f"{problem.message} Det er ikke taget med.")
            continue
        found.append(MailAttachment(name, part.get_content_type(), data))
    return found


def parse_eml(path: Path, data: bytes, *, strict: bool, limits: Limits) -> ParsedMail:
    """Read a MIME message from ``data`` (the bytes of ``path``)."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except (ValueError, TypeError, IndexError) as exc:
        raise IntakeError(f"Filen '{path.name}' kan ikke læses som e-mail: {exc}.") from exc
    if not isinstance(message, EmailMessage) or not any(
        message.get(h) for h in ("from", "subject", "date", "message-id")
    ):
        raise IntakeError(
            f"Filen '{path.name}' er ikke en e-mail.",
            detail="Der mangler afsender, emne og dato. Gem mailen fra Outlook som .msg "
            "eller fra et andet mailprogram som .eml.",
        )
    warnings: list[str] = []
    sender_name, sender_email = _sender(message)
    sent = _sent(message, warnings)
    body, body_part = _body_text(message, warnings)
    attachments = _attachments(message, body_part, strict=strict, limits=limits, warnings=warnings)
    subject = fix_surrogates(str(message.get("subject", "") or "")).strip()
    original_name = path.name if path.suffix.lower() == ".eml" else f"{path.stem}.eml"
    return ParsedMail(
        source=path,
        subject=" ".join(subject.split()),
        sender_name=" ".join(sender_name.split()),
        sender_email=sender_email,
        sent=sent,
        body=body,
        attachments=attachments,
        original=MailAttachment(original_name, "message/rfc822", data),
        warnings=warnings,
    )
