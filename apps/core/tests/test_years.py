"""The school year turns on 1 September, by the school's (Moscow) calendar."""

from __future__ import annotations

import datetime

import pytest

from apps.core.years import academic_year, year_bounds
from tests.clock import MOSCOW


@pytest.mark.time_machine(datetime.datetime(2027, 8, 31, 23, 59, 59, tzinfo=MOSCOW), tick=False)
def test_it_keeps_the_old_year_on_the_last_second_of_31_august():
    assert academic_year() == "2026/2027"


@pytest.mark.time_machine(datetime.datetime(2027, 9, 1, 0, 0, 0, tzinfo=MOSCOW), tick=False)
def test_it_starts_the_new_year_at_midnight_of_1_september():
    assert academic_year() == "2027/2028"


@pytest.mark.time_machine(datetime.datetime(2027, 8, 31, 21, 30, tzinfo=datetime.UTC), tick=False)
def test_it_counts_the_day_in_moscow_not_in_utc():
    # 21:30 UTC on 31 August is already 00:30 on 1 September in Moscow.
    assert academic_year() == "2027/2028"


@pytest.mark.time_machine(datetime.datetime(2027, 1, 1, 0, 0, tzinfo=MOSCOW), tick=False)
def test_it_keeps_the_year_across_new_year():
    assert academic_year() == "2026/2027"


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 8, 31), "2025/2026"),
        (datetime.date(2026, 9, 1), "2026/2027"),
        (datetime.date(2027, 8, 31), "2026/2027"),
    ],
)
def test_it_names_the_year_of_a_given_day(day, year):
    assert academic_year(day) == year


def test_it_bounds_the_year_by_1_september_and_31_august():
    assert year_bounds("2026/2027") == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
