"""``kkdesk deadline --received DATE [--kind KIND]``: the deadline and how it was found."""

from __future__ import annotations

import argparse
from typing import Any

from kkdesk.core.database import open_database
from kkdesk.core.dates import parse_date
from kkdesk.core.deadlines import deadline_for
from kkdesk.core.errors import KnownError


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "deadline",
        help="beregn svarfristen for en henvendelse (første linje: datoen som ÅÅÅÅ-MM-DD)",
    )
    parser.add_argument("--received", required=True, metavar="DATO", help="modtaget, fx 2025-06-03")
    parser.add_argument(
        "--kind", default="br", metavar="TYPE", help="type henvendelse (standard: br)"
    )
    parser.set_defaults(handler=_deadline)


def _deadline(args: argparse.Namespace) -> int:
    try:
        received = parse_date(args.received)
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    db = open_database(args.db)
    try:
        with db.session() as session:
            deadline, lines = deadline_for(session, received, args.kind)
    finally:
        db.dispose()
    print(deadline.isoformat() if deadline else "ingen frist")
    print("\n".join(lines))
    return 0
