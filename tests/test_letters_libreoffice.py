"""The Word letters open in LibreOffice and paginate like our PDFs (skipped without
``soffice``; LibreOffice is too big for CI, developers may install
``libreoffice-writer-nogui``)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from kkdesk.core.database import open_database
from kkdesk.core.letters.export import make_letter
from tests.letter_support import (
    LetterFixture,
    import_fixture,
    letter_fixtures,
    missing_in_order,
    pdf_text,
)

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) er ikke installeret")
FIXTURES = letter_fixtures()


def convert_with_libreoffice(docs: list[Path], out: Path, profile: Path) -> None:
    """DOCX → PDF with a private LibreOffice profile (parallel runs do not collide)."""
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes]]:
    """Per fixture: (our PDF, LibreOffice's PDF of our DOCX)."""
    work = tmp_path_factory.mktemp("lo")
    db = open_database(f"sqlite:///{work / 'lo.sqlite3'}")
    ours: dict[str, bytes] = {}
    docs: list[Path] = []
    try:
        for fixture in FIXTURES:
            case_id = import_fixture(db, fixture)
            with db.session() as session:
                for fmt in ("pdf", "docx"):
                    letter = make_letter(
                        session,
                        case_id,
                        fmt,
                        user="t",
                        letter_date=fixture.letter_date,
                        record=False,
                    )
                    if fmt == "pdf":
                        ours[fixture.name] = letter.data
                    else:
                        path = work / f"{fixture.name}.docx"
                        path.write_bytes(letter.data)
                        docs.append(path)
    finally:
        db.dispose()
    out = work / "out"
    convert_with_libreoffice(docs, out, work / "profile")
    return {name: (ours[name], (out / f"{name}.pdf").read_bytes()) for name in ours}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_docx_opens_in_libreoffice_and_paginates_alike(
    converted: dict[str, tuple[bytes, bytes]], fixture: LetterFixture
) -> None:
    ours, theirs = converted[fixture.name]
    text = pdf_text(theirs)
    assert missing_in_order(fixture.expected, text) == []
    assert len(PdfReader(io.BytesIO(theirs)).pages) == len(PdfReader(io.BytesIO(ours)).pages)
    # The footer's page fields and the draft marking came through.
    assert "Side 1 af" in text
    assert ("UDKAST" in text) == fixture.draft
