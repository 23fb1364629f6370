"""The letter features in the app, driven with qtbot: the Brev tab, the preview, exports
with and without approval, batch export with progress, and the template editor."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from kkdesk.core import cases
from kkdesk.core.database import Database
from kkdesk.core.drafts import LetterDraft, QuestionDraft
from kkdesk.core.errors import KnownError, ValidationError
from kkdesk.core.letters import template_store
from kkdesk.core.models import CaseEvent
from kkdesk.ui import errors, letters_batch, letters_export, letters_templates
from kkdesk.ui.app import create_application
from kkdesk.ui.case_editor import CaseDialog
from kkdesk.ui.letters_preview import LetterPreviewDialog
from kkdesk.ui.letters_templates import TemplateDialog
from kkdesk.ui.main_window import MainWindow
from tests.conftest import build_draft
from tests.letter_support import docx_paragraphs, pdf_text


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    return seen


def _case(db: Database, status: str = "under_udarbejdelse", **overrides: Any) -> int:
    values: dict[str, Any] = {
        "questions": [QuestionDraft(1, "Hvornår?", "Snart.\n\n- et punkt\n- et andet")]
    }
    draft = build_draft(status=status, **{**values, **overrides})
    with db.session() as session:
        return cases.create_case(session, draft, "anna").id


def _events(db: Database, case_id: int) -> list[CaseEvent]:
    with db.session() as session:
        query = select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.action == "brev")
        return list(session.scalars(query))


def test_letter_tab_round_trip(qtbot: Any, db: Database, shown_errors: list[KnownError]) -> None:
    create_application()
    case_id = _case(db)
    dialog = CaseDialog(db, case_id)
    qtbot.addWidget(dialog)
    fields = dialog.letter_fields
    assert dialog.tabs.tabText(1) == "Brev"
    assert not dialog.is_dirty()
    fields.layout_combo.setCurrentIndex(fields.layout_combo.findData("svar_paa"))
    fields.opening_combo.setCurrentIndex(fields.opening_combo.findData("politikersvar"))
    qtbot.keyClicks(fields.general_edit, "Generelt om sagen.")
    qtbot.keyClicks(fields.signer_edit, "Bo Berg")
    fields.no_title_check.setChecked(True)
    fields.bilag_edit.setPlainText("Kort over området\n\n  Tidsplan  \n")
    assert dialog.is_dirty()
    assert dialog.save()
    assert shown_errors == []
    with db.session() as session:
        letter = cases.case_to_draft(cases.load_case(session, case_id)).letter
    assert letter == LetterDraft(
        layout="svar_paa",
        opening="politikersvar",
        general_answer="Generelt om sagen.",
        signer_name="Bo Berg",
        signer_title="",
        bilag=["Kort over området", "Tidsplan"],
    )
    assert not dialog.is_dirty()
    # Reopened, the form shows the same and is not dirty; "Uden titel" off means default.
    again = CaseDialog(db, case_id)
    qtbot.addWidget(again)
    assert again.letter_fields.no_title_check.isChecked()
    again.letter_fields.no_title_check.setChecked(False)
    assert again.letter_fields.letter().signer_title is None
    again.letter_fields.no_title_check.setChecked(True)
    assert not again.is_dirty()


def test_preview_button_saves_first(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch, shown_errors: list[KnownError]
) -> None:
    create_application()
    case_id = _case(db)
    shown: list[int] = []
    monkeypatch.setattr(
        "kkdesk.ui.letters_preview.show_preview", lambda _p, _db, cid: shown.append(cid)
    )
    dialog = CaseDialog(db, case_id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.letter_fields.general_edit, "Nyt generelt svar.")
    dialog.letter_fields.preview_button.click()
    assert shown == [case_id]
    assert not dialog.is_dirty()
    with db.session() as session:
        assert cases.load_case(session, case_id).general_answer == "Nyt generelt svar."


def test_preview_dialog_shows_pages(qtbot: Any, db: Database) -> None:
    create_application()
    long_answer = "\n\n".join(["Et langt afsnit om sagen og dens forløb. " * 15] * 6)
    case_id = _case(db, questions=[QuestionDraft(1, "Hvorfor?", long_answer)])
    dialog = LetterPreviewDialog(db, case_id)
    qtbot.addWidget(dialog)
    assert dialog.page_count() == 2
    assert "Udkast" in dialog.status_label.text()
    width = dialog.page_labels[0].pixmap().width()
    dialog.zoom_in.click()
    assert dialog.page_labels[0].pixmap().width() > width
    assert dialog.zoom_label.text() == "150 %"
    for _ in range(6):
        dialog.zoom_out.click()
    assert not dialog.zoom_out.isEnabled()
    assert dialog.page_count() == 2


def test_preview_of_approved_case_says_final(qtbot: Any, db: Database) -> None:
    create_application()
    dialog = LetterPreviewDialog(db, _case(db, status="godkendt"))
    qtbot.addWidget(dialog)
    assert "Endeligt brev" in dialog.status_label.text()


def _answer_dialogs(
    monkeypatch: pytest.MonkeyPatch, target: Path, choice: str | None, reason: str | None
) -> list[str]:
    asked: list[str] = []

    def draft_or_final(_parent: Any, number: str, _status: str) -> str | None:
        asked.append(f"status {number}")
        return choice

    def save_path(_parent: Any, file_name: str, fmt: str) -> Path:
        asked.append(f"fil {file_name}")
        return target

    monkeypatch.setattr(letters_export, "ask_draft_or_final", draft_or_final)
    monkeypatch.setattr(letters_export, "ask_override_reason", lambda _p: reason)
    monkeypatch.setattr(letters_export, "ask_save_path", save_path)
    return asked


def test_export_draft_pdf(
    qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    case_id = _case(db)
    target = tmp_path / "brev.pdf"
    asked = _answer_dialogs(monkeypatch, target, "draft", None)
    assert letters_export.export_letter(None, db, case_id, "pdf") == target
    assert asked[0] == "status 2025-0001"
    assert asked[1].startswith("fil ") and asked[1].endswith(".pdf")
    assert "UDKAST" in pdf_text(target.read_bytes())
    assert _events(db, case_id) == []


def test_export_final_pdf_with_override_is_recorded(
    qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    case_id = _case(db)
    target = tmp_path / "brev.pdf"
    _answer_dialogs(monkeypatch, target, "final", None)
    # No reason given: cancelled, nothing written.
    assert letters_export.export_letter(None, db, case_id, "pdf") is None
    assert not target.exists()
    _answer_dialogs(monkeypatch, target, "final", "Godkendt på mødet i dag")
    assert letters_export.export_letter(None, db, case_id, "pdf") == target
    assert "UDKAST" not in pdf_text(target.read_bytes())
    (event,) = _events(db, case_id)
    assert "Godkendt på mødet i dag" in event.comment
    assert event.user == "test"


def test_export_word_of_approved_case(
    qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    case_id = _case(db, status="godkendt")
    target = tmp_path / "brev.docx"
    asked = _answer_dialogs(monkeypatch, target, None, None)
    assert letters_export.export_letter(None, db, case_id, "docx") == target
    assert not any(a.startswith("status") for a in asked)  # approved: no question
    assert "et andet" in docx_paragraphs(target.read_bytes())
    assert len(_events(db, case_id)) == 1


def test_export_failure_is_shown(
    qtbot: Any,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[KnownError],
) -> None:
    create_application()
    case_id = _case(db, status="godkendt")
    _answer_dialogs(monkeypatch, tmp_path / "mangler" / "brev.docx", None, None)
    assert letters_export.export_letter(None, db, case_id, "docx") is None
    assert "kan ikke gemmes" in shown_errors[-1].message
    assert _events(db, case_id) == []  # not recorded when the file was not written


def test_main_window_actions_and_batch_export(
    qtbot: Any,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[KnownError],
) -> None:
    create_application()
    ids = [_case(db, status="godkendt"), _case(db), _case(db, subject="Cykler")]
    window = MainWindow(db)
    qtbot.addWidget(window)
    labels = [a.text() for a in window.case_menu.actions()]
    for label in (
        "Vis brev…",
        "Eksportér som Word (udkast)…",
        "Eksportér som PDF…",
        "Eksportér valgte sager…",
    ):
        assert label in labels
    assert "Brevskabeloner…" in [a.text() for a in window.register_menu.actions()]

    # Nothing selected: a clear message, no dialog.
    window.table.clearSelection()
    window.letter_actions["batch"].trigger()
    assert shown_errors[-1].message == "Markér en eller flere sager i listen først."

    summaries: list[str] = []
    monkeypatch.setattr(letters_batch, "ask_format", lambda _p, _n: "pdf")
    monkeypatch.setattr(letters_batch, "ask_folder", lambda _p: tmp_path)
    monkeypatch.setattr(
        letters_batch,
        "summary_box",
        lambda _p, result, folder: summaries.append(letters_batch.summary_text(result, folder)),
    )
    window.table.selectAll()
    assert sorted(window.selected_case_ids()) == sorted(ids)
    window.letter_actions["batch"].trigger()
    batch = window._letter_batch
    assert batch is not None
    with qtbot.waitSignal(batch.finished, timeout=30000) as blocker:
        pass
    result = blocker.args[0]
    assert len(result.written) == 3 and result.drafts == 2
    assert summaries == [
        f"3 breve gemt i {tmp_path}.\n2 er mærket UDKAST, fordi sagen ikke er godkendt."
    ]
    assert len(list(tmp_path.glob("*.pdf"))) == 3
    assert not batch.progress.isVisible()


def test_batch_cancel(
    qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    ids = [_case(db, status="godkendt") for _ in range(4)]
    monkeypatch.setattr(letters_batch, "summary_box", lambda *_a: None)
    batch = letters_batch.BatchExport(MainWindow(db), db, ids, "docx", tmp_path)
    batch.worker.cancel.set()  # the user pressed "Annullér" before the first letter
    with qtbot.waitSignal(batch.finished, timeout=30000) as blocker:
        batch.start()
    assert blocker.args[0].cancelled
    assert blocker.args[0].written == []
    text = letters_batch.summary_text(blocker.args[0], tmp_path)
    assert "annulleret" in text


def test_template_dialog_refuses_unknown_field_then_saves(
    qtbot: Any,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown_errors: list[KnownError],
) -> None:
    create_application()
    dialog = TemplateDialog(db)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(
        letters_templates.QMessageBox,
        "question",
        lambda *a, **k: QMessageBox.StandardButton.Discard,
    )
    hilsen = dialog.edits["hilsen"]
    hilsen.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(hilsen, "Kære {fornavn}")
    assert not dialog.save()
    error = shown_errors[-1]
    assert isinstance(error, ValidationError)
    assert "ukendt felt {fornavn}" in error.message
    hilsen.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(hilsen, "Hej {navn}")
    assert dialog.save()
    assert not dialog.is_dirty()
    with db.session() as session:
        assert template_store.load_layer(session, None).texts["hilsen"] == "Hej {navn}"

    # An administration's layer: empty texts inherit, shown as placeholders.
    dialog.layers.setCurrentRow(1)
    assert dialog.current != letters_templates.COMMON
    assert dialog.edits["hilsen"].placeholderText() == "Fælles: Hej {navn}"
    assert not dialog.edits["filnavn"].isEnabled()
    from PIL import Image

    logo = dialog.current
    png = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(png, format="PNG")
    path = tmp_path / "logo.png"
    path.write_bytes(png.getvalue())
    monkeypatch.setattr(letters_templates, "ask_logo_file", lambda _p: path)
    dialog.choose_logo()
    assert dialog.is_dirty()
    assert dialog.save()
    with db.session() as session:
        assert template_store.effective_templates(session, logo).logo == png.getvalue()
        assert template_store.effective_templates(session, None).logo != png.getvalue()
