"""Plain data for a case as a form or an import file holds it, and its validation.

A ``CaseDraft`` refers to administrations, units, officers and parties by code or name,
so the editor, the JSON import and later the archive and e-mail intake share one path
into the database (``kkdesk.core.cases``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kkdesk.core.errors import FieldError
from kkdesk.core.textcheck import text_problem
from kkdesk.core.vocab import CHANNEL_LABELS, ROLE_LABELS, STATUS_LABELS

CASE_NUMBER_RE = re.compile(r"^(\d{4})-(\d{1,6})$")
MAX_SUBJECT = 500
MAX_NAME = 200
MAX_QUESTION_NUMBER = 9999
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EARLIEST_DATE = dt.date(1990, 1, 1)


@dataclass
class AskerRef:
    """Who asked; matched to the register by e-mail, else by name and party."""

    name: str
    party: str | None = None
    email: str | None = None
    role: str = "br"


@dataclass
class QuestionDraft:
    number: int
    text: str
    answer: str = ""
    id: int | None = None
    # The stored question's version when it was read (optimistic lock); None for new ones.
    version: int | None = None


LAYOUTS = {
    "per_question": "Spørgsmål og svar for hvert spørgsmål",
    "ad": 'Alle spørgsmål, derefter svar med "Ad N:"',
    "svar_paa": 'Alle spørgsmål, derefter "Svar på spørgsmål N:"',
}
OPENINGS = {
    "kaere": "Kære <navn> – tak for din henvendelse",
    "politikersvar": "Politikersvar til <navn> (<parti>)",
}


@dataclass
class LetterDraft:
    """What the reply letter needs beyond the questions and answers.

    ``layout``: ``per_question`` ("Spørgsmål N" / question / "<Forvaltning>s svar" /
    answer), ``ad`` (all questions, then the answer with "Ad N:") or ``svar_paa`` (all
    questions, then "Svar på spørgsmål N:"). ``opening``: ``kaere`` ("Kære <navn>" + "Tak
    for din henvendelse af …") or ``politikersvar`` ("Politikersvar til <navn> (<parti>)
    vedr. …"). ``signer_name``/``signer_title`` None: the administration's default.
    """

    layout: str = "per_question"
    opening: str = "kaere"
    general_answer: str = ""
    signer_name: str | None = None
    signer_title: str | None = None
    bilag: list[str] = field(default_factory=list)


@dataclass
class ExtensionDraft:
    """A fristforlængelse: ``days`` working days more, with the reason."""

    days: int
    reason: str


@dataclass
class PauseDraft:
    """A period "sat i bero" (``resumed_on`` None: the case is paused now)."""

    paused_on: dt.date
    resumed_on: dt.date | None = None
    reason: str = ""
    resume_status: str = "under_udarbejdelse"


@dataclass
class DeadlineDraft:
    """What a new case's deadline is derived from besides its kind and received date.

    Used when a case is created (import); later changes go through
    ``kkdesk.core.deadlines`` and ``kkdesk.core.workflow``, which record them.
    """

    override: dt.date | None = None
    override_reason: str = ""
    extensions: list[ExtensionDraft] = field(default_factory=list)
    pauses: list[PauseDraft] = field(default_factory=list)


@dataclass
class CaseDraft:
    subject: str
    asker: AskerRef
    received: list[dt.date]
    administration: str
    kind: str = "br"
    channel: str = "email"
    unit: str | None = None
    officer: str | None = None
    status: str = "modtaget"
    notes: str = ""
    questions: list[QuestionDraft] = field(default_factory=list)
    case_number: str | None = None
    letter: LetterDraft = field(default_factory=LetterDraft)
    # Workflow and deadline state of an imported case (the editor leaves them alone).
    answered_on: dt.date | None = None
    approved_by: str | None = None
    deadline: DeadlineDraft = field(default_factory=DeadlineDraft)


def validate_draft(draft: CaseDraft, *, today: dt.date | None = None) -> list[FieldError]:
    """Checks that need no database. Returns one ``FieldError`` per problem (Danish)."""
    today = today or dt.date.today()
    errors: list[FieldError] = []
    if not draft.subject.strip():
        errors.append(FieldError("Emne", "skal udfyldes."))
    elif len(draft.subject) > MAX_SUBJECT:
        errors.append(FieldError("Emne", f"må højst være {MAX_SUBJECT} tegn."))
    if not draft.asker.name.strip():
        errors.append(FieldError("Spørger", "skal udfyldes."))
    elif len(draft.asker.name) > MAX_NAME:
        errors.append(FieldError("Spørger", f"må højst være {MAX_NAME} tegn."))
    if draft.asker.email and not EMAIL_RE.match(draft.asker.email.strip()):
        errors.append(
            FieldError("E-mail", f"'{draft.asker.email}' er ikke en gyldig e-mailadresse.")
        )
    if draft.asker.role not in ROLE_LABELS:
        errors.append(FieldError("Rolle", f"'{draft.asker.role}' er ukendt."))
    if not draft.received:
        errors.append(FieldError("Modtaget", "mindst én modtagelsesdato skal udfyldes."))
    for day in draft.received:
        if day > today:
            errors.append(FieldError("Modtaget", f"{day:%d-%m-%Y} ligger i fremtiden."))
        elif day < EARLIEST_DATE:
            errors.append(FieldError("Modtaget", f"{day:%d-%m-%Y} er for langt tilbage."))
    if len(set(draft.received)) != len(draft.received):
        errors.append(FieldError("Modtaget", "den samme dato står der flere gange."))
    if not draft.administration.strip():
        errors.append(FieldError("Forvaltning", "skal vælges."))
    if draft.channel not in CHANNEL_LABELS:
        errors.append(FieldError("Kanal", f"'{draft.channel}' er ukendt."))
    if draft.status not in STATUS_LABELS:
        errors.append(FieldError("Status", f"'{draft.status}' er ukendt."))
    if draft.case_number is not None and not CASE_NUMBER_RE.match(draft.case_number):
        errors.append(FieldError("Sagsnr.", f"'{draft.case_number}' skal have formen ÅÅÅÅ-NNNN."))
    if draft.letter.layout not in LAYOUTS:
        errors.append(FieldError("Brevlayout", f"'{draft.letter.layout}' er ukendt."))
    if draft.letter.opening not in OPENINGS:
        errors.append(FieldError("Indledning", f"'{draft.letter.opening}' er ukendt."))
    for index, title in enumerate(draft.letter.bilag, start=1):
        if not title.strip():
            errors.append(FieldError(f"Bilag {index}", "titlen skal udfyldes."))
    if not draft.questions:
        errors.append(FieldError("Spørgsmål", "sagen skal have mindst ét spørgsmål."))
    numbers: set[int] = set()
    for index, question in enumerate(draft.questions, start=1):
        label = f"Spørgsmål {question.number or index}"
        if not question.text.strip():
            errors.append(FieldError(label, "teksten skal udfyldes."))
        if question.number < 1:
            errors.append(FieldError(label, "nummeret skal være 1 eller større."))
        elif question.number > MAX_QUESTION_NUMBER:
            errors.append(FieldError(label, f"nummeret må højst være {MAX_QUESTION_NUMBER}."))
        if question.number in numbers:
            errors.append(FieldError(label, "nummeret bruges allerede i sagen."))
        numbers.add(question.number)
    errors += _validate_deadline(draft)
    for name, value in _text_fields(draft):
        problem = text_problem(value)
        if problem:
            errors.append(FieldError(name, problem))
    return errors


def _validate_deadline(draft: CaseDraft) -> list[FieldError]:
    errors: list[FieldError] = []
    first = min(draft.received, default=None)
    if draft.answered_on is not None and first is not None and draft.answered_on < first:
        errors.append(FieldError("Besvaret", "kan ikke ligge før modtagelsesdatoen."))
    if draft.answered_on is not None and draft.status not in ("besvaret", "offentliggjort"):
        errors.append(
            FieldError("Besvaret", "kun besvarede og offentliggjorte sager har en svardato.")
        )
    spec = draft.deadline
    if spec.override is not None and not spec.override_reason.strip():
        errors.append(FieldError("Manuel frist", "kræver en begrundelse."))
    if spec.override is not None and first is not None and spec.override < first:
        errors.append(FieldError("Manuel frist", "kan ikke ligge før modtagelsesdatoen."))
    for index, extension in enumerate(spec.extensions, start=1):
        if not 1 <= extension.days <= 250:
            errors.append(FieldError(f"Fristforlængelse {index}", "skal være 1–250 arbejdsdage."))
        if not extension.reason.strip():
            errors.append(FieldError(f"Fristforlængelse {index}", "kræver en begrundelse."))
    open_pauses = [p for p in spec.pauses if p.resumed_on is None]
    for index, pause in enumerate(spec.pauses, start=1):
        if pause.resumed_on is not None and pause.resumed_on < pause.paused_on:
            errors.append(FieldError(f"Pause {index}", "slutter før den begynder."))
        if pause.resume_status not in STATUS_LABELS or pause.resume_status in (
            "i_bero",
            "besvaret",
            "offentliggjort",
            "videresendt",
            "annulleret",
        ):
            errors.append(
                FieldError(f"Pause {index}", f"'{pause.resume_status}' kan ikke genoptages.")
            )
    if len(open_pauses) > 1 or (open_pauses and draft.status != "i_bero"):
        errors.append(FieldError("Pauser", "kun en sag i bero kan have én igangværende pause."))
    return errors


def _text_fields(draft: CaseDraft) -> list[tuple[str, str]]:
    fields = [
        ("Emne", draft.subject),
        ("Spørger", draft.asker.name),
        ("E-mail", draft.asker.email or ""),
        ("Parti", draft.asker.party or ""),
        ("Sagsnr.", draft.case_number or ""),
        ("Type", draft.kind),
        ("Forvaltning", draft.administration),
        ("Enhed", draft.unit or ""),
        ("Sagsbehandler", draft.officer or ""),
        ("Noter", draft.notes),
        ("Generelt svar", draft.letter.general_answer),
        ("Underskriver", draft.letter.signer_name or ""),
        ("Underskrivers titel", draft.letter.signer_title or ""),
    ]
    fields += [(f"Bilag {i}", title) for i, title in enumerate(draft.letter.bilag, start=1)]
    for q in draft.questions:
        fields.append((f"Spørgsmål {q.number}", q.text))
        fields.append((f"Svar på spørgsmål {q.number}", q.answer))
    return fields


def normalise_search_text(*parts: str | None) -> str:
    """Case-folded text for the list's free-text filter ("STØJ" finds "støj")."""
    return " ".join(p for p in parts if p).casefold()
