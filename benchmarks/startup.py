"""Time `gatekeeper check --dry-run` on the KMTA example against a bare interpreter.

Whole processes (see _process.py): `python -c pass` (the floor), `gatekeeper --version`
and `gatekeeper check --dry-run` on examples/kmta, as a user runs them, with the same
interpreter. Target (issue 10): the check takes at most 10x `python -c pass`.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kmta"
TARGET_RATIO = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    os.chdir(EXAMPLE)
    gatekeeper = _process.gatekeeper()
    commands = [
        _process.Command("python -c pass", [sys.executable, "-c", "pass"]),
        _process.Command("gatekeeper --version", [gatekeeper, "--version"]),
        # The KMTA example is at Bronze with Iron's benchmarks failing: exit 1 is its verdict.
        _process.Command(
            "gatekeeper check --dry-run", [gatekeeper, "check", "--dry-run"], exit_code=1
        ),
    ]
    measured = _process.measure(commands, runs=args.runs, warmup=3)
    print(_process.machine())
    print(_process.table(measured, "python -c pass"))
    ratio = measured[2].median / measured[0].median
    print(
        _process.verdict(
            "start-up",
            ratio <= TARGET_RATIO,
            f"{ratio:.1f}x python -c pass (target <= {TARGET_RATIO:.0f}x)",
        )
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
