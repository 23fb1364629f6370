"""The personal-data guard: CPR numbers, private e-mail addresses and phone numbers in
what is about to be sent or published (the letter's texts and the bilag sent with it).

Run before a final letter is exported and before the reply e-mail is made. Sending
anyway needs a reason, which is written to the case history (``CaseEvent`` "persondata")
– with the findings masked, so the history does not become a copy of the data.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kkdesk.core import attachments
from kkdesk.core.cases import load_case
from kkdesk.core.errors import KnownError
from kkdesk.core.mailsettings import own_domains
from kkdesk.core.models import CaseEvent

CPR = "cpr"
EMAIL = "email"
PHONE = "telefon"
UNREADABLE = "ulaeselig"
LABELS = {
    CPR: "CPR-nummer",
    EMAIL: "Privat e-mailadresse",
    PHONE: "Telefonnummer",
    UNREADABLE: "Bilag kunne ikke gennemsøges",
}

_CPR = re.compile(r"(?<![\d\-/.])(\d{2})(\d{2})(\d{2})(?:-| |)(\d{4})(?![\d\-/])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)", re.UNICODE)
_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)45[ ]?)?([2-9]\d(?:[ ]?\d{2}){3}|[2-9]\d{3}[ ]\d{4})(?![\d])"
)
_PHONE_WORDS = re.compile(r"(tlf|telefon|mobil|phone|fax|ring)\W{0,4}$|\+45\s?$|0045\s?$", re.I)


@dataclass(frozen=True)
class Finding:
    """One piece of possible personal data and where it is."""

    kind: str
    value: str  # masked for display ("010203-••••")
    where: str  # "Svar på spørgsmål 2", "Bilag 'notat.pdf', side 3"
    context: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def describe(self) -> str:
        return f"{self.label} {self.value} i {self.where}".strip()


class PersonalDataFound(KnownError):
    """Possible personal data in what is about to be sent; a reason is needed."""

    def __init__(self, findings: list[Finding], purpose: str) -> None:
        self.findings = findings
        lines = "\n".join(f"• {f.describe()}" for f in findings[:20])
        more = f"\n… og {len(findings) - 20} mere" if len(findings) > 20 else ""
        super().__init__(
            f"{purpose} indeholder muligvis personoplysninger ({len(findings)} fund).",
            detail=f"{lines}{more}\n\nRet teksten, eller angiv en begrundelse for at "
            "fortsætte; begrundelsen skrives i sagens historik.",
        )


def cpr_date(day: int, month: int, year2: int, seventh: int) -> dt.date | None:
    """The birth date of a CPR number (century from the 7th digit), or None if invalid."""
    if seventh in (0, 1, 2, 3):
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year2 <= 36 else 1900
    else:
        century = 2000 if year2 <= 57 else 1800
    try:
        return dt.date(century + year2, month, day)
    except ValueError:
        return None


def _excerpt(text: str, start: int, end: int) -> str:
    left = max(0, start - 30)
    return " ".join(text[left : end + 30].split())


def _is_own(domain: str, own: list[str]) -> bool:
    domain = domain.lower()
    return any(domain == d or domain.endswith("." + d) for d in own)


def scan_text(text: str, where: str, *, own: list[str]) -> list[Finding]:
    """Findings in one text (``own``: the municipality's mail domains)."""
    found: list[Finding] = []
    cpr_spans: list[tuple[int, int]] = []
    for match in _CPR.finditer(text):
        day, month, year2, serial = (int(g) for g in match.groups())
        if cpr_date(day, month, year2, serial // 1000) is None:
            continue
        dashed = "-" in match[0]
        if not dashed and _PHONE_WORDS.search(text[max(0, match.start() - 12) : match.start()]):
            continue  # "tlf. 2512851234" is more likely a phone number with a typo
        cpr_spans.append(match.span())
        value = f"{match[1]}{match[2]}{match[3]}-••••"
        found.append(Finding(CPR, value, where, _excerpt(text, *match.span())))
    for match in _EMAIL.finditer(text):
        if not _is_own(match[1], own):
            found.append(Finding(EMAIL, match[0], where, _excerpt(text, *match.span())))
    for match in _PHONE.finditer(text):
        if any(s <= match.start() < e for s, e in cpr_spans):
            continue
        found.append(Finding(PHONE, match[0].strip(), where, _excerpt(text, *match.span())))
    return found


def scan_pdf(data: bytes, name: str, *, own: list[str]) -> list[Finding]:
    """Findings in a PDF's text, page by page (pypdf)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return [Finding(UNREADABLE, "", f"Bilag '{name}' (krypteret)")]
        found: list[Finding] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            found += scan_text(text, f"Bilag '{name}', side {number}", own=own)
        return found
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return [Finding(UNREADABLE, "", f"Bilag '{name}' (beskadiget PDF)")]


def _scan_docx(data: bytes, name: str, *, own: list[str]) -> list[Finding]:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception:
        return [Finding(UNREADABLE, "", f"Bilag '{name}' (Word-filen kan ikke læses)")]
    text = "\n".join(p.text for p in document.paragraphs)
    return scan_text(text, f"Bilag '{name}'", own=own)


def scan_attachment(
    info: attachments.AttachmentInfo, data: bytes, *, own: list[str]
) -> list[Finding]:
    """Findings in one bilag: PDF (per page), Word, plain text; other files are not read."""
    name = info.file_name
    if info.is_pdf:
        return scan_pdf(data, name, own=own)
    if name.lower().endswith(".docx"):
        return _scan_docx(data, name, own=own)
    if info.content_type.startswith("text/") or name.lower().endswith(".txt"):
        return scan_text(data.decode("utf-8", "replace"), f"Bilag '{name}'", own=own)
    return []


def scan_case(session: Session, case_id: int) -> list[Finding]:
    """Findings in what a reply sends: subject, questions, answers, general answer, bilag
    titles and the bilag marked "sendes med svaret"."""
    case = load_case(session, case_id)
    own = own_domains(session)
    found = scan_text(case.subject, "Emne", own=own)
    found += scan_text(case.general_answer, "Generelt svar", own=own)
    for question in case.questions:
        found += scan_text(question.text, f"Spørgsmål {question.number}", own=own)
        found += scan_text(question.answer, f"Svar på spørgsmål {question.number}", own=own)
    for appendix in case.appendices:
        found += scan_text(appendix.title, f"Bilagstitel {appendix.position}", own=own)
    for info in attachments.list_attachments(session, case_id):
        if info.send_with_reply:
            _info, data = attachments.attachment_data(session, info.id)
            found += scan_text(info.display_title, f"Bilagstitel '{info.file_name}'", own=own)
            found += scan_attachment(info, data, own=own)
    return found


def check_case(
    session: Session,
    case_id: int,
    *,
    purpose: str,
    reason: str | None,
    user: str,
    done: str = "",
) -> list[Finding]:
    """The guard: raises ``PersonalDataFound`` if the case has findings and no reason is
    given; with a reason, records it in the history (``done``: what was done anyway, e.g.
    "Endeligt brev dannet"). Returns the findings."""
    findings = scan_case(session, case_id)
    if not findings:
        return findings
    reason = (reason or "").strip()
    if not reason:
        raise PersonalDataFound(findings, purpose)
    record_override(session, case_id, findings, reason=reason, purpose=done or purpose, user=user)
    return findings


def record_override(
    session: Session,
    case_id: int,
    findings: list[Finding],
    *,
    reason: str,
    purpose: str,
    user: str,
) -> None:
    """Write "sent despite a warning" with the reason and the (masked) findings."""
    lines = "; ".join(f.describe() for f in findings[:20])
    session.add(
        CaseEvent(
            case_id=case_id,
            user=user,
            action="persondata",
            comment=f"{purpose} trods advarsel om personoplysninger ({lines}). "
            f"Begrundelse: {reason.strip()}",
        )
    )
    session.flush()
