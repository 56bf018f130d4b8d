"""Working days from the Russian production calendar (the `holidays` package)."""

import datetime

from apps.core.workdays import (
    deadline_within,
    is_working_day,
    working_day_on_or_after,
    working_day_on_or_before,
)

D = datetime.date


def test_it_knows_weekends_and_public_holidays():
    assert is_working_day(D(2026, 11, 3))  # Tuesday
    assert not is_working_day(D(2026, 11, 4))  # День народного единства
    assert not is_working_day(D(2026, 11, 7))  # Saturday
    assert not is_working_day(D(2027, 1, 5))  # новогодние каникулы
    assert not is_working_day(D(2027, 2, 22))  # a day off moved from Saturday 20.02


def test_a_deadline_on_a_day_off_moves_back_and_a_start_moves_on():
    assert working_day_on_or_before(D(2027, 1, 8)) == D(2026, 12, 30)  # 31.12 is a day off too
    assert working_day_on_or_after(D(2027, 1, 1)) == D(2027, 1, 11)
    assert working_day_on_or_before(D(2026, 11, 30)) == D(2026, 11, 30)  # Monday stays


def test_a_deadline_stays_inside_its_span():
    # 10.01.2027 is a Sunday after the holidays: back would leave the span, so forward.
    assert deadline_within(D(2027, 1, 10), D(2027, 1, 9), D(2027, 3, 1)) == D(2027, 1, 11)
    assert deadline_within(D(2027, 6, 1), D(2027, 1, 11), D(2027, 5, 30)) == D(2027, 5, 28)
    # A span with no working day keeps the day itself.
    assert deadline_within(D(2027, 1, 3), D(2027, 1, 2), D(2027, 1, 4)) == D(2027, 1, 3)
