"""``kkdesk intake FILE…``: create a case from saved e-mails (.eml or Outlook .msg)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kkdesk.core import interchange
from kkdesk.core.database import open_database
from kkdesk.core.dates import parse_date
from kkdesk.core.drafts import AskerRef
from kkdesk.core.errors import KnownError
from kkdesk.core.intake import Intake, build_intake, read_mail
from kkdesk.core.intake.askers import SUGGESTED
from kkdesk.core.intake.mail import human_size
from kkdesk.core.intake.save import create_case_from_mail
from kkdesk.core.models import Asker
from kkdesk.core.users import current_user


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "intake",
        help="opret en sag fra gemte e-mails (.eml eller .msg)",
        description="Læser en eller flere gemte e-mails om samme henvendelse og opretter én "
        "sag med spørger, modtagelsesdatoer, emne, spørgsmål og bilag.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FIL")
    parser.add_argument("--dry-run", action="store_true", help="vis sagen uden at oprette den")
    parser.add_argument("--json", action="store_true", help="udskriv sagen som JSON")
    parser.add_argument("--administration", default="", metavar="KODE", help="fx TMF")
    parser.add_argument("--received", metavar="DATO", help="modtagelsesdato for e-mails uden dato")
    parser.add_argument(
        "--skip-bad-attachments",
        action="store_true",
        help="opret sagen uden de bilag, der ikke kan bruges (tomme, for store, beskadigede)",
    )
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--asker", metavar="NAVN", help="brug denne spørger fra registret")
    who.add_argument("--new-asker", action="store_true", help="opret afsenderen som ny spørger")
    parser.set_defaults(handler=_intake)


def _asker_by_name(session: Session, name: str) -> AskerRef:
    found = list(
        session.scalars(
            select(Asker)
            .where(Asker.name == " ".join(name.split()))
            .options(selectinload(Asker.party))
        )
    )
    if len(found) != 1:
        what = "findes ikke" if not found else "findes flere gange"
        raise KnownError(f"Spørgeren '{name}' {what} i registret.")
    asker = found[0]
    return AskerRef(
        asker.name, asker.party.letter if asker.party else None, asker.email, asker.role
    )


def _document(intake: Intake) -> dict[str, Any]:
    return {
        "format": interchange.FORMAT_NAME,
        "version": interchange.FORMAT_VERSION,
        "cases": [interchange.draft_to_dict(intake.draft)],
        "attachments": [
            {
                "name": a.name,
                "content_type": a.content_type,
                "size": len(a.data),
                "original_message": a.is_original,
            }
            for a in intake.attachments
        ],
        "asker_match": {
            "status": intake.asker.status,
            "candidates": [
                {"name": c.label, "email": c.email, "reason": c.reason, "score": round(c.score, 2)}
                for c in intake.asker.candidates
            ],
        },
        "warnings": intake.warnings,
    }


def _print_summary(intake: Intake) -> None:
    draft = intake.draft
    print(f"Emne:       {draft.subject}")
    print(f"Spørger:    {draft.asker.name} <{draft.asker.email or ''}>")
    print(f"            {intake.asker.describe()}")
    print(f"Modtaget:   {', '.join(d.isoformat() for d in draft.received)}")
    for question in draft.questions:
        print(f"Spørgsmål {question.number}: {question.text}")
    for item in intake.attachments:
        mark = " (oprindelig e-mail)" if item.is_original else ""
        print(f"Bilag:      {item.name}, {human_size(len(item.data))}{mark}")


def _intake(args: argparse.Namespace) -> int:
    fallback: dt.date | None = None
    if args.received:
        try:
            fallback = parse_date(args.received)
        except ValueError as exc:
            raise KnownError(str(exc)) from exc
    mails = [read_mail(path, strict=not args.skip_bad_attachments) for path in args.files]
    db = open_database(args.db)
    try:
        with db.session() as session:
            intake = build_intake(
                session, mails, received_fallback=fallback, administration=args.administration
            )
            if args.asker:
                intake.draft.asker = _asker_by_name(session, args.asker)
            for warning in intake.warnings:
                print(f"Advarsel: {warning}", file=sys.stderr)
            if args.dry_run:
                if args.json:
                    json.dump(_document(intake), sys.stdout, ensure_ascii=False, indent=2)
                    print()
                else:
                    _print_summary(intake)
                return 0
            if intake.asker.status == SUGGESTED and not (args.asker or args.new_asker):
                names = ", ".join(f"'{c.label}'" for c in intake.asker.candidates[:5])
                raise KnownError(
                    f"Afsenderen '{intake.draft.asker.name}' er ikke sikkert genkendt. "
                    f"Mulige spørgere: {names}.",
                    detail="Vælg med --asker NAVN, eller opret en ny spørger med --new-asker.",
                )
            if not args.administration:
                raise KnownError(
                    "Angiv forvaltningen med --administration KODE (fx TMF).",
                    detail="Brug --dry-run for at se sagen uden at oprette den.",
                )
            case = create_case_from_mail(
                session, intake.draft, intake.attachments, user=current_user()
            )
            line = f"{case.case_number}\t{case.subject}\t{len(intake.attachments)} bilag"
    finally:
        db.dispose()
    print(line)
    return 0
