"""The Word renderer: a ``Letter`` through python-docx to .docx bytes.

Named paragraph styles (``styles.STYLES``, Danish names a director can restyle), real
numbered and bulleted lists (numbering definitions), a different first-page header with
the logo, "Side X af Y" as fields, and the same sizes as the PDF. A draft carries a
watermark and "UDKAST – ikke godkendt" in the footer.

A stripped base document (few styles, no thumbnail) is built once per process and
reopened for every letter: the default template's 440 KB of styles would otherwise cost
more than the letter itself.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION_START
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from kkdesk.core.letters import styles as S
from kkdesk.core.letters.model import Letter, PageField, PageText, Para, Run

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
BULLET_ABSTRACT = 1
NUMBER_ABSTRACT = 2


def _tw(points: float) -> str:
    """Points as twentieths of a point (twips), Word's unit for spacing and indents."""
    return str(round(points * 20))


def style_id(key: str) -> str:
    """The Word style id of a style key (``body`` → ``BrevBody``)."""
    return "Brev" + "".join(part.capitalize() for part in key.split("_"))


def _rpr_xml(spec: S.ParaStyle) -> str:
    parts = []
    if spec.bold:
        parts.append("<w:b/><w:bCs/>")
    if spec.italic:
        parts.append("<w:i/><w:iCs/>")
    if spec.color:
        parts.append(f'<w:color w:val="{spec.color}"/>')
    half = round(spec.size * 2)
    parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def _ppr_xml(spec: S.ParaStyle) -> str:
    parts = []
    if spec.keep_with_next:
        parts.append("<w:keepNext/>")
    parts.append("<w:widowControl/>")
    if not spec.hyphenate:
        parts.append("<w:suppressAutoHyphens/>")
    parts.append(
        f'<w:spacing w:before="{_tw(spec.space_before)}" w:after="{_tw(spec.space_after)}" '
        f'w:line="{_tw(spec.leading)}" w:lineRule="exact"/>'
    )
    if spec.left_indent:
        parts.append(f'<w:ind w:left="{_tw(spec.left_indent)}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def _style_xml(spec: S.ParaStyle) -> str:
    return (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" '
        f'w:styleId="{style_id(spec.key)}"><w:name w:val="{spec.word_name}"/>'
        '<w:basedOn w:val="Normal"/><w:qFormat/>'
        f"{_ppr_xml(spec)}{_rpr_xml(spec)}</w:style>"
    )


def _abstract_xml(abstract_id: int, kind: str) -> str:
    if kind == "bullet":
        fmt, text, fonts = (
            "bullet",
            "•",
            f'<w:rPr><w:rFonts w:ascii="{S.WORD_FONT}" w:hAnsi="{S.WORD_FONT}"/></w:rPr>',
        )
    else:
        fmt, text, fonts = "decimal", "%1)", ""
    indent = _tw(S.LIST_INDENT)
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
        f'<w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>{fonts}</w:lvl></w:abstractNum>'
    )


