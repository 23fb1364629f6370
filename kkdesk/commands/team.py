"""``kkdesk user …`` (the program's users and roles) and ``kkdesk pgroles …`` (one
PostgreSQL role per person)."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from sqlalchemy import func, select

from kkdesk.core import pg_roles, users
from kkdesk.core.database import open_database
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration, AppUser


def register(commands: Any) -> None:
    user = commands.add_parser("user", help="brugere og roller i kkdesk")
    actions = user.add_subparsers(dest="user_command", metavar="HANDLING", required=True)
    actions.add_parser("list", help="vis brugerne").set_defaults(handler=_list)
    change = actions.add_parser("set", help="opret eller ret en bruger (kræver sekretariat)")
    change.add_argument("login", metavar="LOGIN")
    change.add_argument("--name", metavar="NAVN")
    change.add_argument("--initials", metavar="INITIALER")
    change.add_argument(
        "--role",
        choices=sorted(users.ROLE_LABELS),
        metavar="ROLLE",
        help="sekretariat, forvaltning eller laeser",
    )
    change.add_argument(
        "--administration", metavar="KODE", help="forvaltning (for rollen forvaltning)"
    )
    state = change.add_mutually_exclusive_group()
    state.add_argument("--active", dest="active", action="store_true", default=None)
    state.add_argument("--inactive", dest="active", action="store_false")
    change.set_defaults(handler=_set)

    roles = commands.add_parser("pgroles", help="PostgreSQL: én databaserolle pr. person (IT)")
    role_actions = roles.add_subparsers(dest="pg_command", metavar="HANDLING", required=True)
    setup = role_actions.add_parser("setup", help="opret gruppe-rollerne og deres rettigheder")
    setup.add_argument("--prefix", default=pg_roles.DEFAULT_PREFIX)
    setup.set_defaults(handler=_pg_setup)
    add = role_actions.add_parser("add", help="opret en persons rolle (læs eller skriv)")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--access", required=True, choices=["læs", "skriv"])
    add.add_argument("--password", action="store_true", help="spørg efter en adgangskode")
    add.add_argument("--prefix", default=pg_roles.DEFAULT_PREFIX)
    add.set_defaults(handler=_pg_add)


def _list(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        with db.session() as session:
            rows = [
                (
                    u.login,
                    u.name,
                    u.initials,
                    users.ROLE_LABELS.get(u.role, u.role),
                    u.administration.code if u.administration else "",
                    "ja" if u.active else "nej",
                )
                for u in users.list_users(session)
            ]
    finally:
        db.dispose()
    if not rows:
        print("Ingen brugere endnu: den første, der starter kkdesk, bliver sekretariat.")
        return 0
    table = [("Login", "Navn", "Initialer", "Rolle", "Forvaltning", "Aktiv"), *rows]
    widths = [max(len(row[c]) for row in table) for c in range(6)]
    for row in table:
        print("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip())
    return 0


def _set(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    try:
        with db.session() as session:
            existing = session.scalar(
                select(AppUser).where(AppUser.login == users.normalise_login(args.login))
            )
            admin_id = existing.administration_id if existing else None
            if args.administration:
                admin_id = session.scalar(
                    select(Administration.id).where(
                        func.upper(Administration.code) == args.administration.upper()
                    )
                )
                if admin_id is None:
                    raise KnownError(f"Ukendt forvaltning: {args.administration}.")
            name = args.name or (existing.name if existing else "") or args.login
            values = {
                "login": args.login,
                "name": name,
                "initials": args.initials
                if args.initials is not None
                else (existing.initials if existing else users.suggest_initials(name)),
                "role": args.role or (existing.role if existing else users.LAESER),
                "administration_id": admin_id,
                "active": args.active
                if args.active is not None
                else (existing.active if existing else True),
            }
            saved = users.save_user(session, db.user, existing.id if existing else None, values)
            line = f"{saved.login}: {saved.name} ({users.ROLE_LABELS[saved.role]})"
    finally:
        db.dispose()
    print(line)
    return 0


def _pg_engine(args: argparse.Namespace) -> Any:
    from kkdesk.core.database import create_db_engine, resolve_url

    url = resolve_url(args.db)
    if not url.startswith("postgresql"):
        raise KnownError(
            "Databaseroller findes kun på PostgreSQL. Angiv --db postgresql+psycopg://…"
        )
    return create_db_engine(url)


def _pg_setup(args: argparse.Namespace) -> int:
    engine = _pg_engine(args)
    try:
        with engine.begin() as conn:
            done = pg_roles.setup(conn, args.prefix)
    except Exception as exc:
        raise _explain(exc) from exc
    finally:
        engine.dispose()
    reader, writer = pg_roles.group_names(args.prefix)
    print(f"Grupperne {reader} (læs) og {writer} (skriv) er klar ({len(done)} SQL-sætninger).")
    return 0


def _pg_add(args: argparse.Namespace) -> int:
    password = getpass.getpass("Adgangskode: ") if args.password else None
    engine = _pg_engine(args)
    try:
        with engine.begin() as conn:
            pg_roles.add_person(conn, args.login, args.access, password, args.prefix)
    except Exception as exc:
        raise _explain(exc) from exc
    finally:
        engine.dispose()
    what = "læseadgang" if args.access == "læs" else "skriveadgang"
    print(f"{args.login} har nu {what} til databasen.")
    return 0


def _explain(exc: Exception) -> KnownError:
    if isinstance(exc, KnownError):
        return exc
    message = str(getattr(exc, "orig", exc))
    if "permission denied" in message.lower() or "must be" in message.lower():
        return KnownError(
            "Din databasebruger må ikke oprette roller eller give rettigheder.",
            detail="Kør kommandoen som databasens ejer (en rolle med CREATEROLE). " + message,
        )
    return KnownError(f"PostgreSQL afviste kommandoen: {message}")
