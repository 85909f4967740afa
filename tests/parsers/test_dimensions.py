"""Every format's statistics have the dimensions gatekeeper.parsers.dimensions declares.

Parses every fixture and example artifact and reads each statistic the way a threshold
does (reported, under another name, or derived from raw samples): each must have the
dimension its format declares, so ``validate`` can refuse a threshold in the wrong one
before any evidence exists, and a parser cannot drift from its declaration.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import FALLBACK_STATS, Metric, ParsedFile
from gatekeeper.parsers import AUTO, PARSER_MODULES, parse_file
from gatekeeper.parsers.dimensions import DECLARED, declared_dimension
from gatekeeper.series import read_statistic
from gatekeeper.stats import SAMPLE_STATISTICS
from gatekeeper.units import Dimension, Quantity
from tests.conftest import REPO

ROOTS = (REPO / "tests" / "parsers" / "fixtures", REPO / "examples" / "kmta" / "reports")


@cache
def _parsed() -> tuple[ParsedFile, ...]:
    found = []
    for root in ROOTS:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                found.append(parse_file(path, str(path.relative_to(REPO)), AUTO))
            except EvidenceError:
                continue  # hostile and broken fixtures are tested elsewhere
    return tuple(found)


def _read(metric: Metric) -> dict[str, Quantity]:
    """Every statistic a threshold can read from the series."""
    names = {*metric.stats, *FALLBACK_STATS}
    if metric.samples:
        names |= {*SAMPLE_STATISTICS, "p(50)", "p(99.9)"}
    return {n: q for n in sorted(names) if (q := read_statistic(metric, n)) is not None}


def test_every_format_declares_its_statistics() -> None:
    assert set(DECLARED) == set(PARSER_MODULES)


def test_every_statistic_of_every_fixture_has_its_declared_dimension() -> None:
    wrong = []
    checked: Counter[str] = Counter()
    for parsed in _parsed():
        declared = DECLARED[parsed.format]
        for metric in parsed.metrics:
            for name, quantity in _read(metric).items():
                checked[parsed.format] += 1
                if not declared.allows(name, quantity.dimension):
                    wanted = declared.dimension(name)
                    said = wanted.value if wanted else "not declared"
                    wrong.append(f"{parsed.path}: {metric.label} {name} measures "
                                 f"{quantity.dimension.value}; declared: {said}")  # fmt: skip
    assert not wrong
    # not vacuous: every metric format with a fixture was held to its declaration
    metric_formats = {name for name, declared in DECLARED.items() if declared.fixed}
    assert metric_formats <= set(checked)
    assert sum(checked.values()) > 1000


def test_a_derived_count_is_a_count_whatever_the_samples_measure() -> None:
    """Issue 9, class 3: a count from raw time samples was a time (`count >= 100` = 100 ms)."""
    with_samples = [m for f in _parsed() for m in f.metrics if m.samples]
    assert {m.sample_dimension for m in with_samples} >= {Dimension.TIME}
    for metric in with_samples:
        count = read_statistic(metric, "count")
        assert count is not None and count.dimension is Dimension.COUNT, metric.label


def test_percentiles_share_one_declaration() -> None:
    assert declared_dimension("locust", "p(99.99)") is Dimension.TIME
    assert declared_dimension("locust", "p(50)") is Dimension.TIME
    assert declared_dimension("locust", "error_rate") is Dimension.RATIO
    assert declared_dimension("k6", "rate") is None  # a ratio or per second, by metric kind
    assert declared_dimension("k6", "fails") is Dimension.COUNT
    assert declared_dimension("auto", "avg") is None
