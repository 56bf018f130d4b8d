"""Keys: unknown, expired, revoked, another organisation's; the creator's rights bound a key."""

import datetime

import pytest
from django.utils import timezone

from apps.api.models import ApiToken
from apps.api.tokens import TokenError, create_token, hash_key
from apps.orgs.choices import Role
from apps.orgs.models import Membership
from tests.factories import MembershipFactory, UserFactory

from .conftest import ApiClient, issue

pytestmark = pytest.mark.django_db


def test_no_header_is_401_in_russian(school):
    response = ApiClient(None).get("/organisations")
    assert response.status_code == 401
    assert "API-ключ" in response.json()["detail"]


def test_wrong_key_is_401(school):
    issue(school)
    for key in ("nst_" + "x" * 43, "not-even-ours", "nst_"):
        response = ApiClient(key).get("/organisations")
        assert response.status_code == 401
        assert response.json() == {"detail": "Неверный API-ключ."}


def test_expired_key_is_401(school):
    key = issue(school, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = ApiClient(key).get("/organisations")
    assert response.status_code == 401
    assert response.json()["detail"] == "Срок действия API-ключа истёк."


def test_revoked_key_is_401(school):
    key = issue(school)
    ApiToken.objects.update(revoked_at=timezone.now())
    response = ApiClient(key).get("/organisations")
    assert response.status_code == 401
    assert response.json()["detail"] == "API-ключ отозван."


def test_only_the_hash_is_stored_and_use_is_recorded(school):
    key = issue(school)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key)
    assert key not in token.key_hash
    assert key.startswith("nst_")
    assert token.prefix == key[4:12]
    assert ApiClient(key).get("/organisations").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_another_schools_key_gets_404_for_our_school(school, other_school, data):
    client = ApiClient(issue(other_school, Role.ADMIN, "write"))
    for path in (
        f"/organisations/{school.pk}/staff",
        f"/organisations/{school.pk}/staff/{data.person_id}",
        f"/organisations/{school.pk}/units/{data.unit_id}",
    ):
        assert client.get(path).status_code == 404, path
    response = client.patch(f"/organisations/{school.pk}/tasks/{data.task_id}", {"status": "done"})
    assert response.status_code == 404
    # Its own organisation with our object id: still 404.
    response = client.get(f"/organisations/{other_school.pk}/staff/{data.person_id}")
    assert response.status_code == 404


def test_the_organisation_list_is_the_tokens_subtree(
    region, municipality, school, other_school, far_school
):
    ids = lambda key: {o["id"] for o in ApiClient(key).get("/organisations").json()["items"]}  # noqa: E731
    assert ids(issue(school)) == {school.pk}
    assert ids(issue(municipality, Role.METHODIST)) == {municipality.pk, school.pk, other_school.pk}
    assert far_school.pk in ids(issue(region, Role.ADMIN))


def test_a_key_role_cannot_exceed_the_creators(school):
    curator = UserFactory()
    MembershipFactory(user=curator, organisation=school, role=Role.CURATOR)
    with pytest.raises(TokenError):
        create_token(org=school, user=curator, name="x", role=Role.ADMIN, scope="read")
    with pytest.raises(TokenError):
        create_token(org=school, user=curator, name="x", role=Role.HEAD, scope="read")
    _token, key = create_token(org=school, user=curator, name="x", role=Role.MENTOR, scope="read")
    assert ApiClient(key).get("/organisations").status_code == 200


def test_a_key_stops_when_its_creator_loses_the_role(school):
    curator = UserFactory()
    MembershipFactory(user=curator, organisation=school, role=Role.CURATOR)
    _token, key = create_token(org=school, user=curator, name="x", role=Role.CURATOR, scope="read")
    assert ApiClient(key).get("/organisations").status_code == 200
    Membership.objects.filter(user=curator).delete()
    response = ApiClient(key).get("/organisations")
    assert response.status_code == 401
    assert "нет прав" in response.json()["detail"]
