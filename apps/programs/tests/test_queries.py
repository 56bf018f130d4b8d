"""Read side of units: one overdue rule for the unit list, the programme page and the calendar."""

import datetime

import pytest

from apps.programs.models import Task, TaskStatus
from apps.programs.queries import programme_progress, unit_rows
from apps.programs.tests.test_programme import task_in, unit  # noqa: F401
from apps.programs.tests.test_units import dicts  # noqa: F401

TODAY = datetime.date(2026, 11, 10)


@pytest.fixture
def tasks(unit):  # noqa: F811
    done = task_in(unit, datetime.date(2026, 11, 1))
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE, done_on=TODAY)
    late = task_in(unit, datetime.date(2026, 11, 9))
    moved = task_in(unit, datetime.date(2026, 11, 1))
    Task.objects.filter(pk=moved.pk).update(
        status=TaskStatus.POSTPONED, new_deadline=datetime.date(2026, 11, 20)
    )
    moved_late = task_in(unit, datetime.date(2026, 10, 1))
    Task.objects.filter(pk=moved_late.pk).update(
        status=TaskStatus.POSTPONED, new_deadline=datetime.date(2026, 11, 2)
    )
    today_due = task_in(unit, TODAY)
    failed = task_in(unit, datetime.date(2026, 10, 1))
    Task.objects.filter(pk=failed.pk).update(status=TaskStatus.FAILED)
    return {"late": late, "moved_late": moved_late, "today": today_due}


def test_it_counts_the_same_overdue_tasks_in_sql_and_in_python(unit, tasks):  # noqa: F811
    loaded = list(Task.objects.filter(programme__unit=unit))
    progress = programme_progress(loaded, TODAY)
    assert sorted(t.pk for t in loaded if t.overdue) == sorted(
        [tasks["late"].pk, tasks["moved_late"].pk]
    )
    assert sorted(Task.objects.overdue(TODAY).values_list("pk", flat=True)) == sorted(
        [tasks["late"].pk, tasks["moved_late"].pk]
    )
    row = unit_rows(unit.organisation, today=TODAY).get(pk=unit.pk)
    assert (row.tasks_total, row.tasks_done, row.tasks_overdue) == (6, 1, 2)
    assert (progress.total, progress.done, progress.overdue, progress.percent) == (6, 1, 2, 17)


def test_it_gives_zero_percent_for_an_empty_programme():
    assert programme_progress([], TODAY).percent == 0
