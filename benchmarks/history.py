"""`gatekeeper history --format json` on a long history, against a plain script, whole
processes.

Generates (seeded, under /tmp/gatekeeper-bench, reused when present) a history of 10,000
evaluations of 50 benchmarks (one series each, a threshold with a limit), one evaluation an
hour over about fourteen months, one JSON Lines file a month as gatekeeper writes them, and
a matrix with the same three phases and 50 benchmarks. The phases' gates first pass at
evaluations 100, 3,000 and 8,000 (1, 30 and 80 %). Contenders, each asked the same thing
(every benchmark's latest value, and the date each phase's gate first passed):

- ``gatekeeper history --history DIR --format json`` (whose trends also hold the last 20
  points, change and headroom of each benchmark);
- ``alternatives/history_orjson.py``: every line read with orjson, a record once per key,
  the latest by date; the strongest plain alternative (no checks of the lines' shape);
- with ``--jq``: ``jq -s`` over the files, the same in jq.

    python benchmarks/history.py [--evaluations N] [--benchmarks B] [--runs R] [--dir DIR]
                                 [--jq] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _process

DEFAULT_DIR = Path("/tmp/gatekeeper-bench")
JSON = ("--format", "json")
PHASES = ("stone", "bronze", "iron")
LANES = 5
START = dt.datetime(2025, 11, 1, tzinfo=dt.timezone.utc)
FIRST_PASSED = (0.01, 0.3, 0.8)
"""Each phase's gate first passes at this share of the evaluations."""
JQ = (
    "map(select(.history_version == 1)) | unique_by(.key) | sort_by(.date) as $e"
    " | {latest: (reduce $e[] as $x ({}; reduce $x.benchmarks[] as $b (.;"
    " .[$b.ref] = ($b.points[0].value)))),"
    ' reached: (reduce $e[] as $x ({}; reduce ($x.phases[] | select(.gate == "passed") | .id)'
    " as $p (.; if has($p) then . else .[$p] = $x.date end)))}"
)


def refs(benchmarks: int) -> list[str]:
    return [f"lane-{i % LANES}/{PHASES[i % len(PHASES)]}/bench-{i:03d}" for i in range(benchmarks)]


def _matrix(benchmarks: int) -> str:
    lines = ["version: 1", "project: Bench", "phases:"]
    lines += [f"  - {{id: {p}, name: {p.capitalize()}}}" for p in PHASES]
    lines += ['artifacts:\n  unit: {format: junit, paths: ["reports/*.xml"]}', "swimlanes:"]
    names = refs(benchmarks)
    for lane in range(min(LANES, benchmarks)):
        lines += [f"  - id: lane-{lane}", f"    name: Lane {lane}", "    cells:"]
        for phase in PHASES:
            mine = [r for r in names if r.startswith(f"lane-{lane}/{phase}/")]
            if mine:
                lines += [f"      {phase}:", "        goal: fast", "        benchmarks:"]
                lines += [f"          - {{id: {r.rsplit('/', 1)[1]}, tests: {{from: unit}}}}"
                          for r in mine]  # fmt: skip
    return "\n".join(lines) + "\n"


def _line(rng: random.Random, index: int, evaluations: int, names: list[str]) -> str:
    when = START + dt.timedelta(hours=index)
    gates = [index >= evaluations * share for share in FIRST_PASSED]
    benchmarks = []
    for number, ref in enumerate(names):
        value = round(0.1 + 0.1 * rng.random() + index * 1e-6 * (number % 7), 6)
        benchmarks.append({
            "ref": ref, "outcome": "pass" if value < 0.25 else "fail",
            "points": [{
                "series": f"http_req_duration{{scenario:s{number}}}", "value": value,
                "unit": "s", "limit": 0.25, "interval": None, "actual": f"{value * 1000:.1f}ms",
                "ok": value < 0.25, "threshold": "p(95) < 250ms",
            }],
        })  # fmt: skip
    record = {
        "history_version": 1, "key": f"{index:040x}:{index}:1", "project": "Bench",
        "commit": f"{index:040x}", "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ref": "refs/heads/main", "run_url": f"https://github.com/o/r/actions/runs/{index}",
        "gatekeeper_version": "0.1.0", "verdict": "passed" if all(gates) else "failed",
        "stands_at": ([None, *PHASES][sum(gates)]),
        "enforced_phase": "iron",
        "phases": [{"id": p, "gate": "passed" if g else "failed"}
                   for p, g in zip(PHASES, gates, strict=True)],
        "benchmarks": benchmarks,
    }  # fmt: skip
    return json.dumps(record, separators=(",", ":"))


