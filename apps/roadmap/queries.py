"""Read side of the roadmap (nothing here writes)."""

from __future__ import annotations

import datetime

from apps.orgs.models import Organisation
from apps.roadmap.models import RoadmapItem
from apps.roadmap.services import fresh_plan


def year_items(org: Organisation, year: str, today: datetime.date) -> list[RoadmapItem]:
    """The school's items of the year; for a year it has not planned, the default plan as
    unsaved items (`services.fresh_plan`, saved by the first edit, see services.save_item)."""
    return list(RoadmapItem.objects.of(org).filter(year=year)) or fresh_plan(org, year, today)
