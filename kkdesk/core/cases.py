"""Creating, changing and reading cases. Every change is written to the case history.

Functions take a session (one per user action, see ``Database.session``) and a
``CaseDraft``; they validate, resolve references and raise ``ValidationError``,
``ConflictError`` or ``NotFoundError`` with Danish messages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from kkdesk.core import deadlines, permissions, users, workflow
from kkdesk.core.drafts import (
    CASE_NUMBER_RE,
    LAYOUTS,
    OPENINGS,
    AskerRef,
    CaseDraft,
    LetterDraft,
    QuestionDraft,
    normalise_search_text,
    validate_draft,
)
from kkdesk.core.errors import ConflictError, FieldError, NotFoundError, ValidationError
from kkdesk.core.models import (
    Administration,
    Asker,
    Case,
    CaseEvent,
    CaseNumberCounter,
    InquiryKind,
    LetterAppendix,
    Officer,
    Party,
    Question,
    ReceivedDate,
    Unit,
    utcnow,
)
from kkdesk.core.permissions import Action
from kkdesk.core.vocab import channel_label, status_label


def format_case_number(year: int, seq: int) -> str:
    return f"{year}-{seq:04d}"


def _counter(session: Session, year: int) -> CaseNumberCounter:
    """The year's counter row, locked for this transaction (created if missing)."""
    counter = session.get(CaseNumberCounter, year, with_for_update=True)
    if counter is None:
        if session.get_bind().dialect.name == "postgresql":
            # Two first cases of a new year at once: one inserts, the other waits.
            from sqlalchemy.dialects.postgresql import insert

            session.execute(
                insert(CaseNumberCounter)
                .values(year=year, last_number=0)
                .on_conflict_do_nothing(index_elements=["year"])
            )
            counter = session.get(CaseNumberCounter, year, with_for_update=True)
        if counter is None:
            counter = CaseNumberCounter(year=year, last_number=0)
            session.add(counter)
    return counter


def _next_case_number(session: Session, year: int) -> tuple[int, int]:
    counter = _counter(session, year)
    counter.last_number += 1
    session.flush()
    return year, counter.last_number


def _parse_case_number(number: str) -> tuple[int, int]:
    match = CASE_NUMBER_RE.match(number)
    assert match is not None  # validate_draft checked the form
    return int(match[1]), int(match[2])


def _claim_case_number(session: Session, year: int, seq: int) -> None:
    """An imported case keeps its number; the year's counter moves past it."""
    counter = _counter(session, year)
    counter.last_number = max(counter.last_number, seq)


class _Resolved:
    """The database records a draft refers to."""

    def __init__(self) -> None:
        self.kind: InquiryKind | None = None
        self.administration: Administration | None = None
        self.unit: Unit | None = None
        self.officer: Officer | None = None
        self.party: Party | None = None


def _resolve(session: Session, draft: CaseDraft) -> _Resolved:
    errors: list[FieldError] = []
    found = _Resolved()
    found.kind = session.get(InquiryKind, draft.kind)
    if found.kind is None:
        errors.append(FieldError("Type", f"'{draft.kind}' er ikke en kendt type henvendelse."))
    code = draft.administration.strip()
    found.administration = session.scalar(
        select(Administration).where(func.upper(Administration.code) == code.upper())
    ) or session.scalar(select(Administration).where(Administration.name == code))
    if found.administration is None and code:
        errors.append(FieldError("Forvaltning", f"'{code}' er ikke en kendt forvaltning."))
    if draft.unit and found.administration is not None:
        found.unit = session.scalar(
            select(Unit).where(
                Unit.administration_id == found.administration.id, Unit.name == draft.unit
            )
        )
        if found.unit is None:
            errors.append(
                FieldError(
                    "Enhed",
                    f"'{draft.unit}' er ikke en enhed i {found.administration.name}.",
                )
            )
    if draft.officer:
        found.officer = session.scalar(
            select(Officer).where(Officer.name == draft.officer).order_by(Officer.id)
        )
        if found.officer is None:
            errors.append(FieldError("Sagsbehandler", f"'{draft.officer}' er ikke oprettet."))
    if draft.asker.party:
        found.party = session.scalar(select(Party).where(Party.letter == draft.asker.party))
        if found.party is None:
            errors.append(FieldError("Parti", f"'{draft.asker.party}' er ikke et kendt parti."))
    if errors:
        raise ValidationError(errors)
    return found


