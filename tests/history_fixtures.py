"""Histories for the tests of `gatekeeper history`: lines made by ``records.from_report`` from
the reporters' ``passing`` scenario, judged by the real engine, with its tracking latency and
parse time moved from push to push; and a matrix file with the same phases and benchmarks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from gatekeeper.history.records import dumps, from_report
from gatekeeper.reporters.common import verdict
from tests.reporters.scenarios import passing, read, seconds, series

GONE = "scale/bronze/no-new-findings"
"""In the history, no longer in the matrix file."""


def line(
    p95_ms: float,
    mean_us: float,
    *,
    when: dt.datetime,
    commit: str,
    key: str | None = None,
    run_url: str | None = "https://github.com/o/r/actions/runs/7",
) -> str:
    """One evaluation of the passing scenario with the tracking p95 and the parse mean set."""
    scenario = passing()
    evidence = dict(scenario.evidence)
    evidence["k6"] = read(
        "k6",
        "reports/k6/summary.json",
        series(
            "http_req_duration",
            tags={"scenario": "track"},
            p95=seconds(p95_ms / 1000),
            max=seconds(1.2),
        ),
    )
    evidence["micro"] = read(
        "micro",
        ".benchmarks/0001_parse.json",
        series(
            "test_parse_header", source=".benchmarks/0001_parse.json", avg=seconds(mean_us / 1e6)
        ),
    )
    scenario = dataclasses.replace(scenario, evidence=evidence)
    report = scenario.report
    built = from_report(
        report, verdict(report, scenario.exit_code), commit=commit, key=key or f"{commit}:1:1",
        when=when, ref="refs/heads/main", run_url=run_url,
    )  # fmt: skip
    return dumps(built)


def matrix_file(folder: Path) -> Path:
    """The scenario's phases, swimlanes and benchmarks (but ``GONE``) as a matrix file."""
    matrix = passing().matrix
    lines = ["version: 1", f"project: {matrix.project}", "phase_tags: phase/{phase}", "phases:"]
    lines += [f"  - {{id: {p.id}, name: {p.name}}}" for p in matrix.phases]
    lines += ["artifacts:", '  unit: {format: junit, paths: "reports/*.xml"}', "swimlanes:"]
    for lane in matrix.swimlanes:
        cells = [c for c in matrix.cells if c.swimlane == lane.id and c.benchmarks]
        if not cells:
            continue
        lines += [f"  - id: {lane.id}", f"    name: {lane.name}", "    cells:"]
        for cell in cells:
            kept = [b.id for b in cell.benchmarks if b.ref != GONE]
            lines += [f"      {cell.phase}:", f"        goal: {cell.goal}"]
            lines.append("        benchmarks:")
            lines += [f"          - {{id: {b}, tests: {{from: unit}}}}" for b in kept]
    path = folder / "gatekeeper.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


NOV = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.timezone.utc)
"""The first evaluation; one a week after it."""
P95_MS = (180.0, 190.0, 201.3, 260.0, 240.0, 231.0)
"""The tracking p95 (limit 250 ms) over six pushes: it fails once, at the fourth."""
MEAN_US = (30.0, 31.0, 31.4, 32.0, 33.0, 46.0)
"""The parse mean (limit 50 µs)."""


def six_pushes() -> tuple[list[str], list[str]]:
    """November's lines (four) and December's (two), a week apart from ``NOV``."""
    lines = [
        line(p95, mean, when=NOV + dt.timedelta(days=7 * i), commit=f"{i + 1:x}" * 40)
        for i, (p95, mean) in enumerate(zip(P95_MS, MEAN_US, strict=True))
    ]
    return lines[:4], lines[4:]
