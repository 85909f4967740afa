"""The percentile every alternative reports: k6's and gatekeeper's definition, linear
interpolation at rank (n - 1) * p / 100 of the sorted values."""

from __future__ import annotations

import math


def percentile(ordered: list[float], p: float) -> float | None:
    """The p-th percentile of ``ordered`` (sorted), or None when it is empty."""
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    fraction = rank - low
    if not fraction:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * fraction
