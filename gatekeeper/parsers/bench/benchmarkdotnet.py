"""BenchmarkDotNet's JSON exporter (``--exporters json``; the full flavour carries measurements).

One series per benchmark, named ``Namespace.Type.Method`` (aliases: ``Type.Method`` and
the exporter's ``FullName``), with the benchmark's parameters and its job as tags.
``Statistics`` (nanoseconds per operation) give ``avg``, ``med``, ``min``, ``max``,
``stddev``, ``q1``, ``q3``, ``iqr``, ``p(N)`` from ``Percentiles``, ``count`` (N), ``error``
(BenchmarkDotNet's Error column: the half-width of its 99.9 % confidence interval) and
``throughput`` (operations per second: 1 / mean). ``Memory`` gives ``allocated`` (bytes per
operation) and ``gen0`` / ``gen1`` / ``gen2`` (collections per 1,000 operations, as the
summary table shows them). The ``Result`` measurements of the workload (time / operations)
are the samples. A benchmark without statistics (it failed) has none, so nothing passes,
and that is a failure the tool recorded.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.parsers.bench._bdn_stats import memory_stats, statistics
from gatekeeper.units import Dimension

NAME = "benchmarkdotnet"

_NS = 1e-9
# The JSON exporter writes the enums IterationMode and IterationStage by name (Engines/
# IterationMode.cs, IterationStage.cs); a sample is a Workload measurement of the Result
# stage. Before 0.11 there was no stage and the mode alone said it: "Result" (MainTarget
# less IdleTarget); 0.9 spelt the modes differently.
_MODES = ("Overhead", "Workload", "Unknown")
_STAGES = ("Unknown", "Jitting", "Pilot", "Warmup", "Actual", "Result", "Extra")
_LEGACY_MODES = (
    *("Pilot", "IdleWarmup", "IdleTarget", "MainWarmup", "MainTarget", "Result", "Unknown"),
    *("MainJitting", "IdleJitting", "WarmupIdle", "TargetIdle", "Warmup", "Target"),
)


def detect_json(document: object) -> bool:
    """An object with BenchmarkDotNet's ``HostEnvironmentInfo`` block."""
    return isinstance(document, dict) and "HostEnvironmentInfo" in document


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every benchmark of the report."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded report."""
    root = _json.expect_object(document, display, "(top level)")
    benchmarks = _json.expect_list(root.get("Benchmarks"), display, "Benchmarks")
    metrics = tuple(
        _metric(raw, display, f"Benchmarks[{index}]") for index, raw in enumerate(benchmarks)
    )
    return ParsedFile(path=display, format=NAME, metrics=metrics)


def _text(bench: dict[str, object], key: str, display: str, where: str) -> str:
    value = bench.get(key)
    return "" if value is None else _json.expect_str(value, display, f"{where}.{key}")


def _metric(raw: object, display: str, where: str) -> Metric:
    bench = _json.expect_object(raw, display, where)
    namespace, type_, method = (
        _text(bench, k, display, where) for k in ("Namespace", "Type", "Method")
    )
    if not method:
        raise _json.shape_error(display, f"{where}.Method", "a method name", bench.get("Method"))
    name = ".".join(part for part in (namespace, type_, method) if part)
    aliases = [f"{type_}.{method}"] if type_ and namespace else []
    full_name = _text(bench, "FullName", display, where)
    if full_name and full_name != name:
        aliases.append(full_name)
    stats = statistics(bench.get("Statistics"), display, f"{where}.Statistics")
    samples = _samples(bench.get("Measurements"), display, f"{where}.Measurements")
    if stats:  # memory figures of a benchmark without timings would let it pass
        stats.update(memory_stats(bench.get("Memory"), display, f"{where}.Memory"))
    return Metric(
        name=name,
        tags=_tags(bench, display, where),
        stats=stats,
        kind="benchmark",
        aliases=tuple(aliases),
        source=display,
        samples=samples if stats else (),
        sample_dimension=Dimension.TIME,
        failures=() if stats else ("no Statistics: BenchmarkDotNet measured nothing",),
    )


def _tags(bench: dict[str, object], display: str, where: str) -> dict[str, str]:
    """``Parameters`` is ``A=1&B=x`` (BenchmarkDotNet joins them with '&'); the job is what
    follows ': ' in ``DisplayInfo``, before its settings '(...)' and parameters '[...]'."""
    tags: dict[str, str] = {}
    for pair in filter(None, _text(bench, "Parameters", display, where).split("&")):
        key, equals, value = pair.partition("=")
        if not equals:
            raise _json.shape_error(display, f"{where}.Parameters", "Name=value pairs", pair)
        tags[key.strip()] = value.strip()
    _, colon, rest = _text(bench, "DisplayInfo", display, where).partition(": ")
    job = rest.split("(", 1)[0].split(" [", 1)[0].strip()
    if colon and job:
        tags["job"] = job
    return tags


def _samples(raw: object, display: str, where: str) -> array[float]:
    values = array("d")
    if raw is None:
        return values
    rows = _json.expect_list(raw, display, where)
    staged = any(isinstance(row, dict) and "IterationStage" in row for row in rows)
    for index, item in enumerate(rows):
        here = f"{where}[{index}]"
        row = _json.expect_object(item, display, here)
        if not _is_sample(row, staged, display, here):
            continue
        nanoseconds = _json.expect_number(row.get("Nanoseconds"), display, f"{here}.Nanoseconds")
        operations = _json.expect_number(row.get("Operations"), display, f"{here}.Operations")
        if operations <= 0:
            raise _json.shape_error(display, f"{here}.Operations", "a positive count", operations)
        values.append(nanoseconds / operations * _NS)
    return array("d", sorted(values))


def _is_sample(row: dict[str, object], staged: bool, display: str, where: str) -> bool:
    """Whether a measurement is one of the benchmark's results; a mode or stage outside the
    enums (a byte flipped) is refused, since skipping the measurement moves p(N)."""
    if not staged:  # BenchmarkDotNet before 0.11
        mode = _json.expect_choice(
            row.get("IterationMode"), _LEGACY_MODES, display, f"{where}.IterationMode"
        )
        return mode == "Result"
    mode = _json.expect_choice(row.get("IterationMode"), _MODES, display, f"{where}.IterationMode")
    stage = _json.expect_choice(
        row.get("IterationStage"), _STAGES, display, f"{where}.IterationStage"
    )
    return mode == "Workload" and stage == "Result"
