"""Run every benchmark in bench/ and print its figures (no pass/fail: numbers to watch).

`common.py` and `data.py` are the scripts' shared modules, not benchmarks. BENCH_BIG=1 (make
bench BIG=1) adds the region-sized rows where a script has them."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        if script.name in ("run.py", "common.py", "data.py"):
            continue
        print(f"=== {script.name} ===", flush=True)
        failed |= subprocess.call([sys.executable, str(script)])  # noqa: S603 — our own scripts != 0
    sys.exit(failed)
