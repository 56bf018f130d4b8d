"""What every bench script shares: repeats, min / median, ratios to an anchor of the same run,
and measurements in a fresh process (so the peak memory belongs to one measurement).

A figure is printed as «project min / median · anchor min / median · ratio» where the ratio is
project ÷ anchor of the same statistic: the machine's load changes absolute times, while the
anchor measured in the same run moves with it.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))


@dataclass
class Stats:
    values: list[float]

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage: ru_maxrss survives exec on
    Linux, so a fresh interpreter started by in_process() would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of one call."""
    cpu, start = cpu_seconds(), time.perf_counter()
    out = fn()
    return time.perf_counter() - start, cpu_seconds() - cpu, out


def repeat(fn: Callable[[], object], n: int = REPEATS) -> Stats:
    return Stats([timed(fn)[0] for _ in range(max(3, n))])


def in_process(script: str, *args: str) -> dict:
    """Run `script --one args…` in a fresh interpreter; it prints one JSON line."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(  # noqa: S603 — our own bench script
        [sys.executable, script, "--one", *args],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(values: dict) -> None:
    """The last line a `--one` measurement prints (peak memory so far unless given)."""
    print(json.dumps({"rss_mb": round(peak_mb(), 1), **values}), flush=True)


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"


def row(label: str, ours: Stats, anchor: Stats | None, unit: str = "s", goal: str = "") -> str:
    """One line: project (min / median), anchor (min / median), ratio (min / median)."""
    text = f"{label:<48} | {fmt(ours.min, unit)} / {fmt(ours.median, unit)}"
    if anchor is not None:
        text += (
            f" | якорь {fmt(anchor.min, unit)} / {fmt(anchor.median, unit)}"
            f" | {ours.min / anchor.min:.2f}× / {ours.median / anchor.median:.2f}×"
        )
    if goal:
        text += f" | цель {goal}"
    print(text, flush=True)
    return text
