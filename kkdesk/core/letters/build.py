"""From a case (as ``LetterSource``, plain data) and the templates to a ``Letter``.

The three layouts and two openings of docs/letters.md are put together here, once, for
both renderers. Danish forms come from data (genitives) and ``kkdesk.core.dates``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kkdesk.core.dates import MONTHS, long_date
from kkdesk.core.letters import markup
from kkdesk.core.letters.model import (
    Block,
    DocumentInfo,
    Letter,
    Letterhead,
    ListBlock,
    PageField,
    PageText,
    Para,
    Run,
)
from kkdesk.core.letters.templates import Field, TemplateSet, fill, parse_template

MISSING_ANSWER = "[Svar mangler]"


@dataclass(frozen=True)
class SourceQuestion:
    number: int
    text: str
    answer: str


@dataclass(frozen=True)
class LetterSource:
    """Everything a letter needs from a case, resolved to plain values."""

    case_number: str
    subject: str
    asker_name: str
    asker_party: str | None
    received: tuple[dt.date, ...]
    administration_code: str
    administration_name: str
    administration_genitive: str
    administration_address: str = ""
    unit: str | None = None
    officer: str | None = None
    status: str = "modtaget"
    layout: str = "per_question"
    opening: str = "kaere"
    general_answer: str = ""
    # Resolved: the case's own signer, else the administration's default.
    signer_name: str = ""
    signer_title: str = ""
    questions: tuple[SourceQuestion, ...] = ()
    bilag: tuple[str, ...] = field(default_factory=tuple)


def dates_text(days: Sequence[dt.date]) -> str:
    """``22. maj 2025``; several: ``d. hhv. 12. og 15. januar 2021``,
    ``d. hhv. 28. februar og 3. marts 2021``, ``d. hhv. 28. december 2020 og 3. januar 2021``."""
    ordered = sorted(set(days))
    if not ordered:
        return ""
    if len(ordered) == 1:
        return long_date(ordered[0])
    pieces: list[str] = []
    for index, day in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        piece = f"{day.day}."
        if following is None or (following.month, following.year) != (day.month, day.year):
            piece += f" {MONTHS[day.month - 1]}"
        if following is None or following.year != day.year:
            piece += f" {day.year}"
        pieces.append(piece)
    return "d. hhv. " + ", ".join(pieces[:-1]) + " og " + pieces[-1]


def short_letter_date(day: dt.date) -> str:
    """``28.01.26`` as in the municipality's published file names."""
    return f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}"


def case_fields(source: LetterSource, letter_date: dt.date) -> dict[str, str]:
    """The values of the common template fields for one case."""
    party = source.asker_party or ""
    return {
        "navn": source.asker_name,
        "parti": party,
        "navn_parti": f"{source.asker_name} ({party})" if party else source.asker_name,
        "emne": source.subject,
        "dato": dates_text(source.received),
        "forvaltning": source.administration_name,
        "forvaltning_genitiv": source.administration_genitive,
        "forvaltning_kode": source.administration_code,
        "enhed": source.unit or "",
        "sagsnr": source.case_number,
        "sagsbehandler": source.officer or "",
        "brevdato": long_date(letter_date),
        "dato_kort": short_letter_date(letter_date),
        "underskriver": source.signer_name,
    }


def page_text(template: str, values: Mapping[str, str]) -> PageText:
    """A header/footer line: fields filled in, ``{side}``/``{sider}`` left to the layout."""
    parts: list[str | PageField] = []
    chunk: list[str | Field] = []

    def flush() -> None:
        if chunk:
            parts.append(fill(tuple(chunk), values))
            chunk.clear()

    for part in parse_template(template):
        if isinstance(part, Field) and part.name in ("side", "sider"):
            flush()
            parts.append(PageField.PAGE if part.name == "side" else PageField.PAGES)
        else:
            chunk.append(part)
    flush()
    return PageText(tuple(parts))


class _Body:
    """Collects the body's blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def para(self, style: str, text: str, *, keep: bool = False, label: str = "") -> None:
        text = markup.clean_text(text)
        if text.strip() or label:
            self.blocks.append(Para(style, (Run(text),), label=label, keep_with_next=keep))

    def text(self, text: str, *, style: str = "body") -> list[Block]:
        blocks = markup.parse(text, style=style)
        self.blocks.extend(blocks)
        return blocks


def _answer_blocks(answer: str, draft: bool) -> list[Block]:
    if answer.strip():
        return markup.parse(answer)
    return [Para("body", (Run(MISSING_ANSWER, italic=True),))] if draft else []


def _with_label(blocks: list[Block], label: str) -> list[Block]:
    """``Ad 1:`` in bold in front of the answer's first paragraph (as in the seeds)."""
    if blocks and isinstance(blocks[0], Para) and blocks[0].style == "body":
        first = blocks[0]
        return [Para("body", (Run(label + " ", bold=True), *first.runs)), *blocks[1:]]
    return [Para("body", (Run(label, bold=True),), keep_with_next=True), *blocks]


