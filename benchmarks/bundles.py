"""Sharded CI's reduce step: `check --bundle` on merged shard bundles against `check` on the
raw JUnit files, whole processes.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) 2,000 Surefire-like
JUnit files, one suite each (``junit_stream``'s generator: properties, failures and errors
with stack traces, skips, reruns, system-out), spread over 4 shard folders of one tree, and a
matrix with four test benchmarks selecting by suite, class, file and name. Outside the
timing, each shard runs ``gatekeeper collect --shard NAME`` in its folder and the bundles
are merged with ``gatekeeper merge``, as the README's sharded-CI section says. Contenders:

- raw XML: ``gatekeeper check --dry-run --format json`` on the tree (the files at once);
- merged bundle: the same with ``--bundle MERGED --sha SHA``;
- with ``--before GATEKEEPER``: that gatekeeper's own bundles (collected and merged with it)
  judged by it, e.g. main's, whose bundles kept every test.

Every contender must report the same counts per benchmark. Targets (issue 10): the bundle
path at least 5x faster than the raw path, the merged bundle at most 10 % of the raw
files' size, and its peak memory at most the raw path's.

    python benchmarks/bundles.py [--files N] [--cases-per-file C] [--runs R] [--dir DIR]
                                 [--before GATEKEEPER] [--quick]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process
from junit_stream import SELECTIONS, _counts, _suite

DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
SHARDS = 4
SHA = "0123456789abcdef0123456789abcdef01234567"
TARGET_SPEEDUP = 5.0
TARGET_SIZE = 0.10


def _matrix() -> str:
    benchmarks = ""
    for key, selection in SELECTIONS.items():
        globs = ", ".join(f"{k}: {v!r}".replace("'", '"') for k, v in selection.items())
        benchmarks += f"          - id: {key}\n"
        benchmarks += f"            tests: {{from: unit, {globs}, pass_rate: 90%}}\n"
    return (
        "version: 1\n"
        "phases:\n  - {id: stone, name: Stone, theme: the whole build}\n"
        'artifacts:\n  unit: {format: junit, paths: ["**/reports/TEST-*.xml"]}\n'
        "swimlanes:\n  - id: build\n    name: Build\n    cells:\n      stone:\n"
        f"        goal: the build's tests\n        benchmarks:\n{benchmarks}"
    )


def shard_name(index: int) -> str:
    return f"shard-{index}"


def prepare(folder: Path, files: int, per_file: int, seed: int = 20240805) -> Path:
    """The tree (generated unless present): shard folders of JUnit files, and the matrix."""
    tree = folder / "tree"
    done = tree / ".complete"
    if not done.exists():
        rng = random.Random(seed)
        for index in range(files):
            reports = tree / shard_name(index % SHARDS) / "reports"
            reports.mkdir(parents=True, exist_ok=True)
            text = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
                f"{_suite(rng, index, per_file)}</testsuites>\n"
            )
            (reports / f"TEST-{index:05d}.xml").write_text(text, encoding="utf-8")
        done.touch()
    (tree / "gatekeeper.yml").write_text(_matrix(), encoding="utf-8")
    return tree


def raw_size(tree: Path) -> int:
    return sum(p.stat().st_size for p in tree.glob("*/reports/TEST-*.xml"))


def bundle(gatekeeper: str, tree: Path, out: Path) -> Path:
    """Each shard collected in its own folder, then merged: the sharded CI's steps."""
    out.mkdir(parents=True, exist_ok=True)
    matrix = str(tree / "gatekeeper.yml")
    shards = []
    for index in range(SHARDS):
        name = shard_name(index)
        path = out / f"{name}.json"
        _run([gatekeeper, "collect", "-m", matrix, "--root", str(tree / name),
              "--shard", name, "--sha", SHA, "--out", str(path)])  # fmt: skip
        shards.append(str(path))
    merged = out / "merged.json"
    _run([gatekeeper, "merge", *shards, "--out", str(merged)])
    return merged


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"$ {' '.join(argv)}\nexit {done.returncode}\n{done.stderr[-2000:]}")


