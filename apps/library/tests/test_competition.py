"""A practice in the competition's form: consented authors only, names out of the texts,
figures of the monitoring, the ZIP of materials and the municipal collection."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as DocxDocument

from apps.library import competition
from apps.library.models import Material
from apps.people.choices import ConsentKind
from tests.clock import on_school_day
from tests.factories import ConsentFactory, OrganisationFactory, PersonFactory
from tests.html import alerts

pytestmark = [pytest.mark.django_db, on_school_day]


def person(org, last, first, middle, gender):
    return PersonFactory(
        organisation=org, last_name=last, first_name=first, middle_name=middle, gender=gender
    )


def distribution(someone):
    return ConsentFactory(
        person=someone,
        kind=ConsentKind.DISTRIBUTION,
        allowed_items=["name"],
        given_on=datetime.date(2026, 9, 1),
        valid_until=None,
    )


@pytest.fixture
def practice(school):
    sokolova = person(school, "Соколова", "Анна", "Игоревна", "female")
    person(school, "Белов", "Пётр", "Ильич", "male")  # no distribution consent
    distribution(sokolova)
    return Material.objects.create(
        organisation=school,
        kind="practice",
        status="published",
        visibility="municipality",
        title="Наставник за один урок",
        author="Соколова Анна Игоревна, Белов Пётр Ильич",
        problem="Молодые педагоги теряются на первых уроках.",
        body="Соколова А. И. и Белов П. И. разбирают урок вместе с Беловым Петром.",
        results="Все трое провели открытые уроки.",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
        url="https://example.org/p",
    )


def _text(data: bytes) -> str:
    doc = DocxDocument(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_it_prints_only_consenting_authors_and_takes_other_names_out(practice):
    entry = competition.prepare(practice)
    assert entry.authors == ("Соколова Анна Игоревна",)
    assert entry.authors_omitted == 1
    assert entry.body == "Соколова А. И. и [обезличено] разбирают урок вместе с [обезличено]."
    text = _text(competition.practices_docx([entry], font="Times New Roman"))
    assert "Белов" not in text
    assert competition.NO_CONSENT_NOTE in text
    assert "Проблема, на решение которой направлена практика" in text
    assert "Охват педагогов до 35 лет со стажем до 3 лет" in text  # figures of the monitoring


def test_it_downloads_the_docx_and_the_zip(curator_client, school, practice):
    url = reverse("library:competition", args=[school.pk, practice.pk])
    docx = curator_client.get(url)
    assert "Соколова Анна Игоревна" in _text(b"".join(docx.streaming_content))
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(curator_client.get(url + "?format=zip").streaming_content))
    )
    assert sorted(archive.namelist()) == [
        "01/plan.pdf",
        "01/ссылки.txt",
        f"Практика {practice.pk} — конкурс.docx",
    ]


def test_it_refuses_a_material_that_is_not_a_practice(curator_client, school, practice):
    Material.objects.filter(pk=practice.pk).update(kind="material")
    url = reverse("library:competition", args=[school.pk, practice.pk])
    response = curator_client.get(url, follow=True)
    assert alerts(response.content.decode()) == [
        "В конкурс отправляют лучшие практики: у материала вид «Методический материал». "
        "Измените вид на «Лучшая практика»."
    ]


def test_it_assembles_a_municipal_collection(methodist_client, municipality, school, practice):
    other = OrganisationFactory(parent=municipality, short_name="Школа № 9", slug="s9")
    second = Material.objects.create(
        organisation=other,
        kind="practice",
        status="published",
        title="Флеш-наставничество",
        body="Коротко.",
    )
    url = reverse("library:collection", args=[municipality.pk])
    response = methodist_client.get(url, {"ids": [practice.pk, second.pk], "format": "docx"})
    text = _text(b"".join(response.streaming_content))
    assert "СБОРНИК\nлучших практик наставничества педагогических работников\n(2 практики)" in text
    assert "1. Наставник за один урок" in text
    assert "2. Флеш-наставничество" in text
    assert "Белов" not in text
    zipped = methodist_client.get(url, {"ids": [practice.pk, second.pk], "format": "zip"})
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert "01/plan.pdf" in names


def test_it_refuses_an_empty_or_foreign_selection(methodist_client, municipality, far_school):
    foreign = Material.objects.create(
        organisation=far_school,
        kind="practice",
        status="published",
        visibility="public",
        title="Чужая",
    )
    url = reverse("library:collection", args=[municipality.pk])
    for ids in ([], [foreign.pk], ["x"]):
        response = methodist_client.get(url, {"ids": ids, "format": "docx"}, follow=True)
        assert response.status_code == 200
        assert alerts(response.content.decode())[-1] in (
            "Выберите хотя бы одну опубликованную практику.",
        )


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_practices_in_constant_queries(
    count, methodist_client, municipality, school, django_assert_num_queries
):
    for n in range(count):
        Material.objects.create(
            organisation=school, kind="practice", status="published", title=f"Практика {n}"
        )
    url = reverse("library:collection", args=[municipality.pk])
    with django_assert_num_queries(7):
        assert methodist_client.get(url).status_code == 200
