"""One JMH score block (``primaryMetric`` or a secondary metric) as a series in base units."""

from __future__ import annotations

from array import array
from collections.abc import Mapping

from gatekeeper.evidence import Metric
from gatekeeper.parsers import _json
from gatekeeper.parsers._text import TIME_SCALE, pkey
from gatekeeper.units import UNITS, Dimension, Quantity

MAX_SAMPLES = 1_000_000
"""A sample-mode histogram is expanded into samples only up to this many values."""

# JMH spells time units as java.util.concurrent.TimeUnit abbreviations.
_JMH_TIME: dict[str, float] = {**TIME_SCALE, "hr": 3600.0, "day": 86400.0}
_OTHER_UNITS: dict[str, tuple[Dimension, float]] = {
    "MB/sec": (Dimension.DATA_RATE, 1024.0**2),  # JMH's GC profiler divides by 1024 twice
    "B/op": (Dimension.SIZE, 1.0),
    "counts": (Dimension.COUNT, 1.0),
    "#": (Dimension.COUNT, 1.0),
    "#/op": (Dimension.NUMBER, 1.0),
    "%": (Dimension.RATIO, 0.01),
}


def _unit(unit: str) -> tuple[str, Dimension, float]:
    """(statistic, dimension, factor to base units) of a score unit."""
    per, slash, denominator = unit.partition("/")
    if slash and per == "ops" and denominator in _JMH_TIME:
        return "throughput", Dimension.THROUGHPUT, 1 / _JMH_TIME[denominator]
    if slash and denominator == "op" and per in _JMH_TIME:
        return "avg", Dimension.TIME, _JMH_TIME[per]
    if unit in _JMH_TIME:  # profilers report e.g. gc.time in ms
        return "avg", Dimension.TIME, _JMH_TIME[unit]
    dimension, factor = _OTHER_UNITS.get(unit) or UNITS.get(unit) or (Dimension.NUMBER, 1.0)
    return "avg", dimension, factor


def _optional(value: object, display: str, where: str) -> float | None:
    """JMH writes "NaN" (a string) where it could not compute a value."""
    if value is None or value == "NaN":
        return None
    return _json.expect_number(value, display, where)


def score_series(
    name: str, tags: Mapping[str, str], raw: object, display: str, where: str
) -> Metric:
    """The series of one score block; values converted from its scoreUnit."""
    body = _json.expect_object(raw, display, where)
    unit = _json.expect_str(body.get("scoreUnit"), display, f"{where}.scoreUnit")
    stat, dimension, factor = _unit(unit)
    stats: dict[str, Quantity] = {}
    score = _optional(body.get("score"), display, f"{where}.score")
    if score is not None:
        stats[stat] = Quantity(score * factor, dimension)
    error = _optional(body.get("scoreError"), display, f"{where}.scoreError")
    if error is not None:
        stats["error"] = Quantity(error * factor, dimension)
    percentiles = body.get("scorePercentiles")
    if percentiles is not None:
        where_p = f"{where}.scorePercentiles"
        for rank, value in _json.members(_json.expect_object(percentiles, display, where_p)):
            number = _optional(value, display, f"{where_p}.{rank}")
            try:
                position = float(rank)
            except ValueError:
                raise _json.shape_error(display, where_p, "percentile ranks", rank) from None
            if number is not None:
                key = {0.0: "min", 100.0: "max"}.get(position, pkey(position))
                stats[key] = Quantity(number * factor, dimension)
    if "p(50)" in stats:
        stats["med"] = stats["p(50)"]
    samples = _samples(body, display, where, factor)
    if samples is not None:
        stats["count"] = Quantity(len(samples), Dimension.COUNT)
        if not samples:
            stats = {}  # no measured iteration: nothing may pass against it
    return Metric(
        name=name,
        tags=dict(tags),
        stats=stats,
        kind="benchmark",
        source=display,
        samples=samples if samples is not None else (),
        sample_dimension=dimension,
    )


def _samples(
    body: dict[str, object], display: str, where: str, factor: float
) -> array[float] | None:
    """Iteration scores from rawData, or values expanded from rawDataHistogram."""
    values = array("d")
    if "rawData" in body:
        for f, fork in enumerate(_json.expect_list(body["rawData"], display, f"{where}.rawData")):
            here = f"{where}.rawData[{f}]"
            for i, value in enumerate(_json.expect_list(fork, display, here)):
                values.append(_json.expect_number(value, display, f"{here}[{i}]") * factor)
    elif "rawDataHistogram" in body:
        histogram = "rawDataHistogram"
        for f, fork in enumerate(
            _json.expect_list(body[histogram], display, f"{where}.{histogram}")
        ):
            here_f = f"{where}.{histogram}[{f}]"
            for i, iteration in enumerate(_json.expect_list(fork, display, here_f)):
                here = f"{here_f}[{i}]"
                for pair in _json.expect_list(iteration, display, here):
                    cell = _json.expect_list(pair, display, here)
                    if len(cell) != 2:
                        raise _json.shape_error(display, here, "[value, count] pairs", cell)
                    value = _json.expect_number(cell[0], display, here) * factor
                    count = int(_json.expect_number(cell[1], display, here))
                    if len(values) + count > MAX_SAMPLES:
                        return None  # too many to keep: the percentiles JMH gives remain
                    values.extend([value] * count)
    else:
        return None
    return array("d", sorted(values))
