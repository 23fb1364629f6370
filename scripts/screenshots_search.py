"""Screenshots of search and reuse for docs/screenshots (run under Xvfb):

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshots_search.py

A throw-away database gets the demo cases (tests/fixtures/demo_cases.json) and the sample
letters of tests/letter_samples.py imported through the archive import; then the search
dock, the "Spurgt før?" panel and the archive wizard's review page are photographed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    home = tempfile.mkdtemp(prefix="kkdesk-shots-")
    os.environ["KKDESK_HOME"] = home
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    from kkdesk.core import interchange, standard_texts
    from kkdesk.core.archive import importer
    from kkdesk.core.database import open_database
    from kkdesk.ui.app import create_application
    from kkdesk.ui.archive_wizard import ArchiveWizard
    from kkdesk.ui.case_editor import CaseDialog
    from kkdesk.ui.main_window import MainWindow
    from tests.letter_samples import render_text, samples, write_docx, write_pdf

    app = create_application()
    db = open_database(f"sqlite:///{home}/shots.sqlite3")
    demo = ROOT / "tests" / "fixtures" / "demo_cases.json"
    drafts = interchange.parse_document(demo.read_text(encoding="utf-8"))
    with db.session() as session:
        interchange.import_cases(session, drafts, "skærmbillede")
        standard_texts.save_text(
            session,
            None,
            "Klagevejledning",
            "Hvis du vil klage, kan du kontakte {enhed} i {forvaltning} på {telefon}.",
            "skærmbillede",
        )
    letters = Path(home) / "arkiv"
    letters.mkdir()
    specs = samples()
    for index, spec in enumerate(specs):
        if index == 3:
            write_docx(spec, letters / f"{index + 1:02d} svar til {spec.asker}.docx")
        elif index == 4:
            write_pdf(spec, letters / f"{index + 1:02d} svar til {spec.asker}.pdf", seed=index)
        else:
            name = f"{index + 1:02d} svar til {spec.asker}.txt"
            (letters / name).write_text(render_text(spec, seed=index), encoding="utf-8")
    (letters / "årsrapport 2024.txt").write_text("Årsrapport\n\nIndledning …\n", encoding="utf-8")
    with db.session() as session:
        directory = importer.load_directory(session)
    parsed = importer.parse_files(sorted(letters.iterdir())[:3], directory)
    importer.import_letters(db, parsed.letters, "skærmbillede")

    # 1. Search results in the main window.
    window = MainWindow(db)
    window.resize(1360, 860)
    window.show()
    panel = window.search_panel  # type: ignore[attr-defined]
    panel.field.setText("STØJ")
    panel.run_search()
    app.processEvents()
    window.grab().save(str(out / "search_results.png"))

    # 2. "Spurgt før?" while a new question is written.
    dialog = CaseDialog(db, None, window)
    dialog.subject_edit.setText("Støj fra natarbejde i Sydhavnen")
    dialog.asker_edit.setText("Ida Bønnelykke")
    dialog.admin_combo.setCurrentIndex(dialog.admin_combo.findData("TMF"))
    dialog.question_text.setPlainText(
        "Hvor mange klager over støj fra byggepladser har forvaltningen fået i år?"
    )
    dialog.resize(1400, 800)
    dialog.show()
    dialog.reuse.panel.refresh()
    app.processEvents()
    dialog.grab().save(str(out / "asked_before.png"))
    dialog.done(0)

    # 3. The archive wizard's review page.
    wizard = ArchiveWizard(db, window)
    wizard.set_paths([letters])
    wizard.show()
    app.processEvents()
    wizard.grab().save(str(out / "archive_source.png"))
    wizard.next()
    app.processEvents()
    wizard.review_page.view.selectRow(2)
    app.processEvents()
    wizard.grab().save(str(out / "archive_review.png"))
    wizard.done(0)
    window.close()
    db.dispose()
    print(f"Skærmbilleder gemt i {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
