"""`gatekeeper check` against another (earlier) gatekeeper on the same large load and test
files, whole processes: does a change cost the streaming readers anything?

Written for issue 16, which made the JUnit, k6 NDJSON and JMeter readers read each file's
time (``measured_at``: a JUnit suite's ``timestamp``, the latest k6 sample's, the latest JTL
``timeStamp``) as they stream. The inputs and matrices are the other scripts' (seeded, under
/tmp/gatekeeper-bench, reused when present): a Surefire-like JUnit report
(``junit_stream.prepare``, four test benchmarks), a k6 NDJSON stream in k6's field order
(``_k6_generate``; count and p(95) of a metric and a sub-metric) and a JMeter JTL
(``jtl.generate``; count, fails, p(95) per label). Contenders (see _process.py): this
checkout's ``gatekeeper check --dry-run --format json`` and ``--before``'s, run on the same
matrix and file in the same hyperfine runs; both must print the same numbers.

    python benchmarks/against_before.py --before /path/to/old/.venv/bin/gatekeeper
        [--junit-cases N ...] [--k6-mb MB ...] [--jtl-rows N ...] [--runs R] [--dir DIR]
        [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _answers
import _process
import jtl
import junit_stream
import k6_stream
from _k6_generate import METRIC

DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
Reader = Callable[[str], object]


def _junit(folder: Path, cases: int) -> tuple[str, list[str], Reader]:
    report = junit_stream.prepare(folder / f"junit-{cases}", cases)
    matrix = report.with_name("gatekeeper.yml")
    label = f"JUnit, {cases:,} cases, {report.stat().st_size / 1e6:,.0f} MB"
    return label, ["--matrix", str(matrix)], junit_stream._counts


def _k6(folder: Path, size_mb: int) -> tuple[str, list[str], Reader]:
    stream = k6_stream._stream(folder, "new", size_mb)
    selectors = {"every": METRIC, "ok": k6_stream.SUBMETRIC}
    matrix = _answers.write_matrix(stream, "k6-ndjson", selectors, ["count > 0", "p(95) < 1h"])
    label = f"k6 NDJSON, {stream.stat().st_size / 1e6:,.0f} MB"
    return label, ["--matrix", str(matrix)], _answers.from_report


def _jtl(folder: Path, rows: int) -> tuple[str, list[str], Reader]:
    path = jtl._jtl(folder, rows)
    matrix = _answers.write_matrix(path, "jmeter", {"labels": "*"}, jtl._THRESHOLDS)
    label = f"JMeter JTL, {rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB"
    return label, ["--matrix", str(matrix)], _answers.from_report


def _compile(gatekeeper: str) -> None:
    """Compile the other gatekeeper's package to bytecode, as _process does for this one."""
    python = str(Path(gatekeeper).with_name("python"))
    code = "import compileall, gatekeeper, pathlib, sys; "
    code += "package = pathlib.Path(gatekeeper.__file__).parent; "
    code += "sys.exit(not compileall.compile_dir(package, quiet=1))"
    subprocess.run([python, "-c", code], check=True, cwd="/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--before", required=True, metavar="GATEKEEPER", help="the earlier venv's bin/gatekeeper"
    )
    parser.add_argument("--junit-cases", type=int, nargs="*", default=[100_000])
    parser.add_argument("--k6-mb", type=int, nargs="*", default=[100, 1400])
    parser.add_argument("--jtl-rows", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where inputs are written")
    parser.add_argument("--quick", action="store_true", help="tiny inputs, 2 runs")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    print(_process.machine())
    _compile(args.before)
    if args.quick:
        args.junit_cases, args.k6_mb, args.jtl_rows = [2_000], [1], [2_000]
    inputs = [(_junit, n) for n in args.junit_cases] + [(_k6, n) for n in args.k6_mb]
    inputs += [(_jtl, n) for n in args.jtl_rows]
    agreed = True
    for make, size in inputs:
        label, matrix, read = make(args.dir, size)
        check = ["check", *matrix, "--dry-run", "--format", "json"]
        contenders = [
            _process.Command("gatekeeper check", [_process.gatekeeper(), *check], read),
            _process.Command("gatekeeper check (before)", [args.before, *check], read),
        ]
        runs = (2, 0) if args.quick else (args.runs, 1)
        measured = _process.measure(contenders, *runs)
        print(f"\n{label}; {_process.load()}")
        print(_process.table(measured, "gatekeeper check (before)"))
        print(f"results: {measured[0].answer}")
        same = _process.agree(measured)
        print(_process.verdict("same numbers from both", same, "as the reports print them"))
        agreed &= same
    return 0 if agreed else 1


if __name__ == "__main__":
    raise SystemExit(main())
