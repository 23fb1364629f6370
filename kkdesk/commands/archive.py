"""``kkdesk archive import FILE_OR_FOLDER… [--dry-run --json]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kkdesk.core.archive import importer
from kkdesk.core.archive.readers import collect_files
from kkdesk.core.database import open_database
from kkdesk.core.errors import KnownError
from kkdesk.core.users import current_user


def register(commands: Any) -> None:
    archive = commands.add_parser("archive", help="arkivet af tidligere svarbreve")
    actions = archive.add_subparsers(dest="archive_command", metavar="HANDLING", required=True)
    imp = actions.add_parser(
        "import", help="læs svarbreve (.docx, .pdf, .txt) og gem dem som besvarede sager"
    )
    imp.add_argument("paths", nargs="+", type=Path, metavar="FIL_ELLER_MAPPE")
    imp.add_argument("--dry-run", action="store_true", help="vis hvad der genkendes; gem intet")
    imp.add_argument("--json", action="store_true", help="udskriv resultatet som JSON")
    imp.set_defaults(handler=_import)


def _report_skipped(skipped: list[importer.Skipped]) -> None:
    for item in skipped:
        print(f"Sprunget over: {item.source}: {item.reason}", file=sys.stderr)


def _import(args: argparse.Namespace) -> int:
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise KnownError(f"Findes ikke: {', '.join(missing)}.")
    files = collect_files(args.paths)
    if not files:
        raise KnownError("Der er ingen filer at importere.")
    db = open_database(args.db)
    try:
        with db.session() as session:
            directory = importer.load_directory(session)
        parsed = importer.parse_files(files, directory)
        ready = []
        skipped = list(parsed.skipped)
        for letter in parsed.letters:
            problems = importer.letter_problems(letter, directory)
            if problems:
                skipped.append(importer.Skipped(letter.source, "; ".join(problems)))
            else:
                ready.append(letter)
        if args.dry_run:
            if args.json:
                document = importer.interchange_document(ready)
                print(json.dumps(document, ensure_ascii=False, indent=2))
            else:
                for letter in ready:
                    print(f"{letter.source}\t{letter.subject}\t{len(letter.questions)} spørgsmål")
            _report_skipped(skipped)
            print(
                f"{len(ready)} breve genkendt, {len(skipped)} sprunget over (intet gemt).",
                file=sys.stderr,
            )
            return 0 if ready else 1
        report = importer.import_letters(db, ready, current_user())
    finally:
        db.dispose()
    skipped += report.skipped
    if args.json:
        print(
            json.dumps(
                {
                    "created": [{"file": s, "case_number": n} for s, n in report.created],
                    "skipped": [{"file": s.source, "reason": s.reason} for s in skipped],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for source, number in report.created:
            print(f"{number}\t{source}")
    _report_skipped(skipped if not args.json else [])
    print(f"{len(report.created)} sager oprettet, {len(skipped)} sprunget over.", file=sys.stderr)
    return 0 if report.created or not skipped else 1
