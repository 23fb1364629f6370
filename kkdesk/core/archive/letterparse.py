"""Recognise the structure of a reply letter from its text.

The forms (see docs/archive.md): an opening "Kære <navn>" with "Tak for din henvendelse
af <dato>, hvor du har stillet spørgsmål til <Forvaltning> vedrørende <emne>." or a
heading "Politikersvar til <navn> (<parti>) vedr. <emne>" with "<navn> har den <dato>
stillet følgende spørgsmål:"; then questions and answers in one of three layouts
(per question; all questions then "Ad N:"; all questions then "Svar på spørgsmål N:");
"Med venlig hilsen", signer and title; a "Bilag" list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kkdesk.core.archive.dates import find_dates
from kkdesk.core.archive.textclean import Line, double_spaced, line_width, to_lines
from kkdesk.core.dates import MONTHS
from kkdesk.core.drafts import MAX_SUBJECT, AskerRef, CaseDraft, LetterDraft, QuestionDraft
from kkdesk.core.errors import KnownError


class NotALetter(KnownError):
    """The text is not recognisable as a reply letter (the message says why)."""


@dataclass(frozen=True)
class AdminInfo:
    code: str
    name: str
    genitive: str


@dataclass(frozen=True)
class Directory:
    """What the parser matches names against: the database's reference data."""

    administrations: tuple[AdminInfo, ...] = ()
    units: tuple[tuple[str, str], ...] = ()  # (administration code, unit name)
    parties: frozenset[str] = frozenset()
    asker_parties: dict[str, str | None] = field(default_factory=dict)


@dataclass
class ParsedQuestion:
    number: int
    text: str
    answer: str = ""


@dataclass
class ParsedLetter:
    """What was recognised in one letter. ``problems`` must be fixed before it can be
    saved; ``warnings`` are worth a look."""

    source: str
    opening: str = "kaere"
    layout: str = "per_question"
    asker_name: str = ""
    asker_party: str | None = None
    received: list[dt.date] = field(default_factory=list)
    administration: str = ""
    administration_text: str = ""
    unit: str | None = None
    subject: str = ""
    questions: list[ParsedQuestion] = field(default_factory=list)
    general_answer: str = ""
    signer_name: str | None = None
    signer_title: str | None = None
    bilag: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def check(self, directory: Directory) -> None:
        """Recompute ``problems`` (after the user corrected fields)."""
        problems: list[str] = []
        if not self.asker_name.strip():
            problems.append("Spørgerens navn mangler.")
        if self.asker_party and directory.parties and self.asker_party not in directory.parties:
            problems.append(f"Partiet '{self.asker_party}' er ukendt.")
        if not self.received:
            problems.append("Datoen for henvendelsen blev ikke fundet.")
        if not self.administration:
            problems.append("Forvaltningen blev ikke genkendt.")
        if not self.subject.strip():
            problems.append("Emnet mangler.")
        if not self.questions:
            problems.append("Ingen spørgsmål fundet.")
        if not self.general_answer.strip() and not any(q.answer.strip() for q in self.questions):
            problems.append("Ingen svar fundet.")
        self.problems = problems

    def to_draft(self) -> CaseDraft:
        """The letter as an answered case."""
        return CaseDraft(
            subject=self.subject.strip()[:MAX_SUBJECT],
            asker=AskerRef(name=self.asker_name.strip(), party=self.asker_party or None),
            received=sorted(set(self.received)),
            administration=self.administration,
            unit=self.unit,
            status="besvaret",
            notes=f"Importeret fra arkivet: {self.source}",
            questions=[QuestionDraft(q.number, q.text, q.answer) for q in self.questions],
            letter=LetterDraft(
                layout=self.layout,
                opening=self.opening,
                general_answer=self.general_answer,
                signer_name=self.signer_name,
                signer_title=self.signer_title,
                bilag=list(self.bilag),
            ),
        )


# --- line classification ------------------------------------------------------------

