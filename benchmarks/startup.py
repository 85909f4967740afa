"""Time `gatekeeper check --dry-run` on the KMTA example against a bare interpreter.

Whole processes (see _process.py): `python -c pass` (the floor), `gatekeeper --version`
and `gatekeeper check --dry-run` on examples/kmta, as a user runs them, with the same
interpreter. Target (issue 10): the check takes at most 10x `python -c pass`.

Bytecode is cached, as for a user: pip compiles it when it installs a package, and any run
after the first reuses it. So PYTHONDONTWRITEBYTECODE is unset for the contenders and the
cache goes to a folder of its own (PYTHONPYCACHEPREFIX), filled by the first runs and
writing nothing into any checkout. With --compare GATEKEEPER (e.g. main's
`.venv/bin/gatekeeper`) that command's check runs beside, in the same run, and must print
the same report.

    python benchmarks/startup.py [--runs N] [--compare GATEKEEPER] [--quick]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kmta"
TARGET_RATIO = 10.0


def _report(out: str) -> str:
    return out  # the whole terminal report: the compared check must print the same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--compare", metavar="GATEKEEPER", help="another gatekeeper command")
    parser.add_argument("--quick", action="store_true", help="4 runs: the target is not judged")
    args = parser.parse_args()
    os.chdir(EXAMPLE)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    bytecode = tempfile.TemporaryDirectory(prefix="gatekeeper-bench-pycache-")
    os.environ["PYTHONPYCACHEPREFIX"] = bytecode.name
    gatekeeper = _process.gatekeeper()
    # The KMTA example is at Bronze with Iron's benchmarks failing: exit 1 is its verdict.
    check = [gatekeeper, "check", "--dry-run"]
    commands = [
        _process.Command("python -c pass", [sys.executable, "-c", "pass"]),
        _process.Command("gatekeeper --version", [gatekeeper, "--version"]),
        _process.Command("gatekeeper check --dry-run", check, _report, exit_code=1),
    ]
    if args.compare:
        compared = [args.compare, "check", "--dry-run"]
        commands.append(_process.Command("compared: check --dry-run", compared, _report, 1))
    runs = 4 if args.quick else args.runs
    with bytecode:
        measured = _process.measure(commands, runs=runs, warmup=3)
    print(_process.machine())
    print(f"{runs} runs each, bytecode cached")
    print(_process.table(measured, "python -c pass"))
    reports = [m for m in measured if m.answer is not None]
    agree = _process.agree(reports)
    print(_process.verdict("the same report from every check", agree, f"{len(reports)} checks"))
    ratio = measured[2].median / measured[0].median
    met = ratio <= TARGET_RATIO
    detail = f"{ratio:.1f}x python -c pass (target <= {TARGET_RATIO:.0f}x)"
    detail += ", not judged (--quick)" if args.quick else ""
    print(_process.verdict("start-up", met, detail))
    return 0 if agree and (met or args.quick) else 1


if __name__ == "__main__":
    raise SystemExit(main())
