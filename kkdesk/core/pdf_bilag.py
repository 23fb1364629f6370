"""PDF bilag appended after the reply letter, with bookmarks (pypdf).

The result keeps the letter's own metadata (title, author, language). Bookmarks: one for
the letter ("Svarbrev") and one per appended bilag ("Bilag 1 – Notat om …") on its
first page, so a reader jumps straight to each part.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from kkdesk.core.errors import KnownError

LETTER_BOOKMARK = "Svarbrev"


@dataclass(frozen=True)
class PdfPart:
    """A PDF to append: its bookmark title and bytes."""

    title: str
    data: bytes
    file_name: str = ""


def append_pdfs(letter: bytes, parts: Sequence[PdfPart]) -> bytes:
    """The letter followed by every part. A part that cannot be read or is encrypted is
    a ``KnownError`` naming the file."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    if not parts:
        return letter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter)))
    writer.add_outline_item(title=LETTER_BOOKMARK, page_number=0)
    for part in parts:
        name = part.file_name or part.title
        try:
            reader = PdfReader(io.BytesIO(part.data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise KnownError(
                    f"Bilaget '{name}' er beskyttet med adgangskode og kan ikke lægges efter "
                    "brevet.",
                    detail="Gem bilaget uden adgangskode, eller fjern markeringen "
                    "'Sendes med svaret'.",
                )
            first_page = len(writer.pages)
            if not reader.pages:
                raise KnownError(f"Bilaget '{name}' har ingen sider.")
            writer.append(reader, import_outline=False)
        except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
            raise KnownError(
                f"Bilaget '{name}' er ikke en læsbar PDF og kan ikke lægges efter brevet.",
                detail="Åbn og gem bilaget igen som PDF, eller fjern markeringen "
                "'Sendes med svaret'.",
            ) from exc
        writer.add_outline_item(title=part.title, page_number=first_page)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def outline_titles(data: bytes) -> list[tuple[str, int]]:
    """(title, 0-based page) of a PDF's top-level bookmarks (for tests and checks)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    result = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        result.append((str(item.title), page if page is not None else -1))
    return result
