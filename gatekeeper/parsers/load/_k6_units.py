"""k6 values in base units: which statistics are times, sizes, ratios or counts.

Shared by the k6 summary parsers and the k6 stream parser: k6 writes times in
milliseconds and says what a metric ``contains`` (time, data or default).
"""

from __future__ import annotations

from gatekeeper.units import Dimension, Quantity

KINDS = ("trend", "rate", "counter", "gauge")
"""k6's metric types."""
CONTAINS = ("default", "time", "data")
"""What a k6 metric's values are."""
MS = 1e-3
"""Seconds per millisecond: every k6 time is in ms."""


def quantity(kind: str, contains: object, stat: str, value: float) -> Quantity:
    """One k6 statistic of a metric of ``kind`` that ``contains`` time/data/default values."""
    if kind == "rate":
        if stat in ("passes", "fails"):
            return Quantity(value, Dimension.COUNT)
        return Quantity(value, Dimension.RATIO)
    if kind == "counter":
        if contains == "data":
            dim = Dimension.DATA_RATE if stat == "rate" else Dimension.SIZE
            return Quantity(value, dim)
        if stat == "rate":
            return Quantity(value, Dimension.NUMBER if contains == "time" else Dimension.THROUGHPUT)
        if contains == "time":
            return Quantity(value * MS, Dimension.TIME)
        return Quantity(value, Dimension.COUNT)
    if kind == "trend" and stat == "count":
        return Quantity(value, Dimension.COUNT)
    if contains == "time":
        return Quantity(value * MS, Dimension.TIME)
    if contains == "data":
        return Quantity(value, Dimension.SIZE)
    return Quantity(value, Dimension.NUMBER)


def sample_dimension(contains: object) -> Dimension:
    """What the raw values of a metric measure, once converted to base units."""
    if contains == "time":
        return Dimension.TIME
    return Dimension.SIZE if contains == "data" else Dimension.NUMBER
