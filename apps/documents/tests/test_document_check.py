"""The document check: every generated .docx, as a records clerk would check it against
ГОСТ Р 7.0.97-2016 — A4, margins, page numbers from the second page in the top margin, the
school's font at 12–14 pt (headings too, never Word's blue «Heading»), nothing left of the
template, no «None», no empty «()», no Latin words, dates as «24 ноября 2026 г.» or 24.11.2026.
"""

import io
import re

import pytest
from docx import Document as Docx
from docx.oxml.ns import qn

from apps.core.docx_page import FONT
from apps.core.office import print_form_docx, soffice
from apps.documents.archive import contents_docx, programme_docx
from apps.documents.layout_check import all_paragraphs, font_problems, page_problems
from apps.documents.models import DocKind
from apps.documents.tests.test_documents import DAY, world  # noqa: F401
from apps.documents.tests.test_golden import issue_of_kind

FONTS = {FONT, "PT Astra Serif"}
MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
DATE_WORDS = re.compile(rf"«?\d{{1,2}}»? (?:{MONTHS}) \d{{4}}")
ALLOWED_LATIN = {"e", "mail", "docx", "xlsx", "pdf", "zip", "sha"}  # «e-mail», files, SHA-256


def problems_of(data: bytes) -> list[str]:
    doc = Docx(io.BytesIO(data))
    found = page_problems(doc) + font_problems(doc)
    paragraphs = all_paragraphs(doc)
    text = "\n".join(p.text for p in paragraphs)
    for mark in ("{{", "}}", "{%", "%}", "None", "()", "( )"):
        if mark in text:
            found.append(f"в тексте «{mark}»")
    # An e-mail address or a link is not a word of the text (the PD notice names the contacts).
    words = re.sub(r"\S+@\S+|https?://\S+", " ", text)
    latin = sorted({w for w in re.findall(r"[A-Za-z]+", words) if w.lower() not in ALLOWED_LATIN})
    if latin:
        found.append("латиница: " + ", ".join(latin[:10]))
    for date in DATE_WORDS.findall(text):
        if "«" in date:
            found.append(f"дата «{date}»: день в кавычках")
    return found


def issued(kind, school, world):  # noqa: F811
    document = issue_of_kind(kind, school, world)
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize("kind", DocKind.values)
def test_every_order_and_agreement_passes_the_document_check(kind, school, world):  # noqa: F811
    assert problems_of(issued(kind, school, world)) == []


def test_the_programme_and_the_archive_contents_pass_the_document_check(school, world):  # noqa: F811
    unit = world["unit"]
    assert problems_of(programme_docx(unit, [])) == []
    assert problems_of(contents_docx(school, "2026/2027", [("01 Приказ.docx", "Приказ")])) == []


def test_it_catches_what_a_records_clerk_would_refuse():
    # The check itself can fail: python-docx's default document is Letter with Calibri headings.
    doc = Docx()
    doc.add_heading("Заголовок", level=1)
    doc.add_paragraph("Дата: «24» ноября 2026 г., None, Heading")
    buffer = io.BytesIO()
    doc.save(buffer)
    found = problems_of(buffer.getvalue())
    assert "раздел 1: не A4 (216×279 мм)" in found
    assert "раздел 1: нет номера страницы по центру верхнего поля" in found
    assert "в тексте «None»" in found
    assert "дата ««24» ноября 2026»: день в кавычках" in found
    assert any(f.startswith("латиница: ") for f in found)
    assert qn("w:rFonts")  # keep the import honest


@pytest.mark.skipif(not soffice(), reason="LibreOffice is not installed (.ci/run installs it)")
def test_a_consent_print_form_passes_the_document_check():
    page = (
        '<html><body><article class="print-doc"><p class="text-end">Оператору: Школа</p>'
        "<h1>Согласие на обработку персональных данных</h1><p>Я, Иванова Мария Петровна, "
        "даю согласие.</p><p>25 ноября 2026 г.</p></article></body></html>"
    )
    assert problems_of(print_form_docx(page)) == []


def test_the_programme_is_an_approvable_document(school, world):  # noqa: F811
    from apps.programs.models import Programme, Task

    unit = world["unit"]
    programme = Programme.objects.create(
        unit=unit, goal="Освоить формирующее оценивание", difficulties="Дисциплина на уроке"
    )
    Task.objects.create(
        programme=programme, direction="Методика", title="Посетить 3 урока наставника",
        deadline=DAY, responsible=world["mentee"], expected_result="Анализ уроков",
        work_form="посещение уроков",
    )  # fmt: skip
    data = programme_docx(unit, list(programme.tasks.all()))
    assert problems_of(data) == []
    doc = Docx(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "УТВЕРЖДАЮ\nДиректор\n____________ Морозова Елена Викторовна" in text
    info = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert info["Выявленные затруднения"] == "Дисциплина на уроке"
    assert info["Наставляемый"] == "Иванова Мария Петровна, учитель математики"
    plan = doc.tables[1]
    assert [c.text for c in plan.rows[1].cells] == [
        "1", "Методика", "Посетить 3 урока наставника (посещение уроков)", "Анализ уроков",
        "25.11.2026", "Иванова М.П.",
    ]  # fmt: skip
    assert plan.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    signatures = [row.cells[0].text for row in doc.tables[2].rows]
    assert signatures == ["Наставник", "Наставляемый", "Куратор наставничества"]


def test_the_programme_and_the_diary_use_the_schools_font(school, world):  # noqa: F811
    from apps.documents.archive import diary_docx
    from apps.documents.models import DocumentSettings

    DocumentSettings.objects.update_or_create(
        organisation=school, defaults={"font": "PT Astra Serif"}
    )
    for data in (programme_docx(world["unit"], []), diary_docx(world["unit"], [])):
        assert Docx(io.BytesIO(data)).styles["Normal"].font.name == "PT Astra Serif"
        assert problems_of(data) == []
