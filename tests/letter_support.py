"""Reading letters back for tests: the text of a .docx and a PDF, block order checks."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from kkdesk.core import interchange
from kkdesk.core.database import Database

LETTER_FIXTURES = Path(__file__).parent / "fixtures" / "letters"
# Whitespace, hyphens (the PDF hyphenates Danish words at line ends) and soft hyphens.
_IGNORED = re.compile(r"[\s\-\u00ad]+")


def normalise(text: str) -> str:
    return _IGNORED.sub("", text)


def docx_paragraphs(data: bytes) -> list[str]:
    """The body's paragraphs in order, table cells (the letterhead) included."""
    doc = Document(io.BytesIO(data))
    found: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            found.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                for cell in row.cells:
                    found += [p.text for p in cell.paragraphs]
    return found


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def missing_in_order(expected: list[str], text: str) -> list[str]:
    """The expected blocks not found in ``text`` in this order (empty: all found)."""
    haystack = normalise(text)
    position = 0
    missing: list[str] = []
    for block in expected:
        needle = normalise(block)
        found = haystack.find(needle, position)
        if found < 0:
            missing.append(block)
        else:
            position = found + len(needle)
    return missing


@dataclass
class LetterFixture:
    name: str
    letter_date: dt.date
    draft: bool
    expected: list[str]
    document: dict[str, Any]

    @property
    def case_number(self) -> str:
        return str(self.document["cases"][0]["case_number"])


def letter_fixtures() -> list[LetterFixture]:
    found = []
    for path in sorted(LETTER_FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        test = data["test"]
        found.append(
            LetterFixture(
                path.stem,
                dt.date.fromisoformat(test["letter_date"]),
                test["draft"],
                test["expected_blocks"],
                data,
            )
        )
    return found


def import_fixture(db: Database, fixture: LetterFixture) -> int:
    """Import the fixture's case; returns its id."""
    drafts = interchange.parse_document(json.dumps(fixture.document))
    with db.session() as session:
        (case,) = interchange.import_cases(session, drafts, "test")
        return case.id
