"""The case list: filters (status, administration, free text) and sorting in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from kkdesk.core.caselist import COLUMNS, CaseFilter, CaseRow, CaseSort, case_ids, case_rows
from kkdesk.core.cases import create_case
from kkdesk.core.database import Database
from kkdesk.core.drafts import AskerRef, CaseDraft
from kkdesk.core.models import Administration

MakeDraft = Callable[..., CaseDraft]

# Values chosen so that every collation (SQLite's binary, PostgreSQL's C or da_DK/en_US)
# sorts them the same way: distinct, capitalised ASCII first letters. Status has a tie
# (two "modtaget") to check the tie-break on the case number.
SEED = [
    # subject, asker, party, administration, unit, received, status
    ("Cykelstier på Nørrebro", "Dorte Dam", "A", "TMF", "Byens Drift", "2025-03-02", "fordelt"),
    ("Affald og STØJ ved Åen", "Bent Bo", "Ø", "KFF", None, "2025-01-15", "modtaget"),
    ("Daginstitutioner", "Anne Aa", None, "BIF", None, "2024-11-30", "besvaret"),
    ("Budget 100% sikkert", "Carl Cø", "V", "SUF", None, "2025-02-10", "modtaget"),
    ("Ekstra_tilskud til Straße", "Erik Ek", "Å", "TMF", None, "2025-04-01", "i_bero"),
]


@pytest.fixture
def seeded(db: Database, make_draft: MakeDraft) -> dict[str, int]:
    """The SEED cases; returns case number → id."""
    ids: dict[str, int] = {}
    with db.session() as session:
        for subject, name, party, admin, unit, received, status in SEED:
            draft = make_draft(
                subject=subject,
                asker=AskerRef(name=name, party=party),
                administration=admin,
                unit=unit,
                received=[dt.date.fromisoformat(received)],
                status=status,
            )
            case = create_case(session, draft, "test")
            ids[case.case_number] = case.id
    return ids


def _numbers(db: Database, flt: CaseFilter, sort: CaseSort | None = None) -> list[str]:
    with db.session() as session:
        ids = case_ids(session, flt, sort or CaseSort("case_number", descending=False))
        rows = case_rows(session, ids)
    return [rows[i].case_number for i in ids]


def _admin_ids(db: Database, *codes: str) -> frozenset[int]:
    with db.session() as session:
        return frozenset(
            session.scalars(select(Administration.id).where(Administration.code.in_(codes)))
        )


def test_numbers_of_seed(db: Database, seeded: dict[str, int]) -> None:
    # Numbered per year in the order created.
    assert sorted(seeded) == ["2024-0001", "2025-0001", "2025-0002", "2025-0003", "2025-0004"]
    assert _numbers(db, CaseFilter()) == sorted(seeded)
    assert _numbers(db, CaseFilter(), CaseSort()) == sorted(seeded, reverse=True)


def test_case_rows(db: Database, seeded: dict[str, int]) -> None:
    with db.session() as session:
        rows = case_rows(session, list(seeded.values()))
        assert case_rows(session, []) == {}
    by_number = {row.case_number: row for row in rows.values()}
    assert by_number["2025-0001"] == CaseRow(
        id=seeded["2025-0001"],
        case_number="2025-0001",
        subject="Cykelstier på Nørrebro",
        asker="Dorte Dam (A)",
        administration="TMF",
        received_on=dt.date(2025, 3, 2),
        status="fordelt",
        # Sunday 2 March + 10 working days; the internal deadline 3 working days before.
        deadline=dt.date(2025, 3, 14),
        internal_deadline=dt.date(2025, 3, 11),
    )
    assert by_number["2024-0001"].asker == "Anne Aa"
    assert by_number["2025-0004"].asker == "Erik Ek (Å)"


def test_filter_by_status(db: Database, seeded: dict[str, int]) -> None:
    assert _numbers(db, CaseFilter(statuses=frozenset({"modtaget"}))) == [
        "2025-0002",
        "2025-0003",
    ]
    assert _numbers(db, CaseFilter(statuses=frozenset({"besvaret", "i_bero"}))) == [
        "2024-0001",
        "2025-0004",
    ]
    assert _numbers(db, CaseFilter(statuses=frozenset({"annulleret"}))) == []


def test_filter_by_administration(db: Database, seeded: dict[str, int]) -> None:
    assert _numbers(db, CaseFilter(administration_ids=_admin_ids(db, "TMF"))) == [
        "2025-0001",
        "2025-0004",
    ]
    assert _numbers(db, CaseFilter(administration_ids=_admin_ids(db, "BIF", "KFF"))) == [
        "2024-0001",
        "2025-0002",
    ]
    combined = CaseFilter(
        statuses=frozenset({"modtaget", "fordelt"}), administration_ids=_admin_ids(db, "TMF")
    )
    assert _numbers(db, combined) == ["2025-0001"]


TEXT_FILTERS = [
    ("", ["2024-0001", "2025-0001", "2025-0002", "2025-0003", "2025-0004"]),
    ("   ", ["2024-0001", "2025-0001", "2025-0002", "2025-0003", "2025-0004"]),
    ("STØJ", ["2025-0002"]),
    ("støj", ["2025-0002"]),
    ("nørrebro", ["2025-0001"]),
    ("NØRREBRO", ["2025-0001"]),
    ("åen", ["2025-0002"]),
    ("ÅEN", ["2025-0002"]),
    ("aen", []),
    ("norrebro", []),
    ("cø", ["2025-0003"]),
    ("co", []),
    # Words must all match, in any order.
    ("nørrebro cykel", ["2025-0001"]),
    ("nørrebro affald", []),
    # Case number and asker (with party letter) are searchable.
    ("2025-0003", ["2025-0003"]),
    ("2024-", ["2024-0001"]),
    ("dorte", ["2025-0001"]),
    ("(ø)", ["2025-0002"]),
    ("(å)", ["2025-0004"]),
    # Full case folding: ß → ss.
    ("STRASSE", ["2025-0004"]),
    ("straße", ["2025-0004"]),
    # LIKE wildcards are literal characters.
    ("%", ["2025-0003"]),
    ("100%", ["2025-0003"]),
    ("_", ["2025-0004"]),
    ("r_ebro", []),
    ("ekstra_tilskud", ["2025-0004"]),
    ("\\", []),
]


def test_filter_by_text(db: Database, seeded: dict[str, int]) -> None:
    # One database for all examples (a fresh one per example is slow on PostgreSQL).
    failures = []
    for text, expected in TEXT_FILTERS:
        found = _numbers(db, CaseFilter(text=text))
        if found != expected:
            failures.append(f"{text!r}: fandt {found}, ventede {expected}")
    assert not failures, "\n".join(failures)


def _expected_order(rows: list[CaseRow], column: str, descending: bool) -> list[str]:
    def key(row: CaseRow) -> tuple[object, ...]:
        year, seq = (int(part) for part in row.case_number.split("-"))
        value: object = {
            "case_number": (),
            "subject": row.subject,
            "asker": row.asker,
            "administration": row.administration,
            "received": row.received_on,
            "status": row.status,
            # No deadline sorts as the farthest one.
            "deadline": (row.deadline is None, row.deadline or dt.date.min),
            "internal_deadline": (
                row.internal_deadline is None,
                row.internal_deadline or dt.date.min,
            ),
            "days_left": (row.deadline is None, row.deadline or dt.date.min),
        }[column]
        return (value, year, seq)

    return [row.case_number for row in sorted(rows, key=key, reverse=descending)]


def test_sort_by_each_column_both_directions(db: Database, seeded: dict[str, int]) -> None:
    with db.session() as session:
        rows = list(case_rows(session, list(seeded.values())).values())
    flt = CaseFilter(statuses=frozenset({"modtaget", "fordelt", "i_bero"}))
    keep = {"2025-0001", "2025-0002", "2025-0003", "2025-0004"}
    for column in COLUMNS:
        for descending in (False, True):
            sort = CaseSort(column, descending)
            expected = _expected_order(rows, column, descending)
            assert _numbers(db, CaseFilter(), sort) == expected, sort
            # Filtering keeps the order.
            assert _numbers(db, flt, sort) == [n for n in expected if n in keep], sort
        # The two directions are each other's reverse (ties broken by case number).
        assert _numbers(db, CaseFilter(), CaseSort(column, True)) == list(
            reversed(_numbers(db, CaseFilter(), CaseSort(column, False)))
        )


def test_sort_examples(db: Database, seeded: dict[str, int]) -> None:
    assert _numbers(db, CaseFilter(), CaseSort("received", descending=False)) == [
        "2024-0001",
        "2025-0002",
        "2025-0003",
        "2025-0001",
        "2025-0004",
    ]
    # Ties (two "modtaget") are broken by the case number in the same direction.
    assert _numbers(db, CaseFilter(), CaseSort("status", descending=True)) == [
        "2025-0003",
        "2025-0002",
        "2025-0004",
        "2025-0001",
        "2024-0001",
    ]
    assert _numbers(db, CaseFilter(), CaseSort("asker", descending=False)) == [
        "2024-0001",
        "2025-0002",
        "2025-0003",
        "2025-0001",
        "2025-0004",
    ]


def test_unknown_sort_column_falls_back_to_case_number(
    db: Database, seeded: dict[str, int]
) -> None:
    assert _numbers(db, CaseFilter(), CaseSort("nonsense", descending=False)) == sorted(seeded)
