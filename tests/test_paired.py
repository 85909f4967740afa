"""gatekeeper.paired: base and HEAD measured round by round in one job, held to known answers.

The noise that matters on a shared runner is drift: the whole machine is slower for a while,
for base and HEAD alike. The simulations give each round its own machine speed (log-normal,
30 % spread), shared by the two runs of the round, and a little noise of each run's own.
They check the false-positive rate, the power and the interval's coverage that the module's
docstring states, and show what an unpaired comparison says of the same runs. The p-values
and the interval's ends are held to SciPy's exact Wilcoxon test where SciPy is installed.
"""

from __future__ import annotations

import math
import random

import pytest

from gatekeeper.compare import SampleError, Verdict, compare
from gatekeeper.paired import MIN_ROUNDS, PAIRED, compare_paired
from tests.test_compare import binomial_lower, binomial_upper

TRIALS = 400


def rounds(
    rng: random.Random, count: int, ratio: float, drift: float = 0.3, noise: float = 0.03
) -> tuple[list[float], list[float]]:
    """``count`` rounds of one base and one HEAD run: the machine's speed this round (sd
    ``drift`` on the log scale) times each run's own noise; HEAD ``ratio`` times slower."""
    base, head = [], []
    for _ in range(count):
        machine = math.exp(rng.gauss(0, drift))
        base.append(machine * math.exp(rng.gauss(0, noise)))
        head.append(ratio * machine * math.exp(rng.gauss(0, noise)))
    return base, head


def test_the_same_code_is_never_shown_slower_than_the_limit() -> None:
    rng = random.Random(1)
    flagged = sum(
        compare_paired(*rounds(rng, 10, 1.0), 0.10, 0.95).regressed for _ in range(TRIALS)
    )
    assert flagged == 0


def test_a_change_at_the_limit_is_called_a_regression_at_most_at_the_stated_rate() -> None:
    """The worst case for false alarms: the true change is the limit itself."""
    rng = random.Random(2)
    confidence = 0.95
    flagged = sum(
        compare_paired(*rounds(rng, 12, 1.10), 0.10, confidence).regressed for _ in range(TRIALS)
    )
    assert flagged <= binomial_upper(TRIALS, (1 - confidence) / 2)


def test_a_20_percent_slowdown_is_found_in_10_rounds_through_30_percent_drift() -> None:
    rng = random.Random(3)
    found = sum(compare_paired(*rounds(rng, 10, 1.20), 0.10, 0.95).regressed for _ in range(TRIALS))
    assert found >= binomial_lower(TRIALS, 0.90)


def test_the_interval_covers_the_true_change_at_its_stated_rate() -> None:
    rng = random.Random(4)
    confidence = 0.90
    covered = 0
    for _ in range(TRIALS):
        result = compare_paired(*rounds(rng, 15, 1.07), 0.10, confidence)
        covered += result.low <= 0.07 <= result.high
    # the exact test's interval covers at least its confidence (discreteness: more)
    assert covered >= binomial_lower(TRIALS, confidence)


def test_unpaired_on_the_same_runs_calls_drift_a_change() -> None:
    """Why pairs: the base measured in one stretch of time and HEAD in another (a baseline
    from another job), the same code differs by the machine's drift between the stretches.
    The paired comparison of runs taken in alternation does not."""
    rng = random.Random(5)
    unpaired_flagged = paired_flagged = 0
    for _ in range(100):
        base_job, head_job = math.exp(rng.gauss(0, 0.3)), math.exp(rng.gauss(0, 0.3))
        base = [base_job * math.exp(rng.gauss(0, 0.03)) for _ in range(30)]
        head = [head_job * math.exp(rng.gauss(0, 0.03)) for _ in range(30)]
        unpaired_flagged += compare(sorted(base), sorted(head), 0.10, 0.95).regressed
        paired_flagged += compare_paired(*rounds(rng, 10, 1.0), 0.10, 0.95).regressed
    assert paired_flagged == 0
    assert unpaired_flagged >= 20  # jobs 30 % apart: a third of them exceed +10 % by drift


