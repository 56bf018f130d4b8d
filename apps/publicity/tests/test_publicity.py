"""News, the personal-data guard, social copies, public pages, feeds, cache and the a11y switch."""

from __future__ import annotations

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache as django_cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.documents.models import Document
from apps.events.models import Event
from apps.library.models import Material
from apps.people.choices import ConsentKind
from apps.publicity import delivery
from apps.publicity.models import Delivery, Post, PostStatus, SocialAccount
from apps.publicity.services import (
    PublicityError,
    PublishBlocked,
    add_image,
    page_for,
    propose_drafts,
    publish,
    sanitize,
)
from apps.publicity.tests import stubs
from apps.publicity.tests.stubs import (
    OK_APPLICATION_KEY,
    OK_SECRET_KEY,
    OK_TOKEN,
    TELEGRAM_TOKEN,
    VK_TOKEN,
)
from tests.clock import SCHOOL_DAY, on_school_day
from tests.factories import ConsentFactory, PersonFactory
from tests.html import alerts, errors, one, text_of, texts

pytestmark = on_school_day  # dates below are of the 2026/2027 school year

NOW = SCHOOL_DAY
HOUR = datetime.timedelta(hours=1)


def jpeg(width=40, height=30, fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", buffer.getvalue())


stub = stubs.social_stub  # the shared fixture under the name these tests use


@pytest.fixture
def public_school(school):
    page = page_for(school)
    page.is_published = True
    page.save()
    return school


@pytest.fixture
def public_municipality(municipality):
    page = page_for(municipality)
    page.is_published = True
    page.save()
    return municipality


def distribution(person, items=("name", "photo"), **extra):
    return ConsentFactory(
        person=person,
        kind=ConsentKind.DISTRIBUTION,
        allowed_items=list(items),
        given_on=datetime.date(2026, 9, 1),
        valid_until=None,
        **extra,
    )


def new_post(org, title="Новость", body="Текст новости.", **extra) -> Post:
    return Post.objects.create(organisation=org, title=title, body=sanitize(body), **extra)


def accounts(org):
    SocialAccount.objects.create(organisation=org, network="vk", target="12345", token=VK_TOKEN)
    SocialAccount.objects.create(
        organisation=org, network="ok", target="5555", token=OK_TOKEN,
        extra={"application_key": OK_APPLICATION_KEY, "application_secret_key": OK_SECRET_KEY},
    )  # fmt: skip
    SocialAccount.objects.create(
        organisation=org, network="telegram", target="@nastavnik_school", token=TELEGRAM_TOKEN
    )


# --- text and photos -----------------------------------------------------------------------------


def test_sanitize_strips_scripts_and_handlers_and_keeps_formatting():
    html = sanitize(
        '<p onclick="steal()">Итоги <b>семинара</b><script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><a href="https://school.ru">сайт</a>'
        "<img src=x onerror=alert(1)>"
    )
    assert "script" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert "javascript" not in html
    assert "<img" not in html
    assert "<b>семинара</b>" in html
    assert 'href="https://school.ru"' in html
    assert "nofollow" in html


def test_plain_text_becomes_paragraphs():
    assert sanitize("Первый абзац\nстрока\n\nВторой <абзац>") == (
        "<p>Первый абзац<br>строка</p><p>Второй &lt;абзац&gt;</p>"
    )


@pytest.mark.django_db
def test_photo_is_shrunk_and_reencoded(school, settings):
    post = new_post(school)
    image = add_image(post, jpeg(3000, 2000), alt="Семинар", people=[])
    assert (image.width, image.height) == (1600, 1067)
    with Image.open(image.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()


@pytest.mark.django_db
def test_bad_photos_are_refused_with_a_reason(school, settings):
    post = new_post(school)
    with pytest.raises(PublicityError, match="по содержимому не является JPG"):
        add_image(post, SimpleUploadedFile("x.jpg", b"%PDF-1.4 not an image"), alt="", people=[])
    with pytest.raises(PublicityError, match="принимается в форматах"):
        add_image(post, SimpleUploadedFile("x.exe", b"MZ"), alt="", people=[])
    settings.PUBLICITY_IMAGE_MAX_BYTES = 100
    with pytest.raises(PublicityError, match="больше"):
        add_image(post, jpeg(), alt="", people=[])
    settings.PUBLICITY_IMAGE_MAX_BYTES = 10 * 2**20
    settings.PUBLICITY_IMAGE_MAX_PIXELS = 100
    with pytest.raises(PublicityError, match="пикселей"):
        add_image(post, jpeg(), alt="", people=[])
    assert post.images.count() == 0


# --- the personal-data guard ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_post_naming_a_person_without_consent_is_refused(school):
    person = PersonFactory(
        organisation=school, last_name="Соколова", first_name="Анна", middle_name="Игоревна",
        gender="female",
    )  # fmt: skip
    post = new_post(school, body="Поздравляем Анну Игоревну Соколову с победой!")
    with pytest.raises(PublishBlocked) as blocked:
        publish(post)
    assert blocked.value.names == ["Соколова Анна Игоревна"]
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT
    distribution(person, items=("position",))  # a consent that does not allow the name
    with pytest.raises(PublishBlocked):
        publish(post)
    distribution(person, items=("name",))
    assert publish(post).status == PostStatus.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_name", "gender", "body"),
    [
        ("Зайцева", "female", "Коллеги поблагодарили Зайцеву"),
        ("Цой", "male", "Вопросов от Цоя не было"),
        ("Тарасова", "female", "На фото — Тарасова"),
    ],
)
def test_a_post_naming_a_person_by_surname_alone_is_refused(school, last_name, gender, body):
    person = PersonFactory(organisation=school, last_name=last_name, gender=gender)
    PersonFactory(organisation=school, last_name="Орлова", gender="female")
    post = new_post(school, body=body)
    with pytest.raises(PublishBlocked) as blocked:
        publish(post)
    assert blocked.value.names == [person.full_name]
    distribution(person, items=("name",))
    assert publish(post).status == PostStatus.PUBLISHED


@pytest.mark.django_db
def test_a_doubtful_surname_warns_on_the_post_page_but_does_not_block(school, curator_client):
    PersonFactory(organisation=school, last_name="Мороз", first_name="Иван", middle_name="",
                  gender="male")  # fmt: skip
    for first in ("Вера", "Анна"):
        PersonFactory(organisation=school, last_name="Орлова", first_name=first, middle_name="",
                      gender="female")  # fmt: skip
    consenting = PersonFactory(organisation=school, last_name="Котова", gender="female")
    distribution(consenting, items=("name",))
    post = new_post(school, body="Ударил Мороз. Выступила Орлова, Котову поблагодарили.")
    page = curator_client.get(reverse("publicity:post-detail", args=[school.pk, post.pk]))
    assert texts(page, ".alert-warning li") == [
        "«Мороз» — это и обычное слово, и фамилия сотрудника без согласия (Мороз Иван). Если "
        "речь о человеке, уберите фамилию или оформите согласие.",
        "«Орлова» — такая фамилия (в каком-то падеже) у 2 сотрудников, без согласия: Орлова "
        "Вера, Орлова Анна. Если речь о человеке, уберите фамилию или оформите согласие.",
    ]
    assert texts(page, ".alert-danger") == []
    assert publish(post).status == PostStatus.PUBLISHED


@pytest.mark.django_db
def test_archived_people_and_photo_tags_are_checked(school):
    PersonFactory(
        organisation=school, last_name="Громов", first_name="Пётр", middle_name="Ильич",
        gender="male", status="archived",
    )  # fmt: skip
    tagged = PersonFactory(organisation=school, last_name="Белова", first_name="Ирина")
    distribution(tagged, items=("name",))  # the name may be published, the photo may not
    post = new_post(school, body="Выступил П. И. Громов.")
    add_image(post, jpeg(), alt="Зал", people=[tagged])
    with pytest.raises(PublishBlocked) as blocked:
        publish(post)
    assert blocked.value.names == ["Громов Пётр Ильич", f"{tagged.full_name} (на фото)"]


@pytest.mark.django_db
def test_withdrawn_distribution_consent_takes_the_post_down(school, public_school):
    person = PersonFactory(
        organisation=school, last_name="Орлов", first_name="Олег", middle_name="Олегович",
        gender="male",
    )  # fmt: skip
    consent = distribution(person)
    post = publish(new_post(school, body="Урок провёл Олег Олегович Орлов."))
    url = reverse("publicity:post", args=[school.slug, post.pk])
    assert Client().get(url).status_code == 200
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert Post.objects.get(pk=post.pk).status == PostStatus.WITHDRAWN
    assert Client().get(url).status_code == 404


# --- publishing to social networks ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_publishing_sends_copies_to_vk_ok_and_telegram(school, stub):
    accounts(school)
    post = new_post(school, title="Круглый стол", body="Подвели итоги года.")
    add_image(post, jpeg(), alt="Участники", people=[])
    publish(post, networks=["vk", "ok", "telegram"])
    sent = {d.account.network: d for d in Delivery.objects.select_related("account")}
    assert {n: d.status for n, d in sent.items()} == {"vk": "sent", "ok": "sent",
                                                      "telegram": "sent"}  # fmt: skip
    assert stub.methods("vk")[-1] == "wall.post"
    wall = stub.calls("vk", "wall.post")[0].fields
    assert wall["owner_id"] == "-12345"
    assert wall["from_group"] == "1"
    assert "Круглый стол" in wall["message"]
    assert f"/news/{post.pk}/" in wall["message"]
    assert wall["attachments"].startswith("photo")
    assert stub.calls("ok", "mediatopic.post")
    assert stub.calls("telegram", "sendPhoto")
    assert sent["vk"].remote_url.startswith("https://vk.com/wall-12345_")


@pytest.mark.django_db(transaction=True)
def test_rate_limit_is_retried_later_and_a_bad_token_fails_visibly(school, stub, settings):
    accounts(school)
    stub.fail("vk", "rate_limit")
    stub.fail("telegram", "invalid_token")
    post = publish(new_post(school), networks=["vk", "telegram"])
    vk = Delivery.objects.get(post=post, account__network="vk")
    tg = Delivery.objects.get(post=post, account__network="telegram")
    assert vk.status == "retrying"
    assert vk.attempts == 1
    assert vk.next_attempt_at > timezone.now()
    assert tg.status == "failed"
    assert "Telegram" in tg.error
    assert delivery.due_retries(timezone.now()) == 0  # not due yet
    assert delivery.due_retries(vk.next_attempt_at + datetime.timedelta(seconds=1)) == 1
    vk.refresh_from_db()
    assert vk.status == "sent"
    assert vk.attempts == 2
    delivery.retry(tg)  # the curator fixed the token (here: the stub answers normally now)
    tg.refresh_from_db()
    assert tg.status == "sent"


@pytest.mark.django_db(transaction=True)
def test_server_errors_give_up_after_the_last_attempt(school, stub, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 2
    accounts(school)
    stub.fail("ok", "server_error", times=5)
    post = publish(new_post(school), networks=["ok"])
    item = Delivery.objects.get(post=post)
    delivery.due_retries(item.next_attempt_at + datetime.timedelta(seconds=1))
    item.refresh_from_db()
    assert item.status == "failed"
    assert item.attempts == 2
    assert "Попыток: 2" in item.error


def test_backoff_grows_and_respects_retry_after(settings):
    settings.SOCIAL_RETRY_BASE_SECONDS = 60
    assert [delivery.backoff(n, None).seconds for n in (1, 2, 3)] == [60, 120, 240]
    assert delivery.backoff(1, 900).seconds == 900


# --- views of the curator ------------------------------------------------------------------------


@pytest.mark.django_db
def test_curator_writes_publishes_and_the_guard_shows_names(school, curator_client):
    person = PersonFactory(
        organisation=school, last_name="Зуева", first_name="Дарья", middle_name="Павловна",
        gender="female",
    )  # fmt: skip
    response = curator_client.post(
        reverse("publicity:post-create", args=[school.pk]),
        {"title": "Открытый урок", "body": "Урок дала Дарья Павловна.<script>x()</script>"},
    )
    post = Post.objects.get(title="Открытый урок")
    assert response.status_code == 302
    assert "script" not in post.body
    detail = reverse("publicity:post-detail", args=[school.pk, post.pk])
    page = curator_client.get(detail)
    check = "section[aria-labelledby=pd-check] .alert-danger"
    assert text_of(page, f"{check} strong") == "Публикация заблокирована."
    assert texts(page, f"{check} li") == ["Зуева Дарья Павловна"]
    response = curator_client.post(detail, {"action": "publish"}, follow=True)
    assert [a for a in alerts(response) if a.startswith("Публикация невозможна")]
    distribution(person)
    curator_client.post(detail, {"action": "publish"})
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED


@pytest.mark.django_db
def test_token_is_never_shown_again(school, curator_client):
    url = reverse("publicity:social", args=[school.pk, "vk"])
    curator_client.post(url, {"target": "-777", "token": "secret-token-1", "is_active": "on"})
    account = SocialAccount.objects.get(organisation=school)
    assert (account.target, account.token) == ("777", "secret-token-1")
    assert "secret-token-1" not in curator_client.get(url).content.decode()
    settings_page = curator_client.get(reverse("publicity:settings", args=[school.pk]))
    assert "secret-token-1" not in settings_page.content.decode()
    curator_client.post(url, {"target": "777", "token": "", "is_active": "on"})
    assert SocialAccount.objects.get(pk=account.pk).token == "secret-token-1"
    response = curator_client.post(url, {"target": "школа", "token": "x"})
    assert [e for e in errors(response) if e.startswith("Нужен числовой ID")]


@pytest.mark.django_db
def test_methodist_reposts_a_school_post_with_attribution(
    school, public_municipality, public_school, methodist_client, municipality
):
    post = publish(new_post(school, title="Наставники школы"))
    methodist_client.post(reverse("publicity:repost", args=[municipality.pk, post.pk]))
    copy = Post.objects.get(organisation=municipality)
    assert copy.origin == post
    assert copy.is_published
    page = Client().get(reverse("publicity:post", args=[municipality.slug, copy.pk]))
    byline = one(page, ".pub-article p.text-body-secondary")
    assert byline.text.endswith(f"· Источник: {school.short_name}")
    assert byline.select("a")[0].attrs["href"] == reverse(
        "publicity:post", args=[school.slug, post.pk]
    )


@pytest.mark.django_db
def test_drafts_are_proposed_once_for_ended_events_and_signed_orders(school):
    ended = Event.objects.create(
        organisation=school, kind="round_table", title="Итоговый круглый стол",
        audience="pairs", starts_at=NOW - datetime.timedelta(days=2, hours=2),
        ends_at=NOW - datetime.timedelta(days=2), place="Зал",
    )  # fmt: skip
    Event.objects.create(
        organisation=school, kind="seminar", title="Будущий семинар", audience="pairs",
        starts_at=NOW + 48 * HOUR, ends_at=NOW + 49 * HOUR,
    )  # fmt: skip
    Document.objects.create(
        organisation=school, kind="polozhenie", series="order", year=2026, seq=3, number="3-о",
        date=timezone.localdate(), title="Об утверждении Положения", status="signed",
        file=SimpleUploadedFile("o.docx", b"PK\x03\x04"),
        scan=SimpleUploadedFile("o.pdf", b"%PDF-1.4\n%%EOF\n"),
    )  # fmt: skip
    propose_drafts(school)
    assert propose_drafts(school) == 0
    proposals = Post.objects.filter(organisation=school, status=PostStatus.PROPOSED)
    assert sorted(p.proposal_key.split(":")[0] for p in proposals) == ["document", "event"]
    assert proposals.get(event=ended).title == "Состоялось: Итоговый круглый стол"
    ended.delete()  # the post survives without its link
    assert proposals.filter(proposal_key__startswith="event:").get().event is None


# --- public pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_pages_need_an_open_page(school):
    client = Client()
    assert client.get(reverse("publicity:page", args=[school.slug])).status_code == 404
    page = page_for(school)
    page.is_published = True
    page.save()
    assert client.get(reverse("publicity:page", args=[school.slug])).status_code == 200
    assert client.get(reverse("publicity:page", args=["no-such-school"])).status_code == 404


@pytest.mark.django_db
def test_school_page_and_municipal_page_show_the_news(
    school, public_school, public_municipality, municipality
):
    post = publish(new_post(school, title="Сессия наставников прошла"))
    client = Client()
    school_page = client.get(reverse("publicity:page", args=[school.slug])).content.decode()
    assert "Сессия наставников прошла" in school_page
    assert 'property="og:title"' in school_page
    mun_page = client.get(reverse("publicity:page", args=[municipality.slug])).content.decode()
    assert "Сессия наставников прошла" in mun_page
    assert school.short_name in mun_page
    draft = new_post(school, title="Черновик")
    assert client.get(reverse("publicity:post", args=[school.slug, draft.pk])).status_code == 404
    assert client.get(reverse("publicity:post", args=[school.slug, post.pk])).status_code == 200


@pytest.mark.django_db
def test_atom_feed_of_school_and_municipality(school, public_school, public_municipality):
    publish(new_post(school, title="Первая новость"))
    for org in (school, public_municipality):
        response = Client().get(reverse("publicity:feed", args=[org.slug]))
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed
        ns = {"a": "http://www.w3.org/2005/Atom"}
        assert [e.find("a:title", ns).text for e in root.findall("a:entry", ns)] == [
            "Первая новость"
        ]


@pytest.mark.django_db
def test_events_ics_and_embed_and_sitemap(school, public_school):
    Event.objects.create(
        organisation=school, kind="seminar", title="Семинар для пар", audience="pairs",
        starts_at=NOW + 72 * HOUR, ends_at=NOW + 73 * HOUR,
        place="Каб. 5", is_public=True,
    )  # fmt: skip
    client = Client()
    ics = client.get(reverse("publicity:events-ics", args=[school.slug]))
    assert b"BEGIN:VCALENDAR" in ics.content
    assert "Семинар для пар" in ics.content.decode()
    embed = client.get(reverse("publicity:embed", args=[school.slug]))
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "Семинар для пар" in embed.content.decode()
    assert client.get(reverse("publicity:page", args=[school.slug]))["X-Frame-Options"] == "DENY"
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/p/{school.slug}/" in sitemap


@pytest.mark.django_db
def test_documents_show_text_only_with_everyones_consent(school, public_school):
    person = PersonFactory(organisation=school)
    common = {"organisation": school, "series": "order", "year": 2026, "date": timezone.localdate(),
              "status": "signed", "file": SimpleUploadedFile("o.docx", b"PK\x03\x04"),
              "scan": SimpleUploadedFile("o.pdf", b"%PDF-1.4\n%%EOF\n")}  # fmt: skip
    polozhenie = Document.objects.create(
        kind="polozhenie", seq=1, number="1-о", title="Об утверждении Положения", **common
    )
    curator = Document.objects.create(
        kind="curator", seq=2, number="2-о", title="О назначении куратора", person=person, **common
    )
    draft = Document.objects.create(
        **{**common, "status": "draft", "scan": ""},
        kind="pairs",
        seq=3,
        number="3-о",
        title="О парах",
    )
    agreement = Document.objects.create(
        **{**common, "series": "agreement"}, kind="agreement", seq=1, number="1-дс",
        title="Доп. соглашение", person=person,
    )  # fmt: skip
    client = Client()

    def file_status(doc):
        return client.get(
            reverse("publicity:document-file", args=[school.slug, doc.pk])
        ).status_code

    assert [file_status(d) for d in (polozhenie, curator, draft, agreement)] == [
        200, 404, 404, 404,
    ]  # fmt: skip
    listing = client.get(reverse("publicity:documents", args=[school.slug])).content.decode()
    assert "О назначении куратора" in listing
    assert "Текст не публикуется" in listing
    assert "О парах" not in listing
    assert "Доп. соглашение" not in listing
    distribution(person, items=("name",))
    assert file_status(curator) == 200


@pytest.mark.django_db
def test_public_page_is_cached_and_invalidated_on_change(
    school, public_school, django_assert_max_num_queries
):
    django_cache.clear()
    url = reverse("publicity:page", args=[school.slug])
    client = Client()
    client.get(url)
    with django_assert_max_num_queries(0):  # slug, version and page all from the cache
        assert client.get(url).status_code == 200
    publish(new_post(school, title="Свежая новость"))
    assert texts(client.get(url), "section[aria-labelledby=news-h] .pub-news-item h3") == [
        "Свежая новость"
    ]
    page = page_for(school)
    page.is_published = False
    page.save()
    assert client.get(url).status_code == 404
    feed = reverse("publicity:feed", args=[school.slug])
    assert client.get(feed).status_code == 404


@pytest.mark.django_db
@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_public_pages_have_flat_query_counts(
    school, public_school, public_municipality, municipality, django_assert_max_num_queries
):
    for index in range(8):
        publish(new_post(school, title=f"Новость {index}"))
        Material.objects.create(
            organisation=school, kind="practice", title=f"Практика {index}", status="published",
            visibility="public",
        )  # fmt: skip
    client = Client()
    for org in (school, municipality):
        with django_assert_max_num_queries(40):
            assert client.get(reverse("publicity:page", args=[org.slug])).status_code == 200
        with django_assert_max_num_queries(8):
            assert client.get(reverse("publicity:news-list", args=[org.slug])).status_code == 200


@pytest.mark.django_db
def test_accessible_version_switches_with_links(school, public_school):
    client = Client()
    url = reverse("publicity:page", args=[school.slug])
    response = client.get(reverse("publicity:vi"), {"font": "xlarge", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    client.get(reverse("publicity:vi"), {"contrast": "wb", "next": url})
    client.get(reverse("publicity:vi"), {"images": "off", "next": url})
    page = client.get(url)
    assert one(page, "html").attrs["class"] == (
        "vi vi-font-xlarge vi-contrast-wb vi-images-off vi-spacing-normal"
    )
    assert "Обычная версия сайта" in texts(page, ".vi-panel a")
    assert client.get(reverse("publicity:vi"), {"next": "https://evil.example"})["Location"] == "/"
    client.get(reverse("publicity:vi"), {"off": "1", "next": url})
    assert one(client.get(url), "html").attrs["class"] == ""


@pytest.mark.django_db
def test_daily_command_proposes_and_retries(school):
    from django.core.management import call_command

    Event.objects.create(
        organisation=school, kind="exchange", title="Обмен опытом", audience="pairs",
        starts_at=NOW - 3 * HOUR, ends_at=NOW - 2 * HOUR, place="Каб. 1",
    )  # fmt: skip
    Post.objects.filter(organisation=school).delete()  # as if the signal had not run
    out = io.StringIO()
    call_command("publicity_daily", stdout=out)
    assert "Предложено черновиков: 1; повторных отправок: 0." in out.getvalue()
    assert Post.objects.get(organisation=school).status == PostStatus.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_stage_seven_is_derived_from_publications(school, stub):
    from apps.core.years import academic_year
    from apps.events.models import Participant
    from apps.roadmap.status import DONE, PROGRESS, TODO, school_stages

    def stage7():
        return school_stages(school, academic_year())[6]

    assert stage7().status == TODO
    page = page_for(school)
    page.is_published = True
    page.save()
    assert stage7().status == PROGRESS
    event = Event.objects.create(
        organisation=school, kind="session", title="Сессия", audience="mentors",
        starts_at=NOW - 3 * HOUR, ends_at=NOW - 2 * HOUR, place="Зал",
    )  # fmt: skip
    Participant.objects.create(
        event=event, person=PersonFactory(organisation=school), attended=True
    )
    accounts(school)
    publish(new_post(school, title="Другая новость"), networks=["vk"])
    assert [c.ok for c in stage7().checks] == [True, True, False, True]
    assert "Мероприятий без новости: 1" in stage7().checks[2].text
    publish(Post.objects.get(event=event), networks=[])
    assert stage7().status == DONE


@pytest.mark.django_db
def test_photos_are_served_only_for_published_posts(school, public_school, curator_client):
    draft = new_post(school)
    image = add_image(draft, jpeg(), alt="Зал", people=[])
    public_url = reverse("publicity:photo", args=[school.slug, image.pk])
    assert Client().get(public_url).status_code == 404
    manage_url = reverse("publicity:photo-manage", args=[school.pk, draft.pk, image.pk])
    response = curator_client.get(manage_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    publish(draft)
    response = Client().get(public_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    page = Client().get(reverse("publicity:post", args=[school.slug, draft.pk])).content.decode()
    assert public_url in page
