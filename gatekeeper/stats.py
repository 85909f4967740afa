"""Statistics over raw samples, computed exactly as k6 computes them."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_PERCENTILE = re.compile(r"p\((\d+(?:\.\d+)?)\)")


def percentile(ordered: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) of ascending values, by linear interpolation at rank (n-1)p.

    That is k6's method (and numpy's default); the caller guarantees ``ordered`` is non-empty.
    """
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def from_samples(ordered: Sequence[float], statistic: str) -> float | None:
    """A statistic of ascending samples: avg, min, max, med, count, stddev or p(N); else None."""
    if not ordered:
        return None
    if statistic == "count":
        return float(len(ordered))
    if statistic in ("min", "max"):
        return ordered[0] if statistic == "min" else ordered[-1]
    if statistic == "med":
        return percentile(ordered, 50)
    if statistic in ("avg", "stddev"):
        mean = math.fsum(ordered) / len(ordered)
        if statistic == "avg":
            return mean
        return math.sqrt(math.fsum((x - mean) ** 2 for x in ordered) / len(ordered))
    match = _PERCENTILE.fullmatch(statistic)
    return percentile(ordered, float(match.group(1))) if match else None
