"""Danish working days: weekends, public holidays and the secretariat's closing days.

A working day is a Monday–Friday that is not a Danish public holiday (the ``holidays``
package; store bededag until 2023 only) and not a closing day: grundlovsdag,
juleaftensdag and nytårsaftensdag are closing days by default (each a switch, as
forældelsesloven § 27 treats them), 1. maj is a switch that is off by default, and the
secretariat can add days of its own (table ``closing_day``).

Counting starts the day after receipt: received on a Tuesday + 1 working day is the
Wednesday. All arithmetic runs on a sorted list of working-day ordinals with ``bisect``,
so adding or counting working days costs O(log n) — the list's "Arbejdsdage tilbage"
column and the dashboard do it for thousands of rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib.util
import json
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kkdesk.core import paths
from kkdesk.core.dates import MONTHS, weekday_date

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class OptionalDay:
    """A day that is not a public holiday but may be a closing day (a switch)."""

    key: str
    label: str
    month: int
    day: int
    closed_by_default: bool


OPTIONAL_DAYS: Final = (
    OptionalDay("grundlovsdag", "grundlovsdag", 6, 5, True),
    OptionalDay("juleaftensdag", "juleaftensdag", 12, 24, True),
    OptionalDay("nytaarsaftensdag", "nytårsaftensdag", 12, 31, True),
    OptionalDay("første_maj", "1. maj", 5, 1, False),
)
OPTIONAL_BY_KEY: Final = {o.key: o for o in OPTIONAL_DAYS}

# The ``holidays`` package's Danish names → the short forms used in explanations.
HOLIDAY_LABELS: Final = {
    "Nytårsdag": "nytårsdag",
    "Skærtorsdag": "skærtorsdag",
    "Langfredag": "langfredag",
    "Påskedag": "påskedag",
    "Anden påskedag": "2. påskedag",
    "Store bededag": "store bededag",
    "Kristi himmelfartsdag": "Kristi himmelfartsdag",
    "Pinsedag": "pinsedag",
    "Anden pinsedag": "2. pinsedag",
    "Juledag": "juledag",
    "Anden juledag": "2. juledag",
}
SWITCHES_KEY: Final = "calendar_closing_switches"
FIRST_YEAR: Final = 1990
LAST_YEAR: Final = 2200


@cache
def public_holidays(year: int) -> dict[dt.date, str]:
    """Denmark's public holidays of ``year`` with short Danish names."""
    stored = _holiday_cache().get(str(year))
    if stored is not None:
        return {dt.date.fromisoformat(day): name for day, name in stored}
    # Imported only on a cache miss: the package loads every country (≈ 0.2 s), which
    # start-up and commands that never count working days should not pay for.
    import holidays

    found = holidays.country_holidays("DK", years=year, language="da")
    result: dict[dt.date, str] = {}
    for day, name in found.items():
        # Two names on one day are joined by "; " in the package.
        first = str(name).split("; ")[0]
        result[day] = HOLIDAY_LABELS.get(first, first[:1].lower() + first[1:])
    _remember(year, result)
    return result


# --- a small disk cache of the package's answers ----------------------------------------


def _cache_file() -> Path:
    return paths.data_dir() / "cache" / "helligdage-dk.json"