def find_or_create_asker(session: Session, ref: AskerRef, party: Party | None) -> Asker:
    """Match an asker by e-mail, else by name and party; create one if none matches."""
    name = " ".join(ref.name.split())
    email = ref.email.strip() if ref.email else None
    if email:
        by_mail = session.scalar(
            select(Asker).where(func.lower(Asker.email) == email.lower()).order_by(Asker.id)
        )
        if by_mail is not None:
            return by_mail
    party_id = party.id if party else None
    candidates = session.scalars(select(Asker).where(Asker.name == name).order_by(Asker.id))
    for candidate in candidates:
        if candidate.party_id == party_id:
            if email and not candidate.email:
                candidate.email = email
            return candidate
    asker = Asker(name=name, party=party, email=email or None, role=ref.role)
    session.add(asker)
    return asker


def asker_label(asker: Asker) -> str:
    """``Navn (Ø)`` or just the name."""
    return f"{asker.name} ({asker.party.letter})" if asker.party else asker.name


def _search_text(case: Case) -> str:
    return normalise_search_text(case.case_number, case.subject, asker_label(case.asker))


def _record(case: Case, user: str, action: str, **values: str | None) -> None:
    case.history.append(CaseEvent(user=user, action=action, **values))


def _snapshot(case: Case) -> dict[str, str]:
    """Field values as the history shows them (Danish labels, not ids)."""
    return {
        "Type": case.kind.name if case.kind else case.kind_code,
        "Emne": case.subject,
        "Spørger": asker_label(case.asker),
        "Modtaget": ", ".join(d.received.isoformat() for d in case.received_dates),
        "Kanal": channel_label(case.channel),
        "Forvaltning": case.administration.code,
        "Enhed": case.unit.name if case.unit else "",
        "Sagsbehandler": case.officer.name if case.officer else "",
        "Status": status_label(case.status),
        "Noter": case.notes,
        "Brevlayout": LAYOUTS.get(case.letter_layout, case.letter_layout),
        "Indledning": OPENINGS.get(case.letter_opening, case.letter_opening),
        "Generelt svar": case.general_answer,
        "Underskriver": case.signer_name or "",
        "Underskrivers titel": case.signer_title or "",
        "Bilag": "\n".join(a.title for a in case.appendices),
    }


def _apply(session: Session, case: Case, draft: CaseDraft, found: _Resolved) -> None:
    assert found.kind and found.administration
    case.kind = found.kind
    case.subject = draft.subject.strip()
    case.channel = draft.channel
    case.asker = find_or_create_asker(session, draft.asker, found.party)
    case.administration = found.administration
    case.unit = found.unit
    case.officer = found.officer
    case.status = draft.status
    case.notes = draft.notes
    wanted = sorted(set(draft.received))
    keep = {d.received: d for d in case.received_dates}
    case.received_dates = [keep.get(day) or ReceivedDate(received=day) for day in wanted]
    case.received_on = wanted[0]
    letter = draft.letter
    case.letter_layout = letter.layout
    case.letter_opening = letter.opening
    case.general_answer = letter.general_answer
    case.signer_name = (letter.signer_name or "").strip() or None
    case.signer_title = letter.signer_title.strip() if letter.signer_title is not None else None
    titles = [t.strip() for t in letter.bilag]
    if [a.title for a in case.appendices] != titles:
        case.appendices = [
            LetterAppendix(position=i, title=t) for i, t in enumerate(titles, start=1)
        ]


@dataclass(frozen=True)
class QuestionChange:
    """One change to the questions, for the history and the permission check."""

    action: Action  # CASE_ANSWER for an answer, CASE_EDIT for anything else
    field: str
    old_value: str | None
    new_value: str | None
    comment: str


