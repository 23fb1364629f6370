"""The mail text the secretariat needs: quoted earlier mails and the signature trimmed,
greeting and the numbered questions split out.

Questions are recognised as "1.", "1)", "1:", "Spørgsmål 1" / "Spm. 1" (numbered from 1
and in order, so a date like "2. juni" at the start of a line is not taken for a
question), or, when there are no numbers, a bullet list of two or more items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Where an earlier mail starts (Outlook in Danish and English, Gmail, Apple Mail).
_QUOTE_HEADERS = [
    re.compile(r"^-{2,}\s*(Original Message|Oprindelig meddelelse|Videresendt meddelelse|"
               r"Forwarded message)\s*-{2,}", re.IGNORECASE),
    re.compile(r"^(Den|On)\s.{5,200}\s(skrev|wrote)\b.*:\s*$", re.IGNORECASE),
    re.compile(r"^_{10,}\s*$"),
]  # fmt: skip
_HEADER_BLOCK = re.compile(r"^\*?(Fra|From)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\*?(Sendt|Sent|Dato|Date|Til|To)\s*:", re.IGNORECASE)
_CLOSINGS = re.compile(
    r"^(med\s+)?(venlig(e)?|venlige|bedste|mange|de\s+bedste|kærlig)\s+hilsen(er)?\b|"
    r"^mvh\.?\b|^vh\.?$|^kh\.?$|^hilsen\b|^på forhånd tak\b|^tak på forhånd\b|"
    r"^(best|kind)\s+regards\b|^regards\b",
    re.IGNORECASE,
)
_DEVICE_LINES = re.compile(r"^(sendt fra min|sent from my|hent outlook til)\b", re.IGNORECASE)
_GREETING = re.compile(
    r"^(kære|hej|hejsa|goddag|god dag|dear|hello|hi)\b[^\n]{0,60}$", re.IGNORECASE
)

_NUMBERED = re.compile(r"^\s{0,6}(?:\(?(\d{1,2})[.):]|(\d{1,2})\s*[-–]\s)\s*(.*)$")
_SPM = re.compile(
    r"^\s{0,6}\*?(?:spørgsmål|spm\.?)\s*(?:nr\.?\s*)?(\d{1,2})\s*[.:)\-–]?\*?\s*(.*)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s{0,6}[-•*–·▪o]\s+(.+)$")


@dataclass
class SplitBody:
    """A mail body taken apart: preamble, questions, what follows."""

    questions: list[str] = field(default_factory=list)
    preamble: str = ""
    trailer: str = ""
    style: str = "none"  # "numbered", "spm", "bullets" or "none"


def trim_body(text: str) -> str:
    """The author's own text: quoted earlier mails, signature and device lines removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if any(p.match(stripped) for p in _QUOTE_HEADERS):
            cut = index
            break
        if _HEADER_BLOCK.match(stripped) and any(
            _HEADER_NEXT.match(following.strip()) for following in lines[index + 1 : index + 4]
        ):
            cut = index
            break
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    # The signature: from the standard "-- " delimiter, or from the last closing
    # ("Med venlig hilsen") when only a short block follows it.
    for index, line in enumerate(kept):
        if line.rstrip() == "--" or line == "-- ":
            kept = kept[:index]
            break
    for index in range(len(kept) - 1, -1, -1):
        if _CLOSINGS.match(kept[index].strip()):
            if len([x for x in kept[index + 1 :] if x.strip()]) <= 12:
                kept = kept[:index]
            break
    kept = [line for line in kept if not _DEVICE_LINES.match(line.strip())]
    return _tidy("\n".join(kept))


def _tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def drop_greeting(text: str) -> str:
    """Without a first line like "Kære sekretariat," or "Hej"."""
    lines = text.split("\n")
    if lines and _GREETING.match(lines[0].strip()):
        return _tidy("\n".join(lines[1:]))
    return text


def _markers(lines: list[str]) -> tuple[str, list[tuple[int, str]]]:
    """(style, [(line index, text after the marker)]) of the best question list."""
    spm = [(i, m) for i, line in enumerate(lines) if (m := _SPM.match(line))]
    if len(spm) >= 1 and _in_sequence([int(m[1]) for _, m in spm]):
        return "spm", [(i, m[2]) for i, m in spm]
    numbered: list[tuple[int, re.Match[str]]] = []
    expected = 1
    for index, line in enumerate(lines):
        match = _NUMBERED.match(line)
        if match and int(match[1] or match[2]) == expected and (match[3] or "").strip():
            numbered.append((index, match))
            expected += 1
    if numbered:
        return "numbered", [(i, m[3]) for i, m in numbered]
    bullets = [(i, m[1]) for i, line in enumerate(lines) if (m := _BULLET.match(line))]
    if len(bullets) >= 2:
        return "bullets", bullets
    return "none", []


def _in_sequence(numbers: list[int]) -> bool:
    return numbers == list(range(1, len(numbers) + 1))


def split_questions(text: str) -> SplitBody:
    """Split a (trimmed) body into preamble, questions and the text after them."""
    body = drop_greeting(text)
    lines = body.split("\n")
    style, found = _markers(lines)
    if not found:
        return SplitBody(questions=[body] if body else [], style="none")
    questions: list[str] = []
    trailer_start = len(lines)
    for position, (index, first) in enumerate(found):
        last = position == len(found) - 1
        end = found[position + 1][0] if not last else len(lines)
        chunk = [first.strip()] if first.strip() else []
        paragraphs_left = 1 if not first.strip() else 0
        for offset in range(index + 1, end):
            line = lines[offset]
            if not line.strip():
                if style == "bullets" and not last:
                    break
                if last:
                    if paragraphs_left and not chunk:
                        continue
                    if paragraphs_left and chunk:
                        paragraphs_left = 0
                    # The list ends at a blank line after the last item.
                    trailer_start = offset
                    break
                chunk.append("")
                continue
            if style == "bullets" and last and not line.startswith((" ", "\t")) and chunk:
                trailer_start = offset
                break
            chunk.append(line.strip())
        questions.append(join_wrapped(chunk))
    preamble = _tidy("\n".join(lines[: found[0][0]]))
    trailer = _tidy("\n".join(lines[trailer_start:])) if trailer_start < len(lines) else ""
    return SplitBody(
        questions=[q for q in questions if q], preamble=preamble, trailer=trailer, style=style
    )


def join_wrapped(lines: list[str]) -> str:
    """Join hard-wrapped lines into paragraphs; keep blank lines between paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in (raw.strip() for raw in lines):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join(" ".join(p) for p in paragraphs if p).strip()


_SUBJECT_PREFIX = re.compile(r"^\s*((sv|re|vs|fw|fwd|videresend|aw)\s*:\s*)+", re.IGNORECASE)


def clean_subject(subject: str) -> str:
    """The subject without "Sv:", "VS:", "Re:", "Fwd:" prefixes and extra spaces."""
    return " ".join(_SUBJECT_PREFIX.sub("", subject).split())
