"""Benchmark search and reuse at 100,000 cases; write the figures into docs/search.md.

    python bench/search.py [--cases 100000] [--repeat 9] [--letters 1000]
                           [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/kkdesk_search_bench]

All figures come from one run, side by side:

* ranked top-50 full-text search (``kkdesk.core.search.search_cases``: ranking, snippets,
  where-the-hit-is) on SQLite (FTS5) and PostgreSQL (tsvector), and the LIKE-based search
  it replaces on the same data: the first 50 matches unranked, and all matches (what
  ranking with LIKE would have to read);
* "asked before" suggestions (``similar_questions``) for new questions;
* archive import: ``--letters`` generated letter files (.txt with PDF artefacts, plus
  .docx and .pdf) parsed and saved; letters per second and recognition accuracy per field.

SQLite uses a copy of the 100,000-case file made by bench/generate.py (the search index
is built by migration 0006_search when it is opened; that time is reported too).
PostgreSQL is filled with ``bench.generate.generate`` if the database is empty (created
with psql if missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from kkdesk.core.database import Database, open_database  # noqa: E402

DOC = ROOT / "docs" / "search.md"
START_MARK = "<!-- results:start (written by bench/search.py) -->"
END_MARK = "<!-- results:end -->"
SEARCH_TARGET_MS = 20.0
ASKED_TARGET_MS = 100.0
CACHED_SQLITE = Path(tempfile.gettempdir()) / "kkdesk-bench" / "cases-100000-seed1.sqlite3"

# What a secretariat types: places, topics, a prefix while typing, two words, capitals,
# and two very common words (the worst case for ranking).
QUERIES = (
    "støj",
    "STØJ",
    "fælledparken",
    "rotter nørrebro",
    "Enghave Plads",
    "legeplads",
    "skolereform",
    "cykelsti",
    "cykelst",
    "ventetid handicap",
    "budget",
    "kommune",
)
NEW_QUESTIONS = (
    "Hvor mange anmeldelser om rotter har forvaltningen fået fra Nørrebro i år?",
    "Hvad koster det at renovere legepladsen i Fælledparken?",
    "Hvornår forventer forvaltningen, at cykelstien på Amagerbrogade er færdig?",
    "Kan forvaltningen oplyse ventetiden på handicapbil?",
    "Hvilke tiltag mod støj fra byggepladser er der planlagt på Vesterbro?",
    "Hvor mange elever går i de nye skoler i Ørestad?",
)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    fn()  # warm-up (page cache, prepared statements)
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def med(times: Sequence[float]) -> float:
    return statistics.median(times)


# --------------------------------------------------------------------------- data


def prepare_sqlite(workdir: Path, cases: int) -> tuple[str, float, float]:
    """A fresh copy of the generated file; returns (url, generate s, index build s)."""
    target = workdir / f"search-{cases}.sqlite3"
    generated = 0.0
    if cases == 100000 and CACHED_SQLITE.exists():
        shutil.copyfile(CACHED_SQLITE, target)
    else:
        from bench.generate import generate

        start = time.perf_counter()
        generate(f"sqlite:///{target}", cases, 1)
        generated = time.perf_counter() - start
    # Opening runs migration 0006_search, which builds the FTS5 index of every case.
    start = time.perf_counter()
    open_database(f"sqlite:///{target}").dispose()
    return f"sqlite:///{target}", generated, time.perf_counter() - start


def prepare_postgres(url: str, cases: int) -> tuple[float, int]:
    """Create and fill the database if needed; returns (fill seconds or 0, cases)."""
    parsed = make_url(url)
    name = parsed.database or ""
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        missing = exists.first() is None
    admin.dispose()
    if missing:
        subprocess.run(
            ["psql", "-h", parsed.host or "127.0.0.1", "-U", parsed.username or "postgres",
             "-c", f'CREATE DATABASE "{name}"'],
            check=True,
        )  # fmt: skip
    db = open_database(url)
    with db.session() as session:
        count = int(session.execute(text('SELECT count(*) FROM "case"')).scalar() or 0)
    db.dispose()
    if count >= cases:
        return 0.0, count
    from bench.generate import generate

    start = time.perf_counter()
    generate(url, cases - count, 1)
    return time.perf_counter() - start, cases


# --------------------------------------------------------------------------- searches


def like_first(session: Any, words: list[str], limit: int | None) -> list[int]:
    """The LIKE search it replaces: every word somewhere in subject, questions, answers."""
    clauses = []
    params: dict[str, Any] = {}
    for i, word in enumerate(words):
        params[f"p{i}"] = f"%{word}%"
        clauses.append(
            f"(lower(c.subject) LIKE :p{i} OR EXISTS (SELECT 1 FROM question q WHERE "
            f"q.case_id = c.id AND (lower(q.text) LIKE :p{i} OR lower(q.answer) LIKE :p{i})))"
        )
    sql = f'SELECT c.id FROM "case" c WHERE {" AND ".join(clauses)} ORDER BY c.id DESC'
    if limit:
        sql += f" LIMIT {limit}"
    return [row[0] for row in session.execute(text(sql), params)]


def measure_search(db: Database, repeat: int) -> list[dict[str, Any]]:
    from kkdesk.core.search import search_cases

    rows: list[dict[str, Any]] = []
    for query in QUERIES:
        words = query.lower().split()

        def ranked(q: str = query) -> Any:
            with db.session() as session:
                return search_cases(session, q)

        def like50(w: list[str] = words) -> Any:
            with db.session() as session:
                return like_first(session, w, 50)

        def like_all(w: list[str] = words) -> Any:
            with db.session() as session:
                return like_first(session, w, None)

        t_ranked, hits = timed(ranked, repeat)
        t_like, first = timed(like50, max(3, repeat // 3))
        t_all, every = timed(like_all, 3)
        rows.append(
            {
                "query": query,
                "ranked": med(t_ranked),
                "ranked_max": max(t_ranked),
                "hits": len(hits),
                "like50": med(t_like),
                "like_all": med(t_all),
                "like_matches": len(every),
                "like_first": len(first),
            }
        )
        print(f"  {query!r}: {rows[-1]['ranked']:.1f} ms ranked, {rows[-1]['like50']:.1f} ms LIKE")
    return rows


def measure_asked(db: Database, repeat: int) -> list[tuple[str, float, int]]:
    from kkdesk.core.search import similar_questions

    rows = []
    for question in NEW_QUESTIONS:

        def run(q: str = question) -> Any:
            with db.session() as session:
                return similar_questions(session, q)

        times, found = timed(run, repeat)
        rows.append((question, med(times), len(found)))
    return rows


# --------------------------------------------------------------------------- archive

FIRST = ("Anne", "Bo", "Cecilie", "Dorte", "Emil", "Frida", "Gustav", "Hanne", "Ib", "Jytte",
         "Karl", "Lærke", "Mads", "Nanna", "Ole", "Pia", "Rasmus", "Søs", "Tage", "Ærtebjørn",
         "Øjvind", "Åse")  # fmt: skip
LAST = ("Andersen", "Bækgaard", "Christiansen", "Dueholm", "Eskildsen", "Frølund", "Grønbech",
        "Høj", "Iversen", "Juhl", "Krøyer", "Lyngsø", "Mørch", "Nørgaard", "Østergaard",
        "Åkjær")  # fmt: skip
TOPICS = ("Støjgener ved {s}", "Cykelparkering på {s}", "Rotter omkring {s}",
          "Belysning i {s}", "Træfældning ved {s}", "Ventetider i borgerservice på {s}",
          "Renovering af legepladsen på {s}", "Affaldssortering i boligerne ved {s}")  # fmt: skip
PLACES = ("Enghave Plads", "Nørrebrogade", "Amagerbrogade", "Valby Langgade", "Åboulevarden",
          "Sjællandsgade", "Ørestads Boulevard", "Tingbjerg Torv", "Islands Brygge")  # fmt: skip


def letter_specs(count: int, seed: int = 7) -> list[Any]:
    """``count`` different letters: the sample letters with other people, dates, subjects."""
    from tests.letter_samples import samples

    rng = random.Random(seed)
    bases = samples()
    specs = []
    for index in range(count):
        base = bases[index % len(bases)]
        spec = type(base)(**{**base.__dict__})
        spec.asker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        first_day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2200))
        spec.dates = [first_day] + (
            [first_day + dt.timedelta(days=rng.randint(1, 20))] if rng.random() < 0.3 else []
        )
        spec.subject = rng.choice(TOPICS).format(s=rng.choice(PLACES)) + f" ({index + 1})"
        specs.append(spec)
    return specs


def field_checks(letter: Any, spec: Any) -> dict[str, bool]:
    def flat(value: str) -> str:
        return " ".join(value.replace("- ", " ").split())

    party = spec.party if spec.opening == "politikersvar" else None
    return {
        "spørger": letter.asker_name == spec.asker,
        "parti": letter.asker_party == party,
        "datoer": letter.received == sorted(spec.dates),
        "forvaltning": letter.administration == spec.admin,
        "emne": letter.subject == spec.subject,
        "layout": letter.layout == spec.layout and letter.opening == spec.opening,
        "spørgsmål": [flat(q.text) for q in letter.questions]
        == [flat(t) for t in spec.expected_questions],
        "svar": [flat(q.answer) for q in letter.questions] == [flat(a) for a in spec.answers],
        "underskriver": letter.signer_name == spec.signer_name
        and (letter.signer_title or None) == (spec.signer_title or None),
        "bilag": letter.bilag == spec.bilag,
    }


def measure_archive(workdir: Path, count: int) -> dict[str, Any]:
    from kkdesk.core.archive import importer
    from kkdesk.core.archive.letterparse import NotALetter
    from kkdesk.core.archive.readers import UnreadableFile
    from tests.letter_samples import render_text, write_docx, write_pdf

    folder = workdir / "letters"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    specs = letter_specs(count)
    kinds: dict[str, list[tuple[Path, Any]]] = {"txt": [], "docx": [], "pdf": []}
    start = time.perf_counter()
    for index, spec in enumerate(specs):
        # 80 % PDF-extracted text (some double spaced), 10 % Word, 10 % PDF.
        kind = "docx" if index % 10 == 3 else "pdf" if index % 10 == 7 else "txt"
        path = folder / f"{index:04d}_svar.{kind}"
        if kind == "txt":
            path.write_text(render_text(spec, seed=index, double_space=index % 5 == 0), "utf-8")
        elif kind == "docx":
            write_docx(spec, path)
        else:
            write_pdf(spec, path, seed=index)
        kinds[kind].append((path, spec))
    made = time.perf_counter() - start
    db = open_database(f"sqlite:///{workdir / 'archive.sqlite3'}")
    try:
        with db.session() as session:
            directory = importer.load_directory(session)
        per_kind: dict[str, float] = {}
        checks: dict[str, list[bool]] = {}
        letters = []
        failures: list[str] = []
        start_all = time.perf_counter()
        for kind, items in kinds.items():
            start = time.perf_counter()
            for path, spec in items:
                try:
                    letter = importer.parse_file(path, directory)
                except (UnreadableFile, NotALetter) as exc:
                    failures.append(f"{path.name}: {exc.message}")
                    continue
                letters.append(letter)
                for name, ok in field_checks(letter, spec).items():
                    checks.setdefault(name, []).append(ok)
            per_kind[kind] = len(items) / max(time.perf_counter() - start, 1e-9)
        parse_s = time.perf_counter() - start_all
        start = time.perf_counter()
        report = importer.import_letters(db, letters, "bench")
        save_s = time.perf_counter() - start
    finally:
        db.dispose()
    return {
        "count": count,
        "made_s": made,
        "parse_s": parse_s,
        "save_s": save_s,
        "per_kind": per_kind,
        "kinds": {k: len(v) for k, v in kinds.items()},
        "created": len(report.created),
        "skipped": len(report.skipped) + len(failures),
        "accuracy": {k: 100.0 * sum(v) / len(v) for k, v in checks.items()},
        "all_fields": 100.0
        * sum(all(c[i] for c in checks.values()) for i in range(len(letters)))
        / max(len(letters), 1),
    }


# --------------------------------------------------------------------------- report


def render(args: argparse.Namespace, facts: dict[str, Any]) -> str:
    out = [
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} with `python bench/search.py "
        f"--cases {args.cases} --repeat {args.repeat} --letters {args.letters}"
        + (f" --postgres {args.postgres}" if args.postgres else "")
        + "` (2 CPUs; medians).",
        "",
        f"- SQLite: {args.cases:,} cases; building the FTS5 index when the file is first "
        f"opened (migration 0006_search): {facts['sqlite_index_s']:.1f} s.".replace(",", "."),
    ]
    if "pg_fill_s" in facts:
        fill = facts["pg_fill_s"]
        out.append(
            f"- PostgreSQL: {facts['pg_cases']:,} cases".replace(",", ".")
            + (
                f", filled with bench.generate in {fill:.0f} s (triggers keep the index)"
                if fill
                else " (already filled)"
            )
            + "."
        )
    out += ["", "### Ranked search, top 50 (ms)", ""]
    backends = ["sqlite"] + (["postgres"] if "postgres" in facts["search"] else [])
    head = "| Query | " + " | ".join(
        f"{b}: ranked | {b}: hits | {b}: LIKE first 50 | {b}: LIKE all (matches)" for b in backends
    )
    out += [head + " |", "|---" * (1 + 4 * len(backends)) + "|"]
    for i, query in enumerate(QUERIES):
        cells = [f"`{query}`"]
        for backend in backends:
            row = facts["search"][backend][i]
            cells += [
                f"{row['ranked']:.1f}",
                str(row["hits"]),
                f"{row['like50']:.1f}",
                f"{row['like_all']:.0f} ({row['like_matches']})",
            ]
        out.append("| " + " | ".join(cells) + " |")
    for backend in backends:
        rows = facts["search"][backend]
        overall = med([r["ranked"] for r in rows])
        like = med([r["like50"] for r in rows])
        verdict = ""
        if backend == "sqlite":
            verdict = " – target ≤ 20 ms: " + ("met" if overall <= SEARCH_TARGET_MS else "MISSED")
        out.append(
            f"\n**{backend}**: median over the queries {overall:.1f} ms ranked vs "
            f"{like:.1f} ms for an unranked LIKE of the first 50 "
            f"(×{like / overall:.1f}){verdict}."
        )
    out += ["", '### "Spurgt før?" suggestions (ms)', ""]
    out += ["| New question | " + " | ".join(f"{b}: ms (found)" for b in backends) + " |"]
    out += ["|---" * (1 + len(backends)) + "|"]
    for i, question in enumerate(NEW_QUESTIONS):
        cells = [question]
        for backend in backends:
            _q, ms, found = facts["asked"][backend][i]
            cells.append(f"{ms:.1f} ({found})")
        out.append("| " + " | ".join(cells) + " |")
    for backend in backends:
        overall = med([row[1] for row in facts["asked"][backend]])
        verdict = ""
        if backend == "sqlite":
            verdict = " – target ≤ 100 ms: " + ("met" if overall <= ASKED_TARGET_MS else "MISSED")
        out.append(f"\n**{backend}**: median {overall:.1f} ms{verdict}.")
    arch = facts["archive"]
    out += [
        "",
        "### Archive import",
        "",
        f"{arch['count']} generated letters ({arch['kinds']['txt']} .txt as extracted from PDF "
        f"with hyphenation and stray blank lines, {arch['kinds']['docx']} .docx, "
        f"{arch['kinds']['pdf']} .pdf made with reportlab), imported into SQLite:",
        "",
        f"- reading and recognising: {arch['parse_s']:.1f} s = "
        f"{arch['count'] / arch['parse_s']:.0f} letters/s "
        f"(.txt {arch['per_kind']['txt']:.0f}/s, .docx {arch['per_kind']['docx']:.0f}/s, "
        f".pdf {arch['per_kind']['pdf']:.0f}/s)",
        f"- saving (one transaction per letter): {arch['save_s']:.1f} s = "
        f"{arch['created'] / max(arch['save_s'], 1e-9):.0f} letters/s; "
        f"{arch['created']} cases created, {arch['skipped']} skipped",
        "- recognition, share of letters with the field exactly right: "
        + ", ".join(f"{k} {v:.1f} %" for k, v in arch["accuracy"].items())
        + f"; every field right: {arch['all_fields']:.1f} %",
    ]
    return "\n".join(out)


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(START_MARK) + len(START_MARK)
    end = text.index(END_MARK)
    DOC.write_text(text[:start] + "\n" + section + "\n" + text[end:], encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--postgres", default="", metavar="URL")
    parser.add_argument("--no-doc", action="store_true", help="print only")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="kkdesk-search-bench-"))
    facts: dict[str, Any] = {"search": {}, "asked": {}}
    try:
        print("SQLite …")
        url, _gen, facts["sqlite_index_s"] = prepare_sqlite(workdir, args.cases)
        db = open_database(url)
        try:
            facts["search"]["sqlite"] = measure_search(db, args.repeat)
            facts["asked"]["sqlite"] = measure_asked(db, args.repeat)
        finally:
            db.dispose()
        if args.postgres:
            print("PostgreSQL …")
            facts["pg_fill_s"], facts["pg_cases"] = prepare_postgres(args.postgres, args.cases)
            db = open_database(args.postgres)
            try:
                facts["search"]["postgres"] = measure_search(db, args.repeat)
                facts["asked"]["postgres"] = measure_asked(db, args.repeat)
            finally:
                db.dispose()
        print("Archive import …")
        facts["archive"] = measure_archive(workdir, args.letters)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    section = render(args, facts)
    print(section)
    if not args.no_doc:
        write_doc(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
