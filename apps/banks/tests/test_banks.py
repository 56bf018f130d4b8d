"""Banks: profiles built from submitted questionnaires, consent gating, pages and export."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.banks.models import Profile, ProfileChange
from apps.banks.services import add_profile
from apps.core.years import academic_year
from apps.people.consents import withdraw_consent
from apps.surveys.models import Answer, Campaign, Invitation
from apps.surveys.services import install_shipped, submit
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import errors, text_of, texts

pytestmark = on_school_day  # dates below are of the 2026/2027 school year


@pytest.fixture
def shipped(school):
    return install_shipped(org=school)


def answered(school, template, person, grid_level=4, capacity="2"):
    campaign, _ = Campaign.objects.get_or_create(
        organisation=school,
        template=template,
        title=template.title,
        defaults={"deadline": timezone.localdate() + datetime.timedelta(days=5)},
    )
    invitation = Invitation.objects.create(campaign=campaign, person=person)
    competencies = list(school.competencies.all())
    for q in template.questions.all():
        if q.kind == "single":
            value = capacity if q.profile_field == "capacity" else q.choices[0]
        elif q.kind == "grid":
            value = {str(c.pk): grid_level for c in competencies}
        else:
            value = {"scale": 8, "multiple": q.choices[:1]}.get(q.kind)
        if value is not None:
            Answer.objects.create(invitation=invitation, question=q, value=value)
    submit(invitation=invitation, questions=list(template.questions.all()))
    return invitation


def test_a_submitted_needs_survey_builds_a_mentee_profile(school, shipped):
    person = PersonFactory(organisation=school)
    answered(school, shipped[0], person, grid_level=5)
    profile = Profile.objects.get(person=person)
    assert (profile.kind, profile.year, profile.source) == ("mentee", academic_year(), "survey")
    assert set(profile.competencies.values()) == {5}
    assert profile.forms == ["Традиционное «один на один»"]
    assert ProfileChange.objects.get(profile=profile).summary.startswith("Создан по анкете")


def test_a_mentor_survey_sets_capacity(school, shipped):
    person = PersonFactory(organisation=school)
    answered(school, shipped[1], person, capacity="3")
    assert Profile.objects.get(person=person, kind="mentor").capacity == 3


def test_the_bank_shows_only_people_with_consent(curator_client, school, shipped):
    with_consent = PersonFactory(organisation=school, last_name="Согласная")
    ConsentFactory(person=with_consent)
    without = PersonFactory(organisation=school, last_name="Безсогласия")
    for person in (with_consent, without):
        answered(school, shipped[0], person)
    page = curator_client.get(reverse("banks:mentee-list", args=[school.pk]))
    assert texts(page, "tbody a") == [with_consent.full_name]
    assert text_of(page, ".alert-warning").startswith(
        "Ответили на анкету, но не дали согласия на обработку персональных данных: 1."
    )


def test_a_withdrawn_consent_removes_from_the_bank(curator_client, school, shipped):
    person = PersonFactory(organisation=school, last_name="Отозвавшая")
    consent = ConsentFactory(person=person)
    answered(school, shipped[0], person)
    url = reverse("banks:mentee-list", args=[school.pk])
    assert texts(curator_client.get(url), "tbody a") == [person.full_name]
    withdraw_consent(consent=consent)
    assert texts(curator_client.get(url), "tbody a") == []


def test_filters_and_sorting(curator_client, school, shipped):
    first_competency = school.competencies.first()
    strong = PersonFactory(organisation=school, last_name="Сильная")
    weak = PersonFactory(organisation=school, last_name="Слабая")
    for person, level in ((strong, 5), (weak, 2)):
        ConsentFactory(person=person)
        answered(school, shipped[1], person, grid_level=level)
    url = reverse("banks:mentor-list", args=[school.pk])
    page = curator_client.get(f"{url}?competency={first_competency.pk}&level=4")
    assert texts(page, "tbody a") == [strong.full_name]
    assert weak.full_name not in page.content.decode()


def test_export_to_xlsx(curator_client, school, shipped):
    person = PersonFactory(organisation=school, last_name="Экспортова")
    ConsentFactory(person=person)
    answered(school, shipped[1], person)
    response = curator_client.get(reverse("banks:mentor-export", args=[school.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == person.full_name
    assert sheet["G1"].value == "Может взять"


def test_the_curator_adds_a_person_by_hand(curator_client, curator, school, shipped):
    person = PersonFactory(organisation=school)
    ConsentFactory(person=person)
    competency = school.competencies.first()
    response = curator_client.post(
        reverse("banks:mentor-add", args=[school.pk]),
        {"person": person.pk, "status": "in_bank", "capacity": 2,
         f"c_{competency.pk}": 5, "motivation": "Собеседование 12.11"},
    )  # fmt: skip
    profile = Profile.objects.get(person=person)
    assert response.status_code == 302
    assert (profile.source, profile.capacity, profile.competencies) == (
        "manual",
        2,
        {str(competency.pk): 5},
    )


def test_people_without_consent_cannot_be_added_by_hand(curator_client, school, shipped):
    person = PersonFactory(organisation=school)
    response = curator_client.post(
        reverse("banks:mentee-add", args=[school.pk]), {"person": person.pk, "status": "in_bank"}
    )
    assert response.status_code == 200
    assert not Profile.objects.exists()


def test_capacity_over_ten_is_refused(curator_client, school, shipped):
    person = PersonFactory(organisation=school)
    ConsentFactory(person=person)
    response = curator_client.post(
        reverse("banks:mentor-add", args=[school.pk]),
        {"person": person.pk, "status": "in_bank", "capacity": 40},
    )
    assert errors(response) == ["Не больше 10 наставляемых."]
    assert not Profile.objects.exists()


def test_a_person_updates_their_own_profile_with_history(client, mentor, school, shipped):
    person = PersonFactory(organisation=school, user=mentor)
    ConsentFactory(person=person)
    profile = add_profile(org=school, person=person, kind="mentor", values={"capacity": 1}, by=None)
    client.force_login(mentor)
    url = reverse("banks:my-profile", args=[profile.pk])
    assert url in client.get(reverse("surveys:my-surveys")).content.decode()
    response = client.post(url, {"capacity": 2, "motivation": "Готова"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.capacity, profile.status) == (2, "in_bank")
    assert profile.changes.first().summary == "Изменено: число наставляемых, мотивация"


def test_nobody_edits_someone_elses_profile(client, mentee, school, shipped):
    profile = add_profile(
        org=school, person=PersonFactory(organisation=school), kind="mentee", values={}, by=None
    )
    client.force_login(mentee)
    assert client.get(reverse("banks:my-profile", args=[profile.pk])).status_code == 404


def test_the_head_reads_but_does_not_edit(head_client, school, shipped):
    profile = add_profile(
        org=school, person=PersonFactory(organisation=school), kind="mentee", values={}, by=None
    )
    url = reverse("banks:profile-detail", args=[school.pk, profile.pk])
    assert head_client.get(url).status_code == 200
    assert head_client.post(url, {"status": "left"}).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_bank_page_has_a_flat_query_count(
    curator_client, school, shipped, count, django_assert_num_queries
):
    for _ in range(count):
        person = PersonFactory(organisation=school)
        ConsentFactory(person=person)
        add_profile(org=school, person=person, kind="mentee", values={}, by=None)
    with django_assert_num_queries(9):
        curator_client.get(reverse("banks:mentee-list", args=[school.pk]))