_MONTHS = "|".join(MONTHS)
_KAERE = re.compile(r"^K(?:ære|aere)\s+(.+?)[,!]?$", re.I)
_POLITIKERSVAR = re.compile(r"^Politikersvar\s+til\b", re.I)
_Q_HEAD = re.compile(r"^Spørgsmål(?:\s+(\d{1,2}))?\s*[:.]?(?:\s+(.*))?$")
_A_HEAD = re.compile(r"^(?!svar\b)(.{3,100}?s)\s+svar\s*:?$", re.I)
_A_PLAIN = re.compile(r"^Svar\s*:?$", re.I)
_AD = re.compile(r"^Ad\s+(?:spørgsmål\s+)?(\d{1,2})\s*[:.)]\s*(.*)$", re.I)
_SVAR_PAA = re.compile(r"^Svar\s+på\s+spørgsmål\s+(\d{1,2})\s*[:.]?\s*(.*)$", re.I)
_CLOSING = re.compile(r"^(?:med\s+)?venlig(?:st)?\s+hilsen\b", re.I)
_BILAG_HEAD = re.compile(r"^Bilag\s*:?$", re.I)
_BILAG_ITEM = re.compile(r"^Bilag\s+(\d{1,2})\s*[–—:.\-]\s*(\S.*)$", re.I)
_ITEM = re.compile(rf"^(\d{{1,2}})\s*[.)]\s+(?!(?:{_MONTHS})\b)(\S.*)$", re.I)
_BULLET = re.compile(r"^[•·▪◦\-–*]\s*(\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;]\"?$|[.!?]”$")


@dataclass
class _Tagged:
    kind: str  # text, q, a, ad, svar, closing, bilag_head, bilag_item, kaere, politikersvar
    text: str
    number: int | None = None
    rest: str = ""
    blank_before: bool = False


def _tag(line: Line) -> _Tagged:
    text = line.text
    blank = line.blank_before
    if (m := _Q_HEAD.match(text)) and (m.group(1) or not m.group(2)):
        number = int(m.group(1)) if m.group(1) else None
        return _Tagged("q", text, number, m.group(2) or "", blank)
    if m := _SVAR_PAA.match(text):
        return _Tagged("svar", text, int(m.group(1)), m.group(2), blank)
    if m := _AD.match(text):
        return _Tagged("ad", text, int(m.group(1)), m.group(2), blank)
    if _A_PLAIN.match(text):
        return _Tagged("a", text, None, "", blank)
    if (m := _A_HEAD.match(text)) and not _SENTENCE_END.search(m.group(1)):
        return _Tagged("a", text, None, m.group(1), blank)
    if _CLOSING.match(text):
        return _Tagged("closing", text, None, "", blank)
    if _BILAG_HEAD.match(text):
        return _Tagged("bilag_head", text, None, "", blank)
    if m := _BILAG_ITEM.match(text):
        return _Tagged("bilag_item", text, int(m.group(1)), m.group(2), blank)
    return _Tagged("text", text, None, "", blank)


def _tag_all(lines: list[Line]) -> list[_Tagged]:
    tagged: list[_Tagged] = []
    index = 0
    while index < len(lines):
        current = _tag(lines[index])
        # "…forvaltningens" / "svar" split over two lines by the layout.
        if current.kind == "text" and index + 1 < len(lines) and len(current.text) < 90:
            both = Line(current.text + " " + lines[index + 1].text, lines[index].blank_before)
            merged = _tag(both)
            if merged.kind == "a" and lines[index + 1].text.lower().startswith("svar"):
                tagged.append(merged)
                index += 2
                continue
        tagged.append(current)
        index += 1
    return tagged


# --- paragraphs -----------------------------------------------------------------------


