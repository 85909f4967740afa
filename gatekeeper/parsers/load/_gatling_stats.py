"""One Gatling statistics block (total / ok / ko columns) as three series in base units.

KO requests are data (the ``{status:ko}`` series, ``error_rate``); a block whose every
request was KO gives its plain series that as a failure the tool recorded.
"""

from __future__ import annotations

import re

from gatekeeper.evidence import Metric
from gatekeeper.parsers import _json
from gatekeeper.parsers._text import pkey
from gatekeeper.units import Dimension, Quantity

_MS = 1e-3
_COLUMNS = ("total", "ok", "ko")
_TIMES = {
    "minResponseTime": "min",
    "maxResponseTime": "max",
    "meanResponseTime": "avg",
    "standardDeviation": "stddev",
}
# gatling.conf's charting.indicators.percentile1..4 defaults (Gatling 2.2 onwards), and
# percentile1..2 of Gatling 2.0-2.1, whose reports had two slots.
_DEFAULT_RANKS = {4: (50.0, 75.0, 95.0, 99.0), 2: (95.0, 99.0)}
_LABEL = re.compile(r"(?:p\(?)?(\d+(?:\.\d+)?)\)?\s*(?:st|nd|rd|th)?\s*(?:pct|percentile)?", re.I)


def _label_rank(slot: dict[str, object]) -> float | None:
    """The rank a slot names itself by ('95th percentile', 'p(95)'), if it does."""
    for key in ("label", "name"):
        text = slot.get(key)
        if isinstance(text, str) and (match := _LABEL.fullmatch(text.strip())) is not None:
            return float(match[1])
    return None


def _column(block: dict[str, object], key: str, column: str, display: str, where: str) -> float:
    values = _json.expect_object(block.get(key), display, f"{where}.{key}")
    return _json.expect_number(values.get(column), display, f"{where}.{key}.{column}")


def series(
    name: str,
    aliases: tuple[str, ...],
    kind: str,
    block: dict[str, object],
    display: str,
    where: str,
) -> list[Metric]:
    """The plain series (all requests) and its ``status:ok`` / ``status:ko`` variants."""
    slots = [key for key in (f"percentiles{i}" for i in range(1, 5)) if key in block]
    defaults = _DEFAULT_RANKS.get(len(slots), ())
    ranks: list[float | None] = []
    for index, key in enumerate(slots):
        slot = _json.expect_object(block[key], display, f"{where}.{key}")
        labelled = _label_rank(slot)
        ranks.append(labelled if labelled is not None else (defaults[index] if defaults else None))
    metrics = []
    for column in _COLUMNS:
        stats = _stats(block, column, slots, ranks, display, where)
        tags = {} if column == "total" else {"status": column}
        failures: tuple[str, ...] = ()
        rate = stats.get("error_rate")
        if rate is not None and rate.value >= 1:
            failures = (
                f"every request failed: KO {stats['count'].value:g} of {stats['count'].value:g}",
            )
        metrics.append(
            Metric(
                name, tags, stats, kind, aliases, display, failures=failures, subseries=bool(tags)
            )
        )
    return metrics


def _stats(
    block: dict[str, object],
    column: str,
    slots: list[str],
    ranks: list[float | None],
    display: str,
    where: str,
) -> dict[str, Quantity]:
    count = _column(block, "numberOfRequests", column, display, where)
    if count == 0:  # Gatling writes 0 for every statistic of an empty column
        return {}
    stats = {"count": Quantity(count, Dimension.COUNT)}
    for key, stat in _TIMES.items():
        stats[stat] = Quantity(_column(block, key, column, display, where) * _MS, Dimension.TIME)
    for key, rank in zip(slots, ranks, strict=True):
        value = Quantity(_column(block, key, column, display, where) * _MS, Dimension.TIME)
        stats[key] = value
        if rank is not None:
            stats[pkey(rank)] = value
            if rank == 50:
                stats["med"] = value
    if "meanNumberOfRequestsPerSecond" in block:
        rps = _column(block, "meanNumberOfRequestsPerSecond", column, display, where)
        stats["throughput"] = Quantity(rps, Dimension.THROUGHPUT)
    if column == "total":
        failed = _column(block, "numberOfRequests", "ko", display, where)
        stats["error_rate"] = Quantity(failed / count, Dimension.RATIO)
        for index in range(1, 5):
            key = f"group{index}"
            if key in block:
                group = _json.expect_object(block[key], display, f"{where}.{key}")
                number = _json.expect_number(group.get("count"), display, f"{where}.{key}.count")
                stats[key] = Quantity(number, Dimension.COUNT)
                stats[f"{key}_ratio"] = Quantity(number / count, Dimension.RATIO)
    return stats
