"""The one name guard of every public output, tried as an anonymous visitor with plain GETs.

A teacher without a distribution consent is named in a best practice (author, annotation) and
in a public event (programme, speakers); nothing of her may reach a public page, feed, calendar
or embed block of the school, the municipality or the region — until she consents, and again
after she withdraws.
"""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache as django_cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from apps.core.years import academic_year
from apps.events.models import Event
from apps.library.models import Material
from apps.people.choices import ConsentKind
from apps.people.consents import withdraw_consent
from apps.people.models import Consent
from apps.publicity.models import Post, PostStatus
from apps.publicity.services import add_image, page_for, publish, sanitize
from apps.publicity.tests.test_publicity import jpeg
from apps.roadmap.models import RoadmapItem
from tests.clock import SCHOOL_DAY, on_school_day
from tests.factories import ConsentFactory, OrganisationFactory, PersonFactory

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

NOW = SCHOOL_DAY
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
MEETING = "https://meet.example.org/j/8812?pwd=Secr3tPwd"
# Every form of her name the texts below use, lower-cased, ё → е.
HER = ("соколов", "анна игоревна", "анны игоревны", "анной игоревной")

PUBLIC_ROUTES = [  # (route, level): everything an anonymous visitor can GET by an address
    ("publicity:page", "school"),
    ("publicity:page", "municipality"),
    ("publicity:page", "region"),
    ("publicity:news-list", "school"),
    ("publicity:news-list", "municipality"),
    ("publicity:documents", "school"),
    ("publicity:feed", "school"),
    ("publicity:feed", "municipality"),
    ("publicity:feed", "region"),
    ("publicity:events-ics", "school"),
    ("publicity:events-ics", "municipality"),
    ("publicity:events-ics", "region"),
    ("publicity:embed", "school"),
    ("publicity:embed", "municipality"),
]
# Routes that would name her once she consents (the others show no post of the school).
WITH_HER = [
    r for r in PUBLIC_ROUTES
    if r not in {("publicity:documents", "school"), ("publicity:news-list", "municipality"),
                 ("publicity:embed", "municipality")}
]  # fmt: skip


def opened(org):
    page = page_for(org)
    page.is_published = True
    page.save()
    return org


def distribution(person, items=("name",)):
    return ConsentFactory(
        person=person, kind=ConsentKind.DISTRIBUTION, allowed_items=list(items),
        given_on=datetime.date(2026, 9, 1), valid_until=None,
    )  # fmt: skip


@pytest.fixture
def orgs(school, municipality, region):
    return {
        "school": opened(school),
        "municipality": opened(municipality),
        "region": opened(region),
    }


@pytest.fixture
def sokolova(school):
    return PersonFactory(
        organisation=school, last_name="Соколова", first_name="Анна", middle_name="Игоревна",
        gender="female",
    )  # fmt: skip


@pytest.fixture
def practice(school, sokolova):
    return Material.objects.create(
        organisation=school, kind="practice", status="published", visibility="public",
        title="Наставничество в цифровой среде", author="Соколова А. И.",
        annotation="Практику разработала Анна Игоревна Соколова для молодых учителей.",
    )  # fmt: skip


@pytest.fixture
def seminar(school, sokolova):
    return Event.objects.create(
        organisation=school, kind="seminar", title="Семинар «Современный урок»",
        audience="pairs", starts_at=NOW + 72 * HOUR, ends_at=NOW + 74 * HOUR,
        place="Актовый зал", online_url=MEETING, is_public=True,
        programme="Открытый урок ведёт Соколова Анна Игоревна.", speakers="А. И. Соколова",
    )  # fmt: skip


def get(route: str, org) -> str:
    """The response as plain text, lower-cased, with iCal's folded lines joined."""
    response = Client().get(reverse(route, args=[org.slug]))
    assert response.status_code == 200, route
    return response.content.replace(b"\r\n ", b"").decode().lower().replace("ё", "е")


def names_her(text: str) -> list[str]:
    return [form for form in HER if form in text]


def ics_descriptions(org) -> dict[str, str]:
    response = Client().get(reverse("publicity:events-ics", args=[org.slug]))
    calendar = Calendar.from_ical(response.content)
    return {
        str(item["summary"]): str(item.get("description", "")) for item in calendar.walk("VEVENT")
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "level"), PUBLIC_ROUTES)
def test_it_never_shows_a_name_without_consent_to_an_anonymous_visitor(
    route, level, orgs, practice, seminar
):
    assert names_her(get(route, orgs[level])) == []


@pytest.mark.django_db
def test_it_lists_the_practice_and_the_event_without_her_texts(orgs, practice, seminar):
    page = get("publicity:page", orgs["school"])
    assert "<strong>наставничество в цифровой среде</strong></li>" in page  # no author, no text
    assert "<strong>семинар «современный урок»</strong>, актовый зал" in page
    assert ics_descriptions(orgs["region"]) == {"Семинар: Семинар «Современный урок»": ""}


