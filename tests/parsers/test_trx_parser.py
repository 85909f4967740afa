"""TRX: results joined to their classes, data rows counted, outcomes mapped failing closed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers.testresults import trx

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "trx"
ENRICO = "junit/publish-unit-test-result-action/python/test/files/trx"
DORNY = "junit/test-reporter/__tests__/fixtures"
S = TestStatus


def parse(path: Path) -> list[TestResult]:
    return list(trx.parse(path, path.name).tests)


def test_results_before_definitions() -> None:
    parsed = trx.parse(FIXTURES / "results.trx", "reports/results.trx")
    assert (parsed.format, parsed.path) == ("trx", "reports/results.trx")
    tests = list(parsed.tests)
    assert [(t.classname, t.name, t.status, t.duration) for t in tests] == [
        # className "Shop.CartTests, Shop.Tests, Version=..." names the assembly too
        ("Shop.CartTests", "Adds_item", S.PASSED, 0.0125),
        ("Shop.CartTests", "Totals_in_cents", S.FAILED, 0.25),
        ("Shop.CartTests", "Slow_path", S.ERROR, 90.5),  # Timeout
        ("Shop.CartTests", "Needs_db", S.SKIPPED, None),  # NotExecuted
        # a data-driven test counts its rows, not the summary result around them
        ("Shop.PriceTests", "Rounds (1.005,1.01)", S.PASSED, 0.001),
        ("Shop.PriceTests", "Rounds (2.5,2.6)", S.FAILED, 0.002),
    ]
    assert [t.message for t in tests] == [
        None,
        "Assert.AreEqual failed. Expected:<1050>. Actual:<1049>.",
        "outcome: Timeout",
        None,
        None,
        "Assert.AreEqual failed. Expected:<2.6>. Actual:<2.5>.",
    ]
    assert {(t.suite, t.file, t.line, t.source) for t in tests} == {
        ("", None, None, "reports/results.trx")
    }


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("Passed", S.PASSED),
        ("PassedButRunAborted", S.PASSED),
        ("Failed", S.FAILED),
        ("Error", S.ERROR),
        ("Aborted", S.ERROR),
        ("NotRunnable", S.ERROR),
        ("InProgress", S.ERROR),
        ("NotExecuted", S.SKIPPED),
        ("Inconclusive", S.SKIPPED),
    ],
)
def test_outcomes(tmp_path: Path, outcome: str, status: S) -> None:
    report = tmp_path / "one.trx"
    report.write_text(
        f'<TestRun><Results><UnitTestResult testName="a" outcome="{outcome}"/></Results></TestRun>'
    )
    [case] = parse(report)
    assert case.status is status


def test_a_missing_outcome_is_an_error(tmp_path: Path) -> None:
    report = tmp_path / "odd.trx"
    report.write_text("<TestRun><Results><UnitTestResult testName='a'/></Results></TestRun>")
    assert [(t.status, t.message) for t in parse(report)] == [
        (S.ERROR, "the result has no outcome")
    ]


def test_an_outcome_outside_the_enum_is_refused_at_its_result(tmp_path: Path) -> None:
    report = tmp_path / "odd.trx"
    report.write_text(
        "<TestRun><Results>\n<UnitTestResult testName='a' outcome='Passed'/>\n"
        "  <UnitTestResult testName='b' outcome='Passde'/></Results></TestRun>"
    )
    with pytest.raises(EvidenceError) as caught:
        parse(report)
    assert str(caught.value).startswith(
        "odd.trx:3:3: the outcome of 'b' is 'Passde', expected one of passed, "
    )


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("00:00:00.0170545", 0.0170545),
        ("01:02:03", 3723.0),
        ("1.00:00:01.5", 86401.5),
        ("soon", None),
    ],
)
def test_durations(tmp_path: Path, duration: str, seconds: float | None) -> None:
    report = tmp_path / "one.trx"
    report.write_text(
        f'<TestRun><Results><UnitTestResult testName="a" outcome="Passed" duration="{duration}"/>'
        "</Results></TestRun>"
    )
    [case] = parse(report)
    assert case.duration == seconds


# --- real files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "statuses"),
    [
        (f"{ENRICO}/nunit/FluentValidation.Tests.trx", {S.PASSED: 803, S.SKIPPED: 1}),  # 1.1 MB
        (f"{ENRICO}/xunit/dotnet-trx.trx", {S.PASSED: 5, S.FAILED: 5, S.SKIPPED: 1}),
        # MSTest: Aborted and NotRunnable are errors here, not skips
        (
            f"{ENRICO}/yami_YAMILEX_2015-10-24_04_18_59.trx",
            {S.PASSED: 2, S.FAILED: 2, S.ERROR: 2, S.SKIPPED: 19},
        ),
        (f"{DORNY}/empty/dotnet-trx.trx", {}),
        (f"{DORNY}/empty/dotnet-trx-empty-test-definitions.trx", {}),
        (
            "junit/test-results-parser/tests/data/mstest/testresults.trx",
            {S.PASSED: 7, S.FAILED: 3, S.SKIPPED: 2},
        ),
    ],
)
def test_real_reports(corpus: Path, relative: str, statuses: dict[S, int]) -> None:
    assert Counter(t.status for t in parse(corpus / relative)) == statuses


def test_xunit_v3_class_cleanup_results(corpus: Path) -> None:
    tests = parse(corpus / DORNY / "dotnet-xunitv3.trx")
    assert [(t.classname, t.name, t.status) for t in tests] == [
        ("DotnetTests.XUnitV3Tests.FixtureTests", "Failing_Test", S.FAILED),
        ("DotnetTests.XUnitV3Tests.FixtureTests", "Passing_Test", S.PASSED),
        (
            "",
            "[Test Class Cleanup Failure (DotnetTests.XUnitV3Tests.FixtureTests.Passing_Test)]",
            S.FAILED,
        ),
        (
            "",
            "[Test Class Cleanup Failure (DotnetTests.XUnitV3Tests.FixtureTests.Failing_Test)]",
            S.FAILED,
        ),
    ]
    assert tests[0].message == "Assert.Null() Failure: Value is not null"
    assert tests[0].duration == 0.0170545
