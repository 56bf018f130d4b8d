"""Roadmap items: seeded from the default plan for a year, edited by the curator."""

from __future__ import annotations

import calendar
import datetime
import re

from django.db import transaction
from django.utils import timezone

from apps.core.workdays import deadline_within, working_day_on_or_after
from apps.core.years import academic_year, year_bounds
from apps.orgs.models import Organisation
from apps.roadmap.models import RoadmapItem
from apps.roadmap.plan import ROADMAP

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
    "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip


def _month(word: str) -> int | None:
    word = word.strip().lower()
    for stem in sorted(MONTHS, key=len, reverse=True):
        if word.startswith(stem):
            return MONTHS[stem]
    return None


def _date(year: str, month: int, last: bool) -> datetime.date:
    start = int(year[:4])
    calendar_year = start if month >= 9 else start + 1
    day = calendar.monthrange(calendar_year, month)[1] if last else 1
    return datetime.date(calendar_year, month, day)


def term_dates(term: str, year: str) -> tuple[datetime.date, datetime.date]:
    """«октябрь–ноябрь» → 1 Oct .. 30 Nov of the academic year; «в течение года» → Sep–May."""
    months = [m for m in (_month(w) for w in re.split(r"[–\-,\s]+", term)) if m]
    if not months:
        return _date(year, 9, False), _date(year, 5, True)
    order = sorted(months, key=lambda m: (m < 9, m))  # September first
    return _date(year, order[0], False), _date(year, order[-1], True)


def stage_number(stage: str) -> int:
    match = re.match(r"\s*(\d)", stage)
    return int(match.group(1)) if match else 1


class PlanShiftError(Exception):
    """The plan cannot start on that day; the message is for the curator."""


def _on_working_days(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """An item's term on working days: it opens on a working day and its deadline is one."""
    opens = working_day_on_or_after(start)
    opens = opens if opens <= end else start
    return opens, deadline_within(end, opens, end)


def _squeeze(day: datetime.date, first: datetime.date, last: datetime.date, start: datetime.date):
    """`day` of the span [first, last] moved proportionally into [start, last]."""
    if day >= last:
        return day
    share = max(0, (day - first).days) / (last - first).days
    return start + datetime.timedelta(days=round(share * (last - start).days))


def plan_start_limit(items) -> datetime.date:
    """The latest day the plan can start on: the last deadline of its items."""
    return max(i.end for i in items)


def _shift_items(items, year: str, start: datetime.date) -> None:
    """Move the items so the plan begins on `start` instead of 1 September, keeping their
    order and the end of the plan (the final events stay in May–June), on working days."""
    first = year_bounds(year)[0]
    last = plan_start_limit(items)
    if start >= last:
        raise PlanShiftError(
            f"План заканчивается {last:%d.%m.%Y}: начать его {start:%d.%m.%Y} нельзя."
        )
    for item in items:
        item.start, item.end = _on_working_days(
            _squeeze(item.start, first, last, start), _squeeze(item.end, first, last, start)
        )


def default_plan(
    org: Organisation, year: str, *, start: datetime.date | None = None
) -> list[RoadmapItem]:
    """The default plan of the year as unsaved items (what a school without a plan sees), on
    working days; `start`: the day the school begins (the plan is moved to begin then)."""
    items = []
    for index, row in enumerate(ROADMAP):
        first, last = term_dates(row["term"], year)
        opens, deadline = _on_working_days(first, last)
        items.append(
            RoadmapItem(
                organisation=org,
                year=year,
                stage=stage_number(row["stage"]),
                order=index,
                activity=row["activity"],
                content=row["content"],
                start=opens,
                end=deadline,
                responsible=row["responsible"],
                result=row["result"],
            )
        )
    if start is not None and start > year_bounds(year)[0]:
        _shift_items(items, year, start)
    return items


@transaction.atomic
def shift_plan(*, org: Organisation, year: str, start: datetime.date) -> int:
    """Move the school's plan of `year` to begin on `start` (a school that starts late).
    Raises PlanShiftError. Returns how many items moved.

    Side effects: a year still on the default plan gets it saved first; items already marked
    done keep their dates; the others move proportionally into [start, end of the plan] on
    working days.
    """
    first, last_day = year_bounds(year)
    if not first <= start <= last_day:
        raise PlanShiftError(
            f"Дата {start:%d.%m.%Y} вне учебного года {year} "
            f"({first:%d.%m.%Y} — {last_day:%d.%m.%Y})."
        )
    items = [i for i in ensure_roadmap(org, year) if i.done_on is None]
    if not items:
        return 0
    _shift_items(items, year, start)
    RoadmapItem.objects.bulk_update(items, ["start", "end"])
    return len(items)


def fresh_plan(org: Organisation, year: str, today: datetime.date) -> list[RoadmapItem]:
    """The default plan as a school without a plan gets it: for the current year begun late,
    moved to begin today (a school starting in December does not open with a plan overdue
    since September); in the last weeks of the year, when nothing is left to move into, as
    it is."""
    try:
        return default_plan(org, year, start=today if academic_year(today) == year else None)
    except PlanShiftError:
        return default_plan(org, year)


@transaction.atomic
def ensure_roadmap(
    org: Organisation, year: str, *, today: datetime.date | None = None
) -> list[RoadmapItem]:
    """The school's items for the year, created from the default plan the first time.

    Side effects: creates the default items (`fresh_plan`) when the year has none.
    """
    items = list(RoadmapItem.objects.of(org).filter(year=year))
    if items:
        return items
    RoadmapItem.objects.bulk_create(fresh_plan(org, year, today or timezone.localdate()))
    return list(RoadmapItem.objects.of(org).filter(year=year))


MONTH_NAMES = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip


def term_words(item: RoadmapItem) -> str:
    """«октябрь–ноябрь» for the appendix table of the Положение order."""
    first, last = MONTH_NAMES[item.start.month - 1], MONTH_NAMES[item.end.month - 1]
    if item.start.month == 9 and item.end.month == 5:
        return "в течение года"
    return first if first == last else f"{first}–{last}"


def roadmap_rows(org: Organisation, year: str) -> list[dict[str, str]]:
    """Rows for Приложение 2 of the Положение order: the school's roadmap of the year, or the
    default plan when it has none yet (registered with documents in `RoadmapConfig.ready`)."""
    from apps.orgs.stages import get_stage

    items = RoadmapItem.objects.of(org).filter(year=year)
    if not items.exists():
        return ROADMAP
    return [
        {
            "stage": f"{i.stage}. {get_stage(i.stage).title}",
            "activity": i.activity,
            "content": i.content,
            "term": term_words(i),
            "responsible": i.responsible,
            "result": i.result,
        }
        for i in items
    ]


def save_default_plan(*, org: Organisation, year: str) -> list[RoadmapItem]:
    """Keep the default plan of `year` as the school's own, so its items can be edited.

    Side effects: creates the default items when the year has none (else changes nothing).
    """
    return ensure_roadmap(org, year)


@transaction.atomic
def save_item(*, org: Organisation, year: str, item: RoadmapItem) -> RoadmapItem:
    """Save an edited or new item of the school's roadmap of `year`.

    Side effects: a year still on the default plan gets the plan saved first, so a new item
    joins it rather than replacing it.
    """
    if item.pk is None:
        ensure_roadmap(org, year)
    item.organisation, item.year = org, year
    item.save()
    return item
