"""The public page on a phone (360 px): no sideways scroll in the normal version nor in the
largest font of the accessible version, and the accessible-version settings do not fill the
first screen (they fold into one «Настройки» button)."""

import datetime

import pytest
from django.utils import timezone

from apps.events.models import Event
from apps.publicity.models import Post, PostStatus
from tests.e2e.conftest import screenshot
from tests.e2e.test_publicity_e2e import setup_school

pytestmark = pytest.mark.django_db(transaction=True)

WIDEST = """() => {
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 0.5 && r.width > 0)
      wide.push(`${el.tagName}.${el.className} ${Math.round(r.right)}`);
  }
  return wide.slice(0, 8);
}"""


def fits(page) -> tuple[int, int, list]:
    width = page.evaluate("document.documentElement.scrollWidth")
    return width, page.evaluate("window.innerWidth"), page.evaluate(WIDEST)


def test_the_public_page_fits_a_phone(page, live_server, school, municipality):
    setup_school(school, municipality)
    start = timezone.now() + datetime.timedelta(days=3)
    Event.objects.create(
        organisation=school, kind="seminar", is_public=True, audience="mentors",
        title="Семинар-практикум «Формирующее оценивание на уроках естественнонаучного цикла»",
        starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        place="Актовый зал, ул. Профессора Преображенского, 12",
    )  # fmt: skip
    Post.objects.create(
        organisation=school, status=PostStatus.PUBLISHED, published_at=timezone.now(),
        title="Наставники и молодые специалисты провели взаимопосещения уроков",
        body="Подробности: https://school1.example.org/novosti/nastavnichestvo/vzaimoposeshchenie",
    )  # fmt: skip
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/news/", "/documents/"):
        page.goto(f"{live_server.url}/p/{school.slug}{path}")
        width, inner, wide = fits(page)
        assert width <= inner, (path, width, wide)
    screenshot(page, "public-360")
    page.goto(f"{live_server.url}/p/{municipality.slug}/")
    width, inner, wide = fits(page)
    assert width <= inner, ("municipality", width, wide)

    page.goto(f"{live_server.url}/vi/?font=xlarge&next=/p/{school.slug}/")
    assert "vi-font-xlarge" in page.evaluate("document.documentElement.className")
    screenshot(page, "public-360-vi-xlarge")
    # The settings fold: the first screen shows the page, not the toolbar.
    panel = page.locator(".vi-panel").bounding_box()
    assert panel["height"] <= 740 / 4, panel
    for path in ("/", "/news/", "/documents/"):
        page.goto(f"{live_server.url}/p/{school.slug}{path}")
        width, inner, wide = fits(page)
        assert width <= inner, ("vi", path, width, wide)
    page.get_by_text("Настройки версии для слабовидящих").click()
    page.get_by_role("link", name="очень крупный").wait_for()
    screenshot(page, "public-360-vi-settings")
    width, inner, wide = fits(page)
    assert width <= inner, ("vi open", width, wide)
