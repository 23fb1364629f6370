"""Danish dates: formatting and parsing what users type."""

from __future__ import annotations

import datetime as dt

import pytest

from kkdesk.core.dates import MONTHS, long_date, parse_date, short_date, weekday_date

D = dt.date


def test_long_date() -> None:
    assert long_date(D(2025, 5, 22)) == "22. maj 2025"
    assert long_date(D(2025, 1, 1)) == "1. januar 2025"
    assert long_date(D(2024, 12, 31)) == "31. december 2024"


def test_long_date_every_month_lower_case() -> None:
    for month, name in enumerate(MONTHS, start=1):
        text = long_date(D(2025, month, 3))
        assert text == f"3. {name} 2025"
        assert text == text.lower()


def test_short_and_weekday_date() -> None:
    assert short_date(D(2025, 5, 2)) == "02-05-2025"
    assert weekday_date(D(2025, 6, 19)) == "torsdag 19. juni 2025"
    assert weekday_date(D(2025, 6, 21)) == "lørdag 21. juni 2025"
    assert weekday_date(D(2025, 6, 22)) == "søndag 22. juni 2025"


@pytest.mark.parametrize(
    "text",
    [
        "2025-05-22",
        "2025-5-22",
        "22-05-2025",
        "22.05.2025",
        "22/05/2025",
        "22 05 2025",
        "22.5.25",
        "22-5-2025",
        "22. maj 2025",
        "22 maj 2025",
        "22. MAJ 2025",
        "  22. maj 2025  ",
    ],
)
def test_parse_date_variants(text: str) -> None:
    assert parse_date(text) == D(2025, 5, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. sep. 2025", D(2025, 9, 1)),
        ("1. sept 2025", D(2025, 9, 1)),
        ("3. feb 2024", D(2024, 2, 3)),
        ("29. februar 2024", D(2024, 2, 29)),
        ("5. mar 2025", D(2025, 3, 5)),
        ("5. jun 2025", D(2025, 6, 5)),
        ("5. jul 2025", D(2025, 7, 5)),
        ("5. dec. 2025", D(2025, 12, 5)),
        ("1.2.24", D(2024, 2, 1)),
    ],
)
def test_parse_date_month_words_and_short_years(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_date_missing(text: str) -> None:
    with pytest.raises(ValueError, match=r"^Datoen mangler\.$"):
        parse_date(text)


@pytest.mark.parametrize("text", ["31-02-2025", "2025-13-01", "29. februar 2025", "0.1.2025"])
def test_parse_date_impossible_date(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == f"'{text}' er ikke en gyldig dato."


@pytest.mark.parametrize(
    "text", ["i går", "22. ma 2025", "22. ju 2025", "22. mxj 2025", "2025/05", "22-05", "abc"]
)
def test_parse_date_not_a_date(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(text)
    assert str(info.value) == f"'{text}' er ikke en dato. Skriv fx 22-05-2025 eller 2025-05-22."


def test_parse_long_date_round_trip() -> None:
    day = D(2024, 1, 1)
    while day < D(2025, 1, 1):
        assert parse_date(long_date(day)) == day
        assert parse_date(short_date(day)) == day
        assert parse_date(day.isoformat()) == day
        day += dt.timedelta(days=1)
