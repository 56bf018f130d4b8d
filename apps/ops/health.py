"""Health checks for the load balancer: the database, the cache and the background queue.

At most two queries (a trivial select and one count over an indexed column); nothing personal.
"""

from __future__ import annotations

import datetime
import tomllib
import uuid
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone

OK, DEGRADED, FAIL = "ok", "degraded", "fail"
STALE_TASK_MINUTES = 15


def run_checks() -> dict[str, Any]:
    checks: dict[str, dict[str, Any]] = {"database": check_database(), "cache": check_cache()}
    if checks["database"]["status"] == OK:
        checks["queue"] = check_queue()
    else:
        checks["queue"] = {"status": "skipped"}
    return {"status": overall(checks), "checks": checks, "version": version()}


def overall(checks: dict[str, dict[str, Any]]) -> str:
    if checks["database"]["status"] != OK:
        return FAIL
    if any(check["status"] in {FAIL, DEGRADED} for check in checks.values()):
        return DEGRADED
    return OK


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the site cannot work
        return {"status": FAIL, "error": type(exc).__name__}
    return {"status": OK}


def check_cache() -> dict[str, Any]:
    key = f"ops:healthz:{uuid.uuid4().hex}"
    try:
        default_cache.set(key, "1", timeout=30)
        found = default_cache.get(key) == "1"
        default_cache.delete(key)
    except Exception as exc:  # a broken cache slows the site down but does not stop it
        return {"status": FAIL, "error": type(exc).__name__}
    return {"status": OK} if found else {"status": FAIL, "error": "value not read back"}


def check_queue() -> dict[str, Any]:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.endswith("ImmediateBackend"):
        return {"status": "immediate"}
    if not backend.startswith("django_tasks_db"):
        return {"status": "skipped", "backend": backend.rsplit(".", 1)[-1]}
    try:
        stale = stale_tasks()
    except Exception as exc:
        return {"status": FAIL, "error": type(exc).__name__}
    if stale:
        return {"status": DEGRADED, "stale_tasks": stale, "older_than_minutes": stale_minutes()}
    return {"status": OK, "stale_tasks": 0}


def stale_tasks() -> int:
    """Tasks that should have started more than STALE_TASK_MINUTES ago: is db_worker running?"""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    cutoff = timezone.now() - datetime.timedelta(minutes=stale_minutes())
    due = Q(run_after=get_date_max()) | Q(run_after__lt=cutoff)
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, enqueued_at__lt=cutoff)
        .filter(due)
        .count()
    )


def stale_minutes() -> int:
    return int(getattr(settings, "HEALTHZ_STALE_TASK_MINUTES", STALE_TASK_MINUTES))


@cache
def version() -> str:
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as stream:
            return str(tomllib.load(stream)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
