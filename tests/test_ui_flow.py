"""GUI flows driven with qtbot: register a case through the dialog and find it again."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from kkdesk.core import cases
from kkdesk.core.database import Database, open_database
from kkdesk.core.errors import KnownError
from kkdesk.ui import case_editor, errors
from kkdesk.ui.app import create_application
from kkdesk.ui.case_editor import CaseDialog
from kkdesk.ui.main_window import MainWindow
from tests.conftest import build_draft


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    """Known errors the UI would show, instead of modal message boxes."""
    seen: list[KnownError] = []

    def record(_parent: Any, error: KnownError, _title: str = "") -> None:
        seen.append(error)

    monkeypatch.setattr(errors, "show_known_error", record)
    return seen


def _fill_form(qtbot: Any, dialog: CaseDialog) -> None:
    qtbot.keyClicks(dialog.subject_edit, "støj fra natarbejde på Åboulevarden")
    qtbot.keyClicks(dialog.asker_edit, "Ærling Østergaard")
    dialog.party_combo.setCurrentIndex(dialog.party_combo.findData("Ø"))
    dialog.received_edit.setText("22-05-2025, 26.5.2025")
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findData("TMF"))
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("Byens Drift"))
    texts = ["Hvor mange klager er der kommet?", "Hvem giver tilladelsen?", "Hvad koster det?"]
    dialog.question_text.clear()
    qtbot.keyClicks(dialog.question_text, texts[0])
    for text in texts[1:]:
        dialog.add_question()
        qtbot.keyClicks(dialog.question_text, text)
    qtbot.keyClicks(dialog.answer_text, "Svar på tredje spørgsmål.")


def test_create_case_with_three_questions_and_reopen(
    qtbot: Any, db_url: str, shown_errors: list[KnownError]
) -> None:
    create_application()
    db = open_database(db_url)
    try:
        window = MainWindow(db)
        qtbot.addWidget(window)
        assert window.case_model.rowCount() == 0
        dialog = CaseDialog(db, None, window)
        qtbot.addWidget(dialog)
        _fill_form(qtbot, dialog)
        with qtbot.waitSignal(dialog.saved, timeout=5000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert shown_errors == []
        assert dialog.number_label.text() == "2025-0001"
        window._case_saved(dialog.case_id)
        assert window.case_model.rowCount() == 1
        dialog.done(0)
        window.close()
    finally:
        db.dispose()

    # "Close the app and start it again": a new database connection and a new window.
    db2 = open_database(db_url)
    try:
        window2 = MainWindow(db2)
        qtbot.addWidget(window2)
        model = window2.case_model
        assert model.rowCount() == 1
        assert model.index(0, 1).data() == "støj fra natarbejde på Åboulevarden"
        assert model.index(0, 2).data() == "Ærling Østergaard (Ø)"
        assert model.index(0, 3).data() == "TMF"
        assert model.index(0, 4).data() == "22-05-2025"
        reopened = CaseDialog(db2, model.case_id(0), window2)
        qtbot.addWidget(reopened)
        items = reopened.questions.items()
        assert [q.number for q in items] == [1, 2, 3]
        assert items[1].text == "Hvem giver tilladelsen?"
        assert items[2].answer == "Svar på tredje spørgsmål."
        assert reopened.received_edit.text() == "22-05-2025, 26-05-2025"
        assert reopened.unit_combo.currentData() == "Byens Drift"
        assert not reopened.is_dirty()
        reopened.done(0)
    finally:
        db2.dispose()


def test_validation_messages_are_shown_and_nothing_saved(
    qtbot: Any, db: Database, shown_errors: list[KnownError]
) -> None:
    create_application()
    dialog = CaseDialog(db, None)
    qtbot.addWidget(dialog)
    dialog.received_edit.setText("31-02-2025")
    assert dialog.save() is False
    assert "'31-02-2025' er ikke en gyldig dato." in str(shown_errors[-1])
    dialog.received_edit.setText("01-01-2099")
    assert dialog.save() is False
    message = str(shown_errors[-1])
    assert "Emne: skal udfyldes." in message
    assert "ligger i fremtiden" in message
    assert "Forvaltning: skal vælges." in message
    with db.session() as session:
        assert session.query(cases.Case).count() == 0
    dialog.done(0)  # closing a dirty dialog would ask about unsaved changes (modal)


def test_unsaved_changes_guard(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch, shown_errors: list[KnownError]
) -> None:
    create_application()
    with db.session() as session:
        case_id = cases.create_case(session, build_draft(), "test").id
    dialog = CaseDialog(db, case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.subject_edit, " (rettet)")
    assert dialog.is_dirty()
    asked: list[str] = []

    def answer(*args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(args[1])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(case_editor.QMessageBox, "question", answer)
    dialog.reject()
    assert asked == ["Ikke gemte ændringer"]
    assert dialog.isVisible()

    monkeypatch.setattr(
        case_editor.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save
    )
    dialog.reject()
    assert not dialog.isVisible()
    with db.session() as session:
        assert cases.load_case(session, case_id).subject.endswith("(rettet)")


def test_filters_in_main_window(qtbot: Any, db: Database) -> None:
    create_application()
    with db.session() as session:
        cases.create_case(session, build_draft(subject="Støj i Valby"), "test")
        cases.create_case(
            session, build_draft(subject="Cykelstier", administration="BIF", unit=None), "test"
        )
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert window.case_model.rowCount() == 2
    window.search_field.setText("STØJ")
    window.apply_filter()
    assert window.case_model.rowCount() == 1
    window.search_field.clear()
    window.admin_filter.setCurrentIndex(
        window.admin_filter.findText("BIF", Qt.MatchFlag.MatchStartsWith)
    )
    assert window.case_model.rowCount() == 1
    assert window.case_model.index(0, 1).data() == "Cykelstier"
    window.status_filter.setCurrentIndex(window.status_filter.findData("besvaret"))
    assert window.case_model.rowCount() == 0
    assert window.count_label.text() == "0 sager"
