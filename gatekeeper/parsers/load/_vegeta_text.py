"""vegeta's ``report -type=text``: rows of ``Label  [key, key, ...]  value, value, ...``.

The bracketed keys name the values, so a row with more or fewer columns (older vegeta
printed no 90th percentile) is read by its own labels. Durations are Go's
(``1m2.5s``, ``145.08ms``, ``850µs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers._text import line_error, pkey, read_record, record_shape, strict_number
from gatekeeper.units import Dimension, Quantity

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
# vegeta's text reporter prints these rows and columns and no others; a column that is not
# published (None) is still read, so a broken value in it is not passed over.
_COLUMNS: dict[tuple[str, str], tuple[str | None, Dimension]] = {
    ("Requests", "total"): ("count", Dimension.COUNT),
    ("Requests", "rate"): ("request_rate", Dimension.THROUGHPUT),
    ("Requests", "throughput"): ("throughput", Dimension.THROUGHPUT),
    ("Duration", "total"): (None, Dimension.TIME),
    ("Duration", "attack"): ("duration", Dimension.TIME),
    ("Duration", "wait"): ("wait", Dimension.TIME),
    ("Latencies", "min"): ("min", Dimension.TIME),
    ("Latencies", "mean"): ("avg", Dimension.TIME),
    ("Latencies", "max"): ("max", Dimension.TIME),
    ("Bytes In", "total"): ("bytes_in", Dimension.SIZE),
    ("Bytes In", "mean"): (None, Dimension.SIZE),
    ("Bytes Out", "total"): ("bytes_out", Dimension.SIZE),
    ("Bytes Out", "mean"): (None, Dimension.SIZE),
    ("Success", "ratio"): ("success", Dimension.RATIO),
}
_LABELS = frozenset({label for label, _ in _COLUMNS} | {"Status Codes"})
_ROW = record_shape(
    "report row",
    rf"^(?:{'|'.join(sorted(_LABELS))})\b|^[A-Z][A-Za-z ]*?\s+\[",
    r"(?P<label>[A-Z][A-Za-z ]*?)\s+\[(?P<keys>[^\]]*)\](?:\s+(?P<values>.*?))?\s*",
    "'Label  [key, key, ...]  value, value, ...'",
)
_STATUS_COUNT = re.compile(r"\d+:\d+")
_ERROR_SET = "Error Set:"
"""Its rows are the errors' texts, in the words of whatever failed."""


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
        value = strict_number(text.removesuffix("%")) if text.endswith("%") else None
        return None if value is None else value * 0.01
    return strict_number(text)


def read_text_report(lines: Iterable[tuple[int, str]], display: str) -> dict[str, Quantity]:
    """The statistics of a text report, every row of which must be one vegeta prints."""
    stats: dict[str, Quantity] = {}
    for lineno, line in lines:
        if line.rstrip() == _ERROR_SET:
            break
        record = read_record((_ROW,), line, display, lineno)
        if record is not None:
            stats.update(_row(record[1], display, lineno))
    if "count" not in stats:
        raise EvidenceError(
            Position(display), "not a vegeta report: no 'Requests [total, ...]' row"
        )
    return stats


def _row(row: re.Match[str], display: str, lineno: int) -> dict[str, Quantity]:
    label = row["label"].strip()
    if label not in _LABELS:
        known = ", ".join(sorted(_LABELS))
        raise line_error(display, lineno, f"{label!r} is not a row vegeta prints ({known})")
    keys = [key.strip() for key in row["keys"].split(",")]
    text = row["values"] or ""
    if label == "Status Codes":
        if keys != ["code:count"] or not all(map(_STATUS_COUNT.fullmatch, text.split())):
            raise line_error(display, lineno, "Status Codes: expected 'CODE:COUNT' pairs")
        return {}
    values = text.split(", ")  # as vegeta joins them: a space in a value is not vegeta's
    if any(not value or any(c.isspace() for c in value) for value in values):
        raise line_error(display, lineno, f"{label}: expected values separated by ', '")
    if len(values) != len(keys):
        message = f"{label}: {len(keys)} columns named but {len(values)} values given"
        raise line_error(display, lineno, message)
    stats: dict[str, Quantity] = {}
    for key, value_text in zip(keys, values, strict=True):
        column = _COLUMNS.get((label, key))
        if column is None and label == "Latencies" and key.replace(".", "", 1).isdigit():
            column = (pkey(float(key)), Dimension.TIME)
        if column is None:
            message = f"{label}: {key!r} is not a column vegeta prints in this row"
            raise line_error(display, lineno, message)
        stat, dimension = column
        value = _value(value_text, dimension)
        if value is None:
            message = f"{label} {key}: cannot read {value_text!r} as {dimension.value}"
            raise line_error(display, lineno, message)
        if stat is not None:
            stats[stat] = Quantity(value, dimension)
    return stats
