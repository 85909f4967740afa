"""vegeta's ``report -type=text``: rows of ``Label  [key, key, ...]  value, value, ...``.

The bracketed keys name the values, so a row with more or fewer columns (older vegeta
printed no 90th percentile) is read by its own labels. Durations are Go's
(``1m2.5s``, ``145.08ms``, ``850µs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers._text import line_error, pkey
from gatekeeper.units import Dimension, Quantity

_ROW = re.compile(r"^(?P<label>[A-Z][A-Za-z ]*?)\s+\[(?P<keys>[^\]]*)\]\s+(?P<values>.*?)\s*$")
_GO_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)")
_GO_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}

# (row label, column key) -> (statistic, dimension); latency percentiles are added below.
_COLUMNS: dict[tuple[str, str], tuple[str, Dimension]] = {
    ("Requests", "total"): ("count", Dimension.COUNT),
    ("Requests", "rate"): ("request_rate", Dimension.THROUGHPUT),
    ("Requests", "throughput"): ("throughput", Dimension.THROUGHPUT),
    ("Duration", "attack"): ("duration", Dimension.TIME),
    ("Duration", "wait"): ("wait", Dimension.TIME),
    ("Latencies", "min"): ("min", Dimension.TIME),
    ("Latencies", "mean"): ("avg", Dimension.TIME),
    ("Latencies", "max"): ("max", Dimension.TIME),
    ("Bytes In", "total"): ("bytes_in", Dimension.SIZE),
    ("Bytes Out", "total"): ("bytes_out", Dimension.SIZE),
    ("Success", "ratio"): ("success", Dimension.RATIO),
}


def go_duration(text: str) -> float | None:
    """Seconds of a Go duration string, or None when it is not one."""
    parts = _GO_PART.findall(text)
    if not parts or "".join(v + u for v, u in parts) != text:
        return None
    return sum(float(value) * _GO_UNITS[unit] for value, unit in parts)


def _value(text: str, dimension: Dimension) -> float | None:
    if dimension is Dimension.TIME:
        return go_duration(text)
    if dimension is Dimension.RATIO:
        text = text.removesuffix("%")
        factor = 0.01
    else:
        factor = 1.0
    try:
        return float(text) * factor
    except ValueError:
        return None


def read_text_report(lines: Iterable[tuple[int, str]], display: str) -> dict[str, Quantity]:
    """The statistics of a text report; rows it does not know are skipped."""
    stats: dict[str, Quantity] = {}
    for lineno, line in lines:
        row = _ROW.match(line)
        if row is None:
            continue
        label = row["label"].strip()
        keys = [key.strip() for key in row["keys"].split(",")]
        if label == "Status Codes":
            continue
        values = [value.strip() for value in row["values"].split(",")]
        if len(values) != len(keys):
            message = f"{label}: {len(keys)} columns named but {len(values)} values given"
            raise line_error(display, lineno, message)
        for key, text in zip(keys, values, strict=True):
            column = _COLUMNS.get((label, key))
            if column is None and label == "Latencies" and key.replace(".", "", 1).isdigit():
                column = (pkey(float(key)), Dimension.TIME)
            if column is None:
                continue
            stat, dimension = column
            value = _value(text, dimension)
            if value is None:
                message = f"{label} {key}: cannot read {text!r} as {dimension.value}"
                raise line_error(display, lineno, message)
            stats[stat] = Quantity(value, dimension)
    if "count" not in stats:
        raise EvidenceError(
            Position(display), "not a vegeta report: no 'Requests [total, ...]' row"
        )
    return stats
