"""Danish dates: "22. maj 2025" (month in lower case, no leading zero) and input parsing."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def long_date(day: dt.date) -> str:
    """``22. maj 2025``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """``22-05-2025`` as used in tables."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def weekday_date(day: dt.date) -> str:
    """``torsdag 19. juni 2025``."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


_NUMERIC = re.compile(r"^\s*(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{2}|\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_WORDS = re.compile(r"^\s*(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})\s*$", re.IGNORECASE)


def parse_date(value: str) -> dt.date:
    """Parse a date typed by a user: ``2025-05-22``, ``22-05-2025``, ``22.5.25``, ``22. maj 2025``.

    Raises ``ValueError`` with a Danish message.
    """
    text = value.strip()
    if not text:
        raise ValueError("Datoen mangler.")
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            year = int(m[3])
            if len(m[3]) == 2:
                year += 2000
            return dt.date(year, int(m[2]), int(m[1]))
        if m := _WORDS.match(text):
            month_word = m[2].lower()
            for index, name in enumerate(MONTHS, start=1):
                if name.startswith(month_word) and len(month_word) >= 3:
                    return dt.date(int(m[3]), index, int(m[1]))
    except ValueError as exc:
        raise ValueError(f"'{value}' er ikke en gyldig dato.") from exc
    raise ValueError(f"'{value}' er ikke en dato. Skriv fx 22-05-2025 eller 2025-05-22.")
