"""Benchmark.js console lines: ``NAME x 1,234,567 ops/sec ±1.23% (89 runs sampled)``.

Each line becomes a metric with ``throughput`` (operations per second), ``avg`` (its
inverse: Benchmark.js computes ops/sec as 1 / mean time), ``rme`` (the relative margin
of error, as a ratio: 1.23 % is 0.0123) and ``count`` (the runs sampled). Other lines
(``Fastest is ...``, a runner's own messages) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers._text import head_lines, number, read_lines, read_record, record_shape
from gatekeeper.units import Dimension, Quantity

NAME = "benchmarkjs"

# The name may itself contain " x ", so the last " x <number> ops/sec" splits it. A line
# with either label, ops/sec or runs sampled, is a result: whole, or refused.
_RESULT = record_shape(
    "result",
    r"ops/sec|runs? sampled\)",
    r"(?P<name>\S.*) x (?P<hz>[\d,]*\d(?:\.\d+)?) ops/sec (?:±|\+/-|\+-) ?"
    r"(?P<rme>\d+(?:\.\d+)?)% \((?P<runs>\d+) runs? sampled\)\s*",
    "'NAME x N ops/sec ±X% (K runs sampled)'",
)


def detect(head: bytes) -> bool:
    """At least one line of Benchmark.js's result shape."""
    return any(_RESULT.whole.fullmatch(line) for line in head_lines(head))


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every result line; a file without one is not Benchmark.js output."""
    metrics: list[Metric] = []
    for lineno, line in read_lines(path, display):
        record = read_record((_RESULT,), line, display, lineno)
        if record is not None:
            metrics.append(_metric(record[1], display))
    if not metrics:
        raise EvidenceError(
            Position(display),
            "no Benchmark.js result found: expected 'NAME x N ops/sec ±X% (K runs sampled)' lines",
        )
    return ParsedFile(path=display, format=NAME, metrics=tuple(metrics))


def _metric(match: re.Match[str], display: str) -> Metric:
    hz = number(match["hz"])
    runs = int(match["runs"])
    stats: dict[str, Quantity] = {}
    if runs > 0 and hz > 0:  # zero runs means nothing was measured: fail closed
        stats = {
            "throughput": Quantity(hz, Dimension.THROUGHPUT),
            "avg": Quantity(1 / hz, Dimension.TIME),
            "rme": Quantity(float(match["rme"]) / 100, Dimension.RATIO),
            "count": Quantity(runs, Dimension.COUNT),
        }
    return Metric(name=match["name"].strip(), stats=stats, kind="benchmark", source=display)
