"""The Russian production calendar (производственный календарь) from the `holidays` package:
weekends, public holidays and the days off moved by the government's yearly decree, and the
Saturdays made working days by it. No Django here."""

from __future__ import annotations

import calendar
import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _russia(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def working_days(year: int, month: int) -> list[datetime.date]:
    """The working days of a month under a five-day week."""
    days = calendar.monthrange(year, month)[1]
    ru = _russia(year)
    return [
        day for n in range(1, days + 1) if ru.is_working_day(day := datetime.date(year, month, n))
    ]
