"""Matching benchmark: the solver against raw OR-Tools, and the whole pipeline by size.

Rows (each min / median over ≥ 3 repeats, every repeat in a fresh process so its peak memory
is its own; the anchor is measured in the same run, alternating with the project):
- solver alone n × m × k candidates: `solve_graph` vs raw OR-Tools min-cost flow on the same
  arrays — time and peak memory ratios (goal ≤ 1.1× both);
- whole pipeline (bulk scoring + one exact solve + explanations of the unmatched + the run's
  JSON) for a school 60 × 40 (goal ≤ 20 ms), a municipality 2 000 × 1 000 (goal ≤ 5 s,
  ≤ 1 GB); anchor — raw OR-Tools solving the pipeline's own graph. CPU seconds are printed
  too: on a shared machine they move less than wall time.
`--big` adds the solver at 50 000 × 20 000 × 100 and the region 20 000 × 10 000 (goal ≤ 60 s).
Sizes and data come from bench/data.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from common import REPEATS, ROOT, Stats, in_process, report, row

sys.path.insert(0, str(ROOT))

import numpy as np

from bench.data import SIZES, flow_instance, problem


def raw_ortools(n, capacity, left, right, points):
    """The anchor: OR-Tools' min-cost flow as its documentation builds it, nothing else."""
    from ortools.graph.python import min_cost_flow

    m = len(capacity)
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(n, source), left, np.arange(n, n + m)]).astype(np.int32)
    heads = np.concatenate([np.arange(n), right + n, np.full(m, sink)]).astype(np.int32)
    caps = np.concatenate([np.ones(n + len(left)), capacity]).astype(np.int64)
    costs = np.concatenate([np.zeros(n), -points.astype(np.int64), np.zeros(m)]).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supplies)
    flow.solve_max_flow_with_min_cost()
    used = flow.flows(np.arange(n, n + len(left), dtype=np.int32)) > 0
    return int(points[used].astype(np.int64).sum())


def one(kind: str, n: int, m: int, k: int) -> None:
    """One measurement in this process; prints a JSON line."""
    from common import peak_mb, timed

    if kind in ("raw", "ours"):
        args = flow_instance(n, m, k)
        if kind == "raw":
            wall, cpu, total = timed(lambda: raw_ortools(*args))
        else:
            from apps.matching.core.solver import solve_graph

            wall, cpu, out = timed(lambda: solve_graph(*args))
            total = out[1]
        report({"wall": wall, "cpu": cpu, "objective": total, "edges": len(args[2])})
        return
    from apps.matching.core.vector import candidates, encode
    from apps.matching.pipeline import compute

    data = problem(n, m, schools=max(1, m // 20), network=kind != "school")
    wall, cpu, result = timed(lambda: compute(data, keep_candidates=kind == "school"))
    rss = round(peak_mb(), 1)  # the pipeline's own peak, before the anchor runs
    # The anchor: raw OR-Tools on the pipeline's own graph (the same feasible, kept pairs).
    found = candidates(encode(data.mentees, data.mentors), data.settings)
    args = (len(found.enc.mentees), found.enc.free, found.left, found.right, found.points)
    start = time.perf_counter()
    raw_ortools(*args)
    anchor = time.perf_counter() - start
    report({
        "wall": wall, "cpu": cpu, "anchor": anchor, "edges": len(found.left), "rss_mb": rss,
        "matched": result["matched"], "unmatched": len(result["unmatched"]),
    })  # fmt: skip


def solver_row(n: int, m: int, k: int, repeats: int) -> None:
    raw, ours = [], []
    for _ in range(repeats):  # alternate, so a load spike hits both
        raw.append(in_process(__file__, "raw", str(n), str(m), str(k)))
        ours.append(in_process(__file__, "ours", str(n), str(m), str(k)))
    if {r["objective"] for r in raw} != {o["objective"] for o in ours}:
        raise SystemExit("the project's solver and raw OR-Tools disagree on the optimum")
    label = f"решатель {n} × {m} × {k} ({ours[0]['edges']} рёбер)"
    row(label + ": время", Stats([o["wall"] for o in ours]), Stats([r["wall"] for r in raw]),
        goal="≤ 1,1×")  # fmt: skip
    row(label + ": память", Stats([o["rss_mb"] for o in ours]),
        Stats([r["rss_mb"] for r in raw]), unit="MB", goal="≤ 1,1×")  # fmt: skip


def pipeline_row(name: str, repeats: int, goal: str) -> None:
    size = SIZES[name]
    kind = "school" if name == "school" else "network"
    runs = [
        in_process(__file__, kind, str(size.mentees), str(size.mentors), "0")
        for _ in range(repeats)
    ]
    label = f"{size.name} {size.mentees} × {size.mentors}: весь подбор"
    row(label, Stats([r["wall"] for r in runs]), Stats([r["anchor"] for r in runs]), goal=goal)
    row(f"{size.name}: процессорное время", Stats([r["cpu"] for r in runs]), None)
    row(f"{size.name}: пик памяти", Stats([r["rss_mb"] for r in runs]), None, unit="MB",
        goal="≤ 1024 MB" if name != "school" else "")  # fmt: skip
    print(
        f"{'':<48}   рёбер {runs[0]['edges']}, пар {runs[0]['matched']}, "
        f"без пары {runs[0]['unmatched']}",
        flush=True,
    )


def school_row(repeats: int) -> None:
    """A school runs inside the request: measured in this process, many repeats."""
    from common import repeat

    from apps.matching.core.vector import candidates, encode
    from apps.matching.pipeline import compute

    size = SIZES["school"]
    data = problem(size.mentees, size.mentors, schools=1, network=False)
    compute(data)  # warm up imports
    ours = repeat(lambda: compute(data), max(repeats, 20))
    found = candidates(encode(data.mentees, data.mentors), data.settings)
    args = (len(found.enc.mentees), found.enc.free, found.left, found.right, found.points)
    anchor = repeat(lambda: raw_ortools(*args), max(repeats, 20))
    row(f"школа {size.mentees} × {size.mentors}: весь подбор", ours, anchor, goal="≤ 20 ms")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        one(sys.argv[2], *map(int, sys.argv[3:6]))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--big",
        action="store_true",
        default=os.environ.get("BENCH_BIG") == "1",
        help="50 000 × 20 000 and the region (or BENCH_BIG=1)",
    )
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    repeats = max(3, args.repeats)
    print("показатель | проект мин / медиана | якорь мин / медиана | отношение мин / медиана")
    solver_row(10_000, 5_000, 100, repeats)
    if args.big:
        solver_row(50_000, 20_000, 100, repeats)
    school_row(repeats)
    pipeline_row("municipality", repeats, "≤ 5 s")
    if args.big:
        pipeline_row("region", repeats, "≤ 60 s")
