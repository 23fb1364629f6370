"""The demo database: fictitious cases to try kkdesk on, kept apart from real data.

The cases live in ``resources/demo/demo_cases.json`` (the interchange format). Their
dates (received, answered, pauses) are moved forward by whole weeks so the newest received
date falls in the current week: the mix of new, overdue and answered cases looks the same
whenever the demo is created, and every date keeps its weekday. A demo database carries a marker in
``app_setting`` so the window can say clearly that it shows demo data, and so
``create_demo_database`` never overwrites a real database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kkdesk.core import interchange, paths, users
from kkdesk.core.database import Database, open_database
from kkdesk.core.drafts import CaseDraft
from kkdesk.core.errors import KnownError
from kkdesk.core.models import AppSetting

MARKER_KEY = "demo_database"


@dataclass(frozen=True)
class DemoResult:
    """What ``create_demo_database`` made."""

    path: Path
    url: str
    cases: int


def demo_cases_file() -> Path:
    """The JSON file with the demo cases."""
    return paths.resources_dir() / "demo" / "demo_cases.json"


def demo_database_path() -> Path:
    """Where the demo database lives: beside the user's own database, never the same file."""
    return paths.data_dir() / "demo.sqlite3"


def load_demo_drafts(today: dt.date | None = None) -> list[CaseDraft]:
    """The demo cases, oldest first, with their dates moved into the current week."""
    drafts = interchange.parse_document(demo_cases_file().read_text(encoding="utf-8"))
    today = today or dt.date.today()
    newest = max(day for draft in drafts for day in draft.received)
    weeks = max((today - newest).days // 7, 0)
    shift = dt.timedelta(weeks=weeks)
    for draft in drafts:
        _shift_dates(draft, shift)
    # Case numbers follow the order of arrival, as in a real register.
    drafts.sort(key=lambda draft: min(draft.received))
    return drafts


def _shift_dates(draft: CaseDraft, shift: dt.timedelta) -> None:
    """Move every date of a case by ``shift``: received, answered, deadline and pauses."""
    draft.received = [day + shift for day in draft.received]
    if draft.answered_on is not None:
        draft.answered_on += shift
    deadline = draft.deadline
    if deadline.override is not None:
        deadline.override += shift
    for pause in deadline.pauses:
        pause.paused_on += shift
        if pause.resumed_on is not None:
            pause.resumed_on += shift


def is_demo(db: Database) -> bool:
    """True if ``db`` was made by ``create_demo_database``."""
    with db.session() as session:
        return session.get(AppSetting, MARKER_KEY) is not None


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_replaceable(path: Path) -> None:
    """Refuse to delete a file that is not a demo database."""
    if not path.exists():
        return
    demo = False
    try:
        existing = open_database(f"sqlite:///{path}", migrate=False)
        try:
            demo = is_demo(existing)
        finally:
            existing.dispose()
    except Exception:  # not SQLite, not kkdesk, unreadable: in every case not the demo
        demo = False
    if not demo:
        raise KnownError(
            f"Filen '{path}' findes allerede og er ikke en eksempeldatabase.",
            detail="Vælg et andet filnavn. Filen er ikke ændret.",
        )


def create_demo_database(path: Path | None = None, *, today: dt.date | None = None) -> DemoResult:
    """Create (or recreate) the demo database at ``path`` and fill it with the demo cases.

    An existing demo database is replaced; any other existing file is left alone and a
    ``KnownError`` explains why.
    """
    target = (path or demo_database_path()).expanduser().resolve()
    drafts = load_demo_drafts(today)
    _check_replaceable(target)
    try:
        _remove_sqlite_files(target)
    except OSError as exc:  # Windows: another kkdesk window still has the file open
        raise KnownError(
            "Eksempeldatabasen kan ikke fornyes, fordi den er i brug.",
            detail=f"Luk andre kkdesk-vinduer med eksempeldata og prøv igen. ({exc.strerror})",
        ) from exc
    url = f"sqlite:///{target}"
    db = open_database(url)
    try:
        with db.session() as session:
            # The person trying the demo is its first user (Sekretariat: may do anything),
            # so the program does not ask for a name each time the demo is renewed.
            login = users.current_user()
            users.ensure_user(session, login)
            interchange.import_cases(session, drafts, login)
            session.add(AppSetting(key=MARKER_KEY, value="1"))
    finally:
        db.dispose()
    return DemoResult(target, url, len(drafts))
