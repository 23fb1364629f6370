"""Parse archive files and save letters as answered cases.

Each letter is saved in its own transaction: a letter is imported whole or not at all,
and stopping an import (or a crash) half way leaves only whole cases behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kkdesk.core.archive.letterparse import (
    AdminInfo,
    Directory,
    NotALetter,
    ParsedLetter,
    parse_letter,
)
from kkdesk.core.archive.readers import UnreadableFile, read_file
from kkdesk.core.cases import create_case
from kkdesk.core.database import Database
from kkdesk.core.drafts import CaseDraft, validate_draft
from kkdesk.core.errors import KnownError, ValidationError
from kkdesk.core.interchange import FORMAT_NAME, FORMAT_VERSION
from kkdesk.core.models import Administration, Asker, Case, CaseEvent, Party, Unit

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Skipped:
    """A file or letter left out, with the reason in Danish."""

    source: str
    reason: str


@dataclass
class ParseReport:
    letters: list[ParsedLetter] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass
class ImportReport:
    created: list[tuple[str, str]] = field(default_factory=list)  # (source, case number)
    skipped: list[Skipped] = field(default_factory=list)
    cancelled: bool = False


def load_directory(session: Session) -> Directory:
    """The names the parser matches: administrations, units, parties, known askers."""
    admins = tuple(
        AdminInfo(a.code, a.name, a.genitive)
        for a in session.scalars(select(Administration).order_by(Administration.code))
    )
    units = tuple(
        (code, name)
        for code, name in session.execute(
            select(Administration.code, Unit.name).join(
                Unit, Unit.administration_id == Administration.id
            )
        )
    )
    parties = frozenset(session.scalars(select(Party.letter)))
    askers: dict[str, str | None] = {}
    for name, letter in session.execute(
        select(Asker.name, Party.letter).outerjoin(Party, Party.id == Asker.party_id)
    ):
        askers.setdefault(name, letter)
    return Directory(admins, units, parties, askers)


def parse_file(path: Path, directory: Directory) -> ParsedLetter:
    """One file as a ``ParsedLetter``; ``UnreadableFile``/``NotALetter`` say why not."""
    content = read_file(path)
    return parse_letter(content.text, directory, source=path.name, paragraphs=content.paragraphs)


def parse_files(
    paths: Sequence[Path],
    directory: Directory,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ParseReport:
    """Parse every file; unreadable ones and non-letters are listed as skipped."""
    report = ParseReport()
    for index, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        try:
            report.letters.append(parse_file(path, directory))
        except (UnreadableFile, NotALetter) as exc:
            report.skipped.append(Skipped(path.name, exc.message))
        except Exception as exc:  # a parser bug must not stop a 1,000-file import
            report.skipped.append(Skipped(path.name, f"Uventet fejl under læsning: {exc!r}"))
        if progress is not None:
            progress(index + 1, len(paths))
    return report


def _duplicate(session: Session, draft: CaseDraft) -> str | None:
    found = session.execute(
        select(Case.case_number)
        .join(Asker, Asker.id == Case.asker_id)
        .where(
            Case.subject == draft.subject,
            Case.received_on == min(draft.received),
            Asker.name == draft.asker.name,
        )
    ).first()
    return found[0] if found else None


def existing_cases(session: Session, letters: Sequence[ParsedLetter]) -> dict[int, str]:
    """Case numbers of letters already in the register, by position in ``letters``."""
    found: dict[int, str] = {}
    for index, letter in enumerate(letters):
        if letter.received and letter.subject.strip() and letter.asker_name.strip():
            number = _duplicate(session, letter.to_draft())
            if number:
                found[index] = number
    return found


def letter_problems(letter: ParsedLetter, directory: Directory) -> list[str]:
    """Everything that stops ``letter`` from being saved (Danish)."""
    letter.check(directory)
    problems = list(letter.problems)
    if not problems:
        problems += [str(e) for e in validate_draft(letter.to_draft())]
    return problems


def save_letter(session: Session, letter: ParsedLetter, directory: Directory, user: str) -> Case:
    """Create the answered case for ``letter`` (the caller's session is its transaction)."""
    problems = letter_problems(letter, directory)
    if problems:
        raise KnownError("; ".join(problems))
    draft = letter.to_draft()
    existing = _duplicate(session, draft)
    if existing:
        raise KnownError(f"Brevet findes allerede som sag {existing}.")
    try:
        case = create_case(session, draft, user)
    except ValidationError as exc:
        raise KnownError("; ".join(str(e) for e in exc.errors)) from exc
    case.history.append(
        CaseEvent(
            user=user, action="importeret", comment=f"Importeret fra arkivet: {letter.source}"
        )
    )
    session.flush()
    return case


def import_letters(
    db: Database,
    letters: Sequence[ParsedLetter],
    user: str,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Save each letter in its own transaction; letters that fail are listed, not saved."""
    report = ImportReport()
    with db.session() as session:
        directory = load_directory(session)
    for index, letter in enumerate(letters):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        try:
            with db.session() as session:
                case = save_letter(session, letter, directory, user)
                number = case.case_number
            report.created.append((letter.source, number))
        except KnownError as exc:
            report.skipped.append(Skipped(letter.source, exc.message))
        if progress is not None:
            progress(index + 1, len(letters))
    return report


def draft_to_dict(draft: CaseDraft) -> dict[str, Any]:
    """A draft in the interchange form (docs/interchange.md)."""
    return {
        "kind": draft.kind,
        "subject": draft.subject,
        "asker": {
            "name": draft.asker.name,
            "party": draft.asker.party,
            "email": draft.asker.email,
            "role": draft.asker.role,
        },
        "received": [d.isoformat() for d in draft.received],
        "channel": draft.channel,
        "administration": draft.administration,
        "unit": draft.unit,
        "officer": draft.officer,
        "status": draft.status,
        "questions": [
            {"number": q.number, "text": q.text, "answer": q.answer} for q in draft.questions
        ],
        "notes": draft.notes,
        "letter": {
            "layout": draft.letter.layout,
            "opening": draft.letter.opening,
            "general_answer": draft.letter.general_answer,
            "signer_name": draft.letter.signer_name,
            "signer_title": draft.letter.signer_title,
            "bilag": list(draft.letter.bilag),
        },
    }


def interchange_document(letters: Sequence[ParsedLetter]) -> dict[str, Any]:
    """The letters as an interchange document (``kkdesk case import`` reads it)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "cases": [draft_to_dict(letter.to_draft()) for letter in letters],
    }
