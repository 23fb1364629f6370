"""Shared fixtures: the environment, databases on SQLite and PostgreSQL, and case drafts.

Any test that takes ``db`` (or ``db_url``) runs once per backend:

* ``sqlite``   – a fresh file in the test's ``tmp_path``;
* ``postgres`` – the database in ``KKDESK_TEST_POSTGRES_URL``, emptied before each test
  (``DROP SCHEMA public CASCADE; CREATE SCHEMA public``). Without that variable the
  PostgreSQL runs are skipped, unless ``KKDESK_REQUIRE_POSTGRES=1`` (CI), where they fail.

Use ``sqlite_db`` / ``sqlite_url`` for tests that only make sense on SQLite.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Before anything imports Qt or kkdesk: headless Qt, a throw-away data folder, a fixed user.
# Idempotent: this module may be imported twice (as ``conftest`` and ``tests.conftest``).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = os.environ.get("KKDESK_TEST_SESSION_HOME", "")
if not _HOME:
    _HOME = tempfile.mkdtemp(prefix="kkdesk-test-home-")
    atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
    os.environ["KKDESK_TEST_SESSION_HOME"] = _HOME
os.environ["KKDESK_HOME"] = _HOME
os.environ["KKDESK_USER"] = "test"
# Never let a developer's own database setting leak into the tests.
os.environ.pop("KKDESK_DATABASE_URL", None)

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from kkdesk.core.database import Database, open_database  # noqa: E402
from kkdesk.core.drafts import AskerRef, CaseDraft, QuestionDraft  # noqa: E402

POSTGRES_ENV = "KKDESK_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "KKDESK_REQUIRE_POSTGRES"
POSTGRES_SKIP_REASON = "KKDESK_TEST_POSTGRES_URL ikke sat"

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

FIXTURES_DIR = Path(__file__).parent / "fixtures"


def postgres_url() -> str:
    """The test server's URL; skips (or, with KKDESK_REQUIRE_POSTGRES=1, fails) without it."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(
                f"{POSTGRES_ENV} er ikke sat, men {REQUIRE_POSTGRES_ENV}=1 kræver PostgreSQL.",
                pytrace=False,
            )
        pytest.skip(POSTGRES_SKIP_REASON)
    return url


def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate the public schema."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # Fail rather than hang if a connection leaked from an earlier test holds a lock.
            conn.execute(text("SET LOCAL lock_timeout = '10s'"))
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL for a not yet existing SQLite file in the test's temp folder."""
    return f"sqlite:///{tmp_path / 'kkdesk-test.sqlite3'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend (parametrized: ``[sqlite]`` and ``[postgres]``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kkdesk-test.sqlite3'}"
    url = postgres_url()
    reset_postgres(url)
    return url


@pytest.fixture
def backend(db_url: str) -> str:
    """``"sqlite"`` or ``"postgresql"`` for the current ``db_url`` parameter."""
    return "sqlite" if db_url.startswith("sqlite") else "postgresql"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An opened (migrated, seeded) database on each backend; disposed afterwards."""
    database = open_database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    """An opened SQLite database, for tests that only concern SQLite."""
    database = open_database(sqlite_url)
    try:
        yield database
    finally:
        database.dispose()


# --- Case drafts ------------------------------------------------------------------------

# Reference data (db/reference) has administration TMF with units "Byens Drift" and
# "Byens Udvikling", ØKF, BIF …, parties A … Å and kinds br, borger, ….
DEFAULT_RECEIVED = dt.date(2025, 5, 22)


def build_draft(**overrides: Any) -> CaseDraft:
    """A valid draft; keyword arguments replace fields (``questions`` may be strings)."""
    values: dict[str, Any] = {
        "subject": "Støj fra byggepladsen på Åboulevarden",
        "asker": AskerRef(name="Åse Ørsted", party="Ø", email="aase@kk.dk"),
        "received": [DEFAULT_RECEIVED],
        "administration": "TMF",
        "unit": "Byens Drift",
        "questions": [QuestionDraft(number=1, text="Hvornår stopper støjen?")],
    }
    values.update(overrides)
    questions = values["questions"]
    values["questions"] = [
        QuestionDraft(number=i, text=q) if isinstance(q, str) else q
        for i, q in enumerate(questions, start=1)
    ]
    return CaseDraft(**values)


DEFAULT_LETTER = {
    "layout": "per_question",
    "opening": "kaere",
    "general_answer": "",
    "signer_name": None,
    "signer_title": None,
    "bilag": [],
}


def with_default_letter(case: dict[str, Any]) -> dict[str, Any]:
    """An interchange case as export writes it: without "letter", the defaults."""
    return {**case, "letter": case.get("letter", DEFAULT_LETTER)}


@pytest.fixture
def make_draft() -> Callable[..., CaseDraft]:
    """``make_draft(subject=…, received=[…], …)`` → a valid ``CaseDraft``."""
    return build_draft


# --- No modal dialogs ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal message box would wait for a click that never comes: fail instead of hang.

    Tests that expect a dialog patch the method themselves (their patch wins). This stays
    active while pytest-qt closes the test's widgets, so a dirty editor closed by the
    teardown fails the test rather than hanging the run.
    """
    from PySide6.QtWidgets import QMessageBox

    def refuse(*args: Any, **_kwargs: Any) -> Any:
        shown = [a for a in args if isinstance(a, str)]
        raise AssertionError(f"Uventet dialogboks i testen: {shown}")

    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: refuse(self.windowTitle(), self.text()))
