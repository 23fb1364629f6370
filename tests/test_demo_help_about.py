"""The demo data (content, dates, separate and marked database, ``kkdesk demo``), the user
guide in the Help menu and the "Om kkdesk" dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QPushButton, QToolBar

from kkdesk import __version__
from kkdesk.cli import main
from kkdesk.core import demo, interchange
from kkdesk.core.database import Database, open_database
from kkdesk.core.errors import KnownError
from kkdesk.core.vocab import OPEN_STATUSES
from kkdesk.ui import about as about_module
from kkdesk.ui.about import AboutDialog
from kkdesk.ui.app import create_application
from kkdesk.ui.demo_banner import DEMO_TITLE
from kkdesk.ui.help import HelpDialog, guide_path
from kkdesk.ui.main_window import MainWindow

TODAY = dt.date(2026, 3, 12)  # a Thursday


@pytest.fixture
def demo_db(tmp_path: Path) -> Any:
    result = demo.create_demo_database(tmp_path / "demo.sqlite3", today=TODAY)
    database = open_database(result.url)
    yield database
    database.dispose()


# --- the demo cases --------------------------------------------------------------------


def test_demo_cases_cover_layouts_statuses_and_dates() -> None:
    drafts = demo.load_demo_drafts(TODAY)
    assert len(drafts) >= 15
    assert {d.letter.layout for d in drafts} == {"per_question", "ad", "svar_paa"}
    assert {d.letter.opening for d in drafts} == {"kaere", "politikersvar"}
    answered = [d for d in drafts if d.status in {"besvaret", "offentliggjort"}]
    assert len(answered) >= 3
    assert all(q.answer.strip() for d in answered for q in d.questions)
    # Open cases received long ago: overdue under any deadline rule (≤ 4 weeks).
    overdue = [
        d
        for d in drafts
        if d.status in OPEN_STATUSES and TODAY - min(d.received) > dt.timedelta(days=35)
    ]
    assert len(overdue) >= 3
    assert any(d.letter.general_answer for d in drafts)
    assert any(d.letter.bilag for d in drafts)
    assert any(len(d.received) > 1 for d in drafts)
    assert len({d.kind for d in drafts}) >= 4
    # Fictitious: no real e-mail domains.
    assert all(d.asker.email is None or d.asker.email.endswith("@example.dk") for d in drafts)


def test_demo_dates_move_to_this_week_keeping_weekdays() -> None:
    original = interchange.parse_document(demo.demo_cases_file().read_text(encoding="utf-8"))
    moved = demo.load_demo_drafts(TODAY)
    newest = max(day for d in moved for day in d.received)
    assert TODAY - dt.timedelta(days=6) <= newest <= TODAY
    assert sorted(day.weekday() for d in original for day in d.received) == sorted(
        day.weekday() for d in moved for day in d.received
    )
    assert [min(d.received) for d in moved] == sorted(min(d.received) for d in moved)


def test_demo_cases_import_on_each_backend(db: Database) -> None:
    drafts = demo.load_demo_drafts(TODAY)
    with db.session() as session:
        created = interchange.import_cases(session, drafts, "test")
    assert len(created) == len(drafts)
    assert not demo.is_demo(db)  # only create_demo_database marks a database


def test_demo_database_is_marked_and_replaced(tmp_path: Path, demo_db: Database) -> None:
    assert demo.is_demo(demo_db)
    path = tmp_path / "demo.sqlite3"
    demo_db.dispose()
    again = demo.create_demo_database(path, today=TODAY)
    assert again.cases == len(demo.load_demo_drafts(TODAY))


def test_demo_never_overwrites_a_real_database(tmp_path: Path, sqlite_url: str) -> None:
    real = open_database(sqlite_url)
    real.dispose()
    target = Path(sqlite_url.removeprefix("sqlite:///"))
    before = target.read_bytes()
    with pytest.raises(KnownError, match="ikke en eksempeldatabase"):
        demo.create_demo_database(target)
    assert target.read_bytes() == before
    other = tmp_path / "noter.txt"
    other.write_text("ikke en database", encoding="utf-8")
    with pytest.raises(KnownError, match="ikke en eksempeldatabase"):
        demo.create_demo_database(other)
    assert other.read_text(encoding="utf-8") == "ikke en database"


def test_cli_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "eksempel.sqlite3"
    assert main(["demo", "--path", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{target}\t") and "sager" in out
    assert main(["--db", str(target), "case", "list"]) == 0
    assert "Borgercenter Voksne" in capsys.readouterr().out
    real = tmp_path / "rigtig.sqlite3"
    open_database(str(real)).dispose()
    assert main(["demo", "--path", str(real)]) == 2
    assert "ikke en eksempeldatabase" in capsys.readouterr().err


# --- the window on demo data ---------------------------------------------------------------


def test_window_on_demo_data_is_marked(qtbot: Any, demo_db: Database) -> None:
    create_application()
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    assert window.windowTitle() == DEMO_TITLE
    banner = window.findChild(QToolBar, "demo_banner_bar")
    assert banner is not None
    texts = " ".join(label.text() for label in banner.findChildren(QLabel))
    assert "EKSEMPELDATA" in texts and "fiktive sager" in texts
    status = window.findChild(QLabel, "demo_status_label")
    assert status is not None and "EKSEMPELDATA" in status.text()
    assert window.case_model.rowCount() == len(demo.load_demo_drafts(TODAY))


def test_window_on_real_data_is_not_marked(qtbot: Any, sqlite_db: Database) -> None:
    create_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    assert "EKSEMPELDATA" not in window.windowTitle()
    assert window.findChild(QToolBar, "demo_banner_bar") is None


def test_banner_button_asks_for_another_database(qtbot: Any, demo_db: Database) -> None:
    create_application()
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    assert not window.switch_database_requested
    button = window.findChild(QPushButton, "demo_switch_button")
    assert button is not None and button.text() == "Vælg rigtig database …"
    button.click()
    assert window.switch_database_requested
    assert not window.isVisible()


# --- help and about ------------------------------------------------------------------------


def test_help_menu_opens_the_guide_with_pictures(qtbot: Any, sqlite_db: Database) -> None:
    create_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.help_menu.actions()]
    assert titles[:2] == ["Brugervejledning", "Om kkdesk"]
    window.help_menu.actions()[0].trigger()
    dialog = window.help_dialog
    qtbot.addWidget(dialog)
    assert isinstance(dialog, HelpDialog) and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Brugervejledning" in text and "Prøv med eksempeldata" in text
    guide = guide_path().read_text(encoding="utf-8")
    image = "screenshots/welcome.png"
    assert image in guide
    loaded = dialog.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(image)
    )
    assert loaded is not None and not loaded.isNull()


def test_about_shows_version_and_database(qtbot: Any, demo_db: Database) -> None:
    create_application()
    dialog = AboutDialog(demo_db)
    qtbot.addWidget(dialog)
    assert dialog.value_labels["Version"].text() == __version__
    assert dialog.value_labels["Database"].text() == demo_db.describe()
    assert dialog.value_labels["Databasetype"].text() == "Eksempeldata (fiktive sager)"
    dialog.copy_facts()
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert f"Version: {__version__}" in copied and demo_db.describe() in copied


def test_about_from_the_help_menu(
    qtbot: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.help_menu.actions()[1].trigger()
    assert len(shown) == 1
    assert shown[0].value_labels["Database"].text() == sqlite_db.describe()
    assert about_module.database_kind(sqlite_db) == "Lokal SQLite-fil"


def test_smoke_command_checks_translation_fonts_and_modules(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from kkdesk.ui.app import run_smoke

    assert run_smoke(sqlite_url) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 0 sager")
    assert "Qt på dansk: ja" in out and "tekst tegnes: ja" in out
    assert " moduler, " in out


def test_demo_has_overdue_due_and_answered_cases_today(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    from kkdesk.core import users

    result = demo.create_demo_database(tmp_path / "demo.sqlite3")  # dated from today
    assert main(["--db", result.url, "stats"]) == 0
    out = capsys.readouterr().out
    overdue = int(re.search(r"Overskredne: (\d+)", out).group(1))  # type: ignore[union-attr]
    opened = int(re.search(r"Åbne: (\d+)", out).group(1))  # type: ignore[union-attr]
    answered = int(re.search(r"Besvaret siden [^:]+: (\d+)", out).group(1))  # type: ignore[union-attr]
    assert 3 <= overdue < opened  # some overdue, not all
    assert answered >= 3
    # The person trying the demo is already its user (no name dialog), with full rights.
    database = open_database(result.url)
    try:
        with database.session() as session:
            registration = users.ensure_user(session, users.current_user())
        assert not registration.created
        assert registration.actor.role == users.SEKRETARIAT
    finally:
        database.dispose()
