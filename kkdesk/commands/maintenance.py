"""``kkdesk backup``, ``kkdesk restore`` and ``kkdesk check``: keeping the database safe."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from kkdesk.core import audit, backups, migrations, sqlite_health
from kkdesk.core.database import (
    create_db_engine,
    describe_url,
    open_database,
    resolve_url,
    sqlite_path,
)
from kkdesk.core.errors import KnownError
from kkdesk.core.models import AppUser
from kkdesk.core.users import ROLE_LABELS, current_user


def register(commands: Any) -> None:
    backup = commands.add_parser("backup", help="tag en sikkerhedskopi af den lokale database")
    backup.add_argument(
        "--out",
        type=Path,
        metavar="STI",
        help="skriv kopien hertil (en fil eller en mappe) i stedet for i mappen "
        "'sikkerhedskopier' ved databasen",
    )
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser(
        "restore", help="erstat den lokale database med en sikkerhedskopi"
    )
    restore.add_argument("path", type=Path, metavar="STI", help="sikkerhedskopien")
    restore.add_argument("--yes", action="store_true", help="spørg ikke om lov først")
    restore.set_defaults(handler=_restore)
    check = commands.add_parser(
        "check", help="kontrollér databasens tilstand: integritet, version, beskyttelse"
    )
    check.set_defaults(handler=_check)


def _local_file(url: str) -> Path:
    path = sqlite_path(url)
    if path is None:
        raise KnownError(
            "Sikkerhedskopier af en PostgreSQL-database tages på serveren, ikke af kkdesk.",
            detail="Brug fx 'pg_dump -Fc -f kkdesk.dump <database>' og gendan med "
            "'pg_restore'. Spørg IT.",
        )
    return path


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def _backup(args: argparse.Namespace) -> int:
    path = _local_file(resolve_url(args.db))
    if not path.exists():
        raise KnownError(f"Databasefilen {path} findes ikke.")
    start = time.perf_counter()
    made = backups.make_backup(path, args.out)
    removed = [] if args.out else backups.rotate(path)
    elapsed = time.perf_counter() - start
    seconds = f"{elapsed:.1f}".replace(".", ",")
    print(f"Sikkerhedskopi: {made} ({_size(made)}, {seconds} s)")
    if removed:
        print(f"{len(removed)} ældre automatiske kopier er ryddet op.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    path = _local_file(resolve_url(args.db))
    source: Path = args.path
    if not args.yes:
        if not sys.stdin.isatty():
            raise KnownError("Tilføj --yes for at gendanne uden at blive spurgt.")
        answer = input(f"Erstat {path} med {source}? Den nuværende fil gemmes ved siden af. [j/N] ")
        if answer.strip().lower() not in ("j", "ja", "y", "yes"):
            print("Intet er ændret.")
            return 1
    aside = backups.restore(source, path)
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            audit.log(
                session,
                current_user(),
                "database",
                "",
                "gendannet",
                comment=f"Gendannet fra {source}"
                + (f"; den tidligere fil: {aside}" if aside else ""),
            )
    finally:
        db.dispose()
    print(f"Gendannet fra {source}.")
    if aside is not None:
        print(f"Den tidligere fil ligger som {aside}.")
    return 0


def _line(label: str, value: str) -> None:
    print(f"{label + ':':<18} {value}")


def _check(args: argparse.Namespace) -> int:
    url = resolve_url(args.db)
    problems: list[str] = []
    _line("Database", describe_url(url))
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise KnownError(f"Databasefilen {path} findes ikke.")
        network = sqlite_health.is_network_path(path)
        _line("Fil", f"{path} ({_size(path)})")
        _line("Placering", "netværksdrev" if network else "lokal disk")
        start = time.perf_counter()
        found = sqlite_health.check_file(path, full=True)
        elapsed = time.perf_counter() - start
        if found:
            problems.append("integritet")
            _line("Integritet", "FEJL: " + "; ".join(found[:5]))
            newest = backups.newest_backup(path)
            if newest:
                _line("Nyeste kopi", f"{newest} (gendan: kkdesk restore '{newest}')")
            _summary(problems)
            return 1
        _line("Integritet", f"ok (integrity_check, {elapsed:.2f} s)".replace(".", ","))
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            if path is not None:
                mode = str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())
                expected = sqlite_health.journal_mode_for(path)
                _line(
                    "Journal",
                    mode.upper() + ("" if mode == expected else f" (bør være {expected.upper()})"),
                )
            else:
                version = conn.execute(text("SHOW server_version")).scalar()
                _line("Server", f"PostgreSQL {version}")
        current = migrations.current_revision(engine)
        head = migrations.head_revision()
        if current == head:
            _line("Version", f"{current} (nyeste)")
        elif current is None:
            _line("Version", "tom database (oprettes ved første start)")
        else:
            problems.append("version")
            _line("Version", f"{current}; opgraderes til {head} ved næste start")
        if current is not None:
            guards = _audit_guards(engine)
            if guards < 2:
                problems.append("historik")
            _line(
                "Historik",
                "beskyttet mod ændring og sletning" if guards >= 2 else "IKKE beskyttet",
            )
            _users(engine)
    except SQLAlchemyError as exc:
        from kkdesk.core.database import explain_operational_error

        raise explain_operational_error(exc, url) from exc
    finally:
        engine.dispose()
    if path is not None:
        kept = backups.list_backups(path)
        if kept:
            _line(
                "Sikkerhedskopier",
                f"{len(kept)}, nyeste {kept[0].made_at:%d-%m-%Y %H.%M} ({kept[0].path.parent})",
            )
        else:
            _line("Sikkerhedskopier", "ingen endnu (tages ved start og dagligt)")
    _summary(problems)
    return 1 if problems and problems != ["version"] else 0


def _audit_guards(engine: Any) -> int:
    """How many of the two audit tables have their append-only triggers."""
    if engine.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :p"
    else:
        query = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE :p"
    with engine.connect() as conn:
        return int(conn.execute(text(query), {"p": "audit_guard_%"}).scalar() or 0) // 2


def _users(engine: Any) -> None:
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        counts = dict(
            session.execute(
                select(AppUser.role, func.count()).where(AppUser.active).group_by(AppUser.role)
            ).all()
        )
    if not counts:
        _line("Brugere", "ingen endnu (den første, der starter programmet, bliver sekretariat)")
        return
    parts = [
        f"{counts[role]} {ROLE_LABELS[role].lower()}" for role in ROLE_LABELS if role in counts
    ]
    _line("Brugere", ", ".join(parts))


def _summary(problems: list[str]) -> None:
    if not problems:
        print("Alt i orden.")
    elif problems == ["version"]:
        print("I orden; databasen opgraderes, næste gang programmet starter.")
    else:
        print("Der er problemer: " + ", ".join(problems) + ".")
