"""The page and font half of the document check (ГОСТ Р 7.0.97-2016): A4, margins, page numbers
from the second page centred in the top margin, the school's font at 12–14 pt, no coloured Word
«Heading». The suite checks every generated document with it; a school's uploaded template is
checked with it at upload, and its page is corrected there (see `fit_template_to_gost`)."""

from __future__ import annotations

import io

from docx import Document as Docx
from docx.shared import Mm, Pt

from apps.core.docx_page import FONT, gost_page

FONTS = {FONT, "PT Astra Serif"}


def page_problems(doc) -> list[str]:
    found: list[str] = []
    for number, section in enumerate(doc.sections, start=1):
        if abs(section.page_width - Mm(210)) > Mm(1) or abs(section.page_height - Mm(297)) > Mm(1):
            found.append(f"раздел {number}: не A4 ({section.page_width.mm:.0f}×"
                         f"{section.page_height.mm:.0f} мм)")  # fmt: skip
        if section.left_margin < Mm(20) or section.right_margin < Mm(10):
            found.append(f"раздел {number}: поля слева/справа меньше 20/10 мм")
        if section.top_margin < Mm(20) or section.bottom_margin < Mm(20):
            found.append(f"раздел {number}: поля сверху/снизу меньше 20 мм")
        if not section.different_first_page_header_footer:
            found.append(f"раздел {number}: номер стоит и на первой странице")
        header = section.header.paragraphs[0] if section.header.paragraphs else None
        if header is None or "PAGE" not in header._p.xml or header.alignment != 1:
            found.append(f"раздел {number}: нет номера страницы по центру верхнего поля")
    return found


def all_paragraphs(doc) -> list:
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return paragraphs


def font_problems(doc) -> list[str]:
    found: list[str] = []
    normal = doc.styles["Normal"].font
    if normal.name not in FONTS or not normal.size or not Pt(12) <= normal.size <= Pt(14):
        found.append(f"основной шрифт {normal.name} {normal.size.pt if normal.size else '?'} пт")
    for style in doc.styles:
        heading = (style.name or "").startswith(("Heading", "Title", "Subtitle"))
        colour = getattr(getattr(style, "font", None), "color", None)
        coloured = colour is not None and colour.rgb is not None and str(colour.rgb) != "000000"
        if heading and coloured:
            found.append(f"стиль «{style.name}» цветной")
    for paragraph in all_paragraphs(doc):
        style_font = paragraph.style.font.name if paragraph.style is not None else None
        if paragraph.style.name.startswith(("Heading", "Title")) and style_font not in FONTS:
            found.append(f"заголовок «{paragraph.text[:30]}» шрифтом {style_font}")
        for run in paragraph.runs:
            if run.font.name and run.font.name not in FONTS:
                found.append(f"«{run.text[:30]}»: шрифт {run.font.name}")
            if run.font.size and not Pt(10) <= run.font.size <= Pt(16):
                found.append(f"«{run.text[:30]}»: размер {run.font.size.pt} пт")
    return found


def layout_problems(data: bytes) -> list[str]:
    doc = Docx(io.BytesIO(data))
    return page_problems(doc) + font_problems(doc)


def fit_template_to_gost(data: bytes, *, font: str) -> tuple[bytes, list[str], list[str]]:
    """Set an uploaded template on the ГОСТ page and in the school's font.

    Returns the corrected .docx, what was corrected, and what is left for the school to fix in
    Word (fonts set by hand on single words, sizes) — both as Russian sentences."""
    doc = Docx(io.BytesIO(data))
    before = page_problems(doc) + font_problems(doc)
    gost_page(doc, font=font)
    buffer = io.BytesIO()
    doc.save(buffer)
    left = layout_problems(buffer.getvalue())
    fixed = [problem for problem in before if problem not in left]
    return buffer.getvalue(), fixed, left
