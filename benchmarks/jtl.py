"""Time `gatekeeper check` on a JMeter JTL, whole-process, with and without pyarrow, vs csv.reader.

Generates a seeded JTL with JMeter's default columns (5,300,000 rows, about 624 MB,
unless --rows says otherwise; ~1 % failed samples whose quoted failure message spans
lines, as JMeter's assertions write them) under /tmp/gatekeeper-bench. Contenders, each
a whole process as a user runs it (see _process.py), each printing per label and for
TOTAL the count, the failures and p(95) of elapsed:

- ``gatekeeper check --dry-run --format json`` with the ``fast`` extra (pyarrow);
- the same without it (``alternatives/without_pyarrow.py``: pyarrow cannot be imported,
  as where the extra is not installed): the standard-library engine;
- ``alternatives/jtl_csv.py``: csv.reader alone, each label's elapsed times in an array.

p(95) is k6's (and numpy's default) definition: linear interpolation at rank (n-1)p of
the elapsed times in seconds; answers are compared as gatekeeper's report writes them.

Targets (issue 10): the standard-library engine at least as fast as csv.reader; with the
``fast`` extra >= 4x csv.reader and a peak <= 300 MiB.

    python benchmarks/jtl.py [--rows N] [--runs N] [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _answers
import _process

ALTERNATIVES = Path(__file__).resolve().parent / "alternatives"
DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
ARROW_SPEEDUP, ARROW_PEAK = 4.0, 300 * 1024 * 1024
HEADER = (
    "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,"
    "failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n"
)
LABELS = (
    "GET /api/users", "POST /login", "GET /api/orders/{id}", "PUT /api/cart",
    "GET /static/app.js", "DELETE /api/session", "GET /health", "POST /api/checkout",
)  # fmt: skip
FAILURE = (
    '"Test failed: code expected to equal /\n\n****** received  : [[[5]]]00\n\n'
    '****** comparison: [[[2]]]00\n\n/"'
)


def generate(path: Path, rows: int, seed: int = 42) -> None:
    """A JTL as JMeter writes it by default."""
    rng = random.Random(seed)
    stamp = 1_700_000_000_000
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        batch: list[str] = []
        for _ in range(rows):
            stamp += rng.randrange(3)
            label = LABELS[rng.randrange(len(LABELS))]
            elapsed = int(rng.lognormvariate(4.5, 0.6))
            thread = rng.randrange(1, 51)
            if rng.random() < 0.01:
                batch.append(
                    f'{stamp},{elapsed},{label},500,"Internal Server Error, retry",'
                    f"Thread Group 1-{thread},text,false,{FAILURE},312,118,50,50,"
                    f"http://127.0.0.1:8080/x,{elapsed},0,1\n"
                )
            else:
                batch.append(
                    f"{stamp},{elapsed},{label},200,OK,Thread Group 1-{thread},text,true,,"
                    f"1843,118,50,50,http://127.0.0.1:8080/x,{max(elapsed - 1, 0)},0,1\n"
                )
            if len(batch) == 10_000:
                out.write("".join(batch))
                batch.clear()
        out.write("".join(batch))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_300_000)
    parser.add_argument("--runs", type=int, default=6, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the JTL is written")
    parser.add_argument("--quick", action="store_true", help="20,000 rows; targets not judged")
    args = parser.parse_args(argv)
    rows = 20_000 if args.quick else args.rows
    path = _jtl(args.dir, rows)
    measured = _process.measure(_contenders(path), *((2, 0) if args.quick else (args.runs, 1)))
    print(_process.machine())
    print(f"{path}: {rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB")
    print(_process.table(measured, "csv.reader"))
    print(f"results: {measured[0].answer}")
    agree = _process.agree(measured)
    print(_process.verdict("same numbers from every contender", agree, "count, fails, p(95)"))
    if not agree:
        return 1
    arrow, stdlib, plain = measured
    checks = (
        ("stdlib engine no slower than csv.reader", stdlib.median <= plain.median,
         f"{plain.median / stdlib.median:.2f}x as fast"),
        ("with pyarrow >= 4x csv.reader", plain.median >= ARROW_SPEEDUP * arrow.median,
         f"{plain.median / arrow.median:.2f}x as fast"),
        ("with pyarrow, peak <= 300 MiB", arrow.peak_bytes <= ARROW_PEAK,
         _process.mib(arrow.peak_bytes)),
    )  # fmt: skip
    for label, ok, detail in checks:
        print(_process.verdict(label, ok, detail))
    return 0 if args.quick or all(ok for _, ok, _ in checks) else 2


def _jtl(folder: Path, rows: int) -> Path:
    path = folder / f"jtl-{rows}-rows.csv"
    if not path.exists():  # generated once per size, never committed
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        generate(partial, rows)
        partial.replace(path)
    return path


def _contenders(path: Path) -> list[_process.Command]:
    matrix = _answers.write_matrix(path, "jmeter", {"labels": "*"}, _THRESHOLDS)
    check = ["check", "--matrix", str(matrix), "--dry-run", "--format", "json"]
    without = [sys.executable, str(ALTERNATIVES / "without_pyarrow.py"), *check]
    plain = [sys.executable, str(ALTERNATIVES / "jtl_csv.py"), str(path)]
    return [
        _process.Command("gatekeeper check", [_process.gatekeeper(), *check], _report),
        _process.Command("gatekeeper, no pyarrow", without, _report),
        _process.Command("csv.reader", plain, _printed),
    ]


_THRESHOLDS = ("count > 0", "fails >= 0", "p(95) < 1h")


def _report(stdout: str) -> _answers.Answer:
    return _answers.from_report(stdout)


def _printed(stdout: str) -> _answers.Answer:
    """The script's {label: [count, fails, p95 in s]}, written as gatekeeper reports it."""
    found: dict[str, list[float]] = json.loads(stdout)
    return {
        label: {
            "count": _answers.count(int(count)),
            "fails": _answers.count(int(fails)),
            "p(95)": _answers.seconds(p95),
        }
        for label, (count, fails, p95) in found.items()
    }


if __name__ == "__main__":
    raise SystemExit(main())
