"""/healthz: open to the load balancer, cheap, and honest about the database, cache and queue."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError
from django.urls import resolve, reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from apps.ops import health

URL = "/healthz"


def test_address_and_public_mark():
    assert reverse("ops:healthz") == URL
    assert resolve(URL).func.public  # the authorization matrix expects a public 200
    assert health.version() == "0.1.0"


@pytest.mark.django_db
def test_healthy_site_answers_200_without_login(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "cache": {"status": "ok"},
            "queue": {"status": "immediate"},  # tests run tasks at once
        },
        "version": "0.1.0",
    }


@pytest.mark.django_db
def test_only_reading_methods(client):
    assert client.post(URL).status_code == 405
    assert client.head(URL).status_code == 200


def make_task(*, enqueued_minutes_ago: int, run_after: datetime.datetime | None = None) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="apps.surveys.tasks.send_invitations",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    enqueued = timezone.now() - datetime.timedelta(minutes=enqueued_minutes_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=enqueued)


@pytest.mark.django_db
def test_stale_queue_is_degraded_but_still_200(client, settings, django_assert_max_num_queries):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_task(enqueued_minutes_ago=1)  # just queued: fine
    make_task(enqueued_minutes_ago=60, run_after=timezone.now() + datetime.timedelta(hours=1))
    done = DBTaskResult.objects.create(
        args_kwargs={}, task_path="x.y", backend_name="default", run_after=get_date_max()
    )
    DBTaskResult.objects.filter(pk=done.pk).update(
        status=TaskResultStatus.SUCCESSFUL, enqueued_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert client.get(URL).json()["checks"]["queue"] == {"status": "ok", "stale_tasks": 0}

    make_task(enqueued_minutes_ago=20)
    make_task(enqueued_minutes_ago=90, run_after=timezone.now() - datetime.timedelta(minutes=30))
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["queue"] == {
        "status": "degraded",
        "stale_tasks": 2,
        "older_than_minutes": 15,
    }


class BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused to 10.0.0.5 user=nastavnik")


@pytest.mark.django_db
def test_database_failure_is_503(client, monkeypatch):
    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert body["checks"]["queue"] == {"status": "skipped"}
    assert "10.0.0.5" not in response.content.decode()  # no connection details leak


class BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("cache server down")


@pytest.mark.django_db
def test_cache_failure_is_degraded(client, monkeypatch):
    monkeypatch.setattr(health, "default_cache", BrokenCache())
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"] == {"status": "fail", "error": "ConnectionError"}
