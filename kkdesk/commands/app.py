"""``kkdesk gui`` and ``kkdesk smoke``."""

from __future__ import annotations

import argparse
from typing import Any


def _gui(args: argparse.Namespace) -> int:
    from kkdesk.ui.app import run_gui

    return run_gui(args.db)


def _smoke(args: argparse.Namespace) -> int:
    from kkdesk.ui.app import run_smoke

    return run_smoke(args.db)


def register(commands: Any) -> None:
    commands.add_parser("gui", help="start programmet (standard)").set_defaults(handler=_gui)
    commands.add_parser(
        "smoke", help="åbn databasen, byg hovedvinduet og afslut (kontrol af installationen)"
    ).set_defaults(handler=_smoke)
