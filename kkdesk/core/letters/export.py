"""Making reply letters from stored cases: the service behind the app's export buttons,
its preview, the batch export and ``kkdesk letter``.

Draft or final: a letter is final when the case is approved (``APPROVED_STATUSES``);
until then it is marked UDKAST. A final letter of an unapproved case needs an explicit
override with a reason, which is written to the case history, as is every final letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, object_session

from kkdesk.core.cases import load_case
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.build import LetterSource, SourceQuestion, build_letter, case_fields
from kkdesk.core.letters.docx_render import render_docx
from kkdesk.core.letters.filenames import letter_file_name, unique_path
from kkdesk.core.letters.model import Letter
from kkdesk.core.letters.pdf_render import render_pdf
from kkdesk.core.letters.template_store import effective_templates
from kkdesk.core.letters.templates import TemplateSet
from kkdesk.core.models import Case, CaseEvent
from kkdesk.core.vocab import APPROVED_STATUSES, status_label

RENDERERS: dict[str, tuple[str, Callable[[Letter], bytes]]] = {
    "pdf": (".pdf", render_pdf),
    "docx": (".docx", render_docx),
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}


class ApprovalRequired(KnownError):
    """A final letter was asked for, the case is not approved and no override was given."""


def is_approved(status: str) -> bool:
    """Whether letters of a case in this status are final rather than drafts."""
    return status in APPROVED_STATUSES


def source_from_case(case: Case) -> LetterSource:
    """The plain data a letter needs, read from a loaded case."""
    admin = case.administration
    signer_name = case.signer_name if case.signer_name is not None else admin.signer_name
    signer_title = case.signer_title if case.signer_title is not None else admin.signer_title
    return LetterSource(
        case_number=case.case_number,
        subject=case.subject,
        asker_name=case.asker.name,
        asker_party=case.asker.party.letter if case.asker.party else None,
        received=tuple(d.received for d in case.received_dates) or (case.received_on,),
        administration_code=admin.code,
        administration_name=admin.name,
        administration_genitive=admin.genitive,
        administration_address=admin.address,
        unit=case.unit.name if case.unit else None,
        officer=case.officer.name if case.officer else None,
        status=case.status,
        layout=case.letter_layout,
        opening=case.letter_opening,
        general_answer=case.general_answer,
        signer_name=signer_name or "",
        signer_title=signer_title or "",
        questions=tuple(SourceQuestion(q.number, q.text, q.answer) for q in case.questions),
        bilag=_bilag_titles(case),
    )


def _bilag_titles(case: Case) -> tuple[str, ...]:
    """The Bilag list: title lines and files marked "sendes med svaret" (docs/mail.md)."""
    from kkdesk.core.attachments import letter_bilag

    session = object_session(case)
    if session is None:
        return tuple(a.title for a in case.appendices)
    return tuple(entry.title for entry in letter_bilag(session, case.id))


@dataclass(frozen=True)
class LetterFile:
    """A rendered letter and the name it is published under."""

    case_id: int
    case_number: str
    format: str
    data: bytes
    file_name: str
    draft: bool
    approved: bool = False
    status: str = ""


def _check_format(fmt: str) -> tuple[str, Callable[[Letter], bytes]]:
    try:
        return RENDERERS[fmt]
    except KeyError:
        raise KnownError(f"Formatet '{fmt}' kendes ikke. Vælg pdf eller docx.") from None


def _missing_answers(source: LetterSource) -> list[int]:
    return [q.number for q in source.questions if not q.answer.strip()]


def make_letter(
    session: Session,
    case_id: int,
    fmt: str,
    *,
    user: str,
    final: bool = False,
    override_reason: str | None = None,
    letter_date: dt.date | None = None,
    record: bool = True,
    templates: TemplateSet | None = None,
) -> LetterFile:
    """Render the letter of one case.

    ``final=False``: final if the case is approved, else a draft (UDKAST).
    ``final=True``: a final letter; for an unapproved case only with ``override_reason``
    (else ``ApprovalRequired``). A final letter needs an answer to every question.
    With ``record`` (exports, not previews) final letters are written to the history.
    """
    extension, render = _check_format(fmt)
    case = load_case(session, case_id)
    source = source_from_case(case)
    approved = is_approved(case.status)
    reason = (override_reason or "").strip()
    if final and not approved and not reason:
        raise ApprovalRequired(
            f"Sag {case.case_number} er ikke godkendt (status: {status_label(case.status)}).",
            detail="Et endeligt brev kræver, at sagen er godkendt. Angiv en begrundelse for at "
            "danne det alligevel; den skrives i sagens historik.",
        )
    draft = not approved and not (final and reason)
    if not draft and (missing := _missing_answers(source)):
        numbers = ", ".join(str(n) for n in missing)
        raise KnownError(
            f"Sag {case.case_number}: spørgsmål {numbers} har intet svar endnu.",
            detail="Et endeligt brev dannes først, når alle spørgsmål er besvaret.",
        )
    day = letter_date or dt.date.today()
    templates = templates or effective_templates(session, case.administration_id)
    letter = build_letter(source, templates, letter_date=day, draft=draft)
    data = render(letter)
    if fmt == "pdf":
        # PDF bilag marked "sendes med svaret" follow the letter, with bookmarks.
        from kkdesk.core.attachments import letter_pdf_parts
        from kkdesk.core.pdf_bilag import append_pdfs

        data = append_pdfs(data, letter_pdf_parts(session, case.id))
    file_name = letter_file_name(templates["filnavn"], case_fields(source, day), extension)
    result = LetterFile(
        case.id, case.case_number, fmt, data, file_name, draft, approved, case.status
    )
    if record:
        record_letter(session, result, user=user, override_reason=reason)
    return result


def record_letter(
    session: Session, letter: LetterFile, *, user: str, override_reason: str = ""
) -> None:
    """Write a final letter to the case history (drafts are not recorded); an override
    of the approval is recorded with its reason."""
    if letter.draft:
        return
    label = FORMAT_LABELS[letter.format]
    if letter.approved:
        event = CaseEvent(
            case_id=letter.case_id,
            user=user,
            action="brev",
            comment=f"Endeligt brev ({label}) dannet: {letter.file_name}",
        )
    else:
        event = CaseEvent(
            case_id=letter.case_id,
            user=user,
            action="brev",
            field="Godkendelse",
            old_value=status_label(letter.status),
            new_value="tilsidesat",
            comment=f"Endeligt brev ({label}) dannet uden godkendelse. "
            f"Begrundelse: {override_reason.strip()}",
        )
    session.add(event)
    session.flush()


def write_file(path: Path, data: bytes) -> None:
    """Write a letter; a failure is a ``KnownError`` that says why."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise KnownError(
            f"Filen '{path}' kan ikke gemmes: {exc.strerror or exc}.",
            detail="Vælg en anden mappe, eller luk filen, hvis den er åben i et andet program.",
        ) from exc


