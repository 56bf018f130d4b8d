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
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from apps.matching.core.criteria import check_pair, score_pair
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
from apps.matching.core.vector import Candidates, Progress, encode
from apps.matching.core.vector import candidates as vector_candidates


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

    The arc arrays are allocated once at their final size and filled in place (node ids
    int32, as OR-Tools takes them; capacities and costs int64, as it requires), so the peak
    memory is OR-Tools' own graph plus one copy of the arcs. Deterministic: OR-Tools'
    cost-scaling algorithm is deterministic for the same arc order.
    """
    n_right = len(capacity)
    n_edges = len(edge_left)
    assignment = np.full(n_left, -1, dtype=np.int64)
    if n_left == 0 or n_edges == 0 or n_right == 0:
        return assignment, 0
    source, sink = n_left + n_right, n_left + n_right + 1
    bypass = 0 if lexicographic else 1
    n_arcs = n_left + n_edges + n_right + bypass
    tails = np.empty(n_arcs, dtype=np.int32)
    heads = np.empty(n_arcs, dtype=np.int32)
    caps = np.ones(n_arcs, dtype=np.int64)
    costs = np.zeros(n_arcs, dtype=np.int64)
    a, b, c = n_left, n_left + n_edges, n_left + n_edges + n_right
    tails[:a] = source
    heads[:a] = np.arange(n_left, dtype=np.int32)
    tails[a:b] = edge_left
    np.add(edge_right, n_left, out=heads[a:b], casting="unsafe")
    np.negative(edge_points, out=costs[a:b], casting="unsafe")
    tails[b:c] = np.arange(n_left, n_left + n_right, dtype=np.int32)
    heads[b:c] = sink
    caps[b:c] = capacity
    if bypass:  # score only: any mentee may stay unmatched for free
        tails[c], heads[c], caps[c] = source, sink, n_left
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    del tails, heads, caps, costs
    supplies = np.zeros(n_left + n_right + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_left, -n_left
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = flow.solve_max_flow_with_min_cost() if lexicographic else flow.solve()
    if status != flow.OPTIMAL:  # pragma: no cover — max flow always exists; bypass feasible
        raise RuntimeError(f"min cost flow status {status}")
    used = np.flatnonzero(flow.flows(np.arange(a, b, dtype=np.int32)) > 0)
    assignment[np.asarray(edge_left)[used]] = np.asarray(edge_right)[used]
    return assignment, int(np.asarray(edge_points, dtype=np.int64)[used].sum())


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


@dataclass
class Solved:
    """A solve's outcome with the arrays the page needs later (kept only in memory)."""

    result: Result
    found: Candidates


def _optimum(problem: Problem, found: Candidates) -> list[tuple[int, int]]:
    """Pinned pairs first, then the exact optimum over the remaining mentees and places."""
    enc, scorer = found.enc, found.scorer
    settings = problem.settings
    pinned = dict(sorted(settings.pinned))  # mentee → mentor (validated: one each)
    capacity = enc.free.copy()
    for mentor_id in pinned.values():
        capacity[scorer.mentor_index[mentor_id]] -= 1
    assignment, _ = solve_graph(
        len(enc.mentees),
        capacity,
        found.left,
        found.right,
        found.points,
        lexicographic=settings.objective != "score_only",
    )
    ids_a, ids_b = enc.mentee.ids, enc.mentor.ids
    pairs = list(pinned.items())
    rows = np.flatnonzero(assignment >= 0)
    pairs += [(int(ids_a[i]), int(ids_b[assignment[i]])) for i in rows]
    return pairs


def _score_of(problem: Problem, found: Candidates, pair: tuple[int, int], *, detail: bool):
    """The pair's score: the reference (with its sentences) or points and percent only."""
    scorer = found.scorer
    i, j = scorer.mentee_index[pair[0]], scorer.mentor_index[pair[1]]
    if detail:
        return score_pair(
            found.enc.mentees[i], found.enc.mentors[j], problem.settings, problem.competency_names
        )
    points = int(scorer.points(slice(i, i + 1))[0, j])
    return PairScore(pair[0], pair[1], points, int(scorer.percent(np.array([points]))[0]), ())


