"""The roadmap of a school that starts late: the saved September plan is overdue in December;
«Сдвинуть план» moves it to the start day, on working days, at 1366 and 360 px."""

import datetime

import pytest

from apps.roadmap.models import RoadmapItem
from apps.roadmap.services import ensure_roadmap
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1366, 360])
def test_a_late_school_shifts_its_plan(page, live_server, curator, school, width):
    from django.utils import timezone

    from apps.core.years import academic_year

    page.set_viewport_size({"width": width, "height": 900})
    today = timezone.localdate()
    year = academic_year(today)
    ensure_roadmap(school, year, today=datetime.date(int(year[:4]), 9, 1))
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/roadmap/")
    page.locator("#plan-shift").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"roadmap-shift-form-{width}")
    start = today + datetime.timedelta(days=7)
    page.fill("#id_start", start.strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Сдвинуть план").click()
    page.get_by_text("сроки перенесены").wait_for()
    assert page.locator("h2 .badge.text-bg-danger").count() == 0
    assert not RoadmapItem.objects.filter(organisation=school, end__lt=today).exists()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"roadmap-shifted-{width}")
    assert serious_violations(page) == []