@pytest.mark.django_db
def test_it_shows_author_annotation_and_programme_with_a_consent_allowing_the_name(
    orgs, practice, seminar, sokolova
):
    distribution(sokolova)
    for level in ("school", "municipality", "region"):
        page = get("publicity:page", orgs[level])
        assert "<strong>наставничество в цифровой среде</strong> — соколова а. и." in page
        assert "практику разработала анна игоревна соколова для молодых учителей." in page
    assert ics_descriptions(orgs["municipality"]) == {
        "Семинар: Семинар «Современный урок»": "Открытый урок ведёт Соколова Анна Игоревна.\n"
        "Выступают: А. И. Соколова"
    }


@pytest.mark.django_db
def test_it_does_not_count_a_consent_without_the_name(orgs, practice, seminar, sokolova):
    distribution(sokolova, items=("position", "photo"))
    assert names_her(get("publicity:page", orgs["school"])) == []
    assert names_her(get("publicity:events-ics", orgs["school"])) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "level"), WITH_HER)
def test_it_takes_her_down_everywhere_when_she_withdraws(
    route, level, orgs, practice, seminar, sokolova
):
    consent = distribution(sokolova)
    post = publish(
        Post.objects.create(
            organisation=orgs["school"], title="Открытый урок Анны Игоревны Соколовой",
            body=sanitize("Итоги семинара."),
        )
    )  # fmt: skip
    assert names_her(get(route, orgs[level])) != []
    withdraw_consent(consent=consent)
    assert names_her(get(route, orgs[level])) == []  # the cached copy is gone too
    assert Post.objects.get(pk=post.pk).status == PostStatus.WITHDRAWN


@pytest.mark.django_db
def test_it_takes_her_down_when_the_consent_is_narrowed(orgs, practice, sokolova):
    consent = distribution(sokolova)
    assert names_her(get("publicity:page", orgs["municipality"])) != []
    consent.allowed_items = ["position"]
    consent.save()
    assert names_her(get("publicity:page", orgs["municipality"])) == []


@pytest.mark.django_db
def test_it_takes_her_down_when_the_consent_expires(orgs, practice, sokolova):
    consent = distribution(sokolova, items=("name", "photo"))
    post = Post.objects.create(
        organisation=orgs["school"], title="Новость",
        body=sanitize("Поздравляем Анну Игоревну Соколову!"),
    )  # fmt: skip
    image = add_image(post, jpeg(), alt="Награждение", people=[sokolova])
    publish(post)
    photo = reverse("publicity:photo", args=[orgs["school"].slug, image.pk])
    assert Client().get(photo).status_code == 200
    assert names_her(get("publicity:page", orgs["school"])) != []
    # Expiry sends no signal: the pages rebuild when the cache runs out.
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - DAY)
    django_cache.clear()
    for route in ("publicity:page", "publicity:feed", "publicity:news-list", "publicity:embed"):
        assert names_her(get(route, orgs["school"])) == [], route
    url = reverse("publicity:post", args=[orgs["school"].slug, post.pk])
    assert (Client().get(url).status_code, Client().get(photo).status_code) == (404, 404)


@pytest.mark.django_db
def test_it_withholds_the_pages_own_texts_naming_her(orgs, sokolova):
    page = page_for(orgs["school"])
    page.about = "Наставничество в школе ведёт Соколова Анна Игоревна."
    page.contact_name = "Соколова Анна Игоревна"
    page.contact_email = "mentor@s1.example.org"
    page.save()
    text = get("publicity:page", orgs["school"])
    assert names_her(text) == []  # neither the text, nor <meta description>, nor og:description
    assert "mentor@s1.example.org" in text
    distribution(sokolova)
    text = get("publicity:page", orgs["school"])
    assert '<meta property="og:description" content="наставничество в школе ведет соколова' in text


@pytest.mark.django_db
def test_it_withholds_a_roadmap_item_naming_her(orgs, school, sokolova):
    common = {"organisation": school, "year": academic_year(), "stage": 4,
              "start": datetime.date(2026, 10, 1), "end": datetime.date(2026, 10, 31)}  # fmt: skip
    RoadmapItem.objects.create(activity="Установочная сессия", **common)
    RoadmapItem.objects.create(activity="Отчёт Соколовой Анны Игоревны", **common)
    text = get("publicity:page", school)
    assert (names_her(text), "установочная сессия — 01.10.2026–31.10.2026" in text) == ([], True)


@pytest.mark.django_db
def test_it_names_on_a_post_page_only_a_public_event(orgs, school, internal):
    post = publish(Post.objects.create(organisation=school, title="Итоги", event=internal[1]))
    url = reverse("publicity:post", args=[school.slug, post.pk])
    assert "Разбор трудных случаев" not in Client().get(url).content.decode()
    internal[1].is_public = True
    internal[1].save()
    page = Client().get(url).content.decode()
    assert "Мероприятие: Консультация «Разбор трудных случаев»" in page


@pytest.mark.django_db
def test_it_omits_an_author_it_cannot_find_in_the_register(orgs, school):
    Material.objects.create(
        organisation=school, kind="practice", status="published", visibility="public",
        title="Клуб молодого педагога", author="Петров",  # a surname alone names nobody
    )  # fmt: skip
    assert "<strong>клуб молодого педагога</strong></li>" in get("publicity:page", school)