@dataclass
class BatchResult:
    """What a batch export did."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    drafts: int = 0
    cancelled: bool = False


# progress(done, total, label) → False to stop
Progress = Callable[[int, int, str], bool]


def export_batch(
    db: Database,
    case_ids: Sequence[int],
    fmt: str,
    folder: Path,
    *,
    user: str,
    letter_date: dt.date | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Export the letters of several cases into ``folder``, one session per case, so one
    bad case does not stop the rest. Unapproved cases become drafts (no overrides here)."""
    _check_format(fmt)
    if not folder.is_dir():
        raise KnownError(f"Mappen '{folder}' findes ikke.")
    result = BatchResult()
    total = len(case_ids)
    label = ""
    for index, case_id in enumerate(case_ids):
        if progress is not None and not progress(index, total, label):
            result.cancelled = True
            return result
        label = str(case_id)
        try:
            with db.session() as session:
                letter = make_letter(session, case_id, fmt, user=user, letter_date=letter_date)
                label = letter.case_number
                if not letter.draft:  # the personal-data guard; no reasons in a batch
                    from kkdesk.core.privacy import check_case

                    check_case(session, case_id, purpose="Brevet", reason=None, user=user)
                path = unique_path(folder, letter.file_name)
                write_file(path, letter.data)
        except KnownError as exc:
            result.failed.append((label, exc.message))
            continue
        result.written.append(path)
        result.drafts += letter.draft
    if progress is not None:
        progress(total, total, label)
    return result
