"""The whole matching computation of a run, without the database: scores in bulk, one exact
solve, explanations of the unmatched, the compact JSON a run stores.

Stored per pair: ids, points, percent and whether it is pinned — the per-criterion sentences
are built by the presenter only for the rows a page shows (`presenter.parts_for`). The swap
list (each mentee's best feasible mentors) comes from the same bulk scores, not a second pass.
Used by `services` (inside a request for a school, in a task above it) and by bench/.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from apps.matching.core.model import Problem, Result
from apps.matching.core.solver import Candidates, evaluate, solve_full

# How many feasible mentors per mentee a run keeps for the «swap» list.
KEPT_CANDIDATES = 12


def score_json(score) -> dict:
    """A pair's score with its per-criterion sentences (a request's snapshot of one pair)."""
    return {
        "points": score.points,
        "percent": score.percent,
        "parts": [
            {
                "key": p.key,
                "label": p.label,
                "value": round(p.value, 3),
                "weight": p.weight,
                "points": p.points,
                "text": p.text,
            }
            for p in score.parts
        ],
    }


def result_json(result: Result) -> dict:
    return {
        "assignments": [
            {
                "mentee": a.mentee_id,
                "mentor": a.mentor_id,
                "pinned": a.pinned,
                "points": a.score.points,
                "percent": a.score.percent,
            }
            for a in result.assignments
        ],
        "unmatched": [
            {
                "mentee": u.mentee_id,
                "reason": u.reason,
                "text": u.text,
                "excluded": dict(u.excluded),
                "alternative": (
                    {
                        "mentor": u.alternative.mentor_id,
                        "percent": u.alternative.score.percent,
                        "cost_points": u.alternative.cost_points,
                        "displaced": u.alternative.displaced,
                    }
                    if u.alternative
                    else None
                ),
            }
            for u in result.unmatched
        ],
        "total_points": result.total_points,
        "matched": result.matched,
        "load": {str(k): v for k, v in result.load.items()},
        "warnings": list(result.warnings),
    }


def kept_candidates(found: Candidates, keep: int = KEPT_CANDIDATES) -> dict[str, list[dict]]:
    """Mentee id → best feasible mentors (points desc, then mentor id), from the bulk scores."""
    enc, scorer = found.enc, found.scorer
    if not len(found.left):
        return {}
    ids_a, ids_b = enc.mentee.ids, enc.mentor.ids
    order = np.lexsort((ids_b[found.right], -found.points.astype(np.int64), found.left))
    left = found.left[order]
    starts = np.flatnonzero(np.r_[True, left[1:] != left[:-1]])
    ends = np.r_[starts[1:], len(left)]
    percent = scorer.percent(found.points)
    out: dict[str, list[dict]] = {}
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        chosen = order[s : min(e, s + keep)]
        out[str(int(ids_a[left[s]]))] = [
            {"mentor": int(ids_b[found.right[x]]), "percent": int(percent[x]),
             "points": int(found.points[x])}
            for x in chosen.tolist()
        ]  # fmt: skip
    return out


def compute(
    problem: Problem,
    *,
    keep_candidates: bool = True,
    progress: Callable[[float], None] | None = None,
) -> dict:
    """The result a run stores: optimum, its explanations, and (for a school) the swap list."""
    solved = solve_full(problem, detail=False, progress=progress)
    result = solved.result
    data = result_json(result)
    data["optimal_points"] = result.total_points
    data["optimal_matched"] = result.matched
    data["candidates"] = kept_candidates(solved.found) if keep_candidates else {}
    if solved.found.per_mentee is not None:
        data["per_mentee"] = solved.found.per_mentee
    return data


def reevaluate(problem: Problem, pairs: list[tuple[int, int]]) -> dict:
    """The curator's edited pairs, scored, with explanations true for this edit."""
    return result_json(evaluate(problem, pairs, detail=False))
