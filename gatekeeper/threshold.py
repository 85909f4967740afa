"""Threshold expressions in k6's syntax, with units: ``p(95) < 250ms``.

Grammar: ``STAT OP NUMBER [UNIT]`` where STAT is a statistic name or
``p(N)``, OP one of ``< <= > >= == === !=``. A bare number means the unit k6
uses: milliseconds for times, a fraction for rates, plain numbers otherwise. A bare
number of 1 or more against a ratio is refused: ``error_rate < 1`` reads as "under
100 %", which nobody means; ``1%`` or ``100%`` says which.

A change from a baseline, ``STAT +N%`` / ``STAT -N%``, is relative to the baseline's value
(``mean +10%``); ``STAT -Npt`` (or ``pp``) is in percentage points of a ratio (``line
-0.5pt``: 80 % may become 79.5 %), refused on any statistic that is not a ratio.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable
from enum import Enum

from gatekeeper.records import record
from gatekeeper.units import UNITS, Dimension, Quantity

STATISTICS: tuple[str, ...] = (  # the common ones; a tool's own (cv, allocated, ...) work too
    "avg", "min", "max", "med", "stddev", "rate", "count", "value", "passes", "fails",
    "throughput", "error_rate", "iqr", "q1", "q3", "rounds", "iterations",
)  # fmt: skip
ALIASES: dict[str, str] = {"mean": "avg", "median": "med", "ops": "throughput"}
"""Other spellings users write, mapped to the canonical statistic."""

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "===": operator.eq,
    "!=": operator.ne,
}

_TOKEN = re.compile(
    r"\s*(?P<stat>p\(\s*[^)]*\)|[A-Za-z_][A-Za-z_0-9./]*)"  # go-bench: chars/op
    r"\s*(?P<op>===|==|!=|<=|>=|<|>)?"
    r"\s*(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)?"
    r"\s*(?P<unit>\S*)\s*$"
)
_PERCENTILE = re.compile(r"p\(\s*(\d+(?:\.\d+)?)\s*\)")
_BARE_FACTOR: dict[Dimension, float] = {Dimension.TIME: 1e-3}


class ThresholdSyntaxError(ValueError):
    """A threshold expression that cannot be understood; says why."""


@record
class Threshold:
    """A parsed threshold expression."""

    text: str
    """The expression as written."""
    statistic: str
    """Canonical statistic: avg, med, p(95), rate, ..."""
    op: str
    """Comparison operator as written."""
    number: float
    """The number as written."""
    unit: str
    """The unit as written; '' for a bare number."""

    def limit_for(self, dimension: Dimension) -> Quantity:
        """The threshold in base units of ``dimension``; raises on a unit of another dimension,
        and on a bare number of 1 or more against a ratio (say ``1%`` or ``100%``)."""
        if not self.unit:
            if dimension is Dimension.RATIO and self.number >= 1:
                shown = f"{self.number:g}"
                raise ThresholdSyntaxError(
                    f"{self.statistic} is a ratio, where a bare number is a fraction "
                    f"({shown} would mean {self.number * 100:g} %): write {shown}% for "
                    f"{shown} per cent, or 100% for all"
                )
            return Quantity(self.number * _BARE_FACTOR.get(dimension, 1.0), dimension)
        unit_dimension, factor = UNITS[self.unit]
        if unit_dimension is not dimension:
            raise ThresholdSyntaxError(
                f"unit {self.unit!r} measures {unit_dimension.value}, "
                f"but the statistic measures {dimension.value}"
            )
        return Quantity(self.number * factor, dimension)

    def holds(self, actual: Quantity) -> bool:
        """Whether ``actual`` satisfies the threshold.

        Values equal up to float noise from unit conversion (240000000ns vs
        0.24s) compare as equal, so a boundary is judged as written.
        """
        limit = self.limit_for(actual.dimension).value
        value = limit if math.isclose(actual.value, limit, rel_tol=1e-9) else actual.value
        return OPERATORS[self.op](value, limit)


_UNBRACKETED = re.compile(r"p(\d+(?:\.\d+)?)")


def closest_statistic(statistic: str, names: Iterable[str]) -> str | None:
    """The statistic likeliest meant by one that is not there: p(95) for p95, else the
    closest of ``names`` by spelling; None when none is close."""
    unbracketed = _UNBRACKETED.fullmatch(statistic)
    if unbracketed:
        return f"p({unbracketed.group(1)})"
    import difflib  # only a mistaken statistic needs it: start-up time

    close = difflib.get_close_matches(statistic, sorted(names), n=1, cutoff=0.6)
    return close[0] if close else None


def _statistic(raw: str) -> str:
    match = _PERCENTILE.fullmatch(raw)
    if raw.startswith("p("):
        if not match or not 0 <= float(match.group(1)) <= 100:
            raise ThresholdSyntaxError(
                f"bad percentile {_shown(raw)}: write p(N) with 0 <= N <= 100"
            )
        number = float(match.group(1))
        return f"p({int(number) if number.is_integer() else number})"
    # Any other name is a statistic of the tool's own (Google Benchmark's cv, BenchmarkDotNet's
    # allocated, ...): formats add them without touching this module, and a name the file
    # does not report is an error when the benchmark is evaluated, never a pass.
    return ALIASES.get(raw, raw)


def parse_threshold(text: str) -> Threshold:
    """Parse ``text`` or raise ThresholdSyntaxError with a reason."""
    match = _TOKEN.match(text)
    if not text.strip():
        raise ThresholdSyntaxError("empty threshold")
    if not match:
        raise ThresholdSyntaxError(
            f"cannot read threshold {_shown(text)}: write STAT OP NUMBER[UNIT], "
            "e.g. 'p(95) < 250ms'"
        )
    stat = _statistic(match.group("stat"))
    if match.group("op") is None:
        raise ThresholdSyntaxError(
            f"threshold {_shown(text)} has no comparison after {_shown(match.group('stat'))} "
            f"(use one of {' '.join(OPERATORS)})"
        )
    if match.group("number") is None:
        raise ThresholdSyntaxError(
            f"threshold {_shown(text)} needs a number after {match.group('op')!r}"
        )
    unit = match.group("unit")
    if unit and unit not in UNITS:
        raise ThresholdSyntaxError(f"unknown unit {_shown(unit)} (known: {' '.join(UNITS)})")
    return Threshold(text, stat, match.group("op"), _finite(match.group("number")), unit)


def _finite(digits: str) -> float:
    """The number written; one past the float range (1e999) would compare as infinity."""
    number = float(digits)
    if not math.isfinite(number):
        raise ThresholdSyntaxError(f"the number {_clipped(digits)} is too large to compare with")
    return number


def _clipped(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else f"{text[: limit // 2]}… ({len(text)} characters)"


def _shown(text: str) -> str:
    """``text`` quoted for a message, cut short when it is long (a hostile matrix)."""
    return repr(_clipped(text, 80))


_CHANGE = re.compile(
    r"\s*(?P<stat>p\(\s*[^)]*\)|[A-Za-z_][A-Za-z_0-9./]*)"
    r"\s*(?P<sign>[+-])\s*(?P<number>(?:\d+\.?\d*|\.\d+))\s*(?P<unit>%|pt|pp)\s*$"
)


SHIFT_STATISTICS: tuple[str, ...] = ("avg", "med", "throughput")
"""The statistics (canonical names) a change judged from raw samples at a confidence stands
for: see ``Change.sampled_refusal``."""


class ChangeUnit(str, Enum):
    """What a change from the baseline is measured in."""

    RELATIVE = "relative"
    """A fraction of the baseline's own value: 'mean +10%' may grow by a tenth of itself."""
    POINTS = "points"
    """Percentage points of a ratio: 'line -0.5pt' may drop from 80 % to 79.5 %, not 79.4 %."""


