"""A school's own template: accepted only as a real .docx with known, complete fields."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx

from apps.documents.docx_templates import shipped_template
from apps.documents.layout_check import layout_problems
from apps.documents.models import DocKind, Document, SchoolTemplate
from apps.documents.services import issue
from apps.documents.tests.test_documents import DAY, text_of, world  # noqa: F401
from tests.html import alerts, errors


def docx_with(*paragraphs: str) -> bytes:
    doc = Docx()
    for text in paragraphs:
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def upload(client, school, kind, name, data):
    return client.post(
        reverse("documents:template-upload", args=[school.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
    )


def test_a_school_template_is_used_for_new_documents(curator_client, school, world):  # noqa: F811
    data = docx_with(
        "ШКОЛЬНЫЙ БЛАНК {{ school.short_name }}",
        "Приказ № {{ doc.number }} о назначении {{ person.name.gen }}",
    )
    response = upload(curator_client, school, "curator", "мой.docx", data)
    assert response.status_code == 302
    document = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    assert "Приказ № 1-о о назначении Седых Никиты Ильича" in text_of(document)
    curator_client.post(reverse("documents:template-reset", args=[school.pk, "curator"]))
    assert not SchoolTemplate.objects.exists()
    again = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    assert "Назначить Седых Никиту Ильича" in text_of(again)


def macro_docx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(shipped_template("curator")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100,
         "Файл «old.doc» — старый формат .doc. Откройте его в Word и сохраните как .docx."),
        ("macro.docm", macro_docx(),
         "Файл «macro.docm» содержит макросы (.docm). Сохраните шаблон как обычный .docx."),
        ("text.docx", b"just text", "Файл «text.docx» не является документом .docx."),
        ("broken.docx", docx_with("Приказ {{ doc.number }", "{{ person.name.acc }}"),
         "В шаблоне «broken.docx» ошибка в теге (строка 1)"),
        ("fields.docx", docx_with("{{ doc.number }} {{ person.name.acc }} {{ salary }}"),
         "неизвестные поля: salary"),
        ("missing.docx", docx_with("{{ doc.number }}"), "нет обязательных полей: person"),
    ],
)  # fmt: skip
def test_bad_templates_are_refused_with_the_reason(curator_client, school, name, data, message):
    page = upload(curator_client, school, "curator", name, data)
    shown = errors(page) + alerts(page)
    assert [e for e in shown if message in e], shown
    assert not SchoolTemplate.objects.exists()
    assert not Document.objects.exists()


def test_an_uploaded_template_is_set_on_the_gost_page_and_told_what_is_left(
    curator_client,
    school,
    world,  # noqa: F811
):
    doc = Docx()  # python-docx's default: US Letter, Calibri, no page numbers
    doc.add_paragraph("Приказ № {{ doc.number }} о назначении {{ person.name.gen }}")
    doc.add_paragraph().add_run("Бланк школы").font.name = "Arial"
    buffer = io.BytesIO()
    doc.save(buffer)
    response = upload(curator_client, school, "curator", "бланк.docx", buffer.getvalue())
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown[1].startswith("Исправлено по ГОСТ Р 7.0.97: раздел 1: не A4 (216×279 мм); ")
    assert "нет номера страницы по центру верхнего поля" in shown[1]
    assert shown[2] == (
        "Исправьте в Word (Главная → Шрифт), иначе документ не пройдёт проверку: "
        "«Бланк школы»: шрифт Arial."
    )
    document = issue(org=school, kind=DocKind.CURATOR, by=None, day=DAY)
    with document.file.open("rb") as handle:
        assert layout_problems(handle.read()) == ["«Бланк школы»: шрифт Arial"]
