"""Statistics from raw samples, as k6 computes them."""

from __future__ import annotations

import pytest

from gatekeeper.stats import from_samples, percentile


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


def test_named_statistics() -> None:
    ordered = [1.0, 2.0, 3.0, 4.0]
    assert from_samples(ordered, "avg") == 2.5
    assert from_samples(ordered, "med") == 2.5
    assert from_samples(ordered, "min") == 1.0
    assert from_samples(ordered, "max") == 4.0
    assert from_samples(ordered, "count") == 4.0
    assert from_samples(ordered, "stddev") == pytest.approx(1.118033988749895)
    assert from_samples(ordered, "p(99.9)") == pytest.approx(3.997)
    assert from_samples(ordered, "rate") is None
    assert from_samples([], "avg") is None
