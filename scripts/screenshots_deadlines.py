"""Screenshots of deadlines, the workflow and the overview for docs/screenshots/.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_deadlines.py

Fills a throw-away database with 3,000 synthetic cases (``bench/generate.py``; recent
cases are open, so some are overdue and some due soon) and synthetic answered dates
(``bench/dashboard.py``), then saves: the list with the deadline columns, the overview
tab, the case dialog's status and deadline panel, the calendar dialog and the reminder
list.
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
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="kkdesk-shots-")
    os.environ["KKDESK_HOME"] = home
    os.environ.setdefault("KKDESK_USER", "sekr")
    sys.path.insert(0, str(ROOT / "bench"))
    from dashboard import simulate_answered_dates
    from generate import generate

    from kkdesk.core.database import open_database
    from kkdesk.ui.app import create_application
    from kkdesk.ui.calendar_dialog import CalendarDialog
    from kkdesk.ui.case_editor import CaseDialog
    from kkdesk.ui.main_window import MainWindow

    url = f"sqlite:///{home}/shots.sqlite3"
    generate(url, args.cases, 7)
    simulate_answered_dates(url, 7)
    app = create_application()
    db = open_database(url)
    args.out.mkdir(parents=True, exist_ok=True)
    window = MainWindow(db)
    window.resize(1360, 760)
    window.show()
    app.processEvents()
    # Open cases, newest first: overdue (red), due soon (amber) and the rest.
    window.status_filter.setCurrentIndex(window.status_filter.findData("__open__"))
    window.table.selectRow(3)
    app.processEvents()
    window.grab().save(str(args.out / "case_list_deadlines.png"))

    features = window.deadline_features  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(features.dashboard_index)
    app.processEvents()
    window.grab().save(str(args.out / "dashboard.png"))
    window.tabs.setCurrentIndex(0)

    features.quick.set_quick("overdue")
    app.processEvents()
    window.grab().save(str(args.out / "case_list_overdue.png"))

    case_id = window.case_model.case_id(0)
    dialog = CaseDialog(db, case_id, window)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(args.out / "case_editor_workflow.png"))
    dialog.done(0)

    calendar = CalendarDialog(db, window)
    calendar.show()
    app.processEvents()
    calendar.grab().save(str(args.out / "calendar_dialog.png"))
    calendar.done(0)

    features.check_at_start()
    app.processEvents()
    if features.reminder_dialog is not None:
        features.reminder_dialog.grab().save(str(args.out / "reminders.png"))
        features.reminder_dialog.close()
    window.close()
    db.dispose()
    print(f"Skærmbilleder gemt i {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
