"""The PDF renderer: a ``Letter`` through reportlab Platypus to PDF bytes.

Fonts are embedded (``fonts``), Danish words are hyphenated (pyphen's da_DK patterns),
widows and orphans are not allowed, and the text is drawn in reading order: letterhead,
body, then the footer of each page. Sizes come from ``styles``, as in the Word renderer.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from functools import cache, partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from kkdesk.core.letters import fonts
from kkdesk.core.letters import styles as S
from kkdesk.core.letters.model import Letter, ListBlock, Para, Run

WATERMARK_SIZE = 110
LOGO_PIXELS = 180
# A PDF is binary anyway; ASCII85 only makes it bigger and slower to write.
rl_config.useA85 = 0


@cache
def _hyphenator() -> Callable[[str], Any] | None:
    try:
        import pyphen
    except ImportError:  # pragma: no cover - pyphen is a dependency; degrade gracefully
        return None
    return pyphen.Pyphen(lang="da_DK").iterate


def _color(hex_value: str | None) -> colors.Color:
    return colors.HexColor("#" + hex_value) if hex_value else colors.black


@cache
def _style(key: str, *, space_after: float | None = None) -> ParagraphStyle:
    spec = S.STYLES[key]
    name = fonts.font_name(bold=spec.bold, italic=spec.italic)
    style = ParagraphStyle(
        f"{key}-{space_after}",
        fontName=name,
        fontSize=spec.size,
        leading=spec.leading,
        spaceBefore=spec.space_before,
        spaceAfter=spec.space_after if space_after is None else space_after,
        leftIndent=spec.left_indent,
        textColor=_color(spec.color),
        allowWidows=0,
        allowOrphans=0,
        keepWithNext=int(spec.keep_with_next),
        bulletFontName=name,
        bulletFontSize=spec.size,
        bulletIndent=0,
        splitLongWords=1,
        embeddedHyphenation=1 if spec.hyphenate else 0,
        hyphenationLang=_hyphenator() if spec.hyphenate else "",
    )
    return style


@cache
def _list_style(key: str, last: bool) -> ParagraphStyle:
    """A list item: the bullet or number hangs ``LIST_INDENT`` left of the text."""
    spec = S.STYLES[key]
    after = max(S.LIST_END_SPACE, spec.space_after) if last else spec.space_after
    indent = max(spec.left_indent, S.LIST_INDENT)
    return ParagraphStyle(
        f"{key}-item-{after}",
        parent=_style(key, space_after=after),
        leftIndent=indent,
        bulletIndent=indent - S.LIST_INDENT,
    )


@cache
def _hanging_style(key: str) -> ParagraphStyle:
    """A paragraph with a hanging label ("1." in front of a question)."""
    spec = S.STYLES[key]
    indent = max(spec.left_indent, S.LIST_INDENT)
    return ParagraphStyle(
        f"{key}-hanging", parent=_style(key), leftIndent=indent, bulletIndent=indent - S.LIST_INDENT
    )


def _markup(runs: Iterable[Run], main: frozenset[int], fallback: frozenset[int]) -> str:
    """reportlab's paragraph markup for runs: escaped, line breaks, bold/italic, and the
    fallback font around characters the main font lacks."""
    out: list[str] = []
    for run in runs:
        pieces: list[str] = []
        for line_index, line in enumerate(run.text.split("\n")):
            if line_index:
                pieces.append("<br/>")
            if all(ord(c) in main or c == "\t" for c in line):
                pieces.append(escape(line))
                continue
            for char in line:
                if ord(char) in main or char == "\t" or ord(char) not in fallback:
                    pieces.append(escape(char))
                else:
                    pieces.append(f'<font name="{fonts.FALLBACK}">{escape(char)}</font>')
        text = "".join(pieces)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        out.append(text)
    return "".join(out)


@cache
def _logo_reader(digest: str, data: bytes) -> ImageReader:
    """The logo as a JPEG on white, made once per logo: reportlab copies a JPEG into the
    PDF as it is, while a PNG is decoded and compressed again for every letter."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        rgba = image.convert("RGBA")
    # 1.5 cm at about 300 dpi is plenty; a smaller image keeps every PDF small.
    rgba.thumbnail((LOGO_PIXELS * 4, LOGO_PIXELS))
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=92)
    out.seek(0)
    return ImageReader(out)


def _logo(data: bytes | None) -> ImageReader | None:
    if not data:
        return None
    return _logo_reader(hashlib.sha1(data).hexdigest(), data)


class _Story:
    def __init__(self) -> None:
        self.main, self.fallback = fonts.register()
        self.flowables: list[Flowable] = []

    def para(self, runs: Iterable[Run], style: ParagraphStyle, **kwargs: Any) -> Paragraph:
        return Paragraph(_markup(runs, self.main, self.fallback), style, **kwargs)


