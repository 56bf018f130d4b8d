"""The school year (1 September – 31 August), written once for every app."""

from __future__ import annotations

import datetime

from django.utils import timezone


def academic_year(day: datetime.date | None = None) -> str:
    """«2026/2027» for any day from 1 September 2026 to 31 August 2027 (today by default)."""
    day = day or timezone.localdate()
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1}"


def year_bounds(year: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the school year «2026/2027»."""
    start = int(year[:4])
    return datetime.date(start, 9, 1), datetime.date(start + 1, 8, 31)
