"""Catch2 XML reporter output: v2.13.10 (Debian) and v3.7.1 files, hostile and broken input.

Both fixtures are ``tools/catch2/tiny_catch2.cpp`` run with ``-r xml -d yes
--benchmark-samples 5 --benchmark-resamples 100 --benchmark-warmup-time 1``.
The console reporter's benchmark table is tested in test_catch2_console.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, ParsedFile, TestResult, TestStatus
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.bench import catch2
from gatekeeper.series import select_series
from gatekeeper.units import Dimension, Quantity

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catch2"
V2 = FIXTURES / "catch2-v2.13.10.xml"
V3 = FIXTURES / "catch2-v3.7.1.xml"
FIB = "fibonacci is right"


def parse(path: Path) -> ParsedFile:
    parsed = catch2.parse(path, path.name)
    assert parsed.format == "catch2"
    return parsed


def cases_of(path: Path) -> dict[str, TestResult]:
    return {t.name: t for t in parse(path).tests}


def metrics_of(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in parse(path).metrics}


def ns(value: float) -> Quantity:
    return Quantity(value * 1e-9, D.TIME)


@pytest.mark.parametrize("path", [V2, V3], ids=["v2", "v3"])
def test_test_cases(path: Path) -> None:
    found = cases_of(path)
    fib = found[FIB]
    assert fib.status is TestStatus.PASSED
    assert (fib.suite, fib.classname, fib.file, fib.line) == (
        "tiny_catch2",
        "",
        "tiny_catch2.cpp",
        18,
    )
    assert fib.source == path.name
    failing = found["deliberately failing"]
    assert failing.status is TestStatus.FAILED
    assert failing.message == "CHECK( fib(5) == 6 ) with expansion: 5 == 6"
    assert found["throws"].status is TestStatus.ERROR
    assert found["throws"].message == "boom"
    # [!shouldfail]: its check fails, as expected, so Catch2 counts it a success
    assert found["expected to fail"].status is TestStatus.PASSED


def test_durations_when_asked_for() -> None:
    assert cases_of(V2)[FIB].duration == 1.81266
    assert cases_of(V3)["deliberately failing"].duration == 3.5e-05


def test_v3_skip_and_throwing_benchmark() -> None:
    found = cases_of(V3)
    assert found["skipped at run time"].status is TestStatus.SKIPPED
    assert found["skipped at run time"].message == "not today"
    assert found["benchmark that throws"].status is TestStatus.ERROR


def test_v2_calls_a_test_with_a_throwing_benchmark_a_success() -> None:
    assert cases_of(V2)["benchmark that throws"].status is TestStatus.PASSED
    # ...but the benchmark itself keeps no statistics, so no threshold passes on it
    exploding = metrics_of(V2)["exploding{test_case:benchmark that throws}"]
    assert exploding.stats == {}


def test_benchmark_statistics_in_base_units() -> None:
    found = metrics_of(V2)
    fib15 = found[f"fib 15{{test_case:{FIB}}}"]
    assert fib15.kind == "benchmark"
    assert fib15.stats["avg"] == ns(3134.53)
    assert fib15.stats["avg_low"] == ns(3101.6)
    assert fib15.stats["avg_high"] == ns(3164.69)
    assert fib15.stats["stddev"] == ns(36.2094)
    assert fib15.stats["stddev_low"] == ns(21.6915)
    assert fib15.stats["stddev_high"] == ns(49.6634)
    assert fib15.stats["count"] == Quantity(5, D.COUNT)
    assert fib15.stats["iterations"] == Quantity(16, D.COUNT)
    assert fib15.stats["outlier_variance"] == Quantity(0.16, D.RATIO)
    assert fib15.stats["outliers"] == Quantity(0, D.COUNT)


def test_benchmarks_answer_to_their_path() -> None:
    found = metrics_of(V3)
    assert list(found) == [
        f"fib 15{{test_case:{FIB}}}",
        f"fib 5{{test_case:{FIB}}}",
        "exploding{test_case:benchmark that throws}",
    ]
    fib5 = found[f"fib 5{{test_case:{FIB}}}"]
    assert fib5.aliases == (f"{FIB}/small numbers/fib 5",)
    assert found[f"fib 15{{test_case:{FIB}}}"].aliases == (f"{FIB}/fib 15",)
    assert fib5.stats["avg"] == ns(24.3644)
    assert fib5.stats["outliers"] == Quantity(1, D.COUNT)


def test_a_benchmark_is_selected_by_name_or_path() -> None:
    metrics = parse(V3).metrics
    for selector in ("fib 5", f"{FIB}/small numbers/*", "*/small numbers/fib 5"):
        criterion = MetricCriterion("catch", selector, {}, ())
        assert [m.name for m in select_series(criterion, metrics)] == ["fib 5"], selector
    by_case = MetricCriterion("catch", "fib*", {"test_case": FIB}, ())
    assert [m.name for m in select_series(by_case, metrics)] == ["fib 15", "fib 5"]


def error_for(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "catch.xml"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        catch2.parse(path, "catch.xml")
    return str(caught.value)


def test_truncated_report_names_line_and_column(tmp_path: Path) -> None:
    content = V3.read_bytes()
    message = error_for(tmp_path, content[: content.index(b"<Section")])
    assert message.startswith("catch.xml:10:")
    assert "truncated" in message


def test_entities_are_refused(tmp_path: Path) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE C [<!ENTITY a "aaaa">]><Catch name="&a;"/>'
    assert "entity declarations are not allowed" in error_for(tmp_path, bomb)


def test_other_xml_is_not_a_catch2_report(tmp_path: Path) -> None:
    assert "the root element is <testsuites>" in error_for(tmp_path, b"<testsuites/>")


def test_a_mean_that_is_not_a_number(tmp_path: Path) -> None:
    content = b"""<Catch2TestRun name="t"><TestCase name="c">
      <BenchmarkResults name="b" samples="5"><mean value="fast"/></BenchmarkResults>
      <OverallResult success="true"/></TestCase></Catch2TestRun>"""
    message = error_for(tmp_path, content)
    assert message == "catch.xml: test case 'c', benchmark 'b': mean value 'fast' is not a number"


def test_a_test_case_without_result_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "catch.xml"
    path.write_bytes(b'<Catch name="t"><Group name="t"><TestCase name="c"/></Group></Catch>')
    (test,) = catch2.parse(path, "catch.xml").tests
    assert test.status is TestStatus.ERROR
    assert test.suite == "t"


@pytest.mark.parametrize(
    ("head", "claimed"),
    [
        (V2.read_bytes()[:4096], True),
        (V3.read_bytes()[:4096], True),
        (b"\xef\xbb\xbf<Catch2TestRun name='x'>", True),
        (b'<?xml version="1.0"?>\n<testsuites name="x">', False),
        (b"<Catching/>", False),
        # the console reporter's table header (test_catch2_console.py has the rest)
        (b"benchmark name    samples    iterations    estimated\n", True),
    ],
)
def test_detect(head: bytes, claimed: bool) -> None:
    assert catch2.detect(head) is claimed
