"""Text out of archive files: .txt, .docx (python-docx) and .pdf (pypdf's text layer).

Every failure is an ``UnreadableFile`` with a Danish reason; the import lists it and goes
on with the next file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from kkdesk.core.errors import KnownError

SUFFIXES = (".txt", ".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024


class UnreadableFile(KnownError):
    """A file the import cannot read (the message says why, in Danish)."""


@dataclass(frozen=True)
class FileText:
    """The text of a file; ``paragraphs`` is True when each line is a whole paragraph
    (Word) rather than a line wrapped by the PDF's layout."""

    text: str
    paragraphs: bool


def read_text_file(path: Path) -> FileText:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise UnreadableFile("Tekstfilen har en ukendt tegnkodning.")
    if "\x00" in text:
        raise UnreadableFile("Filen er ikke en tekstfil (indeholder binære data).")
    lines = [line for line in text.splitlines() if line.strip()]
    long_lines = sum(1 for line in lines if len(line) > 150)
    return FileText(text, paragraphs=bool(lines) and long_lines * 4 >= len(lines))


def read_docx(path: Path) -> FileText:
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - a dependency of kkdesk
        raise UnreadableFile("Word-filer kan ikke læses: python-docx mangler.") from exc
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile("Filen er ikke et gyldigt Word-dokument (.docx).") from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        lines.append(paragraph.text.replace("\v", "\n"))
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text for cell in row.cells))
    return FileText("\n".join(lines), paragraphs=True)


def read_pdf(path: Path) -> FileText:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - a dependency of kkdesk
        raise UnreadableFile("PDF-filer kan ikke læses: pypdf mangler.") from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise UnreadableFile("PDF-filen er krypteret (beskyttet med adgangskode).")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile("PDF-filen er beskadiget og kan ikke læses.") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            "PDF-filen har intet tekstlag (den er formentlig scannet); kør OCR først."
        )
    return FileText(text, paragraphs=False)


def read_file(path: Path) -> FileText:
    """The text of an archive file, or ``UnreadableFile`` saying why not."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            f"Filtypen '{suffix or 'uden endelse'}' understøttes ikke (kun .docx, .pdf og .txt)."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"Filen kan ikke åbnes: {exc.strerror}.") from exc
    if size == 0:
        raise UnreadableFile("Filen er tom.")
    if size > MAX_BYTES:
        raise UnreadableFile("Filen er for stor til at være et svarbrev (over 50 MB).")
    try:
        if suffix == ".txt":
            return read_text_file(path)
        if suffix == ".docx":
            return read_docx(path)
        return read_pdf(path)
    except OSError as exc:
        raise UnreadableFile(f"Filen kan ikke læses: {exc.strerror or exc}.") from exc


def collect_files(paths: list[Path]) -> list[Path]:
    """The archive files named, with folders searched recursively (sorted by name)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))
            )
        else:
            found.append(path)
    return found
