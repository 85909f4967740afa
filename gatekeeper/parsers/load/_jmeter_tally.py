"""What a JMeter results file adds up to, and the request series made from it.

Both readers (CSV and XML, and the CSV reader's two engines) fill the same
``Tally``: per label, a histogram of elapsed milliseconds, the failure count and
the time span. JMeter records elapsed time in whole milliseconds, so a histogram
is small however many rows the file has, the statistics computed from it are
exact, and the engines agree to the last bit because they share this code.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import overload

from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.selector import name_matches
from gatekeeper.stats import percentile
from gatekeeper.units import Dimension, Quantity

TOTAL = "TOTAL"
"""The name of the series over every sample, as JMeter's Aggregate Report calls its last row."""
MAX_LABELS = 10_000
"""More distinct labels than this is not a load test's request list (ids in labels, usually)."""
MAX_DIGITS = 15
"""elapsed and timeStamp are whole milliseconds; 15 digits reach the year 33658."""


def is_millis(text: str) -> bool:
    """Whether a timeStamp or elapsed value is whole milliseconds, as JMeter writes them."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS


PERCENTILES = (90.0, 95.0, 99.0)
"""Published beside med; any other p(N) comes from the samples."""
_MS = 1000.0


@dataclass
class Series:
    """One label's samples, as they are added up."""

    elapsed: Counter[int] = field(default_factory=Counter)
    """Elapsed milliseconds -> how many samples took that long (empty when not recorded)."""
    count: int = 0
    """Samples seen."""
    fails: int = 0
    """Samples whose success flag is not ``true``."""
    first: int | None = None
    """Earliest start (timeStamp, ms since the epoch), when recorded."""
    last: int | None = None
    """Latest end (timeStamp + elapsed), when recorded."""

    def span(self, start: int, end: int) -> None:
        """Widen the time span to cover a start and an end."""
        if self.first is None or start < self.first:
            self.first = start
        if self.last is None or end > self.last:
            self.last = end


@dataclass
class Tally:
    """Everything one file adds up to, and which columns it recorded."""

    timed: bool
    """Elapsed times were recorded."""
    flagged: bool
    """Success flags were recorded."""
    spanned: bool
    """Start timestamps (and elapsed times) were recorded, so throughput is known."""
    series: dict[str, Series] = field(default_factory=dict)
    """Label -> its series, in the order labels first appear."""

    def get(self, label: str) -> Series | None:
        """The label's series, created on first sight; None past ``MAX_LABELS`` labels."""
        found = self.series.get(label)
        if found is None:
            if len(self.series) >= MAX_LABELS:
                return None
            found = self.series[label] = Series()
        return found


class _Histogram(Sequence[float]):
    """The ascending samples a histogram stands for, without writing them out."""

    def __init__(self, elapsed: Counter[int]) -> None:
        self._values = sorted(elapsed)
        self._ends = list(accumulate(elapsed[v] for v in self._values))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    @overload
    def __getitem__(self, index: int) -> float: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[float]: ...
    def __getitem__(self, index: int | slice) -> float | Sequence[float]:
        if isinstance(index, slice):
            raise TypeError("a histogram is read one sample at a time")
        if index < 0:
            index += len(self)
        # the first value whose cumulative count passes the index
        return self._values[bisect_right(self._ends, index)] / _MS

    def __iter__(self) -> Iterator[float]:
        start = 0
        for value, end in zip(self._values, self._ends, strict=True):
            yield from [value / _MS] * (end - start)
            start = end

    def expand(self) -> array[float]:
        """Every sample, ascending, in seconds."""
        out: array[float] = array("d")
        start = 0
        for value, end in zip(self._values, self._ends, strict=True):
            out += array("d", [value / _MS]) * (end - start)
            start = end
        return out


def metrics(tally: Tally, display: str, wanted: Sequence[SeriesRequest] = ()) -> tuple[Metric, ...]:
    """One request series per label, then TOTAL over every sample."""
    total = Series()
    for series in tally.series.values():
        total.elapsed.update(series.elapsed)
        total.count += series.count
        total.fails += series.fails
        if series.first is not None and series.last is not None:
            total.span(series.first, series.last)
    named = [*tally.series.items(), (TOTAL, total)]
    return tuple(_metric(name, series, tally, display, wanted) for name, series in named)


def _keeps_samples(name: str, wanted: Sequence[SeriesRequest]) -> bool:
    # Raw samples cost 8 bytes each; keep them for the series the matrix asks about.
    return not wanted or any(not r.tags and name_matches(name, r.name) for r in wanted)


def _metric(
    name: str, series: Series, tally: Tally, display: str, wanted: Sequence[SeriesRequest]
) -> Metric:
    if not series.count:  # fail closed: nothing can pass against no samples
        return Metric(name=name, kind="request", source=display)
    stats: dict[str, Quantity] = {"count": Quantity(series.count, Dimension.COUNT)}
    failures: tuple[str, ...] = ()
    if tally.flagged:
        stats["fails"] = Quantity(series.fails, Dimension.COUNT)
        stats["error_rate"] = Quantity(series.fails / series.count, Dimension.RATIO)
        if series.fails >= series.count:
            # The times of requests that all failed (a 500 in 2 ms) say nothing of the
            # service: a failure JMeter recorded, as for the other load tools.
            failures = (f"every request failed ({series.fails} of {series.count})",)
    samples: Sequence[float] = ()
    if tally.timed:
        ordered = _Histogram(series.elapsed)
        total_ms = sum(value * seen for value, seen in series.elapsed.items())
        stats["avg"] = Quantity(total_ms / (series.count * _MS), Dimension.TIME)
        stats["min"] = Quantity(ordered[0], Dimension.TIME)
        stats["max"] = Quantity(ordered[-1], Dimension.TIME)
        stats["med"] = Quantity(percentile(ordered, 50), Dimension.TIME)
        for p in PERCENTILES:
            stats[f"p({p:g})"] = Quantity(percentile(ordered, p), Dimension.TIME)
        if _keeps_samples(name, wanted):
            samples = ordered.expand()
    span = _span_seconds(series) if tally.spanned else None
    if span:
        stats["throughput"] = Quantity(series.count / span, Dimension.THROUGHPUT)
    return Metric(
        name=name,
        stats=stats,
        kind="request",
        source=display,
        samples=samples,
        sample_dimension=Dimension.TIME,
        failures=failures,
    )


def _span_seconds(series: Series) -> float | None:
    """From the first start to the last end, as JMeter's Aggregate Report measures it."""
    if series.first is None or series.last is None:
        return None
    seconds = (series.last - series.first) / _MS
    return seconds if seconds > 0 and math.isfinite(seconds) else None
