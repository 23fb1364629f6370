"""Benchmark reply letters: a two-page letter to PDF and to Word, and a batch of 1,000.

    python bench/letters.py [--letters 100] [--batch 1000] [--lo-runs 10] [--lo-batch 50]

Measured in one run, side by side:

* the median time per letter (build the letter model + render) over ``--letters``
  two-page letters, each with its own case number and asker, for PDF and for DOCX;
* a batch of ``--batch`` cases from ``bench/generate.py`` exported through the same
  service the app's batch export uses (database read, build, render, write the file);
* when ``soffice`` is installed: converting the same two-page DOCX to PDF with
  ``soffice --headless --convert-to pdf`` (a fresh process each time, median over
  ``--lo-runs``), and ``--lo-batch`` DOCX files in one LibreOffice call; the ratio of
  LibreOffice's median to ours.

Results replace the part of docs/benchmarks-letters.md between the ``results`` markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks-letters.md"
START_MARK = "<!-- results:start (written by bench/letters.py) -->"
END_MARK = "<!-- results:end -->"

PDF_TARGET_MS = 25.0
DOCX_TARGET_MS = 60.0
RATIO_TARGET = 40.0

PARAGRAPH = (
    "Forvaltningen har gennemgået sagen og kan oplyse, at indsatsen er tilrettelagt efter "
    "de gældende regler, og at borgerne i København får den hjælp, de har ret til. "
    "Vi følger løbende op på, om indsatsen virker efter hensigten."
)


def two_page_source(number: int):  # type: ignore[no-untyped-def]
    """A letter in the form of the seeds, long enough for two A4 pages."""
    from kkdesk.core.letters.build import LetterSource, SourceQuestion

    answers = [
        "\n\n".join([PARAGRAPH, PARAGRAPH + " " + PARAGRAPH]),
        f"{PARAGRAPH}\n\nSagen omfatter:\n- ansøgninger fra 2024\n- klager over svartider\n"
        "- henvendelser fra foreninger",
        "\n\n".join([PARAGRAPH, "# Det videre forløb", PARAGRAPH]),
        f"{PARAGRAPH}\n1) første skridt\n2) andet skridt\n3) evaluering",
    ]
    return LetterSource(
        case_number=f"2025-{number:04d}",
        subject="beskæftigelsesindsatsen for borgere på kanten af arbejdsmarkedet",
        asker_name=f"Åse Bøgh-Larsen {number}",
        asker_party="Ø",
        received=(dt.date(2025, 5, 22), dt.date(2025, 5, 26)),
        administration_code="BIF",
        administration_name="Beskæftigelses- og Integrationsforvaltningen",
        administration_genitive="Beskæftigelses- og Integrationsforvaltningens",
        administration_address="Rådhuspladsen 1, 1550 København V",
        unit="Jobcenter København",
        officer="Hanne Holm",
        layout="ad",
        general_answer=PARAGRAPH,
        signer_name="Søren Østergaard",
        signer_title="Administrerende direktør",
        questions=tuple(
            SourceQuestion(n, f"Hvordan arbejder forvaltningen med punkt {n} i planen?", a)
            for n, a in enumerate(answers, start=1)
        ),
        bilag=("Oversigt over indsatsen",),
    )


def timed_ms(fn: Callable[[int], object], count: int) -> list[float]:
    fn(0)  # warm-up: fonts, styles and the base document are made once per process
    times = []
    for index in range(count):
        start = time.perf_counter()
        fn(index + 1)
        times.append((time.perf_counter() - start) * 1000)
    return times


def libreoffice_runs(docx: bytes, runs: int, work: Path) -> list[float]:
    soffice = shutil.which("soffice")
    assert soffice
    source = work / "brev.docx"
    source.write_bytes(docx)
    profile = work / "lo-profile"
    times = []
    for index in range(runs + 1):
        out = work / f"lo-{index}"
        start = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        elapsed = (time.perf_counter() - start) * 1000
        assert (out / "brev.pdf").exists()
        if index:  # the first run creates the profile
            times.append(elapsed)
    return times


def libreoffice_batch(docs: list[bytes], work: Path) -> float:
    soffice = shutil.which("soffice")
    assert soffice
    folder = work / "lo-batch"
    folder.mkdir()
    paths = []
    for index, data in enumerate(docs):
        path = folder / f"brev-{index}.docx"
        path.write_bytes(data)
        paths.append(str(path))
    start = time.perf_counter()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{work / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            *paths,
        ],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--lo-runs", type=int, default=10)
    parser.add_argument("--lo-batch", type=int, default=50)
    parser.add_argument("--no-doc", action="store_true", help="print only; do not update docs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kkdesk-bench-letters-"))
    os.environ["KKDESK_HOME"] = str(work)

    from pypdf import PdfReader
    from sqlalchemy import select

    from bench.generate import generate
    from kkdesk.core.database import open_database
    from kkdesk.core.letters.build import build_letter
    from kkdesk.core.letters.docx_render import render_docx
    from kkdesk.core.letters.export import export_batch
    from kkdesk.core.letters.pdf_render import render_pdf
    from kkdesk.core.letters.template_store import default_logo
    from kkdesk.core.letters.templates import TemplateSet, merged
    from kkdesk.core.models import Case

    templates = TemplateSet(merged(), default_logo())
    day = dt.date(2025, 6, 3)

    def letter(n: int):  # type: ignore[no-untyped-def]
        return build_letter(two_page_source(n), templates, letter_date=day, draft=False)

    sample_pdf = render_pdf(letter(1))
    sample_docx = render_docx(letter(1))
    pages = len(PdfReader(io.BytesIO(sample_pdf)).pages)
    pdf_ms = timed_ms(lambda n: render_pdf(letter(n)), args.letters)
    docx_ms = timed_ms(lambda n: render_docx(letter(n)), args.letters)
    pdf_median, docx_median = statistics.median(pdf_ms), statistics.median(docx_ms)
    lines = [
        f"Measured {dt.datetime.now():%Y-%m-%d %H:%M} with `python bench/letters.py "
        f"--letters {args.letters} --batch {args.batch} --lo-runs {args.lo_runs} "
        f"--lo-batch {args.lo_batch}`.",
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}; "
        f"Python {platform.python_version()}",
        f"- The two-page letter: layout »Ad N«, 4 questions, lists, sub-heading, bilag; "
        f"{pages} pages in PDF",
        "",
        "| What | Median per letter | Min | Max | Target |",
        "|---|---|---|---|---|",
        f"| PDF (build + reportlab), {args.letters} letters | **{pdf_median:.1f} ms** | "
        f"{min(pdf_ms):.1f} ms | {max(pdf_ms):.1f} ms | ≤ {PDF_TARGET_MS:.0f} ms |",
        f"| DOCX (build + python-docx), {args.letters} letters | **{docx_median:.1f} ms** | "
        f"{min(docx_ms):.1f} ms | {max(docx_ms):.1f} ms | ≤ {DOCX_TARGET_MS:.0f} ms |",
    ]
    verdicts = [
        ("PDF median", pdf_median <= PDF_TARGET_MS),
        ("DOCX median", docx_median <= DOCX_TARGET_MS),
    ]

    if args.batch:
        url = f"sqlite:///{work / 'batch.sqlite3'}"
        generate(url, args.batch, seed=1)
        db = open_database(url)
        with db.session() as session:
            ids = list(session.scalars(select(Case.id).order_by(Case.id)))
        for fmt in ("pdf", "docx"):
            folder = work / f"batch-{fmt}"
            folder.mkdir()
            start = time.perf_counter()
            result = export_batch(db, ids, fmt, folder, user="bench", letter_date=day)
            seconds = time.perf_counter() - start
            size = sum(p.stat().st_size for p in result.written) / 1e6
            lines.append(
                f"| Batch of {len(ids)} generated cases → {fmt.upper()} files (service: read, "
                f"build, render, write) | {seconds / len(ids) * 1000:.1f} ms "
                f"({seconds:.1f} s in all, {len(result.written)} files, {size:.0f} MB, "
                f"{result.drafts} drafts, {len(result.failed)} failed) | | | |"
            )
        db.dispose()

    if shutil.which("soffice"):
        lo_ms = libreoffice_runs(sample_docx, args.lo_runs, work)
        lo_median = statistics.median(lo_ms)
        ratio = lo_median / pdf_median
        lo_pdf = (work / "lo-1" / "brev.pdf").read_bytes()
        lo_pages = len(PdfReader(io.BytesIO(lo_pdf)).pages)
        lines.append(
            f"| LibreOffice `soffice --headless --convert-to pdf` of the same DOCX, "
            f"{len(lo_ms)} runs | **{lo_median:.0f} ms** | {min(lo_ms):.0f} ms | "
            f"{max(lo_ms):.0f} ms | |"
        )
        if args.lo_batch:
            docs = [render_docx(letter(n)) for n in range(args.lo_batch)]
            total = libreoffice_batch(docs, work)
            lines.append(
                f"| LibreOffice, {args.lo_batch} DOCX in one call | {total / args.lo_batch:.0f} ms "
                f"({total / 1000:.1f} s in all) | | | |"
            )
        lines += [
            "",
            f"**PDF path vs LibreOffice: {ratio:.0f}× faster** (target ≥ {RATIO_TARGET:.0f}×). "
            f"Pages: ours {pages}, LibreOffice {lo_pages}.",
        ]
        verdicts.append(("PDF ≥ 40× LibreOffice", ratio >= RATIO_TARGET))
    else:
        lines += ["", "LibreOffice (`soffice`) is not installed: no comparison in this run."]
    lines += [
        "",
        "Targets: " + ", ".join(f"{name} {'OK' if ok else 'MISSED'}" for name, ok in verdicts),
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_doc:
        text = DOC.read_text(encoding="utf-8")
        head, _, rest = text.partition(START_MARK)
        _, _, tail = rest.partition(END_MARK)
        DOC.write_text(f"{head}{START_MARK}\n{report}\n{END_MARK}{tail}", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if all(ok for _name, ok in verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
