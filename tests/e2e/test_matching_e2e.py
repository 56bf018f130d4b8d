"""Stage 4 end to end: banks → proposal with explanations (HTMX) → manual swap → pin →
confirm → units and the waitlist with reasons."""

import pytest

from apps.matching.models import MatchingRun
from apps.matching.tests.helpers import competencies, mentee, mentor
from apps.programs.models import MentoringUnit
from apps.programs.services import ensure_dictionaries
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_accessibility_e2e import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_matching_from_banks_to_units(page, live_server, curator, school):
    ensure_dictionaries(org=school)
    comps = competencies(school, "ФГОС", "Оценивание", "Работа с родителями")
    mentee(school, comps, {"ФГОС": 5, "Оценивание": 4}, last_name="Аннина")
    mentee(school, comps, {"Работа с родителями": 5}, last_name="Борисов")
    mentee(school, comps, {"ФГОС": 4, "Работа с родителями": 3}, last_name="Верина")
    strong = mentor(school, comps, {"ФГОС": 5, "Оценивание": 5}, last_name="Сильная")
    parents = mentor(school, comps, {"Работа с родителями": 5}, last_name="Родительская")

    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/matching/")
    page.get_by_role("link", name="Новый подбор").click()
    page.get_by_role("button", name="Подобрать").click()
    # HTMX puts the proposal under the form and pushes the run's address.
    page.get_by_role("heading", name="Предложенные пары").wait_for()
    assert "/matching/new/" in page.url or "/matching/" in page.url
    page.wait_for_url("**/matching/*/")
    assert page.get_by_text("покрывает все запросы (2): ФГОС, Оценивание").is_visible()
    assert page.get_by_text("Все подходящие наставники заняты").is_visible()
    screenshot(page, "matching-proposal")
    assert serious_violations(page) == []

    # Manual swap: give Verina the strong mentor instead of Annina, with a live new total.
    run = MatchingRun.objects.get()
    annina_row = page.locator("tr[data-mentee]").filter(has_text="Аннина")
    annina_row.get_by_label(": наставник").select_option(label="— без наставника —")
    page.get_by_text("правка снизила балл").wait_for()
    verina = page.locator("section.unmatched").filter(has_text="Верина")
    verina.get_by_label("назначить наставника").select_option(index=0)
    verina.get_by_role("button", name="Назначить").click()
    page.locator("tr[data-mentee]").filter(has_text="Верина").wait_for()
    run.refresh_from_db()
    assert run.edited
    screenshot(page, "matching-after-swap")

    # Details with both people's answers side by side.
    page.locator("tr[data-mentee]").filter(has_text="Борисов").get_by_text(
        "Ответы обоих рядом"
    ).click()
    assert page.get_by_role("cell", name="уровень 5 из 5").first.is_visible()

    page.get_by_role("button", name="Подтвердить").click()
    page.get_by_text("Сформировано пар и групп: 2").wait_for()
    assert MentoringUnit.objects.filter(organisation=school).count() == 2
    assert set(MentoringUnit.objects.values_list("mentor", flat=True)) == {strong.pk, parents.pk}
    page.goto(f"{live_server.url}/o/{school.pk}/units/waitlist/")
    page.get_by_text("По итогам подбора:").wait_for()
    assert page.get_by_text("Аннина").first.is_visible()
    screenshot(page, "matching-waitlist")
    for path in ("matching/", "matching/settings/", "matching/requests/", "matching/new/"):
        page.goto(f"{live_server.url}/o/{school.pk}/{path}")
        assert serious_violations(page) == [], path
