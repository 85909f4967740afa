"""Did HEAD get slower than its baseline, beyond the allowed change, at a stated confidence?

``compare(base, head, limit, confidence)`` judges two sets of raw samples (times, sizes,
throughputs: positive values in one unit) and returns a ``Comparison``: the estimated
change with its confidence interval, a p-value, and a ``Verdict``. It is pure: no I/O.

The method, in words a report's reader can use (the assumptions follow):

- Both samples are taken on the log scale, where "HEAD is 12 % slower" is a *shift* of
  log(1.12) and skewed, outlier-prone timings become nearly symmetric.
- The change is the Hodges–Lehmann estimate: the median of all the base/head ratios
  (head_j / base_i over every pair). One outlier moves it by at most one pair in n·m.
- The interval is the distribution-free (Moses) interval that inverts the Mann–Whitney rank
  test: with confidence ``c`` it covers the true ratio of a shift between the two
  distributions; ``+12.4 % [+8.1, +16.9]`` reads "HEAD is about 12.4 % slower; a change
  below +8.1 % or above +16.9 % is ruled out at confidence c". It is two-sided, so each of
  its ends is also a one-sided bound at (1 + c) / 2.
- The verdict follows the interval: ``REGRESSED`` when the whole interval is past the limit
  (the evidence shows the change exceeds it), ``WITHIN`` when the whole interval is within
  it, ``UNCLEAR`` when the interval holds the limit (not shown either way; a gate that must
  not pass on doubt treats it as it chooses). A point estimate past the limit alone is never
  a regression. With a '+' limit (``median +10%``: times) the lower end must exceed it; with
  a '-' limit (``ops -5%``: throughput) the upper end must be below it.
- The p-value is that of the one-sided Mann–Whitney test of "the change is within the
  limit" (normal approximation with continuity correction). ``REGRESSED`` agrees with
  ``p_value <= (1 - c) / 2``, but where an end of the interval is the limit itself (many
  pairs whose ratio is the limit, from a coarse timer): the test, counting them half
  past it, may reject the limit, while the interval holds it, and the interval decides.
  If the true change equals the limit, the verdict is ``REGRESSED`` in at most
  (1 - c) / 2 of comparisons.

Assumptions: every sample is independent of the others and the two sides differ by a
shift on the log scale (a ratio). Consecutive runs on a shared CI machine drift, so a base
measured in another job differs from HEAD for real; the comparison then rightly calls the
drift a change. Measure base and head in the same job, interleaved, to compare the code.

Ties (a coarse timer) are handled: a pair equal at the shift counts a half (mid-ranks),
and the variance is corrected for the ties within each side (those do not move with the
shift; ties between the sides would only lower it, so leaving them out is cautious).

At least ``MIN_SAMPLES`` (10) per side. At 99 % fewer than 6 per side cannot show any
change at all, and from 10 the normal approximation keeps its promise (simulated: 0.46 %
false regressions at a stated 0.5 %, 4.6 % at 5 %). Fewer samples, a value that is not a
finite number above 0, a limit of -100 % or below, or a confidence outside (0.5, 1) raise
``SampleError`` (a ``ValueError``), which the engine is to report as an error.

How many samples: with timings that spread about 10 % (log-normal, sd 0.1 of the log) and
2 % of runs 3x slower, 60 per side at 99 % find a 20 % slowdown against a +10 % limit in
about 96 % of comparisons (50: 92 %, 40: 80 %); the interval then reaches about 5 %
either side of the estimate. Halving the margin between the change and the limit takes
four times the samples. tests/test_compare.py holds the figure for 60 per side.

A ratio within 10^-12 of the limit is at the limit: a coarse timer makes many (11 ticks
against 10 at +10 %), and their logs differ from the limit's only by rounding. Between
other pairs, ties are equalities of the floating-point logs, so ratios equal but for the
last bit of their logs (log 20 - log 10 and log 2) may or may not tie: that moves an
estimate or an end by 10^-16, never a verdict.

No statistics library: the rank test and its interval need only sorted lists, ``bisect``
and the standard library's normal distribution. The k-th of the n·m pairwise differences
is found without forming them: counting the pairs at most a shift is one ``bisect`` per
head sample (within the bounds earlier counts set), and a search on those counts,
interpolating on the normal scale they follow, narrows the shift until few enough pairs
remain to list; about ten counts a comparison. Measured in-process on the 2-core machine
(shared with other work): 500 comparisons of 1,000 samples a side took 1.1-1.6 s of CPU
(1.2 s wall at load 3); with a coarse timer (20-90 distinct values), 2-8 ms each.

SciPy's ``mannwhitneyu`` gives the p-value but neither the estimate nor the interval, and
importing ``scipy.stats`` took 2 s; numpy forming all 10^6 differences and partitioning
takes ~8 ms a comparison (slower), while the same search with numpy's ``searchsorted``
counts in ~20 µs instead of ~200 µs: the way to go, imported lazily, if comparisons ever
must be ten times faster.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from enum import Enum
from itertools import accumulate, compress, repeat
from operator import sub
from statistics import NormalDist

from gatekeeper.records import record

MIN_SAMPLES = 10
"""The fewest samples per side a comparison accepts."""

METHOD = "Hodges-Lehmann shift of log values, Mann-Whitney interval (normal approximation)"
"""How every ``Comparison`` is made, as a report names it."""

_NORMAL = NormalDist()
_LISTED = 512
"""Pairs few enough to list and sort outright once the search has narrowed to them."""
_SECANT_STEPS = 5
"""Cuts aimed by interpolation before the search falls back to cutting at pairs."""
_STEPS = 64
"""Cuts after which the pairs left are listed, however many (reached only by rounding)."""
_MAX_SHIFT = math.log(sys.float_info.max)
"""The largest shift of logs whose change a float holds."""
_AT_LIMIT = 1e-12
"""Pairs this close to the limit on the log scale are at it: rounding, not a change."""
_TIE = 1e-14
"""Cuts this close (relative) are at one value, up to rounding: the pairs between are listed."""


class SampleError(ValueError):
    """The samples or the confidence cannot be judged; the message says why."""


class Verdict(str, Enum):
    """What the interval shows about the change against the limit."""

    REGRESSED = "regressed"
    """The whole interval is past the limit: the change exceeds it at the confidence."""
    WITHIN = "within"
    """The whole interval is within the limit: the change is shown to respect it."""
    UNCLEAR = "unclear"
    """The interval holds the limit: the samples show neither."""


@record
class Comparison:
    """A statistical comparison of HEAD's samples with the baseline's."""

    estimate: float
    """The Hodges–Lehmann change, head / base - 1: +0.124 for 12.4 % slower (larger)."""
    low: float
    """Lower end of the interval, as a change (-1.0 when the samples cannot bound it)."""
    high: float
    """Upper end of the interval, as a change (inf when the samples cannot bound it)."""
    confidence: float
    """The interval's two-sided confidence, e.g. 0.99."""
    p_value: float
    """One-sided Mann–Whitney p-value of "the change is within the limit"."""
    base_samples: int
    """Samples of the baseline."""
    head_samples: int
    """Samples of HEAD."""
    limit: float
    """The allowed change, signed as ``threshold.Change.limit``: +0.10 may grow by 10 %,
    -0.05 may drop by 5 %."""
    verdict: Verdict
    """Whether the interval lies past the limit, within it, or holds it."""
    method: str = METHOD
    """How the comparison was made."""

    @property
    def regressed(self) -> bool:
        """Whether the samples show the change exceeds the limit."""
        return self.verdict is Verdict.REGRESSED


