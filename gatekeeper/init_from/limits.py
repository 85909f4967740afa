"""Thresholds from today's values: a limit with about 20 % headroom, rounded to a number a
person would write (31 ms -> ``< 40ms``; 1,234/s -> ``> 950/s``), in a unit of its own."""

from __future__ import annotations

import math

from gatekeeper.units import Dimension, Quantity

HEADROOM = 0.2
"""How far today's value may move before the proposed threshold breaks."""

_UNITS: dict[Dimension, tuple[tuple[str, float], ...]] = {
    # how each dimension is written, largest unit first
    Dimension.TIME: (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)),
    Dimension.THROUGHPUT: (("/s", 1.0),),
}


def _step(number: float) -> float:
    """The rounding step for ``number``: two in the second digit below 2, else five
    (12.2 rounds in steps of 2, 37 in steps of 5)."""
    scale = 10.0 ** math.floor(math.log10(number))
    return scale * (0.2 if number / scale < 2 else 0.5)


def _shown(number: float) -> str:
    return f"{number:.6g}"


def _unit(value: float, dimension: Dimension) -> tuple[str, float]:
    units = _UNITS[dimension]
    return next(((u, f) for u, f in units if value >= f), units[-1])


def upper_limit(statistic: str, today: Quantity) -> tuple[str, str] | None:
    """``STAT < LIMIT`` at least ``HEADROOM`` above today (a time), and its comment; None
    for a value of 0 or one that is not a finite time."""
    if today.dimension is not Dimension.TIME or not math.isfinite(today.value):
        return None
    if today.value <= 0:
        return None
    unit, factor = _unit(today.value * (1 + HEADROOM), Dimension.TIME)
    wanted = today.value * (1 + HEADROOM) / factor
    step = _step(wanted)
    number = float(_shown(math.ceil(wanted / step - 1e-9) * step))
    headroom = number * factor / today.value - 1
    text = f"{statistic} < {_shown(number)}{unit}"
    return text, f"today {today}, ~{round(100 * headroom)} % headroom"


def lower_limit(statistic: str, today: Quantity) -> tuple[str, str] | None:
    """``STAT > LIMIT`` at least ``HEADROOM`` below today (a throughput), and its comment;
    None when there is nothing to hold (0, or not a finite throughput)."""
    if today.dimension is not Dimension.THROUGHPUT or not math.isfinite(today.value):
        return None
    wanted = today.value * (1 - HEADROOM)
    if wanted <= 0:
        return None
    step = _step(wanted)
    number = float(_shown(math.floor(wanted / step + 1e-9) * step))
    if number <= 0:
        return None
    headroom = 1 - number / today.value
    text = f"{statistic} > {_shown(number)}/s"
    return text, f"today {today}, ~{round(100 * headroom)} % headroom"


def coverage_floor(statistic: str, today: Quantity) -> tuple[str, str] | None:
    """``STAT >= N%`` with N today's coverage in whole percent, rounded down (coverage is
    held where it stands: no headroom, a drop is what the gate is for); None at 0 %."""
    if today.dimension is not Dimension.RATIO or not math.isfinite(today.value):
        return None
    number = math.floor(today.value * 100 + 1e-9)
    if number <= 0:
        return None
    return f"{statistic} >= {number}%", f"today {today.value * 100:.4g}%"


def number_floor(statistic: str, today: Quantity) -> tuple[str, str] | None:
    """``STAT >= N`` with N today's plain number (a Prometheus query's value) to three
    significant digits, rounded down: held where it stands, as coverage is. Whether higher is
    better is the query's to say (availability, yes; a latency quantile, no): the comment
    asks. None for a value that is not a finite number above 0."""
    if today.dimension is not Dimension.NUMBER or not math.isfinite(today.value):
        return None
    if today.value <= 0:
        return None
    scale = 10.0 ** (math.floor(math.log10(today.value)) - 2)
    number = float(_shown(math.floor(today.value / scale + 1e-9) * scale))
    note = f"today {_shown(today.value)}; if lower is better, write {statistic} <= instead"
    return f"{statistic} >= {_shown(number)}", note