class _Layout:
    """How lines become paragraphs in this file."""

    def __init__(self, lines: list[Line], paragraphs: bool) -> None:
        self.paragraphs = paragraphs
        self.trust_blank = not double_spaced(lines)
        self.width = line_width(lines)

    def join(self, lines: list[_Tagged]) -> str:
        """Lines of one block as paragraphs separated by blank lines; lists as "- …"."""
        paragraphs: list[str] = []
        current: list[str] = []
        previous: _Tagged | None = None
        # Blank lines after nearly every line of a block are an extraction artefact.
        blanks = sum(1 for line in lines[1:] if line.blank_before)
        trust_blank = self.trust_blank and not (len(lines) >= 4 and blanks > 0.6 * (len(lines) - 1))
        previous_standalone = False
        for line in lines:
            text = line.text
            bullet = _BULLET.match(text)
            item = re.match(r"^(\d{1,2})\s*[.)]\s+\S", text) and (
                previous is None
                or bool(_SENTENCE_END.search(previous.text))
                or bool(re.match(r"^\d{1,2}\s*[.)]\s", previous.text))
            )
            if bullet:
                text = "- " + bullet.group(1)
            elif item:
                text = re.sub(r"^(\d{1,2})\s*[.)]\s+", r"\1) ", text)
            new = (
                self.paragraphs
                or previous is None
                or bool(bullet or item)
                or previous_standalone
                or (line.blank_before and trust_blank)
                or self._ends_paragraph(previous.text)
            )
            standalone = self._looks_like_heading(text, previous)
            if new or standalone:
                if current:
                    paragraphs.append(" ".join(current))
                current = [text]
            else:
                current.append(text)
            previous = line
            previous_standalone = standalone
        if current:
            paragraphs.append(" ".join(current))
        result: list[str] = []
        for paragraph in paragraphs:
            # Keep list items of one list together, one per line.
            is_item = paragraph.startswith("- ") or bool(re.match(r"^\d{1,2}\) ", paragraph))
            if (
                result
                and is_item
                and (
                    result[-1].split("\n")[-1][:2] == "- "
                    or re.match(r"^\d{1,2}\) ", result[-1].split("\n")[-1])
                )
            ):
                result[-1] += "\n" + paragraph
            else:
                result.append(paragraph)
        return "\n\n".join(result).strip()

    def _ends_paragraph(self, text: str) -> bool:
        return bool(_SENTENCE_END.search(text)) and len(text) < 0.8 * self.width

    def _looks_like_heading(self, text: str, previous: _Tagged | None) -> bool:
        if self.paragraphs or previous is None:
            return False
        return (
            len(text) < 0.5 * self.width
            and len(text.split()) <= 7
            and text[-1:].isalnum()
            and text[:1].isupper()
            and not _SENTENCE_END.search(text)
            and bool(_SENTENCE_END.search(previous.text))
        )


# --- matching names -------------------------------------------------------------------


def _key(value: str) -> str:
    return re.sub(r"[\s\-–]+", " ", value.casefold()).strip(" .,:")


def _find_administration(directory: Directory, text: str) -> AdminInfo | None:
    """The administration whose name or genitive ``text`` is (or contains)."""
    wanted = _key(text)
    if not wanted:
        return None
    for admin in directory.administrations:
        if wanted in (_key(admin.name), _key(admin.genitive), admin.code.casefold()):
            return admin
    for admin in sorted(directory.administrations, key=lambda a: -len(a.name)):
        if _key(admin.name) in wanted or _key(admin.genitive) in wanted:
            return admin
    return None


def _find_unit(directory: Directory, text: str) -> tuple[str, str] | None:
    wanted = _key(text)
    for code, name in directory.units:
        if _key(name) == wanted:
            return code, name
    return None


# --- the parser -----------------------------------------------------------------------

