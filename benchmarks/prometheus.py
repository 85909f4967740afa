"""`gatekeeper check` on a saved Prometheus range answer against the scripts a user would
write instead, whole processes.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) the answer of a
``query_range`` as ``curl …/api/v1/query_range`` saves it: compact JSON, a matrix of SERIES
series (``availability_ratio_5m`` by ``job``, ``namespace`` and ``instance``) of POINTS
points each, 15 s apart, values written as Prometheus writes them (strings, shortest
round-trip digits), about 33 bytes a point. Live answers are capped at 8 MiB
(``gatekeeper/live/prometheus_http.py``); a saved one is read whole like every JSON
document, capped at 64 MiB (``gatekeeper/parsers/_json.py``). Contenders (see _process.py):

- gatekeeper: ``gatekeeper check --dry-run --format json`` on a matrix with one metric
  benchmark holding one series (``{instance:…}``) to ``min`` and ``avg`` thresholds;
- orjson: ``alternatives/prometheus_orjson.py``, ``orjson.loads`` of the answer, the series
  found by its labels, its min and avg (``math.fsum``) computed in Python;
- jq: ``alternatives/prometheus.jq`` (``jq -f``, Debian's package), the same in jq.

Every contender's min and avg are compared as gatekeeper's report writes them (four
significant digits) before a time is reported.

    python benchmarks/prometheus.py [--sizes SERIESxPOINTS ...] [--runs R] [--dir DIR] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _answers
import _process

from gatekeeper.units import Dimension, format_value

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
SIZES = ("10x1000", "100x1000", "10x40320", "230x1000", "1800x1000")
"""A dashboard's query, a fleet's, a week at 15 s, near the live cap, near the file cap."""
NAME = "availability_ratio_5m"
START, STEP = 1_764_000_000, 15


def _instance(index: int) -> str:
    return f"web-{index}:9100"


def generate(path: Path, series: int, points: int, seed: int = 20261204) -> None:
    """Write a query_range answer of ``series`` series of ``points`` points."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"status":"success","data":{"resultType":"matrix","result":[')
        for index in range(series):
            labels = {
                "__name__": NAME,
                "instance": _instance(index),
                "job": "web",
                "namespace": f"shop-{index % 7}",
            }
            metric = json.dumps(labels, separators=(",", ":"))
            out.write(("," if index else "") + '{"metric":' + metric)
            base = rng.uniform(0.995, 0.9999)
            values = ",".join(
                f'[{START + STEP * i},"{min(1.0, rng.gauss(base, 0.0015))!r}"]'
                for i in range(points)
            )
            out.write(',"values":[' + values + "]}")
        out.write("]}}\n")


def _answer(folder: Path, series: int, points: int) -> Path:
    path = folder / f"prometheus-{series}x{points}.json"
    if not path.exists():  # generated once per size, never committed
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        generate(partial, series, points)
        partial.replace(path)
    return path


def _figures(found: dict[str, float]) -> dict[str, str]:
    return {statistic: format_value(found[statistic], Dimension.NUMBER) for statistic in found}


def _from_report(stdout: str) -> dict[str, str]:
    (series,) = _answers.from_report(stdout).values()
    return series


def _from_script(stdout: str) -> dict[str, str]:
    return _figures(json.loads(stdout))


def _contenders(answer: Path, instance: str) -> list[_process.Command]:
    selector = f"{NAME}{{instance:{instance}}}"
    thresholds = ["min > 0.9", "avg > 0.99"]
    matrix = _answers.write_matrix(answer, "prometheus", {"availability": selector}, thresholds)
    check = [_process.gatekeeper(), "check", "--matrix", str(matrix), "--dry-run"]
    script = [sys.executable, str(HERE / "alternatives" / "prometheus_orjson.py")]
    contenders = [
        _process.Command("gatekeeper check", [*check, "--format", "json"], _from_report),
        _process.Command("orjson + min/avg", [*script, str(answer), NAME, instance], _from_script),
    ]
    jq = shutil.which("jq")
    if jq is not None:
        argv = [jq, "--arg", "name", NAME, "--arg", "instance", instance, "-c"]
        argv += ["-f", str(HERE / "alternatives" / "prometheus.jq"), str(answer)]
        contenders.append(_process.Command("jq", argv, _from_script))
    return contenders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), help="SERIESxPOINTS")
    parser.add_argument("--runs", type=int, default=6, help="timed runs per contender")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where answers are written")
    parser.add_argument("--quick", action="store_true", help="3 series of 200 points, 2 runs")
    args = parser.parse_args(argv)
    print(_process.machine())
    if shutil.which("jq") is None:
        print("(jq is not installed: apt-get install jq; timing without it)")
    sizes = ["3x200"] if args.quick else args.sizes
    agreed = True
    for size in sizes:
        series, points = (int(part) for part in size.split("x"))
        answer = _answer(args.dir, series, points)
        instance = _instance(series // 2)  # one series from the middle of the answer
        runs = (2, 0) if args.quick else (args.runs, 1)
        measured = _process.measure(_contenders(answer, instance), *runs)
        print(f"\n{answer}: {series:,} series x {points:,} points, "
              f"{answer.stat().st_size / 1e6:,.1f} MB; {_process.load()}")  # fmt: skip
        print(_process.table(measured, "orjson + min/avg"))
        print(f"results: {measured[0].answer}")
        same = _process.agree(measured)
        print(_process.verdict("same numbers from every contender", same, "min and avg"))
        agreed &= same
    return 0 if agreed else 1


if __name__ == "__main__":
    raise SystemExit(main())
