"""Did HEAD get slower than its base, measured in the same job, round by round?

``compare_paired(base, head, limit, confidence)`` judges the rounds of a paired run: in round
``i`` the benchmark ran once on the base and once on HEAD, one after the other, and gave one
figure for each (a median of that run's samples, say). It returns a ``compare.Comparison``
whose method is ``PAIRED``. It is pure: no I/O.

Why pairs. On a shared CI machine the speed drifts between minutes (the same pytest-benchmark
test of the same code gave medians of 107 µs and 177 µs a minute apart on the 2-core runner).
Two samples taken at different times differ for real, and an unpaired test (``compare``)
rightly calls the drift a change. In one round, base and HEAD run moments apart, under the
same drift: their ratio is the code's change, and the rounds' ratios scatter about it.

The method, in words a report's reader can use:

- Each round gives a ratio head_i / base_i; on the log scale it is a difference d_i, and the
  change is the Hodges–Lehmann estimate: the median of the Walsh averages (d_i + d_j) / 2
  over all i <= j. One wild round moves it by at most one average in n(n + 1) / 2.
- The interval inverts the Wilcoxon signed-rank test: with confidence ``c`` it covers the
  true change when the rounds' log ratios are symmetric about it (as a ratio measured twice
  under the same conditions is). Its ends are Walsh averages chosen from the test's exact
  distribution (up to ``EXACT_ROUNDS`` rounds; a normal approximation beyond).
- The verdict follows the interval, as ``compare``'s does: ``REGRESSED`` when all of it is
  past the limit, ``WITHIN`` when all of it is within, ``UNCLEAR`` when it holds the limit.
- The p-value is the exact one-sided signed-rank test of "the change is within the limit"
  (averages at the limit count a half, rounded down: cautious).

Rounds: at least ``MIN_ROUNDS``. With n rounds the interval can be bounded at all only when
2^-n <= (1 - c) / 2: 6 rounds at 95 %, 8 at 99 %; fewer leave it unbounded (``UNCLEAR``).
Each round must give a finite figure above 0 on both sides (a time, a size, a throughput).

No statistics library: the exact distribution of the signed-rank statistic is a count of
subsets of ranks, built in integers for n rounds in O(n^3) steps, and the Walsh averages of
a few dozen rounds are a few hundred numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

from gatekeeper.compare import (
    Comparison,
    SampleError,
    as_change,
    check_terms,
    interval_verdict,
)

PAIRED = "wilcoxon-signed-rank"
"""The method a paired comparison names in the report."""
MIN_ROUNDS = 5
"""Fewer rounds are refused: they can bound no interval at any confidence worth stating."""
EXACT_ROUNDS = 200
"""Up to this many rounds, the signed-rank distribution is counted exactly."""
_AT_LIMIT = 1e-12
"""Averages this close to the limit on the log scale are at it: rounding, not a change
(as ``compare``'s pairs are)."""
_NORMAL = NormalDist()


def compare_paired(
    base: Sequence[float], head: Sequence[float], limit: float, confidence: float
) -> Comparison:
    """Judge round ``i``'s ``head[i]`` against its ``base[i]`` for a change limited to
    ``limit`` (signed, as in ``compare``) at two-sided ``confidence``; raise ``SampleError``
    when that cannot be done."""
    check_terms(limit, confidence)
    if len(base) != len(head):
        raise SampleError(f"{len(base)} base figures for {len(head)} HEAD figures: not pairs")
    if len(base) < MIN_ROUNDS:
        raise SampleError(
            f"{len(base)} rounds: a paired comparison needs at least {MIN_ROUNDS} "
            "(6 to bound an interval at 95 %, 8 at 99 %)"
        )
    pairs = enumerate(zip(base, head, strict=True), 1)
    logs = [_log_ratio(b, h, round_) for round_, (b, h) in pairs]
    averages = sorted(
        (logs[i] + logs[j]) / 2 for i in range(len(logs)) for j in range(i, len(logs))
    )
    total = len(averages)
    cdf = _SignedRank(len(logs))
    below = cdf.lower_count((1 - confidence) / 2)  # averages left out at each end
    if below is None:
        low, high = -math.inf, math.inf
    else:
        low, high = averages[below], averages[total - 1 - below]
    middle = (averages[(total - 1) // 2] + averages[total // 2]) / 2
    shift = math.log1p(limit)
    grows = math.copysign(1.0, limit) > 0
    if grows:
        past = sum(1 for a in averages if a > shift + _AT_LIMIT)
    else:
        past = sum(1 for a in averages if a < shift - _AT_LIMIT)
    at = sum(1 for a in averages if abs(a - shift) <= _AT_LIMIT)
    statistic = past + at // 2  # an average at the limit counts a half, rounded down
    p_value = cdf.at_least(statistic)
    verdict = interval_verdict(low, high, limit)
    return Comparison(
        estimate=as_change(middle),
        low=as_change(low),
        high=as_change(high),
        confidence=confidence,
        p_value=p_value,
        base_samples=len(base),
        head_samples=len(head),
        limit=limit,
        verdict=verdict,
        method=PAIRED,
    )


def _log_ratio(base: float, head: float, round_: int) -> float:
    for side, value in (("base", base), ("HEAD", head)):
        if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
            raise SampleError(
                f"round {round_}: the {side} figure {value!r} is not a finite number above 0"
            )
    return math.log(head) - math.log(base)


class _SignedRank:
    """The distribution of the Wilcoxon signed-rank statistic T+ of ``n`` rounds when the
    change is zero: each rank 1..n is in T+ with probability 1/2, independently."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.total = n * (n + 1) // 2
        self.counts: list[int] | None = None
        if n <= EXACT_ROUNDS:
            counts = [1] + [0] * self.total  # subsets of the ranks so far, by their sum
            for rank in range(1, n + 1):
                for value in range(self.total, rank - 1, -1):
                    counts[value] += counts[value - rank]
            self.counts = counts

    def cdf(self, t: int) -> float:
        """P(T+ <= t)."""
        if t < 0:
            return 0.0
        if t >= self.total:
            return 1.0
        if self.counts is not None:
            return sum(self.counts[: t + 1]) / float(2**self.n)
        mean = self.total / 2
        sigma = math.sqrt(self.n * (self.n + 1) * (2 * self.n + 1) / 24)
        return _NORMAL.cdf((t + 0.5 - mean) / sigma)

    def at_least(self, t: int) -> float:
        """P(T+ >= t): by symmetry, P(T+ <= total - t)."""
        return self.cdf(self.total - t)

    def lower_count(self, tail: float) -> int | None:
        """How many averages the interval leaves out below it (and above it): the largest t
        with P(T+ <= t) <= ``tail``; None when even P(T+ = 0) exceeds it (unbounded)."""
        if self.cdf(0) > tail:
            return None
        low, high = 0, self.total
        while low < high:
            mid = (low + high + 1) // 2
            if self.cdf(mid) <= tail:
                low = mid
            else:
                high = mid - 1
        return low
