"""The first start: when the welcome shows, its three choices, the PostgreSQL connection
test (against the test server) with its Danish errors, and what gets saved."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy.engine import make_url

from kkdesk.core import paths, pgserver
from kkdesk.core.database import ENV_VAR, resolve_url
from kkdesk.core.errors import DatabaseError
from kkdesk.core.pgserver import ServerSettings
from kkdesk.ui import app as ui_app
from kkdesk.ui import settings as user_settings
from kkdesk.ui import welcome
from kkdesk.ui.app import create_application
from kkdesk.ui.server_dialog import ServerDialog
from kkdesk.ui.welcome import WelcomeDialog
from tests.conftest import postgres_url


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new, empty user profile (data folder) for this test."""
    home = tmp_path / "profil"
    monkeypatch.setenv("KKDESK_HOME", str(home))
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv(pgserver.PASSFILE_ENV, raising=False)
    create_application()
    return home


def _server_settings_from_test_url() -> ServerSettings:
    url = make_url(postgres_url())
    return ServerSettings(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        database=url.database or "",
        user=url.username or "",
        password=url.password or "",
    )


def _fill(dialog: ServerDialog, settings: ServerSettings) -> None:
    dialog.host_edit.setText(settings.host)
    dialog.port_edit.setValue(settings.port)
    dialog.database_edit.setText(settings.database)
    dialog.user_edit.setText(settings.user)
    dialog.password_edit.setText(settings.password)


# --- when the welcome shows --------------------------------------------------------------


def test_welcome_only_on_a_new_profile(
    profile: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert welcome.needs_welcome(None)
    assert not welcome.needs_welcome(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'y.sqlite3'}")
    assert not welcome.needs_welcome(None)
    monkeypatch.delenv(ENV_VAR)
    user_settings.save_database_url("postgresql+psycopg://a@server/kkdesk")
    assert not welcome.needs_welcome(None)
    user_settings.save_database_url(None)
    assert welcome.needs_welcome(None)
    paths.default_database_path().touch()
    assert not welcome.needs_welcome(None)


def test_run_gui_url_comes_from_welcome_or_settings(
    profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def fake_ask(parent: Any = None, *, first_start: bool = True) -> welcome.WelcomeChoice:
        asked.append(first_start)
        return welcome.WelcomeChoice(welcome.DEMO, "sqlite:///demo.sqlite3")

    monkeypatch.setattr(welcome, "ask_for_database", fake_ask)
    assert ui_app.choose_database_url(None) == "sqlite:///demo.sqlite3"
    assert asked == [True]
    saved = "postgresql+psycopg://sekretaer@dbserver:5432/kkdesk"
    user_settings.save_database_url(saved)
    assert ui_app.choose_database_url(None) == saved
    assert asked == [True]  # no welcome once a database is chosen
    assert ui_app.choose_database_url("sqlite:///other.sqlite3") == "sqlite:///other.sqlite3"
    assert ui_app.choose_database_url(None, ask=True) == "sqlite:///demo.sqlite3"
    assert asked == [True, False]  # Filer ▸ Skift database


def test_resolve_url_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    saved = "postgresql+psycopg://a@s/db"
    assert resolve_url(None, saved=saved) == saved
    assert resolve_url("sqlite:///cli.db", saved=saved) == "sqlite:///cli.db"
    monkeypatch.setenv(ENV_VAR, "sqlite:///env.db")
    assert resolve_url(None, saved=saved) == "sqlite:///env.db"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_url(None).endswith("kkdesk.sqlite3")


# --- the three choices ----------------------------------------------------------------------


def test_choice_new_local_database(qtbot: Any, profile: Path) -> None:
    user_settings.save_database_url("postgresql+psycopg://old@server/kkdesk")
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    assert dialog.local_button.text() == "Ny lokal database"
    dialog.local_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice is not None and dialog.choice.kind == welcome.LOCAL
    assert dialog.choice.url == f"sqlite:///{profile / 'kkdesk.sqlite3'}"
    # The local file is the default: a server chosen earlier is forgotten.
    assert user_settings.saved_database_url() is None


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
    assert user_settings.saved_database_url() is None
    assert welcome.needs_welcome(None)


@pytest.mark.postgres
def test_choice_shared_postgres_tested_then_saved(
    qtbot: Any, profile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = _server_settings_from_test_url()
    server = ServerSettings(server.host, server.database, server.user, "hemmelig:kode", server.port)

    def drive(dialog: ServerDialog) -> int:
        _fill(dialog, server)
        dialog.save_button.click()
        qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=15000)
        return int(dialog.result())

    monkeypatch.setattr(ServerDialog, "exec", drive)
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.server_button.click()
    assert dialog.choice is not None and dialog.choice.kind == welcome.SERVER
    saved = user_settings.saved_database_url()
    assert saved == dialog.choice.url == server.url()
    assert "hemmelig" not in saved  # never the password in the settings
    # The password is in kkdesk's pgpass file, private to the user, and libpq is told.
    passfile = profile / "pgpass.conf"
    line = f"{server.host}:{server.port}:{server.database}:{server.user}:hemmelig\\:kode"
    assert passfile.read_text(encoding="utf-8").splitlines() == [line]
    if os.name == "posix":
        assert stat.S_IMODE(passfile.stat().st_mode) == 0o600
    assert os.environ[pgserver.PASSFILE_ENV] == str(passfile)


@pytest.mark.postgres
def test_connection_test_reports_the_server(qtbot: Any, profile: Path) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, _server_settings_from_test_url())
    dialog.test_button.click()
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=15000)
    assert dialog.status_label.text().startswith("Forbindelsen virker (PostgreSQL ")
    assert dialog.result() != QDialog.DialogCode.Accepted  # a test alone saves nothing
    assert user_settings.saved_database_url() is None


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
    qtbot: Any, profile: Path, change: dict[str, Any], expected: str
) -> None:
    values = _server_settings_from_test_url().__dict__ | {"password": "forkert"} | change
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    _fill(dialog, ServerSettings(**values))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=15000)
    assert expected in dialog.status_label.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert user_settings.saved_database_url() is None
    assert not (profile / "pgpass.conf").exists()
    assert dialog.save_button.isEnabled()  # the user can correct and try again


