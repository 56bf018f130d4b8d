"""Bulk scoring: the same points as `criteria.score_pair`, for every pair at once (numpy).

Profiles are encoded once into arrays (competency request/strength matrices, 0/1 matrices of
subjects, stages, forms and time slots, experience, school, consent, activity). Mentees are
then taken in blocks: the hard rules are checked for the whole block first, and only the
feasible pairs' points are kept as edges (int32). Criterion points are computed with exactly
the float operations `score_pair` uses (IEEE division, then `× weight × 1000`, rounded half
to even), so every pair's points equal the reference — `tests/test_core_vector.py` proves it
with Hypothesis.

When a problem has more feasible pairs than `EDGE_BUDGET`, each mentee keeps only its best
`per_mentee` mentors (ties: the smaller mentor id); the solver is exact over those edges.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from apps.matching.core.criteria import FULL_GAP_YEARS, SCALE, effective_weights
from apps.matching.core.model import (
    CRITERIA,
    NEED_THRESHOLD,
    RULES,
    STRENGTH_THRESHOLD,
    Mentee,
    Mentor,
    Settings,
)

RULE_KEYS = tuple(RULES)
# Feasible pairs kept in full up to this many; above it each mentee keeps its best mentors.
EDGE_BUDGET = 2_500_000
MIN_PER_MENTEE = 50
BLOCK_PAIRS = 4_000_000  # pairs scored at once (≈ 100 MB of temporaries)

Progress = Callable[[float], None]


def _vocabulary(*groups: Sequence[frozenset[str]]) -> dict[str, int]:
    words = sorted({w for group in groups for values in group for w in values})
    return {w: i for i, w in enumerate(words)}


def _onehot(rows: Sequence[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), max(1, len(vocab))), dtype=np.float32)
    for i, values in enumerate(rows):
        for w in values:
            out[i, vocab[w]] = 1.0
    return out


@dataclass
class Side:
    ids: np.ndarray  # int64, ascending (the canonical order)
    school: np.ndarray  # int64
    experience: np.ndarray  # float64, NaN when unknown
    ok: np.ndarray  # bool: consent and active
    sets: dict[str, np.ndarray]  # field → 0/1 float32 matrix (used when a vocabulary > 63)
    counts: dict[str, np.ndarray]  # field → set size (int32)
    bits: dict[str, np.ndarray]  # field → uint64 bit mask of the set (vocabulary ≤ 63 words)


@dataclass
class Encoded:
    mentees: list[Mentee]
    mentors: list[Mentor]
    mentee: Side
    mentor: Side
    request: np.ndarray  # (n, C) float32: the need's level where it is a request, else 0
    request_total: np.ndarray  # (n,) float64
    strong: np.ndarray  # (m, C) float32: 1 where the strength covers a request
    free: np.ndarray  # (m,) int64


SET_FIELDS = (("subject", "subjects"), ("stage", "stages"), ("form", "forms"))


def _bits(rows: Sequence[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    if len(vocab) > 63:
        return np.zeros(0, dtype=np.uint64)
    return np.array(
        [sum(1 << vocab[w] for w in values) for values in rows], dtype=np.uint64
    ).reshape(len(rows))


def _side(people, sets: dict[str, dict[str, int]]) -> Side:
    return Side(
        bits={f: _bits([getattr(p, f) for p in people], v) for f, v in sets.items()},
        ids=np.array([p.id for p in people], dtype=np.int64),
        school=np.array([p.school for p in people], dtype=np.int64),
        experience=np.array(
            [np.nan if p.experience_years is None else p.experience_years for p in people],
            dtype=np.float64,
        ),
        ok=np.array([p.consent and p.active for p in people], dtype=bool),
        sets={f: _onehot([getattr(p, f) for p in people], v) for f, v in sets.items()},
        counts={f: np.array([len(getattr(p, f)) for p in people], dtype=np.int32) for f in sets},
    )


def encode(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> Encoded:
    """Arrays of both sides, in ascending id order."""
    mentees = sorted(mentees, key=lambda m: m.id)
    mentors = sorted(mentors, key=lambda m: m.id)
    vocabs = {
        f: _vocabulary([getattr(p, f) for p in mentees], [getattr(p, f) for p in mentors])
        for f in ("subjects", "stages", "forms", "availability")
    }
    comps = _vocabulary(
        [frozenset(m.needs) for m in mentees], [frozenset(m.strengths) for m in mentors]
    )
    request = np.zeros((len(mentees), max(1, len(comps))), dtype=np.float32)
    for i, m in enumerate(mentees):
        for key, level in m.needs.items():
            if level >= NEED_THRESHOLD:
                request[i, comps[key]] = level
    strong = np.zeros((len(mentors), max(1, len(comps))), dtype=np.float32)
    for j, m in enumerate(mentors):
        for key, level in m.strengths.items():
            if level >= STRENGTH_THRESHOLD:
                strong[j, comps[key]] = 1.0
    return Encoded(
        mentees=mentees,
        mentors=mentors,
        mentee=_side(mentees, vocabs),
        mentor=_side(mentors, vocabs),
        request=request,
        request_total=request.sum(axis=1, dtype=np.float64),
        strong=strong,
        free=np.array([m.free for m in mentors], dtype=np.int64),
    )


def _points(value: np.ndarray, weight: int) -> np.ndarray:
    """round(value × weight × 1000) with Python's operation order and half-to-even rounding."""
    return np.rint(value * float(weight) * float(SCALE)).astype(np.int32)


