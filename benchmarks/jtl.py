"""Read a large JMeter CSV results file with gatekeeper and with the csv module; compare.

Generates a seeded JTL with JMeter's default columns (5,000,000 rows unless
--rows says otherwise; ~1 % failed samples whose quoted failure message spans
lines, as JMeter's assertions write them) in /tmp, then reads it in a fresh
subprocess per contender, measuring wall time and peak memory (ru_maxrss):

- csv module: ``csv.reader`` over the file, ``float(elapsed)`` per row, kept in
  an array (the least any reader that computes percentiles must do);
- gatekeeper: ``gatekeeper.parsers.load.jmeter.parse`` (pyarrow engine when installed);
- gatekeeper's stdlib engine, for information (what runs without pyarrow).

Targets: gatekeeper at least 3x faster than the csv module, peak memory under
300 MB. Both must agree on the sample count and p(95).

    python benchmarks/jtl.py [--rows N] [--quick] [--json] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SPEEDUP = 3.0
TARGET_PEAK_MB = 300.0
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


def generate(path: Path, rows: int, seed: int) -> None:
    """A JTL as JMeter writes it by default; written beside ``path`` then renamed into place."""
    rng = random.Random(seed)
    partial = path.with_suffix(".partial")
    stamp = 1_700_000_000_000
    with partial.open("w", encoding="utf-8", newline="") as out:
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
    partial.replace(path)


def contend(name: str, path: Path) -> dict[str, object]:
    """Run one contender in this process (a fresh child) and describe the result.

    Only reading the file is timed, and peak memory is taken right after it; the p(95)
    the csv contender then computes for the agreement check is neither.
    """
    reader = _csv_module if name == "csv" else _gatekeeper
    start = time.perf_counter()
    count, finish = reader(path, name == "stdlib")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "contender": name,
        "seconds": seconds,
        "peak_mb": peak_mb,
        "count": count,
        "p95": finish(),
    }


def _csv_module(path: Path, _: bool) -> tuple[int, Callable[[], float]]:
    import csv
    from array import array

    values: array[float] = array("d")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        column = next(reader).index("elapsed")
        append = values.append
        for row in reader:
            append(float(row[column]))

    def p95_seconds() -> float:
        sys.path.insert(0, str(REPO))
        from gatekeeper.stats import percentile

        ordered = [v / 1000.0 for v in sorted(values)]  # seconds, as gatekeeper reports
        return percentile(ordered, 95) if ordered else float("nan")

    return len(values), p95_seconds


def _gatekeeper(path: Path, stdlib_only: bool) -> tuple[int, Callable[[], float]]:
    sys.path.insert(0, str(REPO))
    from gatekeeper.parsers.load import _jmeter_csv, _jmeter_tally, jmeter

    if stdlib_only:
        header = _jmeter_csv.read_header(path, path.name)
        metrics = _jmeter_tally.metrics(_jmeter_csv.read_python(path, path.name, header), "")
    else:
        metrics = jmeter.parse(path, path.name).metrics
    total = next(m for m in metrics if m.name == _jmeter_tally.TOTAL)
    p95 = total.stats["p(95)"].value
    return int(total.stats["count"].value), lambda: p95


def _child(name: str, path: Path) -> dict[str, object]:
    command = [sys.executable, __file__, "--contender", name, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO)
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 rows; targets not judged")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"), help="where the JTL is written")
    parser.add_argument("--contender", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.contender:
        print(json.dumps(contend(args.contender[0], Path(args.contender[1]))))
        return 0
    rows = 20_000 if args.quick else args.rows
    path = args.dir / f"gatekeeper-jtl-v1-{rows}-{args.seed}.csv"
    if not path.exists():  # generated once per size and seed, never committed
        generate(path, rows, args.seed)
    for _ in range(2):  # warm the page cache so the first contender is not penalised
        with path.open("rb") as handle:
            while handle.read(1 << 24):
                pass
    results = [_child(name, path) for name in ("csv", "gatekeeper", "stdlib")]
    return report(path, rows, results, judged=not args.quick, as_json=args.json)


def report(
    path: Path, rows: int, results: list[dict[str, object]], judged: bool, as_json: bool
) -> int:
    by_name = {str(r["contender"]): r for r in results}
    base, ours = by_name["csv"], by_name["gatekeeper"]
    speedup = float(str(base["seconds"])) / float(str(ours["seconds"]))
    peak = float(str(ours["peak_mb"]))
    agree = all(r["count"] == rows and r["p95"] == base["p95"] for r in results)
    fast, small = speedup >= TARGET_SPEEDUP, peak < TARGET_PEAK_MB
    ok = agree and (not judged or (fast and small))
    if as_json:
        print(json.dumps({"rows": rows, "results": results, "speedup": speedup, "agree": agree}))
        return 0 if ok else 1
    size_mb = path.stat().st_size / 1e6
    print(f"JTL {path} ({rows:,} rows, {size_mb:,.0f} MB), Python {sys.version.split()[0]}")
    print(f"{'contender':28} {'wall':>9} {'peak RSS':>10} {'count':>10} {'p(95)':>10}")
    titles = {
        "csv": "csv module (baseline)",
        "gatekeeper": "gatekeeper jmeter.parse",
        "stdlib": "gatekeeper, stdlib engine",
    }
    for r in results:
        seconds, peak_mb = float(str(r["seconds"])), float(str(r["peak_mb"]))
        p95_ms = float(str(r["p95"])) * 1000
        print(
            f"{titles[str(r['contender'])]:28} {seconds:8.2f}s {peak_mb:8.0f}MB "
            f"{r['count']:>10} {p95_ms:8.1f}ms"
        )

    def verdict(met: bool) -> str:
        return ("met" if met else "NOT met") if judged else "not judged (--quick)"

    print(f"speed-up {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x): {verdict(fast)}")
    print(f"peak memory {peak:.0f} MB (target < {TARGET_PEAK_MB:.0f} MB): {verdict(small)}")
    print(f"count and p(95) agree: {'yes' if agree else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
