"""A practice in the form of the competition «Лучшие практики наставничества» (.docx on the
ГОСТ page) and a ZIP with its materials; several practices make a municipal collection.

Names are personal data: an author is printed only with a distribution consent allowing «ФИО»,
and a name of anyone without one is taken out of the texts (`extensions.CONSENT_CHECKS`).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from apps.core.docx_page import gost_page
from apps.core.plural import plural
from apps.core.text import strip_unsafe
from apps.library.extensions import CONSENT_CHECKS, PRACTICE_FIGURES
from apps.library.models import Material
from apps.people.redaction import name_forms, redact

WITHHELD = "[текст не приводится: в нём названы люди без согласия на распространение]"
NO_CONSENT_NOTE = (
    "Сведения об авторах, не давших согласия на распространение персональных данных "
    "(ст. 10.1 Федерального закона № 152-ФЗ), не приводятся."
)
MAX_PRACTICES = 50


class CompetitionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Entry:
    material: Material
    title: str
    authors: tuple[str, ...]
    authors_omitted: int
    organisation: str
    address: str
    annotation: str
    problem: str
    body: str
    results: str
    figures: tuple[tuple[str, str], ...]
    materials: tuple[str, ...]  # what the ZIP holds or links to


def split_authors(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]+", text or "") if part.strip()]


def prepare(material: Material) -> Entry:
    """What of the practice may be printed, with the figures of the monitoring."""
    org = material.organisation
    authors = split_authors(material.author)
    texts = [material.title, material.annotation, material.problem, material.body,
             material.results]  # fmt: skip
    if CONSENT_CHECKS:
        allowed, blocked = CONSENT_CHECKS[0](org, authors, texts)
        forms = [name_forms(*name) for name in blocked]

        def clean(text: str) -> str:
            for form in forms:
                text = redact(text, form)
            return strip_unsafe(text)
    else:
        allowed = []

        def clean(text: str) -> str:
            return WITHHELD if text.strip() else ""

    figures = [row for hook in PRACTICE_FIGURES for row in hook(material)]
    files = []
    if material.file:
        files.append(f"файл «{_file_name(material)}»")
    if material.url:
        files.append(f"ссылка: {material.url}")
    printed = tuple(a for a in authors if a in allowed)
    return Entry(
        material=material, title=clean(material.title), authors=printed,
        authors_omitted=len(authors) - len(printed), organisation=strip_unsafe(org.name),
        address=strip_unsafe(org.address), annotation=clean(material.annotation),
        problem=clean(material.problem), body=clean(material.body),
        results=clean(material.results), figures=tuple(figures), materials=tuple(files),
    )  # fmt: skip


def _file_name(material: Material) -> str:
    name = material.file.name.rsplit("/", 1)[-1]
    return re.sub(r"[^\w.\- ]+", "_", strip_unsafe(name))[:120] or "файл"


def _heading(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(text).bold = True


def _paragraphs(doc, text: str, empty: str = "—") -> None:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\r\n\r\n", text) if p.strip()] or [empty]
    for part in parts:
        doc.add_paragraph(part)


def _entry(doc, entry: Entry, number: int | None) -> None:
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    prefix = f"{number}. " if number else ""
    title.add_run(f"{prefix}{entry.title}").bold = True
    _heading(doc, "Автор (авторы) практики")
    _paragraphs(doc, "\n\n".join(entry.authors), empty="не указаны")
    if entry.authors_omitted:
        doc.add_paragraph(NO_CONSENT_NOTE).runs[0].italic = True
    _heading(doc, "Образовательная организация")
    _paragraphs(doc, entry.organisation + (f", {entry.address}" if entry.address else ""))
    if entry.annotation:
        _heading(doc, "Аннотация")
        _paragraphs(doc, entry.annotation)
    _heading(doc, "Проблема, на решение которой направлена практика")
    _paragraphs(doc, entry.problem)
    _heading(doc, "Описание практики")
    _paragraphs(doc, entry.body)
    _heading(doc, "Результаты")
    _paragraphs(doc, entry.results)
    if entry.figures:
        doc.add_paragraph("Показатели мониторинга системы наставничества организации:")
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in entry.figures:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        doc.add_paragraph()
    _heading(doc, "Материалы")
    _paragraphs(doc, "\n\n".join(entry.materials), empty="не приложены")


def practices_docx(entries: Sequence[Entry], *, collection_of=None, font: str) -> bytes:
    """One practice (`collection_of` None) or a collection of the organisation `collection_of`."""
    doc = DocxDocument()
    gost_page(doc, font=font, size=14)
    top = doc.add_paragraph()
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if collection_of is not None:
        top.add_run(strip_unsafe(collection_of.name)).bold = True
        head = doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        n = len(entries)
        head.add_run(
            "СБОРНИК\nлучших практик наставничества педагогических работников\n"
            f"({n} {plural(n, 'практика', 'практики', 'практик')})"
        ).bold = True
    else:
        top.add_run(
            "Конкурс «Лучшие практики наставничества»\nЗаявка: описание практики"
        ).bold = True
    for number, entry in enumerate(entries, start=1):
        if number > 1:
            doc.add_page_break()
        _entry(doc, entry, number if collection_of is not None else None)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def materials_zip(entries: Sequence[Entry], *, document: bytes, document_name: str) -> bytes:
    """The .docx and every practice's file, a folder per practice, links in «ссылки.txt»."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(document_name, document)
        for number, entry in enumerate(entries, start=1):
            material = entry.material
            folder = f"{number:02d}"
            if material.file:
                with material.file.open("rb") as handle:
                    archive.writestr(f"{folder}/{_file_name(material)}", handle.read())
            if material.url:
                archive.writestr(f"{folder}/ссылки.txt", f"{material.url}\n")
    return buffer.getvalue()


def check_selection(materials: Sequence[Material], wanted: int) -> None:
    if not materials:
        raise CompetitionError("Выберите хотя бы одну опубликованную практику.")
    if wanted > MAX_PRACTICES:
        raise CompetitionError(f"В сборник — не больше {MAX_PRACTICES} практик за раз.")
    if len(materials) != wanted:
        raise CompetitionError(
            "Часть выбранных практик недоступна (снята с публикации или из другой ветки): "
            "обновите страницу и выберите снова."
        )
