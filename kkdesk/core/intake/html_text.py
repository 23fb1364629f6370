"""HTML mail bodies as plain text, with the standard library's ``html.parser``.

Keeps what a reader sees: paragraphs and line breaks, list items ("1. " in ordered
lists, "- " in others), quoted blocks marked with "> " so the quote trimmer finds them.
Skips styles, scripts and Outlook's conditional comments.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "table", "tr", "h1", "h2",
    "h3", "h4", "h5", "h6", "pre", "address", "hr",
}  # fmt: skip
SKIP_TAGS = {"style", "script", "head", "title", "xml"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.skip_depth = 0
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.quote_depth = 0
        self.pre_depth = 0

    # --- helpers ----------------------------------------------------------------
    def _newline(self, blank: bool = False) -> None:
        if self.lines[-1].strip():
            self.lines.append("")
        if blank and len(self.lines) > 1 and self.lines[-2].strip():
            self.lines.append("")

    def _write(self, text: str) -> None:
        if not self.lines[-1]:
            text = text.lstrip() if not self.pre_depth else text
            if not text:
                return
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text

    # --- parser callbacks ---------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            if not self.lines[-1]:
                self.lines[-1] = "> " * self.quote_depth
            self.lines.append("")
        elif tag in ("ol", "ul"):
            self._newline()
            self.lists.append([1 if tag == "ol" else 0, 0])
        elif tag == "li":
            self._newline()
            if self.lists:
                ordered, _ = self.lists[-1]
                self.lists[-1][1] += 1
                self._write(f"{self.lists[-1][1]}. " if ordered else "- ")
            else:
                self._write("- ")
        elif tag == "blockquote":
            self._newline()
            self.quote_depth += 1
        elif tag == "pre":
            self._newline()
            self.pre_depth += 1
        elif tag in BLOCK_TAGS:
            self._newline(blank=tag == "p")
        elif tag in ("td", "th") and self.lines[-1].strip():
            self._write("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("ol", "ul"):
            if self.lists:
                self.lists.pop()
            self._newline()
        elif tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
            self._newline()
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
            self._newline()
        elif tag in BLOCK_TAGS or tag == "li":
            self._newline(blank=tag == "p")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            parts = data.split("\n")
            for index, part in enumerate(parts):
                if index:
                    self.lines.append("")
                self._write(part)
            return
        text = re.sub(r"[ \t\r\n\f]+", " ", data.replace("\xa0", " "))
        if text.strip() or self.lines[-1]:
            self._write(text)


def html_to_text(html: str) -> str:
    """Plain text of an HTML mail body: one line per paragraph, lists marked."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = [line.rstrip() for line in collector.lines]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