def test_six_rounds_at_95_percent_span_the_least_and_the_greatest_ratio() -> None:
    """n = 6: P(T+ = 0) = 1/64 <= 0.025 < 2/64, so the interval leaves out no Walsh average
    below or above: its ends are the least and the greatest of the rounds' ratios."""
    base = [1.0] * 6
    head = [1.01, 1.02, 1.05, 1.03, 1.04, 1.00]
    result = compare_paired(base, head, 0.10, 0.95)
    assert result.low == pytest.approx(0.0, abs=1e-12)
    assert result.high == pytest.approx(0.05)
    assert result.verdict is Verdict.WITHIN
    assert result.method == PAIRED
    assert (result.base_samples, result.head_samples) == (6, 6)


def test_five_rounds_cannot_bound_an_interval_at_95_percent() -> None:
    result = compare_paired([1.0] * 5, [2.0] * 5, 0.10, 0.95)
    assert (result.low, result.high) == (-1.0, math.inf)
    assert result.verdict is Verdict.UNCLEAR  # doubled, but 5 rounds cannot show it at 95 %
    assert compare_paired([1.0] * 5, [2.0] * 5, 0.10, 0.9).verdict is Verdict.REGRESSED


def test_the_median_ratio_is_the_estimate_and_one_wild_round_barely_moves_it() -> None:
    base = [1.0] * 9
    head = [1.10, 1.11, 1.12, 1.10, 1.11, 1.12, 1.10, 1.11, 1.12]
    calm = compare_paired(base, head, 0.05, 0.95)
    wild = compare_paired(base, [*head[:-1], 40.0], 0.05, 0.95)
    assert calm.estimate == pytest.approx(0.11, abs=0.002)
    assert abs(wild.estimate - calm.estimate) < 0.01
    assert calm.regressed and wild.regressed


def test_throughput_may_drop_by_at_most_the_limit() -> None:
    base = [100.0] * 10
    slower = [80.0, 81.0, 79.0, 80.5, 79.5, 80.0, 81.0, 79.0, 80.2, 79.8]
    assert compare_paired(base, slower, -0.05, 0.95).regressed
    faster = [x * 1.5 for x in slower]
    assert compare_paired(base, faster, -0.05, 0.95).verdict is Verdict.WITHIN


@pytest.mark.parametrize(
    ("base", "head", "says"),
    [
        ([1.0] * 4, [1.0] * 4, f"at least {MIN_ROUNDS}"),
        ([1.0] * 6, [1.0] * 5, "not pairs"),
        ([1.0] * 5 + [0.0], [1.0] * 6, "round 6: the base figure 0.0"),
        ([1.0] * 6, [1.0, math.nan] + [1.0] * 4, "round 2: the HEAD figure nan"),
        ([1.0] * 6, [1.0] * 5 + [-2.0], "round 6: the HEAD figure -2.0"),
        ([1.0] * 6, [math.inf] + [1.0] * 5, "round 1: the HEAD figure inf"),
    ],
)
def test_what_cannot_be_judged_is_refused(base: list[float], head: list[float], says: str) -> None:
    with pytest.raises(SampleError, match=says.replace("(", r"\(")):
        compare_paired(base, head, 0.10, 0.95)


@pytest.mark.parametrize("confidence", [0.5, 1.0, math.nan, 2.0])
def test_a_confidence_outside_its_range_is_refused(confidence: float) -> None:
    with pytest.raises(SampleError, match="confidence"):
        compare_paired([1.0] * 6, [1.0] * 6, 0.10, confidence)


@pytest.mark.needs("scipy")
def test_p_values_and_interval_ends_are_scipys_exact_wilcoxon() -> None:
    """The p-value is SciPy's exact one-sided signed-rank test of the log ratios against the
    limit; at each end of the interval, SciPy's two-sided test stops rejecting."""
    from scipy.stats import wilcoxon

    rng = random.Random(6)
    for _ in range(60):
        n = rng.randint(6, 25)
        base, head = rounds(rng, n, rng.uniform(1.0, 1.25))
        result = compare_paired(base, head, 0.10, 0.95)
        logs = [math.log(h / b) for b, h in zip(base, head, strict=True)]
        limit = math.log1p(0.10)
        expected = wilcoxon([d - limit for d in logs], alternative="greater", method="exact")
        assert result.p_value == pytest.approx(expected.pvalue, abs=1e-12)
        low, high = math.log1p(result.low), math.log1p(result.high)
        for end, outward in ((low, -1e-9), (high, 1e-9)):
            inside = wilcoxon([d - (end - outward) for d in logs], method="exact").pvalue
            outside = wilcoxon([d - (end + outward) for d in logs], method="exact").pvalue
            assert inside > 0.05 >= outside
