"""``kkdesk case import|export|list``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kkdesk.core import audit, caselist, interchange
from kkdesk.core.database import Database, open_database
from kkdesk.core.dates import short_date
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration
from kkdesk.core.vocab import STATUS_LABELS, status_label


def register(commands: Any) -> None:
    case = commands.add_parser("case", help="sager: import, eksport og liste")
    actions = case.add_subparsers(dest="case_command", metavar="HANDLING", required=True)
    imp = actions.add_parser("import", help="opret sager fra en JSON-fil")
    imp.add_argument("file", type=Path, metavar="FIL.json")
    imp.set_defaults(handler=_import)
    exp = actions.add_parser("export", help="udskriv sager som JSON")
    exp.add_argument("case_numbers", nargs="*", metavar="SAGSNR")
    exp.add_argument("--out", type=Path, metavar="FIL", help="skriv til en fil i stedet")
    exp.set_defaults(handler=_export)
    lst = actions.add_parser("list", help="vis sagerne som en tabel")
    lst.add_argument("--status", action="append", default=[], help="kun denne status")
    lst.add_argument("--administration", action="append", default=[], metavar="KODE")
    lst.add_argument("--search", default="", metavar="TEKST", help="fritekstfilter")
    lst.add_argument("--limit", type=int, default=0, metavar="N")
    lst.add_argument(
        "--overdue", action="store_true", help="kun åbne sager, hvis frist er overskredet"
    )
    lst.set_defaults(handler=_list)


def read_text_file(path: Path) -> str:
    """A UTF-8 text file, or a ``KnownError`` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise KnownError(f"Filen '{path}' kan ikke læses: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise KnownError(f"Filen '{path}' er ikke UTF-8-tekst.") from exc


def _import(args: argparse.Namespace) -> int:
    drafts = interchange.parse_document(read_text_file(args.file))
    db = open_database(args.db)
    try:
        with db.session() as session:
            created = interchange.import_cases(session, drafts, db.user)
            lines = [f"{case.case_number}\t{' '.join(case.subject.split())}" for case in created]
    finally:
        db.dispose()
    print("\n".join(lines))
    return 0


def _export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        with db.session() as session:
            if args.out:
                with args.out.open("w", encoding="utf-8") as handle:
                    count = interchange.write_export(session, handle, args.case_numbers or None)
            else:
                count = interchange.write_export(session, sys.stdout, args.case_numbers or None)
        with db.session() as session:  # the audit log records who took the data out
            where = str(args.out) if args.out else "standardoutput"
            audit.log(session, db.user, "sager", "", "eksporteret",
                      comment=f"{count} sager eksporteret som JSON til {where}")  # fmt: skip
    finally:
        db.dispose()
    return 0


def _admin_ids(db: Database, codes: set[str]) -> set[int]:
    if not codes:
        return set()
    with db.session() as session:
        found = {
            code.upper(): admin_id
            for code, admin_id in session.execute(select(Administration.code, Administration.id))
        }
    missing = codes - set(found)
    if missing:
        raise KnownError(f"Ukendt forvaltning: {', '.join(sorted(missing))}.")
    return {found[code] for code in codes}


def _list(args: argparse.Namespace) -> int:
    statuses = set(args.status)
    unknown = statuses - set(STATUS_LABELS)
    if unknown:
        raise KnownError(
            f"Ukendt status: {', '.join(sorted(unknown))}. Mulige: {', '.join(STATUS_LABELS)}."
        )
    db = open_database(args.db)
    try:
        admin_ids = _admin_ids(db, {a.upper() for a in args.administration})
        flt = caselist.CaseFilter(
            frozenset(statuses),
            frozenset(admin_ids),
            args.search,
            quick="overdue" if args.overdue else "",
        )
        with db.session() as session:
            ids = caselist.case_ids(session, flt, caselist.CaseSort("case_number", False))
            if args.limit:
                ids = ids[: args.limit]
            rows = caselist.case_rows(session, ids)
    finally:
        db.dispose()
    header: tuple[str, ...] = (
        "Sagsnr.",
        "Emne",
        "Spørger (parti)",
        "Forvaltning",
        "Modtaget",
        "Status",
    )
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
    if args.overdue:  # the deadline is the point of this list
        header += ("Frist",)
        table = [header] + [
            (*line, short_date(d) if (d := rows[i].deadline) else "")
            for line, i in zip(table[1:], ids, strict=True)
        ]
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip())
    print(f"{len(ids)} sager")
    return 0
