"""Measure kkdesk's start-up and case list against a bare Qt window; write docs/benchmarks.md.

    python bench/run.py [--cases 100000] [--repeat 7] [--keep] [--postgres URL]

All figures come from the same run:

* wall time and peak memory (max RSS, via ``os.wait4``) of subprocesses: a bare PySide6
  window (``bench/bare_window.py``), ``python -m kkdesk --db … smoke`` on an empty,
  already migrated database and on one with ``--cases`` synthetic cases
  (``bench/generate.py``); medians over ``--repeat`` runs after one warm-up run;
* in-process times of the case list's filters, free-text search and sorting, through
  ``kkdesk.core.caselist`` (``case_ids`` + ``case_rows`` of the first 100 rows in a fresh
  session) and through the UI's ``CaseTableModel.set_filter``/``sort`` when it exists;
  median and max over ``--list-repeat`` runs.

The results replace the part of docs/benchmarks.md between the ``results`` markers, so
notes written around them survive a new run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kkdesk.core.caselist import CaseFilter, CaseSort
    from kkdesk.core.database import Database

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- results:start (written by bench/run.py) -->"
END_MARK = "<!-- results:end -->"

# Targets (docs/benchmarks.md explains them).
SMOKE_MAX_S = 1.5
SMOKE_MAX_RATIO = 2.5
LIST_MEDIAN_MAX_MS = 50.0
PEAK_MAX_MB = 250.0
FIRST_ROWS = 100


# --------------------------------------------------------------------------- helpers


@dataclass
class ChildRun:
    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(cmd: Sequence[str], env: dict[str, str]) -> ChildRun:
    """Run ``cmd``; wall time and the child's own peak RSS (``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    # Linux reports ru_maxrss in KiB; MB here are 10^6 bytes.
    return ChildRun(seconds, usage.ru_maxrss * 1024 / 1e6, proc.returncode, stdout, stderr)