def _apply_questions(case: Case, questions: list[QuestionDraft]) -> list[QuestionChange]:
    """Update questions in place (matched by id); returns the changes."""
    existing = {q.id: q for q in case.questions}
    changes: list[QuestionChange] = []
    result: list[Question] = []
    edit, answer = Action.CASE_EDIT, Action.CASE_ANSWER
    for position, draft in enumerate(questions, start=1):
        question = existing.pop(draft.id, None) if draft.id is not None else None
        label = f"Spørgsmål {draft.number}"
        if question is None:
            question = Question(number=draft.number, text=draft.text, answer=draft.answer)
            changes.append(QuestionChange(edit, label, None, draft.text, f"{label} tilføjet"))
            if draft.answer:
                changes.append(
                    QuestionChange(
                        answer, f"{label}: svar", None, draft.answer, f"{label}: svar ændret"
                    )
                )
        else:
            if draft.version is not None and draft.version != question.version:
                raise ConflictError(
                    f"{label} i sag {case.case_number} er ændret af en anden, "
                    "siden du åbnede sagen.",
                    detail="Genindlæs sagen og indfør dine ændringer igen.",
                )
            if question.text != draft.text:
                changes.append(
                    QuestionChange(
                        edit, f"{label}: tekst", question.text, draft.text, f"{label}: tekst ændret"
                    )
                )
            if question.answer != draft.answer:
                changes.append(
                    QuestionChange(
                        answer,
                        f"{label}: svar",
                        question.answer,
                        draft.answer,
                        f"{label}: svar ændret",
                    )
                )
            if question.number != draft.number:
                changes.append(
                    QuestionChange(
                        edit,
                        f"Spørgsmål {question.number}: nummer",
                        str(question.number),
                        str(draft.number),
                        f"Spørgsmål {question.number} omnummereret til {draft.number}",
                    )
                )
            question.number, question.text, question.answer = (
                draft.number,
                draft.text,
                draft.answer,
            )
        question.position = position
        result.append(question)
    for removed in existing.values():
        label = f"Spørgsmål {removed.number}"
        changes.append(QuestionChange(edit, label, removed.text, None, f"{label} slettet"))
    case.questions = result
    return changes


# Which permission a change of each history field needs (anything else: CASE_EDIT).
FIELD_ACTIONS = {"Status": Action.CASE_TRANSITION, "Generelt svar": Action.CASE_ANSWER}


def _snapshot_text(case: Case) -> str:
    """The new case's fields as one text for its "oprettet" history line."""
    lines = [f"{name}: {value}" for name, value in _snapshot(case).items() if value]
    lines += [f"Spørgsmål {q.number}: {q.text}" for q in case.questions]
    lines += [f"Svar på spørgsmål {q.number}: {q.answer}" for q in case.questions if q.answer]
    return "\n".join(lines)


def create_case(session: Session, draft: CaseDraft, user: str) -> Case:
    """Register a new case. Assigns the next case number of the year of receipt."""
    errors = validate_draft(draft)
    if errors:
        raise ValidationError(errors)
    permissions.require(users.actor_for(session, user), Action.CASE_CREATE)
    found = _resolve(session, draft)
    if draft.case_number:
        year, seq = _parse_case_number(draft.case_number)
        number = format_case_number(year, seq)
        if session.scalar(select(Case.id).where(Case.year == year, Case.seq == seq)):
            raise ValidationError([FieldError("Sagsnr.", f"{number} findes allerede.")])
        _claim_case_number(session, year, seq)
    else:
        year, seq = _next_case_number(session, min(draft.received).year)
    now = utcnow()
    case = Case(
        case_number=format_case_number(year, seq),
        year=year,
        seq=seq,
        created_at=now,
        created_by=user,
        updated_at=now,
        updated_by=user,
    )
    _apply(session, case, draft, found)
    _apply_questions(case, draft.questions)
    case.search_text = _search_text(case)
    session.add(case)
    _record(
        case,
        user,
        "oprettet",
        new_value=_snapshot_text(case),
        comment=f"Sag {case.case_number} oprettet",
    )
    deadlines.start_case(session, case, draft, user)
    session.flush()
    return case


def load_case(session: Session, case_id: int) -> Case:
    """A case with everything the editor shows, or ``NotFoundError``."""
    case = session.get(
        Case,
        case_id,
        options=[
            selectinload(Case.questions),
            selectinload(Case.received_dates),
            selectinload(Case.appendices),
            selectinload(Case.asker).selectinload(Asker.party),
        ],
    )
    if case is None:
        raise NotFoundError("Sagen findes ikke længere. Den kan være slettet af en kollega.")
    return case


