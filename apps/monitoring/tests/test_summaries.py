"""Monitoring summaries off the request path: the page answers from the last summary with its
age, a stale one is recomputed by a task, one recompute at a time per key, and `?refresh=`
only for the roles that answer for the figures."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from apps.documents.tests.test_documents import pair_world
from apps.monitoring import queries
from apps.monitoring.queries import recompute_summary

YEAR = "2026/2027"


@pytest.fixture
def kept(settings):
    settings.MONITORING_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_it_ignores_refresh_from_a_role_that_may_not_trigger_it(kept, head_client, school):
    url = reverse("monitoring:dashboard", args=[school.pk]) + f"?year={YEAR}"
    first = head_client.get(url)
    assert "пересчитать" not in first.content.decode()
    pair_world(school)
    assert head_client.get(url + "&refresh=1").context["summary"]["units"] == 0


def test_it_answers_from_a_stale_summary_and_recomputes_it_in_a_task(kept, curator_client, school):
    url = reverse("monitoring:dashboard", args=[school.pk]) + f"?year={YEAR}"
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        assert curator_client.get(url).context["summary"]["units"] == 0
    pair_world(school)
    # Frozen clocks: under load the first page may take a while before it stores the summary,
    # and a ticking clock would make its age «4 минуты».
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 5, tzinfo=datetime.UTC), tick=False):
        stale = curator_client.get(url)
        # The page still answers from the summary it had, with its age …
        assert stale.context["summary"]["units"] == 0
        assert "(5\xa0минут назад)" in stale.content.decode()
        # … while the task (run at once by the test backend) has stored the new one.
        assert curator_client.get(url).context["summary"]["units"] == 1


def test_it_runs_one_recompute_at_a_time_per_key(kept, school, django_assert_num_queries):
    key = queries.summary_key(school.pk, YEAR, "")
    assert cache.add(f"{key}:lock", 1, 60)  # a worker is computing this summary
    assert queries.recompute(school, YEAR, "") is None
    recompute_summary.call(school.pk, YEAR, "")  # a second task for the key does nothing
    assert cache.get(key) is None
    cache.delete(f"{key}:lock")
    assert queries.recompute(school, YEAR, "")["summary"]["units"] == 0
    assert cache.get(f"{key}:lock") is None  # released
