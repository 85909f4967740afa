"""Statistics over raw samples, computed exactly as k6 computes them.

Each statistic carries its own dimension: a count of time samples is a count, not a time.
Values near the float limit never raise: a sum that overflows is computed on scaled values,
and a result beyond the float range is infinite, which is never evidence (see
``gatekeeper.plausible``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from gatekeeper.units import Dimension, Quantity

_PERCENTILE = re.compile(r"p\((\d+(?:\.\d+)?)\)")
SAMPLE_STATISTICS: tuple[str, ...] = ("count", "avg", "min", "max", "med", "stddev")
"""The statistics besides any p(N) that raw samples give."""


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) of ascending values, by linear interpolation at rank (n-1)p.

    That is k6's method (and numpy's default); the caller guarantees ``ordered`` is non-empty.
    """
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    fraction = rank - low
    if not fraction:
        return ordered[low]
    value = ordered[low] + (ordered[high] - ordered[low]) * fraction
    if math.isinf(value) and math.isfinite(ordered[low]) and math.isfinite(ordered[high]):
        # the difference of two huge values of opposite sign overflowed: weigh them instead
        value = ordered[low] * (1 - fraction) + ordered[high] * fraction
    return value


def _scale(values: Sequence[float]) -> float:
    return max(abs(v) for v in values)


def mean(values: Sequence[float]) -> float:
    """The mean of non-empty ``values``; NaN when they hold both infinities."""
    try:
        return math.fsum(values) / len(values)
    except OverflowError:  # finite values whose sum passes the float limit
        scale = _scale(values)
        return math.fsum(v / scale for v in values) / len(values) * scale
    except ValueError:  # inf + -inf
        return math.nan


def stddev(values: Sequence[float]) -> float:
    """The population standard deviation of non-empty ``values``, as k6 computes it."""
    center = mean(values)
    try:
        return math.sqrt(math.fsum((x - center) ** 2 for x in values) / len(values))
    except OverflowError:  # squares past the float limit: compute on values scaled to [-1, 1]
        scale = _scale(values)
        scaled = [v / scale for v in values]
        middle = mean(scaled)
        return math.sqrt(math.fsum((x - middle) ** 2 for x in scaled) / len(scaled)) * scale
    except ValueError:  # inf - inf
        return math.nan


def from_samples(ordered: Sequence[float], statistic: str, dimension: Dimension) -> Quantity | None:
    """A statistic of ascending samples that measure ``dimension``: count (a count), avg, min,
    max, med, stddev or p(N) (in the samples' dimension); else None."""
    if not ordered:
        return None
    if statistic == "count":
        return Quantity(float(len(ordered)), Dimension.COUNT)
    value: float | None = None
    if statistic in ("min", "max"):
        value = ordered[0] if statistic == "min" else ordered[-1]
    elif statistic == "med":
        value = percentile(ordered, 50)
    elif statistic == "avg":
        value = mean(ordered)
    elif statistic == "stddev":
        value = stddev(ordered)
    elif match := _PERCENTILE.fullmatch(statistic):
        value = percentile(ordered, float(match.group(1)))
    return None if value is None else Quantity(value, dimension)
