"""What the signatures print on the copy: the mark of a simple electronic signature, the
отметка об электронной подписи of a qualified one (ГОСТ Р 7.0.97-2016, п. 5.23), a QR code to
the public verification page; and the acquaintance sheet (лист ознакомления) filled from the
electronic acknowledgements.
"""

from __future__ import annotations

import hashlib
import io

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from apps.core.docx_page import gost_page, repeat_header
from apps.core.office import to_pdf
from apps.documents.models import (
    DocStatus,
    Document,
    DocumentSettings,
    Signature,
    SignatureMethod,
    SignaturePurpose,
)
from apps.documents.signing import docx_bytes, frozen_pdf
from apps.people.models import Person


def verify_url(document: Document) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "documents:verify", kwargs={"token": document.verify_token}
    )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def mark_lines(signature: Signature) -> tuple[str, list[str]]:
    """(heading, lines) of one signature's mark."""
    if signature.method == SignatureMethod.QES:
        return "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", [
            f"Сертификат: {signature.cert_serial}",
            f"Владелец: {signature.cert_owner}",
            f"Действителен: с {signature.cert_valid_from:%d.%m.%Y} по "
            f"{signature.cert_valid_to:%d.%m.%Y}",
        ]
    return "Документ подписан простой электронной подписью", [
        f"Подписант: {signature.signer_name}, {signature.signer_position}",
        f"Дата и время: {_local(signature.signed_at)} (МСК), код из e-mail",
        f"ГОСТ Р 34.11-2012: {signature.streebog}",
        f"SHA-256: {signature.sha256}",
    ]


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=1)
    buffer.seek(0)
    return buffer


def _small(paragraph, text: str, *, bold=False, size=10) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _signature_paragraph(doc, position: str):
    """The paragraph «Директор ____________ Е. В. Морозова»: the mark goes in its place."""
    for paragraph in doc.paragraphs:
        text = paragraph.text
        if "____________" in text and position and text.startswith(position):
            return paragraph
    return None


def with_marks(docx: bytes, document: Document, signatures: list[Signature], font: str) -> bytes:
    """The document's .docx with a mark per signature and the QR code under the head's
    signature (ГОСТ Р 7.0.97, п. 5.23: the mark stands where the signature would), or at the
    end when the school's own template has no recognisable signature line."""
    doc = DocxDocument(io.BytesIO(docx))
    blocks = []  # XML elements in order: a spacer paragraph, then a table
    for signature in signatures:
        heading, lines = mark_lines(signature)
        blocks.append(doc.add_paragraph()._p)
        table = doc.add_table(rows=1, cols=1)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.RIGHT
        cell = table.rows[0].cells[0]
        cell.width = Cm(11)
        first = cell.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _small(first, heading, bold=True)
        for line in lines:
            _small(cell.add_paragraph(), line, size=9)
        blocks.append(table._tbl)
    blocks.append(doc.add_paragraph()._p)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    table.autofit = False
    picture, text = table.rows[0].cells
    for column, cell, width in zip(table.columns, (picture, text), (Cm(3), Cm(9)), strict=True):
        column.width = cell.width = width
    picture.paragraphs[0].add_run().add_picture(_qr_png(verify_url(document)), width=Cm(2.4))
    _small(text.paragraphs[0], "Проверить подлинность: наведите камеру на код или откройте", size=9)
    _small(text.add_paragraph(), verify_url(document), size=9)
    _small(text.add_paragraph(), "и загрузите копию — хеш будет пересчитан.", size=9)
    blocks.append(table._tbl)
    anchor = _signature_paragraph(doc, document.organisation.head_position or "Директор")
    if anchor is not None:
        current = anchor._p
        for element in blocks:  # moved from the end of the body to under the signature
            current.addnext(element)
            current = element
    gost_page(doc, font=font, size=14)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def signed_copy(document: Document) -> bytes:
    """The PDF with the signature marks (made again when a signature was added)."""
    frozen_pdf(document)
    signatures = list(Signature.objects.filter(document=document, purpose=SignaturePurpose.SIGN))
    if document.signed_copy and document.signed_copy_count == len(signatures):
        with document.signed_copy.open("rb") as handle:
            return handle.read()
    font = (DocumentSettings.objects.of(document.organisation).first() or DocumentSettings()).font
    data = to_pdf(with_marks(docx_bytes(document), document, signatures, font))
    document.signed_copy.save(f"{document.kind}-{document.pk}-signed.pdf", ContentFile(data),
                              save=False)  # fmt: skip
    Document.objects.filter(pk=document.pk).update(
        signed_copy=document.signed_copy.name,
        signed_copy_count=len(signatures),
        copy_hashes=[*document.copy_hashes, hashlib.sha256(data).hexdigest()],
    )
    return data


def acquaintance_sheet(document: Document) -> bytes:
    """Лист ознакомления: every active employee, the electronic acknowledgements filled in."""
    org = document.organisation
    acknowledged = {
        s.person_id: s
        for s in Signature.objects.filter(
            document=document, purpose=SignaturePurpose.ACKNOWLEDGE, person__isnull=False
        )
    }
    people = list(
        Person.objects.of(org).filter(status="active").order_by("last_name", "first_name", "pk")
    )
    font = (DocumentSettings.objects.of(org).first() or DocumentSettings()).font
    doc = DocxDocument()
    gost_page(doc, font=font, size=14)
    for text, bold in (
        ("Лист ознакомления", True),
        (f"с документом «{document.title}»", False),
        (f"(приказ от {document.date:%d.%m.%Y} № {document.number})", False),
    ):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold
    if document.status != DocStatus.SIGNED:
        doc.add_paragraph("Документ ещё не подписан: знакомиться с ним рано.")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, header in zip(
        table.rows[0].cells, ["№", "ФИО работника", "Должность", "Подпись", "Дата"], strict=True
    ):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    repeat_header(table.rows[0])
    for number, person in enumerate(people, start=1):
        seen = acknowledged.get(person.pk)
        mark = f"ПЭП, код из e-mail, {_local(seen.signed_at)}" if seen else ""
        day = f"{timezone.localtime(seen.signed_at):%d.%m.%Y}" if seen else ""
        row = table.add_row().cells
        for cell, value in zip(
            row, [str(number), person.full_name, person.position, mark, day], strict=True
        ):
            cell.text = value
    widths = [1, 5, 4, 4, 2.5]
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
