"""What the apps above the library add to its competition export, registered in their
`AppConfig.ready()` (the library imports neither the consent guard nor the monitoring).

- `CONSENT_CHECKS`: publicity's guard. Called as `check(org, authors, texts)`, it returns the
  author names that may be printed (everyone they name has a distribution consent allowing
  «ФИО») and the (last, first, middle) names of register people the texts name without one.
  With no check registered the export prints no author and withholds the texts (fails closed).
- `PRACTICE_FIGURES`: monitoring. Called with a material, returns (label, value) rows: the
  organisation's indicators and the competence growth of the practice's pair.
"""

from __future__ import annotations

from collections.abc import Callable

ConsentCheck = Callable[
    [object, list[str], list[str]], tuple[list[str], list[tuple[str, str, str]]]
]
CONSENT_CHECKS: list[ConsentCheck] = []
PRACTICE_FIGURES: list[Callable[[object], list[tuple[str, str]]]] = []
