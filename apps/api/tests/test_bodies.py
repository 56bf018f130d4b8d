"""A write endpoint takes only a JSON object; withdrawing a consent needs the person's surname."""

import pytest

from apps.api.tokens import create_token
from apps.orgs.choices import Role
from apps.people.models import Consent, Person
from tests.factories import ConsentFactory, MembershipFactory, PersonFactory, UserFactory

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

NOT_OBJECT = 'Тело запроса должно быть JSON-объектом в фигурных скобках: {"поле": значение}.'


def write_endpoints(school, data):
    return [
        ("post", f"/organisations/{school.pk}/staff"),
        ("patch", f"/organisations/{school.pk}/staff/{data.person_id}"),
        ("post", f"/organisations/{school.pk}/consents"),
        ("post", f"/organisations/{school.pk}/consents/{data.consent_id}/withdraw"),
        ("patch", f"/organisations/{school.pk}/tasks/{data.task_id}"),
        ("post", f"/organisations/{school.pk}/events"),
    ]


@pytest.mark.parametrize("raw", ["[]", "null", "[1, 2]", "1", '"text"', "true"])
def test_it_refuses_a_body_that_is_not_an_object(school, data, as_curator, raw):
    person_before = Person.objects.values().get(pk=data.person_id)
    for method, path in write_endpoints(school, data):
        response = getattr(as_curator, method)(path, raw=raw)
        assert (method, path, response.status_code) == (method, path, 400)
        assert response.json() == {"detail": NOT_OBJECT}
    assert Person.objects.values().get(pk=data.person_id) == person_before
    assert Consent.objects.get(pk=data.consent_id).withdrawn_at is None


def withdraw_url(school, consent_id) -> str:
    return f"/organisations/{school.pk}/consents/{consent_id}/withdraw"


def test_it_needs_the_surname_to_withdraw_a_consent(school, data, as_curator):
    response = as_curator.post(withdraw_url(school, data.consent_id), {})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["confirm_last_name"]
    assert Consent.objects.get(pk=data.consent_id).withdrawn_at is None


def test_it_refuses_a_wrong_surname(school, data, as_curator):
    response = as_curator.post(
        withdraw_url(school, data.consent_id), {"confirm_last_name": "Петров"}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "confirm_last_name",
         "message": "Фамилия не совпадает с фамилией сотрудника в согласии."},
    ]  # fmt: skip
    assert Consent.objects.get(pk=data.consent_id).withdrawn_at is None


def test_it_withdraws_with_the_surname_in_any_case(school, data, as_curator):
    Person.objects.filter(pk=data.person_id).update(last_name="Королёва")
    response = as_curator.post(
        withdraw_url(school, data.consent_id), {"confirm_last_name": " КОРОЛЕВА "}
    )
    assert response.status_code == 200, response.content
    assert Consent.objects.get(pk=data.consent_id).withdrawn_at is not None


def test_it_refuses_the_key_creator_withdrawing_their_own_consent(school, data):
    creator = UserFactory()
    MembershipFactory(user=creator, organisation=school, role=Role.ADMIN)
    own = ConsentFactory(
        person=PersonFactory(organisation=school, user=creator, last_name="Орлова")
    )
    _token, key = create_token(
        org=school, user=creator, name="Тест", role=Role.CURATOR, scope="write"
    )
    response = ApiClient(key).post(withdraw_url(school, own.pk), {"confirm_last_name": "Орлова"})
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Своё согласие нельзя отозвать ключом, который вы выпустили: отзовите его на "
        "сайте, в карточке согласия."
    }
    own.refresh_from_db()
    assert own.withdrawn_at is None
