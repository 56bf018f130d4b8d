"""Consents in bulk: printed forms received for many people at once, all or nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from apps.banks.models import Profile
from apps.core.years import academic_year
from apps.people.bulk import parse_pages
from apps.people.models import Consent
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import texts

pytestmark = on_school_day

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_of(pages: int) -> bytes:
    writer = PdfWriter()
    for index in range(pages):
        writer.add_blank_page(width=200 + index, height=300)  # widths tell the pages apart
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pages(people, *ranges) -> dict:
    return {f"pages_{p.pk}": text for p, text in zip(people, ranges, strict=True)}


def bulk_url(org, query: str = "") -> str:
    return reverse("people:consent-bulk", args=[org.pk]) + query


def post_paper(client, org, people, query="", **extra):
    data = {"action": "paper", "person": [p.pk for p in people], "given_on": "25.11.2026"}
    data.update(extra)
    return client.post(bulk_url(org, query), data)


@pytest.fixture
def staff(school):
    return [
        PersonFactory(organisation=school, last_name=name, first_name="Анна", middle_name="")
        for name in ("Белова", "Котова", "Орлова")
    ]


def test_it_marks_printed_forms_received_for_many_people_at_once(curator_client, school, staff):
    response = post_paper(curator_client, school, staff[:2])
    assert response.status_code == 302
    consents = Consent.objects.order_by("person__last_name")
    assert [(c.person.last_name, c.kind, c.method, c.given_on) for c in consents] == [
        ("Белова", "processing", "paper", datetime.date(2026, 11, 25)),
        ("Котова", "processing", "paper", datetime.date(2026, 11, 25)),
    ]
    page = curator_client.get(bulk_url(school))  # only those still without the consent
    assert texts(page, ".bulk-table tbody th label") == ["Орлова Анна"]


def test_it_attaches_one_scan_per_person(curator_client, school, staff):
    scan = SimpleUploadedFile("b.pdf", PDF, content_type="application/pdf")
    post_paper(curator_client, school, staff[:1], **{f"scan_{staff[0].pk}": scan})
    assert Consent.objects.get().scan.read() == PDF


def test_it_splits_one_multi_page_scan_by_person(curator_client, school, staff):
    bulk = SimpleUploadedFile("all.pdf", pdf_of(5), content_type="application/pdf")
    response = post_paper(
        curator_client, school, staff, bulk_scan=bulk,
        **pages(staff, "1-2", "3", "4, 5"),
    )  # fmt: skip
    assert response.status_code == 302
    widths = {
        c.person.last_name: [int(p.mediabox.width) for p in PdfReader(c.scan.open("rb")).pages]
        for c in Consent.objects.select_related("person")
    }
    assert widths == {"Белова": [200, 201], "Котова": [202], "Орлова": [203, 204]}


def test_it_saves_nothing_and_names_the_person_and_field_on_any_row_error(
    curator_client, school, staff
):
    ConsentFactory(person=staff[2], given_on=datetime.date(2026, 9, 1))
    bulk = SimpleUploadedFile("all.pdf", pdf_of(3), content_type="application/pdf")
    response = post_paper(
        curator_client, school, staff, "?show=all", bulk_scan=bulk,
        **pages(staff, "1-2", "2-9", "3"),
    )  # fmt: skip
    assert response.status_code == 200
    assert texts(response, ".bulk-problems li") == [
        "Котова Анна, «Страницы в общем скане»: «2-9» — в общем скане всего 3 стр.",
        "Орлова Анна: уже есть действующее согласие «Обработка персональных данных» — "
        "снимите отметку или сначала отзовите прежнее",
    ]
    assert Consent.objects.count() == 1  # only the one that was there


def test_it_refuses_a_page_given_to_two_people(curator_client, school, staff):
    bulk = SimpleUploadedFile("all.pdf", pdf_of(3), content_type="application/pdf")
    response = post_paper(
        curator_client, school, staff[:2], bulk_scan=bulk,
        **{f"pages_{staff[0].pk}": "1-2", f"pages_{staff[1].pk}": "2-3"},
    )  # fmt: skip
    assert texts(response, ".bulk-problems li") == [
        "Котова Анна, «Страницы в общем скане»: страница 2 уже указана у Белова Анна"
    ]
    assert Consent.objects.count() == 0


def test_it_refuses_a_fake_scan_naming_the_person(curator_client, school, staff):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = post_paper(curator_client, school, staff[:2], **{f"scan_{staff[1].pk}": fake})
    problems = texts(response, ".bulk-problems li")
    assert len(problems) == 1
    assert problems[0].startswith("Котова Анна, «Скан»:")
    assert Consent.objects.count() == 0


def test_it_refuses_a_future_date_and_an_empty_choice(curator_client, school, staff):
    response = post_paper(curator_client, school, staff[:1], given_on="01.01.2030")
    assert response.context["paper"].errors["given_on"] == [
        "Дата согласия не может быть в будущем."
    ]
    response = post_paper(curator_client, school, [])
    assert texts(response, ".bulk-problems li") == ["Отметьте хотя бы одного сотрудника."]
    assert Consent.objects.count() == 0


def test_it_records_distribution_with_the_allowed_categories(curator_client, school, staff):
    post_paper(curator_client, school, staff[:1], "?kind=distribution", allowed_items=["name"])
    assert Consent.objects.get().allowed_items == ["name"]
    response = post_paper(curator_client, school, staff[1:2], "?kind=distribution")
    assert response.context["paper"].errors["allowed_items"]


def test_it_filters_by_role_in_the_programme(curator_client, school, staff):
    Profile.objects.create(
        organisation=school, person=staff[1], kind="mentor", year=academic_year()
    )
    page = curator_client.get(bulk_url(school, "?role=mentor"))
    assert texts(page, ".bulk-table tbody th label") == ["Котова Анна"]
    page = curator_client.get(bulk_url(school, "?role=mentee"))
    assert texts(page, ".bulk-table tbody th label") == []


def test_it_answers_400_for_a_bad_person_number(curator_client, school):
    response = curator_client.post(bulk_url(school), {"action": "paper", "person": ["x1"]})
    assert response.status_code == 400


def test_it_ignores_nobody_from_another_school(curator_client, school, other_school):
    stranger = PersonFactory(organisation=other_school)
    response = post_paper(curator_client, school, [stranger])
    assert response.status_code == 200
    assert Consent.objects.count() == 0


def test_it_refuses_other_methods(curator_client, school):
    assert curator_client.put(bulk_url(school)).status_code == 405


def test_it_is_for_the_curator_not_the_head(head_client, school):
    assert head_client.get(bulk_url(school)).status_code == 403


def test_it_hides_the_page_from_another_school(outsider_client, school):
    assert outsider_client.get(bulk_url(school)).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_people_in_flat_queries(curator_client, school, count, django_assert_num_queries):
    for index in range(count):
        person = PersonFactory(organisation=school)
        ConsentFactory(
            person=person, kind="distribution", given_on=datetime.date(2026, 9, index + 1)
        )
    with django_assert_num_queries(9):
        page = curator_client.get(bulk_url(school))
    assert len(texts(page, ".bulk-table tbody th label")) == count


@pytest.mark.parametrize(
    ("text", "pages"),
    [("1", [0]), ("1-3", [0, 1, 2]), ("2, 4-5", [1, 3, 4]), ("1 – 2", [0, 1])],
)
def test_it_reads_page_ranges(text, pages):
    assert parse_pages(text, 5) == pages


@pytest.mark.parametrize("text", ["abc", "0", "3-1", "1-", "6", "1;2"])
def test_it_refuses_bad_page_ranges(text):
    with pytest.raises(ValueError, match="«"):
        parse_pages(text, 5)
