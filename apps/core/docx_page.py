"""The page every generated .docx is set on, as ГОСТ Р 7.0.97-2016 asks of an official document:
A4 (п. 6.1), margins 30 / 15 / 20 / 20 mm, Times New Roman (or the school's font) 12–14 pt for
the text and the headings alike (no Word «Heading» blue Calibri), pages numbered from the second
one, centred in the top margin. Pure: python-docx only.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from apps.core.fonts import FONT

A4 = (Mm(210), Mm(297))
MARGINS = {"left": Mm(30), "right": Mm(15), "top": Mm(20), "bottom": Mm(20)}
HEADING_STYLES = ("Title", "Subtitle", "Heading")
TEXT_WIDTH_TWIPS = 9355  # A4 210 mm less the ГОСТ margins 30 + 15 mm


def _fonts_of(style) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), style.font.name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def page_number_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice put the page's number there."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def gost_page(doc, *, font: str = FONT, size: int = 14) -> None:
    """Set every section of `doc` on the ГОСТ page and its styles in `font` / `size`."""
    normal = doc.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(size)
    _fonts_of(normal)
    for style in doc.styles:
        name = style.name or ""
        if not name.startswith(HEADING_STYLES) or not hasattr(style, "font"):
            continue
        style.font.name = font
        style.font.size = Pt(size + (2 if name in ("Title", "Heading 1") else 0))
        style.font.italic = False
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        _fonts_of(style)
        if hasattr(style, "paragraph_format"):  # «Heading 1 Char» is a character style
            style.paragraph_format.space_before = Pt(12)
            style.paragraph_format.space_after = Pt(6)
    for section in doc.sections:
        section.page_width, section.page_height = A4
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.header_distance = Mm(10)
        section.different_first_page_header_footer = True  # no number on the first page
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not header.text and "PAGE" not in header._p.xml:
            page_number_field(header)


def repeat_header(row) -> None:
    """The table's row repeats at the top of every page it runs onto («повторять заголовок»)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def full_width(table) -> None:
    """LibreOffice's HTML import fixes a table to its content's width and drops the borders of
    a bordered HTML table: stretch it over the text width, columns in proportion, single lines
    around every cell, the header row on every page."""
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [int(col.get(qn("w:w"))) for col in grid]
    total = sum(widths) or 1
    scaled = [width * TEXT_WIDTH_TWIPS // total for width in widths]
    for col, width in zip(grid, scaled, strict=True):
        col.set(qn("w:w"), str(width))
    properties = table._tbl.tblPr
    tbl_width = properties.find(qn("w:tblW"))
    if tbl_width is None:
        tbl_width = OxmlElement("w:tblW")
        properties.append(tbl_width)
    tbl_width.set(qn("w:w"), "5000")
    tbl_width.set(qn("w:type"), "pct")
    for row in table.rows:
        for cell, width in zip(row._tr.tc_lst, scaled, strict=False):
            cell_width = cell.get_or_add_tcPr().find(qn("w:tcW"))
            if cell_width is not None and cell.grid_span == 1:
                cell_width.set(qn("w:w"), str(width))
                cell_width.set(qn("w:type"), "dxa")
    header = table.rows[0]._tr.get_or_add_trPr()
    if header.find(qn("w:tblHeader")) is None:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
    borders = properties.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        properties.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = borders.find(qn(f"w:{edge}"))
        if line is None:
            line = OxmlElement(f"w:{edge}")
            borders.append(line)
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
