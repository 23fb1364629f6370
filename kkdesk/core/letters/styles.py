"""Page geometry and the named paragraph styles, defined once for both renderers.

Both renderers take every size from here (points), with exact line spacing, so Word and
the PDF break lines and pages alike. The PDF embeds Liberation Sans, which has the same
metrics as Arial, the font the Word file names.
"""

from __future__ import annotations

from dataclasses import dataclass

CM = 72 / 2.54

# A4, portrait.
PAGE_WIDTH = 595.2756
PAGE_HEIGHT = 841.8898
LEFT_MARGIN = 2.5 * CM
RIGHT_MARGIN = 2.5 * CM
# The first page's logo and organisation name sit inside the top margin, so the body
# starts at the same height on every page (Word would push it down otherwise).
TOP_MARGIN = 3.6 * CM
BOTTOM_MARGIN = 2.5 * CM
HEADER_DISTANCE = 1.0 * CM
FOOTER_DISTANCE = 1.2 * CM
BODY_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
BODY_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN

LOGO_HEIGHT = 1.5 * CM
# The letterhead table under the top margin: recipient left, sender block right.
SENDER_COLUMN = 5.6 * CM
RECIPIENT_COLUMN = BODY_WIDTH - SENDER_COLUMN

WORD_FONT = "Arial"
# Hanging indent of list items and numbered questions.
LIST_INDENT = 0.75 * CM

GREY = "595959"
DRAFT_RED = "C00000"


@dataclass(frozen=True)
class ParaStyle:
    """A named paragraph style. ``word_name`` is what a director sees in Word's style list."""

    key: str
    word_name: str
    size: float = 11.0
    leading: float = 15.0
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0
    space_after: float = 8.0
    left_indent: float = 0.0
    keep_with_next: bool = False
    color: str | None = None
    hyphenate: bool = True


STYLES: dict[str, ParaStyle] = {
    s.key: s
    for s in (
        ParaStyle("body", "Brødtekst"),
        ParaStyle(
            "title",
            "Brevtitel",
            size=14,
            leading=18,
            bold=True,
            space_after=12,
            keep_with_next=True,
            hyphenate=False,
        ),
        ParaStyle("salutation", "Starthilsen", space_before=0, space_after=8, hyphenate=False),
        ParaStyle(
            "heading",
            "Rubrik",
            bold=True,
            space_before=8,
            space_after=4,
            keep_with_next=True,
            hyphenate=False,
        ),
        ParaStyle(
            "subheading",
            "Mellemrubrik",
            bold=True,
            italic=True,
            space_before=4,
            space_after=2,
            keep_with_next=True,
            hyphenate=False,
        ),
        ParaStyle(
            "answer_label",
            "Svarrubrik",
            bold=True,
            space_after=4,
            keep_with_next=True,
            hyphenate=False,
        ),
        ParaStyle("question", "Spørgsmål", italic=True),
        ParaStyle("question_item", "Spørgsmålsliste", italic=True, left_indent=LIST_INDENT),
        ParaStyle("list", "Liste", space_after=3, left_indent=LIST_INDENT),
        ParaStyle(
            "closing",
            "Afslutning",
            space_before=12,
            space_after=30,
            keep_with_next=True,
            hyphenate=False,
        ),
        ParaStyle("signer", "Underskriver", space_after=0, keep_with_next=True, hyphenate=False),
        ParaStyle("signer_title", "Underskrivers titel", space_after=8, hyphenate=False),
        ParaStyle("appendix", "Bilagsliste", space_after=2, hyphenate=False),
        ParaStyle("sender", "Afsender", size=8.5, leading=11, space_after=0, hyphenate=False),
        ParaStyle("recipient", "Modtager", space_after=0, hyphenate=False),
        ParaStyle(
            "page_header",
            "Sidehoved",
            size=8,
            leading=10,
            space_after=0,
            color=GREY,
            hyphenate=False,
        ),
        ParaStyle(
            "page_footer", "Sidefod", size=8, leading=10, space_after=0, color=GREY, hyphenate=False
        ),
        ParaStyle(
            "organisation",
            "Kommunenavn",
            size=9,
            leading=11,
            bold=True,
            space_after=0,
            hyphenate=False,
        ),
    )
}
# Space after the last item of a list, and after the letterhead table.
LIST_END_SPACE = 8.0
LETTERHEAD_SPACE_AFTER = 28.0
