"""Run every benchmark in bench/ and print its figures (no pass/fail: numbers to watch)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    failed = 0
    for script in sorted(HERE.glob("*.py")):
        if script.name == "run.py":
            continue
        print(f"=== {script.name} ===", flush=True)
        failed |= subprocess.call([sys.executable, str(script)])  # noqa: S603 — our own scripts != 0
    sys.exit(failed)
