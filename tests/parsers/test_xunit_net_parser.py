"""xUnit.net v1, v2 and v3 XML: tests, skips, source positions and errors outside tests."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers.testresults import xunit_net

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "xunit-net"
DATA = "junit/test-results-parser/tests/data/xunit"
ENRICO = "junit/publish-unit-test-result-action/python/test/files/xunit/mstest"
S = TestStatus


def parse(path: Path) -> list[TestResult]:
    return list(xunit_net.parse(path, path.name).tests)


def test_v2_tests_and_a_cleanup_error() -> None:
    parsed = xunit_net.parse(FIXTURES / "v2.xml", "reports/v2.xml")
    assert (parsed.format, parsed.path) == ("xunit-net", "reports/v2.xml")
    tests = list(parsed.tests)
    assert [(t.classname, t.name, t.status, t.message) for t in tests] == [
        # a class cleanup that threw belongs to no test but must not pass unseen
        (
            "Shop.DbTests",
            "[test-class-cleanup]",
            S.ERROR,
            "System.InvalidOperationException : connection still open",
        ),
        ("Shop.CartTests", "Adds_item", S.PASSED, None),
        ("Shop.CartTests", "Rounds(value: 1.005)", S.FAILED, "Assert.Equal() Failure"),
        ("Shop.CartTests", "Slow path", S.SKIPPED, "flaky on CI"),  # a display name
        ("Shop.CartTests", "Explicit_only", S.SKIPPED, None),  # NotRun
    ]
    assert tests[0].suite == "/src/Shop.Tests/bin/Shop.Tests.dll"
    assert {t.suite for t in tests[1:]} == {"Test collection for Shop.CartTests"}
    assert [(t.file, t.line) for t in tests[1:3]] == [
        ("/src/Shop.Tests/CartTests.cs", 12),
        ("/src/Shop.Tests/CartTests.cs", 31),
    ]
    assert [t.duration for t in tests] == [None, 0.0125, 0.25, 0.0, 0.0]


def test_v1_assembly_root_with_classes() -> None:
    tests = parse(FIXTURES / "v1.xml")
    assert [(t.suite, t.classname, t.name, t.status) for t in tests] == [
        ("Shop.CartTests", "Shop.CartTests", "Adds_item", S.PASSED),
        ("Shop.CartTests", "Shop.CartTests", "Totals", S.FAILED),
    ]
    assert tests[1].message == "Assert.Equal() Failure"


def test_an_unknown_result_is_refused_at_its_test(tmp_path: Path) -> None:
    report = tmp_path / "odd.xml"
    report.write_text(
        '<assemblies><assembly><test name="a" type="T" result="Maybe"/></assembly></assemblies>'
    )
    with pytest.raises(EvidenceError) as caught:
        parse(report)
    assert str(caught.value) == (
        "odd.xml:1:23: the test's result is 'Maybe', expected one of pass, fail, skip, notrun"
        " (in any case)"
    )


def test_a_test_without_result_is_an_error(tmp_path: Path) -> None:
    report = tmp_path / "bare.xml"
    report.write_text('<assemblies><assembly><test name="a" type="T"/></assembly></assemblies>')
    [case] = parse(report)
    assert (case.status, case.message) == (S.ERROR, "the test has no result")


def test_failure_without_message_names_the_exception(tmp_path: Path) -> None:
    report = tmp_path / "bare.xml"
    report.write_text(
        '<assemblies><assembly><errors><error type="fatal"/></errors>'
        '<test name="T.a" type="T" result="Fail">'
        '<failure exception-type="System.Exception"/></test>'
        "</assembly></assemblies>"
    )
    assert [(t.name, t.status, t.message) for t in parse(report)] == [
        ("[fatal]", S.ERROR, "xUnit.net reported a fatal error"),
        ("a", S.FAILED, "System.Exception"),
    ]


# --- real files --------------------------------------------------------------------------------


def test_xunit_v3_source_position(corpus: Path) -> None:
    [case] = parse(corpus / DATA / "xunit3_fail.xml")
    assert (case.classname, case.name, case.status) == (
        "XUnit3Example2.UnitTest2",
        "FailingTest",
        S.FAILED,
    )
    assert (case.file, case.line) == (
        "C:\\dev\\code\\_Experiments\\NUnitSample\\XUnit3Example2\\UnitTest2.cs",
        5,
    )
    assert case.duration == 0.4027142
    assert case.message == "Assert.True() Failure"


@pytest.mark.parametrize(
    ("relative", "statuses"),
    [
        (f"{DATA}/empty-results.xml", {}),
        (f"{DATA}/multiple-suites.xml", {S.PASSED: 3, S.FAILED: 3}),
        (f"{DATA}/xunit3_skipped.xml", {S.SKIPPED: 2}),
        (f"{ENRICO}/fixie.xml", {S.PASSED: 3, S.FAILED: 3, S.SKIPPED: 1}),
        (f"{ENRICO}/pickles.xml", {S.PASSED: 3, S.FAILED: 1}),  # v1, <assembly> root, BOM
        (f"{ENRICO}/jenkinsci/testcase2.xml", {S.PASSED: 1}),  # its counters say 3
    ],
)
def test_real_reports(corpus: Path, relative: str, statuses: dict[S, int]) -> None:
    assert Counter(t.status for t in parse(corpus / relative)) == statuses


def test_parameterized_names_keep_their_arguments(corpus: Path) -> None:
    tests = parse(corpus / ENRICO / "pickles.xml")
    assert tests[1].name == (
        'AddingSeveralNumbers(firstNumber: "40", secondNumber: "50", result: "90", '
        "exampleTags: System.String[])"
    )
    assert tests[3].message == "System.InvalidOperationException : This is a fake failure message"
