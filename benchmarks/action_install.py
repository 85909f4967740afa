"""Time the action's install step as the runner runs it: the whole `python3 install.py`.

Each contender is the command action.yml runs (`python3 action/install.py`), timed whole by
hyperfine (see _process.py), every run from a clean start: what the previous run made is
removed first, untimed (hyperfine --prepare). The package caches (uv's, pip's) are warm, as
the first run of each contender leaves them.

- uv, cached: uv already in the tool cache (a self-hosted runner, or a later job on it);
- uv, bootstrapped: the tool cache empty, so uv itself is first installed with the
  runner's pip (a GitHub-hosted runner, every job);
- venv + pip: `python -m venv`, then pip installs the same lock (the action's fallback).

With --compare DIR (another checkout of gatekeeper, e.g. main's), that checkout's
action/install.py runs beside, the same ways, so before and after are timed in one run.
Every environment made must then import gatekeeper. Targets (issue 10): the install
takes at most 3 s bootstrap included, and at most 1 s with uv cached.

    python benchmarks/action_install.py [--runs N] [--compare DIR] [--python PYTHON] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

REPO = Path(__file__).resolve().parents[1]
TARGETS = {"uv, bootstrapped": 3.0, "uv, cached": 1.0}
"""Seconds, whole process (issue 10)."""


def _contenders(
    checkout: Path, label: str, python: str, work: Path, quick: bool
) -> list[_process.Command]:
    """The ways to install ``checkout``'s action, each into its own environment."""
    commands = []
    ways = ["uv, cached", "uv, bootstrapped"] + ([] if quick else ["venv + pip"])
    for way in ways:
        folder = work / f"{label}-{len(commands)}"
        venv, tools = folder / "venv", folder / "tool-cache"
        # Each contender has its own tool cache: only the bootstrapped one empties it.
        argv = ["env", f"RUNNER_TOOL_CACHE={tools}", f"RUNNER_TEMP={folder}"]
        argv += [python, str(checkout / "action" / "install.py"), "--venv", str(venv)]
        if way == "venv + pip":
            argv += ["--installer", "pip"]
        removed = [venv, tools] if way == "uv, bootstrapped" else [venv]
        name = way if label == "this" else f"{label}: {way}"
        commands.append(_process.Command(name, argv, prepare=["rm", "-rf", *map(str, removed)]))
    return commands


def _imports_gatekeeper(command: _process.Command) -> str:
    """What the environment a contender made says its gatekeeper is."""
    venv = Path(command.argv[command.argv.index("--venv") + 1])
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "gatekeeper", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or f"exit {done.returncode}: {done.stderr.strip()[-200:]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--compare", type=Path, metavar="DIR", help="another checkout to time")
    parser.add_argument(
        "--python",
        default=getattr(sys, "_base_executable", sys.executable),
        help="the runner's python3 (default: the interpreter this environment is made from)",
    )
    parser.add_argument("--quick", action="store_true", help="uv only, 2 runs: targets not judged")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gatekeeper-action-bench-") as folder:
        work = Path(folder)
        commands = _contenders(REPO, "this", args.python, work, args.quick)
        if args.compare:
            commands += _contenders(args.compare.resolve(), "compared", args.python, work, True)
        for name in [n for n in os.environ if n.startswith(("GITHUB_", "RUNNER_"))]:
            del os.environ[name]  # no $GITHUB_OUTPUT to write to, no runner's folders
        runs = 2 if args.quick else args.runs
        measured = _process.measure(commands, runs=runs, warmup=0 if args.quick else 1)
        installed = {command.name: _imports_gatekeeper(command) for command in commands}
    print(_process.machine())
    print(f"{runs} runs each, package caches warm; python: {args.python}")
    print(_process.table(measured, "uv, cached"))
    versions = set(installed.values())
    agree = len(versions) == 1 and next(iter(versions)).startswith("gatekeeper ")
    print(_process.verdict("every environment imports gatekeeper", agree, str(installed)))
    ok = agree
    by_name = {m.name: m for m in measured}
    for name, limit in TARGETS.items():
        seconds = by_name[name].median
        met = seconds <= limit
        ok = ok and (met or args.quick)
        detail = f"{seconds:.2f} s (target <= {limit:.0f} s)"
        print(_process.verdict(name, met, detail + (" not judged (--quick)" if args.quick else "")))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
