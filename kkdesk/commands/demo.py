"""``kkdesk demo``: create or refresh the demo database with fictitious cases."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kkdesk.core.demo import create_demo_database


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="opret (eller forny) eksempeldatabasen med fiktive sager",
        description="Opret eksempeldatabasen med fiktive sager til afprøvning. En eksisterende "
        "eksempeldatabase erstattes; andre filer røres ikke. Start derefter programmet med "
        "kkdesk --db STI.",
    )
    demo.add_argument(
        "--path",
        type=Path,
        metavar="FIL",
        help="hvor databasen skal ligge (standard: demo.sqlite3 i kkdesks datamappe)",
    )
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    result = create_demo_database(args.path)
    print(f"{result.path}\t{result.cases} sager")
    return 0
