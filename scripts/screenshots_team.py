"""Screenshots of the team dialogs for docs/screenshots (run under Xvfb):

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_team.py [--postgres URL]

The two-PC pictures (presence, conflict dialog, history, users) come from the GUI test:
``KKDESK_SCREENSHOT_DIR=docs/screenshots xvfb-run -a python -m pytest tests/test_ui_team.py``
(add ``-k postgres`` with ``KKDESK_TEST_POSTGRES_URL`` set for the PostgreSQL run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--postgres", default="", help="a server for the connection test")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="kkdesk-team-shots-")
    os.environ["KKDESK_HOME"] = home
    os.environ["PGPASSFILE"] = str(Path(home) / "pgpass")
    sys.path.insert(0, str(ROOT))

    from PySide6.QtWidgets import QApplication, QWidget
    from sqlalchemy import select

    from kkdesk.core import backups, interchange, sqlite_health, users
    from kkdesk.core.database import open_database
    from kkdesk.core.models import Administration
    from kkdesk.ui.app import create_application
    from kkdesk.ui.case_editor import CaseDialog
    from kkdesk.ui.connection_dialog import ConnectionDialog
    from kkdesk.ui.main_window import MainWindow
    from kkdesk.ui.startup import damaged_dialog, welcome_text
    from kkdesk.ui.users_dialog import ProfileDialog

    app = create_application()
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        widget.grab().save(str(args.out / name))
        print(args.out / name)

    path = Path(home) / "kkdesk.sqlite3"
    db = open_database(f"sqlite:///{path}")
    db.user = "anna"
    with db.session() as session:
        users.ensure_user(session, "anna", name="Anna Andersen")
        tmf = session.scalars(select(Administration.id).where(Administration.code == "TMF")).one()
        users.save_user(
            session,
            "anna",
            None,
            {"login": "bo", "name": "Bo Berg", "role": "forvaltning", "administration_id": tmf},
        )
        demo = (ROOT / "tests" / "fixtures" / "demo_cases.json").read_text(encoding="utf-8")
        created = interchange.import_cases(session, interchange.parse_document(demo), "anna")
        tmf_case = next(c.id for c in created if c.administration_id == tmf)

    window = MainWindow(db)
    window.resize(1280, 720)
    shot(window, "hovedvindue_bruger.png")

    # A new colleague's first start.
    db.user = "cille"
    with db.session() as session:
        registration = users.ensure_user(session, "cille", name="Cille Ravn")
    welcome = ProfileDialog(
        db, None, intro=welcome_text(registration), title="Velkommen til kkdesk"
    )
    shot(welcome, "velkommen.png")
    welcome.done(0)

    # The administration's view of one of its cases: answers only.
    db.user = "bo"
    dialog = CaseDialog(db, tmf_case, window)
    dialog.resize(1100, 720)
    shot(dialog, "rolle_forvaltning.png")
    dialog.done(0)
    db.user = "anna"

    connection = ConnectionDialog(db.url)
    connection.server_radio.setChecked(True)
    if args.postgres:
        from kkdesk.core.connection import from_url

        settings = from_url(args.postgres)
        assert settings is not None
        connection.host_edit.setText(settings.host)
        connection.port_spin.setValue(settings.port)
        connection.database_edit.setText(settings.database)
        connection.user_edit.setText(settings.user)
        connection.test()
        for _ in range(200):
            app.processEvents()
            if connection.test_button.isEnabled():
                break
            QApplication.instance().thread().msleep(50)  # type: ignore[union-attr]
    shot(connection, "databaseforbindelse.png")
    connection.done(0)

    window.close()
    db.dispose()
    backups.make_backup(path)
    data = bytearray(path.read_bytes())
    data[:100] = b"\0" * 100
    path.write_bytes(bytes(data))
    try:
        sqlite_health.require_sound(path)
    except sqlite_health.DamagedDatabaseError as exc:
        box, _restore = damaged_dialog(exc, None)
        shot(box, "beskadiget_database.png")
        box.done(0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