_PARTY = r"[A-ZÆØÅ]{1,2}"
_POLITIKERSVAR_FULL = re.compile(
    rf"^Politikersvar\s+til\s+(?P<name>.+?)(?:\s*\((?P<party>{_PARTY})\))?\s*"
    r"(?:vedr\.?|vedrørende|om|angående)\s+(?P<subject>.+)$",
    re.I | re.S,
)
_NAME_PARTY = re.compile(rf"^(?P<name>.+?)\s*\((?P<party>{_PARTY})\)$")
_INTRO_ADMIN = re.compile(
    r"spørgsmål\s+til\s+(?P<admin>.+?)\s+(?:vedrørende|vedr\.|om|angående|i forbindelse med)"
    r"\s+(?P<subject>.+)$",
    re.I | re.S,
)
_INTRO_DATES = re.compile(r"henvendelse[rn]?\s+af\s+(?P<dates>.+?)(?:,\s*hvor|\s+hvor|\.|$)", re.I)
_ASKED_ON = re.compile(r"\bhar\s+(?:den|d\.)\s+(?P<dates>.+?)\s+stillet", re.I)


def _subject(text: str) -> str:
    subject = " ".join(text.split()).strip().rstrip(".").strip()
    return subject[:1].upper() + subject[1:]


def parse_letter(
    text: str, directory: Directory, *, source: str = "", paragraphs: bool = False
) -> ParsedLetter:
    """Recognise a reply letter; raises ``NotALetter`` with a Danish reason."""
    lines = to_lines(text, paragraphs=paragraphs)
    if not lines:
        raise NotALetter("Filen indeholder ingen tekst.")
    tagged = _tag_all(lines)
    opening_index = next(
        (i for i, t in enumerate(tagged) if _KAERE.match(t.text) or _POLITIKERSVAR.match(t.text)),
        None,
    )
    if opening_index is None:
        raise NotALetter(
            "Ingen indledning fundet ('Kære …' eller 'Politikersvar til …'); "
            "filen ligner ikke et svarbrev."
        )
    letter = ParsedLetter(source=source)
    for head in tagged[:opening_index]:
        if found := _find_unit(directory, head.text):
            letter.administration, letter.unit = found
        elif admin := _find_administration(directory, head.text):
            letter.administration = letter.administration or admin.code
    # Page headers repeat the letterhead (a unit or administration) on a line of its own.
    headers = {_key(t.text) for t in tagged[:opening_index]}
    headers |= {_key(name) for _code, name in directory.units}
    headers |= {_key(a.name) for a in directory.administrations}
    body = [tagged[opening_index]] + [
        t for t in tagged[opening_index + 1 :] if not (t.kind == "text" and _key(t.text) in headers)
    ]
    end = _letter_end(body)
    closing, body = body[end:], body[:end]
    # Judge line widths and blank lines on the letter itself, not on appendices after it.
    layout = _Layout([Line(t.text, t.blank_before) for t in body] or lines, paragraphs)
    if _POLITIKERSVAR.match(body[0].text):
        questions_start = _politikersvar_opening(letter, body)
    else:
        questions_start = _kaere_opening(letter, body)
    _questions_and_answers(letter, body[questions_start:], layout, directory)
    _closing(letter, closing)
    if letter.asker_name and letter.asker_party is None:
        letter.asker_party = directory.asker_parties.get(letter.asker_name)
    if not letter.questions:
        raise NotALetter("Ingen spørgsmål fundet; filen ligner ikke et svarbrev.")
    if not letter.subject and letter.questions:
        letter.subject = _subject(letter.questions[0].text.split("\n")[0][:120])
        letter.warnings.append("Emnet er taget fra første spørgsmål.")
    letter.check(directory)
    return letter


def _letter_end(body: list[_Tagged]) -> int:
    """Index of the closing ("Med venlig hilsen") or the Bilag list, whichever is first."""
    for index, line in enumerate(body):
        if line.kind in ("closing", "bilag_head"):
            return index
        if line.kind == "bilag_item" and index > 0 and body[index - 1].kind != "text":
            return index
    for index, line in enumerate(body):
        if line.kind == "bilag_item":
            return index
    return len(body)


