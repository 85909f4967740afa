#!/usr/bin/env python3
"""Write the KMTA example's history: ``history/2026-MM.jsonl`` beside this script.

    python history.py              # into history/ beside this file
    python history.py --out DIR    # somewhere else

An illustrative history, not a measured one: what gatekeeper would have recorded on the
weekly pushes to main that took KMTA from Sandbox to Bronze, so that the example's HTML page
and ``gatekeeper history`` have something to show. Every line is what gatekeeper's own
record builder writes for the example's real evaluation (its evidence in reports/, judged
as of each week); only the numbers are walked back along a fixed path, and the story is
set here:

- the evidence of a phase's cells appears when work on the phase starts (EVIDENCE_FROM);
  before that the benchmark is missing;
- the account hot setting's tests fail until 2026-06-29 and the config tool's until
  2026-09-14 (PASSING_FROM), so Stone is reached on 2026-06-29 and Bronze on 2026-09-14;
- each measured value walks to today's value toward its limit: a value held below a limit
  from 60 to 95 % of today's (by a hash of its name; the splitter's p95 from 62 %, so it
  crosses its 250 ms limit in September), one held above from 100 to 140 %, with a little
  noise; whether it met its threshold is judged again.

The gates each line records passed are worked out from its benchmarks, as the engine does:
a phase's gate passes when every benchmark of it and of every earlier phase passed or is
waived. Deterministic: running it again writes the same bytes (a test checks the files).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gatekeeper.commands.project import judge
from gatekeeper.history.records import dumps, from_report, moment
from gatekeeper.history.view import direction
from gatekeeper.matrix.load import read_matrix
from gatekeeper.reporters.common import verdict
from gatekeeper.results import exit_code
from gatekeeper.units import Dimension, format_value

HERE = Path(__file__).resolve().parent
FIRST = dt.datetime(2026, 6, 1, 14, 0, tzinfo=dt.timezone.utc)
LAST = dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.timezone.utc)
EVIDENCE_FROM = {
    "sandbox": FIRST, "stone": FIRST,
    "bronze": dt.datetime(2026, 7, 13, tzinfo=dt.timezone.utc),
    "iron": dt.datetime(2026, 8, 10, tzinfo=dt.timezone.utc),
    "steel": dt.datetime(2026, 9, 7, tzinfo=dt.timezone.utc),
    "titanium": dt.datetime(2026, 10, 19, tzinfo=dt.timezone.utc),
}  # fmt: skip
PASSING_FROM = {
    "ingress-api/stone/hot-setting-tests": dt.datetime(2026, 6, 29, tzinfo=dt.timezone.utc),
    "managed-config/bronze/config-tool-tests": dt.datetime(2026, 9, 14, tzinfo=dt.timezone.utc),
}
START = {"ingress-api/iron/splitter-latency": 0.62}


def _share(*parts: str) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _met(value: float, threshold: str, limit: float, held: bool) -> bool:
    """Whether ``value`` meets ``threshold``; ``held`` where it names no comparison."""
    op = direction(threshold)
    if op is None:
        return held
    return {"<": value < limit, "<=": value <= limit, ">": value > limit, ">=": value >= limit}[op]


def _walk(bench: dict[str, Any], when: dt.datetime, since: dt.datetime) -> None:
    """The benchmark's points as they would have been at ``when``; its outcome judged again."""
    span = (LAST - since).total_seconds() or 1.0
    progress = min(1.0, max(0.0, (when - since).total_seconds() / span))
    ok = True
    for point in bench["points"]:
        if point["value"] is None:
            continue
        falling = (direction(point["threshold"]) or "").startswith(">")  # toward a floor
        share = _share(bench["ref"], point["series"], point["threshold"])
        start = START.get(bench["ref"], 1 + 0.4 * share if falling else 0.6 + 0.35 * share)
        noise = 0.03 * math.sin(7 * progress + 10 * _share(point["series"], point["threshold"]))
        scale = (start + (1 - start) * progress) * (1 + noise * (1 - progress))
        dimension = Dimension(point["dimension"])
        value = point["value"] * scale
        if dimension is Dimension.COUNT:
            value = float(round(value))
        elif dimension is Dimension.RATIO:
            value = min(value, 1.0)  # a ratio stays a ratio
        if progress < 1:  # today's line is today's evaluation as it is
            point["value"], point["actual"] = value, format_value(value, dimension)
        if point["limit"] is not None:
            point["ok"] = _met(point["value"], point["threshold"], point["limit"], point["ok"])
        ok = ok and point["ok"]
    if bench["outcome"] in ("pass", "fail") and bench["points"] and progress < 1:
        bench["outcome"] = "pass" if ok else "fail"
        bench["summary"] = "; ".join(
            f"{p['actual']} ({'meets' if p['ok'] else 'does not meet'} {p['threshold']!r})"
            for p in bench["points"]
        )


def _line(base: dict[str, Any], when: dt.datetime, number: int, order: list[str]) -> str:
    line = json.loads(json.dumps(base))
    commit = hashlib.sha1(f"kmta example push {number}".encode()).hexdigest()
    line.update(key=f"{commit}:example:1", commit=commit, date=moment(when))
    for bench in line["benchmarks"]:
        phase = bench["ref"].split("/")[1]
        if when < EVIDENCE_FROM[phase]:
            bench.update(outcome="missing", summary="no evidence yet", points=[])
            continue
        _walk(bench, when, EVIDENCE_FROM[phase])
        if when < PASSING_FROM.get(bench["ref"], FIRST):
            bench.update(outcome="fail", summary="not passing yet (illustrative)")
    held = {bench["ref"].split("/")[1] for bench in line["benchmarks"]
            if bench["outcome"] not in ("pass", "waived")}  # fmt: skip
    passing = True
    for phase in line["phases"]:
        passing = passing and phase["id"] not in held
        phase["gate"] = "passed" if passing else "failed"
    reached = [p["id"] for p in line["phases"] if p["gate"] == "passed"]
    line["stands_at"] = reached[-1] if reached else None
    line["verdict"] = "passed" if "iron" in reached else "failed"
    assert [p["id"] for p in line["phases"]] == order
    return dumps(line)


def write(out: Path) -> list[Path]:
    matrix = read_matrix(HERE / "gatekeeper.yml")
    order = [p.id for p in matrix.phases]
    bases = {}
    for judged in (dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc), LAST):
        report = judge(matrix, HERE, "iron", judged)
        bases[judged] = from_report(
            report, verdict(report, exit_code(report)), commit="-", key="-", when=judged,
            ref="refs/heads/main",
        )  # fmt: skip
    months: dict[str, list[str]] = {}
    when, number = FIRST, 1
    while when <= LAST:
        base = next(b for m, b in sorted(bases.items()) if when <= m)
        months.setdefault(when.strftime("%Y-%m"), []).append(_line(base, when, number, order))
        when, number = when + dt.timedelta(days=7), number + 1
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for month, lines in sorted(months.items()):
        path = out / f"{month}.jsonl"
        path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "history")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
