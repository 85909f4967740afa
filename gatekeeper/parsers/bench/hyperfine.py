"""hyperfine ``--export-json`` files: one metric per benchmarked command, times in seconds.

hyperfine keeps every run's wall-clock time in ``times``; they become the metric's samples,
so any p(N) can be asked of a command. Parameter-scan values become tags. ``exit_codes``
(one per run; non-zero only when ``--ignore-failure`` let failing runs through) give
``error_rate``, and any non-zero code is a failure the tool recorded: the command did not do
its work. Exit codes that do not pair one-to-one with ``times`` are refused.
"""

from __future__ import annotations

import array
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.units import Dimension, Quantity

NAME = "hyperfine"

# hyperfine's field -> the statistic names it is published under (k6 spelling first).
_TIME_FIELDS: dict[str, tuple[str, ...]] = {
    "mean": ("avg", "mean"),
    "median": ("med", "median"),
    "stddev": ("stddev",),
    "min": ("min",),
    "max": ("max",),
    "user": ("user",),
    "system": ("system",),
}


def detect_json(document: object) -> bool:
    """An object whose ``results`` list starts with an object naming its ``command``."""
    results = document.get("results") if isinstance(document, dict) else None
    first = results[0] if isinstance(results, list) and results else None
    return isinstance(first, dict) and "command" in first


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a hyperfine JSON export; each command is a series with its raw run times."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded export."""
    root = _json.expect_object(document, display, "(top level)")
    results = _json.expect_list(root.get("results"), display, "results")
    metrics = tuple(_metric(raw, display, f"results[{index}]") for index, raw in enumerate(results))
    return ParsedFile(path=display, format=NAME, metrics=metrics)


def _metric(raw: object, display: str, where: str) -> Metric:
    result = _json.expect_object(raw, display, where)
    # With --command-name, hyperfine writes the given name here instead of the command line.
    command = _json.expect_str(result.get("command"), display, f"{where}.command")
    times = _samples(result.get("times"), display, f"{where}.times")
    exit_codes = _exit_codes(result, times, display, where)
    tags = _parameters(result.get("parameters"), display, f"{where}.parameters")
    stats: dict[str, Quantity] = {}
    for key, names in _TIME_FIELDS.items():
        # stddev is null after a single run.
        value = _json.number_or_none(result.get(key), display, f"{where}.{key}")
        if value is not None:
            stats.update((name, Quantity(value, Dimension.TIME)) for name in names)
    runs = None if times is None else len(times)
    if runs == 0:
        # Nothing was measured: keep no statistics so nothing can pass against it.
        return Metric(name=command, tags=tags, kind="benchmark", source=display)
    if runs is not None:
        stats["count"] = Quantity(runs, Dimension.COUNT)
    failures: tuple[str, ...] = ()
    if exit_codes:
        # A run killed by a signal has a null exit code; it failed as much as a non-zero one.
        failed = [code for code in exit_codes if code != 0]
        stats["error_rate"] = Quantity(len(failed) / len(exit_codes), Dimension.RATIO)
        if failed:
            failures = (_exits(failed, len(exit_codes)),)
    memory = _samples(result.get("memory_usage_byte"), display, f"{where}.memory_usage_byte")
    if memory:
        stats["memory"] = Quantity(memory[-1], Dimension.SIZE)
    return Metric(
        name=command,
        tags=tags,
        stats=stats,
        kind="benchmark",
        source=display,
        samples=times or (),
        sample_dimension=Dimension.TIME,
        failures=failures,
    )


def _exit_codes(
    result: dict[str, object], times: Sequence[float] | None, display: str, where: str
) -> list[object] | None:
    """The runs' exit codes, one per run in ``times`` as hyperfine writes them (a null is a
    run killed by a signal); None when the export has none (hyperfine before 1.12 wrote
    none, and recorded no failures)."""
    if "exit_codes" not in result:
        return None
    here = f"{where}.exit_codes"
    exit_codes = _json.expect_list(result["exit_codes"], display, here)
    for index, code in enumerate(exit_codes):
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            raise _json.shape_error(display, f"{here}[{index}]", "an exit code or null", code)
    if times is None or len(exit_codes) != len(times):
        timed = "but no times" if times is None else f"for {len(times)} runs in times"
        message = (
            f"{here}: {len(exit_codes)} exit codes {timed}: hyperfine writes one exit code "
            "per timed run, so which runs failed is unknown"
        )
        raise EvidenceError(Position(display), message)
    return exit_codes


def _exits(failed: list[object], runs: int) -> str:
    """hyperfine's failed runs in words: how many, and with which exit codes."""
    codes = sorted({"killed by a signal" if c is None else str(c)[:20] for c in failed})
    shown = ", ".join(codes[:5]) + (", ..." if len(codes) > 5 else "")
    return f"{len(failed)} of {runs} runs exited non-zero (exit code {shown})"


def _samples(raw: object, display: str, where: str) -> array.array[float] | None:
    """A list of numbers, sorted ascending; None when the field is absent."""
    if raw is None:
        return None
    values = _json.expect_list(raw, display, where)
    numbers = [_json.expect_number(v, display, f"{where}[{i}]") for i, v in enumerate(values)]
    return array.array("d", sorted(numbers))


def _parameters(raw: object, display: str, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    found = _json.expect_object(raw, display, where)
    tags: dict[str, str] = {}
    for key, value in _json.members(found):
        # hyperfine writes the values as strings; accept numbers from hand-made files too.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        tags[key] = _json.expect_str(value, display, f"{where}.{key}")
    return tags