def _lookup(weight: int, *values: float) -> list[int]:
    return [round(v * weight * SCALE) for v in values]


def _index(rows: slice | np.ndarray) -> np.ndarray:
    if isinstance(rows, slice):
        return np.arange(rows.start, rows.stop)
    return np.asarray(rows)


class Scorer:
    """Points and hard rules for blocks of mentees against every mentor."""

    def __init__(self, enc: Encoded, settings: Settings):
        self.enc, self.settings = enc, settings
        self.weights = effective_weights(settings)
        self.best = SCALE * sum(self.weights.values())
        ids = enc.mentor.ids
        self.mentor_index = {int(x): j for j, x in enumerate(ids)}
        self.mentee_index = {int(x): i for i, x in enumerate(enc.mentee.ids)}
        # Mentor-only criteria and rules: one value per column, computed by the reference code.
        w = self.weights["workload"]
        self.workload = np.array(
            [0 if m.capacity <= 0 else round((1 - m.load / m.capacity) * w * SCALE)
             for m in enc.mentors],
            dtype=np.int32,
        )  # fmt: skip
        minimum = settings.min_mentor_experience
        exp = enc.mentor.experience
        self.col_rules = {
            "mentor_consent": np.array([not m.consent for m in enc.mentors], dtype=bool),
            "mentor_inactive": np.array([not m.active for m in enc.mentors], dtype=bool),
            "experience": (np.isnan(exp) | (exp < minimum))
            if minimum > 0
            else np.zeros(len(exp), bool),
            "capacity": enc.free == 0,
        }
        self.row_rules = {
            "mentee_consent": np.array([not m.consent for m in enc.mentees], dtype=bool),
            "mentee_inactive": np.array([not m.active for m in enc.mentees], dtype=bool),
        }
        self._tables()
        self.forbidden: dict[int, list[int]] = {}
        for a, b in settings.forbidden:
            if a in self.mentee_index and b in self.mentor_index:
                self.forbidden.setdefault(self.mentee_index[a], []).append(self.mentor_index[b])

    # --- rules ---------------------------------------------------------------------------

    def first_rule(self, rows: slice | np.ndarray) -> np.ndarray:
        """(r, m) uint8: 0 when feasible, else 1 + the index in RULES of the first broken rule."""
        enc = self.enc
        index = _index(rows)
        r = len(index)
        m = len(enc.mentors)
        code = np.zeros((r, m), dtype=np.uint8)
        for k in range(len(RULE_KEYS) - 1, -1, -1):  # later rules first: the first one wins
            rule = RULE_KEYS[k]
            if rule in self.col_rules:
                code[:, self.col_rules[rule]] = k + 1
            elif rule in self.row_rules:
                code[self.row_rules[rule][rows], :] = k + 1
            elif rule == "self":
                same = enc.mentee.ids[rows, None] == enc.mentor.ids[None, :]
                code[same] = k + 1
            elif rule == "forbidden":
                for x, i in enumerate(index.tolist()):
                    for j in self.forbidden.get(i, ()):
                        code[x, j] = k + 1
            elif rule == "other_school" and not self.settings.network:
                other = enc.mentee.school[rows, None] != enc.mentor.school[None, :]
                code[other] = k + 1
        return code

    # --- points --------------------------------------------------------------------------

    # Every criterion's value depends on a few small integers of the pair (counts, a gap), so
    # its points are looked up in a table built with the reference formula itself.

    def _tables(self) -> None:
        enc, w = self.enc, self.weights
        top = int(enc.request_total.max()) if len(enc.request_total) else 0
        self.cover_width = top + 1
        self.cover_table = np.array(
            [0 if t == 0 or c > t else round(c / t * w["coverage"] * SCALE)
             for t in range(top + 1) for c in range(top + 1)],
            dtype=np.int32,
        )  # fmt: skip
        self.request_total = enc.request_total.astype(np.int32)
        self.overlap_table = {
            key: np.array(_lookup(w[key], 0.0, 1.0, 0.5, 0.5), dtype=np.int32)
            for key, _ in SET_FIELDS
        }
        # Experience gap, clipped to −1..10 (beyond it the value no longer changes), or unknown.
        self.exp_table = np.array(
            [round(min(1.0, max(0.0, g / FULL_GAP_YEARS)) * w["experience"] * SCALE)
             for g in range(-1, FULL_GAP_YEARS + 1)] + _lookup(w["experience"], 0.5),
            dtype=np.int32,
        )  # fmt: skip
        self.exp_known = {
            side: ~np.isnan(getattr(enc, side).experience) for side in ("mentee", "mentor")
        }
        self.exp_years = {
            side: np.nan_to_num(getattr(enc, side).experience).astype(np.int16)
            for side in ("mentee", "mentor")
        }
        slots = int(max(enc.mentee.counts["availability"].max(initial=0),
                        enc.mentor.counts["availability"].max(initial=0)))  # fmt: skip
        self.slot_width = slots + 1
        self.slot_table = np.array(
            [round((0.0 if c == 0 else c / n if n else 0.0) * w["availability"] * SCALE)
             for n in range(slots + 1) for c in range(slots + 1)] + _lookup(w["availability"], 0.5),
            dtype=np.int32,
        )  # fmt: skip
        self.same_points = np.int32(_lookup(w["same_school"], 1.0)[0])

    def _common(self, rows, field: str) -> np.ndarray:
        """(r, m) sizes of the intersection of both sides' sets."""
        a, b = self.enc.mentee, self.enc.mentor
        if len(a.bits[field]) or not len(a.ids):
            return np.bitwise_count(a.bits[field][rows, None] & b.bits[field][None, :])
        counts = a.sets[field][rows] @ b.sets[field].T
        return np.rint(counts).astype(np.int16)

    def _blank(self, rows, field: str) -> np.ndarray:
        a, b = self.enc.mentee, self.enc.mentor
        return (a.counts[field][rows] == 0)[:, None] | (b.counts[field] == 0)[None, :]

    def points(self, rows: slice | np.ndarray) -> np.ndarray:
        """(r, m) int32 points of every pair of the block (feasible or not)."""
        enc, weights = self.enc, self.weights
        total = np.zeros((len(_index(rows)), len(enc.mentors)), dtype=np.int32)
        total += self.workload[None, :]
        if weights["coverage"]:
            covered = np.rint(enc.request[rows] @ enc.strong.T).astype(np.int32)
            covered += (self.request_total[rows] * self.cover_width)[:, None]
            total += np.take(self.cover_table, covered)
            del covered
        for key, field in SET_FIELDS:
            if weights[key]:
                code = (self._common(rows, field) > 0).view(np.uint8)
                code |= self._blank(rows, field).view(np.uint8) << 1
                total += np.take(self.overlap_table[key], code)
        if weights["experience"]:
            gap = self.exp_years["mentor"][None, :] - self.exp_years["mentee"][rows, None]
            np.clip(gap, -1, FULL_GAP_YEARS, out=gap)
            gap += 1
            unknown = ~(self.exp_known["mentee"][rows, None] & self.exp_known["mentor"][None, :])
            gap[unknown] = FULL_GAP_YEARS + 2
            total += np.take(self.exp_table, gap)
        if weights["availability"]:
            code = self._common(rows, "availability").astype(np.int32)
            code += (enc.mentee.counts["availability"][rows] * self.slot_width)[:, None]
            code[self._blank(rows, "availability")] = self.slot_width**2
            total += np.take(self.slot_table, code)
        if weights["same_school"]:
            same = enc.mentee.school[rows, None] == enc.mentor.school[None, :]
            total += same.view(np.uint8) * self.same_points
        return total

    def percent(self, points: np.ndarray) -> np.ndarray:
        if not self.best:
            return np.zeros_like(points)
        return np.rint(100 * points.astype(np.int64) / self.best).astype(np.int32)


