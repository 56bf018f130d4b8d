"""The data generation: a number that changes whenever the school data changes, so a figure
derived from many tables (the roadmap's statuses) can be cached under it and never go stale.

Every statement that writes (INSERT, UPDATE, DELETE — through the ORM, `QuerySet.update()`,
bulk operations or raw SQL alike) is seen by a wrapper installed on each database connection;
tables that change on every click and hold no school data (sessions, lockouts, the audit
journal, notifications, background jobs and tasks, API key use) do not count. A write marks
its connection dirty and the generation moves:
- after the transaction commits (other processes see the new data and the new number together;
  a rolled-back transaction moves nothing that matters);
- at once in autocommit mode;
- on the next `generation()` read on the same connection while it is still dirty (the writer's
  own next page, and tests, whose transactions never commit).
The number lives in the shared cache (every worker sees it).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created

KEY = "datagen:v1"
SECONDS = 300  # how long a derived figure is kept at most (what depends on the clock alone)
T = TypeVar("T")
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
# Tables written on every request or by the machinery, never read by a derived school figure.
QUIET = (
    "django_session",
    "axes_",
    "audit_",
    "notifications_",
    "jobs_",
    "django_tasks",
    "django_cache",
    "api_apitoken",
    "otp_",
)


def bump() -> int:
    value = time.time_ns()
    cache.set(KEY, value, None)
    return value


def generation(using: str = "default") -> int:
    connection = connections[using]
    if getattr(connection, "datagen_dirty", False):
        connection.datagen_dirty = False
        return bump()
    value = cache.get(KEY)
    return bump() if value is None else value


def cached(name: str, parts: tuple, compute: Callable[[], T], seconds: int = SECONDS) -> T:
    """`compute()` kept in the shared cache under the current generation and `parts` (which
    must name everything else the result depends on: organisations, year, today's date…)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"{name}:{generation()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def writes_data(sql: str) -> bool:
    found = _WRITE.match(sql)
    return bool(found) and not found.group(1).lower().startswith(QUIET)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_data(sql):
        connection = context["connection"]
        connection.datagen_dirty = True
        if not connection.in_atomic_block:
            bump()
        elif not any(entry[1] is bump for entry in connection.run_on_commit):
            transaction.on_commit(bump, using=connection.alias)
    return result


def install(sender, connection, **kwargs) -> None:
    """connection_created: watch the new connection's writes (connected in CoreConfig.ready)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def connect() -> None:
    connection_created.connect(install, dispatch_uid="datagen-install")
