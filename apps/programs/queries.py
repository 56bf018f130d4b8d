"""Read side of mentoring units: unit rows with their programme's progress, a programme's
progress, the school's settings as read (nothing here writes)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from apps.orgs.models import Organisation
from apps.programs.models import Task, TaskStatus, UnitMember, overdue_q


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def programme_progress(tasks: Iterable[Task], today: datetime.date) -> Progress:
    """Done, total and overdue tasks of a loaded programme; marks each task's `overdue`."""
    tasks = list(tasks)
    for task in tasks:
        task.overdue = task.is_overdue(today)
    return Progress(
        done=sum(1 for t in tasks if t.status == TaskStatus.DONE),
        total=len(tasks),
        overdue=sum(1 for t in tasks if t.overdue),
    )


def unit_rows(org: Organisation, *, today: datetime.date, status: str = "") -> QuerySet:
    """The school's units, newest first, with tasks_total / tasks_done / tasks_overdue (the
    same rule as `programme_progress`) and last_meeting, in one query per page."""
    units = (
        org.mentoring_units.select_related("mentor", "co_mentor", "format", "pairing")
        .prefetch_related(Prefetch("members", queryset=UnitMember.objects.select_related("mentee")))
        .order_by("-start_date", "-pk")
    )
    if status:
        units = units.filter(status=status)
    return units.annotate(
        tasks_total=Count("programme__tasks", distinct=True),
        tasks_done=Count(
            "programme__tasks",
            filter=Q(programme__tasks__status=TaskStatus.DONE),
            distinct=True,
        ),
        tasks_overdue=Count(
            "programme__tasks", filter=overdue_q(today, "programme__tasks__"), distinct=True
        ),
        last_meeting=Max("meetings__date"),
    )
