"""What each format's statistics measure, declared, so a matrix is checked before any file is.

``count >= 100ms`` against go-bench, or ``error_rate < 1`` against Locust, is wrong whatever
the files say: with the format declared, ``validate`` refuses it (exit 2, at the threshold's
line). Where the format is ``auto``, or the dimension depends on the series (k6's ``rate`` is
a ratio for a Rate metric but per second for a Counter; a JMH score is a time or a
throughput by its mode), the same mistake is an ``error`` for that benchmark at ``check``
time, where the value's own dimension is known.

tests/parsers/test_dimensions.py parses every fixture and holds each statistic gatekeeper
reads from it, reported or derived (from raw samples, or under another name), to this
table: a format cannot drift from its declaration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field

from gatekeeper.evidence import FALLBACK_STATS
from gatekeeper.records import record
from gatekeeper.threshold import closest_statistic
from gatekeeper.units import Dimension

PERCENTILES = "p(N)"
"""The key that stands for every percentile, p(0) to p(100)."""
_PERCENTILE = re.compile(r"p\(\d+(?:\.\d+)?\)")

TIME, COUNT, RATIO = Dimension.TIME, Dimension.COUNT, Dimension.RATIO
THROUGHPUT, SIZE, DATA_RATE = Dimension.THROUGHPUT, Dimension.SIZE, Dimension.DATA_RATE


@record
class Declared:
    """The statistics of one format and what each measures."""

    fixed: Mapping[str, Dimension] = field(default_factory=dict)
    """Statistic -> its dimension in every series of the format (``p(N)``: any percentile)."""
    varies: frozenset[str] = frozenset()
    """Statistics whose dimension depends on the series."""
    own: bool = False
    """Whether the tool reports statistics of its own beyond these (user counters, custom
    units), of any dimension."""

    def dimension(self, statistic: str) -> Dimension | None:
        """What ``statistic`` measures in every series of the format; None when that is not
        fixed (it varies, or is the tool's own, or is not declared)."""
        return self.fixed.get(_key(statistic))

    def allows(self, statistic: str, dimension: Dimension) -> bool:
        """Whether a series may report ``statistic`` in ``dimension``."""
        key = _key(statistic)
        if key in self.fixed:
            return self.fixed[key] is dimension
        return key in self.varies or self.own


def _key(statistic: str) -> str:
    return PERCENTILES if _PERCENTILE.fullmatch(statistic) else statistic


def _each(dimension: Dimension, *statistics: str) -> dict[str, Dimension]:
    return dict.fromkeys(statistics, dimension)


_TIMES = _each(TIME, "avg", "min", "max", "med", "stddev", PERCENTILES)
_K6 = Declared(_each(COUNT, "passes", "fails"), own=True)  # a trend of times, bytes or numbers
_REQUESTS = {**_each(COUNT, "count", "fails"), "error_rate": RATIO, "throughput": THROUGHPUT}
# a coverage report's ratios and the counts they are taken from (each only where it has them)
_COVERAGE = Declared(
    {
        **_each(RATIO, "line", "branch", "function"),
        **_each(
            COUNT,
            *(f"{k}_{s}" for k in ("lines", "branches", "functions") for s in ("covered", "total")),
        ),
    }
)

SAMPLED: frozenset[str] = frozenset(
    {
        "k6-ndjson", "jmeter", "pytest-benchmark", "google-benchmark", "hyperfine", "go-bench",
        "jmh", "benchmarkdotnet", "criterion", "prometheus",
    }
)  # fmt: skip
"""The formats whose parsers keep a series' raw samples (``Metric.samples``) where the tool
wrote them: only these can be compared with a baseline at a confidence. The others carry
summary statistics only (a k6 summary, Locust's CSV, JUnit's tests). tests/test_confidence.py
parses every fixture to hold the parsers to this set."""

DECLARED: dict[str, Declared] = {
    "junit": Declared(),  # test results: no statistics
    "nunit": Declared(),
    "xunit-net": Declared(),
    "trx": Declared(),
    "testng": Declared(),
    "k6": _K6,
    "k6-ndjson": _K6,
    "jmeter": Declared({**_TIMES, **_REQUESTS}),
    "locust": Declared({**_TIMES, **_REQUESTS, "avg_content_size": SIZE}),
    "pytest-benchmark": Declared(
        {
            **_TIMES,
            **_each(TIME, "iqr", "q1", "q3"),
            **_each(THROUGHPUT, "ops", "throughput"),
            **_each(COUNT, "rounds", "iterations", "count"),  # count: of the saved samples
        }
    ),
    # the run's series are times; {aggregate:cv} and user counters are not
    "google-benchmark": Declared(
        {**_TIMES, "cv": RATIO, **_each(COUNT, "count", "iterations")}, own=True
    ),
    "hyperfine": Declared(
        {
            **_TIMES,
            **_each(TIME, "mean", "median", "user", "system"),
            "count": COUNT,
            "error_rate": RATIO,
            "memory": SIZE,
        }
    ),
    "catch2": Declared(
        {
            **_each(TIME, "avg", "avg_low", "avg_high", "stddev", "stddev_low", "stddev_high"),
            **_each(COUNT, "count", "iterations", "outliers"),
            "outlier_variance": RATIO,
        }
    ),
    "go-bench": Declared(  # a ReportMetric unit is a statistic of its own
        {
            **_TIMES,
            **_each(COUNT, "count", "iterations", "allocs"),
            "bytes": SIZE,
            "data_rate": DATA_RATE,
        },
        own=True,
    ),
    "gatling": Declared(
        {
            **_TIMES,
            **_REQUESTS,
            **_each(TIME, *(f"percentiles{i}" for i in range(1, 5))),
            **_each(COUNT, *(f"group{i}" for i in range(1, 5))),
            **_each(RATIO, *(f"group{i}_ratio" for i in range(1, 5))),
        }
    ),
    "wrk": Declared(
        {
            **_TIMES,
            **_REQUESTS,
            "duration": TIME,
            **_each(COUNT, "http_errors", "socket_errors"),
            "bytes": SIZE,
            "data_rate": DATA_RATE,
        }
    ),
    "vegeta": Declared(
        {
            **_TIMES,
            **_REQUESTS,
            **_each(TIME, "duration", "wait"),
            "request_rate": THROUGHPUT,
            "success": RATIO,
            **_each(SIZE, "bytes_in", "bytes_out"),
        }
    ),
    # a score is a time, a throughput, a size ... by the benchmark's mode and unit
    "jmh": Declared(
        {"throughput": THROUGHPUT, "count": COUNT},
        varies=frozenset({"avg", "error", "min", "max", "med", "stddev", PERCENTILES}),
    ),
    "benchmarkdotnet": Declared(
        {
            **_TIMES,
            **_each(TIME, "q1", "q3", "iqr", "error"),
            "count": COUNT,
            "throughput": THROUGHPUT,
            "allocated": SIZE,
            **_each(Dimension.NUMBER, "gen0", "gen1", "gen2"),
        }
    ),
    "benchmarkjs": Declared({"avg": TIME, "throughput": THROUGHPUT, "rme": RATIO, "count": COUNT}),
    # per iteration: a time, or a plain number for cycles and other custom measurements
    "cargo-bench": Declared({"data_rate": DATA_RATE}, varies=frozenset({"avg", "deviation"})),
    "criterion": Declared(
        {
            **_each(TIME, "min", "max", "med", "stddev", PERCENTILES, "mad", "slope"),
            "count": COUNT,
            "throughput": THROUGHPUT,
            "data_rate": DATA_RATE,
        },
        varies=frozenset({"avg", "ci_lower", "ci_upper", "deviation"}),
    ),
    **dict.fromkeys(("cobertura", "jacoco", "coverage-json", "lcov", "go-cover"), _COVERAGE),
    "sarif": Declared(),  # findings, not series
    "litmus": Declared({"value": RATIO, "rate": RATIO}),  # probeSuccessPercentage
    "chaos-mesh": Declared(),  # tests, not series
    # a query's values carry no unit: plain numbers (an availability is 0.999, not 99.9 %);
    # rate is read as value (FALLBACK_STATS), med and stddev from a range's samples
    "prometheus": Declared(
        {
            **_each(
                Dimension.NUMBER,
                "value",
                "last",
                "min",
                "max",
                "avg",
                "med",
                "stddev",
                "rate",
                PERCENTILES,
            ),
            "count": COUNT,
        }
    ),
}
"""Every format of gatekeeper.parsers.PARSER_MODULES (a test keeps the two in step)."""


NEVER: dict[str, frozenset[Dimension]] = {"rate": frozenset({TIME, SIZE})}
"""What a statistic measures in no format, the tool's own included: ``rate < 250ms`` is wrong
even where the format is ``auto`` (k6's rate is a ratio, or a count, size or time counter's
total per second; every other tool's is per second too). Only what holds for every tool:
a k6 counter of times has a ``count`` that is a time, so ``count`` is not here."""


def unknown_statistic(fmt: str, statistic: str) -> str | None:
    """Why no series of format ``fmt`` can carry ``statistic``, with the likeliest meant
    name ('locust reports no statistic p95 (did you mean p(95)?)'); None when one can, or
    when that cannot be known before the files are read (``auto``, a tool's own names)."""
    declared = DECLARED.get(fmt)
    if declared is None or declared.own:
        return None
    known = {*declared.fixed, *declared.varies}
    if any(_key(name) in known for name in (statistic, *FALLBACK_STATS.get(statistic, ()))):
        return None
    meant = closest_statistic(statistic, known)
    if meant is not None:
        return f"{fmt} reports no statistic {statistic!r} (did you mean {meant}?)"
    listed = ", ".join(sorted(known)).replace(PERCENTILES, "p(N)")
    return f"{fmt} reports no statistic {statistic!r} (it has: {listed})"


def declared_dimension(fmt: str, statistic: str) -> Dimension | None:
    """What ``statistic`` measures in every series of format ``fmt``; None for 'auto', or
    where it depends on the series."""
    declared = DECLARED.get(fmt)
    return None if declared is None else declared.dimension(statistic)
