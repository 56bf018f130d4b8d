"""The cached public pages for anonymous visitors, answered before sessions and the rest of the
middleware (apps.publicity.middleware): the same bytes and headers as the normal way, no query
on a warm cache, the normal way for anyone with a session, and invalidated as the pages are."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache as django_cache
from django.test import Client
from django.urls import resolve, reverse

from apps.people.choices import ConsentKind
from apps.people.consents import withdraw_consent
from apps.publicity import a11y
from apps.publicity.middleware import URLCONF
from apps.publicity.models import Post
from apps.publicity.services import page_for, publish, sanitize
from tests.clock import on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import texts

pytestmark = [on_school_day, pytest.mark.django_db]

# Every cached public page, as (route, level, extra URL arguments).
CACHED = [
    ("publicity:page", "school", []),
    ("publicity:page", "municipality", []),
    ("publicity:news-list", "school", []),
    ("publicity:post", "school", ["post"]),
    ("publicity:documents", "school", []),
    ("publicity:feed", "school", []),
    ("publicity:events-ics", "school", []),
    ("publicity:embed", "school", []),
]
NEWS = "section[aria-labelledby=news-h] .pub-news-item h3"


def opened(org):
    page = page_for(org)
    page.is_published = True
    page.save()
    return org


def new_post(org, title="Новость") -> Post:
    return publish(Post.objects.create(organisation=org, title=title, body=sanitize("Текст.")))


@pytest.fixture
def orgs(school, municipality):
    django_cache.clear()
    return {"school": opened(school), "municipality": opened(municipality)}


@pytest.fixture
def post(orgs):
    return new_post(orgs["school"], title="Сессия наставников прошла")


def url_of(route, level, extra, orgs, post) -> str:
    args = [orgs[level].slug] + [post.pk for _ in extra]
    return reverse(route, args=args)


def fast(response) -> bool:
    """Whether the answer came before the session middleware ran."""
    return not hasattr(response.wsgi_request, "session")


def headers(response) -> dict[str, str]:
    return {k: v for k, v in response.items() if k != "X-Request-ID"}


@pytest.mark.parametrize(("route", "level", "extra"), CACHED)
@pytest.mark.parametrize("method", ["get", "head"])
def test_it_serves_the_same_bytes_and_headers_as_the_normal_way(
    route, level, extra, method, orgs, post
):
    url = url_of(route, level, extra, orgs, post)
    client = Client()
    normal = getattr(client, method)(url)
    cached = getattr(client, method)(url)
    assert (normal.status_code, fast(normal)) == (200, False)
    assert (cached.status_code, fast(cached)) == (200, True)
    assert cached.content == normal.content
    assert headers(cached) == headers(normal)
    assert cached["X-Request-ID"] != normal["X-Request-ID"]
    assert not cached.cookies


def test_it_keeps_the_security_headers_of_the_site(orgs, post):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    Client().get(url)
    response = Client().get(url)
    assert fast(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "Cache-Control" not in response  # any cache may keep a public page, as before
    embed = Client().get(reverse("publicity:embed", args=[orgs["school"].slug]))
    embed = Client().get(reverse("publicity:embed", args=[orgs["school"].slug]))
    assert fast(embed)
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]


@pytest.mark.parametrize("posts", [1, 3])
def test_it_answers_a_warm_cache_without_a_query(posts, orgs, django_assert_num_queries):
    for index in range(posts):
        new_post(orgs["school"], title=f"Новость {index}")
    url = reverse("publicity:page", args=[orgs["school"].slug])
    Client().get(url)
    with django_assert_num_queries(0):
        response = Client().get(url)
    assert fast(response)
    assert len(texts(response, NEWS)) == posts


def test_it_leaves_a_logged_in_user_to_the_normal_way(orgs, post, curator_client):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    Client().get(url)
    response = curator_client.get(url)
    assert (response.status_code, fast(response)) == (200, False)
    assert response["Cache-Control"] == "no-store, private"
    assert texts(response, NEWS) == ["Сессия наставников прошла"]


def test_it_never_keeps_what_a_logged_in_user_got(orgs, post, curator_client):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    curator_client.get(url)
    first = Client().get(url)
    assert (first.status_code, fast(first)) == (200, False)
    assert "Cache-Control" not in first
    assert fast(Client().get(url))


def test_it_leaves_any_session_cookie_to_the_normal_way(orgs, post):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    Client().get(url)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
    response = client.get(url)
    assert (response.status_code, fast(response)) == (200, False)


def test_it_leaves_a_post_and_other_paths_to_the_normal_way(orgs, post):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    client = Client()
    client.get(url)
    assert not fast(client.post(url))
    vi = reverse("publicity:vi")
    client.get(vi)
    assert not fast(client.get(vi))
    no_slash = reverse("publicity:news-list", args=[orgs["school"].slug]).rstrip("/")
    assert not fast(client.get(no_slash))  # APPEND_SLASH redirects as before
    assert client.get(reverse("publicity:page", args=["no-such-school"])).status_code == 404


def test_it_refuses_a_host_the_site_does_not_serve(orgs, post):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    Client().get(url)
    assert Client().get(url, HTTP_HOST="evil.example").status_code == 400


def test_it_shows_a_new_post_and_a_closed_page_at_once(orgs, post):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    client = Client()
    client.get(url)
    assert texts(client.get(url), NEWS) == ["Сессия наставников прошла"]
    new_post(orgs["school"], title="Свежая новость")
    assert texts(client.get(url), NEWS) == ["Свежая новость", "Сессия наставников прошла"]
    response = client.get(url)
    assert fast(response)
    assert texts(response, NEWS) == ["Свежая новость", "Сессия наставников прошла"]
    page = page_for(orgs["school"])
    page.is_published = False
    page.save()
    assert client.get(url).status_code == 404


def test_it_takes_a_name_down_when_the_consent_is_withdrawn(orgs, school):
    person = PersonFactory(
        organisation=school, last_name="Соколова", first_name="Анна", middle_name="Игоревна",
        gender="female",
    )  # fmt: skip
    consent = ConsentFactory(
        person=person, kind=ConsentKind.DISTRIBUTION, allowed_items=["name"],
        given_on=datetime.date(2026, 9, 1), valid_until=None,
    )  # fmt: skip
    new_post(school, title="Открытый урок Анны Игоревны Соколовой")
    url = reverse("publicity:page", args=[school.slug])
    client = Client()
    client.get(url)
    response = client.get(url)
    assert fast(response)
    assert texts(response, NEWS) == ["Открытый урок Анны Игоревны Соколовой"]
    withdraw_consent(consent=consent)
    assert "Соколов" not in client.get(url).content.decode()
    assert "Соколов" not in client.get(url).content.decode()


def test_it_keeps_the_accessible_version_apart(orgs, post):
    url = reverse("publicity:page", args=[orgs["school"].slug])
    plain = Client()
    plain.get(url)
    vi = Client()
    vi.cookies[a11y.COOKIE] = "font-xlarge"
    vi.get(url)
    response = vi.get(url)
    assert fast(response)
    assert "vi-font-xlarge" in response.content.decode()
    assert "vi-font-xlarge" not in plain.get(url).content.decode()


@pytest.mark.parametrize(("route", "level", "extra"), CACHED)
def test_its_short_resolution_agrees_with_the_site(route, level, extra, orgs, post):
    url = url_of(route, level, extra, orgs, post)
    assert resolve(url, URLCONF).func is resolve(url).func
    assert resolve(url).func.public_cache