def _doc_defaults_xml() -> str:
    body = S.STYLES["body"]
    font = S.WORD_FONT
    return (
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
        f'<w:sz w:val="{round(body.size * 2)}"/><w:szCs w:val="{round(body.size * 2)}"/>'
        '<w:lang w:val="da-DK" w:eastAsia="en-US" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f'<w:spacing w:after="{_tw(body.space_after)}" w:line="{_tw(body.leading)}" '
        'w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )


def _strip_package(doc: DocumentObject) -> None:
    """Drop what a letter does not need: parts (effects, custom XML, thumbnail) and the
    default template's ~160 styles."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("stylesWithEffects", "customXml", "webSettings")):
            del doc.part.rels[rel_id]
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("thumbnail"):
            del package_rels[rel_id]
    styles = doc.styles.element
    for child in list(styles):
        if (
            child.tag == qn("w:latentStyles")
            or child.tag == qn("w:docDefaults")
            or (child.tag == qn("w:style") and child.get(qn("w:styleId")) not in KEEP_STYLES)
        ):
            styles.remove(child)
    styles.insert(0, parse_xml(_doc_defaults_xml()))
    for spec in S.STYLES.values():
        styles.append(parse_xml(_style_xml(spec)))
    # Normal looks like the body text, so text a director adds looks right.
    normal = styles.find(f"{{{W}}}style[@{{{W}}}styleId='Normal']")
    if normal is not None:
        body = S.STYLES["body"]
        normal.append(parse_xml(_ppr_xml(body).replace("<w:pPr>", f"<w:pPr {nsdecls('w')}>")))
        normal.append(parse_xml(_rpr_xml(body).replace("<w:rPr>", f"<w:rPr {nsdecls('w')}>")))


def _set_numbering(doc: DocumentObject) -> None:
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.append(parse_xml(_abstract_xml(BULLET_ABSTRACT, "bullet")))
    numbering.append(parse_xml(_abstract_xml(NUMBER_ABSTRACT, "number")))


def _set_settings(doc: DocumentObject) -> None:
    settings = doc.settings.element
    tab_stop = settings.find(qn("w:defaultTabStop"))
    hyphenation = parse_xml(f"<w:autoHyphenation {nsdecls('w')}/>")
    if tab_stop is not None:
        tab_stop.addnext(hyphenation)
    else:  # pragma: no cover - the default template has one
        settings.append(hyphenation)
    for name in ("w:proofState", "w:rsids"):
        for element in settings.findall(qn(name)):
            settings.remove(element)


def _set_page(doc: DocumentObject) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = Pt(S.PAGE_WIDTH)
    section.page_height = Pt(S.PAGE_HEIGHT)
    section.left_margin = Pt(S.LEFT_MARGIN)
    section.right_margin = Pt(S.RIGHT_MARGIN)
    section.top_margin = Pt(S.TOP_MARGIN)
    section.bottom_margin = Pt(S.BOTTOM_MARGIN)
    section.header_distance = Pt(S.HEADER_DISTANCE)
    section.footer_distance = Pt(S.FOOTER_DISTANCE)
    section.different_first_page_header_footer = True


@cache
def base_document() -> bytes:
    """The letter's empty document: styles, numbering, settings and page set up."""
    doc = Document()
    _strip_package(doc)
    _set_numbering(doc)
    _set_settings(doc)
    _set_page(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- building blocks -------------------------------------------------------------------


def _el(tag: str, parent: Any = None, **attrs: str) -> Any:
    element = (
        etree.SubElement(parent, qn(tag))
        if parent is not None
        else parse_xml(f"<{tag} {nsdecls('w')}/>")
    )
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    return element


def _add_text(run: Any, text: str) -> None:
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            _el("w:br", run)
        for tab_index, piece in enumerate(line.split("\t")):
            if tab_index:
                _el("w:tab", run)
            if piece:
                t = _el("w:t", run)
                t.text = piece
                if piece != piece.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _add_run(paragraph: Any, run: Run, *, color: str | None = None) -> None:
    r = _el("w:r", paragraph)
    if run.bold or run.italic or color:
        rpr = _el("w:rPr", r)
        if run.bold:
            _el("w:b", rpr)
            _el("w:bCs", rpr)
        if run.italic:
            _el("w:i", rpr)
            _el("w:iCs", rpr)
        if color:
            _el("w:color", rpr, val=color)
    _add_text(r, run.text)


def _paragraph(
    parent: Any,
    style: str,
    runs: tuple[Run, ...] = (),
    *,
    keep: bool = False,
    space_before: float | None = None,
    space_after: float | None = None,
    hanging: float = 0.0,
    num_id: int | None = None,
    align: str | None = None,
    tabs: tuple[tuple[str, float], ...] = (),
    line_auto: bool = False,
) -> Any:
    p = _el("w:p", parent)
    ppr = _el("w:pPr", p)
    _el("w:pStyle", ppr, val=style_id(style))
    if keep:
        _el("w:keepNext", ppr)
    if num_id is not None:
        numpr = _el("w:numPr", ppr)
        _el("w:ilvl", numpr, val="0")
        _el("w:numId", numpr, val=str(num_id))
    if tabs:
        tabs_el = _el("w:tabs", ppr)
        for kind, position in tabs:
            _el("w:tab", tabs_el, val=kind, pos=_tw(position))
    # Children of w:pPr in the order the schema demands (Word refuses other orders).
    if space_before is not None or space_after is not None or line_auto:
        spacing = _el("w:spacing", ppr)
        if space_before is not None:
            spacing.set(qn("w:before"), _tw(space_before))
        if space_after is not None:
            spacing.set(qn("w:after"), _tw(space_after))
        if line_auto:  # a picture needs its own height, not the style's exact line
            spacing.set(qn("w:line"), "240")
            spacing.set(qn("w:lineRule"), "auto")
    if hanging:
        spec = S.STYLES[style]
        indent = max(spec.left_indent, hanging)
        _el("w:ind", ppr, left=_tw(indent), hanging=_tw(hanging))
    if align:
        _el("w:jc", ppr, val=align)
    for run in runs:
        _add_run(p, run)
    return p


class _Numbering:
    """A fresh numbering instance per list, so each list starts at its own number."""

    def __init__(self, doc: DocumentObject) -> None:
        self.element = doc.part.numbering_part.element
        self.next_id = 1

    def new(self, kind: str, start: int) -> int:
        num_id = self.next_id
        self.next_id += 1
        abstract = BULLET_ABSTRACT if kind == "bullet" else NUMBER_ABSTRACT
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if kind == "number"
            else ""
        )
        self.element.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract}"/>{override}</w:num>'
            )
        )
        return num_id