_CHANGE_UNITS: dict[str, ChangeUnit] = {
    "%": ChangeUnit.RELATIVE,
    "pt": ChangeUnit.POINTS,
    "pp": ChangeUnit.POINTS,
}


@record
class Change:
    """How far a statistic may move from the baseline's: ``mean +10%`` (it may grow by at most
    10 % of its value: times, sizes, error rates), ``ops -5%`` (it may drop by at most 5 %:
    throughput), ``line -0.5pt`` (a ratio may drop by at most half a percentage point)."""

    text: str
    """The expression as written."""
    statistic: str
    """Canonical statistic, as in a threshold."""
    limit: float
    """Signed fraction: +0.10 for '+10%' (of the baseline's value), -0.05 for '-5%', -0.005
    for '-0.5pt' (of 1, the whole a ratio is a fraction of); '-0%' keeps its sign."""
    unit: ChangeUnit = ChangeUnit.RELATIVE
    """Relative to the baseline's value ('%'), or in percentage points ('pt', 'pp')."""

    def applies_to(self, dimension: Dimension, owner: str = "") -> None:
        """Raise when the change cannot be measured on a statistic of ``dimension`` (of
        ``owner``, a format, when known): points are points of a ratio; on a time or a
        count 'half a point' means nothing."""
        if self.unit is ChangeUnit.POINTS and dimension is not Dimension.RATIO:
            written = _CHANGE.match(self.text)
            stat = written.group("stat") if written else self.statistic
            sign = "+" if self.grows else "-"
            raise ThresholdSyntaxError(
                f"{_shown(self.text)} is in percentage points, which only a ratio has "
                f"(coverage, a pass or error rate), but {owner}{self.statistic} measures "
                f"{dimension.value}: write '{stat} {sign}N%' for a change relative to the "
                "baseline's value"
            )

    def sampled_refusal(self) -> str | None:
        """Why the raw samples cannot judge this change at a confidence; None when they can.
        ``gatekeeper.compare`` estimates a shift of the whole distribution (every quantile
        moves by one ratio): under it the mean, the median and the throughput (a reciprocal
        of a central time) move by that ratio, but a tail (p(N), max), an extreme (min) or a
        spread (stddev) can change without a shift, or shift without changing."""
        if self.unit is not ChangeUnit.RELATIVE:
            return f"{_shown(self.text)} is in percentage points; a confidence judges a change in %"
        if self.statistic not in SHIFT_STATISTICS:
            return (
                f"{_shown(self.text)}: a confidence judges a shift of the whole distribution, "
                "which stands for a change of the mean, the median or the throughput "
                f"(mean, median, ops), not of {self.statistic}: compare {self.statistic} "
                "without a confidence, or the median with one"
            )
        return None

    def rounds_refusal(self) -> str | None:
        """Why the rounds of a paired run cannot judge this change; None when they can. Each
        round gives one figure a side and the rounds' ratios are judged, so any statistic a
        run reports will do (the least time of each run, ``min``, is the steadiest), but only
        as a ratio: a change in %."""
        if self.unit is not ChangeUnit.RELATIVE:
            return f"{_shown(self.text)} is in percentage points; paired rounds judge a change in %"
        return None

    @property
    def grows(self) -> bool:
        """Whether the limit is on growth ('+'), not on a drop ('-', '-0%' included)."""
        return math.copysign(1.0, self.limit) > 0

    def change(self, actual: float, baseline: float) -> float:
        """The change from ``baseline`` to ``actual``, in the unit of the limit; raises when
        undefined (a relative change from 0)."""
        if self.unit is ChangeUnit.POINTS:
            return actual - baseline  # no division: a baseline of 0 % is a baseline like any
        if baseline == 0:
            if actual == 0:
                return 0.0
            raise ThresholdSyntaxError("the baseline is 0: a relative change is undefined")
        return (actual - baseline) / abs(baseline)

    def holds(self, change: float) -> bool:
        """Whether a change stays within the limit (float noise at the boundary is judged as
        written: 80 % - 79.5 % is 0.5 points, though 0.8 - 0.795 is 0.0050000000000000044).
        NaN never holds."""
        if math.isclose(change, self.limit, rel_tol=1e-9, abs_tol=1e-12):
            return True
        return change <= self.limit if self.grows else change >= self.limit

    def shown(self, change: float) -> str:
        """A change as a person reads it, '+12.4%' or '-0.7 pt'; beyond the limit, with as
        many decimals as tell the two apart (never '-0.5 pt' breaking '-0.5pt')."""
        suffix = "%" if self.unit is ChangeUnit.RELATIVE else " pt"
        digits = 1
        if not self.holds(change):
            while digits < 9 and f"{change * 100:+.{digits}f}" == f"{self.limit * 100:+.{digits}f}":
                digits += 1
        return f"{change * 100:+.{digits}f}{suffix}"


