"""Screenshots of the first start, the demo data, help and about for docs/ (run under Xvfb:
``xvfb-run -a -s "-screen 0 1400x900x24" python scripts/welcome_screenshots.py``).

Uses a throw-away profile (KKDESK_HOME) so the welcome shows as on a new PC.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    # A home folder of its own, so the welcome shows the path a user would see.
    home = Path(tempfile.mkdtemp(prefix="kkdesk-welcome-shots-"))
    os.environ["HOME"] = str(home)
    os.environ["KKDESK_HOME"] = str(home / ".local" / "share" / "kkdesk")
    os.environ.pop("KKDESK_DATABASE_URL", None)

    from PySide6.QtWidgets import QApplication, QWidget

    from kkdesk.core.database import open_database
    from kkdesk.core.demo import create_demo_database
    from kkdesk.ui.about import AboutDialog
    from kkdesk.ui.app import create_application
    from kkdesk.ui.help import HelpDialog
    from kkdesk.ui.main_window import MainWindow
    from kkdesk.ui.welcome import WelcomeDialog

    app = create_application()
    args.out.mkdir(parents=True, exist_ok=True)

    def shot(widget: QWidget, name: str) -> None:
        widget.show()
        for _ in range(5):
            app.processEvents()
        widget.grab().save(str(args.out / name))
        print(args.out / name)

    welcome = WelcomeDialog()
    shot(welcome, "welcome.png")
    server = welcome.make_server_dialog()
    server.host_edit.setText("dbserver.kk.dk")
    server.database_edit.setText("kkdesk")
    server.user_edit.setText("ab12cd")
    server.password_edit.setText("hemmelig")
    server.remember_check.setChecked(True)
    server.result_label.setStyleSheet("color: #1b5e20;")
    server.result_label.setText(
        "Forbindelsen virker: PostgreSQL 15.8; databasen er klar til denne version af kkdesk."
    )
    shot(server, "welcome_server.png")
    server.close()
    welcome.close()

    result = create_demo_database()
    db = open_database(result.url)
    window = MainWindow(db)
    window.resize(1280, 860)
    shot(window, "demo_data.png")
    about = AboutDialog(db, window)
    shot(about, "about.png")
    about.close()
    help_dialog = HelpDialog(window)
    help_dialog.resize(900, 700)
    shot(help_dialog, "help.png")
    help_dialog.close()
    window.close()
    db.dispose()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
