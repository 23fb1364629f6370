"""Danish date phrases in letters: "22. maj 2025", "d. hhv. 12. og 15. januar 2021",
"12. januar og 3. februar 2021", "12.01.2021"."""

from __future__ import annotations

import datetime as dt
import re

from kkdesk.core.dates import MONTHS

_MONTH = "|".join(MONTHS)
_ITEM = re.compile(
    rf"(?<!\d)(\d{{1,2}})\.(?:\s*({_MONTH})\.?)?(?:\s+(\d{{4}}))?(?!\d)|"
    rf"(?<!\d)(\d{{1,2}})[.\-/](\d{{1,2}})[.\-/](\d{{4}}|\d{{2}})(?!\d)",
    re.IGNORECASE,
)


def find_dates(phrase: str) -> list[dt.date]:
    """All dates named in ``phrase``; a day without month or year takes the next one's
    ("12. og 15. januar 2021" is 12 and 15 January 2021). Invalid days are left out."""
    items: list[list[int | None]] = []
    for match in _ITEM.finditer(phrase):
        if match.group(4):
            full_year = int(match.group(6))
            full_year += 2000 if full_year < 100 else 0
            items.append([int(match.group(4)), int(match.group(5)), full_year])
            continue
        named = MONTHS.index(match.group(2).lower()) + 1 if match.group(2) else None
        year_text = match.group(3)
        items.append([int(match.group(1)), named, int(year_text) if year_text else None])
    # Fill missing months and years from the right ("12. og 15. januar 2021").
    month: int | None = None
    year: int | None = None
    for item in reversed(items):
        if item[1] is None:
            item[1] = month
        else:
            month = item[1]
            if item[2] is None:
                item[2] = year
        if item[2] is None:
            item[2] = year
        else:
            year = item[2]
    found: list[dt.date] = []
    for day, month_, year_ in items:
        if month_ is None or year_ is None or day is None:
            continue
        try:
            found.append(dt.date(year_, month_, day))
        except ValueError:
            continue
    return sorted(set(found))
