"""The letter as plain data: what both renderers read. Nothing here knows about a case,
a database, Word or PDF; ``kkdesk.core.letters.build`` fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look. ``"\\n"`` inside ``text`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph in a named style (``kkdesk.core.letters.styles.STYLES``).

    ``label`` is a hanging label in front of the text ("1." for a numbered question);
    ``keep_with_next`` keeps the paragraph on the same page as the next one.
    """

    style: str
    runs: tuple[Run, ...]
    label: str = ""
    keep_with_next: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list; numbered lists start at ``start`` ("3) …")."""

    kind: Literal["bullet", "number"]
    items: tuple[tuple[Run, ...], ...]
    start: int = 1
    style: str = "list"


Block = Para | ListBlock


class PageField(Enum):
    """A value only the page layout knows."""

    PAGE = "side"
    PAGES = "sider"


@dataclass(frozen=True)
class PageText:
    """A header or footer line: text with page fields."""

    parts: tuple[str | PageField, ...] = ()

    def render(self, page: int, pages: int) -> str:
        """The line for a given page (the PDF renderer knows the numbers)."""
        values = {PageField.PAGE: str(page), PageField.PAGES: str(pages)}
        return "".join(values[p] if isinstance(p, PageField) else p for p in self.parts)


@dataclass(frozen=True)
class Letterhead:
    """The first page's head: logo and organisation top right; under them the recipient
    (left) and the sender block with date, case number and case officer (right)."""

    organisation: str
    sender: tuple[str, ...]
    details: tuple[str, ...]
    recipient: tuple[str, ...] = ()
    logo: bytes | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """Document properties (PDF metadata, Word core properties)."""

    title: str
    author: str
    subject: str
    keywords: str = ""
    language: str = "da-DK"


@dataclass(frozen=True)
class Letter:
    """A complete reply letter."""

    info: DocumentInfo
    letterhead: Letterhead
    body: tuple[Block, ...]
    following_header: PageText = field(default_factory=PageText)
    footer: PageText = field(default_factory=PageText)
    # A draft is marked: watermark in PDF, marking in Word, a label in the footer.
    draft: bool = True
    draft_label: str = "UDKAST"

    def texts(self) -> list[str]:
        """The body's text block by block, in reading order (tests, search, previews)."""
        found: list[str] = []
        for block in self.body:
            if isinstance(block, Para):
                found.append((block.label + " " if block.label else "") + block.text)
            else:
                found.extend("".join(r.text for r in item) for item in block.items)
        return found
