"""Two other solvers with `solve_graph`'s signature, for tests and the benchmark.

`greedy` is what a spreadsheet-and-intuition process does: best pairs first. `reference` is
an independent exact solver (SciPy's LAPJVsp sparse assignment) over slot-expanded mentors
with one "stay unmatched" column per mentee, so its optimum can be checked against ours.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def greedy(
    n_left: int,
    capacity: np.ndarray,
    edge_left: np.ndarray,
    edge_right: np.ndarray,
    edge_points: np.ndarray,
    *,
    lexicographic: bool = True,
) -> tuple[np.ndarray, int]:
    left = np.asarray(edge_left, dtype=np.int64)
    right = np.asarray(edge_right, dtype=np.int64)
    points = np.asarray(edge_points, dtype=np.int64)
    order = np.lexsort((right, left, -points))  # best first; ties by mentee, then mentor
    free = np.asarray(capacity, dtype=np.int64).copy()
    assignment = np.full(n_left, -1, dtype=np.int64)
    total = 0
    for e in order.tolist():
        i, j = left[e], right[e]
        if assignment[i] < 0 and free[j] > 0:
            assignment[i] = j
            free[j] -= 1
            total += int(points[e])
    return assignment, total


def reference(
    n_left: int,
    capacity: np.ndarray,
    edge_left: np.ndarray,
    edge_right: np.ndarray,
    edge_points: np.ndarray,
    *,
    lexicographic: bool = True,
) -> tuple[np.ndarray, int]:
    """Exact optimum by a min-weight full matching of mentees to (slots ∪ dummies)."""
    capacity = np.asarray(capacity, dtype=np.int64)
    left = np.asarray(edge_left, dtype=np.int64)
    right = np.asarray(edge_right, dtype=np.int64)
    points = np.asarray(edge_points, dtype=np.int64)
    assignment = np.full(n_left, -1, dtype=np.int64)
    keep = capacity[right] > 0 if len(right) else np.zeros(0, bool)
    left, right, points = left[keep], right[keep], points[keep]
    if n_left == 0 or len(left) == 0:
        return assignment, 0
    bonus = int(points.max()) * min(n_left, int(capacity.sum())) + 1 if lexicographic else 0
    value = points + bonus
    ceiling = float(value.max() + 1)  # every weight positive: zeros would mean "no edge"
    first_slot = np.concatenate([[0], np.cumsum(capacity)[:-1]])
    slots = int(capacity.sum())
    reps = capacity[right]
    rows = np.repeat(left, reps)
    offsets = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    cols = np.repeat(first_slot[right], reps) + offsets
    weights = ceiling - np.repeat(value, reps).astype(np.float64)
    rows = np.concatenate([rows, np.arange(n_left)])
    cols = np.concatenate([cols, slots + np.arange(n_left)])
    weights = np.concatenate([weights, np.full(n_left, ceiling)])
    graph = csr_matrix((weights, (rows, cols)), shape=(n_left, slots + n_left))
    matched_cols = min_weight_full_bipartite_matching(graph)[1]
    slot_owner = np.repeat(np.arange(len(capacity)), capacity)
    real = matched_cols < slots
    assignment[real] = slot_owner[matched_cols[real]]
    # Points of each matched pair (the best of duplicate edges), looked up by sorted keys.
    width = len(capacity)
    keys = left * width + right
    order = np.lexsort((points, keys))
    rows_matched = np.flatnonzero(real)
    wanted = rows_matched * width + assignment[rows_matched]
    last = np.searchsorted(keys[order], wanted, side="right") - 1
    return assignment, int(points[order][last].sum())
