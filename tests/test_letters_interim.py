"""The interim reply ("Foreløbigt svar"): the expected date in words, the history line,
the command line and the dialog."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from kkdesk.core import cases
from kkdesk.core.database import Database
from kkdesk.core.errors import KnownError
from kkdesk.core.letters.interim import make_interim_letter
from kkdesk.core.models import CaseEvent
from kkdesk.ui import letters_interim
from kkdesk.ui.app import create_application
from tests.conftest import build_draft


def _case(db: Database) -> int:
    with db.session() as session:
        return cases.create_case(session, build_draft(), "anna").id


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "brev.pdf"
    path.write_bytes(data)
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_interim_letter_states_the_expected_day_and_is_recorded(
    db: Database, tmp_path: Path
) -> None:
    case_id = _case(db)
    expected = dt.date.today() + dt.timedelta(days=14)
    with db.session() as session:
        letter = make_interim_letter(session, case_id, "pdf", user="bo", expected=expected)
    text = _pdf_text(letter.data, tmp_path)
    assert "Kære Åse Ørsted" in text
    assert "Tak for din henvendelse af 22. maj 2025" in text
    from kkdesk.core.dates import weekday_date

    assert f"senest {weekday_date(expected)}" in text
    assert "Spørgsmål" not in text  # no questions, no answers: only the interim message
    assert letter.file_name.startswith(dt.date.today().strftime("%d.%m.%y"))
    assert "foreløbigt svar til Åse Ørsted (Ø)" in letter.file_name
    with db.session() as session:
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.action == "brev")
        ).all()
    assert [(e.field, e.new_value) for e in events] == [("Foreløbigt svar", expected.isoformat())]


def test_interim_letter_refuses_a_day_in_the_past(db: Database) -> None:
    case_id = _case(db)
    with db.session() as session, pytest.raises(KnownError, match="ligger før brevets dato"):
        make_interim_letter(
            session, case_id, "docx", user="bo", expected=dt.date.today() - dt.timedelta(1)
        )


def test_interim_from_the_command_line(sqlite_db: Database, tmp_path: Path) -> None:
    _case(sqlite_db)
    out = tmp_path / "foreløbigt.docx"
    expected = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    result = subprocess.run(
        [sys.executable, "-m", "kkdesk", "--db", sqlite_db.url, "letter", "2025-0001",
         "--interim", "--expected", expected, "--format", "docx", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("foreløbigt svar")
    assert out.stat().st_size > 1000
    bad = subprocess.run(
        [sys.executable, "-m", "kkdesk", "--db", sqlite_db.url, "letter", "2025-0001",
         "--interim", "--final", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "--interim bruges uden --final" in bad.stderr


def test_interim_dialog_saves_the_file(
    qtbot: Any, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_application()
    case_id = _case(db)
    target = tmp_path / "svar.pdf"
    monkeypatch.setattr(letters_interim.InterimDialog, "exec", lambda self: 1)
    monkeypatch.setattr(
        letters_interim.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    assert letters_interim.make_interim(None, db, case_id) == target  # type: ignore[arg-type]
    assert target.read_bytes().startswith(b"%PDF")
