"""``kkdesk stats [--json]``: the overview's figures on the command line."""

from __future__ import annotations

import argparse
import json
from typing import Any

from kkdesk.core import dashboard
from kkdesk.core.dashboard import format_days, format_pct
from kkdesk.core.database import open_database
from kkdesk.core.dates import long_date, parse_date
from kkdesk.core.errors import KnownError


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "stats", help="overblik: åbne, overskredne, svartider pr. forvaltning"
    )
    parser.add_argument("--json", action="store_true", help="udskriv som JSON")
    parser.add_argument("--today", metavar="DATO", help="opgør som om det var denne dag")
    parser.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace) -> int:
    try:
        today = parse_date(args.today) if args.today else None
    except ValueError as exc:
        raise KnownError(str(exc)) from exc
    db = open_database(args.db)
    try:
        with db.session() as session:
            board = dashboard.build(session, today)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps(board.as_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"Overblik pr. {long_date(board.today)}")
    print(
        f"Åbne: {board.open}  Overskredne: {board.overdue}  Frist denne uge: "
        f"{board.due_this_week}  Til godkendelse: {board.awaiting_approval}"
    )
    print(
        f"Besvaret siden {long_date(board.period_from)}: {board.answered}, til tiden "
        f"{format_pct(board.on_time_pct)}, median {format_days(board.median_days)} arbejdsdage"
    )
    header = ("Forvaltning", "Åbne", "Overskredne", "Besvaret", "Median", "Til tiden")
    table = [header] + [
        (a.code, str(a.open), str(a.overdue), str(a.answered), format_days(a.median_days),
         format_pct(a.on_time_pct))
        for a in board.administrations
    ]  # fmt: skip
    widths = [max(len(row[c]) for row in table) for c in range(len(header))]
    print()
    for row in table:
        cells = [row[0].ljust(widths[0])] + [v.rjust(widths[i + 1]) for i, v in enumerate(row[1:])]
        print("  ".join(cells))
    return 0