@dataclass
class ChildStats:
    label: str
    runs: list[ChildRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode == 0 for r in self.runs)

    @property
    def median_s(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def min_s(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.max_rss_mb for r in self.runs)

    def failure(self) -> str:
        bad = next((r for r in self.runs if r.returncode != 0), None)
        if bad is None:
            return ""
        tail = (bad.stderr or bad.stdout).strip().splitlines()[-3:]
        return f"exit {bad.returncode}: " + " / ".join(tail)


@dataclass
class Timing:
    label: str
    matches: int
    core_ms: list[float]
    model_ms: list[float] | None
    target_ms: float | None


def median_max(values: Sequence[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` calls of ``fn``."""
    result: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        result.append((time.perf_counter() - start) * 1000)
    return result


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["KKDESK_HOME"] = str(home)  # settings and logs of the runs stay in the work dir
    env.pop("KKDESK_DATABASE_URL", None)
    return env


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for dist in ("PySide6-Essentials", "SQLAlchemy", "psycopg"):
        with suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": str(os.cpu_count() or "?"),
        "cpu": cpu or platform.processor() or "?",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "libraries": ", ".join(versions),
    }


# --------------------------------------------------------------------------- data


@dataclass
class DataSet:
    url: str
    cases: int
    generated_s: float | None  # None when reused
    size_mb: float | None


def _case_count(url: str) -> int:
    from sqlalchemy import func, select

    from kkdesk.core.database import open_database
    from kkdesk.core.models import Case

    db = open_database(url)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count()).select_from(Case)) or 0)
    finally:
        db.dispose()


def prepare_sqlite(workdir: Path, cases: int, seed: int) -> tuple[str, DataSet]:
    """The empty (migrated) database and the one with ``cases`` cases, reused if complete."""
    sys.path.insert(0, str(BENCH))
    from generate import generate

    from kkdesk.core.database import open_database

    empty = workdir / "empty.sqlite3"
    if not empty.exists():
        open_database(f"sqlite:///{empty}").dispose()
    big = workdir / f"cases-{cases}-seed{seed}.sqlite3"
    marker = big.with_suffix(".complete")
    url = f"sqlite:///{big}"
    took: float | None = None
    if not (big.exists() and marker.exists()):
        for stale in workdir.glob(big.name + "*"):
            stale.unlink()
        print(f"Genererer {cases} sager i {big} …", file=sys.stderr)
        start = time.perf_counter()
        generate(url, cases, seed)
        took = time.perf_counter() - start
        marker.write_text(json.dumps({"cases": cases, "seed": seed, "seconds": took}))
    return f"sqlite:///{empty}", DataSet(url, cases, took, big.stat().st_size / 1e6)


def prepare_postgres(url: str, cases: int, seed: int) -> DataSet:
    """Use ``url`` as it is if it has ``cases`` cases; fill it if it is empty."""
    sys.path.insert(0, str(BENCH))
    from generate import generate

    found = _case_count(url)
    took: float | None = None
    if found == 0:
        print(f"Genererer {cases} sager i {url} …", file=sys.stderr)
        start = time.perf_counter()
        generate(url, cases, seed)
        took = time.perf_counter() - start
    elif found != cases:
        raise SystemExit(
            f"{url} har {found} sager, ikke {cases}. Brug en tom database eller --cases {found}."
        )
    return DataSet(url, cases, took, None)


# --------------------------------------------------------------------------- start-up


def _startup_worker(spec: str) -> int:
    """Run the start-up commands and print their runs as JSON (see ``measure_startup``)."""
    config = json.loads(spec)
    commands: dict[str, list[str]] = config["commands"]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    for round_no in range(config["repeat"] + 1):
        for name, cmd in commands.items():
            run = run_child(cmd, dict(os.environ))
            if round_no > 0:  # round 0 warms the file cache
                runs[name].append(run.__dict__)
        print(f"  opstart: runde {round_no}/{config['repeat']}", file=sys.stderr)
    print(json.dumps(runs))
    return 0


def measure_startup(
    repeat: int, env: dict[str, str], targets: dict[str, str]
) -> dict[str, ChildStats]:
    """Interleaved runs of every command, one warm-up round not counted.

    The runs are started from a fresh interpreter that imports only the standard library:
    Linux carries a process's peak RSS over ``exec``, so children forked from this
    process (which holds SQLAlchemy, kkdesk and the generator) would inherit its size.
    """
    py = sys.executable
    commands: dict[str, list[str]] = {
        "python": [py, "-c", "pass"],
        "imports": [py, "-c", "import kkdesk.ui.app, kkdesk.ui.main_window"],
        "bare": [py, str(BENCH / "bare_window.py")],
    }
    for name, url in targets.items():
        commands[name] = [py, "-m", "kkdesk", "--db", url, "smoke"]
    spec = json.dumps({"repeat": repeat, "commands": commands})
    worker = subprocess.run(
        [py, str(Path(__file__).resolve()), "--startup-worker", spec],
        env=env,
        stdout=subprocess.PIPE,
        check=True,
        cwd=ROOT,
    )
    raw: dict[str, list[dict[str, Any]]] = json.loads(worker.stdout)
    return {name: ChildStats(name, [ChildRun(**r) for r in runs]) for name, runs in raw.items()}


# --------------------------------------------------------------------------- list


@contextmanager
def opened(url: str) -> Iterator[Database]:
    from kkdesk.core.database import open_database

    db = open_database(url)
    try:
        yield db
    finally:
        db.dispose()


def model_available() -> bool:
    if importlib.util.find_spec("kkdesk.ui.case_table_model") is None:
        return False
    from kkdesk.ui import case_table_model

    model_class = getattr(case_table_model, "CaseTableModel", None)
    return model_class is not None and hasattr(model_class, "set_filter")


def list_scenarios(db: Database) -> list[tuple[str, CaseFilter, CaseSort]]:
    from sqlalchemy import select

    from kkdesk.core.caselist import CaseFilter, CaseSort
    from kkdesk.core.models import Administration
    from kkdesk.core.vocab import OPEN_STATUSES

    with db.session() as session:
        tmf = session.scalar(select(Administration.id).where(Administration.code == "TMF"))
    assert tmf is not None
    newest = CaseSort()
    return [
        ("All cases, newest first (start-up list)", CaseFilter(), newest),
        ("Status filter: open cases (6 statuses)", CaseFilter(statuses=OPEN_STATUSES), newest),
        ("Status filter: Besvaret", CaseFilter(statuses=frozenset({"besvaret"})), newest),
        ("Administration filter: TMF", CaseFilter(administration_ids=frozenset({tmf})), newest),
        ('Free text: "støj"', CaseFilter(text="støj"), newest),
        ('Free text, 2 words: "byggeriet jagtvej"', CaseFilter(text="byggeriet jagtvej"), newest),
        ('Free text: "hansen" (asker)', CaseFilter(text="hansen"), newest),
        (
            'Open + TMF + "støj"',
            CaseFilter(statuses=OPEN_STATUSES, administration_ids=frozenset({tmf}), text="støj"),
            newest,
        ),
        ("Sort all by subject", CaseFilter(), CaseSort("subject", descending=False)),
        ("Sort all by asker", CaseFilter(), CaseSort("asker", descending=False)),
    ]


def measure_list(url: str, repeat: int, use_model: bool) -> list[Timing]:
    from kkdesk.core import caselist

    results: list[Timing] = []
    with opened(url) as db:
        scenarios = list_scenarios(db)

        def core(flt: CaseFilter, sort: CaseSort) -> int:
            with db.session() as session:
                ids = caselist.case_ids(session, flt, sort)
                caselist.case_rows(session, ids[:FIRST_ROWS])
            return len(ids)

        for label, flt, sort in scenarios:
            matches = core(flt, sort)  # warm-up, also gives the count
            core_ms = timed(partial(core, flt, sort), repeat)
            target = None if label.startswith("Sort") else LIST_MEDIAN_MAX_MS
            results.append(Timing(label, matches, core_ms, None, target))
            print(f"  liste: {label}", file=sys.stderr)

        if use_model:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QApplication

            from kkdesk.core.caselist import COLUMNS, CaseFilter
            from kkdesk.ui.case_table_model import CaseTableModel

            app = QApplication.instance() or QApplication(sys.argv[:1])
            model = CaseTableModel(db)
            for timing, (_label, flt, sort) in zip(results, scenarios, strict=True):
                order = (
                    Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
                )
                column = COLUMNS.index(sort.column)
                if sort.column == "case_number":
                    model.sort(column, order)
                    model.set_filter(flt)  # warm-up
                    timing.model_ms = timed(partial(model.set_filter, flt), repeat)
                    assert model.rowCount() == timing.matches
                else:
                    model.set_filter(CaseFilter())
                    model.sort(column, order)  # warm-up
                    timing.model_ms = timed(partial(model.sort, column, order), repeat)
                    model.sort(COLUMNS.index("case_number"), Qt.SortOrder.DescendingOrder)
                app.processEvents()
            del model
    return results


# --------------------------------------------------------------------------- report


def _verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def render(
    info: dict[str, str],
    args: argparse.Namespace,
    data: DataSet,
    startup: dict[str, ChildStats],
    lists: dict[str, list[Timing]],
    pg: DataSet | None,
) -> str:
    lines: list[str] = []
    add = lines.append
    add(f"Measured {info['date']} with `{args.command_line}`.")
    add("")
    add(f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['platform']}")
    add(f"- Python {info['python']}; {info['libraries']}; `QT_QPA_PLATFORM=offscreen`")
    generated = (
        f"generated in {data.generated_s:.1f} s by `bench/generate.py`"
        if data.generated_s is not None
        else "reused from an earlier run (`--keep`)"
    )
    size = f", {data.size_mb:.0f} MB" if data.size_mb else ""
    add(f"- Data: {data.cases:,} synthetic cases in SQLite{size}, {generated}")
    if pg is not None:
        pg_gen = (
            f"generated in {pg.generated_s:.1f} s"
            if pg.generated_s is not None
            else "already filled"
        )
        add(f"- PostgreSQL: the same {pg.cases:,} cases (seed {args.seed}), {pg_gen}")
    add("")
    add(f"### Start-up (subprocess wall time, median of {args.repeat} runs after a warm-up)")
    add("")
    add("| Process | Median | Fastest | × bare window | Peak RSS | Target | Met |")
    add("|---|---:|---:|---:|---:|---|---|")
    bare = startup["bare"]
    bare_s = bare.median_s if bare.ok else float("nan")
    labels = {
        "python": ("`python -c pass` (interpreter only)", False),
        "imports": ("`import kkdesk.ui.app, kkdesk.ui.main_window`", False),
        "bare": ("Bare PySide6 window (`bench/bare_window.py`)", False),
        "smoke_empty": ("`kkdesk smoke`, empty database", True),
        "smoke_big": (f"`kkdesk smoke`, {data.cases:,} cases", True),
        "smoke_pg": (f"`kkdesk smoke`, PostgreSQL, {data.cases:,} cases", True),
    }
    for name, stats in startup.items():
        label, is_smoke = labels[name]
        if not stats.ok:
            add(f"| {label} | failed | | | | | {stats.failure()} |")
            continue
        ratio = stats.median_s / bare_s
        if is_smoke:
            checks = [
                (f"≤ {SMOKE_MAX_S} s", stats.median_s <= SMOKE_MAX_S),
                (f"≤ {SMOKE_MAX_RATIO}×", ratio <= SMOKE_MAX_RATIO),
            ]
            if name == "smoke_big":
                checks.append((f"< {PEAK_MAX_MB:.0f} MB", stats.peak_mb < PEAK_MAX_MB))
            target = ", ".join(label for label, _ok in checks)
            verdict = ", ".join(_verdict(ok) for _label, ok in checks)
        else:
            target, verdict = "", ""
        add(
            f"| {label} | {_s(stats.median_s)} | {_s(stats.min_s)} | {ratio:.2f}× | "
            f"{stats.peak_mb:.0f} MB | {target} | {verdict} |"
        )
    for engine, timings in lists.items():
        has_model = any(t.model_ms is not None for t in timings)
        add("")
        add(
            f"### Case list at {data.cases:,} cases, {engine} "
            f"(in-process, ms, median / max of {args.list_repeat})"
        )
        add("")
        add(
            f"Core: `case_ids` + `case_rows` of the first {FIRST_ROWS} ids in a fresh session."
            + (
                " Model: `CaseTableModel.set_filter` (or `.sort`), which also fetches the"
                " first rows and resets the view model."
                if has_model
                else " (`kkdesk/ui/case_table_model.py` not found: no model figures.)"
            )
        )
        add("")
        head = "| Operation | Matches | Core median | Core max |"
        rule = "|---|---:|---:|---:|"
        if has_model:
            head += " Model median | Model max |"
            rule += "---:|---:|"
        add(head + " Target | Met |")
        add(rule + "---|---|")
        for t in timings:
            core_med, core_max = median_max(t.core_ms)
            row = f"| {t.label} | {t.matches:,} | {_ms(core_med)} | {_ms(core_max)} |"
            worst = core_med
            if has_model:
                if t.model_ms:
                    model_med, model_max = median_max(t.model_ms)
                    row += f" {_ms(model_med)} | {_ms(model_max)} |"
                    worst = max(worst, model_med)
                else:
                    row += " | |"
            if t.target_ms is None:
                row += " – | |"
            else:
                row += f" median ≤ {t.target_ms:.0f} ms | {_verdict(worst <= t.target_ms)} |"
            add(row)
    return "\n".join(lines) + "\n"


DOC_TEMPLATE = f"""# Benchmarks

How fast kkdesk starts and how quickly the case list filters, searches and sorts with a
large register. Produced by `bench/run.py` (the data by `bench/generate.py`); run

    python bench/run.py --cases 100000 --repeat 7 --keep

to measure again. The part between the markers below is replaced by every run.

Targets: `kkdesk smoke` (open the database, build and show the main window with the
full list, exit) within 1.5 s and within 2.5 × a bare PySide6 window on the same
machine; peak memory below 250 MB with 100,000 cases; every filter and free-text search
within 50 ms (median).

{START_MARK}
{END_MARK}
"""


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else DOC_TEMPLATE
    if START_MARK not in text or END_MARK not in text:
        text = text.rstrip("\n") + "\n\n" + START_MARK + "\n" + END_MARK + "\n"
    before, rest = text.split(START_MARK, 1)
    _old, after = rest.split(END_MARK, 1)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(before + START_MARK + "\n" + section + END_MARK + after, encoding="utf-8")


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--startup-worker"]:
        return _startup_worker(argv[1])
    parser = argparse.ArgumentParser(description="kkdesk benchmarks → docs/benchmarks.md")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each subprocess")
    parser.add_argument("--list-repeat", type=int, default=21, help="runs of each list query")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the databases in --workdir and reuse them next time",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kkdesk-bench",
        help="where --keep keeps the databases (default: %(default)s)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also measure on this PostgreSQL database (filled if empty)",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    args.command_line = " ".join(["python bench/run.py", *argv])
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")

    if args.keep:
        workdir: Path = args.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="kkdesk-bench-"))
    try:
        empty_url, data = prepare_sqlite(workdir, args.cases, args.seed)
        pg = prepare_postgres(args.postgres, args.cases, args.seed) if args.postgres else None
        home = workdir / "home"
        home.mkdir(exist_ok=True)
        targets = {"smoke_empty": empty_url, "smoke_big": data.url}
        if pg is not None:
            targets["smoke_pg"] = pg.url
        startup = measure_startup(args.repeat, child_env(home), targets)
        use_model = model_available()
        lists = {"SQLite": measure_list(data.url, args.list_repeat, use_model)}
        if pg is not None:
            lists["PostgreSQL"] = measure_list(pg.url, args.list_repeat, use_model)
        section = render(machine(), args, data, startup, lists, pg)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(section)
    if not args.no_write:
        write_doc(section)
        print(f"Skrevet til {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
