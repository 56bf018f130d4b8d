"""Accounts and staff records: linked by e-mail when certain, offered to the curator otherwise."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.documents.forms import IssueForm
from apps.documents.models import DocKind
from apps.orgs.choices import Role
from apps.orgs.models import User
from apps.people.models import ImportBatch, Person
from tests.factories import MembershipFactory, PersonFactory, UserFactory
from tests.html import texts


def invite(client, org, email: str, role: str = "curator", full_name: str = ""):
    return client.post(
        reverse("orgs:member-list", args=[org.pk]),
        {"email": email, "full_name": full_name, "role": role},
    )


def link_url(org, person) -> str:
    return reverse("people:person-link", args=[org.pk, person.pk])


def card(client, org, person):
    return client.get(reverse("people:person-detail", args=[org.pk, person.pk]))


# Linked by e-mail ------------------------------------------------------------------------------


def test_it_links_an_invited_account_to_the_staff_record_with_its_email(head_client, school):
    person = PersonFactory(organisation=school, email="Sokolova@S1.example.org")
    invite(head_client, school, "sokolova@s1.example.org", role=Role.CURATOR)
    person.refresh_from_db()
    assert person.user == User.objects.get(email="sokolova@s1.example.org")
    # the curator-appointment order now starts from the linked person
    assert IssueForm(org=school, kind=DocKind.CURATOR).initial["person"] == person


def test_it_links_a_staff_record_created_after_the_account(curator_client, school):
    invite(curator_client, school, "orlova@s1.example.org", role=Role.MENTOR)
    curator_client.post(
        reverse("people:person-create", args=[school.pk]),
        {"last_name": "Орлова", "first_name": "Вера", "position": "Учитель",
         "category": "none", "status": "active", "email": "Orlova@s1.example.org"},
    )  # fmt: skip
    person = Person.objects.get(last_name="Орлова")
    assert person.user.email == "orlova@s1.example.org"


def test_it_links_imported_staff_records_to_accounts_with_their_emails(curator_client, school):
    invite(curator_client, school, "kotov@s1.example.org", role=Role.MENTOR)
    invite(curator_client, school, "twice@s1.example.org", role=Role.MENTOR)
    workbook = openpyxl.Workbook()
    workbook.active.append(["Фамилия", "Имя", "Должность", "E-mail"])
    for row in (["Котов", "Илья", "Учитель", "kotov@s1.example.org"],
                ["Белова", "Анна", "Учитель", "twice@s1.example.org"],
                ["Белов", "Иван", "Учитель", "twice@s1.example.org"]):  # fmt: skip
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    curator_client.post(
        reverse("people:import-upload", args=[school.pk]),
        {"file": SimpleUploadedFile("staff.xlsx", buffer.getvalue())},
    )
    batch = ImportBatch.objects.get()
    curator_client.post(reverse("people:import-apply", args=[school.pk, batch.pk]))
    linked = dict(Person.objects.values_list("last_name", "user__email"))
    assert linked == {"Котов": "kotov@s1.example.org", "Белова": None, "Белов": None}


def test_it_does_not_link_by_email_in_another_school(head_client, school, other_school):
    PersonFactory(organisation=other_school, email="new@s1.example.org")
    invite(head_client, school, "new@s1.example.org", role=Role.MENTOR)
    assert Person.objects.filter(user__isnull=False).count() == 0


# Offered when ambiguous --------------------------------------------------------------------


def test_it_offers_both_records_sharing_an_email_and_links_the_confirmed_one(
    curator_client, school
):
    first = PersonFactory(organisation=school, email="pair@s1.example.org")
    second = PersonFactory(organisation=school, email="pair@s1.example.org")
    invite(curator_client, school, "pair@s1.example.org", role=Role.MENTOR)
    assert Person.objects.filter(user__isnull=False).count() == 0  # not certain: not linked
    account = User.objects.get(email="pair@s1.example.org")
    page = card(curator_client, school, second)
    assert texts(page, ".account-match span") == ["—, pair@s1.example.org"]
    response = curator_client.post(link_url(school, second), {"user": account.pk}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Учётная запись pair@s1.example.org связана с сотрудником."
    ]
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.user, first.user) == (account, None)
    assert texts(card(curator_client, school, first), ".account-match") == []


def test_it_offers_a_name_match_without_email_on_the_card_and_the_users_page(
    curator_client, school
):
    person = PersonFactory(
        organisation=school, last_name="Тарасова", first_name="Виктория", middle_name="Денисовна"
    )
    invite(curator_client, school, "vika@mail.example", Role.MENTOR, "Тарасова Виктория Денисовна")
    account = User.objects.get(email="vika@mail.example")
    assert texts(card(curator_client, school, person), ".account-match span") == [
        "Тарасова Виктория Денисовна, vika@mail.example"
    ]
    users = curator_client.get(reverse("orgs:member-list", args=[school.pk]))
    assert "не связан — найти в кадрах" in texts(users, ".member-person")
    page = curator_client.get(reverse("people:account-match", args=[school.pk, account.pk]))
    assert [t.split(" — ")[0] for t in texts(page, ".person-match span")] == [person.full_name]
    curator_client.post(link_url(school, person), {"user": account.pk, "back": "account"})
    person.refresh_from_db()
    assert person.user == account
    users = curator_client.get(reverse("orgs:member-list", args=[school.pk]))
    assert "Тарасова В.Д." in texts(users, ".member-person")


# Access and bad input ------------------------------------------------------------------------


def test_it_links_only_by_post(curator_client, school):
    person = PersonFactory(organisation=school)
    assert curator_client.get(link_url(school, person)).status_code == 405


def test_it_refuses_linking_to_a_mentor(mentor_client, school):
    person = PersonFactory(organisation=school)
    assert mentor_client.post(link_url(school, person), {"user": 1}).status_code == 403


def test_it_hides_another_schools_records_and_accounts(outsider_client, school, mentor):
    person = PersonFactory(organisation=school)
    assert outsider_client.post(link_url(school, person), {"user": mentor.pk}).status_code == 404
    own = outsider_client.get(reverse("people:account-match", args=[school.pk, mentor.pk]))
    assert own.status_code == 404


def test_it_answers_404_for_an_account_without_a_role_in_the_school(curator_client, school):
    stranger = UserFactory()
    url = reverse("people:account-match", args=[school.pk, stranger.pk])
    assert curator_client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["abc", "", "99999999999999999999"])
def test_it_answers_400_for_a_bad_account_number(curator_client, school, value):
    person = PersonFactory(organisation=school)
    assert curator_client.post(link_url(school, person), {"user": value}).status_code == 400


def test_it_refuses_an_account_that_was_not_offered(curator_client, school, mentor):
    person = PersonFactory(organisation=school, last_name="Котова", email="k@s1.example.org")
    response = curator_client.post(link_url(school, person), {"user": mentor.pk}, follow=True)
    assert next(str(m) for m in response.context["messages"]).startswith(
        "Эту учётную запись нельзя связать с сотрудником"
    )
    person.refresh_from_db()
    assert person.user is None


@pytest.mark.parametrize("count", [1, 3])
def test_it_lists_users_with_their_staff_records_in_flat_queries(
    curator_client, school, count, django_assert_num_queries
):
    for index in range(count):
        user = UserFactory(email=f"t{index}@s1.example.org")
        MembershipFactory(user=user, organisation=school, role=Role.MENTOR)
        PersonFactory(organisation=school, user=user)
    with django_assert_num_queries(6):
        curator_client.get(reverse("orgs:member-list", args=[school.pk]))
