"""Pages of API keys: the key is shown once, roles are limited, revocation works."""

import pytest
from django.urls import reverse

from apps.api.models import ApiToken
from apps.orgs.choices import Role
from tests.html import text_of

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_create_shows_the_key_once(school, curator_client):
    url = reverse("api_tokens:token-list", args=[school.pk])
    response = curator_client.post(url, {"name": "Выгрузка", "role": Role.MENTOR, "scope": "read"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("nst_")
    assert text_of(response, "pre code") == key
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert token.role == Role.MENTOR
    assert token.created_by.email == "curator@s1.example.org"
    assert key not in curator_client.get(url).content.decode()
    assert ApiClient(key).get("/organisations").status_code == 200


def test_roles_are_limited_to_the_users_own(school, curator_client):
    url = reverse("api_tokens:token-list", args=[school.pk])
    choices = [c[0] for c in curator_client.get(url).context["form"].fields["role"].choices]
    assert choices == [Role.CURATOR, Role.MENTOR, Role.MENTEE]
    response = curator_client.post(url, {"name": "x", "role": Role.ADMIN, "scope": "write"})
    assert response.context["form"].errors["role"]
    assert not ApiToken.objects.exists()


def test_past_expiry_is_refused(school, curator_client):
    url = reverse("api_tokens:token-list", args=[school.pk])
    response = curator_client.post(
        url, {"name": "x", "role": Role.CURATOR, "scope": "read", "expires_on": "2000-01-01"}
    )
    assert response.context["form"].errors["expires_on"] == ["Дата окончания уже прошла."]


def test_revoke(school, curator_client, outsider_client):
    url = reverse("api_tokens:token-list", args=[school.pk])
    key = curator_client.post(url, {"name": "x", "role": Role.CURATOR, "scope": "read"}).context[
        "new_key"
    ]
    token = ApiToken.objects.get()
    revoke = reverse("api_tokens:token-revoke", args=[school.pk, token.pk])
    assert outsider_client.post(revoke).status_code == 404
    assert curator_client.get(revoke).status_code == 405
    assert curator_client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(key).get("/organisations").status_code == 401


def test_mentor_cannot_manage_keys(school, mentor_client):
    assert mentor_client.get(reverse("api_tokens:token-list", args=[school.pk])).status_code == 403


def test_sidebar_links_the_page(school, methodist_client, municipality):
    url = reverse("api_tokens:token-list", args=[municipality.pk])
    page = methodist_client.get(url)
    assert page.status_code == 200
    assert f'href="{url}">API-ключи</a>' in page.content.decode()
