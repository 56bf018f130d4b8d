"""Roadmap items: seeded from the default plan for a year, edited by the curator."""

from __future__ import annotations

import calendar
import datetime
import re

from django.db import transaction

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


def default_plan(org: Organisation, year: str) -> list[RoadmapItem]:
    """The default plan of the year as unsaved items (what a school without a plan sees)."""
    return [
        RoadmapItem(
            organisation=org,
            year=year,
            stage=stage_number(row["stage"]),
            order=index,
            activity=row["activity"],
            content=row["content"],
            start=term_dates(row["term"], year)[0],
            end=term_dates(row["term"], year)[1],
            responsible=row["responsible"],
            result=row["result"],
        )
        for index, row in enumerate(ROADMAP)
    ]


@transaction.atomic
def ensure_roadmap(org: Organisation, year: str) -> list[RoadmapItem]:
    """The school's items for the year, created from the default plan the first time.

    Side effects: creates the default items when the year has none.
    """
    items = list(RoadmapItem.objects.of(org).filter(year=year))
    if items:
        return items
    RoadmapItem.objects.bulk_create(default_plan(org, year))
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
