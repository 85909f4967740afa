"""Statistics of k6 samples, computed the way k6's sinks compute them.

Trend: avg, min, med, max, p(90), p(95) and count, percentiles by linear
interpolation at rank (n-1)p, with the raw samples kept so any p(N) can be asked.
Counter: count (the sum of the values) and rate (count per second of the run).
Rate: rate (share of non-zero values), passes and fails. Gauge: the last value, min, max.
"""

from __future__ import annotations

import heapq
import math
from array import array
from dataclasses import dataclass, field

from gatekeeper.evidence import Metric
from gatekeeper.parsers.load._k6_layout import Filter
from gatekeeper.parsers.load._k6_units import MS, quantity, sample_dimension
from gatekeeper.stats import percentile
from gatekeeper.units import Dimension, Quantity

_SORT_RUN = 1 << 19
"""Samples sorted at a time: sorting needs a list (32 bytes a value), so larger series are
sorted in runs of this size and merged, keeping the transient memory bounded."""


@dataclass(slots=True)
class Series:
    """The samples of one requested series: a metric, restricted to points carrying ``tags``."""

    name: str
    tags: tuple[tuple[str, str], ...]
    needles: Filter | None
    """The tags as k6 writes them, to test a line without decoding it (None: decode)."""
    values: array[float] = field(default_factory=lambda: array("d"))
    """Raw values in k6's units, in file order."""


@dataclass(slots=True)
class Tally:
    """Streaming statistics of one metric, for reading a whole stream without keeping samples."""

    count: int = 0
    total: float = 0.0
    nonzero: int = 0
    low: float = math.inf
    high: float = -math.inf
    last: float = 0.0

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.nonzero += value != 0
        self.low = min(self.low, value)
        self.high = max(self.high, value)
        self.last = value

    def extend(self, values: list[float]) -> None:
        """``add`` each value, with C loops; the sum is rounded once for the run of values."""
        self.count += len(values)
        self.total += math.fsum(values)
        self.nonzero += len(values) - values.count(0.0)
        self.low = min(self.low, min(values))
        self.high = max(self.high, max(values))
        self.last = values[-1]


def series_metric(
    series: Series, kind: str, contains: str, duration: float | None, source: str
) -> Metric:
    """A requested series with its full statistics and, for trends, its sorted samples."""
    values = series.values
    tags = dict(series.tags)
    if not values:  # fail closed: nothing can pass against a series without samples
        return Metric(series.name, tags, kind=kind, source=source, subseries=bool(tags))
    if kind != "trend":
        tally = Tally(len(values), math.fsum(values), len(values) - values.count(0.0))
        tally.low, tally.high, tally.last = min(values), max(values), values[-1]
        return tally_metric(series.name, tags, tally, kind, contains, duration, source)
    ordered = _sorted(values, MS if contains == "time" else 1.0)
    dimension = sample_dimension(contains)
    stats = {
        "avg": Quantity(math.fsum(ordered) / len(ordered), dimension),
        "min": Quantity(ordered[0], dimension),
        "med": Quantity(percentile(ordered, 50), dimension),
        "max": Quantity(ordered[-1], dimension),
        "p(90)": Quantity(percentile(ordered, 90), dimension),
        "p(95)": Quantity(percentile(ordered, 95), dimension),
        "count": Quantity(len(ordered), Dimension.COUNT),
    }
    return Metric(
        name=series.name,
        tags=tags,
        stats=stats,
        kind=kind,
        source=source,
        samples=ordered,
        sample_dimension=dimension,
        subseries=bool(tags),
    )


def tally_metric(
    name: str,
    tags: dict[str, str],
    tally: Tally,
    kind: str,
    contains: str,
    duration: float | None,
    source: str,
) -> Metric:
    """A metric from streaming statistics: everything but a trend's percentiles."""
    if not tally.count:
        return Metric(name, tags, kind=kind, source=source, subseries=bool(tags))
    raw: dict[str, float] = {}
    if kind == "trend":
        raw = {"avg": tally.total / tally.count, "min": tally.low, "max": tally.high}
        raw["count"] = tally.count
    elif kind == "counter":
        raw = {"count": tally.total}
        if duration:  # k6 divides by the run's duration; the stream gives its span
            raw["rate"] = tally.total / duration
    elif kind == "rate":
        passes = tally.nonzero
        raw = {"rate": passes / tally.count, "passes": passes, "fails": tally.count - passes}
    else:
        raw = {"value": tally.last, "min": tally.low, "max": tally.high}
    stats = {stat: quantity(kind, contains, stat, value) for stat, value in raw.items()}
    return Metric(name, tags, stats, kind=kind, source=source, subseries=bool(tags))


def _sorted(values: array[float], factor: float) -> array[float]:
    """The values times ``factor``, ascending, without ever holding them all as a list."""
    runs = []
    for start in range(0, len(values), _SORT_RUN):
        run = values[start : start + _SORT_RUN]
        ordered = sorted(run) if factor == 1.0 else sorted(map(factor.__mul__, run))
        runs.append(array("d", ordered))
    return runs[0] if len(runs) == 1 else array("d", heapq.merge(*runs))
