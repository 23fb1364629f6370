"""The ``kkdesk`` command line: case import, export and list, and its error handling."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kkdesk import __version__
from kkdesk.cli import main
from tests.conftest import with_default_letter

FIXTURES = Path(__file__).parent / "fixtures"
CASES_JSON = FIXTURES / "cases.json"
BAD_SECOND_JSON = FIXTURES / "cases_bad_second.json"


def kkdesk(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kkdesk ARGS`` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "kkdesk", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=os.environ.copy(),
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _same_fields(exported: list[dict[str, Any]], source: list[dict[str, Any]]) -> None:
    """Exported cases equal the source in every field the source has (the format may grow)."""
    assert [{k: e.get(k) for k in s} for e, s in zip(exported, source, strict=True)] == source


def _source_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(CASES_JSON.read_text(encoding="utf-8"))["cases"]
    return sorted(map(with_default_letter, cases), key=lambda c: c["case_number"])


def _in_process(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'x.db'}"


def test_version() -> None:
    result = kkdesk("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kkdesk {__version__}"


def test_import_then_export_round_trip(db_url: str, tmp_path: Path) -> None:
    result = kkdesk("--db", db_url, "case", "import", CASES_JSON, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    source = json.loads(CASES_JSON.read_text(encoding="utf-8"))["cases"]
    assert result.stdout.splitlines() == [f"{c['case_number']}\t{c['subject']}" for c in source]

    result = kkdesk("--db", db_url, "case", "export", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "kkdesk-cases"
    assert document["version"] == 1
    _same_fields(document["cases"], _source_cases())
    # Written as readable UTF-8, not \u escapes.
    assert "Åse Ørsted" in result.stdout

    out = tmp_path / "udtræk.json"
    result = kkdesk("--db", db_url, "case", "export", "2025-0008", "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    cases = json.loads(out.read_text(encoding="utf-8"))["cases"]
    _same_fields(cases, [c for c in source if c["case_number"] == "2025-0008"])


def test_imported_numbers_continue(cli_db: str, tmp_path: Path) -> None:
    assert kkdesk("--db", cli_db, "case", "import", CASES_JSON).returncode == 0
    new = tmp_path / "ny.json"
    case = dict(_source_cases()[-1], case_number=None, subject='Ny sag med "citat" – æøå')
    new.write_text(json.dumps({"cases": [case]}, ensure_ascii=False), encoding="utf-8")
    result = kkdesk("--db", cli_db, "case", "import", new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['2025-0009\tNy sag med "citat" – æøå']


def test_list_prints_a_table(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert kkdesk("--db", cli_db, "case", "import", CASES_JSON).returncode == 0
    result = kkdesk("--db", cli_db, "case", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "Sagsnr.",
        "Emne",
        "Spørger",
        "(parti)",
        "Forvaltning",
        "Modtaget",
        "Status",
    ]
    assert [line.split()[0] for line in lines[1:-1]] == ["2024-0112", "2025-0007", "2025-0008"]
    assert lines[-1] == "3 sager"
    # Columns line up: every row has its case number, asker and date where the header says.
    asker_at = lines[0].index("Spørger")
    date_at = lines[0].index("Modtaget")
    row = lines[2]
    assert row[asker_at:].startswith("Åse Ørsted (Ø)")
    assert row[date_at:].startswith("20-05-2025  Fordelt")
    # Long subjects are cut with an ellipsis.
    assert "Cykelparkering på Nørrebro – ønske om flere stati…" in lines[1]
    assert "Søren Ærbødig " in lines[1]
    assert lines[1].endswith("Besvaret")

    code, out, err = _in_process(capsys, "--db", cli_db, "case", "list", "--search", "STØJ")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["2025-0007", "1"]

    code, out, _err = _in_process(
        capsys, "--db", cli_db, "case", "list", "--status", "modtaget", "--status", "besvaret"
    )
    assert code == 0
    assert out.splitlines()[-1] == "2 sager"

    code, out, _err = _in_process(capsys, "--db", cli_db, "case", "list", "--limit", "1")
    assert code == 0
    assert out.splitlines()[1].startswith("2024-0112")
    assert out.splitlines()[-1] == "1 sager"


def test_list_by_administration(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _in_process(capsys, "--db", cli_db, "case", "import", CASES_JSON)
    code, out, err = _in_process(capsys, "--db", cli_db, "case", "list", "--administration", "tmf")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "1 sager"


def test_list_unknown_status(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _in_process(capsys, "--db", cli_db, "case", "list", "--status", "lukket")
    assert code == 2
    assert out == ""
    assert err.startswith("Fejl: Ukendt status: lukket. Mulige: modtaget, fordelt,")


def test_bad_file_saves_nothing(cli_db: str) -> None:
    result = kkdesk("--db", cli_db, "case", "import", BAD_SECOND_JSON)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Fejl: Importen er afbrudt; intet er gemt.",
        "Sag nr. 2 i filen (Anden sag): Forvaltning: 'UKENDT' er ikke en kendt forvaltning.",
    ]
    result = kkdesk("--db", cli_db, "case", "export")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["cases"] == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{ikke json", "Fejl: Filen er ikke gyldig JSON (linje 1, kolonne 2): "),
        ('{"cases": [{"subject": "x"}]}', "Fejl: Importen er afbrudt; intet er gemt."),
        ('{"sager": []}', 'Fejl: Filen skal være et JSON-objekt med listen "cases".'),
    ],
)
def test_bad_file_contents(
    cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "fil.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = _in_process(capsys, "--db", cli_db, "case", "import", path)
    assert (code, out) == (2, "")
    assert err.startswith(expected)


def test_file_with_bom_is_read(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + CASES_JSON.read_bytes())
    code, out, err = _in_process(capsys, "--db", cli_db, "case", "import", path)
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 3


def test_unreadable_files(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "findes-ikke.json"
    code, _out, err = _in_process(capsys, "--db", cli_db, "case", "import", missing)
    assert code == 2
    assert err.startswith(f"Fejl: Filen '{missing}' kan ikke læses: ")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"cases": [], "x": "æøå"}'.encode("latin-1"))
    code, _out, err = _in_process(capsys, "--db", cli_db, "case", "import", latin1)
    assert code == 2
    assert err.strip() == f"Fejl: Filen '{latin1}' er ikke UTF-8-tekst."


def test_export_unknown_case(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _in_process(capsys, "--db", cli_db, "case", "export", "2030-0001")
    assert (code, out) == (2, "")
    assert err.strip() == "Fejl: Disse sager findes ikke: 2030-0001"


def test_bad_database_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _in_process(capsys, "--db", "ftp://server/fil", "case", "list")
    assert code == 2
    assert err.splitlines()[0] == "Fejl: Databasetypen 'ftp' understøttes ikke."
    folder = tmp_path / "mangler"
    code, _out, err = _in_process(capsys, "--db", f"sqlite:///{folder}/x.db", "case", "list")
    assert code == 2
    assert err.splitlines() == [
        f"Fejl: Mappen '{folder}' findes ikke.",
        "Vælg en database i en mappe, der findes.",
    ]
    # A bare path is shorthand for an SQLite file.
    code, out, _err = _in_process(capsys, "--db", tmp_path / "bare.db", "case", "list")
    assert code == 0
    assert out.splitlines()[-1] == "0 sager"
    assert (tmp_path / "bare.db").exists()


# --- Deadlines and statistics -------------------------------------------------------------


def test_deadline_command_explains(tmp_path: Path) -> None:
    result = kkdesk("--db", f"sqlite:///{tmp_path / 'frist.db'}", "deadline", "--received",
                    "2025-06-03")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2025-06-19"
    assert lines[1] == (
        "Modtaget tirsdag 3. juni 2025 + 10 arbejdsdage; sprunget over: 5. juni grundlovsdag, "
        "9. juni 2. pinsedag → torsdag 19. juni 2025"
    )
    assert lines[2] == "Intern frist: 3 arbejdsdage før fristen → mandag 16. juni 2025."


def test_deadline_command_kinds_and_errors(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _in_process(
        capsys, "--db", cli_db, "deadline", "--received", "3. juni 2025", "--kind", "aktindsigt"
    )
    assert (code, out.splitlines()[0]) == (0, "2025-06-16")
    code, out, err = _in_process(capsys, "--db", cli_db, "deadline", "--received", "2025-02-30")
    assert (code, out) == (2, "")
    assert err == "Fejl: '2025-02-30' er ikke en gyldig dato.\n"
    code, _out, err = _in_process(
        capsys, "--db", cli_db, "deadline", "--received", "2025-06-03", "--kind", "nej"
    )
    assert (code, err) == (2, "Fejl: 'nej' er ikke en kendt type henvendelse.\n")


def test_overdue_list_and_stats(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _in_process(capsys, "--db", cli_db, "case", "import", CASES_JSON)
    code, out, err = _in_process(capsys, "--db", cli_db, "case", "list", "--overdue")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[-1] == "Frist"
    # The open cases of the fixture were received in 2025: long overdue by now.
    assert [line.split()[0] for line in lines[1:-1]] == ["2025-0007", "2025-0008"]
    assert lines[-1] == "2 sager"

    code, out, err = _in_process(capsys, "--db", cli_db, "stats", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["open"], data["overdue"]) == (2, 2)
    assert {a["code"] for a in data["administrations"]} >= {"TMF", "ØKF"}
    assert len(data["months"]) == 12

    code, out, err = _in_process(capsys, "--db", cli_db, "stats", "--today", "2025-06-01")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Overblik pr. 1. juni 2025"
    assert any(line.startswith("TMF") for line in out.splitlines())