COVERAGE_POINTS = frozenset({"line", "branch", "function"})
"""Coverage statistics, whose changes are always in percentage points: ``line -0.5%`` lets
80 % drop to 79.5 %, as coverage services (and the teams that read them) mean it; ``pt`` and
``pp`` say the same."""


def parse_change(text: str) -> Change:
    """Parse ``STAT +N%`` / ``STAT -N%`` (relative; on coverage, ``COVERAGE_POINTS``, points),
    or ``STAT +Npt`` / ``STAT -Npt`` (``pp`` alike: percentage points), or raise
    ThresholdSyntaxError with a reason."""
    match = _CHANGE.match(text)
    if not match:
        raise ThresholdSyntaxError(
            f"cannot read {_shown(text)}: write STAT +N% (may grow by at most N % of the "
            "baseline's value) or STAT -N% (may drop by at most N %), e.g. 'mean +10%' or "
            "'ops -5%'; or, for a ratio, STAT -Npt (may drop by at most N percentage points), "
            "e.g. 'line -0.5pt'"
        )
    number = _finite(match.group("number")) / 100
    stat = _statistic(match.group("stat"))
    unit = _CHANGE_UNITS[match.group("unit")]
    if stat in COVERAGE_POINTS:  # 'line -0.5%' is half a point, as coverage gates read it
        unit = ChangeUnit.POINTS
    return Change(text, stat, number if match.group("sign") == "+" else -number, unit)