def _politikersvar_opening(letter: ParsedLetter, body: list[_Tagged]) -> int:
    """Heading and "… har den <dato> stillet følgende spørgsmål:"; returns where the
    questions start."""
    letter.opening = "politikersvar"
    heading: list[str] = []
    index = 0
    while index < len(body) and index < 6:
        line = body[index]
        ends_heading = (
            _ASKED_ON.search(line.text) or "stillet følgende" in line.text or line.kind != "text"
        )
        if ends_heading and index > 0:
            break
        heading.append(line.text)
        index += 1
    if m := _POLITIKERSVAR_FULL.match(" ".join(heading)):
        letter.asker_name = " ".join(m.group("name").split())
        letter.asker_party = m.group("party")
        letter.subject = _subject(m.group("subject"))
    else:
        rest = " ".join(heading)[len("Politikersvar til") :].strip()
        if m2 := _NAME_PARTY.match(rest):
            letter.asker_name, letter.asker_party = m2.group("name"), m2.group("party")
        else:
            letter.asker_name = rest
        letter.warnings.append("Emnet stod ikke i overskriften ('… vedr. <emne>').")
    intro: list[str] = []
    while index < len(body) and body[index].kind == "text" and not _ITEM.match(body[index].text):
        intro.append(body[index].text)
        index += 1
        if intro[-1].endswith(":"):
            break
    intro_text = " ".join(intro)
    if m := _ASKED_ON.search(intro_text):
        letter.received = find_dates(m.group("dates"))
    if not letter.received:
        letter.received = find_dates(intro_text)
    return index


def _kaere_opening(letter: ParsedLetter, body: list[_Tagged]) -> int:
    """ "Kære <navn>" and "Tak for din henvendelse af …"; returns where questions start."""
    letter.opening = "kaere"
    m = _KAERE.match(body[0].text)
    name = m.group(1).strip() if m else ""
    if m2 := _NAME_PARTY.match(name):
        name, letter.asker_party = m2.group("name"), m2.group("party")
    letter.asker_name = name
    index = 1
    intro: list[str] = []
    while index < len(body) and body[index].kind == "text" and not _ITEM.match(body[index].text):
        intro.append(body[index].text)
        index += 1
        if intro[-1].endswith(":") or (
            len(intro) > 1
            and intro[-1].endswith(".")
            and body[index - 1].blank_before is False
            and index < len(body)
            and body[index].kind != "text"
        ):
            break
    intro_text = " ".join(intro)
    first_sentence = intro_text
    if m3 := _INTRO_DATES.search(intro_text):
        letter.received = find_dates(m3.group("dates"))
    if not letter.received:
        letter.received = find_dates(first_sentence[:300])
    if m4 := _INTRO_ADMIN.search(intro_text):
        letter.administration_text = " ".join(m4.group("admin").split())
        subject = re.split(r"(?<=[a-zæøå0-9)])\.\s", m4.group("subject"), maxsplit=1)[0]
        letter.subject = _subject(subject)
    return index


def _split_items(lines: list[_Tagged], layout: _Layout) -> list[ParsedQuestion]:
    """Numbered items ("1. …", "2) …") of a question block; text before the first item is
    kept as the start of question 1 (context the asker gave)."""
    preamble: list[_Tagged] = []
    items: list[tuple[int, list[_Tagged]]] = []
    for line in lines:
        m = _ITEM.match(line.text)
        if m and int(m.group(1)) == len(items) + 1:
            items.append((int(m.group(1)), [_Tagged("text", m.group(2), None, "", True)]))
        elif items:
            items[-1][1].append(line)
        else:
            preamble.append(line)
    if not items:
        text = layout.join(lines)
        return [ParsedQuestion(1, text)] if text else []
    questions = [ParsedQuestion(n, layout.join(block)) for n, block in items]
    intro = layout.join(preamble)
    if intro:
        questions[0].text = intro + "\n\n" + questions[0].text
    return questions


