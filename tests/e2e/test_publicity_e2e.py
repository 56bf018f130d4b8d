"""Stage 7 end to end: a curator publishes news about a held event with a photo; it shows on
the school's and the municipality's public pages and in the Atom feed, copies reach the stub
VK, Одноклассники and Telegram servers; the accessible version works from the keyboard and axe
finds no serious problems; a post naming a teacher without a distribution consent is refused."""

from __future__ import annotations

import contextlib
import datetime
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from PIL import Image

from apps.events.models import Event, Participant
from apps.orgs.choices import Role
from apps.publicity.models import Post, PostStatus
from apps.publicity.services import page_for
from apps.publicity.tests import stubs
from apps.publicity.tests.test_publicity import accounts
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


stub = stubs.social_stub  # deliveries from the live server go to the stub's MockTransport


@contextlib.contextmanager
def school_site(html: str):
    """A school's own website on another origin (loopback, so Chromium allows the requests)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def photo_file(tmp_path):
    path = tmp_path / "session.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def setup_school(school, municipality):
    curator = UserFactory(email="news@example.org")
    MembershipFactory(user=curator, organisation=school, role=Role.CURATOR)
    for org in (school, municipality):
        page = page_for(org)
        page.is_published = True
        page.contact_position = "Куратор наставничества"
        page.save()
    accounts(school)
    ended = timezone.now() - datetime.timedelta(days=1)
    event = Event.objects.create(
        organisation=school, kind="session", title="Установочная сессия наставников",
        audience="mentors", starts_at=ended - datetime.timedelta(hours=2), ends_at=ended,
        place="Актовый зал",
    )  # fmt: skip
    mentor = PersonFactory(organisation=school)
    Participant.objects.create(event=event, person=mentor, attended=True)
    return curator, event


def test_curator_publishes_news_everywhere(page, live_server, school, municipality, stub, tmp_path):
    curator, event = setup_school(school, municipality)
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/news/")
    proposal = page.get_by_role("link", name="Состоялось: Установочная сессия наставников")
    proposal.click()
    page.get_by_role("link", name="Редактировать").click()
    page.fill("#id_title", "Наставники школы собрались на установочную сессию")
    page.fill(
        "#id_body",
        "Обсудили роли наставника и наставляемого и план на год.\n\n"
        '<b>Итог:</b> пары составят ПНП до конца месяца.<script>alert("x")</script>',
    )
    page.get_by_role("button", name="Сохранить черновик").click()
    page.set_input_files("#id_image", str(photo_file(tmp_path)))
    page.fill("#id_alt", "Наставники в актовом зале")
    page.get_by_role("button", name="Добавить фото").click()
    page.get_by_text("Фотография добавлена.").wait_for()
    page.get_by_text("Все названные в тексте и отмеченные на фото сотрудники").wait_for()
    page.get_by_role("button", name="Опубликовать").click()
    page.get_by_text("Новость опубликована на странице наставничества.").wait_for()
    assert page.locator(".badge", has_text="Опубликовано").count() == 3
    screenshot(page, "publicity-post-curator")

    post = Post.objects.get(title__startswith="Наставники школы")
    assert post.status == PostStatus.PUBLISHED
    assert post.event == event
    assert "script" not in post.body
    assert stub.methods("vk") == [
        "photos.getWallUploadServer", "upload", "photos.saveWallPhoto", "wall.post",
    ]  # fmt: skip
    assert stub.calls("vk", "wall.post")[0].fields["owner_id"] == "-12345"
    assert stub.methods("ok")[-1] == "mediatopic.post"
    assert stub.methods("telegram") == ["sendPhoto"]
    assert "Наставники школы собрались" in stub.calls("telegram")[0].fields["caption"]

    page.goto(f"{live_server.url}/p/{school.slug}/")
    page.get_by_role("link", name="Наставники школы собрались на установочную сессию").wait_for()
    screenshot(page, "publicity-school-page")
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/p/{municipality.slug}/")
    page.get_by_role("link", name="Наставники школы собрались на установочную сессию").wait_for()
    screenshot(page, "publicity-municipality-page")
    assert serious_violations(page) == []
    feed = page.request.get(f"{live_server.url}/p/{school.slug}/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "Наставники школы собрались на установочную сессию" in feed.text()

    page.goto(f"{live_server.url}/p/{school.slug}/news/{post.pk}/")
    assert page.locator('meta[property="og:image"]').count() == 1
    photo = page.get_by_role("img", name="Наставники в актовом зале")
    photo.wait_for()
    photo.scroll_into_view_if_needed()  # the photo is loading="lazy"
    assert photo.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1200


def test_accessible_version_from_the_keyboard(page, live_server, school, municipality):
    setup_school(school, municipality)
    page.goto(f"{live_server.url}/p/{school.slug}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Перейти к содержанию"
    for _ in range(12):
        page.keyboard.press("Tab")
        if "слабовидящих" in page.evaluate("document.activeElement.textContent"):
            break
    with page.expect_navigation(url=f"**/p/{school.slug}/"):
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "vi-font-large" in page.evaluate("document.documentElement.className")

    def choose(name: str) -> None:
        with page.expect_navigation():
            page.get_by_role("link", name=name).click()
        page.wait_for_load_state("load")

    for name in ("белым по чёрному", "увеличенный", "не показывать"):
        choose(name)
    classes = page.evaluate("document.documentElement.className")
    for expected in ("vi-contrast-wb", "vi-spacing-wide", "vi-images-off", "vi-font-large"):
        assert expected in classes
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    screenshot(page, "publicity-accessible")
    assert serious_violations(page) == []
    for scheme in ("чёрным по белому", "тёмно-синим по голубому"):
        choose(scheme)
        assert serious_violations(page) == [], scheme
    choose("Обычная версия сайта")
    assert page.evaluate("document.documentElement.className") == ""


def test_post_naming_a_teacher_without_consent_is_refused(page, live_server, school, municipality):
    curator, _event = setup_school(school, municipality)
    PersonFactory(
        organisation=school, last_name="Кравцова", first_name="Елена", middle_name="Викторовна",
        gender="female",
    )  # fmt: skip
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/news/new/")
    page.fill("#id_title", "Открытый урок")
    page.fill("#id_body", "Открытый урок провела Елена Викторовна Кравцова.")
    page.get_by_role("button", name="Сохранить черновик").click()
    alert = page.get_by_role("alert").filter(has_text="Публикация заблокирована")
    alert.get_by_text("Публикация заблокирована.").wait_for()
    assert "Кравцова Елена Викторовна" in alert.text_content()
    assert page.get_by_role("button", name="Опубликовать").is_disabled()
    screenshot(page, "publicity-guard")
    # Even a forced submit is refused by the server.
    page.evaluate("document.querySelector('[name=action][value=publish]').form.submit()")
    page.get_by_text("Публикация невозможна").wait_for()
    assert Post.objects.get(title="Открытый урок").status == PostStatus.DRAFT


def test_embedded_block_sizes_itself_on_another_site(page, live_server, school, municipality):
    setup_school(school, municipality)
    snippet = (
        "<!doctype html><html><body><h1>Сайт школы</h1><div style='width:360px'>"
        "<div data-nastavnik-widget></div>"
        f"<script src='{live_server.url}/static/publicity/embed.js' "
        f"data-src='{live_server.url}/p/{school.slug}/embed/'></script></div></body></html>"
    )
    with school_site(snippet) as site:
        page.goto(site)
        check_embedded_block(page)


def check_embedded_block(page) -> None:
    frame = page.locator("[data-nastavnik-widget] iframe")
    frame.wait_for()
    page.frame_locator("[data-nastavnik-widget] iframe").get_by_text(
        "Ближайшие мероприятия"
    ).wait_for()
    page.wait_for_function(
        "document.querySelector('[data-nastavnik-widget] iframe').style.height !== ''"
    )
    box = frame.bounding_box()
    assert box["width"] == 360
    assert 150 < box["height"] < 2000
    screenshot(page, "publicity-embed")
