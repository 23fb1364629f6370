"""The ``kkdesk`` command: starts the GUI, or runs a command on the same core services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kkdesk import __version__
from kkdesk.core.errors import KnownError

if TYPE_CHECKING:
    from kkdesk.core.database import Database


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kkdesk",
        description="kkdesk – sekretariatets register over politikerspørgsmål og svar.",
    )
    parser.add_argument("--version", action="version", version=f"kkdesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: sqlite:///sti/fil.sqlite3 eller postgresql+psycopg://bruger@vært/db "
        "(ellers KKDESK_DATABASE_URL eller den lokale standardfil)",
    )
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO")

    commands.add_parser("gui", help="start programmet (standard)")
    commands.add_parser(
        "smoke", help="åbn databasen, byg hovedvinduet og afslut (kontrol af installationen)"
    )

    case = commands.add_parser("case", help="sager: import, eksport og liste")
    case_commands = case.add_subparsers(dest="case_command", metavar="HANDLING", required=True)
    imp = case_commands.add_parser("import", help="opret sager fra en JSON-fil")
    imp.add_argument("file", type=Path, metavar="FIL.json")
    exp = case_commands.add_parser("export", help="udskriv sager som JSON")
    exp.add_argument("case_numbers", nargs="*", metavar="SAGSNR")
    exp.add_argument("--out", type=Path, metavar="FIL", help="skriv til en fil i stedet")
    lst = case_commands.add_parser("list", help="vis sagerne som en tabel")
    lst.add_argument("--status", action="append", default=[], help="kun denne status")
    lst.add_argument("--administration", action="append", default=[], metavar="KODE")
    lst.add_argument("--search", default="", metavar="TEKST", help="fritekstfilter")
    lst.add_argument("--limit", type=int, default=0, metavar="N")
    return parser


def _configure_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and ``python -m kkdesk``."""
    _configure_stdout()
    args = _parser().parse_args(argv)
    try:
        if args.command in (None, "gui"):
            from kkdesk.ui.app import run_gui

            return run_gui(args.db)
        if args.command == "smoke":
            from kkdesk.ui.app import run_smoke

            return run_smoke(args.db)
        if args.command == "case":
            return _case_command(args)
    except KnownError as exc:
        print(f"Fejl: {exc.message}", file=sys.stderr)
        if exc.detail:
            print(exc.detail, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


def _case_command(args: argparse.Namespace) -> int:
    from kkdesk.core import interchange
    from kkdesk.core.database import open_database
    from kkdesk.core.users import current_user

    db = open_database(args.db)
    try:
        if args.case_command == "import":
            try:
                text = args.file.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise KnownError(f"Filen '{args.file}' kan ikke læses: {exc.strerror}.") from exc
            except UnicodeDecodeError as exc:
                raise KnownError(f"Filen '{args.file}' er ikke UTF-8-tekst.") from exc
            drafts = interchange.parse_document(text)
            with db.session() as session:
                created = interchange.import_cases(session, drafts, current_user())
                lines = [f"{case.case_number}\t{case.subject}" for case in created]
            print("\n".join(lines))
            return 0
        if args.case_command == "export":
            with db.session() as session:
                if args.out:
                    with args.out.open("w", encoding="utf-8") as handle:
                        interchange.write_export(session, handle, args.case_numbers or None)
                else:
                    interchange.write_export(session, sys.stdout, args.case_numbers or None)
            return 0
        if args.case_command == "list":
            return _print_list(db, args)
    finally:
        db.dispose()
    return 0


def _print_list(db: Database, args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from kkdesk.core import caselist as cl
    from kkdesk.core.dates import short_date
    from kkdesk.core.models import Administration
    from kkdesk.core.vocab import STATUS_LABELS, status_label

    codes = {a.upper() for a in args.administration}
    statuses = set(args.status)
    unknown = statuses - set(STATUS_LABELS)
    if unknown:
        raise KnownError(
            f"Ukendt status: {', '.join(sorted(unknown))}. Mulige: {', '.join(STATUS_LABELS)}."
        )
    with db.session() as session:
        admin_ids: set[int] = set()
        if codes:
            found = {
                code: admin_id
                for code, admin_id in session.execute(
                    select(Administration.code, Administration.id).where(
                        Administration.code.in_(sorted(codes))
                    )
                )
            }
            missing = codes - set(found)
            if missing:
                raise KnownError(f"Ukendt forvaltning: {', '.join(sorted(missing))}.")
            admin_ids = set(found.values())
        flt = cl.CaseFilter(frozenset(statuses), frozenset(admin_ids), args.search)
        ids = cl.case_ids(session, flt, cl.CaseSort("case_number", descending=False))
        if args.limit:
            ids = ids[: args.limit]
        rows = cl.case_rows(session, ids)
    header = ("Sagsnr.", "Emne", "Spørger (parti)", "Forvaltning", "Modtaget", "Status")
    table = [header] + [
        (
            r.case_number,
            r.subject if len(r.subject) <= 50 else r.subject[:49] + "…",
            r.asker,
            r.administration,
            short_date(r.received_on),
            status_label(r.status),
        )
        for r in (rows[i] for i in ids)
    ]
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip())
    print(f"{len(ids)} sager")
    return 0
