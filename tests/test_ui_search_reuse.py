"""GUI of search and reuse: the search dock, "Spurgt før?", standard texts, the archive
wizard; each table model through qtmodeltester."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import select

from kkdesk.core import cases, standard_texts
from kkdesk.core.database import Database
from kkdesk.core.drafts import QuestionDraft
from kkdesk.core.errors import KnownError
from kkdesk.core.models import Case, CaseEvent
from kkdesk.ui import archive_wizard, errors
from kkdesk.ui.app import create_application
from kkdesk.ui.case_editor import CaseDialog
from kkdesk.ui.main_window import MainWindow
from kkdesk.ui.search_panel import CASE_ID_ROLE
from kkdesk.ui.snippet_delegate import snippet_html
from kkdesk.ui.standard_texts_dialog import StandardTextPicker, StandardTextsDialog
from tests.conftest import build_draft
from tests.letter_samples import render_text, samples, write_docx


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


def _earlier_case(db: Database) -> str:
    with db.session() as session:
        case = cases.create_case(
            session,
            build_draft(
                subject="Rotter i gårdene på Nørrebro",
                received=[dt.date(2023, 3, 1)],
                status="besvaret",
                questions=[
                    QuestionDraft(1, "Hvor mange anmeldelser om rotter kom der?", "Der kom 412."),
                    QuestionDraft(2, "Hvad koster bekæmpelsen af rotter?", "Den koster 3 mio. kr."),
                ],
            ),
            "test",
        )
        return case.case_number


def test_search_dock_finds_and_opens(
    qtbot: Any, qtmodeltester: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    number = _earlier_case(db)
    window = MainWindow(db)
    qtbot.addWidget(window)
    panel = window.search_panel  # type: ignore[attr-defined]
    panel.field.setText("BEKÆMPELSEN")
    panel.run_search()
    assert panel.model.rowCount() == 1
    qtmodeltester.check(panel.model)
    assert panel.model.index(0, 0).data() == number
    assert panel.model.index(0, 4).data() == "spørgsmål 2"
    assert "<b" in snippet_html(panel.model.index(0, 5).data())
    opened: list[int] = []
    monkeypatch.setattr(window, "open_case", lambda case_id: opened.append(case_id))
    index = panel.model.index(0, 1)
    panel.view.doubleClicked.emit(index)
    assert opened == [index.data(CASE_ID_ROLE)]
    panel.field.setText("ingenting-her")
    panel.run_search()
    assert panel.model.rowCount() == 0
    assert "Ingen sager" in panel.status.text()


def test_asked_before_reuse_is_recorded(
    qtbot: Any, qtmodeltester: Any, db: Database, shown_errors: list[KnownError]
) -> None:
    create_application()
    number = _earlier_case(db)
    dialog = CaseDialog(db, None)
    qtbot.addWidget(dialog)
    dialog.subject_edit.setText("Rotter på Amager")
    dialog.asker_edit.setText("Åse Ørsted")
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findData("TMF"))
    dialog.question_text.setPlainText("Hvad koster det at bekæmpe rotter?")
    panel = dialog.reuse.panel
    panel.refresh()
    assert panel.model.rowCount() == 1
    qtmodeltester.check(panel.model)
    assert panel.current() is not None and panel.current().case_number == number
    assert "Den koster 3 mio. kr." in panel.detail.toPlainText()
    panel.use_button.click()
    assert dialog.answer_text.toPlainText() == "Den koster 3 mio. kr."
    assert dialog.save(), shown_errors
    with db.session() as session:
        new = session.scalars(select(Case).where(Case.subject == "Rotter på Amager")).one()
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == new.id)).all()
        assert [e.comment for e in events if e.action == "svar genbrugt"] == [
            f"Spørgsmål 1: svar genbrugt fra {number}"
        ]
    # The case itself is no longer suggested to itself.
    panel.refresh()
    assert all(s.case_id != dialog.case_id for s in panel.model._items)


def test_standard_text_fields_filled_and_checked(
    qtbot: Any,
    qtmodeltester: Any,
    db: Database,
    shown_errors: list[KnownError],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_application()
    with db.session() as session:
        case_id = cases.create_case(session, build_draft(), "test").id
        standard_texts.save_text(
            session, None, "Kontakt", "Kontakt {enhed} i {forvaltning} på {telefon}.", "test"
        )
    picker = StandardTextPicker(db)
    qtbot.addWidget(picker)
    qtmodeltester.check(picker.model)
    assert picker.chosen is not None and picker.chosen.name == "Kontakt"
    monkeypatch.setattr(StandardTextPicker, "exec", lambda self: 1)
    dialog = CaseDialog(db, case_id)
    qtbot.addWidget(dialog)
    dialog.reuse.insert_standard_text()
    answer = dialog.answer_text.toPlainText()
    assert answer == "Kontakt Byens Drift i Teknik- og Miljøforvaltningen på {telefon}."
    assert dialog.save() is False
    assert "feltet {telefon}" in str(shown_errors[-1])
    dialog.answer_text.setPlainText(answer.replace("{telefon}", "33 66 33 66"))
    assert dialog.save() is True


def test_standard_texts_dialog_rejects_unknown_fields(
    qtbot: Any, db: Database, shown_errors: list[KnownError]
) -> None:
    create_application()
    dialog = StandardTextsDialog(db)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Klagevejledning")
    dialog.body_edit.setPlainText("Ring til {kontor}.")
    assert dialog.save() is False
    assert "ukendt felt {kontor}" in str(shown_errors[-1])
    dialog.body_edit.setPlainText("Ring til {enhed} på {telefon}.")
    assert dialog.save() is True
    assert dialog.model.rowCount() == 1


def test_archive_wizard_review_and_import(
    qtbot: Any,
    qtmodeltester: Any,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_application()
    folder = tmp_path / "arkiv"
    folder.mkdir()
    specs = samples()
    for index, spec in enumerate(specs[:3]):
        (folder / f"brev{index}.txt").write_text(render_text(spec, seed=index), encoding="utf-8")
    write_docx(specs[3], folder / "brev3.docx")
    (folder / "noter.txt").write_text("Husk mødet.\n", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(
        archive_wizard.QMessageBox, "information", lambda _p, _t, text: shown.append(text)
    )
    wizard = archive_wizard.ArchiveWizard(db)
    qtbot.addWidget(wizard)
    # Drop the folder on the first page.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    wizard.source_page.dropEvent(drop)
    assert len(wizard.files) == 5 and wizard.source_page.isComplete()
    assert wizard.parse_now()
    model = wizard.review_model
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    assert [s.source for s in wizard.skipped] == ["noter.txt"]
    # Break one letter, see it unticked, fix it again in the table.
    row = next(r for r in range(4) if model.letter(r).subject == specs[1].subject)  # type: ignore[union-attr]
    assert model.setData(model.index(row, 4), "")
    assert "Datoen for henvendelsen blev ikke fundet." in model.index(row, 8).data()
    assert len(model.chosen()) == 3
    assert not model.setData(model.index(row, 4), "31-02-2021")
    assert model.setData(model.index(row, 4), "12-01-2021, 15-01-2021")
    assert model.index(row, 8).data() == "OK"
    assert model.setData(model.index(row, 6), "Støj ved byggepladser (rettet)")
    wizard.review_page.initializePage()
    assert "Spørgsmål 1" in wizard.review_page.detail.toPlainText()
    assert wizard.import_now()
    assert "4 sager er oprettet som besvarede." in shown[-1]
    with db.session() as session:
        subjects = set(session.scalars(select(Case.subject)))
        statuses = set(session.scalars(select(Case.status)))
    assert "Støj ved byggepladser (rettet)" in subjects and statuses == {"besvaret"}
    # Read again: the letters already imported are marked and not ticked.
    assert wizard.parse_now()
    assert model.chosen() == [model.letter(row)]
    assert str(model.index(0 if row else 1, 8).data()).startswith("Findes allerede som sag")
