"""GUI: a mail dropped on the main window opens "Ny sag" filled in; saving stores the case
and its bilag together; the Bilag panel adds, opens, removes and marks bilag."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from kkdesk.core import attachments, registry
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.models import CaseAttachment, CaseEvent, Party
from kkdesk.ui import errors
from kkdesk.ui.app import create_application
from kkdesk.ui.attachment_table_model import COL_SEND, AttachmentRow, AttachmentTableModel
from kkdesk.ui.case_editor import CaseDialog
from kkdesk.ui.mail_intake import CONTENTS, DESCRIPTOR, save_virtual_file, virtual_file_names
from kkdesk.ui.main_window import MainWindow

MAIL = Path(__file__).parent / "fixtures" / "mail"


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[KnownError]:
    seen: list[KnownError] = []
    monkeypatch.setattr(errors, "show_known_error", lambda _p, e, _t="": seen.append(e))
    monkeypatch.setattr(errors, "show_bug", lambda _p, e: pytest.fail(f"bug shown: {e!r}"))
    return seen


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True
    )
    return urls


def _drop(window: MainWindow, mime: QMimeData) -> None:
    """What Qt sends during a real drag: enter (must be accepted), then drop."""
    with warnings.catch_warnings():  # PySide6 marks the only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(50, 50),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)


def test_dropped_mail_opens_filled_dialog_and_saves_case_with_bilag(
    qtbot: Any, db: Database, shown_errors: list[KnownError], opened: list[str]
) -> None:
    create_application()
    with db.session() as session:
        party = session.scalar(select(Party.id).where(Party.letter == "F"))
        registry.save(
            session,
            "asker",
            None,
            {"name": "Signe Holm Bach", "email": "signe.bach@kk.dk", "party_id": party},
        )
    window = MainWindow(db)
    qtbot.addWidget(window)
    shown: list[CaseDialog] = []
    window.mail_intake.show_dialog = shown.append
    assert "Åbn e-mail…" in [a.text() for a in window.file_menu.actions()]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(MAIL / "three_questions.eml"))])
    _drop(window, mime)
    assert shown_errors == []
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.subject_edit.text() == "Spørgsmål om cykelparkering ved Nørreport"
    assert dialog.asker_edit.text() == "Signe Holm Bach"
    assert dialog.party_combo.currentData() == "F"
    assert dialog.received_edit.text() == "04-06-2025"
    assert [q.text[:20] for q in dialog.questions.items()] == [
        "Hvor mange cykelpark",
        "Hvor ofte fjerner ko",
        "Har forvaltningen pl",
    ]
    panel = dialog.bilag_panel
    assert [r.file_name for r in panel.model.rows()] == [
        "three_questions.eml",
        "Billeder af cykelstativer.pdf",
    ]
    # Mark the PDF to go with the reply before the case exists; open it.
    panel.model.setData(panel.model.index(1, COL_SEND), Qt.CheckState.Checked.value,
                        Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    panel.view.selectRow(1)
    panel.open_selected()
    assert opened and Path(opened[0]).read_bytes().startswith(b"%PDF-")
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findData("TMF"))
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        assert dialog.save()
    assert shown_errors == []
    assert panel.case_id == dialog.case_id
    with db.session() as session:
        stored = attachments.list_attachments(session, dialog.case_id)
        assert [(a.file_name, a.is_original, a.send_with_reply) for a in stored] == [
            ("three_questions.eml", True, False),
            ("Billeder af cykelstativer.pdf", False, True),
        ]
    assert window.case_model.rowCount() == 1
    dialog.done(0)


def test_bilag_panel_on_saved_case(
    qtbot: Any,
    db: Database,
    tmp_path: Path,
    shown_errors: list[KnownError],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_application()
    from kkdesk.core import cases
    from tests.conftest import build_draft

    with db.session() as session:
        case_id = cases.create_case(session, build_draft(), "test").id
    dialog = CaseDialog(db, case_id)
    qtbot.addWidget(dialog)
    panel = dialog.bilag_panel
    note = tmp_path / "notat.txt"
    note.write_text("Et notat", encoding="utf-8")
    empty = tmp_path / "tom.pdf"
    empty.write_bytes(b"")
    panel.add_files([note, empty, note])
    messages = [e.message for e in shown_errors]
    assert any("tomt" in m for m in messages) and any("allerede" in m for m in messages)
    assert [r.file_name for r in panel.model.rows()] == ["notat.txt"]
    panel.model.setData(panel.model.index(0, COL_SEND), Qt.CheckState.Checked.value,
                        Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    assert panel.model.rows()[0].send_with_reply
    panel.model.setData(panel.model.index(0, 1), "Notat fra borgermødet", Qt.ItemDataRole.EditRole)
    with db.session() as session:
        (entry,) = attachments.letter_bilag(session, case_id)
        assert (entry.number, entry.title) == (1, "Notat fra borgermødet")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.view.selectRow(0)
    panel.remove_selected()
    assert panel.model.rowCount() == 0
    with db.session() as session:
        assert session.scalars(select(CaseAttachment)).all() == []
        comments = session.scalars(select(CaseEvent.comment).where(CaseEvent.action == "bilag"))
        assert list(comments) == [
            "Bilag 'notat.txt' tilføjet (8 byte)",
            "Bilag 'notat.txt' sendes med svaret",
            "Bilag 'notat.txt': titel ændret fra 'notat' til 'Notat fra borgermødet'",
            f"Bilag 'notat.txt' slettet (SHA-256 {_sha('Et notat')[:12]}…)",
        ]
    dialog.done(0)


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()


def test_attachment_model(qtmodeltester: Any) -> None:
    model = AttachmentTableModel()
    model.set_rows(
        [
            AttachmentRow("a.eml", 10, "i dag", False, True),
            AttachmentRow("b.pdf", 2048, "i dag", True, False),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "✉ a.eml"
    assert model.index(1, 2).data() == "2 kB"
    assert model.index(1, 1).data() == "b"  # the title: the file name without extension
    assert model.setData(model.index(1, 1), "  Kort  over  området ", Qt.ItemDataRole.EditRole)
    assert model.index(1, 1).data() == "Kort over området"


def test_outlook_virtual_file(tmp_path: Path) -> None:
    name = "Spørgsmål om træer.msg".encode("utf-16-le")
    descriptor = bytearray(4 + 592)
    descriptor[0:4] = (1).to_bytes(4, "little")
    descriptor[4 + 72 : 4 + 72 + len(name)] = name
    mime = QMimeData()
    mime.setData(DESCRIPTOR, QByteArray(bytes(descriptor)))
    assert virtual_file_names(mime) == ["Spørgsmål om træer.msg"]
    with pytest.raises(KnownError, match="Outlook afleverede ikke selve beskeden") as info:
        save_virtual_file(mime)
    assert "Træk beskeden fra Outlook til skrivebordet" in info.value.detail
    mime.setData(CONTENTS, QByteArray((MAIL / "outlook_question.msg").read_bytes()))
    saved = save_virtual_file(mime)
    assert saved.name == "Spørgsmål om træer.msg"
    assert saved.read_bytes() == (MAIL / "outlook_question.msg").read_bytes()


def _approved_case(db: Database, answer: str) -> int:
    from kkdesk.core import cases
    from kkdesk.core.drafts import QuestionDraft
    from tests.conftest import build_draft

    draft = build_draft(status="godkendt", questions=[QuestionDraft(1, "Hvornår?", answer)])
    with db.session() as session:
        return cases.create_case(session, draft, "anna").id


def _events(db: Database, action: str) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(CaseEvent.comment).where(CaseEvent.action == action)))


def test_send_reply_flow(
    qtbot: Any,
    db: Database,
    shown_errors: list[KnownError],
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kkdesk.core import cases
    from kkdesk.ui import privacy_dialog, reply_actions

    create_application()
    case_id = _approved_case(db, "Ring på 20 30 40 50.")
    asked: list[list[str]] = []

    def cancel(_parent: Any, found: list[Any], _what: str) -> None:
        asked.append([f.kind for f in found])

    monkeypatch.setattr(privacy_dialog, "ask_reason", cancel)
    assert reply_actions.send_reply(None, db, case_id) is False  # cancelled at the warning
    assert asked == [["telefon"]] and opened == []
    monkeypatch.setattr(privacy_dialog, "ask_reason", lambda *_a: "Kommunens eget nummer")
    monkeypatch.setattr(reply_actions, "ask_options", lambda _p, to, _m, _f: to == "aase@kk.dk")
    monkeypatch.setattr(reply_actions, "ask_sent", lambda _p, _n: True)
    assert reply_actions.send_reply(None, db, case_id) is True
    assert shown_errors == []
    (eml,) = opened
    assert eml.endswith(".eml") and Path(eml).parent == reply_actions.outbox()
    with db.session() as session:
        assert cases.load_case(session, case_id).status == "besvaret"
    assert _events(db, "persondata")[0].endswith("Begrundelse: Kommunens eget nummer")


def test_final_letter_export_runs_the_guard(
    qtbot: Any,
    db: Database,
    tmp_path: Path,
    shown_errors: list[KnownError],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kkdesk.ui import letters_export, privacy_dialog

    create_application()
    case_id = _approved_case(db, "Borgerens CPR-nummer er 010203-1234.")
    target = tmp_path / "brev.pdf"
    monkeypatch.setattr(letters_export, "ask_save_path", lambda *_a: target)
    monkeypatch.setattr(privacy_dialog, "ask_reason", lambda *_a: None)
    assert letters_export.export_letter(None, db, case_id, "pdf") is None
    assert not target.exists()
    monkeypatch.setattr(privacy_dialog, "ask_reason", lambda *_a: "Sendes ikke til aktindsigt")
    assert letters_export.export_letter(None, db, case_id, "pdf") == target
    assert target.read_bytes().startswith(b"%PDF")
    (comment,) = _events(db, "persondata")
    assert "CPR-nummer 010203-•••• i Svar på spørgsmål 1" in comment


def test_privacy_dialog_needs_a_reason(qtbot: Any) -> None:
    from kkdesk.core.privacy import scan_text
    from kkdesk.ui.privacy_dialog import PrivacyDialog

    create_application()
    findings = scan_text("CPR 010203-1234 og bo@gmail.com", "Svar på spørgsmål 1", own=["kk.dk"])
    dialog = PrivacyDialog(findings, "Svaret", None)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 1).text() == "010203-••••"
    assert not dialog.go_on.isEnabled()
    qtbot.keyClicks(dialog.reason, "Intern kopi")
    assert dialog.go_on.isEnabled()


def test_suggested_asker_can_be_chosen_in_the_review(
    qtbot: Any, db: Database, shown_errors: list[KnownError]
) -> None:
    from PySide6.QtWidgets import QComboBox

    create_application()
    with db.session() as session:
        registry.save(session, "asker", None, {"name": "Signe Bach", "role": "br"})
    window = MainWindow(db)
    qtbot.addWidget(window)
    shown: list[CaseDialog] = []
    window.mail_intake.show_dialog = shown.append
    window.mail_intake.open_files([MAIL / "follow_up.eml"])
    (dialog,) = shown
    qtbot.addWidget(dialog)
    assert dialog.asker_edit.text() == "Signe Holm Bach"  # the sender, until chosen
    combo = dialog.findChild(QComboBox, "asker_choice")
    assert combo is not None and combo.count() == 2
    combo.setCurrentIndex(1)
    assert dialog.asker_edit.text() == "Signe Bach"
    assert dialog.email_edit.text() == "signe.bach@kk.dk"
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findData("TMF"))
    assert dialog.save()
    with db.session() as session:
        from kkdesk.core import cases

        case = cases.load_case(session, dialog.case_id)
        assert (case.asker.name, case.asker.email) == ("Signe Bach", "signe.bach@kk.dk")
    dialog.done(0)
