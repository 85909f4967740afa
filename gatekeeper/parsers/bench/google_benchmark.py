"""Google Benchmark ``--benchmark_format=json`` / ``--benchmark_out`` files.

Every row names its run (``run_name``): one iteration row per repetition and, with
``--benchmark_repetitions``, aggregate rows (mean, median, stddev, cv, user statistics).
Each run becomes these series, so a selector without tags means the run itself:

- ``name`` (no tags): the run. Its avg is the mean aggregate when there is one, else the
  single iteration row; med, stddev and cv come from their aggregates; min, max, count and
  iterations from the iteration rows, whose real times are its samples (any p(N)).
- ``name{aggregate:mean}`` and so on: one aggregate row as the tool wrote it. The cv row
  (``aggregate_unit: percentage``) is a ratio, not a time.
- ``name{repetition:N}``: one repetition's iteration row, when there are several.

A run with an errored or skipped row keeps no statistics, so nothing passes against it; an
errored one (``error_occurred``) also carries the library's ``error_message`` as a failure
the tool recorded, so a benchmark judging it fails rather than waits for evidence.
"""

from __future__ import annotations

import array
import math
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.parsers._times import recorded_iso
from gatekeeper.parsers.bench._google_benchmark_rows import Row, read_row
from gatekeeper.units import Dimension, Quantity

NAME = "google-benchmark"

_CONTEXT_KEYS = ("num_cpus", "mhz_per_cpu", "library_build_type", "caches")
# An aggregate's name -> the canonical statistic its value also answers to.
_CANONICAL = {"mean": "avg", "median": "med", "stddev": "stddev", "cv": "cv"}


def detect_json(document: object) -> bool:
    """An object whose ``context`` describes the machine as the library does, or whose
    ``benchmarks`` rows carry the library's ``run_type``."""
    if not isinstance(document, dict) or not isinstance(document.get("context"), dict):
        return False
    context: dict[str, object] = document["context"]
    if any(key in context for key in _CONTEXT_KEYS):
        return True
    rows = document.get("benchmarks")
    return isinstance(rows, list) and any(isinstance(r, dict) and "run_type" in r for r in rows)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a Google Benchmark JSON file; see the module docstring for the series."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded file."""
    root = _json.expect_object(document, display, "(top level)")
    raw_rows = _json.expect_list(root.get("benchmarks"), display, "benchmarks")
    runs: dict[str, list[Row]] = {}
    for index, raw in enumerate(raw_rows):
        row = read_row(raw, display, f"benchmarks[{index}]")
        runs.setdefault(row.run_name, []).append(row)
    metrics: list[Metric] = []
    for run_name, rows in runs.items():
        metrics.extend(_series(run_name, rows, display))
    # context.date: the run's start, local time ("2019-11-29 21:26:59") in older releases,
    # with its offset in newer ones; a zone-less one is the earliest moment it can name
    context = root.get("context")
    date = context.get("date") if isinstance(context, dict) else None
    measured_at, time_error = recorded_iso(date, display, "context.date")
    return ParsedFile(
        path=display,
        format=NAME,
        metrics=tuple(metrics),
        measured_at=measured_at,
        time_error=time_error,
    )


def _series(run_name: str, rows: list[Row], display: str) -> list[Metric]:
    iterations = [r for r in rows if r.aggregate is None]
    aggregates = {r.aggregate: r for r in rows if r.aggregate is not None}
    if len(aggregates) != len(rows) - len(iterations):
        names = [r.aggregate for r in rows if r.aggregate is not None]
        twice = next(n for n in names if names.count(n) > 1)
        message = f"benchmark {run_name!r} has two {twice!r} aggregate rows"
        raise EvidenceError(Position(display), message)
    failed = any(r.failed for r in rows)
    errors = tuple(dict.fromkeys(r.error for r in rows if r.error is not None))
    found: list[Metric] = []
    if iterations or "mean" in aggregates:
        stats = {} if failed else _run_stats(iterations, aggregates)
        times = sorted(r.real_time for r in iterations if r.real_time is not None)
        samples = array.array("d", times)
        found.append(_metric(run_name, {}, stats, display, () if failed else samples, errors))
    if len(iterations) > 1:
        for row in iterations:
            tags = {"repetition": str(row.repetition)}
            found.append(_metric(run_name, tags, _row_stats(row), display, (), errors))
    for name, row in aggregates.items():
        tags = {"aggregate": str(name)}
        found.append(_metric(run_name, tags, _row_stats(row), display, (), errors))
    return found


def _metric(
    name: str,
    tags: dict[str, str],
    stats: dict[str, Quantity],
    display: str,
    samples: Sequence[float] = (),
    failures: tuple[str, ...] = (),
) -> Metric:
    return Metric(
        name=name,
        tags=tags,
        stats=stats,
        kind="benchmark",
        source=display,
        samples=samples,
        sample_dimension=Dimension.TIME,
        failures=failures,
        subseries=bool(tags),  # a repetition or aggregate row of the run
    )


def _row_stats(row: Row) -> dict[str, Quantity]:
    """One row as written: its Time column, CPU column and counters."""
    if row.failed:
        return {}
    stats = dict(row.counters)
    if row.real_time is not None:
        real = Quantity(row.real_time, row.dimension)
        stats["real_time"] = real
        canonical = "avg" if row.aggregate is None else _CANONICAL.get(row.aggregate)
        if canonical is not None:
            stats[canonical] = real
    if row.cpu_time is not None:
        stats["cpu_time"] = Quantity(row.cpu_time, row.dimension)
    if row.aggregate is None:
        stats["count"] = Quantity(1, Dimension.COUNT)
        if row.iterations is not None:
            stats["iterations"] = Quantity(row.iterations, Dimension.COUNT)
    elif row.iterations is not None:
        # An aggregate's "iterations" is how many repetitions it summarises.
        stats["count"] = Quantity(row.iterations, Dimension.COUNT)
    return stats


def _run_stats(iterations: list[Row], aggregates: dict[str, Row]) -> dict[str, Quantity]:
    """The run as a whole, from its mean aggregate (or only row) and its other aggregates."""
    base = aggregates.get("mean") or (iterations[0] if len(iterations) == 1 else None)
    stats: dict[str, Quantity] = {}
    if base is not None:
        stats.update(_row_stats(base))
    else:  # several repetitions, but the file carries no mean: average them here
        for key in ("real_time", "cpu_time"):
            values = [getattr(r, key) for r in iterations if getattr(r, key) is not None]
            if values:
                stats[key] = Quantity(math.fsum(values) / len(values), Dimension.TIME)
        if "real_time" in stats:
            stats["avg"] = stats["real_time"]
    for name, canonical in _CANONICAL.items():
        row = aggregates.get(name)
        if name != "mean" and row is not None and row.real_time is not None:
            stats[canonical] = Quantity(row.real_time, row.dimension)
    times = [r.real_time for r in iterations if r.real_time is not None]
    if times:
        stats["min"] = Quantity(min(times), Dimension.TIME)
        stats["max"] = Quantity(max(times), Dimension.TIME)
    if iterations:
        stats["count"] = Quantity(len(iterations), Dimension.COUNT)
        total = sum(r.iterations or 0 for r in iterations)
        stats["iterations"] = Quantity(total, Dimension.COUNT)
    elif base is not None:
        stats["count"] = Quantity(base.repetitions, Dimension.COUNT)
        stats.pop("iterations", None)
    return stats
