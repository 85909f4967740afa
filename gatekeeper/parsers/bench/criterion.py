"""Criterion.rs: ``estimates.json`` files, console output, and ``--output-format bencher`` lines.

``target/criterion/<id>/new/estimates.json`` holds point estimates and confidence intervals
in nanoseconds but not the benchmark's name: it is read from ``benchmark.json`` beside it,
or else from the directory path. ``sample.json`` beside it, when present, gives the raw
samples (time per iteration), so any p(N) can be asked for.

Console output gives, per benchmark, the estimate of one iteration's time with its
confidence interval (``avg``, ``ci_lower``, ``ci_upper``) and the throughput when the
benchmark declares one. Bencher lines are read as ``cargo-bench`` reads them; format
detection sends a file with only such lines to ``cargo-bench``.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.parsers._text import first_char, head_lines, read_lines
from gatekeeper.parsers.bench import _libtest
from gatekeeper.parsers.bench._criterion_text import ConsoleReader, is_console_line
from gatekeeper.units import Dimension, Quantity

NAME = "criterion"

_NS = 1e-9
# estimates.json key -> statistic names
_ESTIMATES: dict[str, str] = {
    "mean": "avg",
    "median": "med",
    "std_dev": "stddev",
    "median_abs_dev": "mad",
    "slope": "slope",
}
_ESTIMATE_FIELDS = frozenset({"point_estimate", "confidence_interval"})
_LIBTEST_MARKER = re.compile(r"^(?:running \d+ tests?|test result: )")


def detect(head: bytes) -> bool:
    """Console lines only Criterion prints (estimates.json: ``detect_json``)."""
    if _json.sniff(head) is not None:
        return False
    return any(is_console_line(line) for line in head_lines(head))


def detect_json(document: object) -> bool:
    """An estimates.json object: estimates with a point and a confidence interval."""
    return isinstance(document, dict) and any(
        isinstance(estimate, dict) and estimate.keys() >= _ESTIMATE_FIELDS
        for estimate in document.values()
    )


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read estimates.json (by its first character) or a console / bencher log."""
    if first_char(path, display) == "{":
        return parse_json(_json.load(path, display), path, display, wanted)
    return ParsedFile(path=display, format=NAME, metrics=_console(path, display))


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """Read a decoded estimates.json, with benchmark.json and sample.json beside it."""
    return ParsedFile(path=display, format=NAME, metrics=(_estimates(document, path, display),))


def _console(path: Path, display: str) -> tuple[Metric, ...]:
    reader = ConsoleReader(display)
    recognised = False
    failures: dict[int, tuple[str, ...]] = {}  # a bencher line's FAILED, by result index
    for lineno, line in read_lines(path, display):
        bench = _libtest.read_line(line, lineno, display)
        if bench is not None:
            failures[len(reader.results)] = bench.failures
            reader.results.append((bench.name, dict(bench.stats)))
        else:
            reader.feed(line, lineno)
        recognised = recognised or bench is not None or bool(_LIBTEST_MARKER.match(line))
    if not recognised and not reader.results:
        raise EvidenceError(
            Position(display),
            "no Criterion output found: expected 'NAME time: [low estimate high]' lines, "
            "bencher lines, or an estimates.json file",
        )
    return tuple(
        Metric(name, {}, stats, "benchmark", source=display, failures=failures.get(index, ()))
        for index, (name, stats) in enumerate(reader.results)
    )


def _estimates(document: object, path: Path, display: str) -> Metric:
    root = _json.expect_object(document, display, "(top level)")
    if "std_dev" not in root and "median_abs_dev" not in root:
        raise EvidenceError(
            Position(display),
            "this is not an estimates.json of absolute times (no std_dev): Criterion's "
            "change/estimates.json holds relative changes; read new/estimates.json",
        )
    stats: dict[str, Quantity] = {}
    for key, stat in _ESTIMATES.items():
        raw = root.get(key)
        if raw is None:  # slope is null under flat sampling
            continue
        estimate = _json.expect_object(raw, display, key)
        point = _json.expect_number(
            estimate.get("point_estimate"), display, f"{key}.point_estimate"
        )
        stats[stat] = Quantity(point * _NS, Dimension.TIME)
        if key == "mean":
            where = f"{key}.confidence_interval"
            interval = _json.expect_object(estimate.get("confidence_interval"), display, where)
            for bound, name in (("lower_bound", "ci_lower"), ("upper_bound", "ci_upper")):
                value = _json.expect_number(interval.get(bound), display, f"{where}.{bound}")
                stats[name] = Quantity(value * _NS, Dimension.TIME)
    samples = _samples(path.with_name("sample.json"), _sibling(display, "sample.json"))
    return Metric(
        name=_name(path, display),
        stats=stats,
        kind="benchmark",
        source=display,
        samples=samples,
        sample_dimension=Dimension.TIME,
    )


def _sibling(display: str, name: str) -> str:
    head, sep, _ = display.rpartition("/")
    return f"{head}{sep}{name}"


def _name(path: Path, display: str) -> str:
    """benchmark.json's full_id, else the directories between ``criterion/`` and ``new/``."""
    beside = path.with_name("benchmark.json")
    if beside.is_file():
        where = _sibling(display, "benchmark.json")
        info = _json.expect_object(_json.load(beside, where), where, "(top level)")
        return _json.expect_str(info.get("full_id"), where, "full_id")
    folder = path.resolve().parent
    if folder.name in ("new", "base"):
        folder = folder.parent
    parts = folder.parts
    if "criterion" in parts:
        start = len(parts) - parts[::-1].index("criterion")
        if start < len(parts):
            return "/".join(parts[start:])
    return folder.name


def _samples(path: Path, display: str) -> array[float]:
    """Per-iteration times in seconds from sample.json (total time / iterations per sample)."""
    if not path.is_file():
        return array("d")
    root = _json.load(path, display)
    if isinstance(root, list) and len(root) == 2:  # Criterion 0.3 wrote [iters, times]
        root = {"iters": root[0], "times": root[1]}
    root = _json.expect_object(root, display, "(top level)")
    iters = _json.expect_list(root.get("iters"), display, "iters")
    times = _json.expect_list(root.get("times"), display, "times")
    if len(iters) != len(times):
        raise _json.shape_error(display, "times", f"{len(iters)} values like iters", len(times))
    values = array("d")
    for index, (count, total) in enumerate(zip(iters, times, strict=True)):
        n = _json.expect_number(count, display, f"iters[{index}]")
        if n <= 0:
            raise _json.shape_error(display, f"iters[{index}]", "a positive count", count)
        values.append(_json.expect_number(total, display, f"times[{index}]") / n * _NS)
    return array("d", sorted(values))
