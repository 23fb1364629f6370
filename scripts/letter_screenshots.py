"""Render the letter fixtures and take screenshots of the letter UI for docs/screenshots.

    xvfb-run -a python scripts/letter_screenshots.py

Writes ``letter_<layout>-<page>.png`` (one letter per layout, every page), the preview
dialog, the "Brev" tab of the case editor and the template dialog.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# One fixture per layout.
LAYOUT_FIXTURES = {
    "per_question": "kaere_per_question",
    "ad": "kaere_ad",
    "svar_paa": "politikersvar_svar_paa",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--scale", type=float, default=1.25, help="1.0 = 72 dpi")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="kkdesk-letter-shots-")
    os.environ["KKDESK_HOME"] = home

    from kkdesk.core.cases import find_case_id
    from kkdesk.core.database import open_database
    from kkdesk.core.letters.export import make_letter
    from kkdesk.ui.app import create_application
    from kkdesk.ui.case_editor import CaseDialog
    from kkdesk.ui.letters_preview import LetterPreviewDialog, render_pages
    from kkdesk.ui.letters_templates import TemplateDialog
    from kkdesk.ui.main_window import MainWindow
    from tests.letter_support import import_fixture, letter_fixtures

    app = create_application()
    db = open_database(f"sqlite:///{home}/shots.sqlite3")
    args.out.mkdir(parents=True, exist_ok=True)
    fixtures = {f.name: f for f in letter_fixtures()}
    for fixture in fixtures.values():
        import_fixture(db, fixture)
    for layout, name in LAYOUT_FIXTURES.items():
        fixture = fixtures[name]
        with db.session() as session:
            case_id = find_case_id(session, fixture.case_number)
            letter = make_letter(
                session, case_id, "pdf", user="x", letter_date=fixture.letter_date, record=False
            )
        for old in args.out.glob(f"letter_{layout}-*.png"):
            old.unlink()
        for number, image in enumerate(render_pages(letter.data, args.scale), start=1):
            image.save(str(args.out / f"letter_{layout}-{number}.png"))

    window = MainWindow(db)
    window.resize(1280, 720)
    window.show()
    app.processEvents()
    window.grab().save(str(args.out / "main_window_letters.png"))
    draft_case = fixtures["kaere_flere_datoer_uden_titel"]
    with db.session() as session:
        case_id = find_case_id(session, draft_case.case_number)
    preview = LetterPreviewDialog(db, case_id, window)
    preview.resize(900, 820)
    preview.show()
    app.processEvents()
    preview.grab().save(str(args.out / "letter_preview.png"))
    preview.done(0)

    dialog = CaseDialog(db, case_id, window)
    dialog.tabs.setCurrentIndex(1)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(args.out / "case_editor_letter_tab.png"))
    dialog.done(0)

    templates = TemplateDialog(db, window)
    templates.show()
    app.processEvents()
    templates.grab().save(str(args.out / "letter_templates.png"))
    templates.done(0)
    window.close()
    print(f"Skærmbilleder gemt i {args.out} ({dt.date.today()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
