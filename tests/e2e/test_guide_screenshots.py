"""Screenshots for the user guides (docs/guide-*.md), taken on the demo data in Chromium.

Every run checks that each page of the guides opens for its role with the heading the guide
describes. With `UPDATE_GUIDE_SCREENSHOTS=1` the pictures go to docs/img/ (commit them);
otherwise to test-artifacts/ so that a test run never changes tracked files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from apps.demo.demo import DEMO_PASSWORD, load_demo
from apps.orgs.models import Organisation
from apps.programs.models import MentoringUnit
from tests.e2e.conftest import ARTIFACTS, login

pytestmark = pytest.mark.django_db(transaction=True)
DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def target_dir() -> Path:
    folder = DOCS_IMG if os.environ.get("UPDATE_GUIDE_SCREENSHOTS") == "1" else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page, base: str, path: str, name: str, heading: str) -> None:
    page.goto(base + path)
    page.get_by_role("heading", name=heading).first.wait_for()
    page.screenshot(path=str(target_dir() / f"{name}.png"))


def test_guide_pages_for_every_role(browser, live_server, settings):
    settings.SESSION_COOKIE_SECURE = False
    load_demo()
    school = Organisation.objects.get(slug="school7")
    city = Organisation.objects.get(slug="ensk")
    unit = MentoringUnit.objects.filter(organisation=school).order_by("pk").first()
    base = live_server.url
    pages = {
        "curator@school7.demo": [
            (f"/o/{school.pk}/", "guide-curator-dashboard", "СОШ № 7"),
            (f"/o/{school.pk}/roadmap/", "guide-curator-roadmap", "Дорожная карта"),
            (f"/o/{school.pk}/banks/mentees/", "guide-curator-bank", "Банк наставляемых"),
            (f"/o/{school.pk}/units/{unit.pk}/", "guide-curator-unit", unit.mentor.full_name),
            (f"/o/{school.pk}/news/", "guide-curator-news", "Новости и публичная страница"),
        ],
        "head@school7.demo": [
            (f"/o/{school.pk}/documents/", "guide-head-documents", "Локальные акты и приказы"),
            (f"/o/{school.pk}/audit/", "guide-head-audit", "Журнал действий"),
        ],
        "mentor1@school7.demo": [
            ("/my/units/", "guide-mentor-units", "Мои пары и программы"),
        ],
        "methodist@ensk.demo": [
            (f"/o/{city.pk}/roadmap/schools/", "guide-methodist-roadmaps", "Дорожные карты"),
            (f"/o/{city.pk}/monitoring/", "guide-methodist-monitoring", "Мониторинг"),
        ],
    }
    for email, shots in pages.items():
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        login(page, live_server, email, DEMO_PASSWORD)
        page.wait_for_url(f"{base}/**")
        for path, name, heading in shots:
            shoot(page, base, path, name, heading)
        context.close()
    public = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
    page = public.new_page()
    shoot(page, base, f"/p/{school.slug}/", "guide-public-school", "Наставничество: СОШ № 7")
    public.close()
