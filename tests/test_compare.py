"""gatekeeper.compare: a statistical "regressed", held to known answers.

Seeded simulations of timing noise (log-normal, 2 % of the runs 3x slower) check the
false-positive rate, the power and the interval's coverage the module's docstring states;
small cases are worked by hand, the order statistics are held to brute force, and the
p-values and the interval to SciPy's Mann–Whitney test where SciPy is installed.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable

import pytest

from gatekeeper.compare import (
    MIN_SAMPLES,
    Comparison,
    SampleError,
    Verdict,
    _Pairs,
    compare,
)

TRIALS = 400


def timings(rng: random.Random, count: int, ratio: float = 1.0, sigma: float = 0.1) -> list[float]:
    """``count`` run times around ``ratio`` (log-normal, sd ``sigma`` on the log scale: about
    10 % spread), 2 % of them 3x slower (a run that lost the CPU), ascending as parsers give
    them."""
    return sorted(
        ratio * math.exp(rng.gauss(0, sigma)) * (3.0 if rng.random() < 0.02 else 1.0)
        for _ in range(count)
    )


def coarse(values: list[float], tick: float) -> list[float]:
    """``values`` as a timer with resolution ``tick`` reads them: many equal values."""
    return [max(tick, round(v / tick) * tick) for v in values]


def binomial_upper(trials: int, rate: float, tail: float = 0.001) -> int:
    """The smallest count that Binomial(trials, rate) exceeds with probability at most
    ``tail``: the allowance a seeded count of rare events is held to."""
    total = 0.0
    for hits in range(trials + 1):
        total += math.comb(trials, hits) * rate**hits * (1 - rate) ** (trials - hits)
        if 1 - total <= tail:
            return hits
    return trials


def binomial_lower(trials: int, rate: float, tail: float = 0.001) -> int:
    """The largest count that Binomial(trials, rate) falls below with probability at most
    ``tail``."""
    return trials - binomial_upper(trials, 1 - rate, tail)


def test_the_allowances_are_what_the_binomial_says() -> None:
    # 400 trials at 5 %: 20 expected, sd 4.4; more than 35 happens less than once in 1,000
    assert binomial_upper(400, 0.05) == 35
    assert binomial_lower(400, 0.90) == 340


# ----- known answers over seeded trials -----


@pytest.mark.parametrize("confidence", [0.90, 0.99])
def test_identical_distributions_regress_at_most_at_the_stated_rate(confidence: float) -> None:
    """No change, judged against a limit of +0 %, the hardest case for no change: the stated
    rate is (1 - c) / 2, as the interval is two-sided (and so at most 1 - c)."""
    rng = random.Random(20261203)
    regressed = sum(
        compare(timings(rng, 30), timings(rng, 30), 0.0, confidence).regressed
        for _ in range(TRIALS)
    )
    assert regressed <= binomial_upper(TRIALS, (1 - confidence) / 2)


def test_a_change_exactly_at_the_limit_regresses_at_most_at_the_stated_rate() -> None:
    rng = random.Random(11)
    regressed = sum(
        compare(timings(rng, 30), timings(rng, 30, 1.10), 0.10, 0.90).regressed
        for _ in range(TRIALS)
    )
    assert regressed <= binomial_upper(TRIALS, 0.05)


def test_a_change_well_within_the_limit_is_shown_within() -> None:
    rng = random.Random(12)
    # the interval of no change spans about +-5 % at 60 a side: +15 % is far outside it
    outcomes = [compare(timings(rng, 60), timings(rng, 60), 0.15, 0.99) for _ in range(50)]
    assert all(o.verdict is Verdict.WITHIN for o in outcomes)


def test_a_coarse_timer_does_not_make_false_regressions() -> None:
    """Ties everywhere (a tick of a tenth of the typical time: some ten distinct values)."""
    rng = random.Random(13)
    regressed = sum(
        compare(coarse(timings(rng, 30), 0.1), coarse(timings(rng, 30), 0.1), 0.0, 0.90).regressed
        for _ in range(TRIALS)
    )
    assert regressed <= binomial_upper(TRIALS, 0.05)


def test_a_20_percent_slowdown_is_found_against_a_10_percent_limit() -> None:
    """The documented sample size: 60 per side at 99 % finds it in at least 90 % of runs
    (the simulation gives about 96 %; 50 per side gives about 92 %, 40 only 80 %)."""
    rng = random.Random(14)
    found = sum(
        compare(timings(rng, 60), timings(rng, 60, 1.20), 0.10, 0.99).regressed
        for _ in range(TRIALS)
    )
    assert found >= 0.9 * TRIALS


def test_a_20_percent_throughput_drop_is_found_against_a_5_percent_limit() -> None:
    rng = random.Random(15)
    found = sum(
        compare(timings(rng, 60), timings(rng, 60, 0.80), -0.05, 0.99).regressed
        for _ in range(TRIALS)
    )
    assert found >= 0.9 * TRIALS


@pytest.mark.parametrize(("confidence", "ratio"), [(0.90, 1.15), (0.95, 0.9), (0.99, 1.0)])
def test_the_interval_covers_the_true_ratio_at_its_stated_rate(
    confidence: float, ratio: float
) -> None:
    rng = random.Random(16)
    true_change = ratio - 1
    covered = 0
    for _ in range(TRIALS):
        outcome = compare(timings(rng, 30), timings(rng, 30, ratio), 0.10, confidence)
        # the ends pass through log and exp: allow their rounding
        covered += outcome.low - 1e-12 <= true_change <= outcome.high + 1e-12
    assert covered >= binomial_lower(TRIALS, confidence)


# ----- small cases by hand -----


def test_a_shift_by_one_on_the_log_scale_worked_by_hand() -> None:
    """base e^0..e^9, head e^1..e^10: the differences of logs are t + 1 for t = j - i in
    -9..9, t taken 10 - |t| times. Their median is 1: the head is e times the base.

    At 90 %, z = 1.6449; sigma of U = sqrt(10 * 10 * 21 / 12) = 13.229; the lower end is the
    difference of rank floor(50 + 0.5 - 1.6449 * 13.229) = 28: 1 + 2 + ... + 7 = 28 pairs have
    t <= -3, so it is -3 + 1 = -2, and the upper end, by symmetry, is 3 + 1 = 4.

    At the limit +0 % (shift 0), 55 differences are above 0 (t >= 0) and 9 equal it (t = -1):
    U = 55 + 9 / 2 = 59.5, z = (59.5 - 50 - 0.5) / 13.229 = 0.6803, p = 0.2481."""
    base = [math.exp(i) for i in range(10)]
    head = [math.exp(i + 1) for i in range(10)]
    outcome = compare(base, head, 0.0, 0.90)
    assert outcome.estimate == pytest.approx(math.e - 1, rel=1e-12)
    assert outcome.low == pytest.approx(math.exp(-2) - 1, rel=1e-12)
    assert outcome.high == pytest.approx(math.exp(4) - 1, rel=1e-12)
    assert outcome.p_value == pytest.approx(0.2481, abs=1e-4)
    assert outcome.verdict is Verdict.UNCLEAR
    assert (outcome.base_samples, outcome.head_samples) == (10, 10)
    assert (outcome.confidence, outcome.limit) == (0.90, 0.0)


def test_equal_samples_everywhere_are_no_change() -> None:
    outcome = compare([5.0] * 10, [5.0] * 12, 0.10, 0.99)
    assert (outcome.estimate, outcome.low, outcome.high) == (0.0, 0.0, 0.0)
    assert outcome.verdict is Verdict.WITHIN
    assert outcome.p_value > 0.99


def test_a_doubling_with_no_overlap_is_a_regression_and_a_halving_is_not() -> None:
    base = [float(v) for v in range(100, 120)]
    slower = [2 * v for v in base]
    assert compare(base, slower, 0.10, 0.99).verdict is Verdict.REGRESSED
    assert compare(slower, base, 0.10, 0.99).verdict is Verdict.WITHIN
    # the same halving of a throughput is a regression against 'ops -5%'
    assert compare(slower, base, -0.05, 0.99).verdict is Verdict.REGRESSED
    assert compare(base, slower, -0.05, 0.99).verdict is Verdict.WITHIN


def test_outliers_move_the_estimate_by_little_and_never_make_a_regression() -> None:
    """Three runs of sixty a hundred times slower (the mean grows fivefold): the median of
    the pairwise ratios barely moves."""
    rng = random.Random(18)
    base = timings(rng, 60)
    head = sorted([*base[:57], *(100 * v for v in base[57:])])
    outcome = compare(base, head, 0.10, 0.99)
    assert statistics.mean(head) > 5 * statistics.mean(base)
    assert 0 <= outcome.estimate < 0.03
    assert not outcome.regressed


@pytest.mark.parametrize(
    ("base_tick", "head_tick", "limit"),
    [(10, 11, 0.10), (20, 22, 0.10), (10, 12, 0.20), (100, 105, 0.05), (20, 19, -0.05)],
)
def test_a_ratio_of_ticks_equal_to_the_limit_is_at_the_limit(
    base_tick: int, head_tick: int, limit: float
) -> None:
    """Every pair's ratio is the limit, but for the last bits of its log (log 11 - log 10 is
    log1p(0.1) - 1e-16): a change at the limit, which it allows, whatever the rounding."""
    outcome = compare([float(base_tick)] * 20, [float(head_tick)] * 20, limit, 0.99)
    assert outcome.estimate == pytest.approx(limit, rel=1e-12)
    assert outcome.verdict is Verdict.WITHIN
    # the test counts every pair half past the limit: no evidence either way
    assert outcome.p_value > 0.4


def test_an_interval_ending_at_the_limit_holds_it_though_the_test_rejects_it() -> None:
    """10 ticks against 11 and 12, half and half: half the pairs are at +10 %, half at +20 %.
    The interval's lower end is +10 %, the limit itself, so the samples do not show that the
    change exceeds it; the test, counting the pairs at the limit half past it, rejects "at
    most +10 %". The interval decides (the module's docstring says so)."""
    outcome = compare([10.0] * 30, [11.0] * 15 + [12.0] * 15, 0.10, 0.99)
    assert outcome.low == pytest.approx(0.10, rel=1e-12)
    assert outcome.high == pytest.approx(0.20, rel=1e-12)
    assert outcome.verdict is Verdict.UNCLEAR
    assert outcome.p_value < 0.001


