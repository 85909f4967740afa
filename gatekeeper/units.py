"""Units and quantities: every measured value is compared in base units.

A threshold written in ms must compare correctly with a value a tool reported
in ns or s, so parsers convert to base units (seconds, bytes, fraction,
per-second) and keep the dimension beside the number.
"""

from __future__ import annotations

import math
from enum import Enum

from gatekeeper.records import record


class Dimension(str, Enum):
    """What a number measures; decides which units may be written against it."""

    TIME = "time"
    """Seconds."""
    RATIO = "ratio"
    """A fraction: 0.01 is 1 %."""
    THROUGHPUT = "throughput"
    """Events per second."""
    SIZE = "size"
    """Bytes."""
    DATA_RATE = "data_rate"
    """Bytes per second."""
    COUNT = "count"
    """A plain number of things (requests, tests, iterations)."""
    NUMBER = "number"
    """A number whose unit the tool did not say (custom metrics)."""


# unit spelling -> (dimension, factor to base unit)
UNITS: dict[str, tuple[Dimension, float]] = {
    "ns": (Dimension.TIME, 1e-9),
    "us": (Dimension.TIME, 1e-6),
    "µs": (Dimension.TIME, 1e-6),
    "μs": (Dimension.TIME, 1e-6),
    "ms": (Dimension.TIME, 1e-3),
    "s": (Dimension.TIME, 1.0),
    "min": (Dimension.TIME, 60.0),
    "h": (Dimension.TIME, 3600.0),
    "%": (Dimension.RATIO, 0.01),
    "/s": (Dimension.THROUGHPUT, 1.0),
    "/min": (Dimension.THROUGHPUT, 1 / 60),
    "ops/s": (Dimension.THROUGHPUT, 1.0),
    "req/s": (Dimension.THROUGHPUT, 1.0),
    "rps": (Dimension.THROUGHPUT, 1.0),
    "B": (Dimension.SIZE, 1.0),
    "kB": (Dimension.SIZE, 1e3),
    "KB": (Dimension.SIZE, 1e3),
    "MB": (Dimension.SIZE, 1e6),
    "GB": (Dimension.SIZE, 1e9),
    "KiB": (Dimension.SIZE, 1024.0),
    "MiB": (Dimension.SIZE, 1024.0**2),
    "GiB": (Dimension.SIZE, 1024.0**3),
    "B/s": (Dimension.DATA_RATE, 1.0),
    "kB/s": (Dimension.DATA_RATE, 1e3),
    "KB/s": (Dimension.DATA_RATE, 1e3),
    "MB/s": (Dimension.DATA_RATE, 1e6),
    "GB/s": (Dimension.DATA_RATE, 1e9),
}

# How values of a dimension are shown: (unit, factor), largest first.
_DISPLAY: dict[Dimension, tuple[tuple[str, float], ...]] = {
    Dimension.TIME: (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)),
    Dimension.SIZE: (("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("B", 1.0)),
    Dimension.DATA_RATE: (("GB/s", 1e9), ("MB/s", 1e6), ("kB/s", 1e3), ("B/s", 1.0)),
}


@record
class Quantity:
    """A number in the base unit of its dimension."""

    value: float
    """The value in base units (seconds, bytes, fraction, per second)."""
    dimension: Dimension
    """What the value measures."""

    def __str__(self) -> str:
        return format_value(self.value, self.dimension)


def _number(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.0f}" if 1e3 <= abs(value) < 1e15 else f"{value:.4g}"


def format_value(value: float, dimension: Dimension) -> str:
    """Render a base-unit value with a readable unit: 0.2501 s -> '250.1ms'."""
    if dimension is Dimension.RATIO:
        return f"{_number(round(value * 100, 4))}%"
    if dimension is Dimension.THROUGHPUT:
        return f"{_number(value)}/s"
    scales = _DISPLAY.get(dimension)
    if scales is None or value == 0 or math.isnan(value) or math.isinf(value):
        suffix = {Dimension.TIME: "s", Dimension.SIZE: "B", Dimension.DATA_RATE: "B/s"}
        return _number(value) + suffix.get(dimension, "")
    for unit, factor in scales:
        if abs(value) >= factor:
            return f"{_number(round(value / factor, 4))}{unit}"
    unit, factor = scales[-1]
    return f"{_number(round(value / factor, 4))}{unit}"


def fraction(value: float, low: float, high: float) -> float:
    """Where ``value`` is from ``low`` (0) to ``high`` (1); -1e308 to 1e308 is a span past a
    float's range: then in halves (a coordinate of NaN or infinity draws nothing and makes
    the browser log an error)."""
    if math.isfinite(high - low):
        return (value - low) / (high - low)
    return (value / 2 - low / 2) / (high / 2 - low / 2)