@pytest.mark.django_db
def test_it_does_not_list_an_event_whose_title_names_her(orgs, school, sokolova):
    Event.objects.create(
        organisation=school, kind="seminar", title="Мастер-класс Соколовой Анны Игоревны",
        audience="staff", starts_at=NOW + 72 * HOUR, ends_at=NOW + 73 * HOUR, place="Каб. 3",
        is_public=True,
    )  # fmt: skip
    assert ics_descriptions(school) == {}
    assert names_her(get("publicity:embed", school)) == []


@pytest.mark.django_db
def test_it_refuses_a_text_it_was_not_given(school):
    from apps.publicity.guard import NameGuard

    guard = NameGuard()
    assert (guard.allows(school, "Любой текст"), guard.allows(school, "  ")) == (False, True)


# --- events: only those marked public, never with the meeting link ---------------------------


@pytest.fixture
def internal(school):
    return [
        Event.objects.create(
            organisation=school, kind="consultation", title="Консультация для пар",
            audience="pairs", starts_at=NOW + 48 * HOUR, ends_at=NOW + 49 * HOUR,
            online_url=MEETING,
        ),
        Event.objects.create(
            organisation=school, kind="consultation", title="Разбор трудных случаев",
            audience="mentors", starts_at=NOW - 49 * HOUR, ends_at=NOW - 48 * HOUR,
            place="Каб. 12",
        ),
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "level"), PUBLIC_ROUTES)
def test_it_keeps_internal_events_and_meeting_links_off_public_routes(route, level, orgs, internal):
    text = get(route, orgs[level])
    leaked = [s for s in ("консультация для пар", "разбор трудных случаев", "meet.example.org",
                          "secr3tpwd") if s in text]  # fmt: skip
    assert leaked == []


@pytest.mark.django_db
def test_it_shows_an_event_marked_public_without_its_online_link(orgs, internal):
    internal[0].is_public = True
    internal[0].save()
    item = Calendar.from_ical(
        Client().get(reverse("publicity:events-ics", args=[orgs["school"].slug])).content
    ).walk("VEVENT")
    assert [(str(e["summary"]), e.get("location")) for e in item] == [
        ("Консультация: Консультация для пар", None)
    ]
    embed = get("publicity:embed", orgs["school"])
    assert "— консультация для пар</li>" in embed
    assert "meet.example.org" not in embed


@pytest.mark.django_db
def test_it_keeps_the_sitemap_to_open_pages_and_published_news(orgs, internal, practice, sokolova):
    consent = distribution(sokolova)
    kept = publish(Post.objects.create(organisation=orgs["school"], title="Итоги года"))
    publish(Post.objects.create(organisation=orgs["school"], title="Урок Анны Игоревны Соколовой"))
    withdraw_consent(consent=consent)
    sitemap = ET.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - our own XML
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert sorted(loc.text for loc in sitemap.findall("s:url/s:loc", ns)) == sorted(
        [f"http://testserver/p/{org.slug}/" for org in orgs.values()]
        + [f"http://testserver/p/{orgs['school'].slug}/news/{kept.pk}/"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("schools", [1, 3])
@pytest.mark.parametrize(
    # With the page cache off the slug costs a query of its own; the roadmap statuses come
    # from the facts the warm-up request cached (13 queries fewer than computing them).
    ("route", "queries"),
    [("publicity:events-ics", 6), ("publicity:page", 13)],
)
def test_it_checks_items_of_many_schools_in_a_flat_number_of_queries(
    route, queries, schools, orgs, municipality, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 0
    for number in range(schools):
        school = OrganisationFactory(parent=municipality, short_name=f"Школа № {number + 10}")
        PersonFactory(organisation=school, last_name="Орлова", first_name="Ольга")
        Event.objects.create(
            organisation=school, kind="seminar", title="Семинар", audience="staff",
            starts_at=NOW + 72 * HOUR, ends_at=NOW + 73 * HOUR, place="Зал",
            programme="Ведёт Ольга Орлова.", is_public=True,
        )  # fmt: skip
        Material.objects.create(
            organisation=school, kind="practice", status="published", visibility="public",
            title="Практика", author="Орлова О.", annotation="Автор — Ольга Орлова.",
        )  # fmt: skip
    client, url = Client(), reverse(route, args=[municipality.slug])
    client.get(url)  # warm up
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_it_takes_down_news_on_the_day_after_the_consent_expired(orgs, sokolova):
    from django.core.management import call_command

    consent = distribution(sokolova)
    post = publish(
        Post.objects.create(
            organisation=orgs["school"], title="Новость",
            body=sanitize("Поздравляем Анну Игоревну Соколову!"),
        )
    )  # fmt: skip
    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.localdate() - 2 * DAY)
    out = io.StringIO()
    call_command("publicity_daily", stdout=out)
    assert out.getvalue().endswith("Снято новостей (истёк срок согласия на распространение): 1.\n")
    assert Post.objects.get(pk=post.pk).status == PostStatus.WITHDRAWN
