"""Random input into a representative set of forms and API bodies: never a 500, nothing half-saved.

Every field gets either a valid value or an odd one: random text, control characters, huge
numbers, malformed dates and ids, arrays where a string is expected. A request that fails must
leave the tables as they were; one that passes may save. The exact messages are other tests'
business (control characters, for one, are refused by the shared validators).
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.api.tests.conftest import API, fill_school, issue
from apps.banks.models import Profile
from apps.core.years import academic_year
from apps.events.models import Event
from apps.orgs.choices import Role
from apps.orgs.models import Membership, User
from apps.people.models import Consent, Person
from apps.programs.models import FormatType, MentoringUnit, PairingType, UnitMember
from apps.publicity.models import Post
from apps.surveys.models import Answer, Campaign, Invitation
from apps.surveys.services import install_shipped
from conftest import client_for
from tests.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the fixtures are the arranged school, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

ODD = st.sampled_from(
    ["", " ", "0", "-1", "1.5", "1e3", "abc", "NaN", "\x00", "a\x00b", "²", "٣", "9" * 40,
     str(2**31), str(2**63), "-" + "9" * 30, "2025-13-45", "31.02.2025", "00.00.0000",
     "<script>alert(1)</script>", "\u202e\u200b", "null", "[]", "{}", "'; DROP TABLE x; --",
     "я" * 100_000]
)  # fmt: skip
TEXT = st.one_of(
    ODD,
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x1F), max_size=8),  # control characters
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(min_size=250, max_size=400),
)
FORM_VALUE = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3))
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)  # fmt: skip


def form_data(valid: dict) -> st.SearchStrategy[dict]:
    """Each field valid or odd, some left out."""
    return st.fixed_dictionaries(
        {}, optional={name: st.one_of(st.just(value), FORM_VALUE) for name, value in valid.items()}
    )


def json_body(valid: dict) -> st.SearchStrategy:
    fields = st.fixed_dictionaries(
        {}, optional={name: st.one_of(st.just(value), JSON_VALUE) for name, value in valid.items()}
    )
    return st.one_of(fields, fields, JSON_VALUE)  # mostly objects, sometimes not


def counts(*models) -> dict:
    return {model.__name__: model.objects.count() for model in models}


def check_post(client: Client, url: str, data: dict, *models, extra=None) -> None:
    """POST `data`: a 302 may save; anything else must be a 4xx/200 page and save nothing."""
    before = counts(*models)
    snapshot = extra() if extra else None
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400, 403, 404, 413), response.status_code
    if response.status_code != 302:
        assert counts(*models) == before
        if extra:
            assert extra() == snapshot


def check_api(client: Client, method: str, path: str, body, *models, key: str, extra=None) -> None:
    before = counts(*models)
    snapshot = extra() if extra else None
    response = getattr(client, method)(
        API + path, json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )  # fmt: skip
    assert response.status_code in (200, 201, 400, 404, 413, 422), response.content[:300]
    if not isinstance(body, dict):  # an array or null is no PATCH that changes nothing
        assert response.status_code == 400
    if response.status_code not in (200, 201):
        assert counts(*models) == before
        if extra:
            assert extra() == snapshot


def future(days: int, fmt: str = "%d.%m.%Y") -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime(fmt)


@pytest.fixture
def person(school):
    return PersonFactory(organisation=school)


def person_row(pk: int):
    return lambda: Person.objects.values().get(pk=pk)


PERSON = {
    "last_name": "Семёнова", "first_name": "Анна", "middle_name": "Игоревна",
    "birth_date": "14.03.1999", "position": "Учитель", "category": "none", "status": "active",
    "teaching_experience": "3", "org_experience": "1", "email": "anna@example.org",
    "phone": "+7 900 000-00-00", "subjects_text": "Математика", "level_list": ["basic"],
    "hired_on": "01.09.2020", "gender": "female",
}  # fmt: skip


MEMBER = {"email": "new@example.org", "full_name": "Новикова Ольга", "role": "mentor"}


@FUZZ
@given(data=form_data(MEMBER))
def test_it_survives_random_members(curator_client, school, data):
    url = reverse("orgs:member-list", args=[school.pk])
    check_post(curator_client, url, data, Membership, User)


@FUZZ
@given(data=form_data(PERSON))
def test_it_survives_random_staff_create(curator_client, school, data):
    url = reverse("people:person-create", args=[school.pk])
    check_post(curator_client, url, data, Person)


@FUZZ
@given(data=form_data(PERSON))
def test_it_survives_random_staff_edit(curator_client, school, person, data):
    url = reverse("people:person-edit", args=[school.pk, person.pk])
    check_post(curator_client, url, data, Person, extra=person_row(person.pk))


CONSENT = {
    "kind": "duties_mentor", "given_on": future(-1), "method": "paper", "valid_until": future(300),
    "purpose": "Цель", "data_list": "ФИО", "allowed_items": ["name"], "conditions": "",
}  # fmt: skip


@FUZZ
@given(data=form_data(CONSENT))
def test_it_survives_random_consent_entry(curator_client, school, person, data):
    url = reverse("people:consent-create", args=[school.pk, person.pk])
    check_post(curator_client, url, data, Consent)


EVENT = {
    "kind": "seminar", "title": "Семинар", "audience": "staff", "place": "Каб. 5",
    "starts_at": future(10, "%d.%m.%Y 10:00"), "ends_at": future(10, "%d.%m.%Y 12:00"),
    "online_url": "https://example.org/x", "programme": "Программа", "speakers": "Иванова",
}  # fmt: skip


@FUZZ
@given(data=form_data(EVENT))
def test_it_survives_random_event_create(curator_client, school, data):
    check_post(curator_client, reverse("events:create", args=[school.pk]), data, Event)


NEWS = {"title": "Открытый урок", "body": "<p>Текст</p>"}


@FUZZ
@given(data=form_data({**NEWS, "event": "1", "document": "1", "material": "1"}))
def test_it_survives_random_news_create(curator_client, school, data):
    check_post(curator_client, reverse("publicity:post-create", args=[school.pk]), data, Post)


@pytest.fixture
def unit_sample(school, api_school) -> dict:
    """A valid new pair: the mentor of the filled school and a mentee not yet in a unit."""
    _school, ids, _key = api_school
    mentee = PersonFactory(organisation=school)
    ConsentFactory(person=mentee, given_on=timezone.localdate() - datetime.timedelta(days=5))
    Profile.objects.create(organisation=school, person=mentee, kind="mentee", year=academic_year())
    return {
        "mentor": str(ids.mentor_id), "mentees": [str(mentee.pk)],
        "pairing": str(PairingType.objects.filter(organisation=school).first().pk),
        "format": str(FormatType.objects.filter(organisation=school).first().pk),
        "start": future(1), "end": future(200),
    }  # fmt: skip


@FUZZ
@given(data=st.data())
def test_it_survives_random_unit_create(curator_client, school, unit_sample, data):
    url = reverse("programs:unit-create", args=[school.pk])
    check_post(curator_client, url, data.draw(form_data(unit_sample)), MentoringUnit, UnitMember)


@pytest.fixture
def invitation(school):
    template = install_shipped(org=school)[0]
    campaign = Campaign.objects.create(
        organisation=school, template=template, title="Запросы", deadline=future(10, "%Y-%m-%d")
    )
    return Invitation.objects.create(campaign=campaign, person=PersonFactory(organisation=school))


@FUZZ
@given(data=st.data())
def test_it_survives_random_survey_answers(client, invitation, data):
    """Good answers are kept while bad ones are refused (by design), so only: never a 500."""
    questions = list(invitation.campaign.template.questions.values_list("pk", flat=True))
    answers = data.draw(
        st.dictionaries(st.sampled_from([f"q{pk}" for pk in questions] + ["send", "x"]),
                        FORM_VALUE, max_size=6)
    )  # fmt: skip
    response = client.post(reverse("surveys:answer", args=[invitation.token]), answers)
    assert response.status_code in (200, 302)
    assert Answer.objects.filter(invitation=invitation).count() <= len(questions)


@pytest.fixture
def api_school(school):
    return school, fill_school(school), issue(school, Role.CURATOR, "write")


API_PERSON = {
    "last_name": "Петрова", "first_name": "Анна", "middle_name": "Ильинична",
    "position": "Учитель", "birth_date": "1995-02-03", "subjects": ["История"],
    "levels": ["basic"], "email": "a@example.org", "teaching_experience": 3,
    "status": "active", "category": "none",
}  # fmt: skip


@FUZZ
@given(body=json_body(API_PERSON))
def test_it_survives_random_api_staff_post(api_school, body):
    school, _ids, key = api_school
    check_api(Client(), "post", f"/organisations/{school.pk}/staff", body, Person, key=key)


@FUZZ
@given(body=json_body(API_PERSON))
def test_it_survives_random_api_staff_patch(api_school, body):
    school, ids, key = api_school
    path = f"/organisations/{school.pk}/staff/{ids.person_id}"
    check_api(Client(), "patch", path, body, Person, key=key, extra=person_row(ids.person_id))


@FUZZ
@given(
    body=json_body(
        {"person_id": 1, "kind": "duties_mentor", "given_on": future(-1, "%Y-%m-%d"),
         "allowed_items": ["name"], "valid_until": future(300, "%Y-%m-%d"), "method": "paper"}
    )
)  # fmt: skip
def test_it_survives_random_api_consents(api_school, body):
    school, _ids, key = api_school
    check_api(Client(), "post", f"/organisations/{school.pk}/consents", body, Consent, key=key)


@FUZZ
@given(data=st.data())
def test_it_survives_random_api_consent_withdrawal(api_school, data):
    school, ids, key = api_school
    last_name = Person.objects.get(pk=ids.person_id).last_name
    body = data.draw(
        json_body({"confirm_last_name": last_name, "withdrawn_on": future(-1, "%Y-%m-%d"),
                   "note": "Заявление"})
    )  # fmt: skip
    path = f"/organisations/{school.pk}/consents/{ids.consent_id}/withdraw"

    def state():
        return Consent.objects.values("withdrawn_at", "withdrawal_note").get(pk=ids.consent_id)

    check_api(Client(), "post", path, body, Consent, key=key, extra=state)


def test_it_starts_from_samples_that_pass(curator_client, school, person, unit_sample):
    """The valid values really are valid, so the random ones land near the success path."""
    posts = [
        ("orgs:member-list", [school.pk], MEMBER),
        ("people:person-create", [school.pk], PERSON),
        ("people:consent-create", [school.pk, person.pk], CONSENT),
        ("events:create", [school.pk], EVENT),
        ("publicity:post-create", [school.pk], NEWS),
        ("programs:unit-create", [school.pk], unit_sample),
    ]
    statuses = [curator_client.post(reverse(n, args=a), d).status_code for n, a, d in posts]
    assert statuses == [302] * len(posts)


@pytest.fixture
def mentor_client(school, mentor):
    PersonFactory(organisation=school, user=mentor)
    return client_for(mentor)


@FUZZ
@given(value=TEXT)
def test_it_survives_random_hand_typed_parameters(curator_client, mentor_client, school, value):
    """Ids, years and search text that views read from the query string or the form by hand."""
    gets = [
        (reverse("roadmap:roadmap", args=[school.pk]), "year"),
        (reverse("monitoring:export", args=[school.pk]), "year"),
        (reverse("banks:mentee-export", args=[school.pk]), "year"),
        (reverse("people:person-list", args=[school.pk]), "q"),
        (reverse("people:consent-overview", args=[school.pk]), "q"),
        (reverse("people:person-search", args=[school.pk]), "people-search"),
        (reverse("people:person-search", args=[school.pk]), "pick"),
        (reverse("people:person-list", args=[school.pk]), "page"),
    ]
    for url, name in gets:
        response = curator_client.get(url, {name: value})
        assert (url, name, response.status_code in (200, 400, 404)) == (url, name, True)
    response = curator_client.post(reverse("documents:archive", args=[school.pk]), {"year": value})
    assert response.status_code in (302, 400)
    response = mentor_client.post(reverse("events:my"), {"id": value})
    assert response.status_code in (302, 400, 404)
