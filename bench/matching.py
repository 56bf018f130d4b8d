"""Matching benchmark: exact solver vs greedy and an independent exact reference.

Each size runs in its own process so the peak memory (max RSS, which includes OR-Tools' and
SciPy's native allocations) belongs to that size alone. Targets (issue 6): exact — the
objective ratio to the reference is 1.000; a school < 50 ms; 10 000 × 5 000 × 100 ≤ 1 s on
one core; 50 000 × 20 000 × 100 ≤ 6 s and ≤ 1 GB.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

SIZES = [(200, 100, 20), (10_000, 5_000, 100), (50_000, 20_000, 100)]


def instance(n: int, m: int, k: int, seed: int = 7):
    """≈k distinct random candidate mentors per mentee, capacities 1..3, points 0..80 000."""
    rng = np.random.default_rng(seed)
    left = np.repeat(np.arange(n, dtype=np.int64), k)
    right = rng.integers(0, m, n * k, dtype=np.int64)
    keys = np.unique(left * m + right)
    left, right = keys // m, keys % m
    points = rng.integers(0, 80_001, len(left), dtype=np.int64)
    capacity = rng.integers(1, 4, m, dtype=np.int64)
    return n, capacity, left, right, points


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n: int, m: int, k: int) -> None:
    from apps.matching.core.baseline import greedy, reference
    from apps.matching.core.solver import solve_graph

    args = instance(n, m, k)
    base = peak_mb()
    start = time.perf_counter()
    assignment, objective = solve_graph(*args)
    took = time.perf_counter() - start
    memory = peak_mb()
    matched = int((assignment >= 0).sum())
    start = time.perf_counter()
    g_assignment, g_objective = greedy(*args)
    g_time = time.perf_counter() - start
    start = time.perf_counter()
    r_assignment, r_objective = reference(*args)
    r_time = time.perf_counter() - start
    print(
        f"{n:>6} × {m:>6} × {k:>3} | {len(args[2]):>9} | {took * 1000:>8.1f} ms | "
        f"{memory:>7.0f} MB (до решения {base:.0f}) | {matched:>6} | {objective:>14} | "
        f"{g_objective / objective:>6.3f} ({int((g_assignment >= 0).sum())}) {g_time:>6.2f} s | "
        f"{r_objective / objective:>6.3f} ({int((r_assignment >= 0).sum())}) {r_time:>6.2f} s",
        flush=True,
    )


def school_pipeline() -> None:
    """Scoring + exact solve + explanations on a realistic school: 60 mentees × 40 mentors."""
    from apps.matching.core.model import Mentee, Mentor, Problem, Settings
    from apps.matching.core.solver import solve

    rnd = random.Random(5)
    comps = [f"К{i}" for i in range(11)]
    subjects = ["Математика", "Русский язык", "История", "Физика", "Биология", "Английский"]
    stages = ["НОО", "ООО", "СОО"]
    slots = ["До уроков", "После уроков", "Методический день", "Онлайн"]

    def some(options, k):
        return frozenset(rnd.sample(options, k))

    mentees = [
        Mentee(i, f"Наставляемый {i}", 1, {c: rnd.randint(1, 5) for c in comps},
               some(subjects, 1), some(stages, 1), frozenset(), some(slots, 2), rnd.randint(0, 3))
        for i in range(60)
    ]  # fmt: skip
    mentors = [
        Mentor(1000 + i, f"Наставник {i}", 1, {c: rnd.randint(1, 5) for c in comps},
               some(subjects, 2), some(stages, 2), frozenset(), some(slots, 2),
               rnd.randint(5, 30), rnd.randint(1, 3), rnd.randint(0, 1))
        for i in range(40)
    ]  # fmt: skip
    problem = Problem(mentees, mentors, Settings(min_mentor_experience=3))
    solve(problem)  # warm up imports
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = solve(problem)
        times.append(time.perf_counter() - start)
    print(
        f"Школа 60 × 40 (оценка 2400 пар + точное решение + пояснения): "
        f"{min(times) * 1000:.1f} ms (лучшее из 5), пар {result.matched}, "
        f"без пары {len(result.unmatched)}",
        flush=True,
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--size":
        run_size(*map(int, sys.argv[2:5]))
        sys.exit(0)
    print(
        "Размер (наст-мые × наст-ки × кандидатов) | рёбер | время точного | пик памяти | пар | "
        "целевая функция | жадный: доля (пар) время | эталон SciPy: доля (пар) время"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    for n, m, k in SIZES:
        subprocess.run(  # noqa: S603 — this very script
            [sys.executable, __file__, "--size", str(n), str(m), str(k)], check=True, env=env
        )
    school_pipeline()
