"""The ``kkdesk`` command: starts the GUI, or runs a sub-command (``kkdesk.commands``) on
the same core services."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kkdesk import __version__
from kkdesk.commands import MODULES
from kkdesk.core.errors import KnownError


def build_parser() -> argparse.ArgumentParser:
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
    for name in MODULES:
        importlib.import_module(name).register(commands)
    return parser


def _configure_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and ``python -m kkdesk``."""
    _configure_stdout()
    args = build_parser().parse_args(argv)
    if getattr(args, "handler", None) is None:  # plain ``kkdesk``: the program
        from kkdesk.ui.app import run_gui

        return run_gui(args.db)
    try:
        code: int = args.handler(args)
        return code
    except KnownError as exc:
        print(f"Fejl: {exc.message}", file=sys.stderr)
        if exc.detail:
            print(exc.detail, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
