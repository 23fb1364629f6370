"""The fault tests of bench/faults.py with small numbers (the full run prints the figures:
``python bench/faults.py``): kill -9 while writing and while upgrading, two processes
saving the same case, and upgrades of every stored earlier schema version."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import faults

from tests.conftest import postgres_url, reset_postgres


def test_kill_9_while_writing_loses_nothing(tmp_path: Path) -> None:
    result = faults.kill9(tmp_path, rounds=8)
    assert result.rounds == 8
    assert result.reported > 0
    assert result.integrity_failures == 0
    assert result.lost == 0, result.lines()


def test_kill_9_during_an_upgrade_leaves_old_or_new(tmp_path: Path) -> None:
    result = faults.kill9_upgrade(tmp_path, rounds=3)
    assert result.half_migrated == 0 and result.integrity_failures == 0
    assert result.lost_rows == 0
    assert result.at_old + result.at_new == 3


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_two_processes_saving_one_case_lose_no_update(backend: str, tmp_path: Path) -> None:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'writers.sqlite3'}"
    else:
        url = postgres_url()
        reset_postgres(url)
    result = faults.writers(url, saves=60)
    assert result.saves == 60
    assert result.lost == 0, result.lines()
    assert result.history_lines == 60  # every save is in the history, too


def test_the_writers_test_detects_lost_updates(tmp_path: Path) -> None:
    # Without the version check interleaved writers overwrite each other, but only if the
    # two processes overlap, which on a loaded machine (slow starts) they may not: give the
    # control more saves before calling the detector blind.
    results = []
    for attempt, saves in enumerate((100, 300, 900)):
        url = f"sqlite:///{tmp_path / f'control-{attempt}.sqlite3'}"
        control = faults.writers(url, saves, locked=False)
        if control.lost > 0:
            return
        results.append(control.lines())
    pytest.fail(f"the control run lost no update: {results}")


def test_stored_databases_exist_for_every_earlier_revision() -> None:
    from kkdesk.core.migrations import head_revision

    stored = {p.name for p in faults.stored_databases()}
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import make_fixture_dbs

    wanted = {f"kkdesk-{rev}.sqlite3" for rev in make_fixture_dbs.revisions_before_head()}
    assert wanted <= stored, "PYTHONPATH=. python scripts/make_fixture_dbs.py"
    assert f"kkdesk-{head_revision()}.sqlite3" not in stored


@pytest.mark.parametrize("source", faults.stored_databases(), ids=lambda p: p.stem)
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_upgrade_from_stored_database_loses_no_row(
    source: Path, backend: str, tmp_path: Path
) -> None:
    url = None
    if backend == "postgres":
        url = postgres_url()
    result = faults.upgrade_stored(source, tmp_path, url)
    assert result.rows > 100
    assert result.lost == {}, result.lines()
    assert result.usable
