"""Pure text rules of letters: the answer markup, Danish dates, templates, file names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kkdesk.core.letters import markup
from kkdesk.core.letters.build import dates_text, short_letter_date
from kkdesk.core.letters.filenames import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    letter_file_name,
    safe_file_name,
    unique_path,
)
from kkdesk.core.letters.model import ListBlock, Para
from kkdesk.core.letters.templates import (
    DEFAULTS,
    Field,
    fill,
    merged,
    parse_template,
    validate_text,
    validate_texts,
)

# --- markup -----------------------------------------------------------------------------


def test_paragraphs_split_on_blank_lines_and_keep_line_breaks() -> None:
    blocks = markup.parse("Første afsnit\nmed linjeskift.\n\n\n  \nAndet afsnit.")
    assert [b.text for b in blocks if isinstance(b, Para)] == [
        "Første afsnit\nmed linjeskift.",
        "Andet afsnit.",
    ]


def test_bullets_numbers_and_headings() -> None:
    text = (
        "Indledning:\n- æble\n* pære\n• blomme\n– kirsebær\n\n# Rubrik\n3) tre\n4) fire\n"
        "   fortsat linje\nEfter listen."
    )
    blocks = markup.parse(text)
    assert isinstance(blocks[0], Para) and blocks[0].text == "Indledning:"
    bullets = blocks[1]
    assert isinstance(bullets, ListBlock) and bullets.kind == "bullet"
    assert [item[0].text for item in bullets.items] == ["æble", "pære", "blomme", "kirsebær"]
    heading = blocks[2]
    assert isinstance(heading, Para) and heading.style == "subheading" and heading.text == "Rubrik"
    numbers = blocks[3]
    assert isinstance(numbers, ListBlock) and numbers.kind == "number" and numbers.start == 3
    assert [item[0].text for item in numbers.items] == ["tre", "fire\nfortsat linje"]
    assert isinstance(blocks[4], Para) and blocks[4].text == "Efter listen."


def test_numbered_list_splits_where_numbers_skip_and_joins_across_blank_lines() -> None:
    blocks = markup.parse("1) et\n\n2) to\n5) fem")
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert [(b.start, len(b.items)) for b in lists] == [(1, 2), (5, 1)]


def test_escape_and_near_misses_stay_text() -> None:
    text = "\\- ikke et punkt\n22. maj er en dato\n-ingen mellemrum\n#hashtag\n1)ingen"
    (block,) = markup.parse(text)
    assert isinstance(block, Para)
    assert block.text == "- ikke et punkt\n22. maj er en dato\n-ingen mellemrum\n#hashtag\n1)ingen"


def test_clean_text_drops_what_xml_cannot_hold() -> None:
    assert markup.clean_text("a\x00b\x07c\r\nd\re\ud800f\ufffe") == "abc\nd\nef"
    assert markup.clean_text("tab\tok") == "tab\tok"


def test_plain_text_spells_out_markers() -> None:
    blocks = markup.parse("Intro\n- a\n2) b")
    assert markup.plain_text(blocks) == "Intro\n• a\n2) b"


# --- Danish dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([dt.date(2025, 5, 22)], "22. maj 2025"),
        ([dt.date(2021, 1, 15), dt.date(2021, 1, 12)], "d. hhv. 12. og 15. januar 2021"),
        ([dt.date(2021, 2, 28), dt.date(2021, 3, 3)], "d. hhv. 28. februar og 3. marts 2021"),
        (
            [dt.date(2020, 12, 28), dt.date(2021, 1, 3)],
            "d. hhv. 28. december 2020 og 3. januar 2021",
        ),
        (
            [dt.date(2021, 3, 1), dt.date(2021, 3, 5), dt.date(2021, 3, 9)],
            "d. hhv. 1., 5. og 9. marts 2021",
        ),
        ([dt.date(2024, 1, 1), dt.date(2024, 1, 1)], "1. januar 2024"),
    ],
)
def test_dates_text(days: list[dt.date], expected: str) -> None:
    assert dates_text(days) == expected


def test_short_letter_date() -> None:
    assert short_letter_date(dt.date(2026, 1, 28)) == "28.01.26"
    assert short_letter_date(dt.date(2009, 12, 3)) == "03.12.09"


# --- templates --------------------------------------------------------------------------


def test_parse_and_fill() -> None:
    assert parse_template("Kære {navn}!") == ("Kære ", Field("navn"), "!")
    assert fill("{{ {navn} }}", {"navn": "Åse"}) == "{ Åse }"
    values = {"navn": "Åse Holm", "parti": "", "emne": "hvorfor lukker badet?"}
    assert fill("Til {navn} ({parti}) vedrørende {emne}.", values) == (
        "Til Åse Holm vedrørende hvorfor lukker badet?"
    )
    assert fill("{navn} ({parti})", {**values, "parti": "Ø"}) == "Åse Holm (Ø)"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Kære {name}", "ukendt felt {name}"),
        ("{navn} og {foo} og {bar}", "ukendte felter {foo}, {bar}"),
        ("Kære {navn", "'{' uden '}'"),
        ("Kære navn}", "'}' uden '{'"),
        ("Kære {}", "tomme klammer"),
        ("Spørgsmål {nr}", "ukendt felt {nr}"),
    ],
)
def test_unknown_fields_are_refused_on_save(text: str, fragment: str) -> None:
    (error,) = validate_text("hilsen", text)
    assert error.field == "Starthilsen (Kære …)"
    assert fragment in error.message


def test_field_lists_per_text() -> None:
    assert validate_text("spoergsmaal_nr", "Spørgsmål {nr}") == []
    assert validate_text("bilag_linje", "Bilag {nr}: {titel}") == []
    assert validate_text("sidefod", "{side}/{sider}") == []
    (error,) = validate_text("sidefod", "{titel}")
    assert "Mulige felter:" in error.message and "{side}" in error.message
    assert validate_texts({"nyt": "x"})[0].message == "er ikke en kendt skabelontekst."


def test_every_default_is_valid() -> None:
    assert validate_texts(DEFAULTS) == []


def test_merged_layers() -> None:
    common = {"hilsen": "Hej {navn}", "afsender_ekstra": "", "spoergsmaal_rubrik": ""}
    own = {"hilsen": "", "afslutning": "Venlig hilsen"}
    texts = merged(common, own)
    assert texts["hilsen"] == "Hej {navn}"  # empty in the administration's layer: inherited
    assert texts["spoergsmaal_rubrik"] == ""  # emptied on purpose in the common layer
    assert texts["afslutning"] == "Venlig hilsen"
    assert texts["bilag_rubrik"] == DEFAULTS["bilag_rubrik"]


# --- file names -------------------------------------------------------------------------


def test_published_file_name() -> None:
    values = {
        "dato_kort": "28.01.26",
        "navn_parti": "Signe Holm (I)",
        "emne": "Nulemissionszone på Vesterbro",
    }
    name = letter_file_name(DEFAULTS["filnavn"], values, ".pdf")
    assert name == "28.01.26 - svar til Signe Holm (I) om Nulemissionszone på Vesterbro.pdf"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('Hvad: "støj" / <nat>? * | \\', "Hvad - 'støj' - nat - -"),
        ("  linje\nskift\t. ", "linje skift"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("...", "brev"),
        ("", "brev"),
    ],
)
def test_safe_file_name(raw: str, expected: str) -> None:
    assert safe_file_name(raw) == expected


def test_long_names_are_cut_at_a_word() -> None:
    name = safe_file_name("svar om " + "æøå lang emnelinje " * 30, ".docx")
    stem = name.removesuffix(".docx")
    assert stem.endswith("…")
    assert len(stem) <= MAX_NAME_CHARS
    assert len(stem.encode()) <= MAX_NAME_BYTES
    assert not stem[:-1].endswith(" ")


def test_unique_path(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"x")
    (tmp_path / "a (2).pdf").write_bytes(b"x")
    assert unique_path(tmp_path, "a.pdf").name == "a (3).pdf"
    assert unique_path(tmp_path, "b.pdf").name == "b.pdf"
