"""Working days of the Russian production calendar: weekends and public holidays (with the
days off moved by the Government's decree) come from the maintained `holidays` package, not
from a hand-written list. Pure: no Django.
"""

from __future__ import annotations

import calendar
import datetime
from functools import lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=32)
def _russia(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def is_working_day(day: datetime.date) -> bool:
    """A working day of the five-day week: not a weekend, a public holiday or a moved day off —
    and a Saturday the Government's decree made working counts (e.g. 20.02.2027)."""
    return _russia(day.year).is_working_day(day)


def working_days(year: int, month: int) -> list[datetime.date]:
    """The working days of a month (the mentor pay register prorates by them)."""
    days = calendar.monthrange(year, month)[1]
    return [d for n in range(1, days + 1) if is_working_day(d := datetime.date(year, month, n))]


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """A deadline that falls on a day off moves back to the working day before it."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    """A start that falls on a day off moves on to the next working day."""
    while not is_working_day(day):
        day += ONE_DAY
    return day


def deadline_within(day: datetime.date, first: datetime.date, last: datetime.date) -> datetime.date:
    """A working-day deadline inside [first, last]: back to the working day before `day`, or
    forward when that would fall before `first`; `day` itself when the span has none."""
    day = min(max(day, first), last)
    earlier = working_day_on_or_before(day)
    if earlier >= first:
        return earlier
    later = working_day_on_or_after(day)
    return later if later <= last else day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later): how
    much notice a date gives, as ст. 351.8 ТК РФ counts it."""
    days, day = 0, start
    while day < end:
        day += ONE_DAY
        days += is_working_day(day)
    return days
