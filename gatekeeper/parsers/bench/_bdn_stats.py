"""BenchmarkDotNet's ``Statistics`` and ``Memory`` blocks, converted to base units."""

from __future__ import annotations

import math
import re

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json
from gatekeeper.parsers._text import pkey
from gatekeeper.units import Dimension, Quantity

_NS = 1e-9
_TIMES: dict[str, tuple[str, ...]] = {
    "Mean": ("avg",),
    "Median": ("med",),
    "Min": ("min",),
    "Max": ("max",),
    "StandardDeviation": ("stddev",),
    "Q1": ("q1",),
    "Q3": ("q3",),
    "InterquartileRange": ("iqr",),
}
_PERCENTILE = re.compile(r"P(\d+(?:\.\d+)?)")


def _number(
    block: dict[str, object], key: str, display: str, where: str, *, computed: bool = False
) -> float | None:
    """A value, or None where it is absent, null or NaN (how .NET writes 'not computed').

    ``computed``: BenchmarkDotNet computes this statistic from the measurements it had, so
    a NaN is not its output but broken evidence; and were it read as absent, the statistic
    would be computed from the raw samples instead, by another definition (the population's
    standard deviation, not the sample's), and could pass where the tool's figure fails.
    """
    value = block.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value) and not computed):
        return None
    if isinstance(value, float) and math.isnan(value):
        message = f"{where}.{key}: NaN, though BenchmarkDotNet computes it from its measurements"
        raise EvidenceError(Position(display), message)
    return _json.expect_number(value, display, f"{where}.{key}")


def statistics(raw: object, display: str, where: str) -> dict[str, Quantity]:
    """Timing statistics; none at all when the benchmark has none or measured nothing."""
    if raw is None:
        return {}
    block = _json.expect_object(raw, display, where)
    count = _number(block, "N", display, where)
    if count == 0:
        return {}
    stats: dict[str, Quantity] = {}
    if count is not None:
        stats["count"] = Quantity(count, Dimension.COUNT)
    measured = count is not None and count >= 2  # a spread needs two measurements
    for key, names in _TIMES.items():
        computed = measured or key != "StandardDeviation"
        value = _number(block, key, display, where, computed=computed)
        if value is not None:
            stats.update((name, Quantity(value * _NS, Dimension.TIME)) for name in names)
    percentiles = block.get("Percentiles")
    if percentiles is not None:
        where_p = f"{where}.Percentiles"
        table = _json.expect_object(percentiles, display, where_p)
        for key in table:
            rank = _PERCENTILE.fullmatch(key)
            value = _number(table, key, display, where_p, computed=True)
            if rank is not None and value is not None:
                stats[pkey(float(rank[1]))] = Quantity(value * _NS, Dimension.TIME)
    interval = block.get("ConfidenceInterval")
    if interval is not None:
        where_ci = f"{where}.ConfidenceInterval"
        margin = _number(
            _json.expect_object(interval, display, where_ci), "Margin", display, where_ci
        )
        if margin is not None:
            stats["error"] = Quantity(margin * _NS, Dimension.TIME)
    mean = stats.get("avg")
    if mean is not None and mean.value > 0:
        stats["throughput"] = Quantity(1 / mean.value, Dimension.THROUGHPUT)
    return stats


def memory_stats(raw: object, display: str, where: str) -> dict[str, Quantity]:
    """Allocation per operation, and GC collections per 1,000 operations."""
    if raw is None:
        return {}
    block = _json.expect_object(raw, display, where)
    stats: dict[str, Quantity] = {}
    allocated = _number(block, "BytesAllocatedPerOperation", display, where)
    if allocated is not None:
        stats["allocated"] = Quantity(allocated, Dimension.SIZE)
    operations = _number(block, "TotalOperations", display, where)
    if operations:
        for generation in ("gen0", "gen1", "gen2"):
            key = f"Gen{generation[-1]}Collections"
            collections = _number(block, key, display, where)
            if collections is not None:
                per_thousand = collections / operations * 1000
                stats[generation] = Quantity(per_thousand, Dimension.NUMBER)
    return stats
