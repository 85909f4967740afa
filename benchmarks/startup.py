"""Time `gatekeeper check --dry-run` on the KMTA example against a bare interpreter.

Both are run with the same interpreter (sys.executable), interleaved, in the
same run, so the ratio is meaningful on a noisy machine. Target: the check
takes at most 15x the start of `python -c pass`.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kmta"
TARGET_RATIO = 15.0


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, cwd=EXAMPLE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    bare_cmd = [sys.executable, "-c", "pass"]
    check_cmd = [sys.executable, "-m", "gatekeeper", "check", "--dry-run"]
    for _ in range(3):  # warm the file cache
        _time(bare_cmd)
        _time(check_cmd)
    bare, check = [], []
    for _ in range(args.runs):
        bare.append(_time(bare_cmd))
        check.append(_time(check_cmd))
    bare_med, check_med = statistics.median(bare), statistics.median(check)
    ratio = check_med / bare_med
    print(f"interpreter: {sys.executable} ({sys.version.split()[0]}), {args.runs} runs each")
    for label, times in (("python -c pass", bare), ("gatekeeper check --dry-run", check)):
        median, best = statistics.median(times) * 1000, min(times) * 1000
        print(f"{label:30} median {median:7.1f} ms  min {best:7.1f} ms")
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"ratio {ratio:.1f}x (target <= {TARGET_RATIO:.0f}x): {verdict}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
