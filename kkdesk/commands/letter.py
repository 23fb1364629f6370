"""``kkdesk letter CASE_NUMBER --format pdf|docx --out PATH [--final]``: a reply letter."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from kkdesk.core.cases import find_case_id
from kkdesk.core.database import open_database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.export import make_letter, write_file
from kkdesk.core.users import current_user


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' er ikke en dato (ÅÅÅÅ-MM-DD).") from None


def register(commands: Any) -> None:
    letter = commands.add_parser(
        "letter",
        help="dan svarbrevet til en sag som PDF eller Word",
        description="Dan svarbrevet til en sag. Indtil sagen er godkendt, mærkes brevet UDKAST.",
    )
    letter.add_argument("case_number", metavar="SAGSNR")
    letter.add_argument(
        "--format", choices=("pdf", "docx"), default="pdf", help="pdf (standard) eller docx"
    )
    letter.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="STI",
        help="filen, der skal skrives; en mappe giver filnavnet fra skabelonen",
    )
    letter.add_argument(
        "--final",
        action="store_true",
        help="endeligt brev; fejler, hvis sagen ikke er godkendt (se --override)",
    )
    letter.add_argument(
        "--override",
        metavar="BEGRUNDELSE",
        help="med --final: dan det endelige brev, selv om sagen ikke er godkendt "
        "(begrundelsen skrives i sagens historik)",
    )
    letter.add_argument(
        "--privacy-reason",
        metavar="BEGRUNDELSE",
        help="dan det endelige brev, selv om det muligvis indeholder personoplysninger "
        "(CPR-nummer, privat e-mail, telefonnummer); begrundelsen skrives i historikken",
    )
    letter.add_argument("--date", type=_date, metavar="ÅÅÅÅ-MM-DD", help="brevets dato (i dag)")
    letter.add_argument(
        "--interim",
        action="store_true",
        help="foreløbigt svar: fortæl spørgeren, hvornår svaret senest kommer",
    )
    letter.add_argument(
        "--expected",
        type=_date,
        metavar="ÅÅÅÅ-MM-DD",
        help="med --interim: datoen, svaret senest kommer (standard: sagens frist)",
    )
    letter.set_defaults(handler=_letter)


def _interim(args: argparse.Namespace) -> int:
    from kkdesk.core.letters.interim import make_interim_letter

    db = open_database(args.db)
    try:
        with db.session() as session:
            case_id = find_case_id(session, args.case_number)
            result = make_interim_letter(
                session,
                case_id,
                args.format,
                user=current_user(),
                expected=args.expected,
                letter_date=args.date,
            )
            target: Path = args.out / result.file_name if args.out.is_dir() else args.out
            write_file(target, result.data)
    finally:
        db.dispose()
    print(f"{target}\tforeløbigt svar")
    return 0


def _letter(args: argparse.Namespace) -> int:
    if args.interim:
        if args.final or args.override:
            raise KnownError("--interim bruges uden --final og --override.")
        return _interim(args)
    if args.expected:
        raise KnownError("--expected bruges sammen med --interim.")
    if args.override and not args.final:
        raise KnownError("--override bruges sammen med --final.")
    db = open_database(args.db)
    try:
        with db.session() as session:
            case_id = find_case_id(session, args.case_number)
            result = make_letter(
                session,
                case_id,
                args.format,
                user=current_user(),
                final=args.final,
                override_reason=args.override if args.final else None,
                letter_date=args.date,
            )
            if not result.draft:
                from kkdesk.core.privacy import check_case

                check_case(
                    session,
                    case_id,
                    purpose="Brevet",
                    reason=args.privacy_reason,
                    user=current_user(),
                    done="Endeligt brev dannet",
                )
            target: Path = args.out / result.file_name if args.out.is_dir() else args.out
            write_file(target, result.data)
    finally:
        db.dispose()
    kind = "udkast" if result.draft else "endeligt"
    print(f"{target}\t{kind}")
    return 0
