"""A fixed school day for tests whose dates are written out (2026/2027) or compared with today.

`on_school_day` travels the clock to noon of 1 December 2026 (Moscow), so the school year is
«2026/2027» and no midnight or 1 September falls inside a test, whatever day the suite runs on.
The clock keeps ticking from there (timestamps still order).
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

MOSCOW = ZoneInfo("Europe/Moscow")
SCHOOL_DAY = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=MOSCOW)

on_school_day = pytest.mark.time_machine(SCHOOL_DAY)
