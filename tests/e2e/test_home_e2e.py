"""The home pages in Chromium at a desktop and a phone width: the region administrator walks
the organisation tree down to a school, the curator, head, mentor and mentee see what to do
next, the head reads the journal. No console error (CSP included), no sideways scroll, and
htmx's request indicator stays hidden without the inline style htmx would add."""

import datetime

import pytest

from apps.audit.models import AuditEvent
from apps.documents.models import DocKind, DocStatus, Document
from apps.orgs.choices import Role
from apps.overview.tests.test_dashboard import _person, _units
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_import_e2e import no_horizontal_scroll
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def look(page, name: str, width: int) -> None:
    screenshot(page, f"home-{name}-{width}")
    assert no_horizontal_scroll(page), name


@pytest.mark.parametrize("width", [1366, 360])
def test_every_role_sees_its_next_step(page, live_server, school, municipality, region, curator,
                                       head, mentor, width):  # fmt: skip
    admin = UserFactory(email="admin@region.example.org")
    MembershipFactory(user=admin, organisation=region, role=Role.ADMIN)
    me = _person(school, "Никитина", user=mentor)
    _units(school, 2, mentor=me)
    Document.objects.create(
        organisation=school, kind=DocKind.CURATOR, series="order", year=2026, seq=3,
        number="3-о", date=datetime.date(2026, 12, 1), title="О назначении куратора",
        status=DocStatus.SIGNING,
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})

    login(page, live_server, admin.email)
    page.wait_for_url(f"{live_server.url}/o/{region.pk}/")
    look(page, "region", width)
    page.locator(".org-tree").get_by_role("link", name="Город Энск").click()
    page.locator(".org-tree").get_by_role("link", name="Школа № 1").click()
    page.wait_for_url(f"{live_server.url}/o/{school.pk}/")
    page.get_by_role("navigation", name="Организации выше").get_by_role("link", name="Регион")
    page.context.clear_cookies()

    login(page, live_server, curator.email)
    page.get_by_text("1 наставник без согласия на доп. обязанности").wait_for()
    look(page, "curator", width)
    page.goto(f"{live_server.url}/o/{school.pk}/matching/new/")
    # htmx adds no <style> (CSP would block it) and our CSS hides the indicator until a request.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    spinner = page.locator("#run-spinner")
    assert spinner.evaluate("el => getComputedStyle(el).opacity") == "0"
    page.context.clear_cookies()

    login(page, live_server, head.email)
    page.get_by_text("1 документ ждёт подписи").wait_for()
    look(page, "head", width)
    assert AuditEvent.objects.exists()
    page.goto(f"{live_server.url}/o/{school.pk}/audit/")
    look(page, "journal", width)
    page.context.clear_cookies()

    login(page, live_server, mentor.email)
    page.get_by_text("Следующая задача").wait_for()
    look(page, "mentor", width)
