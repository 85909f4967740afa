"""NUnit 2 and 3 XML: names split into class and test, outcomes mapped failing closed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers.testresults import nunit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "nunit"
ENRICO = "junit/publish-unit-test-result-action/python/test/files/nunit"
S = TestStatus


def parse(path: Path) -> list[TestResult]:
    return list(nunit.parse(path, path.name).tests)


def summary(tests: list[TestResult]) -> list[tuple[str, str, S, str | None]]:
    return [(t.classname, t.name, t.status, t.message) for t in tests]


def test_nunit3_outcomes_and_labels() -> None:
    parsed = nunit.parse(FIXTURES / "nunit3.xml", "reports/nunit3.xml")
    assert (parsed.format, parsed.path) == ("nunit", "reports/nunit3.xml")
    tests = list(parsed.tests)
    assert summary(tests) == [
        ("Shop.CartTests", "Adds_item", S.PASSED, None),
        ("Shop.CartTests", "Totals_in_cents", S.FAILED, "Expected: 1050"),
        # result="Failed" label="Error": an exception, told apart from an assertion
        (
            "Shop.CartTests",
            "Reads_catalogue",
            S.ERROR,
            "System.IO.FileNotFoundException : catalogue.json",
        ),
        # label="Invalid": NUnit could not run it; an error, so no skip allowance hides it
        ("Shop.CartTests", "Private_helper", S.ERROR, "Method is not public"),
        ("Shop.CartTests", "Slow_path", S.SKIPPED, "flaky on CI, see #12"),
        ("Shop.CartTests", "Needs_data", S.SKIPPED, "No data"),  # Inconclusive
        ("Shop.PriceTests", "Rounds(1.005,1.01)", S.PASSED, None),
        ("Shop.PriceTests", "Rounds(2.5,2.5)", S.PASSED, None),  # Warning: passed
    ]
    # the fixture, not the ParameterizedMethod suite between it and the case
    assert {t.suite for t in tests} == {"Shop.CartTests", "Shop.PriceTests"}
    assert [t.duration for t in tests[:3]] == [0.0125, 0.25, 0.003]
    assert tests[3].duration is None
    assert all((t.file, t.line, t.reruns, t.flaky) == (None, None, 0, False) for t in tests)
    assert {t.source for t in tests} == {"reports/nunit3.xml"}


def test_nunit2_full_names_are_split_at_the_fixture() -> None:
    tests = parse(FIXTURES / "nunit2.xml")
    assert summary(tests) == [
        ("Shop.CartTests", "Adds_item", S.PASSED, None),
        ("Shop.CartTests", "Totals_in_cents", S.FAILED, "Expected: 1050"),
        (
            "Shop.CartTests",
            "Reads_catalogue",
            S.ERROR,
            "System.IO.FileNotFoundException : catalogue.json",
        ),
        ("Shop.CartTests", "Private_helper", S.ERROR, "Method is not public"),  # NotRunnable
        ("Shop.CartTests", "Slow_path", S.SKIPPED, "flaky on CI"),
        # a generic fixture's name carries arguments; the method's dots do not split it
        ("Shop.Box<Int32>(5)", "Holds(1.5)", S.PASSED, None),
    ]
    assert tests[1].duration == 0.25  # written time="0,250" by a German-locale runner
    assert tests[0].suite == "Shop.CartTests"


def test_nunit_before_2_5_has_only_flags(tmp_path: Path) -> None:
    report = tmp_path / "old.xml"
    report.write_text(
        "<test-results name='t' total='4'><test-suite name='Suite'><results>"
        "<test-case name='Suite.Passes' executed='true' success='true' time='5.065'/>"
        "<test-case name='Suite.Fails' executed='True' success='False'>"
        "<failure><message>boom</message></failure></test-case>"
        "<test-case name='Suite.Ignored' executed='False'>"
        "<reason><message>not today</message></reason></test-case>"
        "<test-case name='loose name' executed='True' success='True'/>"
        "</results></test-suite></test-results>"
    )
    assert summary(parse(report)) == [
        ("Suite", "Passes", S.PASSED, None),
        ("Suite", "Fails", S.FAILED, "boom"),
        ("Suite", "Ignored", S.SKIPPED, "not today"),
        ("Suite", "loose name", S.PASSED, None),
    ]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ('result="Exploded"', "the test case's result is 'Exploded', expected one of passed,"),
        ('executed="Ture"', "the test case's executed is 'Ture', expected one of true, false,"),
        ('success="flase"', "the test case's success is 'flase', expected one of true, false,"),
    ],
)
def test_a_value_outside_nunits_set_is_refused(tmp_path: Path, case: str, message: str) -> None:
    report = tmp_path / "odd.xml"
    report.write_text(f'<test-run>\n  <test-case name="a" classname="C" {case}/></test-run>')
    with pytest.raises(EvidenceError) as caught:
        parse(report)
    assert str(caught.value).startswith(f"odd.xml:2:3: {message}")


def test_a_run_with_no_cases_is_empty(tmp_path: Path) -> None:
    report = tmp_path / "empty.xml"
    report.write_text('<test-run id="0" testcasecount="0" result="Passed" total="0"/>')
    assert parse(report) == []


# --- real files --------------------------------------------------------------------------------


def test_nunit2_mock_assembly(corpus: Path) -> None:
    tests = parse(corpus / ENRICO / "nunit3/jenkins/NUnit-correct.xml")
    assert Counter(t.status for t in tests) == {
        S.PASSED: 18,
        S.SKIPPED: 5,  # 4 Ignored, 1 Inconclusive
        S.ERROR: 4,  # 1 Error, 3 NotRunnable
        S.FAILED: 1,
    }
    failing = next(t for t in tests if t.status is S.FAILED)
    assert (failing.classname, failing.name, failing.message, failing.duration) == (
        "NUnit.Tests.Assemblies.MockTestFixture",
        "FailingTest",
        "Intentional failure",
        0.013,
    )


def test_nunit3_without_message_uses_the_stack_trace(corpus: Path) -> None:
    tests = parse(corpus / "junit/test-results-parser/tests/data/nunit/nunit_v3.xml")
    failing = next(t for t in tests if t.name == "FailingTest")
    assert failing.status is S.FAILED
    assert failing.message == (
        "at NUnit.Tests.Assemblies.MockTestFixture.FailingTest() in "
        "C:\\dev\\code\\_Experiments\\NUnitSample\\NUnitSample\\UnitTest1.cs:line 13"
    )
    fixture = next(t for t in tests if t.suite == "NUnit.Tests.BadFixture")
    assert (fixture.status, fixture.message) == (
        S.ERROR,
        "OneTimeSetUp: No suitable constructor was found",
    )
    parameterized = [t for t in tests if t.classname == "NUnit.Tests.ParameterizedFixture"]
    assert [(t.suite, t.name) for t in parameterized] == [
        ("NUnit.Tests.ParameterizedFixture(42)", "Test1"),
        ("NUnit.Tests.ParameterizedFixture(42)", "Test2"),
        ("NUnit.Tests.ParameterizedFixture(5)", "Test1"),
        ("NUnit.Tests.ParameterizedFixture(5)", "Test2"),
    ]


@pytest.mark.parametrize(
    ("relative", "statuses"),
    [
        # a timeout is a label on a failure, and stays one
        (
            "junit/test-reporter/__tests__/fixtures/dotnet-nunit.xml",
            {S.PASSED: 3, S.FAILED: 3, S.ERROR: 2, S.SKIPPED: 1},
        ),
        # early NUnit 3 wrote not-runnable tests as Skipped + Invalid
        (
            "junit/test-reporter/__tests__/fixtures/external/nunit-sample.xml",
            {S.PASSED: 12, S.FAILED: 1, S.ERROR: 3, S.SKIPPED: 2},
        ),
        # the root is a bare <test-suite>
        (f"{ENRICO}/mstest/clicketyclackety.xml", {S.PASSED: 13, S.FAILED: 1, S.ERROR: 9}),
        # 535 KB, Failed+Error and Failed+Invalid cases
        (f"{ENRICO}/nunit3/jenkins/NUnit-issue44527.xml", {S.PASSED: 6, S.FAILED: 1, S.ERROR: 143}),
    ],
)
def test_real_reports(corpus: Path, relative: str, statuses: dict[S, int]) -> None:
    assert Counter(t.status for t in parse(corpus / relative)) == statuses


def test_timeout_label_is_the_message(corpus: Path) -> None:
    tests = parse(corpus / "junit/test-reporter/__tests__/fixtures/dotnet-nunit.xml")
    timeout = next(t for t in tests if t.name == "Timeout_Test")
    assert (timeout.status, timeout.message) == (S.FAILED, "Test exceeded Timeout value 1ms.")
    assert timeout.classname == "DotnetTests.XUnitTests.CalculatorTests"