def test_minus_zero_percent_is_a_limit_on_any_drop() -> None:
    base = [float(v) for v in range(100, 120)]
    lower = [v * 0.5 for v in base]
    assert compare(base, lower, -0.0, 0.99).regressed
    assert not compare(base, lower, 0.0, 0.99).regressed


def test_too_few_samples_for_the_confidence_leave_the_interval_open() -> None:
    """Ten a side cannot show anything at 1 - 1e-12: the interval is everything."""
    base = [float(v) for v in range(10, 20)]
    outcome = compare(base, [2 * v for v in base], 0.10, 1 - 1e-12)
    assert (outcome.low, outcome.high) == (-1.0, math.inf)
    assert outcome.verdict is Verdict.UNCLEAR


def test_the_record_says_how_it_was_made() -> None:
    outcome = compare([1.0 + i for i in range(10)], [1.0 + i for i in range(10)], 0.1, 0.9)
    assert isinstance(outcome, Comparison)
    assert "Hodges-Lehmann" in outcome.method and "Mann-Whitney" in outcome.method
    assert not outcome.regressed


# ----- refusals -----

TEN = [1.0] * 10


@pytest.mark.parametrize(
    ("base", "head", "limit", "confidence", "message"),
    [
        ([1.0] * (MIN_SAMPLES - 1), TEN, 0.1, 0.99, "the baseline has 9 sample(s)"),
        (TEN, [], 0.1, 0.99, "the head has 0 sample(s)"),
        ([*TEN, 0.0], TEN, 0.1, 0.99, "the baseline holds 0.0"),
        (TEN, [*TEN, -2.0], 0.1, 0.99, "the head holds -2.0"),
        (TEN, [*TEN, math.nan], 0.1, 0.99, "the head holds nan"),
        ([*TEN, math.inf], TEN, 0.1, 0.99, "the baseline holds inf"),
        (TEN, TEN, 0.1, 0.5, "the confidence must be above 0.5 and below 1, not 0.5"),
        (TEN, TEN, 0.1, 1.0, "not 1.0"),
        (TEN, TEN, 0.1, math.nan, "not nan"),
        (TEN, TEN, -1.0, 0.99, "above -100 %"),
        (TEN, TEN, math.nan, 0.99, "above -100 %"),
    ],
)
def test_what_cannot_be_judged_is_refused(
    base: list[float], head: list[float], limit: float, confidence: float, message: str
) -> None:
    with pytest.raises(SampleError) as raised:
        compare(base, head, limit, confidence)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_a_nan_among_many_is_found_wherever_it_sorts() -> None:
    head = [float(v) for v in range(1, 30)]
    head.insert(7, math.nan)
    with pytest.raises(SampleError, match="nan"):
        compare(head[::-1], [float(v) for v in range(1, 30)], 0.1, 0.9)


