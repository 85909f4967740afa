"""TestNG results: retried attempts as reruns, failed configuration methods as errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers.testresults import testng

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "testng"
DATA = "junit/test-results-parser/tests/data/testng"
S = TestStatus


def parse(path: Path) -> list[TestResult]:
    return list(testng.parse(path, path.name).tests)


def test_retries_and_configuration_failures() -> None:
    parsed = testng.parse(FIXTURES / "retries.xml", "reports/testng-results.xml")
    assert (parsed.format, parsed.path) == ("testng", "reports/testng-results.xml")
    tests = list(parsed.tests)
    summary = [(t.classname, t.name, t.status, t.reruns, t.flaky, t.message) for t in tests]
    assert summary == [
        ("shop.CartTest", "addsItem", S.PASSED, 0, False, None),
        # retried="true" attempts are not results: they make the next attempt a rerun
        ("shop.CartTest", "pays", S.PASSED, 1, True, None),
        ("shop.CartTest", "refunds", S.FAILED, 1, False, "expected [10] but found [9]"),
        # the passing setUp is not a test; the failing @BeforeClass is an error
        ("shop.StockTest", "connect", S.ERROR, 0, False, "Connection refused"),
        ("shop.StockTest", "counts", S.SKIPPED, 0, False, "Connection refused"),
    ]
    assert {t.suite for t in tests} == {"checkout"}  # the <test>, the innermost grouping
    assert [t.duration for t in tests] == [1.25, 0.28, 0.09, 3.0, 0.0]
    assert {(t.file, t.line, t.source) for t in tests} == {
        (None, None, "reports/testng-results.xml")
    }


def test_retried_attempts_without_a_final_one_fail(tmp_path: Path) -> None:
    report = tmp_path / "cut.xml"
    report.write_text(
        "<testng-results><suite name='s'><test name='t'><class name='C'>"
        "<test-method name='a' status='SKIP' retried='true'/>"
        "<test-method name='a' status='SKIP' retried='true'/>"
        "</class></test></suite></testng-results>"
    )
    [case] = parse(report)
    assert (case.name, case.status, case.reruns, case.message) == (
        "a",
        S.FAILED,
        2,
        "retried, but the report has no final attempt",
    )


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        (
            "status='WOBBLE'",
            "the test method's status is 'WOBBLE', expected one of pass, fail, skip",
        ),
        ("status='PASS' retried='ture'", "the test method's retried is 'ture', expected one of"),
        ("status='PASS' is-config='yes'", "the test method's is-config is 'yes', expected one of"),
    ],
)
def test_a_value_outside_testngs_set_is_refused(
    tmp_path: Path, attributes: str, message: str
) -> None:
    report = tmp_path / "odd.xml"
    report.write_text(
        "<testng-results><suite><test><class name='C'>"
        f"<test-method name='a' {attributes}/></class></test></suite></testng-results>"
    )
    with pytest.raises(EvidenceError) as caught:
        parse(report)
    assert str(caught.value).startswith(f"odd.xml:1:46: {message}")


# --- real files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("empty-suite.xml", {}),
        ("single-suite.xml", {S.PASSED: 4}),
        ("groups.xml", {S.PASSED: 1, S.FAILED: 1}),
        ("multiple-suites-multiple-tests.xml", {S.PASSED: 8}),
        # a @BeforeMethod failed, so the test after it was skipped
        ("single-suite-multiple-tests.xml", {S.PASSED: 4, S.FAILED: 5, S.ERROR: 1, S.SKIPPED: 1}),
        # two @BeforeMethod and one @AfterTest failed in each of two <test>s
        ("failures.setup.teardown.xml", {S.ERROR: 6, S.SKIPPED: 6}),
    ],
)
def test_real_reports(corpus: Path, name: str, statuses: dict[S, int]) -> None:
    assert Counter(t.status for t in parse(corpus / DATA / name)) == statuses


def test_real_retries(corpus: Path) -> None:
    tests = parse(corpus / DATA / "multiple-suites-retries.xml")
    # the peer's own test: 6 tests, 4 passed, 2 failed, 2 retried
    assert Counter(t.status for t in tests) == {S.PASSED: 4, S.FAILED: 2}
    retried = [(t.suite, t.classname, t.name, t.reruns, t.message) for t in tests if t.reruns]
    assert retried == [
        ("desktop-chrome", "C.T.PT", "PC", 1, "failed"),
        ("mobile-andoid", "C.T.PT", "PC", 1, "failed"),
    ]
