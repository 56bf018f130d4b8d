"""Score one mentee–mentor pair criterion by criterion, and check the hard rules.

Every criterion gives a value in 0..1 and a Russian sentence saying why; the pair's points are
Σ value × weight × 1000 (integers, so the solver is exact).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from apps.core.plural import plural
from apps.matching.core.model import (
    CRITERIA,
    NEED_THRESHOLD,
    RULES,
    STRENGTH_THRESHOLD,
    Mentee,
    Mentor,
    PairScore,
    Part,
    Problem,
    Settings,
)

SCALE = 1000
UNKNOWN = 0.5  # a criterion neither side answered: neutral, neither bonus nor penalty
FULL_GAP_YEARS = 10


def years(n: int) -> str:
    return f"{n} {plural(n, 'год', 'года', 'лет')}"


def _list(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def effective_weights(settings: Settings) -> dict[str, int]:
    weights = {key: max(0, int(settings.weights.get(key, 0))) for key in CRITERIA}
    if settings.network:
        weights["same_school"] = 0
    return weights


def check_pair(mentee: Mentee, mentor: Mentor, settings: Settings) -> tuple[str, ...]:
    """The hard rules the pair breaks (keys of RULES, in RULES order); empty when feasible."""
    broken = {
        "mentee_consent": not mentee.consent,
        "mentor_consent": not mentor.consent,
        "self": mentee.id == mentor.id,
        "mentee_inactive": not mentee.active,
        "mentor_inactive": not mentor.active,
        "experience": settings.min_mentor_experience > 0
        and (
            mentor.experience_years is None
            or mentor.experience_years < settings.min_mentor_experience
        ),
        "capacity": mentor.free == 0,
        "forbidden": (mentee.id, mentor.id) in settings.forbidden,
        "other_school": not settings.network and mentee.school != mentor.school,
    }
    return tuple(rule for rule in RULES if broken[rule])


def _coverage(mentee: Mentee, mentor: Mentor, names: Mapping[str, str]) -> tuple[float, str]:
    requests = sorted(
        ((key, level) for key, level in mentee.needs.items() if level >= NEED_THRESHOLD),
        key=lambda item: (-item[1], names.get(item[0], item[0])),
    )
    if not requests:
        return 0.0, f"у наставляемого нет запросов выше {NEED_THRESHOLD - 1} баллов"
    covered = [(k, v) for k, v in requests if mentor.strengths.get(k, 0) >= STRENGTH_THRESHOLD]
    total = sum(level for _, level in requests)
    value = sum(level for _, level in covered) / total
    n, m = len(covered), len(requests)
    word = plural(m, "запроса", "запросов", "запросов")
    if not covered:
        missing = ", ".join(names.get(k, k) for k, _ in requests)
        return 0.0, f"не покрывает ни одного из {m} {word}: {missing}"
    listed = ", ".join(names.get(k, k) for k, _ in covered)
    if n == m:
        return value, f"покрывает все запросы ({m}): {listed}"
    return value, f"покрывает {n} из {m} {word}: {listed}"


def _overlap(a: frozenset[str], b: frozenset[str], what: str, both: str) -> tuple[float, str]:
    if not a or not b:
        return UNKNOWN, f"{what} не указаны"
    common = a & b
    if common:
        return 1.0, f"{both}: {_list(common)}"
    return 0.0, f"у наставляемого — {_list(a)}, у наставника — {_list(b)}"


def _experience(mentee: Mentee, mentor: Mentor) -> tuple[float, str]:
    if mentee.experience_years is None or mentor.experience_years is None:
        return UNKNOWN, "стаж одного из участников не указан"
    gap = mentor.experience_years - mentee.experience_years
    value = min(1.0, max(0.0, gap / FULL_GAP_YEARS))
    both = (
        f"стаж наставника {years(mentor.experience_years)}, наставляемого "
        f"{years(mentee.experience_years)}"
    )
    if gap > 0:
        return value, f"{both} (разница {years(gap)})"
    if gap == 0:
        return value, f"{both}: стаж одинаковый"
    return value, f"{both}: наставляемый опытнее на {years(-gap)}"


def _availability(mentee: Mentee, mentor: Mentor) -> tuple[float, str]:
    if not mentee.availability or not mentor.availability:
        return UNKNOWN, "удобное время не указано"
    common = mentee.availability & mentor.availability
    if not common:
        return 0.0, "нет общего удобного времени"
    return len(common) / len(mentee.availability), f"общее время: {_list(common)}"


def _workload(mentor: Mentor) -> tuple[float, str]:
    if mentor.capacity <= 0:
        return 0.0, "мест нет"
    return 1 - mentor.load / mentor.capacity, f"сейчас ведёт {mentor.load} из {mentor.capacity}"


def criterion_values(
    mentee: Mentee, mentor: Mentor, names: Mapping[str, str]
) -> dict[str, tuple[float, str]]:
    same = mentee.school == mentor.school
    return {
        "coverage": _coverage(mentee, mentor, names),
        "subject": _overlap(mentee.subjects, mentor.subjects, "предметы", "оба ведут"),
        "stage": _overlap(mentee.stages, mentor.stages, "уровни образования", "оба работают на"),
        "experience": _experience(mentee, mentor),
        "form": _overlap(mentee.forms, mentor.forms, "предпочтения по форме", "обоим подходит"),
        "availability": _availability(mentee, mentor),
        "same_school": (1.0, "из одной школы") if same else (0.0, "из разных школ"),
        "workload": _workload(mentor),
    }


def score_pair(
    mentee: Mentee, mentor: Mentor, settings: Settings, names: Mapping[str, str]
) -> PairScore:
    weights = effective_weights(settings)
    values = criterion_values(mentee, mentor, names)
    parts = tuple(
        Part(
            key=key,
            label=label,
            value=values[key][0],
            weight=weights[key],
            points=round(values[key][0] * weights[key] * SCALE),
            text=values[key][1],
        )
        for key, label in CRITERIA.items()
    )
    points = sum(p.points for p in parts)
    best = SCALE * sum(weights.values())
    return PairScore(
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        points=points,
        percent=round(100 * points / best) if best else 0,
        parts=parts,
    )


def candidates(problem: Problem) -> tuple[list[PairScore], dict[int, dict[str, int]]]:
    """Every feasible pair, scored; and per mentee how many mentors each rule excluded.

    A mentor excluded by several rules is counted under the first one (RULES order).
    """
    settings = problem.settings
    scores: list[PairScore] = []
    excluded: dict[int, dict[str, int]] = {}
    for mentee in problem.mentees:
        counts: dict[str, int] = {}
        for mentor in problem.mentors:
            broken = check_pair(mentee, mentor, settings)
            if broken:
                counts[broken[0]] = counts.get(broken[0], 0) + 1
            else:
                scores.append(score_pair(mentee, mentor, settings, problem.competency_names))
        excluded[mentee.id] = counts
    return scores, excluded
