"""Benchmark the e-mail features (medians over ``--runs``, one run, side by side):

    python bench/mail.py [--runs 20]

* reading a mail: the three-question .eml fixture, the .msg fixture, and an .eml with a
  20 MB PDF attachment (read = parse + decode + split);
* the personal-data guard on a 50-page PDF bilag (pypdf text extraction), and on the
  texts alone;
* appending that 50-page PDF after a one-page letter, with bookmarks;
* refusing a 200 MB mail (the size check happens before parsing).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pdf(pages: int, text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    doc = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        for line in range(40):
            doc.drawString(60, 780 - line * 18, f"{text} side {page + 1} linje {line + 1}")
        doc.showPage()
    doc.save()
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from kkdesk.core.intake import read_mail
    from kkdesk.core.intake.body import split_questions, trim_body
    from kkdesk.core.pdf_bilag import PdfPart, append_pdfs
    from kkdesk.core.privacy import scan_pdf, scan_text

    fixtures = ROOT / "tests" / "fixtures" / "mail"
    tmp = Path(tempfile.mkdtemp(prefix="kkdesk-bench-mail-"))
    big = EmailMessage(policy=policy.SMTP)
    big["From"], big["Subject"] = "a@kk.dk", "Stort bilag"
    big["Date"] = "Wed, 05 Mar 2025 09:00:00 +0100"
    big.set_content("1. Hvad?\n2. Hvor?\n")
    payload = b"%PDF-1.4\n" + bytes(range(256)) * (20 * 1024 * 4)
    big.add_attachment(payload, maintype="application", subtype="pdf", filename="stor.pdf")
    big_path = tmp / "stor.eml"
    big_path.write_bytes(big.as_bytes())
    huge = tmp / "kæmpe.eml"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk used

    def read(path: Path) -> Callable[[], object]:
        return lambda: split_questions(trim_body(read_mail(path).body))

    def refuse() -> None:
        try:
            read_mail(huge)
        except Exception:
            return

    fifty = pdf(50, "Bilag med tal og tekst, tlf. 20 30 40 50")
    letter = pdf(1, "Svarbrev")
    text = "Svar med tekst. " * 400 + " CPR 010203-1234, bo@gmail.com"
    few = max(3, args.runs // 4)
    own = ["kk.dk"]
    jobs: list[tuple[str, int, Callable[[], object]]] = [
        ("read .eml, three questions (5 kB)", args.runs, read(fixtures / "three_questions.eml")),
        ("read .msg, two questions (7 kB)", args.runs, read(fixtures / "outlook_question.msg")),
        ("read .eml with a 20 MB attachment", few, read(big_path)),
        ("refuse a 200 MB mail file", args.runs, refuse),
        ("guard: texts (6 kB)", args.runs, lambda: scan_text(text, "Svar", own=own)),
        ("guard: 50-page PDF bilag", few, lambda: scan_pdf(fifty, "b.pdf", own=own)),
        (
            "append 50-page PDF after a letter",
            args.runs,
            lambda: append_pdfs(letter, [PdfPart("Bilag 1", fifty)]),
        ),
    ]
    rows = [(name, median_ms(runs, job)) for name, runs, job in jobs]
    width = max(len(name) for name, _ in rows)
    print(f"{'operation'.ljust(width)}  median ms")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value:9.1f}")
    big_path.unlink()
    huge.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
