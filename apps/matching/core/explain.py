"""Why a mentee is left without a mentor.

Either no mentor is feasible (each excluded candidate is counted under the rule that excluded
it), or every feasible mentor's places go to a better overall assignment. In the second case
the best alternative is found by re-solving with the pair forced (pinned): its cost is the
drop of the total score of everybody else, and `displaced` is how many other mentees would
lose their mentor. The alternative with the smallest (displaced, cost) is named — the one
that hurts the others least.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from apps.matching.core.criteria import plural
from apps.matching.core.model import (
    RULES,
    Alternative,
    Mentee,
    PairScore,
    Problem,
    Unmatched,
)


def _plural(n: int, one: str, few: str, many: str) -> str:
    return plural(n, one, few, many)


def _points(value: int) -> str:
    return f"{value / 1000:.1f}".replace(".", ",")


MENTORS_GEN = ("наставника", "наставников", "наставников")  # «у 2 наставников …»
MENTORS_NOM = ("наставник", "наставника", "наставников")  # «2 наставника …»
# Rule key → (word forms, «у N …» or «N …», the rest of the phrase).
RULE_PHRASES = {
    "capacity": (MENTORS_GEN, True, "нет свободных мест"),
    "experience": (MENTORS_GEN, True, "стаж меньше требуемого"),
    "mentor_consent": (MENTORS_GEN, True, "нет согласия на обработку ПДн"),
    "other_school": (MENTORS_NOM, False, "из другой школы"),
    "mentor_inactive": (MENTORS_NOM, False, "в отпуске или в архиве"),
    "forbidden": (("пара запрещена", "пары запрещены", "пар запрещено"), False, "куратором"),
}


def rule_summary(excluded: dict[str, int]) -> str:
    """«у 3 наставников нет свободных мест, у 2 стаж меньше требуемого, 1 из другой школы»."""
    phrases = []
    for rule in RULES:
        count = excluded.get(rule, 0)
        if not count:
            continue
        if rule not in RULE_PHRASES:
            phrases.append(RULES[rule])
            continue
        forms, with_u, rest = RULE_PHRASES[rule]
        phrase = f"{count} {_plural(count, *forms)} {rest}"
        phrases.append(f"у {phrase}" if with_u else phrase)
    return ", ".join(phrases)


def explain_unmatched(
    problem: Problem,
    unmatched: Sequence[Mentee],
    pairs: Sequence[tuple[int, int]],
    scores: dict[tuple[int, int], PairScore],
    excluded: dict[int, dict[str, int]],
    *,
    resolve: Callable[[Problem, list[PairScore]], tuple[list[tuple[int, int]], int]],
    max_alternatives: int,
) -> list[Unmatched]:
    out = []
    base_points = sum(scores[p].points for p in pairs if p in scores)
    base_matched = len(pairs)
    pinned_load: dict[int, int] = {}
    for _, mentor_id in problem.settings.pinned:
        pinned_load[mentor_id] = pinned_load.get(mentor_id, 0) + 1
    free = {m.id: m.free for m in problem.mentors}
    all_scores = list(scores.values())
    for mentee in unmatched:
        if not problem.mentors:
            out.append(Unmatched(mentee.id, "no_mentors", "Не выбран ни один наставник."))
            continue
        own = sorted(
            (
                s
                for s in all_scores
                if s.mentee_id == mentee.id
                and (mentee.id, s.mentor_id) not in problem.settings.forbidden
            ),
            key=lambda s: (-s.points, s.mentor_id),
        )
        counts = dict(excluded.get(mentee.id, {}))
        if not own:
            out.append(
                Unmatched(
                    mentee.id,
                    "no_feasible",
                    f"Нет подходящего наставника: {rule_summary(counts)}."
                    if counts
                    else "Нет подходящего наставника.",
                    excluded=counts,
                )
            )
            continue
        best: Alternative | None = None
        for score in own[:max_alternatives]:
            if pinned_load.get(score.mentor_id, 0) >= free.get(score.mentor_id, 0):
                continue  # the curator's pins already fill this mentor
            forced = replace(
                problem,
                settings=replace(
                    problem.settings,
                    pinned=problem.settings.pinned | {(mentee.id, score.mentor_id)},
                ),
            )
            new_pairs, new_points = resolve(forced, all_scores)
            cost = max(0, base_points - (new_points - score.points))
            displaced = max(0, base_matched - (len(new_pairs) - 1))
            candidate = Alternative(score.mentor_id, score, cost, displaced)
            if best is None or (displaced, cost, -score.points, score.mentor_id) < (
                best.displaced,
                best.cost_points,
                -best.score.points,
                best.mentor_id,
            ):
                best = candidate
        text = _capacity_text(problem, best)
        if counts:
            text += f" Остальные не подходят: {rule_summary(counts)}."
        out.append(Unmatched(mentee.id, "capacity", text, excluded=counts, alternative=best))
    return out


def _capacity_text(problem: Problem, best: Alternative | None) -> str:
    head = "Все подходящие наставники заняты в лучшем общем распределении."
    if best is None:
        return head + " Их места закреплены куратором за другими наставляемыми."
    name = next(m.name for m in problem.mentors if m.id == best.mentor_id)
    tail = f" Лучший вариант — {name} (совпадение {best.score.percent} %): назначение"
    effects = []
    if best.cost_points:
        effects.append(f"снизило бы балл остальных пар на {_points(best.cost_points)}")
    if best.displaced:
        n = best.displaced
        effects.append(
            f"оставило бы без пары {n} "
            + _plural(n, "другого наставляемого", "других наставляемых", "других наставляемых")
        )
    if not effects:
        effects.append("не изменило бы балл остальных, но места уже распределены")
    return head + tail + " " + " и ".join(effects) + "."
