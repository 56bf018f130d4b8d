"""The staff register: list, card, create, edit, archive, invite."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from apps.people.models import Person, Subject
from tests.factories import ConsentFactory, PersonFactory
from tests.html import cells, definitions, errors, select, texts


def person_data(**extra):
    data = {
        "last_name": " семёнова ",
        "first_name": "анна",
        "middle_name": "игоревна",
        "birth_date": "14.03.1999",
        "position": "Учитель математики",
        "category": "none",
        "status": "active",
        "subjects_text": "Математика; информатика",
        "level_list": ["basic", "secondary"],
    }
    data.update(extra)
    return data


def test_it_creates_a_person_with_tidy_names(curator_client, school):
    response = curator_client.post(reverse("people:person-create", args=[school.pk]), person_data())
    person = Person.objects.get()
    assert response.status_code == 302
    assert (person.full_name, person.birth_date, person.levels) == (
        "Семёнова Анна Игоревна",
        datetime.date(1999, 3, 14),
        "basic,secondary",
    )
    assert sorted(s.name for s in person.subjects.all()) == ["Информатика", "Математика"]


def test_it_refuses_a_duplicate_person(curator_client, school):
    PersonFactory(
        organisation=school,
        last_name="Семенова",
        first_name="Анна",
        middle_name="Игоревна",
        birth_date=datetime.date(1999, 3, 14),
    )
    response = curator_client.post(reverse("people:person-create", args=[school.pk]), person_data())
    assert [e for e in errors(response) if "уже есть в реестре" in e], errors(response)
    assert Person.objects.count() == 1


def test_it_finds_people_ignoring_yo(curator_client, school):
    PersonFactory(organisation=school, last_name="Семенова")
    PersonFactory(organisation=school, last_name="Орлова")
    page = curator_client.get(reverse("people:person-list", args=[school.pk]) + "?q=Семёнова")
    assert [name.split()[0] for name in texts(page, "tbody td a")] == ["Семенова"]


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_people_in_a_constant_number_of_queries(
    curator_client, school, count, django_assert_num_queries
):
    for _ in range(count):
        PersonFactory(organisation=school)
    with django_assert_num_queries(8):
        response = curator_client.get(reverse("people:person-list", args=[school.pk]))
    assert response.status_code == 200


def test_it_shows_each_column_of_the_list(curator_client, school):
    person = PersonFactory(
        organisation=school,
        last_name="Орлова",
        middle_name="",
        position="Учитель <физики>",
        teaching_experience=None,
        category="first",
        is_young_specialist=True,
        mentor_title_since=datetime.date(2024, 1, 10),
        status="leave",
    )
    person.subjects.set([Subject.objects.create(name=n) for n in ("Физика", "Астрономия")])
    ConsentFactory(person=person)
    plain = PersonFactory(organisation=school, last_name="Петрова", teaching_experience=7)
    page = curator_client.get(reverse("people:person-list", args=[school.pk]))
    assert cells(page)[1:] == [
        [
            "Орлова Мария молодой специалист педагог-наставник отпуск",
            "Учитель <физики>",
            "Астрономия, Физика",
            "—",
            "Первая",
            "✓ есть",
        ],
        [plain.full_name, "Учитель", "—", "7", "Без категории", "✗ нет"],
    ]
    assert [a.attrs["href"] for a in select(page, "tbody td a")] == [
        reverse("people:person-detail", args=[school.pk, p.pk]) for p in (person, plain)
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_the_network_in_a_constant_number_of_queries(
    methodist_client, municipality, school, other_school, count, django_assert_num_queries
):
    for i in range(count):
        PersonFactory(organisation=(school, other_school)[i % 2])
    url = reverse("people:person-list", args=[municipality.pk])
    with django_assert_num_queries(9):
        page = methodist_client.get(url)
    assert [row[-2] for row in cells(page)[1:]] == ["Школа № 1", "Школа № 2", "Школа № 1"][:count]
    with django_assert_num_queries(10):  # and the chosen school
        page = methodist_client.get(f"{url}?school={school.pk}")
    assert {row[-2] for row in cells(page)[1:]} == {"Школа № 1"}


def test_it_shows_a_methodist_the_schools_below_only(
    methodist_client, municipality, school, far_school
):
    PersonFactory(organisation=school, last_name="Своя")
    PersonFactory(organisation=far_school, last_name="Чужая")
    page = methodist_client.get(reverse("people:person-list", args=[municipality.pk]))
    assert [name.split()[0] for name in texts(page, "tbody td a")] == ["Своя"]
    assert "Чужая" not in page.content.decode()


def test_it_hides_contacts_from_the_methodist(methodist_client, curator_client, school):
    person = PersonFactory(organisation=school, phone="+7 900 111-22-33")
    url = reverse("people:person-detail", args=[school.pk, person.pk])
    assert "+7 900 111-22-33" not in methodist_client.get(url).content.decode()
    assert definitions(curator_client.get(url))["Телефон"] == "+7 900 111-22-33"


def test_it_archives_and_restores_on_post_only(curator_client, school):
    person = PersonFactory(organisation=school)
    url = reverse("people:person-archive", args=[school.pk, person.pk])
    assert curator_client.get(url).status_code == 405
    curator_client.post(url)
    person.refresh_from_db()
    assert person.status == "archived"
    curator_client.post(reverse("people:person-restore", args=[school.pk, person.pk]))
    person.refresh_from_db()
    assert (person.status, person.archived_at) == ("active", None)


def test_it_invites_a_person_and_links_the_account(
    curator_client, school, django_capture_on_commit_callbacks
):
    person = PersonFactory(organisation=school, email="anna@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(
            reverse("people:person-invite", args=[school.pk, person.pk]), {"role": "mentee"}
        )
    person.refresh_from_db()
    assert person.user.email == "anna@example.org"
    assert person.user.memberships.get().role == "mentee"
    assert mail.outbox[0].to == ["anna@example.org"]


def test_it_explains_that_an_invite_needs_an_email(curator_client, school):
    person = PersonFactory(organisation=school, email="")
    response = curator_client.post(
        reverse("people:person-invite", args=[school.pk, person.pk]),
        {"role": "mentee"},
        follow=True,
    )
    assert [e for e in errors(response) if "Укажите e-mail сотрудника" in e], errors(response)


def test_it_forbids_editing_to_the_head(head_client, school):
    person = PersonFactory(organisation=school)
    url = reverse("people:person-edit", args=[school.pk, person.pk])
    assert head_client.get(url).status_code == 403