@dataclass
class Candidates:
    """Feasible pairs as edges (indices into the encoded, id-sorted sides) and rule counts."""

    enc: Encoded
    scorer: Scorer
    left: np.ndarray  # int32 mentee index
    right: np.ndarray  # int32 mentor index
    points: np.ndarray  # int32
    excluded: np.ndarray  # (n, len(RULES)) int32: mentors excluded by each (first) rule
    feasible: np.ndarray  # (n,) int64: feasible mentors per mentee (before any trimming)
    per_mentee: int | None  # None: every feasible pair kept

    def excluded_of(self, i: int) -> dict[str, int]:
        return {RULE_KEYS[k]: int(c) for k, c in enumerate(self.excluded[i]) if c}


def _top(points: np.ndarray, feasible: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the k best feasible columns (ties: the smaller column), as (rows, cols)."""
    m = points.shape[1]
    key = points.astype(np.int64) * (m + 1) + (m - np.arange(m))[None, :]
    key[~feasible] = -1
    k = min(k, m)
    part = np.argpartition(-key, k - 1, axis=1)[:, :k]
    chosen = np.take_along_axis(key, part, axis=1)
    keep = chosen >= 0
    rows = np.broadcast_to(np.arange(points.shape[0])[:, None], part.shape)[keep]
    return rows, part[keep]


def candidates(
    enc: Encoded,
    settings: Settings,
    *,
    skip_rows: np.ndarray | None = None,
    progress: Progress | None = None,
    edge_budget: int = EDGE_BUDGET,
    keep_edges: bool = True,
) -> Candidates:
    """Every feasible pair's points (or each mentee's best, over the budget) in one pass."""
    scorer = Scorer(enc, settings)
    n, m = len(enc.mentees), len(enc.mentors)
    excluded = np.zeros((n, len(RULE_KEYS)), dtype=np.int32)
    feasible_count = np.zeros(n, dtype=np.int64)
    block = max(1, BLOCK_PAIRS // max(1, m))
    # Upper bound of feasible pairs from the rules that do not need the pair matrix.
    bound = int((~scorer.row_rules["mentee_consent"]).sum()) * int(
        (~np.logical_or.reduce(list(scorer.col_rules.values()))).sum()
    )
    per_mentee = per_mentor = None
    if bound > edge_budget and n:
        # Each mentee keeps its best mentors and each mentor its best mentees (so that no
        # mentor with free places is left without candidates), half the budget each.
        per_mentee = max(MIN_PER_MENTEE, edge_budget // (2 * n))
        per_mentor = min(n, max(MIN_PER_MENTEE, edge_budget // (2 * max(1, m))))
        best_key = np.full((m, per_mentor), -1, dtype=np.int64)
    lefts, rights, pts = [], [], []
    for start in range(0, n, block):
        rows = slice(start, min(n, start + block))
        code = scorer.first_rule(rows)
        for k in range(len(RULE_KEYS)):
            excluded[rows, k] = (code == k + 1).sum(axis=1)
        ok = code == 0
        if skip_rows is not None:
            ok[skip_rows[rows]] = False
        feasible_count[rows] = ok.sum(axis=1)
        del code
        if not keep_edges:
            continue
        points = scorer.points(rows)
        if per_mentee is None:
            r, c = np.nonzero(ok)
        else:
            r, c = _top(points, ok, per_mentee)
            col_key = points.astype(np.int64) * (n + 1) + (n - np.arange(start, rows.stop))[:, None]
            col_key[~ok] = -1
            both = np.concatenate([best_key, col_key.T], axis=1)
            del col_key
            keep = np.argpartition(both, both.shape[1] - per_mentor, axis=1)[:, -per_mentor:]
            best_key = np.take_along_axis(both, keep, axis=1)
            del both, keep
        lefts.append((r + start).astype(np.int32))
        rights.append(c.astype(np.int32))
        pts.append(points[r, c])
        del points, ok
        if progress:
            progress(rows.stop / max(1, n))
    empty = np.zeros(0, np.int32)
    left = np.concatenate(lefts) if lefts else empty
    right = np.concatenate(rights) if rights else empty
    points = np.concatenate(pts).astype(np.int32) if pts else empty
    if per_mentor is not None:
        lefts = rights = pts = None
        valid = best_key >= 0
        cols = np.broadcast_to(np.arange(m, dtype=np.int64)[:, None], best_key.shape)[valid]
        keys = best_key[valid]
        rows_m = n - keys % (n + 1)
        points_m = keys // (n + 1)
        pair = np.concatenate([left.astype(np.int64) * m + right, rows_m * m + cols])
        every = np.concatenate([points.astype(np.int64), points_m])
        pair, first = np.unique(pair, return_index=True)  # sorted: by mentee, then mentor
        left = (pair // m).astype(np.int32)
        right = (pair % m).astype(np.int32)
        points = every[first].astype(np.int32)
    return Candidates(
        enc=enc,
        scorer=scorer,
        left=left,
        right=right,
        points=points,
        excluded=excluded,
        feasible=feasible_count,
        per_mentee=per_mentee if keep_edges else None,
    )


@dataclass
class RowBest:
    """Per row, among the feasible mentors inside a column mask: the best and how many."""

    col: np.ndarray  # int64 mentor index, −1 when none
    points: np.ndarray  # int64 points of that pair (0 when none)
    count: np.ndarray  # int64


def best_in_rows(
    scorer: Scorer, rows: np.ndarray, masks: Sequence[np.ndarray], at: np.ndarray | None = None
) -> tuple[list[RowBest], np.ndarray]:
    """For each row and column mask: its best feasible mentor (most points, then the smaller
    id), in blocks; and the points at column `at[row]` when given (else zeros)."""
    rows = np.asarray(rows, dtype=np.int64)
    m = len(scorer.enc.mentors)
    out = [
        RowBest(
            np.full(len(rows), -1), np.zeros(len(rows), np.int64), np.zeros(len(rows), np.int64)
        )
        for _ in masks
    ]
    at_points = np.zeros(len(rows), dtype=np.int64)
    block = max(1, BLOCK_PAIRS // max(1, m))
    tie = (m - np.arange(m, dtype=np.int64))[None, :]
    for start in range(0, len(rows), block):
        chunk = rows[start : start + block]
        here = slice(start, start + len(chunk))
        ok = scorer.first_rule(chunk) == 0
        points = scorer.points(chunk)
        key = points.astype(np.int64) * (m + 1) + tie
        if at is not None:
            at_points[here] = points[np.arange(len(chunk)), at[here]]
        for mask, best in zip(masks, out, strict=True):
            inside = ok & mask[None, :]
            masked = np.where(inside, key, -1)
            col = masked.argmax(axis=1)
            found = masked[np.arange(len(chunk)), col] >= 0
            best.col[here] = np.where(found, col, -1)
            best.points[here] = np.where(found, points[np.arange(len(chunk)), col], 0)
            best.count[here] = inside.sum(axis=1)
    return out, at_points


def row_scores(scorer: Scorer, i: int) -> tuple[np.ndarray, np.ndarray]:
    """One mentee: (feasible mask, points) against every mentor."""
    rows = slice(i, i + 1)
    return scorer.first_rule(rows)[0] == 0, scorer.points(rows)[0]


__all__ = ["CRITERIA", "Candidates", "Encoded", "Scorer", "candidates", "encode", "row_scores"]
