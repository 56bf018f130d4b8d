"""Monitoring: the municipal dashboard shows values that match a hand count; the .xlsx."""

import datetime

import pytest

from apps.documents.tests.test_documents import pair_world
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_methodist_sees_the_municipal_dashboard(page, live_server, municipality, school,
                                                other_school):  # fmt: skip
    world = pair_world(school)
    mentee = world["mentee"]
    mentee.birth_date, mentee.is_young_specialist = datetime.date(2001, 3, 1), True
    mentee.save()
    pair_world(other_school, curator_user=UserFactory(email="c2@example.org"))
    # Two schools, one pair each: 2 mentors, 2 mentees, 2 units; one of the two young
    # teachers (Иванова of the first school) is counted — the other has no birth date.
    methodist = UserFactory(email="metod@example.org")
    MembershipFactory(user=methodist, organisation=municipality, role="methodist")
    login(page, live_server, methodist.email)
    page.goto(f"{live_server.url}/o/{municipality.pk}/monitoring/")
    cards = page.locator(".stat-card")
    assert cards.nth(0).locator(".stat-value").inner_text() == "2"  # mentors
    assert cards.nth(2).locator(".stat-value").inner_text() == "2"  # units
    assert cards.nth(3).locator(".stat-value").inner_text() == "100 %"  # 1 of 1 young covered
    page.get_by_role("heading", name="Сравнение школ").wait_for()
    screenshot(page, "monitoring-municipality")
    assert serious_violations(page) == []
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Скачать .xlsx").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    page.get_by_role("button", name="Отчёт за год (.docx)").click()
    page.get_by_role("link", name="Скачать «").wait_for()
    with page.expect_download() as report:
        page.get_by_role("link", name="Скачать «").click()
    assert report.value.suggested_filename.endswith(".docx")