def _check(gatekeeper: str, tree: Path, *extra: str) -> list[str]:
    matrix = str(tree / "gatekeeper.yml")
    return [gatekeeper, "check", "-m", matrix, "--dry-run", "--format", "json", *extra]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--cases-per-file", type=int, default=64)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--quick", action="store_true", help="a tiny run: do the numbers agree?")
    parser.add_argument(
        "--before", metavar="GATEKEEPER", help="another gatekeeper to compare (a main venv's)"
    )
    args = parser.parse_args(argv)
    sizes = (40, 5, 2) if args.quick else (args.files, args.cases_per_file, args.runs)
    files, per_file, runs = sizes
    print(_process.machine())
    folder = args.dir / f"bundles-{files}x{per_file}"
    tree = prepare(folder, files, per_file)
    gatekeeper = _process.gatekeeper()
    merged = bundle(gatekeeper, tree, folder / "bundles")
    # the gate passes at full size; a tiny tree lacks some selected classes: same verdict
    code = subprocess.run(_check(gatekeeper, tree), capture_output=True, check=False).returncode
    contenders = [
        _process.Command("check (raw XML)", _check(gatekeeper, tree), _counts, code),
        _process.Command(
            "check --bundle (merged)",
            _check(gatekeeper, tree, "--bundle", str(merged), "--sha", SHA),
            _counts,
            code,
        ),
    ]
    if args.before:
        earlier = bundle(args.before, tree, folder / "bundles-before")
        contenders.append(
            _process.Command(
                "check --bundle (before)",
                _check(args.before, tree, "--bundle", str(earlier), "--sha", SHA),
                _counts,
                code,
            )
        )
    raw = raw_size(tree)
    size = merged.stat().st_size
    cases = files * per_file
    print(f"\n{files:,} JUnit files, {cases:,} cases, {raw / 1e6:.1f} MB in {SHARDS} shards; "
          f"{runs} runs each")  # fmt: skip
    measured = _process.measure(contenders, runs=runs, warmup=1)
    print(_process.table(measured, "check (raw XML)"))
    from_raw, from_bundle = measured[:2]
    print(f"results: {from_raw.answer}")
    agree = _process.agree(measured)
    print(_process.verdict("same numbers from the bundle as from the files", agree, "counts"))
    speedup = from_raw.median / from_bundle.median
    ratio = size / raw
    lighter = from_bundle.peak_bytes <= from_raw.peak_bytes
    peaks = f"{_process.mib(from_bundle.peak_bytes)} vs {_process.mib(from_raw.peak_bytes)}"
    fast = speedup >= TARGET_SPEEDUP
    print(_process.verdict(f">= {TARGET_SPEEDUP:.0f}x faster than the raw XML", fast,
                           f"{speedup:.2f}x"))  # fmt: skip
    sizes = f"{size / 1e3:.1f} kB of {raw / 1e6:.1f} MB: {100 * ratio:.3f} %"
    print(_process.verdict(f"bundle <= {100 * TARGET_SIZE:.0f} % of the raw size",
                           ratio <= TARGET_SIZE, sizes))  # fmt: skip
    print(_process.verdict("peak <= the raw path's", lighter, peaks))
    if args.before:
        before = measured[2]
        earlier_size = (folder / "bundles-before" / "merged.json").stat().st_size
        print(f"  [info] before: {before.median / from_bundle.median:.2f}x slower than now, "
              f"{before.median / from_raw.median:.2f}x the raw path's time, peak "
              f"{_process.mib(before.peak_bytes)}, bundle {earlier_size / 1e6:.1f} MB")  # fmt: skip
    met = fast and ratio <= TARGET_SIZE and lighter
    return 0 if agree and (args.quick or met) else 1


if __name__ == "__main__":
    raise SystemExit(main())
