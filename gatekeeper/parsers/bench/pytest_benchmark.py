"""pytest-benchmark ``--benchmark-json`` files: one metric per benchmark, times in seconds.

With ``--benchmark-save-data`` each benchmark's ``stats.data`` lists the time of every round
(per iteration, in seconds): those are the series' raw samples, sorted, so any p(N) can be
asked and a baseline can be compared at a confidence (``gatekeeper.compare``). Without it the
series has its statistics only.
"""

from __future__ import annotations

import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.parsers._times import recorded_iso
from gatekeeper.units import Dimension, Quantity

NAME = "pytest-benchmark"

# pytest-benchmark's statistic -> the names it is published under (k6 spelling first).
_TIME_STATS: dict[str, tuple[str, ...]] = {
    "min": ("min",),
    "max": ("max",),
    "mean": ("avg",),  # thresholds may still say mean / median: they are aliases
    "median": ("med",),
    "stddev": ("stddev",),
    "iqr": ("iqr",),
    "q1": ("q1",),
    "q3": ("q3",),
}
_OTHER_STATS: dict[str, Dimension] = {
    "ops": Dimension.THROUGHPUT,
    "rounds": Dimension.COUNT,
    "iterations": Dimension.COUNT,
}


def detect_json(document: object) -> bool:
    """An object with pytest-benchmark's ``machine_info``, which no other format here writes."""
    return isinstance(document, dict) and "machine_info" in document


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a pytest-benchmark JSON file; ``stats.data``, when saved, gives the raw samples."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded file."""
    root = _json.expect_object(document, display, "(top level)")
    benchmarks = _json.expect_list(root.get("benchmarks"), display, "benchmarks")
    metrics = tuple(
        _metric(raw, display, f"benchmarks[{index}]") for index, raw in enumerate(benchmarks)
    )
    # pytest-benchmark writes the run's start as datetime.utcnow().isoformat() (UTC, no
    # zone) in older releases, with +00:00 in newer ones: a zone-less one is UTC
    measured_at, time_error = recorded_iso(root.get("datetime"), display, "datetime", "utc")
    return ParsedFile(
        path=display, format=NAME, metrics=metrics, measured_at=measured_at, time_error=time_error
    )


def _metric(raw: object, display: str, where: str) -> Metric:
    bench = _json.expect_object(raw, display, where)
    name = _json.expect_str(bench.get("name"), display, f"{where}.name")
    fullname = bench.get("fullname")
    aliases = (_json.expect_str(fullname, display, f"{where}.fullname"),) if fullname else ()
    stats = _json.expect_object(bench.get("stats"), display, f"{where}.stats")
    return Metric(
        name=name,
        tags=_tags(bench, display, where),
        stats=_stats(stats, display, f"{where}.stats"),
        kind="benchmark",
        aliases=aliases,
        source=display,
        samples=_samples(stats.get("data"), display, f"{where}.stats.data"),
        sample_dimension=Dimension.TIME,
    )


def _samples(raw: object, display: str, where: str) -> array.array[float]:
    """The rounds' times, ascending; none when the data was not saved."""
    if raw is None:
        return array.array("d")
    values: list[Any] = _json.expect_list(raw, display, where)
    # one pass at C speed for the usual all-float list; a value of another type is found
    # and named by the slow path (plausible.py refuses NaN, infinities and negatives)
    if not all(type(value) is float for value in values):
        values = [_json.expect_number(v, display, f"{where}[{i}]") for i, v in enumerate(values)]
    return array.array("d", sorted(values))


def _tags(bench: dict[str, object], display: str, where: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    params = bench.get("params")
    if params is not None:
        for key, value in _json.members(_json.expect_object(params, display, f"{where}.params")):
            tags[key] = str(value)
    group = bench.get("group")
    if group is not None:
        tags["group"] = _json.expect_str(group, display, f"{where}.group")
    return tags


def _stats(raw: object, display: str, where: str) -> dict[str, Quantity]:
    stats = _json.expect_object(raw, display, where)
    out: dict[str, Quantity] = {}
    for key, names in _TIME_STATS.items():
        value = _json.number_or_none(stats.get(key), display, f"{where}.{key}")
        if value is not None:
            out.update((name, Quantity(value, Dimension.TIME)) for name in names)
    for key, dimension in _OTHER_STATS.items():
        value = _json.number_or_none(stats.get(key), display, f"{where}.{key}")
        if value is not None:
            out[key] = Quantity(value, dimension)
    return out
