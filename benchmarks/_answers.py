"""What the load-file benchmarks compare: each series' figures, as gatekeeper prints them.

gatekeeper's answer is its JSON report (``check --format json``): every threshold's
measured ``actual``, per series. An alternative script prints its raw numbers; they are
written here with gatekeeper's own formatting (``units.format_value``, four significant
digits), so equal answers mean the same counts and the same percentiles to the digits
a report shows. The matrix the gatekeeper contender checks is written here too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from gatekeeper.units import Dimension, format_value

Answer = dict[str, dict[str, str]]
"""Series -> statistic (``count``, ``fails``, ``p(95)``) -> the value as a report shows it."""


def write_matrix(evidence: Path, format_name: str, benchmarks: Mapping[str, str],
                 thresholds: Sequence[str]) -> Path:  # fmt: skip
    """A one-phase matrix beside ``evidence`` whose benchmarks (id -> metric selector) read it."""
    path = evidence.with_name(evidence.name + ".gatekeeper.yml")
    listed = "\n".join(
        f"          - id: {bench_id}\n"
        f"            metric: {{from: load, name: {json.dumps(name)}}}\n"
        f"            threshold: {json.dumps(list(thresholds))}"
        for bench_id, name in benchmarks.items()
    )
    path.write_text(
        "version: 1\ncurrent: run\nphases:\n  - {id: run, name: Run, theme: benchmark}\n"
        f"artifacts:\n  load: {{format: {format_name}, paths: [{json.dumps(evidence.name)}]}}\n"
        "swimlanes:\n  - id: load\n    name: Load\n    cells:\n      run:\n"
        f"        goal: the benchmark's figures\n        benchmarks:\n{listed}\n",
        encoding="utf-8",
    )
    return path


def from_report(stdout: str) -> Answer:
    """Every measured value of a ``check --format json`` report, by series and statistic."""
    found: Answer = {}
    for cell in json.loads(stdout)["cells"]:
        for benchmark in cell["benchmarks"]:
            for measured in benchmark["measurements"]:
                statistic = measured["threshold"].split()[0]
                found.setdefault(measured["series"], {})[statistic] = measured["actual"]
    return found


def count(value: int) -> str:
    return format_value(value, Dimension.COUNT)


def seconds(value: float | None) -> str:
    return "none" if value is None else format_value(value, Dimension.TIME)