def _result(
    problem: Problem,
    found: Candidates,
    pairs: Sequence[tuple[int, int]],
    *,
    edited: bool,
    detail: bool,
) -> Result:
    enc, scorer = found.enc, found.scorer
    names = {m.id: m.name for m in enc.mentees}
    pinned = problem.settings.pinned
    if detail:
        scores = [_score_of(problem, found, p, detail=True) for p in pairs]
    else:  # points of every pair from one block per distinct mentee row range
        scores = _bulk_scores(found, pairs)
    assignments = sorted(
        (Assignment(a, b, s, (a, b) in pinned) for (a, b), s in zip(pairs, scores, strict=True)),
        key=lambda x: (names[x.mentee_id], x.mentee_id),
    )
    load: dict[int, int] = defaultdict(int)
    for _, b in pairs:
        load[b] += 1
    excluded = {int(enc.mentee.ids[i]): found.excluded_of(i) for i in range(len(enc.mentees))}
    unmatched = explain_unmatched(
        enc, scorer, pairs, pinned, excluded, edited=edited, per_mentee=found.per_mentee
    )
    warnings = []
    full = sorted(m.name for m in enc.mentors if m.free == 0)
    if full:
        shown = ", ".join(full[:20]) + (f" и ещё {len(full) - 20}" if len(full) > 20 else "")
        warnings.append(f"Без свободных мест (в подборе не участвуют): {shown}.")
    return Result(
        assignments=tuple(assignments),
        unmatched=tuple(unmatched),
        total_points=sum(a.score.points for a in assignments),
        matched=len(assignments),
        load=dict(load),
        warnings=tuple(warnings),
    )


def _bulk_scores(found: Candidates, pairs: Sequence[tuple[int, int]]) -> list[PairScore]:
    scorer = found.scorer
    if not pairs:
        return []
    rows = np.array([scorer.mentee_index[a] for a, _ in pairs], dtype=np.int64)
    cols = np.array([scorer.mentor_index[b] for _, b in pairs], dtype=np.int64)
    points = np.zeros(len(pairs), dtype=np.int32)
    n = len(found.enc.mentees)
    block = max(1, 4_000_000 // max(1, len(found.enc.mentors)))
    for start in range(0, n, block):
        inside = (rows >= start) & (rows < start + block)
        if inside.any():
            chunk = scorer.points(slice(start, min(n, start + block)))
            points[inside] = chunk[rows[inside] - start, cols[inside]]
    percent = scorer.percent(points)
    return [
        PairScore(a, b, int(p), int(q), ())
        for (a, b), p, q in zip(pairs, points.tolist(), percent.tolist(), strict=True)
    ]


def find(problem: Problem, *, progress: Progress | None = None) -> Candidates:
    """Encode both sides and keep every feasible pair (pinned mentees get no edges)."""
    enc = encode(problem.mentees, problem.mentors)
    pinned_rows = np.zeros(len(enc.mentees), dtype=bool)
    index = {int(x): i for i, x in enumerate(enc.mentee.ids)}
    for a, _ in problem.settings.pinned:
        if a in index:
            pinned_rows[index[a]] = True
    return vector_candidates(enc, problem.settings, skip_rows=pinned_rows, progress=progress)


def solve_full(
    problem: Problem, *, detail: bool = True, progress: Progress | None = None
) -> Solved:
    """Validate, score in bulk, solve once, explain the unmatched; keep the arrays."""
    validate(problem)
    step = progress or (lambda _: None)
    found = find(problem, progress=lambda x: step(0.6 * x))
    pairs = _optimum(problem, found)
    step(0.8)
    result = _result(problem, found, pairs, edited=False, detail=detail)
    step(1.0)
    return Solved(result, found)


def solve(problem: Problem, *, max_alternatives: int = 3, detail: bool = True) -> Result:
    """The exact optimum with pins kept and forbidden pairs never proposed, explained.

    `max_alternatives` is accepted for compatibility: explanations need no re-solves now.
    """
    return solve_full(problem, detail=detail).result


def evaluate(problem: Problem, pairs: Sequence[tuple[int, int]], *, detail: bool = True) -> Result:
    """Score the curator's own pairs as they are; refuse any that breaks a hard rule.

    The unmatched are explained for these pairs (the edit), not for the optimum.
    """
    mentees = {m.id: m for m in problem.mentees}
    mentors = {m.id: m for m in problem.mentors}
    settings = problem.settings
    errors: list[str] = []
    seen: set[int] = set()
    used: dict[int, int] = defaultdict(int)
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
    for b, count in used.items():
        mentor = mentors.get(b)
        if mentor is not None and count > mentor.free:
            errors.append(
                f"У наставника {mentor.name} свободных мест: {mentor.free}, а назначено {count}."
            )
    if errors:
        raise ProblemError(errors)
    enc = encode(problem.mentees, problem.mentors)
    found = vector_candidates(enc, settings, keep_edges=False)  # rule counts only
    return _result(problem, found, list(pairs), edited=True, detail=detail)