def _letterhead(doc: DocumentObject, body: Any, letter: Letter) -> None:
    head = letter.letterhead
    widths = (S.RECIPIENT_COLUMN, S.SENDER_COLUMN)
    tbl = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblW w:w="{_tw(S.BODY_WIDTH)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths)
        + "</w:tblGrid><w:tr/></w:tbl>"
    )
    row = tbl.find(qn("w:tr"))
    cells = []
    for width in widths:
        tc = _el("w:tc", row)
        tcpr = _el("w:tcPr", tc)
        _el("w:tcW", tcpr, w=_tw(width), type="dxa")
        cells.append(tc)
    for line in head.recipient or ("",):
        _paragraph(cells[0], "recipient", (Run(line),))
    lines = 0
    for index, line in enumerate(head.sender):
        _paragraph(cells[1], "sender", (Run(line, bold=index == 0),))
        lines += 1
    for index, line in enumerate(head.details):
        gap = S.STYLES["sender"].leading if index == 0 and lines else None
        _paragraph(cells[1], "sender", (Run(line),), space_before=gap)
        lines += 1
    if not lines:
        _paragraph(cells[1], "sender")
    body.append(tbl)


def _page_text(paragraph: Any, text: PageText) -> None:
    for part in text.parts:
        if isinstance(part, PageField):
            field = _el(
                "w:fldSimple", paragraph, instr=" PAGE " if part is PageField.PAGE else " NUMPAGES "
            )
            r = _el("w:r", field)
            _el("w:t", r).text = "1"
        elif part:
            _add_run(paragraph, Run(part))


