"""Time the action's install step against a plain `python -m venv` + `pip install`.

Each run makes a fresh environment from the same pinned, hashed lock
(action/requirements.lock) and builds gatekeeper from this checkout, exactly as the
action's install step does (action/install.py), with the package caches warm:

- uv, cached: uv already in the tool cache (a self-hosted runner, or any later job on it);
- uv, bootstrapped: the tool cache empty, so uv itself is first installed with pip (a
  GitHub-hosted runner, every job);
- venv + pip: `python -m venv`, then pip installs the same lock (the action's fallback).

Contenders are interleaved, one warm-up run each first. Target: the install step takes at
most 3 s, bootstrap included.

    python benchmarks/action_install.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INSTALL = Path(__file__).resolve().parents[1] / "action" / "install.py"
TARGET_SECONDS = 3.0
CONTENDERS = ("uv, cached", "uv, bootstrapped", "venv + pip")


def _install(contender: str, work: Path, tool_cache: Path) -> float:
    """One fresh install; the seconds it took, interpreter start included."""
    venv = work / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    if contender == "uv, bootstrapped":
        shutil.rmtree(tool_cache, ignore_errors=True)
    env = {**os.environ, "RUNNER_TEMP": str(work), "RUNNER_TOOL_CACHE": str(tool_cache)}
    env.pop("GITHUB_OUTPUT", None)
    argv = [sys.executable, str(INSTALL), "--venv", str(venv)]
    if contender == "venv + pip":
        argv += ["--installer", "pip"]
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{contender}: install failed\n{done.stdout}{done.stderr}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    with tempfile.TemporaryDirectory(prefix="gatekeeper-action-bench-") as folder:
        work, tool_cache = Path(folder) / "temp", Path(folder) / "tool-cache"
        work.mkdir()
        for name in CONTENDERS:  # warm-up: fills the uv, pip and tool caches
            _install(name, work, tool_cache)
        for _ in range(args.runs):
            for name in CONTENDERS:
                times[name].append(_install(name, work, tool_cache))
    print(f"python {sys.version.split()[0]}, {args.runs} runs each, warm package caches")
    for name, values in times.items():
        median, best = statistics.median(values), min(values)
        print(f"{name:18} median {median:5.2f} s  min {best:5.2f} s")
    worst_case = statistics.median(times["uv, bootstrapped"])
    ratio = statistics.median(times["venv + pip"]) / worst_case
    verdict = "met" if worst_case <= TARGET_SECONDS else "NOT met"
    target = f"target <= {TARGET_SECONDS:.0f} s"
    print(f"install step {worst_case:.2f} s, bootstrap included ({target}): {verdict}")
    print(f"venv + pip takes {ratio:.1f}x as long")
    return 0 if worst_case <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
