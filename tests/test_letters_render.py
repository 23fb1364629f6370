"""Letters in the form of each seed letter, exported to Word and PDF and read back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from kkdesk.core.database import Database
from kkdesk.core.letters.export import make_letter
from tests.letter_support import (
    LetterFixture,
    docx_paragraphs,
    import_fixture,
    letter_fixtures,
    missing_in_order,
    pdf_text,
)

FIXTURES = letter_fixtures()


def _export(db: Database, fixture: LetterFixture, fmt: str) -> Any:
    case_id = import_fixture(db, fixture)
    with db.session() as session:
        return make_letter(
            session, case_id, fmt, user="test", letter_date=fixture.letter_date, record=False
        )


def test_fixtures_cover_the_seed_forms() -> None:
    layouts = {f.document["cases"][0]["letter"]["layout"] for f in FIXTURES}
    openings = {f.document["cases"][0]["letter"]["opening"] for f in FIXTURES}
    assert layouts == {"per_question", "ad", "svar_paa"}
    assert openings == {"kaere", "politikersvar"}
    assert any(len(f.document["cases"][0]["received"]) > 1 for f in FIXTURES)
    assert any(f.document["cases"][0]["letter"]["signer_title"] == "" for f in FIXTURES)
    assert any(f.document["cases"][0]["letter"]["bilag"] for f in FIXTURES)
    assert any(f.draft for f in FIXTURES) and any(not f.draft for f in FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_docx_reads_back_block_by_block(sqlite_db: Database, fixture: LetterFixture) -> None:
    result = _export(sqlite_db, fixture, "docx")
    assert result.draft == fixture.draft
    paragraphs = docx_paragraphs(result.data)
    assert missing_in_order(fixture.expected, "\n".join(paragraphs)) == []
    # Every expected block is its own paragraph (or starts one: "Ad 1: …" is one paragraph).
    for block in fixture.expected:
        assert any(p.replace("\t", " ").startswith(block[:25]) for p in paragraphs), block


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_pdf_reads_back_block_by_block(sqlite_db: Database, fixture: LetterFixture) -> None:
    result = _export(sqlite_db, fixture, "pdf")
    assert result.draft == fixture.draft
    text = pdf_text(result.data)
    assert missing_in_order(fixture.expected, text) == []
    assert ("UDKAST" in text) == fixture.draft


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_pdf_embeds_its_fonts_and_has_metadata(sqlite_db: Database, fixture: LetterFixture) -> None:
    data = _export(sqlite_db, fixture, "pdf").data
    reader = PdfReader(io.BytesIO(data))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values()), fonts
    assert all("LiberationSans" in name for name in fonts)
    case = fixture.document["cases"][0]
    meta = reader.metadata
    assert meta is not None
    assert meta.title and case["asker"]["name"] in meta.title
    assert meta.subject == case["subject"]
    assert meta.author
    assert len(reader.pages) >= 1
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)


def test_page_numbers_and_following_header() -> None:
    """A long letter: "Side 1 af N" … "Side N af N", the header from page 2 on."""
    import datetime as dt

    from kkdesk.core.letters.build import LetterSource, SourceQuestion, build_letter
    from kkdesk.core.letters.pdf_render import render_pdf
    from kkdesk.core.letters.templates import TemplateSet, merged

    answer = "\n\n".join(["Et afsnit om forvaltningens arbejde med sagen. " * 12] * 4)
    source = LetterSource(
        case_number="2025-0001",
        subject="lange svar",
        asker_name="Åse Holm",
        asker_party="A",
        received=(dt.date(2025, 5, 22),),
        administration_code="TMF",
        administration_name="Teknik- og Miljøforvaltningen",
        administration_genitive="Teknik- og Miljøforvaltningens",
        questions=tuple(SourceQuestion(n, f"Spørgsmål nummer {n}?", answer) for n in range(1, 5)),
    )
    letter = build_letter(
        source, TemplateSet(merged()), letter_date=dt.date(2025, 6, 2), draft=False
    )
    reader = PdfReader(io.BytesIO(render_pdf(letter)))
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {total}" in text
        header = "Teknik- og Miljøforvaltningen · Sagsnr. 2025-0001 · 2. juni 2025"
        assert (header in text) == (number > 1)
    assert "UDKAST" not in "".join(pages)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_docx_structure(sqlite_db: Database, fixture: LetterFixture) -> None:
    data = _export(sqlite_db, fixture, "docx").data
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert section.page_width is not None and round(section.page_width.cm, 1) == 21.0
    styles = {p.style.name for p in doc.paragraphs if p.style is not None}
    assert "Brødtekst" in styles
    assert {"Rubrik", "Brevtitel"} & styles
    props = doc.core_properties
    assert props.content_status == ("Udkast" if fixture.draft else "Endelig")
    assert props.subject == fixture.document["cases"][0]["subject"]
    xml = section.footer._element.xml
    assert "NUMPAGES" in xml and "PAGE" in xml
    first_header = section.first_page_header._element.xml
    assert "graphicData" in first_header  # the logo
    assert ("KkdeskWatermark" in first_header) == fixture.draft
    # Danish everywhere: language and hyphenation on.
    assert b"da-DK" in _part(data, "word/styles.xml")
    assert b"autoHyphenation" in _part(data, "word/settings.xml")


def test_docx_lists_are_real_numbering(sqlite_db: Database) -> None:
    fixture = next(f for f in FIXTURES if f.name == "kaere_flere_datoer_uden_titel")
    data = _export(sqlite_db, fixture, "docx").data
    doc = Document(io.BytesIO(data))
    listed = [p for p in doc.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert [p.text for p in listed] == [
        "ønsker om flere saunaer",
        "spørgsmål om vandkvaliteten",
        "klager over åbningstiderne",
        "Islands Brygge",
        "Sluseholmen",
        "Amager Strand",
    ]
    numbering = _part(data, "word/numbering.xml").decode()
    assert 'w:numFmt w:val="bullet"' in numbering
    assert 'w:lvlText w:val="%1)"' in numbering
    # The PDF draws the same markers.
    text = pdf_text(_export_again(sqlite_db, fixture))
    assert "• ønsker om flere saunaer" in text
    assert "1) Islands Brygge" in text


def _export_again(db: Database, fixture: LetterFixture) -> bytes:
    from kkdesk.core.cases import find_case_id

    with db.session() as session:
        case_id = find_case_id(session, fixture.case_number)
        return make_letter(
            session, case_id, "pdf", user="test", letter_date=fixture.letter_date, record=False
        ).data


def _part(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def test_pdf_hyphenates_danish_words() -> None:
    """Long Danish compounds are broken at Danish hyphenation points, not pushed whole."""
    import datetime as dt
    import re

    from kkdesk.core.letters.build import LetterSource, SourceQuestion, build_letter
    from kkdesk.core.letters.pdf_render import render_pdf
    from kkdesk.core.letters.templates import TemplateSet, merged

    words = (
        "beskæftigelsesindsatsen arbejdsmarkedsuddannelserne kommunalbestyrelsesmedlemmerne "
        "integrationsforvaltningens sundhedsplejerskeordningen "
    )
    source = LetterSource(
        case_number="2025-0002",
        subject="orddeling",
        asker_name="Åse Holm",
        asker_party=None,
        received=(dt.date(2025, 5, 22),),
        administration_code="BIF",
        administration_name="Beskæftigelses- og Integrationsforvaltningen",
        administration_genitive="Beskæftigelses- og Integrationsforvaltningens",
        questions=(SourceQuestion(1, "Hvordan?", words * 6),),
    )
    letter = build_letter(
        source, TemplateSet(merged()), letter_date=dt.date(2025, 6, 2), draft=False
    )
    text = pdf_text(render_pdf(letter))
    breaks = re.findall(r"([a-zæøå]+)-\n([a-zæøå]+)", text)
    assert breaks, text
    for head, tail in breaks:
        assert (head + tail) in words  # split inside a real word, nothing lost
