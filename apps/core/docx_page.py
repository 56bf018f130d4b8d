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

FONT = "Times New Roman"
A4 = (Mm(210), Mm(297))
MARGINS = {"left": Mm(30), "right": Mm(15), "top": Mm(20), "bottom": Mm(20)}
HEADING_STYLES = ("Title", "Subtitle", "Heading")


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