def _questions_and_answers(
    letter: ParsedLetter, body: list[_Tagged], layout: _Layout, directory: Directory
) -> None:
    numbered_heads = [t for t in body if t.kind == "q" and t.number is not None]
    answer_heads = [t for t in body if t.kind == "a"]
    for head in answer_heads:
        if head.rest and (admin := _find_administration(directory, head.rest)):
            letter.administration = admin.code
            break
    if (
        not letter.administration
        and letter.administration_text
        and (admin := _find_administration(directory, letter.administration_text))
    ):
        letter.administration = admin.code
    if len(numbered_heads) >= 1 and len(answer_heads) >= len(numbered_heads):
        _per_question(letter, body, layout)
        return
    # All questions first, then one answer block.
    first_answer = next((i for i, t in enumerate(body) if t.kind in ("a", "ad", "svar")), len(body))
    question_lines = [t for t in body[:first_answer] if t.kind in ("text", "q")]
    question_lines = [
        (_Tagged("text", t.rest, None, "", True) if t.kind == "q" else t)
        for t in question_lines
        if t.kind == "text" or t.rest
    ]
    letter.questions = _split_items(question_lines, layout)
    answer = body[first_answer:]
    if answer and answer[0].kind == "a":
        answer = answer[1:]
    markers = [t for t in answer if t.kind in ("ad", "svar")]
    if not markers:
        text = layout.join(answer)
        if len(letter.questions) == 1:
            letter.questions[0].answer = text
        else:
            letter.general_answer = text
            letter.layout = "ad"
            if text:
                letter.warnings.append(
                    "Svaret kunne ikke fordeles på spørgsmålene; det står som generelt svar."
                )
        return
    letter.layout = "ad" if markers[0].kind == "ad" else "svar_paa"
    general: list[_Tagged] = []
    parts: dict[int, list[_Tagged]] = {}
    current: list[_Tagged] = general
    for line in answer:
        if line.kind in ("ad", "svar") and line.number is not None:
            current = parts.setdefault(line.number, [])
            if line.rest:
                current.append(_Tagged("text", line.rest, None, "", True))
        elif line.kind != "a":
            current.append(line)
    letter.general_answer = layout.join(general)
    known = {q.number for q in letter.questions}
    for number, lines in parts.items():
        text = layout.join(lines)
        if number not in known:
            letter.questions.append(ParsedQuestion(number, "", text))
            letter.warnings.append(f"Svar {number} har intet spørgsmål {number}.")
            continue
        for question in letter.questions:
            if question.number == number:
                question.answer = text
    letter.questions = [q for q in letter.questions if q.text.strip()] or letter.questions


def _per_question(letter: ParsedLetter, body: list[_Tagged], layout: _Layout) -> None:
    letter.layout = "per_question"
    questions: list[ParsedQuestion] = []
    question: list[_Tagged] | None = None
    answer: list[_Tagged] | None = None
    number = 0

    def flush() -> None:
        if question is not None:
            questions.append(
                ParsedQuestion(number, layout.join(question), layout.join(answer or []))
            )

    for line in body:
        if line.kind == "q" and line.number is not None:
            flush()
            number = line.number
            question = [_Tagged("text", line.rest, None, "", True)] if line.rest else []
            answer = None
        elif line.kind == "a" and question is not None:
            answer = []
        elif answer is not None:
            answer.append(line)
        elif question is not None:
            question.append(line)
    flush()
    letter.questions = questions


def _closing(letter: ParsedLetter, closing: list[_Tagged]) -> None:
    index = 0
    if closing and closing[0].kind == "closing":
        names: list[str] = []
        index = 1
        while index < len(closing) and closing[index].kind == "text" and len(names) < 2:
            names.append(closing[index].text)
            index += 1
        if names:
            letter.signer_name = names[0]
            letter.signer_title = names[1] if len(names) > 1 and len(names[1]) <= 80 else ""
    for line in closing[index:]:
        if line.kind == "bilag_item":
            letter.bilag.append(line.rest.strip())
        elif line.kind in ("bilag_head",):
            continue
        elif letter.bilag:
            break
