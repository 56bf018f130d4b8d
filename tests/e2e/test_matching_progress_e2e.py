"""A run above a school's size: computed in the background, the page shows and polls its
progress (HTMX, no inline script), then shows the proposal by itself — at 1366 and 360 px."""

import pytest

from apps.matching import services
from apps.matching.models import JobState, MatchingRun
from apps.matching.services import solve_run
from apps.matching.tests.helpers import competencies, mentee, mentor
from apps.programs.services import ensure_dictionaries
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_large_run_shows_its_progress_then_the_proposal(
    page, live_server, curator, school, settings, monkeypatch
):
    # The worker is not running: the task waits in the queue until the test runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(services, "INLINE_PAIRS", 1)
    ensure_dictionaries(org=school)
    comps = competencies(school, "ФГОС", "Оценивание")
    mentee(school, comps, {"ФГОС": 5, "Оценивание": 4}, last_name="Аннина")
    mentee(school, comps, {"Оценивание": 5}, last_name="Борисов")
    mentor(school, comps, {"ФГОС": 5, "Оценивание": 5}, capacity=2, last_name="Сильная")

    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, live_server, curator.email)
    page.goto(f"{live_server.url}/o/{school.pk}/matching/new/")
    page.get_by_role("button", name="Подобрать").click()
    page.wait_for_url("**/matching/*/")
    page.get_by_role("heading", name="Подбор в очереди").wait_for()
    run = MatchingRun.objects.get()
    assert run.job == JobState.QUEUED
    assert page.locator("#run-progress[hx-trigger='every 1s']").count() == 1
    screenshot(page, "matching-progress-1366")
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scroll at 360 px: {width}"
    screenshot(page, "matching-progress-360")

    solve_run.call(run.pk)  # the worker computes the run
    # The next poll answers HX-Refresh: the page reloads with the proposal.
    page.get_by_role("heading", name="Предложенные пары").wait_for(timeout=10_000)
    assert page.locator("#run-progress").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scroll at 360 px: {width}"
    screenshot(page, "matching-progress-done-360")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "matching-progress-done-1366")