@cache
def _package_stamp() -> str:
    """Which ``holidays`` is installed (found without importing it): a new version of
    the package invalidates the cache."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return ""
    origin = Path(spec.origin)
    try:
        return f"{origin}:{origin.stat().st_mtime_ns}"
    except OSError:
        return ""


@cache
def _holiday_cache() -> dict[str, list[list[str]]]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("stamp") != _package_stamp():
        return {}
    years = data.get("years")
    return years if isinstance(years, dict) else {}


def _remember(year: int, found: dict[dt.date, str]) -> None:
    years = _holiday_cache()
    years[str(year)] = [[day.isoformat(), name] for day, name in sorted(found.items())]
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps({"stamp": _package_stamp(), "years": years}), "utf-8")
        os.replace(partial, target)  # whole or not at all: other processes read it too
    except OSError:
        pass  # a cache only: the next start computes it again


@dataclass(frozen=True)
class CalendarSettings:
    """What the secretariat configured: the optional-day switches and its own days."""

    switches: Mapping[str, bool] = field(default_factory=dict)
    own_days: Mapping[dt.date, str] = field(default_factory=dict)

    def is_closed(self, key: str) -> bool:
        """Whether the optional day ``key`` is a closing day."""
        return self.switches.get(key, OPTIONAL_BY_KEY[key].closed_by_default)


class WorkCalendar:
    """Working-day arithmetic for one set of settings (cheap to build, reuse it)."""

    def __init__(self, settings: CalendarSettings | None = None) -> None:
        self.settings = settings or CalendarSettings()
        self._closed_optional = [o for o in OPTIONAL_DAYS if self.settings.is_closed(o.key)]
        self._first = 0
        self._last = -1
        self._days: list[int] = []  # ordinals of working days in years _first.._last
        self._lock = threading.Lock()
        self._extend(dt.date.today().year - 9, dt.date.today().year + 3)

    # --- coverage ---------------------------------------------------------------------
    def _year_days(self, year: int) -> list[int]:
        start = dt.date(year, 1, 1).toordinal()
        end = dt.date(year, 12, 31).toordinal()
        closed = {d.toordinal() for d in self.closings_in_year(year)}
        return [
            o
            for o in range(start, end + 1)
            if (o + 6) % 7 < 5 and o not in closed  # (ordinal + 6) % 7 is Monday=0 …
        ]

    def _extend(self, first: int, last: int) -> None:
        # A calendar is shared (``load_calendar``), also by worker threads: build the new
        # list aside and swap it in whole.
        with self._lock:
            first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
            if self._days:
                first, last = min(first, self._first), max(last, self._last)
                if (first, last) == (self._first, self._last):
                    return
            days = [o for y in range(first, last + 1) for o in self._year_days(y)]
            self._days, self._first, self._last = days, first, last

    def _cover(self, low: dt.date, high: dt.date, margin: int = 1) -> None:
        if low.year - margin < self._first or high.year + margin > self._last:
            self._extend(low.year - margin, high.year + margin)

    # --- what a day is --------------------------------------------------------------------
    def closings_in_year(self, year: int) -> dict[dt.date, str]:
        """Holidays and closing days of a year (weekend days included), with names."""
        result = dict(public_holidays(year))
        for optional in self._closed_optional:
            result.setdefault(dt.date(year, optional.month, optional.day), optional.label)
        for day, name in self.settings.own_days.items():
            if day.year == year:
                result.setdefault(day, name or "lukkedag")
        return result

    def closing_reason(self, day: dt.date) -> str | None:
        """The name of the holiday or closing day ``day`` is, if any."""
        return self.closings_in_year(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday–Friday and neither a public holiday nor a closing day."""
        self._cover(day, day, margin=0)
        ordinal = day.toordinal()
        index = bisect.bisect_left(self._days, ordinal)
        return index < len(self._days) and self._days[index] == ordinal

    # --- arithmetic -----------------------------------------------------------------------
    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself when 0)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        if count == 0:
            return start
        self._cover(start, start + dt.timedelta(days=count * 2 + 30))
        index = bisect.bisect_right(self._days, start.toordinal()) + count - 1
        while index >= len(self._days):
            if self._last >= LAST_YEAR:
                raise ValueError(f"working days beyond {LAST_YEAR} are not supported")
            self._extend(self._first, self._last + 2)
        return dt.date.fromordinal(self._days[index])

    def subtract_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day ``count`` working days before ``day`` (``day`` itself when 0)."""
        if count <= 0:
            return day
        self._cover(day - dt.timedelta(days=count * 2 + 30), day)
        index = bisect.bisect_left(self._days, day.toordinal()) - count
        return dt.date.fromordinal(self._days[max(index, 0)])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days ``d`` with ``start < d <= end``; negative when ``end`` is earlier."""
        if end < start:
            return -self.working_days_between(end, start)
        self._cover(start, end, margin=0)
        return bisect.bisect_right(self._days, end.toordinal()) - bisect.bisect_right(
            self._days, start.toordinal()
        )

    def add_with_pauses(
        self,
        start: dt.date,
        count: int,
        pauses: Sequence[tuple[dt.date, dt.date | None]] = (),
    ) -> dt.date | None:
        """Like ``add_working_days``, but days in a pause (``from <= d < to``) do not count.

        None while an open pause (``to`` None) stops the clock before the count is reached.
        """
        remaining, cursor = count, start
        for paused_from, paused_to in sorted(pauses, key=lambda p: p[0]):
            before_pause = paused_from - dt.timedelta(days=1)
            available = (
                self.working_days_between(cursor, before_pause) if before_pause > cursor else 0
            )
            if available >= remaining:
                break
            remaining -= available
            if paused_to is None:
                return None
            cursor = max(cursor, paused_to - dt.timedelta(days=1))
        return self.add_working_days(cursor, remaining)

    def skipped_closings(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """Weekdays in ``start < d <= end`` that were skipped as holidays or closing days."""
        found: list[tuple[dt.date, str]] = []
        for year in range(start.year, end.year + 1):
            for day, name in sorted(self.closings_in_year(year).items()):
                if start < day <= end and day.weekday() < 5:
                    found.append((day, name))
        return found

    def explain_addition(self, start: dt.date, count: int, result: dt.date | None = None) -> str:
        """``Modtaget tirsdag 3. juni 2025 + 10 arbejdsdage; sprunget over: 5. juni
        grundlovsdag, 9. juni 2. pinsedag → torsdag 19. juni 2025``."""
        end = result or self.add_working_days(start, count)
        text = f"Modtaget {weekday_date(start)} + {days_text(count)}"
        skipped = self.skipped_closings(start, end)
        if skipped:
            text += "; sprunget over: " + ", ".join(
                f"{short_day(day, start.year)} {name}" for day, name in skipped
            )
        return f"{text} → {weekday_date(end)}"


def days_text(count: int) -> str:
    """``1 arbejdsdag`` / ``10 arbejdsdage``."""
    return f"{count} arbejdsdag" if abs(count) == 1 else f"{count} arbejdsdage"


def short_day(day: dt.date, year: int) -> str:
    """``5. juni`` within ``year``, else ``2. januar 2026``."""
    text = f"{day.day}. {MONTHS[day.month - 1]}"
    return text if day.year == year else f"{text} {day.year}"


# --- settings in the database -----------------------------------------------------------


def load_settings(session: Session) -> CalendarSettings:
    """The switches (``app_setting``) and own closing days (``closing_day``)."""
    from sqlalchemy import select

    from kkdesk.core.models import AppSetting, ClosingDay

    raw = session.get(AppSetting, SWITCHES_KEY)
    switches: dict[str, bool] = {}
    if raw is not None and raw.value:
        try:
            stored = json.loads(raw.value)
        except json.JSONDecodeError:
            stored = {}
        if isinstance(stored, dict):
            switches = {k: bool(v) for k, v in stored.items() if k in OPTIONAL_BY_KEY}
    own = {day: name for day, name in session.execute(select(ClosingDay.day, ClosingDay.name))}
    return CalendarSettings(switches, own)


def load_calendar(session: Session) -> WorkCalendar:
    """The calendar as this database configures it (shared while the settings are equal)."""
    settings = load_settings(session)
    return _calendar_for(
        tuple(sorted(settings.switches.items())), tuple(sorted(settings.own_days.items()))
    )


@lru_cache(maxsize=8)
def _calendar_for(
    switches: tuple[tuple[str, bool], ...], own_days: tuple[tuple[dt.date, str], ...]
) -> WorkCalendar:
    return WorkCalendar(CalendarSettings(dict(switches), dict(own_days)))


def dump_switches(switches: Mapping[str, bool]) -> str:
    """JSON text of the switches (only known keys, sorted) for ``app_setting``."""
    return json.dumps({k: bool(switches[k]) for k in sorted(switches) if k in OPTIONAL_BY_KEY})


def describe_closings(settings: CalendarSettings, years: Iterable[int]) -> list[str]:
    """Human-readable list of the closing days of ``years`` (for the CLI and help)."""
    calendar = WorkCalendar(settings)
    lines: list[str] = []
    for year in years:
        for day, name in sorted(calendar.closings_in_year(year).items()):
            lines.append(f"{weekday_date(day)}: {name}")
    return lines
