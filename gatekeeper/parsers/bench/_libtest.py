"""libtest's benchmark lines, which ``cargo bench`` and Criterion's ``--output-format bencher``
both print: ``test NAME ... bench:   1,234 ns/iter (+/- 56)`` (optionally ``= 830 MB/s``).
"""

from __future__ import annotations

import re

from gatekeeper.evidence import Metric
from gatekeeper.parsers._text import TIME_SCALE, line_error, number, read_record, record_shape
from gatekeeper.units import UNITS, Dimension, Quantity

_NUMBER = r"[\d,]*\d(?:\.\d+)?"
# `cargo bench --quiet` prints one character per test (. i F) and no newline before
# the next benchmark's line, so such characters may lead it.
_QUIET = r"[.iF]*"
BENCH = record_shape(
    "benchmark",
    r"\.\.\.\s+bench:|/iter\s+\(\+/-",  # how it starts, or the label after its value
    rf"{_QUIET}test (?P<name>\S.*?)\s+\.\.\.\s+bench:\s+(?P<value>{_NUMBER}) (?P<unit>\S+)"
    rf" \(\+/- (?P<dev>{_NUMBER})\)(?: = (?P<rate>{_NUMBER}) (?P<rate_unit>\S+))?\s*",
    "'test NAME ... bench: N UNIT/iter (+/- M)'",
)
"""A measured benchmark."""
FAILED_LINE = re.compile(rf"^{_QUIET}test (?P<name>\S.*?)\s+\.\.\.\s+FAILED\s*$")
"""A benchmark (or test) that panicked: it has no measurement."""


def is_bench_line(line: str) -> bool:
    """Whether a line is a complete libtest benchmark result."""
    return BENCH.whole.fullmatch(line) is not None


def read_line(line: str, lineno: int, display: str) -> Metric | None:
    """The metric a line reports, None for other lines; a broken bench line is an error."""
    failed = FAILED_LINE.match(line)
    if failed is not None:  # a failure the tool recorded, and no statistics
        name = failed["name"]
        said = (f"test {name} ... FAILED",)
        return Metric(name=name, kind="benchmark", source=display, failures=said)
    record = read_record((BENCH,), line, display, lineno)
    if record is None:
        return None
    match = record[1]
    stats = _per_iteration(number(match["value"]), number(match["dev"]), match["unit"])
    if match["rate"] is not None:
        rate = UNITS.get(match["rate_unit"])
        if rate is None or rate[0] is not Dimension.DATA_RATE:
            column = match.start("rate_unit") + 1
            message = f"unknown throughput unit {match['rate_unit']!r}; expected MB/s"
            raise line_error(display, lineno, message, column)
        stats["data_rate"] = Quantity(number(match["rate"]) * rate[1], Dimension.DATA_RATE)
    return Metric(name=match["name"], stats=stats, kind="benchmark", source=display)


def _per_iteration(value: float, deviation: float, unit: str) -> dict[str, Quantity]:
    """Time per iteration in seconds; other units (cycles/iter, custom measurements) are
    kept as plain numbers, since gatekeeper cannot tell what they measure."""
    scale = TIME_SCALE.get(unit.removesuffix("/iter")) if unit.endswith("/iter") else None
    if scale is None:
        return {
            "avg": Quantity(value, Dimension.NUMBER),
            "deviation": Quantity(deviation, Dimension.NUMBER),
        }
    return {
        "avg": Quantity(value * scale, Dimension.TIME),
        "deviation": Quantity(deviation * scale, Dimension.TIME),
    }
