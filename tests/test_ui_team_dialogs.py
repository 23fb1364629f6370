"""The team dialogs and start-up: table models (qtmodeltester), the connection dialog, the
damaged-file dialog, the first-start dialog and the backup menu."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox
from sqlalchemy import func, select

from kkdesk.core import audit, backups, cases, connection, merge, users
from kkdesk.core.database import Database, open_database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Case
from kkdesk.ui import errors, startup, team_setup, users_dialog
from kkdesk.ui.app import create_application
from kkdesk.ui.conflict_dialog import ConflictTableModel
from kkdesk.ui.connection_dialog import ConnectionDialog
from kkdesk.ui.history_panel import HistoryTableModel
from kkdesk.ui.main_window import MainWindow
from kkdesk.ui.users_dialog import UserTableModel
from tests.conftest import build_draft, postgres_url


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


def test_history_model(qtmodeltester: Any, db: Database) -> None:
    with db.session() as session:
        case_id = cases.create_case(session, build_draft(), "test").id
    with db.session() as session:
        case = cases.load_case(session, case_id)
        draft = cases.case_to_draft(case)
        draft.subject, draft.notes = "Nyt emne", "En note\nmed to linjer"
        cases.update_case(session, case_id, draft, expected_version=case.version, user="bo")
    with db.session() as session:
        rows = audit.case_history(session, case_id)
    model = HistoryTableModel()
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 3
    assert model.index(1, 3).data() in ("Emne", "Noter")
    subject_row = next(i for i, r in enumerate(rows) if r.field == "Emne")
    assert model.index(subject_row, 4).data() == (
        "Støj fra byggepladsen på Åboulevarden → Nyt emne"
    )


def test_conflict_model(qtmodeltester: Any) -> None:
    base = build_draft(questions=[QuestionDraft(1, "Første?", id=1, version=1)])
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.subject, theirs.subject = "Mit", "Deres"
    mine.notes = "Note"
    model = ConflictTableModel(merge.field_diffs(base, mine, theirs))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 2
    subject = model.index(0, 3)
    assert subject.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(subject, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.choices == {"subject": "theirs"}
    assert subject.data() == "Brug kollegaens"
    assert not model.setData(
        model.index(1, 3), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )


def test_user_model(qtmodeltester: Any) -> None:
    model = UserTableModel()
    model.set_rows(
        [
            {
                "id": 1,
                "login": "anna",
                "name": "Anna",
                "initials": "A",
                "role": "sekretariat",
                "administration_id": None,
                "code": None,
                "active": True,
            },
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 3).data() == "Sekretariat"


@pytest.mark.postgres
def test_connection_dialog_tests_then_saves(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown_errors: list[KnownError]
) -> None:
    monkeypatch.setenv("KKDESK_HOME", str(tmp_path))
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    create_application()
    url = postgres_url()
    dialog = ConnectionDialog(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    qtbot.addWidget(dialog)
    assert dialog.local_radio.isChecked() and not dialog.test_button.isEnabled()
    dialog.server_radio.setChecked(True)
    settings = connection.from_url(url)
    assert settings is not None
    dialog.host_edit.setText(settings.host)
    dialog.port_spin.setValue(settings.port)
    dialog.database_edit.setText(settings.database)
    dialog.user_edit.setText(settings.user)
    dialog.save()  # not tested yet
    assert shown_errors[-1].message == "Test forbindelsen først."
    dialog.password_edit.setText("hemmelig")
    dialog.remember_check.setChecked(True)
    dialog.test()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10000)
    assert dialog.tested_ok, dialog.result_label.text()
    assert dialog.result_label.text().startswith("Forbindelsen virker: PostgreSQL")
    dialog.save()
    assert dialog.saved
    assert connection.load() == settings
    assert "hemmelig" not in (tmp_path / "forbindelse.json").read_text(encoding="utf-8")
    assert (tmp_path / "pgpass").read_text(encoding="utf-8").endswith(":hemmelig\n")


def test_connection_dialog_reports_a_wrong_server(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KKDESK_HOME", str(tmp_path))
    create_application()
    dialog = ConnectionDialog("sqlite:///x.sqlite3")
    qtbot.addWidget(dialog)
    dialog.server_radio.setChecked(True)
    dialog.test()
    assert not dialog.tested_ok
    assert dialog.result_label.text() == "Server skal udfyldes. Bruger skal udfyldes."
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(1)
    dialog.user_edit.setText("anna")
    dialog.test()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15000)
    assert not dialog.tested_ok
    assert dialog.result_label.text().startswith("Serveren '127.0.0.1' svarer ikke på port 1.")
    dialog.done(0)


def _damaged_with_backup(tmp_path: Path) -> tuple[Path, Path]:
    path = tmp_path / "kkdesk.sqlite3"
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        for i in range(40):
            cases.create_case(session, build_draft(subject=f"Sag {i}"), "test")
    db.dispose()
    backup = backups.make_backup(path)
    path.write_bytes(b"\x00" * 100 + path.read_bytes()[100:])  # the header is gone
    return path, backup


def test_damaged_file_at_start_offers_the_newest_backup(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    path, backup = _damaged_with_backup(tmp_path)
    offered: list[str] = []

    def click_restore(box: QMessageBox) -> int:
        offered.append(box.text() + " | " + box.informativeText())
        restore = next(b for b in box.buttons() if b.text() == "Gendan sikkerhedskopien")
        monkeypatch.setattr(QMessageBox, "clickedButton", lambda _self: restore)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_restore)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(startup, "register_user", lambda db, parent: users.Actor(db.user))
    db = startup.open_interactive(f"sqlite:///{path}")
    assert db is not None
    try:
        assert offered == [
            f"Databasefilen kkdesk.sqlite3 er beskadiget. | Den nyeste sikkerhedskopi er "
            f"{backup.name}. Du kan gendanne den; den beskadigede fil gemmes ved siden af, så IT "
            "kan se på den."
        ]
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Case)) == 40
    finally:
        db.dispose()
    assert list(tmp_path.glob("kkdesk.before-restore-*.sqlite3"))


def test_damaged_file_without_choice_quits(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    path, _backup = _damaged_with_backup(tmp_path)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)  # "Afslut"
    assert startup.open_interactive(f"sqlite:///{path}") is None
    assert path.read_bytes()[:16] == b"\x00" * 16  # untouched, for IT to look at


def test_first_start_registers_and_welcomes(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    shown: list[str] = []

    def accept(dialog: users_dialog.ProfileDialog) -> int:
        shown.append(dialog.intro.text())
        dialog.name_edit.setText("Anna Andersen")
        dialog.initials_edit.setText("aa")
        dialog.save()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(users_dialog.ProfileDialog, "exec", accept)
    db.user = "anna"
    first = startup.register_user(db, None)
    db.user = "bo"
    startup.register_user(db, None)
    startup.register_user(db, None)  # known now: no dialog
    assert len(shown) == 2
    assert "første bruger" in shown[0] and "<b>Sekretariat</b>" in shown[0]
    assert "oprettet som <b>Læser</b>" in shown[1]
    assert first.role == "sekretariat"
    with db.session() as session:
        assert users.actor_for(session, "anna").label == "Anna Andersen (AA)"
        assert users.actor_for(session, "bo").role == "laeser"


def test_backup_menu_and_restore(
    qtbot: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, shown_errors: list[KnownError]
) -> None:
    create_application()
    with sqlite_db.session() as session:
        cases.create_case(session, build_draft(subject="Før kopien"), "test")
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts.index("Databaseforbindelse…") < texts.index("&Afslut")
    assert "Brugere…" in [a.text() for a in window.register_menu.actions()]
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    window.team.backup_now()
    with sqlite_db.session() as session:
        cases.create_case(session, build_draft(subject="Efter kopien"), "test")
    window.case_model.reload()
    assert window.case_model.rowCount() == 2
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.team.restore_backup()
    assert shown_errors == []
    assert window.case_model.rowCount() == 1
    assert window.case_model.index(0, 1).data() == "Før kopien"
    path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    assert list(path.parent.glob("*.before-restore-*"))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT action FROM audit_log").fetchall() == [("gendannet",)]
    conn.close()


def test_background_start_backup(qtbot: Any, sqlite_db: Database) -> None:
    create_application()
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=10000) as blocker:
        window.team.start_backups()
    assert blocker.args[0].startswith("Sikkerhedskopi taget:")
    window.team.backup_timer.stop()
    assert team_setup.BACKUP_CHECK_MS == 3_600_000