def find_case_id(session: Session, case_number: str) -> int:
    case_id = session.scalar(select(Case.id).where(Case.case_number == case_number))
    if case_id is None:
        raise NotFoundError(f"Sag {case_number} findes ikke.")
    return case_id


def update_case(
    session: Session, case_id: int, draft: CaseDraft, *, expected_version: int, user: str
) -> Case:
    """Save changes to a case read at ``expected_version``; records each change."""
    errors = validate_draft(draft)
    if errors:
        raise ValidationError(errors)
    case = load_case(session, case_id)
    if case.version != expected_version:
        who = users.display_name(session, case.updated_by) if case.updated_by else "en kollega"
        raise _conflict(case.case_number, who)
    found = _resolve(session, draft)
    number = case.case_number
    # The role check uses the administration the case had before this change.
    owner = _CaseRef(case.administration_id, case.case_number)
    try:
        with session.no_autoflush:
            before = _snapshot(case)
            # Status changes only through the workflow, with its rules and side effects.
            _apply(session, case, replace(draft, status=case.status), found)
            question_changes = _apply_questions(case, draft.questions)
            after = _snapshot(case)
            changed = [name for name in before if before[name] != after[name]]
            if draft.status != case.status:
                changed.append("Status")
            if not changed and not question_changes:
                return case
            needed = {FIELD_ACTIONS.get(name, Action.CASE_EDIT) for name in changed}
            needed |= {change.action for change in question_changes}
            permissions.require_all(users.actor_for(session, user), needed, owner)
            if "Status" in changed:
                workflow.transition(session, case, draft.status, user)
            if {"Type", "Modtaget"} & set(changed):
                deadlines.refresh_case(session, case, user, "Type eller modtagelsesdato ændret")
            for name in changed:
                if name != "Status":  # the workflow recorded it
                    old, new = before[name], after[name]
                    _record(case, user, "ændret", field=name, old_value=old, new_value=new)
            for change in question_changes:
                _record(
                    case,
                    user,
                    "spørgsmål",
                    field=change.field,
                    old_value=change.old_value,
                    new_value=change.new_value,
                    comment=change.comment,
                )
            case.search_text = _search_text(case)
            case.updated_at = utcnow()
            case.updated_by = user
        session.flush()
    except StaleDataError as exc:
        raise _conflict(number, "en kollega") from exc
    return case


def _conflict(case_number: str, who: str) -> ConflictError:
    return ConflictError(
        f"Sag {case_number} er ændret af {who}, siden du åbnede den.",
        detail="Dine ændringer er ikke gemt. Genindlæs sagen og indfør dem igen.",
    )


@dataclass(frozen=True)
class _CaseRef:
    administration_id: int
    case_number: str


def case_to_draft(case: Case) -> CaseDraft:
    """The editable form of a stored case."""
    return CaseDraft(
        case_number=case.case_number,
        kind=case.kind_code,
        subject=case.subject,
        asker=AskerRef(
            name=case.asker.name,
            party=case.asker.party.letter if case.asker.party else None,
            email=case.asker.email,
            role=case.asker.role,
        ),
        received=[d.received for d in case.received_dates],
        channel=case.channel,
        administration=case.administration.code,
        unit=case.unit.name if case.unit else None,
        officer=case.officer.name if case.officer else None,
        status=case.status,
        notes=case.notes,
        questions=[
            QuestionDraft(number=q.number, text=q.text, answer=q.answer, id=q.id, version=q.version)
            for q in case.questions
        ],
        letter=LetterDraft(
            layout=case.letter_layout,
            opening=case.letter_opening,
            general_answer=case.general_answer,
            signer_name=case.signer_name,
            signer_title=case.signer_title,
            bilag=[a.title for a in case.appendices],
        ),
    )


def refresh_search_text_for_asker(session: Session, asker_id: int) -> None:
    """Keep the list filter right after an asker was renamed or changed party."""
    for case in session.scalars(select(Case).where(Case.asker_id == asker_id)):
        text = _search_text(case)
        if case.search_text != text:
            session.execute(update(Case).where(Case.id == case.id).values(search_text=text))
