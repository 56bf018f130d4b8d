"""The destruction act as a document (приказ Роскомнадзора от 28.10.2022 № 179): one print form
(people/act_detail.html) for the page, the .docx download and the inspection archive."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from apps.people.consents import initials_first, term_sentence
from apps.people.models import DestructionAct

TEXT_WIDTH_TWIPS = 9355  # A4 210 mm less the ГОСТ margins 30 + 15 mm


def act_context(act: DestructionAct) -> dict:
    org = act.organisation
    return {
        "org": org,
        "act": act,
        "head": initials_first(org.head_name),
        "processor": settings.PERSONAL_DATA_PROCESSOR,
        "term": term_sentence(act),
        "members": [(n, position, initials_first(n)) for n, position in act.commission_members],
    }


def act_html(act: DestructionAct) -> str:
    """The act's page as printed: the print form without the commission form."""
    return render_to_string("people/act_detail.html", {**act_context(act), "form": None})


def act_docx(act: DestructionAct) -> bytes:
    """The act with its journal export as .docx (LibreOffice; PdfUnavailable without it)."""
    import io

    from docx import Document

    from apps.core.office import print_form_docx

    document = Document(io.BytesIO(print_form_docx(act_html(act))))
    for table in document.tables:
        full_width(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def full_width(table) -> None:
    """LibreOffice's HTML import fixes a table below the first page to its content's width:
    stretch it over the text width, columns in proportion, the header row on every page."""
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
