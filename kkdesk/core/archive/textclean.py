"""Undo the artefacts of text pulled out of PDFs before the structure is read.

Words hyphenated at line ends ("spørgs-" / "mål") are joined again, but not a real
hyphen before "og"/"eller" ("Beskæftigelses- og Integrationsforvaltningen"); stray blank
lines are remembered but not trusted when a document has one after nearly every line;
page numbers and "Side 2 af 3" go.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A hyphen before these words is a real one ("Børne- og Ungdomsforvaltningen").
_CONNECTORS = frozenset({"og", "eller", "samt", "til", "men", "el.", "&"})
_PAGE_LINE = re.compile(
    r"^(?:side\s+\d+(?:\s*(?:af|/)\s*\d+)?|\d{1,3}|[-–—•·]|\d+\s*/\s*\d+)$", re.I
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")


@dataclass
class Line:
    """A non-empty line and whether a blank line stood before it in the file."""

    text: str
    blank_before: bool = False


def normalise(text: str) -> str:
    """Unicode NFC, one kind of space and line break, no soft hyphens or control chars."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text


def to_lines(text: str, *, paragraphs: bool = False) -> list[Line]:
    """The file's non-empty lines, cleaned; hyphenation at line ends undone unless
    ``paragraphs`` (Word text has no layout line breaks)."""
    lines: list[Line] = []
    blank = False
    for raw in normalise(text).split("\n"):
        value = _SPACES.sub(" ", raw).strip()
        if not value:
            blank = True
            continue
        if _PAGE_LINE.match(value):
            continue
        lines.append(Line(value, blank))
        blank = False
    if paragraphs:
        return lines
    joined: list[Line] = []
    for line in lines:
        if joined and _HYPHEN_END.search(joined[-1].text):
            first, _, rest = line.text.partition(" ")
            if line.text[:1].islower() and first not in _CONNECTORS:
                # Move the word's second half up; the lines keep their layout widths.
                joined[-1].text = joined[-1].text[:-1] + first
                if not rest:
                    continue
                line = Line(rest, False)
        joined.append(line)
    return joined


def double_spaced(lines: list[Line]) -> bool:
    """True when blank lines follow nearly every line (an extraction artefact)."""
    if len(lines) < 6:
        return False
    return sum(1 for line in lines if line.blank_before) > 0.6 * len(lines)


def line_width(lines: list[Line]) -> int:
    """The usual length of a full line of the page (90th percentile)."""
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 20)
    if not lengths:
        return 80
    return lengths[int(len(lengths) * 0.9) - 1 if len(lengths) > 1 else 0]
