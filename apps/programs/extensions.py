"""What higher apps add to the pages of programs, registered in their `ready()`.

Programs sits below matching and monitoring, so it never imports them: monitoring adds the
growth of a unit's mentees, matching adds the mentor's self-choice requests.
"""

from __future__ import annotations

from collections.abc import Callable

# unit -> extra context for the unit's page and the participant's «Моя пара» page
UNIT_PANELS: list[Callable[[object], dict]] = []
# person (or None) -> extra context for «Мои пары и программы»
MY_UNITS_PANELS: list[Callable[[object], dict]] = []


def unit_panels(unit) -> dict:
    context: dict = {}
    for panel in UNIT_PANELS:
        context.update(panel(unit))
    return context


def my_units_panels(person) -> dict:
    context: dict = {}
    for panel in MY_UNITS_PANELS:
        context.update(panel(person))
    return context
