"""Working days: properties of the arithmetic and known Danish dates 2023–2027."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kkdesk.core.calendar import CalendarSettings, WorkCalendar, public_holidays

CALENDAR = WorkCalendar()
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))
counts = st.integers(min_value=0, max_value=80)


# --- properties -----------------------------------------------------------------------------


@given(days, st.integers(min_value=1, max_value=80))
def test_adding_lands_on_a_working_day(start: dt.date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert end > start
    assert CALENDAR.is_working_day(end)
    assert end.weekday() < 5


@given(days, counts)
def test_counting_back_gives_n(start: dt.date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert CALENDAR.working_days_between(start, end) == n
    assert CALENDAR.working_days_between(end, start) == -n


@given(days, counts, counts)
def test_monotonic_in_n(start: dt.date, n: int, m: int) -> None:
    a, b = CALENDAR.add_working_days(start, n), CALENDAR.add_working_days(start, m)
    assert (a < b) == (n < m)
    assert (a == b) == (n == m)


@given(days, st.integers(min_value=1, max_value=60))
def test_subtracting_undoes_adding_from_a_working_day(start: dt.date, n: int) -> None:
    working = CALENDAR.add_working_days(start, 1)
    later = CALENDAR.add_working_days(working, n)
    assert CALENDAR.subtract_working_days(later, n) == working


@given(days, days)
def test_between_counts_the_working_days_one_by_one(a: dt.date, b: dt.date) -> None:
    low, high = sorted((a, b))
    if (high - low).days > 120:
        high = low + dt.timedelta(days=120)
    expected = sum(
        CALENDAR.is_working_day(low + dt.timedelta(days=i)) for i in range(1, (high - low).days + 1)
    )
    assert CALENDAR.working_days_between(low, high) == expected


@settings(max_examples=200)
@given(days, st.integers(min_value=1, max_value=40), st.integers(0, 30), st.integers(0, 30))
def test_a_pause_does_not_count(start: dt.date, n: int, offset: int, length: int) -> None:
    paused = start + dt.timedelta(days=offset + 1)
    resumed = paused + dt.timedelta(days=length)
    plain = CALENDAR.add_working_days(start, n)
    with_pause = CALENDAR.add_with_pauses(start, n, [(paused, resumed)])
    assert with_pause is not None
    assert with_pause >= plain
    assert CALENDAR.is_working_day(with_pause)
    inside = 0
    if resumed > paused:
        last = min(resumed - dt.timedelta(days=1), with_pause)
        if last >= paused:
            inside = CALENDAR.working_days_between(paused - dt.timedelta(days=1), last)
    assert CALENDAR.working_days_between(start, with_pause) - inside == n
    assert CALENDAR.add_with_pauses(start, n, []) == plain


def test_an_open_pause_stops_the_clock() -> None:
    start = dt.date(2025, 6, 2)
    assert CALENDAR.add_with_pauses(start, 10, [(dt.date(2025, 6, 4), None)]) is None
    # Paused after the deadline: no effect.
    assert CALENDAR.add_with_pauses(start, 2, [(dt.date(2025, 6, 20), None)]) == dt.date(2025, 6, 4)


# --- known dates ----------------------------------------------------------------------------

KNOWN = [
    # (received, working days, deadline, why)
    ("2025-06-03", 10, "2025-06-19", "grundlovsdag and 2. pinsedag 2025"),
    ("2025-04-16", 1, "2025-04-22", "skærtorsdag, langfredag, 2. påskedag 2025"),
    ("2024-03-27", 3, "2024-04-04", "Easter 2024"),
    ("2023-04-05", 1, "2023-04-11", "Easter 2023"),
    ("2026-04-01", 1, "2026-04-07", "Easter 2026"),
    ("2027-03-24", 1, "2027-03-30", "Easter 2027"),
    ("2025-05-28", 1, "2025-05-30", "Kristi himmelfartsdag 2025"),
    ("2027-05-05", 1, "2027-05-07", "Kristi himmelfartsdag 2027"),
    ("2023-05-26", 1, "2023-05-30", "2. pinsedag 2023"),
    ("2024-05-17", 1, "2024-05-21", "2. pinsedag 2024"),
    ("2026-05-22", 5, "2026-06-01", "2. pinsedag 2026"),
    ("2027-05-14", 1, "2027-05-18", "2. pinsedag 2027"),
    ("2023-06-02", 1, "2023-06-06", "grundlovsdag 2023 (Monday)"),
    ("2024-06-04", 1, "2024-06-06", "grundlovsdag 2024 (Wednesday)"),
    ("2026-06-04", 1, "2026-06-08", "grundlovsdag 2026 (Friday)"),
    ("2027-06-04", 1, "2027-06-07", "grundlovsdag 2027 is a Saturday"),
    ("2023-12-22", 1, "2023-12-27", "juledag and 2. juledag 2023"),
    ("2023-12-22", 4, "2024-01-02", "nytårsdag 2024"),
    ("2024-12-23", 1, "2024-12-27", "juleaften, juledag, 2. juledag 2024"),
    ("2024-12-23", 3, "2025-01-02", "nytårsaften and nytårsdag"),
    ("2025-12-19", 10, "2026-01-09", "Christmas 2025"),
    ("2026-12-23", 1, "2026-12-28", "Christmas 2026"),
    ("2027-12-23", 1, "2027-12-27", "juleaften 2027 is a Friday"),
]


@pytest.mark.parametrize(("received", "n", "expected", "why"), KNOWN, ids=[k[3] for k in KNOWN])
def test_known_deadlines(received: str, n: int, expected: str, why: str) -> None:
    start = dt.date.fromisoformat(received)
    assert CALENDAR.add_working_days(start, n) == dt.date.fromisoformat(expected), why


def test_store_bededag_2023_but_not_2024() -> None:
    assert CALENDAR.closing_reason(dt.date(2023, 5, 5)) == "store bededag"
    assert not CALENDAR.is_working_day(dt.date(2023, 5, 5))
    assert CALENDAR.add_working_days(dt.date(2023, 5, 4), 1) == dt.date(2023, 5, 8)
    # The fourth Friday after Easter 2024 (26 April) is an ordinary working day.
    assert CALENDAR.closing_reason(dt.date(2024, 4, 26)) is None
    assert CALENDAR.is_working_day(dt.date(2024, 4, 26))
    assert CALENDAR.add_working_days(dt.date(2024, 4, 25), 1) == dt.date(2024, 4, 26)
    assert not any(name == "store bededag" for name in public_holidays(2024).values())


def test_explanation_names_the_skipped_days() -> None:
    text = CALENDAR.explain_addition(dt.date(2025, 6, 3), 10)
    assert text == (
        "Modtaget tirsdag 3. juni 2025 + 10 arbejdsdage; sprunget over: 5. juni grundlovsdag, "
        "9. juni 2. pinsedag → torsdag 19. juni 2025"
    )
    across = CALENDAR.explain_addition(dt.date(2025, 12, 19), 10)
    assert "24. december juleaftensdag" in across
    assert "1. januar 2026 nytårsdag" in across
    assert across.endswith("→ fredag 9. januar 2026")
    plain = CALENDAR.explain_addition(dt.date(2025, 9, 1), 1)
    assert plain == "Modtaget mandag 1. september 2025 + 1 arbejdsdag → tirsdag 2. september 2025"


def test_closing_day_switches() -> None:
    received = dt.date(2025, 6, 3)
    open_on_grundlovsdag = WorkCalendar(CalendarSettings({"grundlovsdag": False}))
    assert open_on_grundlovsdag.add_working_days(received, 10) == dt.date(2025, 6, 18)
    assert open_on_grundlovsdag.is_working_day(dt.date(2025, 6, 5))
    assert CALENDAR.add_working_days(dt.date(2025, 4, 30), 1) == dt.date(2025, 5, 1)
    closed_1_may = WorkCalendar(CalendarSettings({"første_maj": True}))
    assert closed_1_may.add_working_days(dt.date(2025, 4, 30), 1) == dt.date(2025, 5, 2)
    no_christmas_eve = WorkCalendar(CalendarSettings({"juleaftensdag": False}))
    assert no_christmas_eve.add_working_days(dt.date(2025, 12, 23), 1) == dt.date(2025, 12, 24)
    assert CALENDAR.add_working_days(dt.date(2025, 12, 23), 1) == dt.date(2025, 12, 29)


def test_own_closing_days() -> None:
    own = WorkCalendar(CalendarSettings(own_days={dt.date(2025, 5, 30): "Fredag efter Kr. h."}))
    assert own.closing_reason(dt.date(2025, 5, 30)) == "Fredag efter Kr. h."
    assert own.add_working_days(dt.date(2025, 5, 28), 1) == dt.date(2025, 6, 2)
    assert "30. maj Fredag efter Kr. h." in own.explain_addition(dt.date(2025, 5, 28), 1)


def test_far_dates_extend_the_calendar() -> None:
    calendar = WorkCalendar()
    assert calendar.add_working_days(dt.date(1995, 12, 22), 1) == dt.date(1995, 12, 27)
    # Friday 4 June 2055; Monday 7 June is 2. pinsedag (Easter 2055: 18 April).
    assert calendar.add_working_days(dt.date(2055, 6, 4), 1) == dt.date(2055, 6, 8)
    assert calendar.working_days_between(dt.date(1995, 1, 1), dt.date(2055, 1, 1)) > 14_000


def test_holidays_are_cached_on_disk(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import json

    from kkdesk.core import calendar

    monkeypatch.setenv("KKDESK_HOME", str(tmp_path))
    for function in (calendar.public_holidays, calendar._holiday_cache):
        function.cache_clear()
    first = calendar.public_holidays(2031)
    stored = json.loads((tmp_path / "cache" / "helligdage-dk.json").read_text("utf-8"))
    assert stored["years"]["2031"][0] == ["2031-01-01", "nytårsdag"]
    # A new process (caches cleared) reads the file; a changed package is not trusted.
    for function in (calendar.public_holidays, calendar._holiday_cache):
        function.cache_clear()
    assert calendar.public_holidays(2031) == first
    stored["stamp"] = "an older holidays"
    stored["years"]["2031"] = [["2031-01-02", "forkert"]]
    (tmp_path / "cache" / "helligdage-dk.json").write_text(json.dumps(stored), "utf-8")
    for function in (calendar.public_holidays, calendar._holiday_cache):
        function.cache_clear()
    assert calendar.public_holidays(2031) == first
    for function in (calendar.public_holidays, calendar._holiday_cache):
        function.cache_clear()
