"""A methodist of a municipality reads its schools but writes only at the municipality.

Writing into a school (its news, public page, social pages, API keys, library, events) needs a
role held at the school itself; the administrator above is the one exception. Every URL is
covered by tests/test_authz_matrix.py; here are the attacker's requests end to end.
"""

import datetime

import pytest
from django.urls import reverse

from apps.api.models import ApiToken
from apps.api.tests.conftest import ApiClient, issue
from apps.api.tokens import hash_key
from apps.events.models import Event
from apps.library.models import Material
from apps.orgs.choices import Role
from apps.publicity.models import Post, PostStatus, PublicPage, SocialAccount
from conftest import client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def school_post(school) -> Post:
    return Post.objects.create(organisation=school, title="Новость школы", body="<p>Текст.</p>")


def test_it_forbids_a_methodist_to_write_a_schools_news(methodist_client, school):
    response = methodist_client.post(
        reverse("publicity:post-create", args=[school.pk]), {"title": "Чужая", "body": "Текст"}
    )
    assert response.status_code == 403
    assert not Post.objects.filter(title="Чужая").exists()


def test_it_forbids_a_methodist_to_publish_a_schools_news(methodist_client, school):
    post = school_post(school)
    url = reverse("publicity:post-detail", args=[school.pk, post.pk])
    assert methodist_client.post(url, {"action": "publish"}).status_code == 403
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT


def test_it_forbids_a_methodist_the_schools_public_page_and_social_tokens(methodist_client, school):
    settings_url = reverse("publicity:settings", args=[school.pk])
    vk_url = reverse("publicity:social", args=[school.pk, "vk"])
    assert methodist_client.get(settings_url).status_code == 403
    assert methodist_client.post(settings_url, {"page-is_published": "on"}).status_code == 403
    assert methodist_client.get(vk_url).status_code == 403
    response = methodist_client.post(vk_url, {"target": "1", "token": "t", "is_active": "on"})
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert not PublicPage.objects.filter(organisation=school, is_published=True).exists()


def test_it_forbids_a_methodist_to_create_a_schools_api_key(methodist_client, school):
    url = reverse("api_tokens:token-list", args=[school.pk])
    response = methodist_client.post(url, {"name": "x", "role": Role.MENTOR, "scope": "write"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_it_forbids_a_methodist_to_write_a_schools_library_and_events(methodist_client, school):
    material = Material.objects.create(organisation=school, title="Памятка", body="Текст")
    create = methodist_client.post(
        reverse("library:create", args=[school.pk]), {"title": "Чужой", "kind": "material"}
    )
    moderate = methodist_client.post(
        reverse("library:moderate", args=[school.pk, material.pk]), {"action": "submit"}
    )
    event = methodist_client.post(reverse("events:create", args=[school.pk]), {"title": "Чужое"})
    assert (create.status_code, moderate.status_code, event.status_code) == (403, 403, 403)
    assert list(Material.objects.values_list("title", "status")) == [("Памятка", "draft")]
    assert not Event.objects.exists()


def test_it_forbids_a_methodist_to_invite_to_a_schools_event(methodist_client, school):
    start = datetime.datetime(2099, 3, 1, 10, tzinfo=datetime.UTC)
    event = Event.objects.create(
        organisation=school, kind="session", title="Сессия", audience="mentors", place="Зал",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2),
    )  # fmt: skip
    url = reverse("events:detail", args=[school.pk, event.pk])
    assert methodist_client.get(url).status_code == 200
    assert methodist_client.post(url, {"action": "invite"}).status_code == 403
    assert event.participants.count() == 0


def test_it_forbids_a_municipal_methodists_key_to_write_into_a_school(school, municipality):
    client = ApiClient(issue(municipality, Role.METHODIST, "write"))
    start = datetime.datetime(2099, 3, 1, 10, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=1)
    response = client.post(
        f"/organisations/{school.pk}/events",
        {"kind": "seminar", "title": "Семинар", "audience": "staff", "place": "Каб. 5",
         "starts_at": start.isoformat(), "ends_at": end.isoformat()},
    )  # fmt: skip
    assert response.status_code == 403
    assert not Event.objects.exists()
    assert client.get(f"/organisations/{school.pk}/events").status_code == 200


def test_it_keeps_the_methodists_own_level_work(methodist_client, municipality, school):
    news = methodist_client.post(
        reverse("publicity:post-create", args=[municipality.pk]), {"title": "Итоги", "body": "Т"}
    )
    assert news.status_code == 302
    assert Post.objects.get(title="Итоги").organisation == municipality
    assert (
        methodist_client.get(reverse("publicity:settings", args=[municipality.pk])).status_code
        == 200
    )
    key = methodist_client.post(
        reverse("api_tokens:token-list", args=[municipality.pk]),
        {"name": "Выгрузка", "role": Role.METHODIST, "scope": "read"},
    )
    assert key.status_code == 200
    assert key.context["new_key"].startswith("nst_")


def test_it_lets_the_methodist_promote_a_schools_practice(methodist_client, municipality, school):
    material = Material.objects.create(
        organisation=school, title="Практика", body="Текст", status="published"
    )
    response = methodist_client.post(
        reverse("library:moderate", args=[municipality.pk, material.pk]),
        {"action": "promote", "to": "public"},
    )
    assert response.status_code == 302
    assert Material.objects.get(pk=material.pk).visibility == "public"


def test_it_lets_an_administrator_above_write_into_a_school(municipality, school):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=municipality, role=Role.ADMIN)
    response = client_for(admin).post(
        reverse("publicity:post-create", args=[school.pk]), {"title": "От администратора"}
    )
    assert response.status_code == 302
    assert Post.objects.get(title="От администратора").organisation == school


def test_it_stops_a_schools_key_a_methodist_made_before(methodist, school):
    key = "nst_" + "k" * 43
    ApiToken.objects.create(
        organisation=school, name="Старый", role=Role.METHODIST, scope="write",
        key_hash=hash_key(key), prefix=key[4:12], created_by=methodist,
    )  # fmt: skip
    response = ApiClient(key).get("/organisations")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "API-ключ больше не действует: у его владельца нет прав на эту роль."
    }
