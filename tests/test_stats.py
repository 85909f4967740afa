"""Statistics from raw samples, as k6 computes them: each in its own dimension, and safe at
the float limit."""

from __future__ import annotations

import math

import pytest

from gatekeeper.stats import SAMPLE_STATISTICS, from_samples, mean, percentile, stddev
from gatekeeper.units import Dimension, Quantity


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1.0, 2.0, 3.0, 4.0], 95, 3.85),  # rank 2.85: 3 + 0.85 * (4 - 3)
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([10.0], 99, 10.0),
        ([1.0, 2.0], 0, 1.0),
        ([1.0, 2.0], 100, 2.0),
        (list(map(float, range(101))), 90, 90.0),
    ],
)
def test_percentile_interpolates_at_rank_n_minus_1_times_p(
    values: list[float], p: float, expected: float
) -> None:
    assert percentile(values, p) == pytest.approx(expected)


def _value(ordered: list[float], statistic: str) -> float:
    found = from_samples(ordered, statistic, Dimension.TIME)
    assert found is not None
    return found.value


def test_named_statistics() -> None:
    ordered = [1.0, 2.0, 3.0, 4.0]
    assert _value(ordered, "avg") == 2.5
    assert _value(ordered, "med") == 2.5
    assert _value(ordered, "min") == 1.0
    assert _value(ordered, "max") == 4.0
    assert _value(ordered, "count") == 4.0
    assert _value(ordered, "stddev") == pytest.approx(1.118033988749895)
    assert _value(ordered, "p(99.9)") == pytest.approx(3.997)
    assert from_samples(ordered, "rate", Dimension.TIME) is None
    assert from_samples([], "avg", Dimension.TIME) is None


def test_a_count_of_time_samples_is_a_count_not_a_time() -> None:
    """Issue 9, class 3: `count >= 100` was read as 100 ms against 4 time samples."""
    ordered = [0.1, 0.2, 0.3, 0.4]
    assert from_samples(ordered, "count", Dimension.TIME) == Quantity(4.0, Dimension.COUNT)
    for statistic in (*SAMPLE_STATISTICS[1:], "p(95)"):
        found = from_samples(ordered, statistic, Dimension.SIZE)
        assert found is not None and found.dimension is Dimension.SIZE, statistic


@pytest.mark.parametrize(
    "values",
    [[-1e308, 1e308], [1e308, 1.7e308], [1.7e308] * 3, [-1.7e308, -1.7e308, 1e-300]],
)
def test_statistics_near_the_float_limit_never_raise(values: list[float]) -> None:
    """Issue 9: two go-bench rows of ±1e308 raised OverflowError in the statistics."""
    ordered = sorted(values)
    for statistic in (*SAMPLE_STATISTICS, "p(50)", "p(95)"):
        found = from_samples(ordered, statistic, Dimension.NUMBER)
        assert found is not None
    scaled = math.fsum(v / 1e308 for v in ordered) / len(ordered)
    assert mean(ordered) == pytest.approx(scaled * 1e308)
    assert min(ordered) <= percentile(ordered, 50) <= max(ordered)


def test_overflow_safe_statistics_keep_their_values() -> None:
    assert mean([1.7e308, 1.7e308]) == pytest.approx(1.7e308)
    assert stddev([1e308, 1.7e308]) == pytest.approx(0.35e308)
    assert stddev([-1.7e308, 1.7e308]) == pytest.approx(1.7e308)
    assert percentile([-1e308, 1e308], 50) == 0.0


def test_both_infinities_give_nan_not_an_exception() -> None:
    assert math.isnan(mean([-math.inf, math.inf]))
    assert math.isnan(stddev([-math.inf, math.inf]))
    assert math.isnan(stddev([1.0, math.nan]))