def test_empty_fields_are_named_before_any_connection(qtbot: Any, profile: Path) -> None:
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    dialog.host_edit.clear()
    dialog.database_edit.clear()
    dialog.save_button.click()
    assert not dialog.is_testing()
    text = dialog.status_label.text()
    assert "Server: skal udfyldes" in text and "Database: skal udfyldes" in text
    assert user_settings.saved_database_url() is None


def test_wrong_password_message_is_danish() -> None:
    settings = ServerSettings("dbserver", "kkdesk", "sekretaer", "forkert")
    message = (
        'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
        'FATAL:  password authentication failed for user "sekretaer"'
    )
    error = pgserver.explain_connect_error(message, settings)
    assert isinstance(error, DatabaseError)
    assert error.message == "Brugernavnet eller adgangskoden er forkert."
    assert "sekretaer" in error.detail
    missing = pgserver.explain_connect_error("fe_sendauth: no password supplied", settings)
    assert missing.message == "Serveren kræver en adgangskode."


def test_server_dialog_prefills_the_saved_server(qtbot: Any, profile: Path) -> None:
    user_settings.save_database_url("postgresql+psycopg://sekretaer@dbserver.kk.dk:6543/sager")
    dialog = ServerDialog()
    qtbot.addWidget(dialog)
    assert dialog.host_edit.text() == "dbserver.kk.dk"
    assert dialog.port_edit.value() == 6543
    assert dialog.database_edit.text() == "sager"
    assert dialog.user_edit.text() == "sekretaer"
    assert dialog.password_edit.text() == ""


def test_password_file_replaces_the_old_entry(profile: Path) -> None:
    first = ServerSettings("db:1", "kk", "u", "gammel")
    pgserver.remember_password(first)
    pgserver.remember_password(ServerSettings("andet", "kk", "u", "x"))
    pgserver.remember_password(ServerSettings("db:1", "kk", "u", "ny\\kode"))
    lines = (profile / "pgpass.conf").read_text(encoding="utf-8").splitlines()
    assert lines == ["andet:5432:kk:u:x", "db\\:1:5432:kk:u:ny\\\\kode"]
    assert pgserver.remember_password(ServerSettings("db", "kk", "u", "")) is None


def test_cli_uses_the_database_chosen_in_the_program(
    profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kkdesk.cli import main

    chosen = tmp_path / "valgt.sqlite3"
    user_settings.save_database_url(f"sqlite:///{chosen}")
    assert main(["case", "list"]) == 0
    assert "0 sager" in capsys.readouterr().out
    assert chosen.exists()
    assert not (profile / "kkdesk.sqlite3").exists()
