"""The periodic jobs: one table (settings.PERIODIC_JOBS), run by APScheduler in one process.

`manage.py run_scheduler` is what `make run` starts beside the web server and the task worker, and
what the systemd unit in docs/deploy.md runs in production — instead of a cron table per machine.
Each job is a management command; a job runs at most once at a time (a slow run is not stacked on
by the next tick), missed ticks collapse into one, and a failing job is logged and tried again at
its next tick without stopping the others.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from django.core.management import call_command, get_commands
from django.db import close_old_connections, connection

log = logging.getLogger("nastavnik.scheduler")


@dataclass(frozen=True)
class Job:
    command: str
    cron: str
    trigger: CronTrigger


class ScheduleError(ValueError):
    """The jobs table cannot be read; the message says which line and why (in Russian)."""


def parse_jobs(table: Mapping[str, str], *, timezone: str) -> tuple[list[Job], list[str]]:
    """The jobs of `table` and the names of commands skipped because they are not installed."""
    installed = get_commands()
    jobs: list[Job] = []
    skipped: list[str] = []
    for command, cron in table.items():
        command, cron = command.strip(), cron.strip()
        if command not in installed:
            skipped.append(command)
            continue
        try:
            trigger = CronTrigger.from_crontab(cron, timezone=timezone)
        except ValueError as exc:
            raise ScheduleError(
                f"PERIODIC_JOBS, задание «{command}»: расписание «{cron}» не в формате crontab "
                f"(пять полей: минуты, часы, день, месяц, день недели) — {exc}"
            ) from exc
        jobs.append(Job(command=command, cron=cron, trigger=trigger))
    return jobs, skipped


def _fresh_connection() -> None:
    # A long-lived process must not reuse a connection the server dropped; inside a transaction
    # (a test) the connection is the transaction's and stays.
    if not connection.in_atomic_block:
        close_old_connections()


def run_job(command: str, *, call: Callable[..., object] = call_command) -> bool:
    """Run one job to the end; True when it succeeded. Never raises: the scheduler keeps going."""
    _fresh_connection()
    started = time.monotonic()
    out = io.StringIO()
    try:
        call(command, stdout=out, stderr=out)
    except Exception:
        log.exception("periodic job %s failed after %.1f s", command, time.monotonic() - started)
        return False
    finally:
        _fresh_connection()
    log.info(
        "periodic job %s done in %.1f s%s",
        command,
        time.monotonic() - started,
        f": {out.getvalue().strip()[:500]}" if out.getvalue().strip() else "",
    )
    return True


def add_jobs(scheduler: BaseScheduler, jobs: list[Job]) -> None:
    for job in jobs:
        scheduler.add_job(
            run_job,
            job.trigger,
            args=[job.command],
            id=job.command,
            name=job.command,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=300,
            replace_existing=True,
        )
