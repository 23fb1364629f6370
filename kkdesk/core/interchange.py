"""The JSON interchange format for cases (documented in docs/interchange.md).

``parse_document`` turns JSON into ``CaseDraft``s and names the case and field of every
problem; ``import_cases`` saves all of them or none; ``export_cases`` writes the same form.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kkdesk.core import audit, interchange_deadlines, permissions, users
from kkdesk.core.cases import create_case
from kkdesk.core.drafts import AskerRef, CaseDraft, LetterDraft, QuestionDraft, validate_draft
from kkdesk.core.errors import FieldError, KnownError, ValidationError
from kkdesk.core.models import Asker, Case
from kkdesk.core.permissions import Action

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMAT_NAME = "kkdesk-cases"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
FORMAT_VERSION = 1

CASE_KEYS = {
    "case_number",
    "kind",
    "subject",
    "asker",
    "received",
    "channel",
    "administration",
    "unit",
    "officer",
    "status",
    "questions",
    "notes",
    "letter",
} | interchange_deadlines.CASE_KEYS
LETTER_KEYS = {"layout", "opening", "general_answer", "signer_name", "signer_title", "bilag"}
ASKER_KEYS = {"name", "party", "email", "role"}
QUESTION_KEYS = {"number", "text", "answer"}


class ImportError_(KnownError):
    """A problem in an import file, naming the case and the field."""


def _where(index: int, raw: Any) -> str:
    label = f"Sag nr. {index + 1} i filen"
    if isinstance(raw, dict):
        ident = raw.get("case_number") or raw.get("subject")
        if isinstance(ident, str) and ident:
            label += f" ({ident[:60]})"
    return label


def _string(value: Any, field: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        kind = "tekst eller null" if optional else "tekst"
        raise _FieldProblem(field, f"skal være {kind}, ikke {json.dumps(value)[:40]}.")
    return value


class _FieldProblem(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.error = FieldError(field, message)


def _parse_case(raw: Any) -> tuple[CaseDraft, list[FieldError]]:
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        raise _FieldProblem("sag", "skal være et JSON-objekt.")
    unknown = sorted(set(raw) - CASE_KEYS)
    for key in unknown:
        errors.append(FieldError(key, "er ikke et kendt felt."))

    def get(key: str, default: Any = None, *, optional: bool = False) -> Any:
        try:
            return _string(raw.get(key, default), key, optional=optional)
        except _FieldProblem as problem:
            errors.append(problem.error)
            return default

    asker_raw = raw.get("asker")
    asker = AskerRef(name="")
    if not isinstance(asker_raw, dict):
        errors.append(FieldError("asker", "skal være et objekt med mindst 'name'."))
    else:
        for key in sorted(set(asker_raw) - ASKER_KEYS):
            errors.append(FieldError(f"asker.{key}", "er ikke et kendt felt."))
        try:
            asker = AskerRef(
                name=_string(asker_raw.get("name"), "asker.name") or "",
                party=_string(asker_raw.get("party"), "asker.party", optional=True),
                email=_string(asker_raw.get("email"), "asker.email", optional=True),
                role=_string(asker_raw.get("role", "br"), "asker.role") or "br",
            )
        except _FieldProblem as problem:
            errors.append(problem.error)

    received: list[dt.date] = []
    received_raw = raw.get("received")
    if not isinstance(received_raw, list) or not received_raw:
        errors.append(FieldError("received", "skal være en liste med mindst én dato (ÅÅÅÅ-MM-DD)."))
    else:
        for value in received_raw:
            try:
                # Only the documented form: fromisoformat alone also takes 20250522 and weeks.
                if not isinstance(value, str) or not ISO_DATE.match(value):
                    raise ValueError(value)
                received.append(dt.date.fromisoformat(value))
            except ValueError:
                errors.append(
                    FieldError("received", f"'{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD.")
                )

    questions: list[QuestionDraft] = []
    questions_raw = raw.get("questions", [])
    if not isinstance(questions_raw, list):
        errors.append(FieldError("questions", "skal være en liste."))
        questions_raw = []
    for position, item in enumerate(questions_raw, start=1):
        where = f"questions[{position}]"
        if not isinstance(item, dict):
            errors.append(FieldError(where, "skal være et objekt."))
            continue
        for key in sorted(set(item) - QUESTION_KEYS):
            errors.append(FieldError(f"{where}.{key}", "er ikke et kendt felt."))
        number = item.get("number", position)
        if not isinstance(number, int) or isinstance(number, bool):
            errors.append(FieldError(f"{where}.number", "skal være et heltal."))
            number = position
        try:
            questions.append(
                QuestionDraft(
                    number=number,
                    text=_string(item.get("text"), f"{where}.text") or "",
                    answer=_string(item.get("answer", ""), f"{where}.answer", optional=True) or "",
                )
            )
        except _FieldProblem as problem:
            errors.append(problem.error)

    letter = _parse_letter(raw.get("letter", {}), errors)
    answered_on, approved_by, deadline = interchange_deadlines.parse(raw, errors)
    draft = CaseDraft(
        answered_on=answered_on,
        approved_by=approved_by,
        deadline=deadline,
        letter=letter,
        case_number=get("case_number", None, optional=True),
        kind=get("kind", "br") or "br",
        subject=get("subject", "") or "",
        asker=asker,
        received=received,
        channel=get("channel", "email") or "email",
        administration=get("administration", "") or "",
        unit=get("unit", None, optional=True),
        officer=get("officer", None, optional=True),
        status=get("status", "modtaget") or "modtaget",
        notes=get("notes", "", optional=True) or "",
        questions=questions,
    )
    return draft, errors


def _parse_letter(raw: Any, errors: list[FieldError]) -> LetterDraft:
    letter = LetterDraft()
    if raw is None:
        return letter
    if not isinstance(raw, dict):
        errors.append(FieldError("letter", "skal være et objekt."))
        return letter
    for key in sorted(set(raw) - LETTER_KEYS):
        errors.append(FieldError(f"letter.{key}", "er ikke et kendt felt."))
    try:
        letter.layout = _string(raw.get("layout", letter.layout), "letter.layout") or ""
        letter.opening = _string(raw.get("opening", letter.opening), "letter.opening") or ""
        letter.general_answer = (
            _string(raw.get("general_answer", ""), "letter.general_answer", optional=True) or ""
        )
        letter.signer_name = _string(raw.get("signer_name"), "letter.signer_name", optional=True)
        letter.signer_title = _string(raw.get("signer_title"), "letter.signer_title", optional=True)
    except _FieldProblem as problem:
        errors.append(problem.error)
    bilag = raw.get("bilag", [])
    if not isinstance(bilag, list) or not all(isinstance(t, str) for t in bilag):
        errors.append(FieldError("letter.bilag", "skal være en liste af titler (tekst)."))
    else:
        letter.bilag = list(bilag)
    return letter


def parse_document(text: str) -> list[CaseDraft]:
    """Parse an interchange document; raises ``ImportError_`` listing every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportError_(
            f"Filen er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}): {exc.msg}."
        ) from exc
    except RecursionError as exc:
        raise ImportError_(
            "Filen er ikke en kkdesk-fil: den er indlejret for mange niveauer."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise ImportError_('Filen skal være et JSON-objekt med listen "cases".')
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise ImportError_(f"Filen er ikke i kkdesks format (format: {data.get('format')!r}).")
    version = data.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ImportError_(
            f"Filen er lavet af en nyere kkdesk (formatversion {version}). "
            "Opdatér kkdesk og prøv igen."
        )
    drafts: list[CaseDraft] = []
    problems: list[str] = []
    for index, raw in enumerate(data["cases"]):
        try:
            draft, errors = _parse_case(raw)
        except _FieldProblem as problem:
            problems.append(f"{_where(index, raw)}: {problem.error}")
            continue
        errors += validate_draft(draft)
        problems += [f"{_where(index, raw)}: {error}" for error in errors]
        drafts.append(draft)
    if problems:
        raise ImportError_("Importen er afbrudt; intet er gemt.\n" + "\n".join(problems))
    return drafts


def import_cases(session: Session, drafts: Sequence[CaseDraft], user: str) -> list[Case]:
    """Create every case or none (the caller's session rolls back on error).

    Secretariat only; the import is written to the audit log (and each case's history).
    """
    permissions.require(users.actor_for(session, user), Action.CASE_IMPORT)
    created: list[Case] = []
    for index, draft in enumerate(drafts):
        try:
            created.append(create_case(session, draft, user))
        except ValidationError as exc:
            where = f"Sag nr. {index + 1} i filen ({draft.case_number or draft.subject[:60]})"
            raise ImportError_(
                "Importen er afbrudt; intet er gemt.\n"
                + "\n".join(f"{where}: {error}" for error in exc.errors)
            ) from exc
    if created:
        numbers = ", ".join(case.case_number for case in created[:50])
        more = f" og {len(created) - 50} flere" if len(created) > 50 else ""
        audit.log(
            session,
            user,
            "sager",
            "",
            "importeret",
            comment=f"{len(created)} sager importeret: {numbers}{more}",
        )
    return created


def case_to_dict(case: Case) -> dict[str, Any]:
    """One case in the interchange form."""
    return {
        "case_number": case.case_number,
        "kind": case.kind_code,
        "subject": case.subject,
        "asker": {
            "name": case.asker.name,
            "party": case.asker.party.letter if case.asker.party else None,
            "email": case.asker.email,
            "role": case.asker.role,
        },
        "received": [d.received.isoformat() for d in case.received_dates],
        "channel": case.channel,
        "administration": case.administration.code,
        "unit": case.unit.name if case.unit else None,
        "officer": case.officer.name if case.officer else None,
        "status": case.status,
        "questions": [
            {"number": q.number, "text": q.text, "answer": q.answer} for q in case.questions
        ],
        "notes": case.notes,
        "letter": {
            "layout": case.letter_layout,
            "opening": case.letter_opening,
            "general_answer": case.general_answer,
            "signer_name": case.signer_name,
            "signer_title": case.signer_title,
            "bilag": [a.title for a in case.appendices],
        },
        **interchange_deadlines.to_dict(case),
    }


EXPORT_CHUNK = 500


def iter_export(
    session: Session, case_numbers: Sequence[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The cases in the interchange form, oldest first, read in chunks (constant memory)."""
    query = select(Case.id).order_by(Case.year, Case.seq)
    if case_numbers:
        wanted = list(dict.fromkeys(case_numbers))
        query = query.where(Case.case_number.in_(wanted))
        found = set(session.scalars(select(Case.case_number).where(Case.case_number.in_(wanted))))
        missing = [n for n in wanted if n not in found]
        if missing:
            raise KnownError("Disse sager findes ikke: " + ", ".join(missing))
    ids = list(session.scalars(query))
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        loaded = session.scalars(
            select(Case)
            .where(Case.id.in_(chunk))
            .options(
                selectinload(Case.questions),
                selectinload(Case.received_dates),
                selectinload(Case.appendices),
                selectinload(Case.extensions),
                selectinload(Case.pauses),
                selectinload(Case.asker).selectinload(Asker.party),
                selectinload(Case.administration),
                selectinload(Case.unit),
                selectinload(Case.officer),
            )
        ).all()
        by_id = {case.id: case for case in loaded}
        for case_id in chunk:
            yield case_to_dict(by_id[case_id])
        session.expunge_all()


def export_cases(session: Session, case_numbers: Sequence[str] | None = None) -> dict[str, Any]:
    """The interchange document for the given cases (all cases when None)."""
    cases = list(iter_export(session, case_numbers))
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "cases": cases}


def write_export(session: Session, out: TextIO, case_numbers: Sequence[str] | None = None) -> int:
    """Write the interchange document to ``out`` case by case (for large registers).

    Returns the number of cases written."""
    cases = iter_export(session, case_numbers)
    first = next(cases, None)  # raises before anything is written if a case is missing
    out.write(f'{{\n  "format": "{FORMAT_NAME}",\n  "version": {FORMAT_VERSION},\n  "cases": [')
    count = 0
    if first is not None:
        for position, case in enumerate(itertools.chain([first], cases)):
            body = json.dumps(case, ensure_ascii=False, indent=2)
            out.write(("," if position else "") + "\n    " + body.replace("\n", "\n    "))
            count += 1
        out.write("\n  ")
    out.write("]\n}\n")
    return count


def draft_to_dict(draft: CaseDraft) -> dict[str, Any]:
    """A draft (not yet saved) in the interchange form; ``case_number`` None = new case."""
    return {
        "case_number": draft.case_number,
        "kind": draft.kind,
        "subject": draft.subject,
        "asker": {
            "name": draft.asker.name,
            "party": draft.asker.party,
            "email": draft.asker.email,
            "role": draft.asker.role,
        },
        "received": [day.isoformat() for day in draft.received],
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
