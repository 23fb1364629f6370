"""File names for exported letters, like the municipality publishes them:
``28.01.26 - svar til Signe Holm (I) om Nulemissionszone på Vesterbro.pdf``.

The pattern is a template text (``filnavn``); the result is made safe for Windows (no
``<>:"/\\|?*``, no control characters, no reserved device names, no trailing dot or
space) and short enough for Windows' path limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from kkdesk.core.letters.templates import fill

# Characters of the name without the extension; with a usual folder the whole path stays
# under Windows' 260-character limit.
MAX_NAME_CHARS = 120
# Most file systems allow 255 bytes per name; Danish letters take two in UTF-8.
MAX_NAME_BYTES = 240
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
_REPLACE = {":": " -", "/": "-", "\\": "-", "|": "-", '"': "'", "<": "", ">": "", "?": "", "*": ""}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
FALLBACK = "brev"


def _shorten(name: str) -> str:
    def too_long(text: str) -> bool:
        return len(text) > MAX_NAME_CHARS or len(text.encode("utf-8")) > MAX_NAME_BYTES

    if not too_long(name):
        return name
    cut = name
    while too_long(cut + "…"):
        head, _sep, _tail = cut.rpartition(" ")
        # Cut at a word boundary unless that would leave almost nothing.
        cut = head if len(head) > MAX_NAME_CHARS // 2 else cut[:-1]
    return cut.rstrip(" .-") + "…"


def safe_file_name(name: str, extension: str = "") -> str:
    """``name`` + ``extension`` as a file name that Windows, macOS and Linux accept."""
    text = unicodedata.normalize("NFC", name)
    text = _CONTROL.sub(" ", text)
    for bad, good in _REPLACE.items():
        text = text.replace(bad, good)
    text = _SPACES.sub(" ", text).strip(" .")
    text = _shorten(text).strip(" .")
    if not text:
        text = FALLBACK
    if text.split(".")[0].upper().strip() in RESERVED:
        text = "_" + text
    return text + extension


def letter_file_name(pattern: str, values: Mapping[str, str], extension: str) -> str:
    """The file name from the ``filnavn`` template for one letter."""
    return safe_file_name(fill(pattern, values), extension)


def unique_path(folder: Path, file_name: str) -> Path:
    """``folder/file_name``, or ``… (2).pdf``, ``… (3).pdf`` if that exists."""
    candidate = folder / file_name
    stem, suffix = candidate.stem, candidate.suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate
