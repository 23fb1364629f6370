"""The first start: when the welcome shows, its three choices, the PostgreSQL connection
test (against the test server) with its Danish errors, and what gets saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy.engine import make_url

from kkdesk.core import connection, paths
from kkdesk.core.connection import PostgresSettings
from kkdesk.core.database import ENV_VAR, resolve_url
from kkdesk.core.errors import KnownError
from kkdesk.ui import app as ui_app
from kkdesk.ui import errors, welcome
from kkdesk.ui.app import create_application
from kkdesk.ui.connection_dialog import ConnectionDialog
from kkdesk.ui.welcome import WelcomeDialog
from tests.conftest import postgres_url


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new, empty user profile (data folder and PostgreSQL password file)."""
    home = tmp_path / "profil"
    monkeypatch.setenv("KKDESK_HOME", str(home))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    monkeypatch.delenv(ENV_VAR, raising=False)
    create_application()
    return home


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


def _test_server() -> dict[str, Any]:
    url = make_url(postgres_url())
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "database": url.database or "",
        "user": url.username or "",
        "password": url.password or "",
    }


def _fill(dialog: ConnectionDialog, server: dict[str, Any]) -> None:
    dialog.server_radio.setChecked(True)
    dialog.host_edit.setText(server["host"])
    dialog.port_spin.setValue(server["port"])
    dialog.database_edit.setText(server["database"])
    dialog.user_edit.setText(server["user"])
    dialog.password_edit.setText(server["password"])


def _run_test(qtbot: Any, dialog: ConnectionDialog) -> str:
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15000)
    return dialog.result_label.text()


# --- when the welcome shows --------------------------------------------------------------


def test_welcome_only_on_a_new_profile(
    profile: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert welcome.needs_welcome(None)
    assert not welcome.needs_welcome(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'y.sqlite3'}")
    assert not welcome.needs_welcome(None)
    monkeypatch.delenv(ENV_VAR)
    connection.save(PostgresSettings("dbserver", user="sekretaer"))
    assert not welcome.needs_welcome(None)
    connection.save(None)
    assert welcome.needs_welcome(None)
    paths.default_database_path().touch()
    assert not welcome.needs_welcome(None)


def test_run_gui_url_comes_from_welcome_or_as_usual(
    profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def fake_ask(parent: Any = None, *, first_start: bool = True) -> welcome.WelcomeChoice:
        asked.append(first_start)
        return welcome.WelcomeChoice(welcome.DEMO, "sqlite:///demo.sqlite3")

    monkeypatch.setattr(welcome, "ask_for_database", fake_ask)
    assert ui_app.choose_database_url(None) == (True, "sqlite:///demo.sqlite3")
    assert asked == [True]
    connection.save(PostgresSettings("dbserver", user="sekretaer"))
    # Once a database is chosen: no welcome, the usual order (saved connection).
    assert ui_app.choose_database_url(None) == (True, None)
    assert resolve_url(None) == "postgresql+psycopg://sekretaer@dbserver:5432/kkdesk"
    assert ui_app.choose_database_url("sqlite:///x.sqlite3") == (True, "sqlite:///x.sqlite3")
    assert asked == [True]
    assert ui_app.choose_database_url(None, ask=True) == (True, "sqlite:///demo.sqlite3")
    assert asked == [True, False]  # Filer ▸ Skift database
    monkeypatch.setattr(welcome, "ask_for_database", lambda *a, **k: None)
    assert ui_app.choose_database_url(None, ask=True) == (False, None)  # closed: quit


# --- the three choices ----------------------------------------------------------------------


def test_choice_new_local_database(qtbot: Any, profile: Path) -> None:
    connection.save(PostgresSettings("gammel-server", user="u"))
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert dialog.local_button.text() == "Ny lokal database"
    dialog.local_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice is not None and dialog.choice.kind == welcome.LOCAL
    assert dialog.choice.url == f"sqlite:///{profile / 'kkdesk.sqlite3'}"
    # The local file is the default: a server chosen earlier is forgotten.
    assert connection.saved_url() is None


def test_choice_demo_data(qtbot: Any, profile: Path) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.demo_button.click()
    assert dialog.choice is not None and dialog.choice.kind == welcome.DEMO
    assert dialog.choice.url == f"sqlite:///{profile / 'demo.sqlite3'}"
    assert (profile / "demo.sqlite3").exists()
    # Separate from the user's own database, which is not created, and not remembered:
    # the next start asks again.
    assert not (profile / "kkdesk.sqlite3").exists()
    assert connection.saved_url() is None
    assert welcome.needs_welcome(None)


@pytest.mark.postgres
def test_choice_shared_postgres_tested_then_saved(
    qtbot: Any, profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _test_server() | {"password": "hemmelig:kode"}  # the test server trusts

    def drive(dialog: ConnectionDialog) -> int:
        _fill(dialog, server)
        dialog.remember_check.setChecked(True)
        assert _run_test(qtbot, dialog).startswith("Forbindelsen virker: PostgreSQL")
        dialog.save_button.click()
        return int(dialog.result())

    monkeypatch.setattr(ConnectionDialog, "exec", drive)
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.server_button.click()
    assert dialog.choice is not None and dialog.choice.kind == welcome.SERVER
    expected = PostgresSettings(
        server["host"], server["port"], server["database"], server["user"]
    ).url()
    assert dialog.choice.url == connection.saved_url() == expected
    assert "hemmelig" not in expected  # never the password in the saved connection
    # The password went to PostgreSQL's own password file, which libpq reads itself.
    line = f"{server['host']}:{server['port']}:{server['database']}:{server['user']}:"
    assert (tmp_path / "pgpass").read_text(encoding="utf-8").splitlines() == [
        line + "hemmelig\\:kode"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"port": 1}, "svarer ikke på port 1"),
        ({"host": "ingen-server.invalid"}, "Serveren 'ingen-server.invalid' kan ikke findes."),
        ({"user": "ingen_bruger_her"}, "Brugeren 'ingen_bruger_her' findes ikke på serveren."),
        ({"database": "ingen_database_her"}, "Databasen 'ingen_database_her' findes ikke"),
    ],
)
@pytest.mark.postgres
def test_failed_connection_shows_danish_error_and_saves_nothing(
    qtbot: Any,
    profile: Path,
    tmp_path: Path,
    shown_errors: list[KnownError],
    change: dict[str, Any],
    expected: str,
) -> None:
    dialog = ConnectionDialog(resolve_url(None))
    qtbot.addWidget(dialog)
    _fill(dialog, _test_server() | {"password": "forkert"} | change)
    dialog.remember_check.setChecked(True)
    assert expected in _run_test(qtbot, dialog)
    assert not dialog.tested_ok
    dialog.save_button.click()  # refused: the test must succeed first
    assert [e.message for e in shown_errors] == ["Test forbindelsen først."]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert connection.saved_url() is None
    assert not (tmp_path / "pgpass").exists()


def test_wrong_password_message_is_danish() -> None:
    refused = Exception(
        'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
        'FATAL:  password authentication failed for user "sekretaer"'
    )
    error = connection.explain_password(refused)
    assert error is not None
    assert error.message == "Serveren afviste brugernavn eller adgangskode."
