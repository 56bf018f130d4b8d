"""Exact maximum-weight b-matching of mentees to mentors (min-cost flow, OR-Tools).

Graph: source → mentee (capacity 1) → mentor (capacity 1 per feasible pair, cost −points) →
sink (capacity = free places). Lexicographic objective: OR-Tools' maximum flow of minimum
cost — the most mentees matched, then the highest total score among such assignments.
Score only: a bypass arc source → sink with cost 0 lets mentees stay unmatched, so a flow of
value n is always feasible and its minimum cost is the maximum total score.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

from apps.matching.core.criteria import candidates, check_pair, score_pair
from apps.matching.core.explain import explain_unmatched
from apps.matching.core.model import (
    CRITERIA,
    RULES,
    Assignment,
    Mentee,
    Mentor,
    PairScore,
    Problem,
    ProblemError,
    Result,
)


def solve_graph(
    n_left: int,
    capacity: np.ndarray,
    edge_left: np.ndarray,
    edge_right: np.ndarray,
    edge_points: np.ndarray,
    *,
    lexicographic: bool = True,
) -> tuple[np.ndarray, int]:
    """Optimal assignment: left index → right index or −1, and its total points.

    Deterministic: OR-Tools' cost-scaling algorithm is deterministic for the same arc order.
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    edge_left = np.asarray(edge_left, dtype=np.int64)
    edge_right = np.asarray(edge_right, dtype=np.int64)
    edge_points = np.asarray(edge_points, dtype=np.int64)
    assignment = np.full(n_left, -1, dtype=np.int64)
    n_right = len(capacity)
    if n_left == 0 or len(edge_left) == 0 or n_right == 0:
        return assignment, 0
    keep = capacity[edge_right] > 0
    edge_left, edge_right, edge_points = edge_left[keep], edge_right[keep], edge_points[keep]
    if len(edge_left) == 0:
        return assignment, 0
    source, sink = n_left + n_right, n_left + n_right + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    left_nodes = np.arange(n_left, dtype=np.int64)
    right_nodes = np.arange(n_right, dtype=np.int64) + n_left
    # Lexicographic: the maximum flow (most mentees matched) of minimum cost, so costs stay
    # small. Score only: a bypass arc source → sink lets any mentee stay unmatched for free.
    bypass = [] if lexicographic else [source]
    tails = np.concatenate([np.full(n_left, source), edge_left, right_nodes, bypass])
    heads = np.concatenate(
        [left_nodes, edge_right + n_left, np.full(n_right, sink), [sink] if bypass else []]
    )
    caps = np.concatenate(
        [np.ones(n_left, np.int64), np.ones(len(edge_left), np.int64), capacity]
        + ([[n_left]] if bypass else [])
    )
    costs = np.concatenate(
        [np.zeros(n_left, np.int64), -edge_points, np.zeros(n_right, np.int64)]
        + ([[0]] if bypass else [])
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    supplies = np.zeros(n_left + n_right + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_left, -n_left
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = flow.solve_max_flow_with_min_cost() if lexicographic else flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover — max flow always exists; bypass feasible
        raise RuntimeError(f"min cost flow status {status}")
    first = n_left
    used = flow.flows(np.arange(first, first + len(edge_left))) > 0
    assignment[edge_left[used]] = edge_right[used]
    return assignment, int(edge_points[used].sum())


# --- the domain-level solve ----------------------------------------------------------------


def _canonical(problem: Problem) -> tuple[list[Mentee], list[Mentor]]:
    return (
        sorted(problem.mentees, key=lambda m: m.id),
        sorted(problem.mentors, key=lambda m: m.id),
    )


def validate(problem: Problem) -> None:
    """Raise ProblemError with every reason the input cannot be solved as given."""
    mentees, mentors = _canonical(problem)
    settings = problem.settings
    errors: list[str] = []
    if not mentees:
        errors.append("Не выбран ни один наставляемый.")
    if not mentors:
        errors.append("Не выбран ни один наставник.")
    elif all(m.free == 0 for m in mentors):
        names = ", ".join(m.name for m in mentors[:10]) + (" и др." if len(mentors) > 10 else "")
        errors.append(f"У всех выбранных наставников нет свободных мест: {names}.")
    weights = settings.weights
    if not any(
        int(weights.get(k, 0)) > 0
        for k in CRITERIA
        if not (settings.network and k == "same_school")
    ):
        errors.append(
            "Все веса критериев равны нулю — подбор не отличит хорошую пару от плохой. "
            "Задайте вес хотя бы одному критерию."
        )
    errors.extend(_pin_errors(problem, mentees, mentors))
    if errors:
        raise ProblemError(errors)


def _pin_errors(problem: Problem, mentees: list[Mentee], mentors: list[Mentor]) -> list[str]:
    settings = problem.settings
    by_mentee = {m.id: m for m in mentees}
    by_mentor = {m.id: m for m in mentors}
    errors: list[str] = []
    per_mentee: dict[int, list[int]] = defaultdict(list)
    per_mentor: dict[int, list[int]] = defaultdict(list)
    for mentee_id, mentor_id in sorted(settings.pinned):
        mentee, mentor = by_mentee.get(mentee_id), by_mentor.get(mentor_id)
        if mentee is None or mentor is None:
            who = "наставляемый" if mentee is None else "наставник"
            errors.append(f"Закреплённая пара {mentee_id}–{mentor_id}: {who} не выбран в подборе.")
            continue
        per_mentee[mentee_id].append(mentor_id)
        per_mentor[mentor_id].append(mentee_id)
        if (mentee_id, mentor_id) in settings.forbidden:
            errors.append(
                f"Пара {mentee.name} — {mentor.name} одновременно закреплена и запрещена."
            )
        broken = [
            r for r in check_pair(mentee, mentor, settings) if r not in ("capacity", "forbidden")
        ]
        if broken:
            reasons = "; ".join(RULES[r] for r in broken)
            errors.append(
                f"Закреплённая пара {mentee.name} — {mentor.name} нарушает правила: {reasons}."
            )
    for mentee_id, mentor_ids in per_mentee.items():
        if len(mentor_ids) > 1:
            names = ", ".join(by_mentor[i].name for i in mentor_ids)
            errors.append(
                f"{by_mentee[mentee_id].name} закреплён(а) сразу за несколькими наставниками: "
                f"{names}. Оставьте одного."
            )
    for mentor_id, mentee_ids in per_mentor.items():
        mentor = by_mentor[mentor_id]
        if len(mentee_ids) > mentor.free:
            names = ", ".join(by_mentee[i].name for i in mentee_ids)
            places = "свободных мест нет" if mentor.free == 0 else f"свободных мест: {mentor.free}"
            errors.append(
                f"За наставником {mentor.name} закреплено наставляемых: {len(mentee_ids)} "
                f"({names}), а {places}."
            )
    return errors


def _optimise(problem: Problem, scores: list[PairScore]) -> tuple[list[tuple[int, int]], int]:
    """Pinned pairs first, then the exact optimum over the remaining mentees and places."""
    mentees, mentors = _canonical(problem)
    settings = problem.settings
    pinned = dict(sorted(settings.pinned))  # mentee → mentor (validated: one each)
    free = {m.id: m.free for m in mentors}
    for mentor_id in pinned.values():
        free[mentor_id] -= 1
    left = [m.id for m in mentees if m.id not in pinned]
    right = [m.id for m in mentors]
    li = {mid: i for i, mid in enumerate(left)}
    ri = {mid: j for j, mid in enumerate(right)}
    edges = sorted(
        (li[s.mentee_id], ri[s.mentor_id], s.points) for s in scores if s.mentee_id in li
    )
    arr = np.array(edges, dtype=np.int64).reshape(-1, 3)
    assignment, _ = solve_graph(
        len(left),
        np.array([free[m] for m in right], dtype=np.int64),
        arr[:, 0],
        arr[:, 1],
        arr[:, 2],
        lexicographic=settings.objective != "score_only",
    )
    pairs = list(pinned.items())
    pairs += [(left[i], right[j]) for i, j in enumerate(assignment) if j >= 0]
    points = {(s.mentee_id, s.mentor_id): s.points for s in scores}
    return pairs, sum(points.get(p, 0) for p in pairs)


def _pinned_scores(problem: Problem) -> list[PairScore]:
    """Scores of pinned pairs (their mentor may have had no place left for others)."""
    mentees = {m.id: m for m in problem.mentees}
    mentors = {m.id: m for m in problem.mentors}
    return [
        score_pair(mentees[a], mentors[b], problem.settings, problem.competency_names)
        for a, b in sorted(problem.settings.pinned)
    ]


def _result(
    problem: Problem,
    pairs: Sequence[tuple[int, int]],
    scores: dict[tuple[int, int], PairScore],
    excluded: dict[int, dict[str, int]],
    *,
    max_alternatives: int,
) -> Result:
    mentees = {m.id: m for m in problem.mentees}
    mentors = {m.id: m for m in problem.mentors}
    pinned = problem.settings.pinned
    assignments = sorted(
        (Assignment(a, b, scores[(a, b)], (a, b) in pinned) for a, b in pairs),
        key=lambda x: (mentees[x.mentee_id].name, x.mentee_id),
    )
    load: dict[int, int] = defaultdict(int)
    for _, b in pairs:
        load[b] += 1
    matched = {a for a, _ in pairs}
    unmatched = explain_unmatched(
        problem,
        [m for m in sorted(problem.mentees, key=lambda m: (m.name, m.id)) if m.id not in matched],
        pairs,
        scores,
        excluded,
        resolve=_optimise,
        max_alternatives=max_alternatives,
    )
    warnings = []
    full = [m.name for m in sorted(mentors.values(), key=lambda m: m.name) if m.free == 0]
    if full:
        warnings.append(f"Без свободных мест (в подборе не участвуют): {', '.join(full)}.")
    return Result(
        assignments=tuple(assignments),
        unmatched=tuple(unmatched),
        total_points=sum(a.score.points for a in assignments),
        matched=len(assignments),
        load=dict(load),
        warnings=tuple(warnings),
    )


def solve(problem: Problem, *, max_alternatives: int = 3) -> Result:
    """The exact optimum with pins kept and forbidden pairs never proposed, explained."""
    validate(problem)
    found, excluded = candidates(problem)
    scores = {(s.mentee_id, s.mentor_id): s for s in found}
    for s in _pinned_scores(problem):
        scores.setdefault((s.mentee_id, s.mentor_id), s)
    pairs, _ = _optimise(problem, list(scores.values()))
    return _result(problem, pairs, scores, excluded, max_alternatives=max_alternatives)


def evaluate(problem: Problem, pairs: Sequence[tuple[int, int]]) -> Result:
    """Score the curator's own pairs as they are; refuse any that breaks a hard rule."""
    mentees = {m.id: m for m in problem.mentees}
    mentors = {m.id: m for m in problem.mentors}
    settings = problem.settings
    errors: list[str] = []
    seen: set[int] = set()
    used: dict[int, int] = defaultdict(int)
    scores: dict[tuple[int, int], PairScore] = {}
    for a, b in pairs:
        mentee, mentor = mentees.get(a), mentors.get(b)
        if mentee is None or mentor is None:
            errors.append("Пара ссылается на участника, которого нет в этом подборе.")
            continue
        if a in seen:
            errors.append(f"{mentee.name} указан(а) в нескольких парах.")
        seen.add(a)
        used[b] += 1
        broken = [r for r in check_pair(mentee, mentor, settings) if r != "capacity"]
        if broken:
            reasons = "; ".join(RULES[r] for r in broken)
            errors.append(f"Пара {mentee.name} — {mentor.name} невозможна: {reasons}.")
        scores[(a, b)] = score_pair(mentee, mentor, settings, problem.competency_names)
    for b, count in used.items():
        mentor = mentors.get(b)
        if mentor is not None and count > mentor.free:
            errors.append(
                f"У наставника {mentor.name} свободных мест: {mentor.free}, а назначено {count}."
            )
    if errors:
        raise ProblemError(errors)
    found, excluded = candidates(problem)
    for s in found:
        scores.setdefault((s.mentee_id, s.mentor_id), s)
    return _result(problem, list(pairs), scores, excluded, max_alternatives=3)
