"""Time `gatekeeper check` on a k6 NDJSON stream, whole-process, against orjson and the floor.

Streams of 10 MB to 1.4 GB (``_k6_generate``, seeded, under /tmp/gatekeeper-bench and
reused), in k6's field order (``new``), the older one (``old``: type, data, metric, as in
k6's documented example) or another spelling (``spaced``: json.dumps's, which k6 never
writes, so gatekeeper decodes every line naming the metric). Contenders, each a whole
process as a user runs it (see _process.py), each printing the count and p(95) of
http_req_duration and of its sub-metric {status:200}:

- ``gatekeeper check --dry-run --format json`` on a matrix asking for both series;
- ``alternatives/k6_orjson.py``: orjson.loads on every line;
- ``alternatives/k6_bytescan.py``: the floor, bytes.find and a slice per line, no JSON.

p(95) is k6's definition everywhere (linear interpolation at rank (n-1)p of the values in
ms); answers are compared as gatekeeper's report writes them (four significant digits).

Targets (issue 10), judged at the largest size: k6's spelling in either order within 1.3x
of the floor and >= 3x as fast as orjson; another spelling no slower than orjson. Scale:
time per MB and peak memory per size, which should be flat (linear time, bounded memory).

    python benchmarks/k6_stream.py [--size 10,100,1400] [--key-order new,old] [--runs N]
                                   [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _answers
import _process
from _k6_generate import METRIC, ORDERS, STATUS, generate

ALTERNATIVES = Path(__file__).resolve().parent / "alternatives"
DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
TAG = f"status={STATUS}"
SUBMETRIC = f"{METRIC}{{status:{STATUS}}}"
MB = 1_000_000
FLOOR_RATIO, ORJSON_SPEEDUP = 1.3, 3.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10,100,1400", help="stream sizes in MB, comma-separated")
    parser.add_argument("--key-order", default="new,old", help=f"any of {', '.join(ORDERS)}")
    parser.add_argument("--runs", type=int, default=6, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where streams are written")
    parser.add_argument("--quick", action="store_true", help="1 MB, every order; not judged")
    args = parser.parse_args(argv)
    sizes = [1] if args.quick else sorted(int(s) for s in args.size.split(","))
    orders = list(ORDERS) if args.quick else args.key_order.split(",")
    if unknown := set(orders) - set(ORDERS):
        parser.error(f"unknown key order {', '.join(sorted(unknown))}")
    args.dir.mkdir(parents=True, exist_ok=True)
    print(_process.machine())
    agree, met = True, True
    for order in orders:
        scale = []
        for size in sizes:
            path = _stream(args.dir, order, size)
            runs, warmup = (2, 0) if args.quick else (args.runs, 1)
            measured = _process.measure(_contenders(path, order), runs=runs, warmup=warmup)
            print(f"\n{order} key order, {path.stat().st_size / MB:,.0f} MB: {path}")
            print(_process.table(measured, "gatekeeper check"))
            print(f"results: {measured[0].answer}")
            same = _process.agree(measured)
            agree = agree and same
            print(_process.verdict("same numbers from every contender", same, "counts, p(95)"))
            if size == sizes[-1] and not args.quick:
                met = _judge(order, measured) and met
            scale.append((path.stat().st_size, measured[0]))
        print(_scale(order, scale))
    if not agree:
        return 1
    return 0 if args.quick or met else 2


def _stream(folder: Path, order: str, size_mb: int) -> Path:
    """The stream of ``size_mb`` MB in ``order``: a prefix of a larger one when there is one."""
    path = folder / f"k6-{order}-{size_mb}MB.ndjson"
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial")
    larger = [p for p in folder.glob(f"k6-{order}-*MB.ndjson") if p.stat().st_size > size_mb * MB]
    if larger:
        with min(larger, key=lambda p: p.stat().st_size).open("rb") as source:
            head = source.read(size_mb * MB)
        partial.write_bytes(head[: head.rfind(b"\n") + 1])
    else:
        print(f"generating {path} ...", flush=True)
        generate(partial, size_mb * MB, order)
    partial.replace(path)
    return path


def _contenders(path: Path, order: str) -> list[_process.Command]:
    """gatekeeper, orjson, and the floor (which reads k6's spelling only)."""
    matrix = _answers.write_matrix(
        path, "k6-ndjson", {"every": METRIC, "ok": SUBMETRIC}, ["count > 0", "p(95) < 1h"]
    )
    check = [_process.gatekeeper(), "check", "--matrix", str(matrix), "--dry-run"]
    check += ["--format", "json"]
    contenders = [
        _process.Command("gatekeeper check", check, _answers.from_report),
        _alternative("orjson per line", "k6_orjson.py", path),
    ]
    if order != "spaced":
        contenders.append(_alternative("byte-scan floor", "k6_bytescan.py", path))
    return contenders


def _alternative(name: str, script: str, path: Path) -> _process.Command:
    argv = [sys.executable, str(ALTERNATIVES / script), str(path), METRIC, TAG]
    return _process.Command(name, argv, _printed)


def _printed(stdout: str) -> _answers.Answer:
    """An alternative's {series: [count, p95 in ms]}, written as gatekeeper reports it."""
    found: dict[str, list[float | None]] = json.loads(stdout)
    return {
        series: {
            "count": _answers.count(int(count or 0)),
            "p(95)": _answers.seconds(None if p95 is None else p95 * 1e-3),
        }
        for series, (count, p95) in found.items()
    }


def _judge(order: str, measured: list[_process.Measured]) -> bool:
    gatekeeper, orjson = measured[0].median, measured[1].median
    if order == "spaced":  # not k6's spelling: every line naming the metric is decoded
        ok = gatekeeper <= orjson
        print(_process.verdict("no slower than orjson", ok, f"{orjson / gatekeeper:.2f}x as fast"))
        return ok
    floor = measured[2].median
    near = gatekeeper <= FLOOR_RATIO * floor
    fast = orjson >= ORJSON_SPEEDUP * gatekeeper
    print(_process.verdict("within 1.3x of the floor", near, f"{gatekeeper / floor:.2f}x"))
    print(_process.verdict(">= 3x orjson", fast, f"{orjson / gatekeeper:.2f}x as fast"))
    return near and fast


def _scale(order: str, scale: list[tuple[int, _process.Measured]]) -> str:
    """Time per MB and peak per size: the cost past the smallest size, per MB, is the slope."""
    lines = [f"\nscale, {order} key order (gatekeeper check)"]
    lines.append(f"{'size':>10} {'median':>9} {'s/MB':>9} {'s/MB past first':>16} {'peak':>11}")
    first_size, first = scale[0]
    for size, m in scale:
        slope = (m.median - first.median) / ((size - first_size) / MB) if size > first_size else 0
        lines.append(
            f"{size / MB:8,.0f}MB {m.median:8.3f}s {m.median / (size / MB):9.5f}"
            f" {slope:16.5f} {_process.mib(m.peak_bytes):>11}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