def compare(
    base: Sequence[float], head: Sequence[float], limit: float, confidence: float
) -> Comparison:
    """Judge ``head`` against ``base`` for a change limited to ``limit`` (signed: +0.10 may
    grow by at most 10 %, -0.05 may drop by at most 5 %, -0.0 may not drop) at two-sided
    ``confidence``; raise ``SampleError`` when that cannot be done."""
    check_terms(limit, confidence)
    xs = _logs(base, "baseline")
    ys = _logs(head, "head")
    pairs = _Pairs(xs, ys)
    n, m, total = len(xs), len(ys), len(xs) * len(ys)
    z = _NORMAL.inv_cdf((1 + confidence) / 2)
    sigma = _rank_sigma(xs, ys)
    # The rank of the pairwise difference that is the interval's lower end: the test of a
    # shift below it rejects at (1 - c) / 2 on its side (see _p_value for the same formula).
    rank = math.floor(total / 2 + 0.5 - z * sigma)
    shift = math.log1p(limit)
    grows = math.copysign(1.0, limit) > 0
    # a ratio of two timer ticks equal to the limit (11/10 for +10 %) has a log that differs
    # from log1p(limit) in the last bits: a pair that close to the limit ties it
    upto, below = pairs.at(shift + _AT_LIMIT).count, pairs.count_below(shift - _AT_LIMIT)
    # the pairs past the limit, a tie counting half: the Mann-Whitney U of head - limit vs base
    statistic = total - upto + (upto - below) / 2 if grows else below + (upto - below) / 2
    p_value = _p_value(statistic, total / 2, sigma)
    # the middle first: the cuts that find it show how fast the counts grow there
    middle = pairs.kth((total + 1) // 2)
    if total % 2 == 0:
        middle = (middle + pairs.kth(total // 2 + 1)) / 2
    if rank < 1:  # too few samples for this confidence: the interval is unbounded
        low, high = -math.inf, math.inf
    else:
        low, high = pairs.kth(rank), pairs.kth(total + 1 - rank)
    verdict = interval_verdict(low, high, limit)
    return Comparison(
        estimate=as_change(middle),
        low=as_change(low),
        high=as_change(high),
        confidence=confidence,
        p_value=p_value,
        base_samples=n,
        head_samples=m,
        limit=limit,
        verdict=verdict,
    )


def check_terms(limit: float, confidence: float) -> None:
    """Raise ``SampleError`` unless ``confidence`` is in (0.5, 1) and ``limit`` a finite
    change above -100 %."""
    if not (0.5 < confidence < 1):  # also refuses NaN
        raise SampleError(f"the confidence must be above 0.5 and below 1, not {confidence!r}")
    if not (math.isfinite(limit) and limit > -1):
        raise SampleError(f"the allowed change must be a finite fraction above -100 %: {limit!r}")


def interval_verdict(low: float, high: float, limit: float) -> Verdict:
    """What an interval of the change on the log scale (``low``, ``high``) shows against
    ``limit`` (signed, as ``compare`` takes it). An end at the limit, up to rounding, is not
    past it: the interval then holds the limit."""
    shift = math.log1p(limit)
    if math.copysign(1.0, limit) > 0:
        past, inside = low > shift + _AT_LIMIT, high <= shift + _AT_LIMIT
    else:
        past, inside = high < shift - _AT_LIMIT, low >= shift - _AT_LIMIT
    return Verdict.REGRESSED if past else Verdict.WITHIN if inside else Verdict.UNCLEAR


def _percent(change: float) -> str:
    if math.isinf(change):
        return "+inf" if change > 0 else "-inf"
    return f"{change * 100:+.1f}"


def shown_interval(estimate: float, low: float, high: float, confidence: float) -> str:
    """A change and its interval as people read them: ``+12.4 % [+8.1, +16.9] at 95 %``.
    An end at or below -100 % (an unbounded low end on the log scale) reads -100."""
    shown_low = "-100" if low <= -1 else _percent(low)
    return f"{_percent(estimate)} % [{shown_low}, {_percent(high)}] at {confidence * 100:g} %"


def as_change(shift: float) -> float:
    """A shift of logs as a change (head / base - 1); ``SampleError`` for a finite shift past
    what a float holds (samples of 1e-300 against 1e300: plausible to a parser, and the
    overflow must be neither a crash nor an infinite change in the JSON report)."""
    if math.isfinite(shift) and abs(shift) >= _MAX_SHIFT:
        raise SampleError(
            f"the samples differ by a factor of about e^{abs(shift):.0f}, past what a float "
            "holds: not measurements of one thing"
        )
    return math.expm1(shift)


def _logs(samples: Sequence[float], side: str) -> list[float]:
    """The ascending logs of ``samples``, refusing what a log of a time cannot be."""
    if len(samples) < MIN_SAMPLES:
        raise SampleError(
            f"the {side} has {len(samples)} sample(s); a statistical comparison needs at "
            f"least {MIN_SAMPLES} on each side"
        )
    try:
        logs = sorted(map(math.log, samples))  # ascending input sorts in one pass
        finite = math.isfinite(sum(logs))  # NaN or inf anywhere makes the sum so
    except (ValueError, TypeError, OverflowError):  # log of 0 or less, or not a number
        finite = False
    if not finite:
        # NaN fails the comparison too; isinstance first, so a string is never compared
        bad = [v for v in samples if not isinstance(v, (int, float)) or not 0 < v < math.inf]
        shown = repr(bad[0]) if bad else "a value whose log is not finite"
        raise SampleError(f"the {side} holds {shown}: every sample must be a finite number above 0")
    return logs


def _rank_sigma(xs: list[float], ys: list[float]) -> float:
    """The standard deviation of the Mann–Whitney U under no shift, corrected for the ties
    within each side."""
    n, m = len(xs), len(ys)
    both = n + m
    ties = 0
    for side in (xs, ys):
        if len(set(side)) < len(side):
            ties += sum(t * t * t - t for t in Counter(side).values())
    return math.sqrt(n * m / 12 * ((both + 1) - ties / (both * (both - 1))))


def _p_value(statistic: float, mean: float, sigma: float) -> float:
    """P(U >= statistic) under no change, by the normal approximation with continuity
    correction (as SciPy's ``mannwhitneyu(method="asymptotic")``)."""
    if sigma == 0:  # every value on both sides equal: nothing tells the sides apart
        return 1.0
    z = (statistic - mean - 0.5) / sigma
    return 0.5 * math.erfc(z / math.sqrt(2))


@record
class _Cut:
    """The pairs (head_j - base_i) at most a shift: per head sample, the index of its first
    such base sample (the rest of the base are all such), and how many pairs that is."""

    shift: float
    starts: list[int]
    count: int


class _Pairs:
    """The n·m differences head_j - base_i of ascending logs, never formed all at once."""

    def __init__(self, xs: list[float], ys: list[float]) -> None:
        self.xs, self.ys = xs, ys
        self.total = len(xs) * len(ys)
        # every difference is above the first cut and at most the last
        self.first = _Cut(ys[0] - xs[-1] - 1.0, [len(xs)] * len(ys), 0)
        self.last = _Cut(ys[-1] - xs[0], [0] * len(ys), self.total)
        self.cuts: list[_Cut] = [self.first, self.last]
        # few distinct values (a coarse timer): the counts jump, and cutting at pairs
        # (quickselect) beats interpolating between cuts
        self.coarse = len(set(xs)) * len(set(ys)) < self.total // 16
        self._base_or_inf = [*xs, math.inf]  # indexed by a row's start: the base there
        self._base_after_ninf = [-math.inf, *xs]  # by a row's start: the base before it
        self._listed: tuple[float, float, list[float]] | None = None
        # a model of the differences for the search's first steps: normal, centred on the
        # difference of the medians, spread as the sides' interquartile ranges say
        self.center = _quantile(ys, 0.5) - _quantile(xs, 0.5)
        self.spread = math.hypot(_iqr(xs), _iqr(ys)) / 1.349 or 1.0

    def at(self, shift: float) -> _Cut:
        """The cut at ``shift``: head_j - base_i <= shift iff base_i >= head_j - shift."""
        if shift >= self.last.shift:  # every pair
            return _Cut(shift, self.last.starts, self.total)
        if shift <= self.first.shift:  # none
            return _Cut(shift, self.first.starts, 0)
        lo = max((c for c in self.cuts if c.shift < shift), key=_shift)
        hi = min((c for c in self.cuts if c.shift >= shift), key=_shift)
        if hi.shift == shift:
            return hi
        # each row's start lies between its starts at the known cuts around the shift
        points = map(sub, self.ys, repeat(shift))
        starts = list(map(bisect_left, repeat(self.xs), points, hi.starts, lo.starts))
        cut = _Cut(shift, starts, self.total - sum(starts))
        self.cuts.append(cut)
        return cut

    def count_below(self, shift: float) -> int:
        """How many differences are strictly below ``shift``."""
        after = sum(map(bisect_right, repeat(self.xs), map(sub, self.ys, repeat(shift))))
        return self.total - after

    def kth(self, k: int) -> float:
        """The k-th smallest difference (1-based)."""
        lo = max((c for c in self.cuts if c.count < k), key=_shift)
        hi = min((c for c in self.cuts if c.count >= k), key=_shift)
        if self._listed and self._listed[0] == lo.shift and self._listed[1] == hi.shift:
            return self._listed[2][k - lo.count - 1]
        steps, stairs = 0, self.coarse
        while hi.count - lo.count > _LISTED and steps < _STEPS:
            if hi.shift - lo.shift <= _TIE * abs(hi.shift):
                break  # one value, up to rounding: list the pairs
            steps += 1
            if steps > _SECANT_STEPS:
                # interpolation is not closing in: cut at a pair of the bracket (quickselect)
                cut = self.at(self._pair_between(lo, hi, steps))
            else:
                # an end within the listing's reach of k: aim mid-way into the window that
                # closes the bracket with it; else at k itself
                if k - lo.count < _LISTED * 3 // 4:
                    aim = (k + lo.count + _LISTED) // 2
                elif hi.count - k < _LISTED * 3 // 4:
                    aim = (k + hi.count - _LISTED) // 2
                else:
                    aim = k
                width = hi.shift - lo.shift
                share = (self._guess(aim) - lo.shift) / width
                cut = self.at(lo.shift + min(max(share, 0.001), 0.999) * width)
                # close to k, the cut missed its aim by far: the counts climb in stairs
                near = hi.count - lo.count < self.total // 50
                stairs = stairs or (near and abs(cut.count - aim) > 4 * _LISTED)
            if stairs:
                # many pairs share a value: the k-th may be the pair next to the cut
                found = self._next_pair(cut, k)
                if isinstance(found, float):
                    return found
                cut = found
            if cut.count >= k:
                hi = cut
            else:
                lo = cut
        listed = self._between(lo, hi)
        self._listed = (lo.shift, hi.shift, listed)
        return listed[k - lo.count - 1]

    def _guess(self, count: int) -> float:
        """The shift at which about ``count`` differences are at most it: interpolated on
        the normal scale between the cut nearest that count and the next one apart from it
        (cuts a few pairs apart say nothing of the slope where pairs tie), or from the
        model."""
        aim = _probit(count, self.total)
        reach = self.total // 20  # farther, the counts bend away from a line
        known = [c for c in self.cuts if 0 < c.count < self.total and abs(c.count - count) < reach]
        if not known:
            return self.center + self.spread * aim
        known.sort(key=lambda c: abs(c.count - count))
        a = known[0]
        g_a = _probit(a.count, self.total)
        b = next((c for c in known if abs(c.count - a.count) >= _LISTED // 2), None)
        if b is None:
            return a.shift + self.spread * (aim - g_a)
        g_b = _probit(b.count, self.total)
        return a.shift + (aim - g_a) * (b.shift - a.shift) / (g_b - g_a)

    def _next_pair(self, cut: _Cut, k: int) -> _Cut | float:
        """The value of the pair next to ``cut`` on the side of the k-th, if it is the k-th;
        else ``cut``, or a cut at that pair, nearer the k-th."""
        if cut.count >= k:  # the largest pair at most the cut
            value = max(map(sub, self.ys, map(self._base_or_inf.__getitem__, cut.starts)))
            return value if self.count_below(value) < k else cut
        # the smallest pair above the cut: none lies between them, so cut.count are below it
        value = min(map(sub, self.ys, map(self._base_after_ninf.__getitem__, cut.starts)))
        beyond = self.at(value)
        return value if beyond.count >= k else beyond

    def _pair_between(self, lo: _Cut, hi: _Cut, seed: int) -> float:
        """A difference above ``lo`` and at most ``hi``, picked evenly among them (the same
        for the same ``seed``, so the result is deterministic)."""
        sizes: list[int] = list(accumulate(map(sub, lo.starts, hi.starts)))
        pick = (seed * 2654435761) % sizes[-1]  # a multiplicative hash: spread, reproducible
        j = bisect_right(sizes, pick)
        offset = pick - (sizes[j - 1] if j else 0)
        return self.ys[j] - self.xs[hi.starts[j] + offset]

    def _between(self, lo: _Cut, hi: _Cut) -> list[float]:
        """The differences above ``lo`` and at most ``hi``, ascending."""
        xs, ys = self.xs, self.ys
        found: list[float] = []
        rows = compress(range(len(ys)), map(sub, lo.starts, hi.starts))
        for j in rows:
            y = ys[j]
            found += [y - x for x in xs[hi.starts[j] : lo.starts[j]]]
        found.sort()
        return found


def _quantile(ordered: list[float], share: float) -> float:
    return ordered[round((len(ordered) - 1) * share)]


def _iqr(ordered: list[float]) -> float:
    return _quantile(ordered, 0.75) - _quantile(ordered, 0.25)


def _shift(cut: _Cut) -> float:
    return cut.shift


def _probit(count: float, total: int) -> float:
    """Where a share of the pairs falls on the normal scale (pairwise differences of
    nearly symmetric logs are nearly normal, so a shift is nearly linear in it)."""
    share = min(max(count / total, 0.25 / total), 1 - 0.25 / total)
    return _NORMAL.inv_cdf(share)
