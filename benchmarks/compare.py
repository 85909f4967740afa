"""Baselines judged at a confidence: 500 benchmarks, 1,000 samples a side, whole process.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) two pytest-benchmark
JSON files written as ``--benchmark-save-data`` writes them, a baseline and a HEAD of
BENCHMARKS series each with SAMPLES raw round times (log-normal, about 10 % spread, 2 % of
rounds three times slower), every fifth HEAD series 30 % slower; and a matrix with one
benchmark per series, ``baseline: {max_change: "median +10%", confidence: 0.95}``.
Contenders:

- at a confidence: ``gatekeeper check --dry-run --format json`` (parse both files, 500
  rank comparisons of 1,000 x 1,000 samples);
- the plain ratio: the same matrix without ``confidence`` (what the statistics cost);
- SciPy: ``alternatives/compare_scipy.py``, orjson reading both files and SciPy's
  ``mannwhitneyu`` testing each series, one-sided, against the limit (the p-value only: no
  estimate or interval), as a user would script it.

Checked: the comparisons at a confidence fail exactly the slowed series. Target (issue 15):
the whole process under 5 s on the 2-core machine.

    python benchmarks/compare.py [--benchmarks N] [--samples S] [--runs R] [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
TARGET_SECONDS = 5.0
SLOWER_EVERY = 5
"""Every fifth series of HEAD is slower, by SLOWDOWN."""
SLOWDOWN = 1.3


def _name(index: int) -> str:
    return f"test_bench_{index:04d}"


def _samples(rng: random.Random, count: int, scale: float) -> list[float]:
    """Round times: log-normal around ``scale``, 2 % of rounds three times slower."""
    return [
        scale * math.exp(rng.gauss(0, 0.1)) * (3.0 if rng.random() < 0.02 else 1.0)
        for _ in range(count)
    ]


def _document(rng: random.Random, benchmarks: int, samples: int, head: bool) -> dict[str, object]:
    entries = []
    for index in range(benchmarks):
        scale = 1e-4 * (1 + index % 17)
        if head and index % SLOWER_EVERY == 0:
            scale *= SLOWDOWN
        data = _samples(rng, samples, scale)
        ordered = sorted(data)
        mean = sum(data) / len(data)
        stats = {
            "min": ordered[0], "max": ordered[-1], "mean": mean,
            "stddev": math.sqrt(sum((v - mean) ** 2 for v in data) / (len(data) - 1)),
            "rounds": len(data), "median": ordered[len(data) // 2],
            "iqr": ordered[3 * len(data) // 4] - ordered[len(data) // 4],
            "q1": ordered[len(data) // 4], "q3": ordered[3 * len(data) // 4],
            "iterations": 1, "ops": 1 / mean, "total": sum(data), "data": data,
        }  # fmt: skip
        name = _name(index)
        entries.append({"group": None, "name": name, "fullname": f"bench.py::{name}",
                        "params": None, "param": None, "extra_info": {}, "options": {},
                        "stats": stats})  # fmt: skip
    return {"machine_info": {"node": "bench"}, "commit_info": {}, "benchmarks": entries,
            "datetime": "2026-12-04T00:00:00", "version": "5.1.0"}  # fmt: skip


def _matrix(benchmarks: int, confidence: bool) -> str:
    extra = ", confidence: 0.95" if confidence else ""
    lines = [
        "version: 1",
        "phases: [{id: one, name: One}]",
        "artifacts:",
        '  micro: {format: pytest-benchmark, paths: "head.json"}',
        '  micro-main: {format: pytest-benchmark, paths: "base.json"}',
        "swimlanes:",
        "  - id: core",
        "    name: Core",
        "    cells:",
        "      one:",
        "        goal: no slower than main",
        "        benchmarks:",
    ]
    for index in range(benchmarks):
        lines += [
            f"          - id: b{index:04d}",
            f"            metric: {{from: micro, name: {_name(index)}}}",
            f'            baseline: {{from: micro-main, max_change: "median +10%"{extra}}}',
        ]
    return "\n".join(lines) + "\n"


def prepare(folder: Path, benchmarks: int, samples: int, seed: int = 20261204) -> Path:
    """The two files (generated unless present) and both matrices."""
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed)
        for name, head in (("base", False), ("head", True)):
            text = json.dumps(_document(rng, benchmarks, samples, head), indent=1)
            (folder / f"{name}.json").write_text(text, encoding="utf-8")
        done.touch()
    (folder / "confidence.yml").write_text(_matrix(benchmarks, True), encoding="utf-8")
    (folder / "plain.yml").write_text(_matrix(benchmarks, False), encoding="utf-8")
    return folder


def _failed(out: str) -> tuple[str, ...]:
    """The benchmarks the report fails, and how each was judged."""
    report = json.loads(out)
    found = []
    for bench in report["cells"][0]["benchmarks"]:
        if bench["outcome"] != "pass":
            (measured,) = bench["measurements"]
            found.append(f"{bench['id']}:{bench['outcome']}:{measured['method']}")
    return tuple(found)


def _failed_scipy(out: str) -> tuple[str, ...]:
    """The series the SciPy script finds regressed, named as the matrix's benchmarks."""
    return tuple(
        f"b{int(line.split(':')[0].rsplit('_', 1)[1]):04d}:fail:mann-whitney"
        for line in out.splitlines()
        if line.strip()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=int, default=500)
    parser.add_argument("--samples", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--quick", action="store_true", help="a tiny run: are the verdicts right?")
    args = parser.parse_args(argv)
    benchmarks, samples, runs = (20, 100, 2) if args.quick else (
        args.benchmarks, args.samples, args.runs
    )  # fmt: skip
    print(_process.machine())
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    folder = prepare(args.dir / f"compare-{benchmarks}x{samples}", benchmarks, samples)
    gatekeeper = _process.gatekeeper()

    def check(matrix: str) -> list[str]:
        return [gatekeeper, "check", "-m", str(folder / matrix), "--root", str(folder),
                "--dry-run", "--format", "json"]  # fmt: skip

    contenders = [
        _process.Command("check at a confidence", check("confidence.yml"), _failed, 1),
        _process.Command("check by the plain ratio", check("plain.yml"), _failed, 1),
    ]
    script = Path(__file__).resolve().parent / "alternatives" / "compare_scipy.py"
    if importlib.util.find_spec("scipy") is not None:
        scipy = [sys.executable, str(script), str(folder / "base.json"), str(folder / "head.json")]
        contenders.append(_process.Command("orjson + scipy mannwhitneyu", scipy, _failed_scipy))
    size = sum((folder / f"{n}.json").stat().st_size for n in ("base", "head"))
    print(f"\n{benchmarks} benchmarks x {samples} samples a side, {size / 1e6:.1f} MB of "
          f"pytest-benchmark JSON; {runs} runs each")  # fmt: skip
    measured = _process.measure(contenders, runs=runs, warmup=1)
    print(_process.table(measured, "check by the plain ratio"))
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    sampled = measured[0]
    failed = sampled.answer
    assert isinstance(failed, tuple)
    print(f"results: {{'failed': {len(failed)}, 'of': {benchmarks}}}")
    slowed = tuple(f"b{i:04d}:fail:mann-whitney" for i in range(0, benchmarks, SLOWER_EVERY))
    right = failed == slowed
    if len(measured) > 2:
        same = measured[2].answer == failed
        print(_process.verdict("SciPy's test fails the same series", same, "by its p-value"))
        right &= same
    print(_process.verdict("the slowed series, and only they, regressed at 95 %", right,
                           f"{len(failed)} failed, {len(slowed)} slowed"))  # fmt: skip
    fast = sampled.median < TARGET_SECONDS
    figures = f"{sampled.median:.2f} s, peak {_process.mib(sampled.peak_bytes)}"
    print(_process.verdict(f"whole process under {TARGET_SECONDS:.0f} s", fast, figures))
    return 0 if right and (args.quick or fast) else 1


if __name__ == "__main__":
    raise SystemExit(main())
