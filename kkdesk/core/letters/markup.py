"""The small markup of answer and question text, rendered the same in Word and PDF.

* A blank line separates paragraphs; a single line break is kept as a line break.
* ``# Overskrift`` on a line of its own is a sub-heading.
* Lines starting with ``- ``, ``* ``, ``• `` or ``– `` are bullet points.
* Lines starting with ``1) ``, ``2) ``… are a numbered list; it starts at the first number.
* A line that starts with a space or tab right after a list item continues that item.
* A backslash at the start of a line (``\\- ikke et punkt``) makes the line plain text.

Everything else is plain text, kept exactly as typed (no inline formatting).
Documented for users in docs/letters.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from kkdesk.core.letters.model import Block, ListBlock, Para, Run

BULLET_RE = re.compile(r"^[-*•–] +(?=\S)")
NUMBER_RE = re.compile(r"^(\d{1,4})\) +(?=\S)")
HEADING_RE = re.compile(r"^# +(?=\S)")
ESCAPABLE = ("\\#", "\\-", "\\*", "\\•", "\\–", *(f"\\{d}" for d in "0123456789"))
# Characters XML (and so Word) cannot hold: C0 controls but tab, line feed and carriage
# return; surrogates; U+FFFE and U+FFFF.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Line breaks as ``\\n``, without characters a Word document cannot hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVALID_XML.sub("", text)


@dataclass
class _Item:
    kind: Literal["bullet", "number"]
    number: int
    lines: list[str] = field(default_factory=list)


def _classify(line: str) -> tuple[str, int, str]:
    """(kind, number, text) of one line: heading, bullet, number, escaped or text."""
    if line.startswith(ESCAPABLE):
        return "text", 0, line[1:]
    if m := HEADING_RE.match(line):
        return "heading", 0, line[m.end() :].rstrip()
    if m := BULLET_RE.match(line):
        return "bullet", 0, line[m.end() :]
    if m := NUMBER_RE.match(line):
        return "number", int(m[1]), line[m.end() :]
    return "text", 0, line


def _chunks(text: str) -> list[list[str]]:
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in clean_text(text).split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def _lists(items: list[_Item], style: str) -> list[ListBlock]:
    """Lists of one kind; a numbered list is split where its numbers skip, so the
    automatic numbering of Word and the PDF shows exactly the numbers typed."""
    blocks: list[ListBlock] = []
    group: list[_Item] = []

    def flush() -> None:
        if group:
            kind = group[0].kind
            runs = tuple((Run("\n".join(i.lines)),) for i in group)
            blocks.append(ListBlock(kind, runs, start=group[0].number or 1, style=style))
            group.clear()

    for item in items:
        if group and (
            item.kind != group[0].kind
            or (item.kind == "number" and item.number != group[-1].number + 1)
        ):
            flush()
        group.append(item)
    flush()
    return blocks


def _parse_chunk(chunk: list[str], style: str, list_style: str) -> list[Block]:
    """The blocks of one run of non-blank lines."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[_Item] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(Para(style, (Run("\n".join(paragraph)),)))
            paragraph.clear()

    def end_list() -> None:
        if items:
            blocks.extend(_lists(items, list_style))
            items.clear()

    for line in chunk:
        if items and line[:1] in (" ", "\t"):
            items[-1].lines.append(line.strip())
            continue
        kind, number, content = _classify(line)
        if kind == "heading":
            end_paragraph()
            end_list()
            blocks.append(Para("subheading", (Run(content),), keep_with_next=True))
        elif kind in ("bullet", "number"):
            end_paragraph()
            items.append(_Item("bullet" if kind == "bullet" else "number", number, [content]))
        else:
            end_list()
            paragraph.append(content)
    end_paragraph()
    end_list()
    return blocks


def parse(text: str, *, style: str = "body", list_style: str = "list") -> list[Block]:
    """The blocks of a text in the markup above; paragraphs get ``style``."""
    blocks: list[Block] = []
    for chunk in _chunks(text):
        blocks.extend(_parse_chunk(chunk, style, list_style))
    return _merge_lists(blocks)


def _merge_lists(blocks: list[Block]) -> list[Block]:
    """Join lists split only by a blank line (``1) a`` / blank / ``2) b``)."""
    merged: list[Block] = []
    for block in blocks:
        previous = merged[-1] if merged else None
        if (
            isinstance(block, ListBlock)
            and isinstance(previous, ListBlock)
            and previous.kind == block.kind
            and previous.style == block.style
            and (block.kind == "bullet" or block.start == previous.start + len(previous.items))
        ):
            merged[-1] = ListBlock(
                previous.kind, previous.items + block.items, previous.start, previous.style
            )
        else:
            merged.append(block)
    return merged


def plain_text(blocks: list[Block]) -> str:
    """The blocks as plain text again (numbers and bullets spelt out); used by tests and
    by the preview of templates."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.append(block.text)
        else:
            for offset, item in enumerate(block.items):
                mark = "•" if block.kind == "bullet" else f"{block.start + offset})"
                lines.append(f"{mark} " + "".join(r.text for r in item))
    return "\n".join(lines)