def prepare(folder: Path, evaluations: int, benchmarks: int, seed: int = 20261204) -> Path:
    """The folder (generated unless present): history/YYYY-MM.jsonl and gatekeeper.yml."""
    history = folder / "history"
    done = folder / ".complete"
    if not done.exists():
        history.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed)
        names = refs(benchmarks)
        files = {}
        for index in range(evaluations):
            month = (START + dt.timedelta(hours=index)).strftime("%Y-%m")
            if month not in files:
                files[month] = (history / f"{month}.jsonl").open("w", encoding="utf-8")
            files[month].write(_line(rng, index, evaluations, names) + "\n")
        for handle in files.values():
            handle.close()
        done.touch()
    (folder / "gatekeeper.yml").write_text(_matrix(benchmarks), encoding="utf-8")
    return folder


def _from_gatekeeper(out: str) -> object:
    report = json.loads(out)
    latest = {
        b["ref"]: b["trends"][0]["points"][-1]["value"] for b in report["benchmarks"] if b["trends"]
    }
    reached = {p["id"]: p["reached"]["date"] for p in report["phases"] if p["reached"]}
    return {"latest": latest, "reached": reached}


def _from_script(out: str) -> object:
    found = json.loads(out)
    return {"latest": found["latest"], "reached": found["reached"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--benchmarks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--jq", action="store_true", help="also time jq -s (slow, and greedy)")
    parser.add_argument("--quick", action="store_true", help="a tiny run: do the numbers agree?")
    args = parser.parse_args(argv)
    sizes = (400, 4, 2) if args.quick else (args.evaluations, args.benchmarks, args.runs)
    evaluations, benchmarks, runs = sizes
    print(_process.machine())
    folder = prepare(args.dir / f"history-{evaluations}x{benchmarks}", evaluations, benchmarks)
    history = folder / "history"
    files = sorted(history.glob("*.jsonl"))
    size = sum(f.stat().st_size for f in files)
    matrix = str(folder / "gatekeeper.yml")
    script = Path(__file__).resolve().parent / "alternatives" / "history_orjson.py"
    contenders = [
        _process.Command(
            "gatekeeper history --format json",
            [_process.gatekeeper(), "history", "-m", matrix, "--history", str(history), *JSON],
            _from_gatekeeper,
        ),
        _process.Command(
            "orjson script", [sys.executable, str(script), str(history)], _from_script
        ),
    ]
    if args.jq:
        contenders.append(
            _process.Command("jq -s", ["jq", "-s", "-c", JQ, *map(str, files)], _from_script)
        )
    print(f"\n{evaluations:,} evaluations x {benchmarks} benchmarks in {len(files)} files, "
          f"{size / 1e6:.1f} MB; {runs} runs each; {_process.load()}")  # fmt: skip
    measured = _process.measure(contenders, runs=runs, warmup=1)
    print(_process.table(measured, "orjson script"))
    answer = measured[0].answer
    assert isinstance(answer, dict)
    print(f"results: {{'reached': {answer['reached']}, 'benchmarks': {len(answer['latest'])}}}")
    agree = _process.agree(measured)
    print(_process.verdict("same numbers from every contender", agree, "latest values, dates"))
    print(f"after: {_process.load()}")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
