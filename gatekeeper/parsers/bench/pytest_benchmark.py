"""pytest-benchmark ``--benchmark-json`` files: one metric per benchmark, times in seconds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
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
    """Read a pytest-benchmark JSON file; the raw ``data`` samples are ignored."""
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
    return ParsedFile(path=display, format=NAME, metrics=metrics)


def _metric(raw: object, display: str, where: str) -> Metric:
    bench = _json.expect_object(raw, display, where)
    name = _json.expect_str(bench.get("name"), display, f"{where}.name")
    fullname = bench.get("fullname")
    aliases = (_json.expect_str(fullname, display, f"{where}.fullname"),) if fullname else ()
    return Metric(
        name=name,
        tags=_tags(bench, display, where),
        stats=_stats(bench.get("stats"), display, f"{where}.stats"),
        kind="benchmark",
        aliases=aliases,
        source=display,
    )


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
