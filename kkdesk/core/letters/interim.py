"""The interim reply ("Foreløbigt svar"): a short letter telling the asker when to expect
the answer, made with the same letter model and renderers as the reply itself.

The expected date defaults to the case's deadline; the text is the secretariat's template
``foreloebigt_svar`` with the field ``{svarfrist}`` ("torsdag 19. juni 2025").
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from kkdesk.core.cases import load_case
from kkdesk.core.dates import weekday_date
from kkdesk.core.errors import KnownError
from kkdesk.core.letters import markup
from kkdesk.core.letters.build import LetterSource, build_letter, case_fields
from kkdesk.core.letters.export import (
    LetterFile,
    _check_format,
    source_from_case,
)
from kkdesk.core.letters.filenames import letter_file_name
from kkdesk.core.letters.model import Block, Letter, Para, Run
from kkdesk.core.letters.template_store import effective_templates
from kkdesk.core.letters.templates import TemplateSet, fill
from kkdesk.core.models import CaseEvent


def build_interim_letter(
    source: LetterSource,
    templates: TemplateSet,
    *,
    letter_date: dt.date,
    expected: dt.date,
) -> Letter:
    """The interim letter: salutation, the usual introduction, the expected date, closing."""
    values = {**case_fields(source, letter_date), "svarfrist": weekday_date(expected)}
    # The reply's letterhead and document info, without questions, answers or bilag.
    bare = dataclasses.replace(source, questions=(), general_answer="", bilag=())
    reply = build_letter(bare, templates, letter_date=letter_date, draft=False)
    several = len(set(source.received)) > 1
    blocks: list[Block] = [
        Para("salutation", (Run(markup.clean_text(fill(templates["hilsen"], values))),))
    ]
    blocks += markup.parse(fill(templates["indledning_flere" if several else "indledning"], values))
    blocks += markup.parse(fill(templates["foreloebigt_svar"], values))
    name = source.signer_name.strip() or source.administration_name
    title = source.signer_title.strip()
    if blocks and isinstance(blocks[-1], Para):
        last = blocks[-1]
        blocks[-1] = Para(last.style, last.runs, last.label, keep_with_next=True)
    blocks.append(
        Para("closing", (Run(fill(templates["afslutning"], values)),), keep_with_next=True)
    )
    blocks.append(Para("signer", (Run(name),), keep_with_next=bool(title)))
    if title:
        blocks.append(Para("signer_title", (Run(title),)))
    info = dataclasses.replace(
        reply.info, title=markup.clean_text(f"Foreløbigt svar til {values['navn_parti']}")
    )
    return dataclasses.replace(reply, body=tuple(blocks), info=info, draft=False)


def make_interim_letter(
    session: Session,
    case_id: int,
    fmt: str,
    *,
    user: str,
    expected: dt.date | None = None,
    letter_date: dt.date | None = None,
    record: bool = True,
) -> LetterFile:
    """Render the interim reply of a case and (with ``record``) note it in the history."""
    extension, render = _check_format(fmt)
    case = load_case(session, case_id)
    day = letter_date or dt.date.today()
    when = expected or getattr(case, "deadline", None)
    if when is None:
        raise KnownError(
            f"Sag {case.case_number} har ingen frist at oplyse.",
            detail="Angiv den dato, spørgeren kan forvente svar.",
        )
    if when < day:
        raise KnownError(
            f"Den forventede svardato {weekday_date(when)} ligger før brevets dato.",
            detail="Vælg en dato i dag eller senere.",
        )
    source = source_from_case(case)
    templates = effective_templates(session, case.administration_id)
    letter = build_interim_letter(source, templates, letter_date=day, expected=when)
    data = render(letter)
    name = letter_file_name(templates["foreloebigt_filnavn"], case_fields(source, day), extension)
    result = LetterFile(case.id, case.case_number, fmt, data, name, False, False, case.status)
    if record:
        session.add(
            CaseEvent(
                case_id=case.id,
                user=user,
                action="brev",
                field="Foreløbigt svar",
                new_value=when.isoformat(),
                comment=f"Foreløbigt svar dannet: svar forventes senest {weekday_date(when)}",
            )
        )
        session.flush()
    return result
