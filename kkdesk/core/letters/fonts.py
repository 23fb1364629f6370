"""The fonts embedded in PDF letters (resources/fonts).

Liberation Sans has the metrics of Arial, the font the Word letters name, so both break
lines alike. DejaVu Sans fills in characters Liberation Sans lacks (arrows, rarer
scripts); a character in neither font is drawn as an empty box but kept in the text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kkdesk.core import paths

REGULAR = "KKLiberationSans"
BOLD = "KKLiberationSans-Bold"
ITALIC = "KKLiberationSans-Italic"
BOLD_ITALIC = "KKLiberationSans-BoldItalic"
FALLBACK = "KKDejaVuSans"
FALLBACK_BOLD = "KKDejaVuSans-Bold"

FILES = {
    REGULAR: "LiberationSans-Regular.ttf",
    BOLD: "LiberationSans-Bold.ttf",
    ITALIC: "LiberationSans-Italic.ttf",
    BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
    FALLBACK: "DejaVuSans.ttf",
    FALLBACK_BOLD: "DejaVuSans-Bold.ttf",
}


def font_dir() -> Path:
    return paths.resources_dir() / "fonts"


def font_name(*, bold: bool = False, italic: bool = False) -> str:
    """The registered name of the main font in that weight and slant."""
    if bold:
        return BOLD_ITALIC if italic else BOLD
    return ITALIC if italic else REGULAR


@cache
def register() -> tuple[frozenset[int], frozenset[int]]:
    """Register the fonts with reportlab once; returns the code points of the main font
    and of the fallback font."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {}
    for name, file in FILES.items():
        font = TTFont(name, str(font_dir() / file))
        pdfmetrics.registerFont(font)
        faces[name] = font
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(REGULAR, bold, italic, font_name(bold=bool(bold), italic=bool(italic)))
    addMapping(FALLBACK, 0, 0, FALLBACK)
    addMapping(FALLBACK, 1, 0, FALLBACK_BOLD)
    addMapping(FALLBACK, 0, 1, FALLBACK)
    addMapping(FALLBACK, 1, 1, FALLBACK_BOLD)
    main = frozenset(faces[REGULAR].face.charToGlyph)
    fallback = frozenset(faces[FALLBACK].face.charToGlyph)
    return main, fallback
