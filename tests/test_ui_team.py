"""Two "PCs" on one database, driven through the GUI: presence notices, the save-conflict
dialog and its merge, the Historik tab, and role restrictions in the case window.

Two ``Database`` handles with different users stand for two PCs. With
``KKDESK_SCREENSHOT_DIR`` set, the test saves its screenshots there
(``KKDESK_SCREENSHOT_DIR=docs/screenshots xvfb-run -a python -m pytest
tests/test_ui_team.py -k postgres``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from kkdesk.core import audit, cases, users
from kkdesk.core.database import Database, open_database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Administration
from kkdesk.ui import conflict_dialog, errors
from kkdesk.ui.app import create_application
from kkdesk.ui.case_editor import CaseDialog
from kkdesk.ui.conflict_dialog import MERGE, RELOAD, ConflictDialog
from kkdesk.ui.main_window import MainWindow
from kkdesk.ui.users_dialog import UsersDialog
from tests.conftest import build_draft

SHOTS = os.environ.get("KKDESK_SCREENSHOT_DIR", "")


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / name))


def _side_by_side(left: QWidget, right: QWidget, name: str) -> None:
    """Two windows ("two PCs") in one picture."""
    if not SHOTS:
        return
    a, b = left.grab().toImage(), right.grab().toImage()
    gap = 24
    image = QImage(
        a.width() + b.width() + gap, max(a.height(), b.height()), QImage.Format.Format_RGB32
    )
    image.fill(QColor("#5b6770"))
    painter = QPainter(image)
    painter.drawImage(QPoint(0, 0), a)
    painter.drawImage(QPoint(a.width() + gap, 0), b)
    painter.end()
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    image.save(str(Path(SHOTS) / name))


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


@pytest.fixture
def two_pcs(db_url: str) -> Iterator[tuple[Database, Database]]:
    """Anna's and Bo's PCs on the same database, both registered as secretariat."""
    create_application()
    anna = open_database(db_url)
    bo = open_database(db_url)
    anna.user, bo.user = "anna", "bo"
    with anna.session() as session:
        users.ensure_user(session, "anna", name="Anna Andersen")
        users.save_user(
            session,
            "anna",
            None,
            {"login": "bo", "name": "Bo Berg", "initials": "BB", "role": "sekretariat"},
        )
    try:
        yield anna, bo
    finally:
        anna.dispose()
        bo.dispose()


def _case(db: Database) -> int:
    draft = build_draft(
        subject="Støj fra natarbejde på Åboulevarden",
        questions=[
            QuestionDraft(1, "Hvor mange klager er der kommet i år?"),
            QuestionDraft(2, "Hvornår stopper arbejdet om natten?"),
        ],
    )
    with db.session() as session:
        return cases.create_case(session, draft, db.user).id


def test_two_pcs_presence_conflict_and_merge(
    qtbot: Any,
    two_pcs: tuple[Database, Database],
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[KnownError],
) -> None:
    anna, bo = two_pcs
    case_id = _case(anna)
    window_a, window_b = MainWindow(anna), MainWindow(bo)
    for window in (window_a, window_b):
        qtbot.addWidget(window)
    assert window_a.team.user_label.text() == "Anna Andersen (AA) · Sekretariat"

    # Both open the case: each sees the other in the presence notice.
    dialog_a = CaseDialog(anna, case_id, window_a)
    dialog_b = CaseDialog(bo, case_id, window_b)
    for dialog in (dialog_a, dialog_b):
        qtbot.addWidget(dialog)
        dialog.resize(1100, 700)
        dialog.show()
    dialog_a.team.tracker.tick()
    dialog_b.team.tracker.tick()
    assert dialog_a.team.presence_banner.text().startswith("Bo Berg (BB) redigerer denne sag")
    assert dialog_b.team.presence_banner.text().startswith("Anna Andersen (AA) redigerer denne sag")

    # Bo answers question 1 and retitles the case, and saves first.
    dialog_b.subject_edit.setText("Natarbejde på Åboulevarden")
    dialog_b._select_question(0)
    dialog_b.answer_text.setPlainText("Der er kommet 14 klager i år.")
    assert dialog_b.save()
    _side_by_side(dialog_a, dialog_b, "to_pcer_samme_sag.png")

    # Anna, still on the old version, changes the subject too, and the notes.
    dialog_a.subject_edit.setText("Støj om natten på Åboulevarden")
    dialog_a.notes_edit.setPlainText("Ring til bygherren i morgen.")
    seen: list[ConflictDialog] = []

    def decide(self: ConflictDialog) -> int:
        seen.append(self)
        self.show()
        _shot(self, "konflikt_ved_gem.png")
        rows = {d.label: d for d in self.model.diffs}
        assert rows["Emne"].conflict
        assert rows["Emne"].mine == "Støj om natten på Åboulevarden"
        assert rows["Emne"].theirs == "Natarbejde på Åboulevarden"
        assert not rows["Noter"].conflict and rows["Noter"].mine_changed
        assert not rows["Spørgsmål 1 – svar"].conflict
        assert self.model.data(self.model.index(0, 2)) == "Natarbejde på Åboulevarden"
        assert "Bo Berg (BB)</b> gemte sagen" in self.intro.text()
        # Keep Bo's subject: untick "Brug min" on the conflicting row.
        row = [d.key for d in self.model.diffs].index("subject")
        self.model.setData(
            self.model.index(row, 3), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole
        )
        self.hide()
        return MERGE

    monkeypatch.setattr(conflict_dialog.ConflictDialog, "exec", decide)
    assert dialog_a.save() is True
    assert len(seen) == 1 and shown_errors == []
    with anna.session() as session:
        case = cases.load_case(session, case_id)
        assert case.subject == "Natarbejde på Åboulevarden"  # Bo's, chosen
        assert case.notes == "Ring til bygherren i morgen."  # Anna's, merged
        assert case.questions[0].answer == "Der er kommet 14 klager i år."  # Bo's, kept
        history = audit.case_history(session, case_id)
    assert ("Bo Berg (BB)", "Emne") in {(h.user, h.field) for h in history}
    assert ("Anna Andersen (AA)", "Noter") in {(h.user, h.field) for h in history}
    # Anna's window shows the merged case and its history.
    assert dialog_a.subject_edit.text() == "Natarbejde på Åboulevarden"
    assert not dialog_a.is_dirty()
    model = dialog_a.team.history.model
    assert model.rowCount() == len(history)
    dialog_a.side_tabs.setCurrentIndex(1)
    dialog_a.team.history.view.selectRow(model.rowCount() - 1)
    _shot(dialog_a, "historik.png")

    # Bo closes the case: after the next heartbeat Anna's notice is gone.
    dialog_b.done(0)
    dialog_a.team.tracker.tick()
    assert dialog_a.team.presence_banner.text() == ""
    dialog_a.done(0)


def test_conflict_reload_discards_mine(
    qtbot: Any,
    two_pcs: tuple[Database, Database],
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[KnownError],
) -> None:
    anna, bo = two_pcs
    case_id = _case(anna)
    dialog_a, dialog_b = CaseDialog(anna, case_id), CaseDialog(bo, case_id)
    for dialog in (dialog_a, dialog_b):
        qtbot.addWidget(dialog)
    dialog_b.notes_edit.setPlainText("Bos note")
    assert dialog_b.save()
    dialog_a.notes_edit.setPlainText("Annas note")
    monkeypatch.setattr(conflict_dialog.ConflictDialog, "exec", lambda self: RELOAD)
    assert dialog_a.save() is False
    assert dialog_a.notes_edit.toPlainText() == "Bos note"
    assert not dialog_a.is_dirty()
    # Cancel keeps the form as it is and saves nothing.
    dialog_a.notes_edit.setPlainText("Annas anden note")
    dialog_b.notes_edit.setPlainText("Bos anden note")
    assert dialog_b.save()
    monkeypatch.setattr(conflict_dialog.ConflictDialog, "exec", lambda self: 0)
    assert dialog_a.save() is False
    assert dialog_a.notes_edit.toPlainText() == "Annas anden note"
    with anna.session() as session:
        assert cases.load_case(session, case_id).notes == "Bos anden note"
    for dialog in (dialog_a, dialog_b):
        dialog.done(0)


def test_reader_and_administration_roles_in_the_case_window(
    qtbot: Any, two_pcs: tuple[Database, Database], shown_errors: list[KnownError]
) -> None:
    anna, bo = two_pcs
    case_id = _case(anna)
    with anna.session() as session:
        tmf = session.query(Administration).filter_by(code="TMF").one().id
        cille = {"login": "cille", "name": "Cille Ravn", "role": "forvaltning"}
        users.save_user(session, "anna", None, cille | {"administration_id": tmf})
        bo_id = next(u.id for u in users.list_users(session) if u.login == "bo")
        reader = {"login": "bo", "name": "Bo Berg", "initials": "BB", "role": "laeser"}
        users.save_user(session, "anna", bo_id, reader)
    window = MainWindow(bo)
    qtbot.addWidget(window)
    assert not window.new_action.isEnabled()
    reader = CaseDialog(bo, case_id, window)
    qtbot.addWidget(reader)
    assert not reader.save_button.isEnabled()
    assert not reader.subject_edit.isEnabled()
    assert reader.team.role_banner.text() == "Du kan kun læse denne sag (din rolle: Læser)."
    # The core refuses too, whatever the buttons say.
    reader.subject_edit.setEnabled(True)
    reader.subject_edit.setText("Læserens forsøg")
    assert reader.save() is False
    assert "kun læseadgang" in str(shown_errors[-1])
    reader.done(0)

    forvaltning = open_database(anna.url)
    forvaltning.user = "cille"
    try:
        dialog = CaseDialog(forvaltning, case_id)
        qtbot.addWidget(dialog)
        assert dialog.save_button.isEnabled()
        assert not dialog.subject_edit.isEnabled()
        assert dialog.question_text.isReadOnly() and not dialog.answer_text.isReadOnly()
        assert "du kan skrive svar" in dialog.team.role_banner.text()
        dialog._select_question(1)
        dialog.answer_text.setPlainText("Arbejdet stopper 1. juli.")
        assert dialog.save() is True, shown_errors
        dialog.done(0)
    finally:
        forvaltning.dispose()
    with anna.session() as session:
        assert cases.load_case(session, case_id).questions[1].answer == "Arbejdet stopper 1. juli."


def test_users_dialog(
    qtbot: Any, two_pcs: tuple[Database, Database], shown_errors: list[KnownError]
) -> None:
    anna, _bo = two_pcs
    dialog = UsersDialog(anna)
    qtbot.addWidget(dialog)
    assert [row["login"] for row in dialog.model.rows] == ["anna", "bo"]
    dialog.new_user()
    dialog.login_edit.setText("DORTE")
    dialog.name_edit.setText("Dorte Dahl")
    dialog.initials_edit.setText("dd")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("forvaltning"))
    assert dialog.save() is False  # a forvaltning user needs an administration
    assert "Forvaltning: skal vælges for en forvaltningsbruger." in str(shown_errors[-1])
    dialog.admin_combo.setCurrentIndex(1)
    assert dialog.save() is True
    _shot(dialog, "brugere.png")
    assert [row["login"] for row in dialog.model.rows] == ["anna", "bo", "dorte"]
    with anna.session() as session:
        actor = users.actor_for(session, "Dorte")
        entries = audit.audit_entries(session, "bruger", "dorte")
    assert (actor.initials, actor.role) == ("DD", "forvaltning")
    assert entries and entries[0].user == "Anna Andersen (AA)"
    dialog.done(0)