def _question_item(text: str, number: int) -> list[Block]:
    """A numbered question in the list layouts: the number hangs in front of its first
    paragraph; further paragraphs and lists are indented under it."""
    blocks = markup.parse(text, style="question_item")
    if not blocks:
        return [Para("question_item", (Run(""),), label=f"{number}.")]
    first = blocks[0]
    if isinstance(first, Para) and first.style == "question_item":
        blocks[0] = Para("question_item", first.runs, label=f"{number}.")
    else:
        blocks.insert(0, Para("question_item", (Run(""),), label=f"{number}."))
    return blocks


def _body(source: LetterSource, t: TemplateSet, values: dict[str, str], draft: bool) -> list[Block]:
    body = _Body()
    several = len(set(source.received)) > 1
    if source.opening == "politikersvar":
        body.para("title", fill(t["politikersvar_titel"], values), keep=True)
        key = "politikersvar_indledning_flere" if several else "politikersvar_indledning"
        body.text(fill(t[key], values))
    else:
        body.para("salutation", fill(t["hilsen"], values))
        body.text(fill(t["indledning_flere" if several else "indledning"], values))

    answer_heading = fill(t["svar_rubrik"], values)
    if source.layout == "per_question":
        body.text(source.general_answer)
        for q in source.questions:
            numbered = {**values, "nr": str(q.number)}
            body.para("heading", fill(t["spoergsmaal_nr"], numbered), keep=True)
            body.text(q.text, style="question")
            body.para("heading", answer_heading, keep=True)
            body.blocks.extend(_answer_blocks(q.answer, draft))
    else:
        if source.opening != "politikersvar":
            # The politikersvar intro ("… stillet følgende spørgsmål:") is the heading.
            body.para("heading", fill(t["spoergsmaal_rubrik"], values), keep=True)
        for q in source.questions:
            body.blocks.extend(_question_item(q.text, q.number))
        body.para("heading", answer_heading, keep=True)
        body.text(source.general_answer)
        for q in source.questions:
            numbered = {**values, "nr": str(q.number)}
            answer = _answer_blocks(q.answer, draft)
            if source.layout == "ad":
                body.blocks.extend(_with_label(answer, fill(t["ad_nr"], numbered)))
            else:
                body.para("answer_label", fill(t["svar_paa_nr"], numbered), keep=True)
                body.blocks.extend(answer)

    closing_key = "afslutning_politikersvar" if source.opening == "politikersvar" else "afslutning"
    closing = fill(t[closing_key], values)
    if closing.strip():
        name = source.signer_name.strip() or source.administration_name
        title = source.signer_title.strip()
        # The signature never stands alone on a page: the last paragraph goes with it.
        last = body.blocks[-1] if body.blocks else None
        if isinstance(last, Para):
            body.blocks[-1] = Para(last.style, last.runs, last.label, keep_with_next=True)
        body.para("closing", closing, keep=True)
        body.para("signer", name, keep=bool(title))
        body.para("signer_title", title)
    if source.bilag:
        body.para("heading", fill(t["bilag_rubrik"], values), keep=True)
        for number, title in enumerate(source.bilag, start=1):
            line = fill(t["bilag_linje"], {**values, "nr": str(number), "titel": title})
            body.para("appendix", line)
    return _keep_list_headings(body.blocks)


def _keep_list_headings(blocks: list[Block]) -> list[Block]:
    """Nothing that introduces a list ends a page: a paragraph right before a list is kept
    with it (the list itself may still break between items)."""
    result = list(blocks)
    for index in range(len(result) - 1):
        here, after = result[index], result[index + 1]
        if isinstance(here, Para) and isinstance(after, ListBlock) and here.text.endswith(":"):
            result[index] = Para(here.style, here.runs, here.label, keep_with_next=True)
    return result


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in markup.clean_text(text).split("\n") if line.strip())


def build_letter(
    source: LetterSource,
    templates: TemplateSet,
    *,
    letter_date: dt.date,
    draft: bool,
) -> Letter:
    """The letter for one case. ``draft`` marks it UDKAST and shows missing answers."""
    values = case_fields(source, letter_date)
    sender = [source.administration_name]
    if source.unit:
        sender.append(source.unit)
    sender += [part.strip() for part in source.administration_address.split(",") if part.strip()]
    sender += _lines(fill(templates["afsender_ekstra"], values))
    details = [long_date(letter_date), f"Sagsnr. {source.case_number}"]
    if source.officer:
        details.append(f"Sagsbehandler: {source.officer}")
    letterhead = Letterhead(
        organisation=markup.clean_text(fill(templates["kommune"], values)).strip(),
        sender=tuple(markup.clean_text(s) for s in sender),
        details=tuple(markup.clean_text(d) for d in details),
        recipient=_lines(fill(templates["modtager"], values)),
        logo=templates.logo,
    )
    title = f"Svar til {values['navn_parti']} vedr. {source.subject}"
    info = DocumentInfo(
        title=markup.clean_text(title),
        author=markup.clean_text(source.administration_name),
        subject=markup.clean_text(source.subject),
        keywords=f"Sagsnr. {source.case_number}",
    )
    return Letter(
        info=info,
        letterhead=letterhead,
        body=tuple(_body(source, templates, values, draft)),
        following_header=page_text(markup.clean_text(templates["sidehoved"]), values),
        footer=page_text(markup.clean_text(templates["sidefod"]), values),
        draft=draft,
    )
