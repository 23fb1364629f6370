"""The overview as a one-page A4 PDF (reportlab): key figures, the table per
administration, and the two charts (answered per month, share on time per month)."""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kkdesk.core import paths
from kkdesk.core.dashboard import Dashboard, format_days, format_pct
from kkdesk.core.dates import MONTHS, long_date, weekday_date
from kkdesk.core.errors import KnownError

FONT_CANDIDATES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
)
FONT_DIRS = (
    "resources/fonts",
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/liberation",
    "C:/Windows/Fonts",
)
BLUE = colors.HexColor("#2b5797")
GREEN = colors.HexColor("#2e7d32")


def _fonts() -> tuple[str, str]:
    """A TrueType font with every Danish character (and more), else Helvetica."""
    registered = pdfmetrics.getRegisteredFontNames()
    if "kkdesk-sans" in registered:
        return "kkdesk-sans", "kkdesk-sans-bold"
    for regular, bold in FONT_CANDIDATES:
        for folder in FONT_DIRS:
            base = paths.resources_dir() / "fonts" if folder == "resources/fonts" else Path(folder)
            if (base / regular).exists() and (base / bold).exists():
                pdfmetrics.registerFont(TTFont("kkdesk-sans", str(base / regular)))
                pdfmetrics.registerFont(TTFont("kkdesk-sans-bold", str(base / bold)))
                return "kkdesk-sans", "kkdesk-sans-bold"
    return "Helvetica", "Helvetica-Bold"


def _month_label(index: int, year: int, show_year: bool) -> str:
    text = MONTHS[index][:3]
    return f"{text} {year % 100:02d}" if show_year else text


def _charts(board: Dashboard, font: str) -> Drawing:
    width, height = 170 * mm, 62 * mm
    drawing = Drawing(width, height)
    labels = [
        _month_label(m.month.month - 1, m.month.year, i == 0 or m.month.month == 1)
        for i, m in enumerate(board.months)
    ]
    half = width / 2 - 8 * mm
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 10 * mm, 10 * mm, half - 12 * mm, height - 22 * mm
    bars.data = [[m.answered for m in board.months]]
    bars.bars[0].fillColor = BLUE
    bars.bars[0].strokeColor = None
    bars.valueAxis.valueMin = 0
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = 7
    bars.categoryAxis.categoryNames = labels
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 6
    bars.categoryAxis.labels.angle = 45
    bars.categoryAxis.labels.boxAnchor = "ne"
    drawing.add(bars)
    drawing.add(String(10 * mm, height - 6 * mm, "Besvarede pr. måned", fontName=font, fontSize=9))

    line = HorizontalLineChart()
    line.x, line.y = width / 2 + 10 * mm, 10 * mm
    line.width, line.height = half - 12 * mm, height - 22 * mm
    # Months without judged answers have no point (reportlab skips None).
    line.data = [[m.on_time_pct for m in board.months]]
    line.lines[0].strokeColor = GREEN
    line.lines[0].strokeWidth = 1.5
    line.valueAxis.valueMin = 0
    line.valueAxis.valueMax = 100
    line.valueAxis.valueStep = 25
    line.valueAxis.labels.fontName = font
    line.valueAxis.labels.fontSize = 7
    line.valueAxis.labelTextFormat = "%d %%"
    line.categoryAxis.categoryNames = labels
    line.categoryAxis.labels.fontName = font
    line.categoryAxis.labels.fontSize = 6
    line.categoryAxis.labels.angle = 45
    line.categoryAxis.labels.boxAnchor = "ne"
    drawing.add(line)
    drawing.add(
        String(width / 2 + 10 * mm, height - 6 * mm, "Andel besvaret til tiden pr. måned",
               fontName=font, fontSize=9)
    )  # fmt: skip
    return drawing


def write_pdf(board: Dashboard, target: Path) -> None:
    """Write the overview to ``target``."""
    font, bold = _fonts()
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=2 * mm)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=12, textColor=colors.grey)
    heading = ParagraphStyle("h", fontName=bold, fontSize=11, leading=14, spaceBefore=5 * mm)
    story: list[object] = [
        Paragraph("Overblik over frister og besvarelser", title),
        Paragraph(
            f"Opgjort {weekday_date(board.today)}. Besvarelser: {long_date(board.period_from)}"
            f" – {long_date(board.today)} (12 måneder).",
            small,
        ),
        Spacer(1, 4 * mm),
    ]
    key = [
        ["Åbne", "Overskredne", "Frist denne uge", "Til godkendelse", "Besvaret",
         "Til tiden", "Median arbejdsdage"],
        [str(board.open), str(board.overdue), str(board.due_this_week),
         str(board.awaiting_approval), str(board.answered), format_pct(board.on_time_pct),
         format_days(board.median_days)],
    ]  # fmt: skip
    table = Table(key, colWidths=[24 * mm] * 7)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), font, 8),
                ("FONT", (0, 1), (-1, 1), bold, 15),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.grey),
                ("TEXTCOLOR", (1, 1), (1, 1), colors.HexColor("#b00000")),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 1), (-1, 1), 4),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.lightgrey),
            ]
        )
    )
    story += [table, Paragraph("Pr. forvaltning", heading)]
    rows: list[list[object]] = [
        ["Forvaltning", "Åbne", "Overskredne", "Frist denne uge", "Til godkendelse",
         "Besvaret", "Median arb.dage", "Til tiden"]
    ]  # fmt: skip
    for a in board.administrations:
        rows.append(
            [f"{a.code} – {a.name}", a.open, a.overdue, a.due_this_week, a.awaiting_approval,
             a.answered, format_days(a.median_days), format_pct(a.on_time_pct)]
        )  # fmt: skip
    admins = Table(rows, colWidths=[58 * mm] + [16 * mm] * 7, repeatRows=1)
    admins.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), bold, 7),
                ("FONT", (0, 1), (-1, -1), font, 7),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
            ]
        )
    )
    story += [admins, Paragraph("Udvikling", heading), _charts(board, font)]
    try:
        document = SimpleDocTemplate(
            str(target),
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
            title="Overblik over frister og besvarelser",
            author="kkdesk",
        )
        document.build(story)
    except OSError as exc:
        raise KnownError(
            f"Filen '{target}' kan ikke gemmes: {exc.strerror or exc}.",
            detail="Er filen åben i et andet program? Luk den, eller vælg et andet navn.",
        ) from exc