def _letterhead(story: _Story, letter: Letter) -> Table:
    head = letter.letterhead
    recipient = [story.para((Run(line),), _style("recipient")) for line in head.recipient]
    sender: list[Flowable] = []
    for index, line in enumerate(head.sender):
        sender.append(story.para((Run(line, bold=index == 0),), _style("sender")))
    detail_style = _style("sender")
    gap = ParagraphStyle("sender-gap", parent=detail_style, spaceBefore=detail_style.leading)
    for index, line in enumerate(head.details):
        sender.append(story.para((Run(line),), gap if index == 0 and sender else detail_style))
    table = Table(
        [[recipient or "", sender or ""]],
        colWidths=[S.RECIPIENT_COLUMN, S.SENDER_COLUMN],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # Cells set a font even when they hold paragraphs: not Helvetica.
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    return table


def _body(story: _Story, letter: Letter) -> None:
    for block in letter.body:
        if isinstance(block, Para):
            style = _hanging_style(block.style) if block.label else _style(block.style)
            kwargs = {"bulletText": block.label} if block.label else {}
            flowable = story.para(block.runs, style, **kwargs)
            if block.keep_with_next:
                flowable.keepWithNext = 1
            story.flowables.append(flowable)
        elif isinstance(block, ListBlock):
            count = len(block.items)
            for offset, item in enumerate(block.items):
                mark = "•" if block.kind == "bullet" else f"{block.start + offset})"
                style = _list_style(block.style, offset == count - 1)
                story.flowables.append(story.para(item, style, bulletText=mark))


def _draw_watermark(canvas: Canvas, letter: Letter) -> None:
    canvas.saveState()
    canvas.setFont(fonts.BOLD, WATERMARK_SIZE)
    canvas.setFillColor(colors.HexColor("#" + S.DRAFT_RED), alpha=0.12)
    canvas.translate(S.PAGE_WIDTH / 2, S.PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -WATERMARK_SIZE / 3, letter.draft_label)
    canvas.restoreState()


def _first_page(canvas: Canvas, _doc: Any, *, letter: Letter) -> None:
    if letter.draft:
        _draw_watermark(canvas, letter)
    head = letter.letterhead
    right = S.PAGE_WIDTH - S.RIGHT_MARGIN
    top = S.PAGE_HEIGHT - S.HEADER_DISTANCE
    logo = _logo(head.logo)
    bottom = top
    if logo is not None:
        width, height = logo.getSize()
        draw_width = S.LOGO_HEIGHT * width / height
        bottom = top - S.LOGO_HEIGHT
        canvas.drawImage(logo, right - draw_width, bottom, draw_width, S.LOGO_HEIGHT)
    if head.organisation:
        spec = S.STYLES["organisation"]
        canvas.setFont(fonts.font_name(bold=spec.bold), spec.size)
        canvas.drawRightString(right, bottom - spec.leading, head.organisation)


def _later_page(canvas: Canvas, _doc: Any, *, letter: Letter) -> None:
    if letter.draft:
        _draw_watermark(canvas, letter)
    spec = S.STYLES["page_header"]
    text = letter.following_header.render(0, 0)
    if text:
        canvas.saveState()
        canvas.setFont(fonts.REGULAR, spec.size)
        canvas.setFillColor(_color(spec.color))
        canvas.drawRightString(
            S.PAGE_WIDTH - S.RIGHT_MARGIN, S.PAGE_HEIGHT - S.HEADER_DISTANCE - spec.size, text
        )
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Draws the footer ("Side 1 af 2") once the number of pages is known."""

    def __init__(self, *args: Any, letter: Letter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._letter = letter
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, page: int, pages: int) -> None:
        spec = S.STYLES["page_footer"]
        y = S.FOOTER_DISTANCE + 2
        self.saveState()
        if self._letter.draft:
            self.setFont(fonts.BOLD, spec.size)
            self.setFillColor(colors.HexColor("#" + S.DRAFT_RED))
            self.drawString(S.LEFT_MARGIN, y, f"{self._letter.draft_label} – ikke godkendt")
        self.setFont(fonts.REGULAR, spec.size)
        self.setFillColor(_color(spec.color))
        self.drawRightString(
            S.PAGE_WIDTH - S.RIGHT_MARGIN, y, self._letter.footer.render(page, pages)
        )
        self.restoreState()


def render_pdf(letter: Letter) -> bytes:
    """The letter as a PDF (A4, embedded fonts, metadata, "Side X af Y")."""
    story = _Story()
    story.flowables.append(NextPageTemplate("later"))
    story.flowables.append(_letterhead(story, letter))
    story.flowables.append(Spacer(1, S.LETTERHEAD_SPACE_AFTER))
    _body(story, letter)
    out = io.BytesIO()
    frame_args = {
        "leftPadding": 0,
        "rightPadding": 0,
        "topPadding": 0,
        "bottomPadding": 0,
    }
    frame = (S.LEFT_MARGIN, S.BOTTOM_MARGIN, S.BODY_WIDTH, S.BODY_HEIGHT)
    doc = BaseDocTemplate(
        out,
        pagesize=(S.PAGE_WIDTH, S.PAGE_HEIGHT),
        leftMargin=S.LEFT_MARGIN,
        rightMargin=S.RIGHT_MARGIN,
        topMargin=S.TOP_MARGIN,
        bottomMargin=S.BOTTOM_MARGIN,
        title=letter.info.title,
        author=letter.info.author,
        subject=letter.info.subject,
        keywords=letter.info.keywords,
        creator="kkdesk",
        lang=letter.info.language,
        displayDocTitle=1,
        # The canvas's initial font is ours, so no unembedded Helvetica lands in the PDF.
        initialFontName=fonts.REGULAR,
        pageTemplates=[
            PageTemplate(
                "first",
                [Frame(*frame, id="first", **frame_args)],
                onPage=partial(_first_page, letter=letter),
            ),
            PageTemplate(
                "later",
                [Frame(*frame, id="later", **frame_args)],
                onPage=partial(_later_page, letter=letter),
            ),
        ],
    )
    doc.build(story.flowables, canvasmaker=partial(_NumberedCanvas, letter=letter))
    return out.getvalue()
