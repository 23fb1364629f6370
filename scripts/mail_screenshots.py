"""Screenshots of the e-mail features (run under Xvfb):

``xvfb-run -a -s "-screen 0 1400x900x24" python scripts/mail_screenshots.py``

A throw-away database with the demo cases; tests/fixtures/mail/three_questions.eml is
dropped on the main window the way Qt delivers a real drop (drag enter, then drop).
Saves PNGs to docs/screenshots/.
"""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    home = tempfile.mkdtemp(prefix="kkdesk-mailshots-")
    os.environ["KKDESK_HOME"] = home
    os.environ.setdefault("KKDESK_USER", "sekretariat")
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from kkdesk.core import interchange, registry
    from kkdesk.core.database import open_database
    from kkdesk.core.models import Party
    from kkdesk.core.privacy import scan_text
    from kkdesk.ui.app import create_application
    from kkdesk.ui.attachment_table_model import COL_SEND
    from kkdesk.ui.main_window import MainWindow
    from kkdesk.ui.privacy_dialog import PrivacyDialog
    from kkdesk.ui.reply_actions import SendReplyDialog

    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    db = open_database(f"sqlite:///{home}/shots.sqlite3")
    demo = ROOT / "tests" / "fixtures" / "demo_cases.json"
    drafts = interchange.parse_document(demo.read_text(encoding="utf-8"))
    with db.session() as session:
        interchange.import_cases(session, drafts, "screenshot")
        party = session.scalar(select(Party.id).where(Party.letter == "F"))
        registry.save(
            session,
            "asker",
            None,
            {"name": "Signe Holm Bach", "email": "signe.bach@kk.dk", "party_id": party},
        )
    window = MainWindow(db)
    window.resize(1280, 720)
    window.show()
    shown = []
    window.mail_intake.show_dialog = lambda dialog: (shown.append(dialog), dialog.show())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(ROOT / "tests/fixtures/mail/three_questions.eml"))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(300, 300), Qt.DropAction.CopyAction, mime,
            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(
        QPointF(300, 300), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(window, drop)
    app.processEvents()
    (dialog,) = shown
    dialog.resize(1400, 900)
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findData("TMF"))
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("Byens Udvikling"))
    panel = dialog.bilag_panel
    panel.model.setData(
        panel.model.index(1, COL_SEND), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    app.processEvents()
    dialog.grab().save(str(out / "mail_intake_review.png"))
    if not dialog.save():
        raise SystemExit("the case was not saved")
    panel.view.selectRow(1)
    app.processEvents()
    dialog.grab().save(str(out / "mail_case_bilag.png"))
    dialog.done(0)

    findings = scan_text(
        "Borgeren (CPR 010203-1234) kan kontaktes på bo.ravn@gmail.example eller 20 30 40 50.",
        "Svar på spørgsmål 2",
        own=["kk.dk"],
    )
    warning = PrivacyDialog(findings, "Svaret", window)
    warning.reason.setText("Oplysningerne er borgerens egne og sendes kun til borgeren")
    warning.show()
    app.processEvents()
    warning.grab().save(str(out / "privacy_warning.png"))
    warning.done(0)
    send = SendReplyDialog(
        window,
        "Signe Holm Bach <signe.bach@kk.dk>",
        31,
        ["Svarbrevet (PDF, med PDF-bilag)", "Tælling af cykler.xlsx"],
    )
    send.show()
    app.processEvents()
    send.grab().save(str(out / "send_reply.png"))
    send.done(0)
    window.close()
    db.dispose()
    print(f"Skærmbilleder gemt i {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