VML_NAMESPACES = (
    ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
WATERMARK = (
    '<w:r {ns}><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" '
    'adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype><v:shape id="KkdeskWatermark{n}" o:spid="_x0000_s{spid}" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:105pt;'
    "rotation:315;z-index:-251657216;mso-position-horizontal:center;"
    "mso-position-horizontal-relative:margin;mso-position-vertical:center;"
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#{color}" '
    'stroked="f"><v:fill opacity=".15"/><v:textpath style="font-family:&quot;{font}&quot;;'
    'font-size:1pt" string="{text}"/><w10:wrap anchorx="margin" anchory="margin"/>'
    "</v:shape></w:pict></w:r>"
)


def _watermark(paragraph: Any, text: str, number: int) -> None:
    xml = WATERMARK.format(
        ns=nsdecls("w") + VML_NAMESPACES,
        n=number,
        spid=2049 + number,
        color=S.DRAFT_RED,
        font=S.WORD_FONT,
        text=text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;"),
    )
    paragraph.append(parse_xml(xml))


def _headers_and_footers(doc: DocumentObject, letter: Letter) -> None:
    section = doc.sections[0]
    head = letter.letterhead
    first = section.first_page_header
    p = first.paragraphs[0]._p
    p.getparent().remove(p)
    logo_p = _paragraph(first._element, "page_header", align="right", keep=True, line_auto=True)
    if head.logo:
        run = first.add_paragraph().add_run()
        run.add_picture(io.BytesIO(head.logo), height=Pt(S.LOGO_HEIGHT))
        picture_p = run._r.getparent()
        logo_p.append(run._r)
        picture_p.getparent().remove(picture_p)
    if letter.draft:
        _watermark(logo_p, letter.draft_label, 1)
    if head.organisation:
        _paragraph(first._element, "organisation", (Run(head.organisation),), align="right")

    later = section.header
    p = later.paragraphs[0]._p
    p.getparent().remove(p)
    header_p = _paragraph(later._element, "page_header", align="right")
    if letter.draft:
        _watermark(header_p, letter.draft_label, 2)
    _page_text(header_p, letter.following_header)

    for footer in (section.first_page_footer, section.footer):
        p = footer.paragraphs[0]._p
        p.getparent().remove(p)
        footer_p = _paragraph(footer._element, "page_footer", tabs=(("right", S.BODY_WIDTH),))
        if letter.draft:
            _add_run(
                footer_p, Run(f"{letter.draft_label} – ikke godkendt", bold=True), color=S.DRAFT_RED
            )
        _add_run(footer_p, Run("\t"))
        _page_text(footer_p, letter.footer)


def _body(doc: DocumentObject, letter: Letter) -> None:
    body = doc.element.body
    section_properties = body.find(qn("w:sectPr"))
    container = etree.Element(qn("w:body"))
    _letterhead(doc, container, letter)
    numbering = _Numbering(doc)
    first = True
    for block in letter.body:
        before = None
        if first:
            # The gap under the letterhead table, as the PDF's spacer.
            spec = S.STYLES[block.style]
            before = S.LETTERHEAD_SPACE_AFTER + spec.space_before
            first = False
        if isinstance(block, Para):
            runs = block.runs
            if block.label:
                runs = (Run(block.label + "\t", bold=False), *runs)
            _paragraph(
                container,
                block.style,
                runs,
                keep=block.keep_with_next,
                space_before=before,
                hanging=S.LIST_INDENT if block.label else 0.0,
            )
        else:
            num_id = numbering.new(block.kind, block.start)
            spec = S.STYLES[block.style]
            last = len(block.items) - 1
            for index, item in enumerate(block.items):
                _paragraph(
                    container,
                    block.style,
                    item,
                    num_id=num_id,
                    space_before=before if index == 0 else None,
                    space_after=max(S.LIST_END_SPACE, spec.space_after) if index == last else None,
                )
    for child in list(container):
        section_properties.addprevious(child)


def render_docx(letter: Letter) -> bytes:
    """The letter as a Word document (.docx)."""
    doc = Document(io.BytesIO(base_document()))
    props = doc.core_properties
    props.title = letter.info.title
    props.author = letter.info.author
    props.subject = letter.info.subject
    props.keywords = letter.info.keywords
    props.language = letter.info.language
    props.content_status = "Udkast" if letter.draft else "Endelig"
    props.last_modified_by = "kkdesk"
    _headers_and_footers(doc, letter)
    _body(doc, letter)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