# ----- the order statistics against brute force -----


def brute(xs: list[float], ys: list[float]) -> list[float]:
    return sorted(y - x for y in ys for x in xs)


def _cases(
    seed: int, count: int, size: Callable[[random.Random], int]
) -> list[tuple[list[float], list[float]]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        tick = rng.choice([None, 0.1, 0.5])
        base = timings(rng, size(rng))
        head = timings(rng, size(rng), rng.choice([1.0, 1.1, 1.3]))
        if tick:
            base, head = coarse(base, tick), coarse(head, tick)
        cases.append((sorted(map(math.log, base)), sorted(map(math.log, head))))
    return cases


@pytest.mark.parametrize(
    ("xs", "ys"),
    _cases(1, 30, lambda rng: rng.randint(10, 40))
    + _cases(2, 4, lambda rng: rng.randint(150, 250)),
)
def test_every_order_statistic_asked_for_is_the_brute_force_one(
    xs: list[float], ys: list[float]
) -> None:
    differences = brute(xs, ys)
    pairs = _Pairs(xs, ys)
    total = len(differences)
    for k in sorted({1, 2, total // 7, total // 3, (total + 1) // 2, total - 5, total}):
        assert pairs.kth(k) == differences[k - 1], k


@pytest.mark.parametrize("seed", range(6))
def test_the_estimate_is_the_median_of_the_pairwise_ratios(seed: int) -> None:
    rng = random.Random(seed)
    base, head = timings(rng, rng.randint(10, 50)), timings(rng, rng.randint(10, 50), 1.1)
    middle = statistics.median(brute(list(map(math.log, base)), list(map(math.log, head))))
    assert compare(base, head, 0.1, 0.95).estimate == pytest.approx(math.expm1(middle), rel=1e-12)


@pytest.mark.parametrize("tick", [None, 0.01, 0.1, 1.0])
def test_a_thousand_a_side_takes_a_few_cuts_and_each_answer_proves_itself(
    tick: float | None,
) -> None:
    """The speed of the search, measured without a clock: 1,000 x 1,000 pairs are narrowed
    with a few dozen bisect passes at most (ties included), and each k-th difference found is
    checked by counting: at least k pairs are at most it, fewer than k below it."""
    rng = random.Random(17)
    base, head = timings(rng, 1000), timings(rng, 1000, 1.05)
    if tick:
        base, head = coarse([10 * v for v in base], tick), coarse([10 * v for v in head], tick)
    pairs = _Pairs(sorted(map(math.log, base)), sorted(map(math.log, head)))
    total = pairs.total
    for k in (466_738, total // 2, total // 2 + 1, total + 1 - 466_738):
        value = pairs.kth(k)
        # counting compares base_i with head_j - shift: the last bit may round either way
        assert pairs.at(math.nextafter(value, math.inf)).count >= k
        assert pairs.count_below(math.nextafter(value, -math.inf)) < k
    assert len(pairs.cuts) <= 2 + 40


# ----- against SciPy's Mann–Whitney test -----


def _scipy_cases() -> list[tuple[list[float], list[float], float]]:
    """Samples with ties within each side only, or none, and limits both ways. A third of
    the cases are on ticks: the base on 0.02 i, the head on 0.02 j + 0.0013, so that no
    ratio is 1 + L for these limits: 200 j + 13 = 200 i (1 + L) has no solution, its right
    side being a multiple of 10."""
    rng = random.Random(3)
    cases = []
    for index in range(24):
        base = timings(rng, rng.randint(10, 80))
        head = timings(rng, rng.randint(10, 80), rng.choice([0.9, 1.0, 1.1, 1.25]))
        if index % 3 == 0:
            base = [max(0.02, round(v * 50) / 50) for v in base]
            head = [max(0.02, round(v * 50) / 50) + 0.0013 for v in head]
        cases.append((base, head, rng.choice([0.1, 0.05, -0.05, -0.1])))
    return cases


@pytest.mark.needs("scipy")
@pytest.mark.parametrize(("base", "head", "limit"), _scipy_cases())
def test_the_p_value_is_scipys_mann_whitney(
    base: list[float], head: list[float], limit: float
) -> None:
    from scipy.stats import mannwhitneyu

    shift = math.log1p(limit)
    shifted = [math.log(v) - shift for v in head]
    logs = [math.log(v) for v in base]
    if any(abs(a - b) < 1e-12 for a in shifted for b in logs):
        pytest.skip(
            "a ratio at the limit: a tie to us, not to SciPy (and ours is the cautious variance)"
        )
    alternative = "greater" if limit > 0 else "less"
    expected = mannwhitneyu(shifted, logs, alternative=alternative, method="asymptotic")
    assert compare(base, head, limit, 0.95).p_value == pytest.approx(expected.pvalue, rel=1e-9)


@pytest.mark.needs("scipy")
@pytest.mark.parametrize(("base", "head", "limit"), _scipy_cases()[:12])
def test_the_interval_is_where_scipys_test_stops_rejecting(
    base: list[float], head: list[float], limit: float
) -> None:
    """Each end of the c interval is the shift at which the one-sided test at (1 - c) / 2
    turns: just outside it SciPy rejects, just inside it does not."""
    from scipy.stats import mannwhitneyu

    confidence = 0.95
    outcome = compare(base, head, limit, confidence)
    logs = [math.log(v) for v in base]

    def p(shift: float, alternative: str) -> float:
        shifted = [math.log(v) - shift for v in head]
        return float(
            mannwhitneyu(shifted, logs, alternative=alternative, method="asymptotic").pvalue
        )

    low, high = math.log1p(outcome.low), math.log1p(outcome.high)
    nudge = 1e-9
    assert p(low - nudge, "greater") <= (1 - confidence) / 2 < p(low + nudge, "greater")
    assert p(high + nudge, "less") <= (1 - confidence) / 2 < p(high - nudge, "less")


@pytest.mark.parametrize(("base", "head", "limit"), _scipy_cases())
def test_the_verdict_agrees_with_the_p_value(
    base: list[float], head: list[float], limit: float
) -> None:
    for confidence in (0.8, 0.95, 0.99):
        outcome = compare(base, head, limit, confidence)
        assert outcome.regressed == (outcome.p_value <= (1 - confidence) / 2)
