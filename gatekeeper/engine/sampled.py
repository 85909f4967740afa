"""A change from the baseline judged at a confidence, from both sides' raw samples.

``baseline: {max_change: "median +10%", confidence: 0.95}`` asks ``gatekeeper.compare`` to
judge each series: its rank interval of the shift decides. The whole interval past the limit
fails (``REGRESSED``), within it passes (``WITHIN``); an interval that holds the limit
(``UNCLEAR``) fails too, fail-closed: the samples cannot show the change is within the limit,
and a gate passes on evidence, never on doubt. The shift stands for the mean, the median and
the throughput alike (``Change.sampled_refusal``); a throughput is judged on the reciprocals
of the times the tool sampled (runs per second).

A side with fewer than ``compare.MIN_SAMPLES`` samples, or none (a tool that wrote only its
summary), is judged by the plain ratio of the statistic, as without a confidence, and the
verdict says so: the limit is neither tightened nor loosened behind the reader's back.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

from gatekeeper.compare import MIN_SAMPLES, SampleError, Verdict, compare, shown_interval
from gatekeeper.evidence import Metric
from gatekeeper.results import Measurement, Method, Outcome, Sampled
from gatekeeper.threshold import Change
from gatekeeper.units import Dimension, Quantity

Judged = tuple[Outcome, Measurement, str]
UNPAIRED = "unpaired: includes drift between runs"
"""What the verdict says of a baseline from another run: its interval carries the machine's
drift between the runs as well as the code's change (``baseline.paired`` pairs the rounds of
one job instead)."""


def _ratio_reason(metric: Metric, base: Metric, statistic: Dimension) -> str | None:
    """Why the samples cannot judge the change (the plain ratio does); None when they can."""
    if not metric.samples and not base.samples:
        return "no samples: plain ratio"
    for side, series in (("the baseline", base), ("HEAD", metric)):
        if not series.samples:
            return f"no samples in {side}: plain ratio"
    for side, series in (("the baseline", base), ("HEAD", metric)):
        if len(series.samples) < MIN_SAMPLES:
            return f"{len(series.samples)} samples in {side}, fewer than {MIN_SAMPLES}: plain ratio"
    for series in (base, metric):
        if _oriented(series.samples, series.sample_dimension, statistic) is None:
            return (
                f"the samples measure {series.sample_dimension.value}, not "
                f"{statistic.value}: plain ratio"
            )
    return None


def _oriented(
    samples: Sequence[float], measures: Dimension, statistic: Dimension
) -> Sequence[float] | None:
    """The samples in the statistic's direction: as they are, or a throughput from times
    (runs per second); None when they measure something else."""
    if measures is statistic:
        return samples
    if statistic is Dimension.THROUGHPUT and measures is Dimension.TIME:
        # a time of 0 or less (or NaN) has no reciprocal: handed on as it is, compare refuses
        # it; each is checked, as samples built in code or holding a NaN may be in any order
        return [1 / t if t > 0 else t for t in samples]
    return None


def by_ratio(plain: Judged, metric: Metric, base: Metric, confidence: float, reason: str) -> Judged:
    """The plain comparison's verdict, saying that the ratio judged it and why."""
    outcome, measured, note = plain
    sampled = Sampled(Method.RATIO, confidence, len(base.samples), len(metric.samples),
                      reason=reason)  # fmt: skip
    shown = f"{measured.actual}; {reason}" if measured.actual else reason
    measured = dataclasses.replace(measured, actual=shown, sampled=sampled)
    return outcome, measured, f"{note}; {reason}"


def verdict_words(verdict: Verdict, change: Change) -> str:
    """What an interval's verdict says of ``change``, for a comparison's note."""
    if verdict is Verdict.WITHIN:
        return f"within {change.text!r} of the baseline"
    if verdict is Verdict.REGRESSED:
        return f"breaks {change.text!r} of the baseline"
    return f"cannot show it is within {change.text!r} of the baseline: the interval holds the limit"


def widened(limit: float, drift: float | None) -> float:
    """``limit`` (signed, as ``Change.limit``) with ``drift`` allowed on top: a rise of 10 %
    with 15 % drift is a rise of 26.5 % (1.10 x 1.15), a drop of 5 % one of 17.4 %
    (0.95 / 1.15)."""
    if not drift:
        return limit
    if math.copysign(1.0, limit) > 0:
        return (1 + limit) * (1 + drift) - 1
    return (1 + limit) / (1 + drift) - 1


def judge(
    metric: Metric,
    base: Metric,
    change: Change,
    confidence: float,
    values: tuple[Quantity, Quantity],
    plain: Judged,
    drift: float | None = None,
) -> Judged:
    """The change of ``metric`` from ``base`` judged at ``confidence`` from their samples, or
    ``plain`` (the two ``values`` compared) when the samples cannot judge it. ``drift``
    widens the limit: a change must clear both to be a regression, and may use both to be
    within."""
    actual, baseline = values
    what = f"{change.text} vs baseline"
    refusal = change.sampled_refusal()
    if refusal is not None:  # validate refuses it; a matrix built in code meets it here
        note = f"{metric.label}: {refusal}"
        return Outcome.ERROR, Measurement(metric.label, metric.source, what, "", False), note
    reason = _ratio_reason(metric, base, actual.dimension)
    if reason is not None:
        return by_ratio(plain, metric, base, confidence, reason)
    head = _oriented(metric.samples, metric.sample_dimension, actual.dimension)
    based = _oriented(base.samples, base.sample_dimension, actual.dimension)
    assert head is not None and based is not None  # _ratio_reason said they are
    try:
        found = compare(based, head, widened(change.limit, drift), confidence)
    except SampleError as exc:
        note = f"{metric.label} {change.statistic} vs the baseline ({base.source}): {exc}"
        return Outcome.ERROR, Measurement(metric.label, metric.source, what, "", False), note
    interval = shown_interval(found.estimate, found.low, found.high, confidence)
    unpaired = UNPAIRED
    if drift is not None:
        unpaired = f"unpaired: allows {drift * 100:g} % drift between runs"
    shown = f"{actual} vs {baseline} ({interval}; {unpaired})"
    verdict = verdict_words(found.verdict, change)
    ok = found.verdict is Verdict.WITHIN
    sampled = Sampled(
        Method.MANN_WHITNEY, confidence, found.base_samples, found.head_samples,
        (found.low, found.high), found.p_value,
    )  # fmt: skip
    measured = Measurement(
        metric.label, metric.source, what, shown, ok, actual, baseline=baseline,
        change=found.estimate, allowed_change=change.limit, change_unit=change.unit,
        sampled=sampled,
    )  # fmt: skip
    note = f"{metric.label} {change.statistic} = {shown} ({verdict})"
    return Outcome.PASS if ok else Outcome.FAIL, measured, note
