"""Take the screenshots in docs/ (run under Xvfb: ``xvfb-run -a python scripts/screenshots.py``).

Uses a throw-away database filled from a JSON file in the interchange format
(default: tests/fixtures/demo_cases.json) and saves PNGs to docs/screenshots/.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    demo = ROOT / "tests" / "fixtures" / "demo_cases.json"
    parser.add_argument("--cases", type=Path, default=demo)
    parser.add_argument("--db", help="use this database instead of a new one")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="kkdesk-shots-")
    os.environ["KKDESK_HOME"] = home

    from kkdesk.core import interchange
    from kkdesk.core.database import open_database
    from kkdesk.ui.app import create_application
    from kkdesk.ui.case_editor import CaseDialog
    from kkdesk.ui.main_window import MainWindow

    app = create_application()
    db = open_database(args.db or f"sqlite:///{home}/shots.sqlite3")
    if not args.db:
        drafts = interchange.parse_document(args.cases.read_text(encoding="utf-8"))
        with db.session() as session:
            interchange.import_cases(session, drafts, "screenshot")
    args.out.mkdir(parents=True, exist_ok=True)
    window = MainWindow(db)
    window.resize(1280, 720)
    window.show()
    app.processEvents()
    window.table.selectRow(0)
    app.processEvents()
    window.grab().save(str(args.out / "main_window.png"))
    case_id = window.case_model.case_id(0)
    dialog = CaseDialog(db, case_id, window)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(args.out / "case_editor.png"))
    dialog.done(0)
    window.close()
    print(f"Skærmbilleder gemt i {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
