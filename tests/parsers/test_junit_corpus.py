"""JUnit XML from the shared corpus: Surefire reruns, nextest, Jenkins fixtures, peer counts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers import junit

S = TestStatus


def parse(path: Path) -> list[TestResult]:
    return list(junit.parse(path, path.name).tests)


def by_name(tests: list[TestResult]) -> dict[str, TestResult]:
    return {t.name: t for t in tests}


SUREFIRE = (
    "junit/maven-surefire/surefire-report-parser/src/test/resources/fixture/testsuitexmlparser"
)
JENKINS = "junit/jenkins-junit-plugin/src/test/resources/hudson/tasks/junit"


def test_surefire_flaky_failure_and_error_pass_as_flaky(corpus: Path) -> None:
    cases = by_name(parse(corpus / SUREFIRE / "TEST-org.acme.FlakyTest.xml"))
    flaky = cases["testFlaky"]
    assert (flaky.status, flaky.flaky, flaky.reruns) == (S.PASSED, True, 4)
    assert flaky.suite == flaky.classname == "org.acme.FlakyTest"
    assert flaky.duration == 0.034
    assert (cases["testStable"].flaky, cases["testStable"].reruns) == (False, 0)


def test_surefire_reruns(corpus: Path) -> None:
    [flaky] = parse(corpus / JENKINS / "gh-237" / "TEST-io.olamy.FlakyTest.xml")
    assert (flaky.status, flaky.flaky, flaky.reruns) == (S.PASSED, True, 2)
    [always] = parse(corpus / JENKINS / "gh-237" / "TEST-io.olamy.AlwaysFailTest.xml")
    assert (always.status, always.flaky, always.reruns) == (S.FAILED, False, 3)
    assert always.message == "built to fail"


def test_nextest_report_with_every_interim_result(corpus: Path) -> None:
    path = corpus / "junit/quick-junit/crates/quick-junit-tests/tests/fixtures/basic_report.xml"
    cases = by_name(parse(path))
    summary = {name: (c.status, c.flaky, c.reruns) for name, c in cases.items()}
    assert summary == {
        "testcase0": (S.PASSED, False, 0),
        "testcase1": (S.FAILED, False, 0),
        "testcase2": (S.ERROR, False, 0),
        "testcase3": (S.SKIPPED, False, 0),
        "testcase4": (S.PASSED, True, 2),  # flakyFailure + flakyError
        "testcase5": (S.FAILED, False, 2),  # rerunFailure + rerunError, then failure
        "testcase6": (S.PASSED, False, 0),
        "testcase7": (S.FAILED, False, 2),  # flaky attempts, but configured to fail
    }
    assert cases["testcase2"].message == "testcase2 error description"
    assert cases["testcase4"].duration == 661.661


def test_jenkins_time_attributes_with_thousands_separator(corpus: Path) -> None:
    tests = parse(corpus / JENKINS / "junit-report-testsuite-time-attrs.xml")
    assert len(tests) == 8
    assert [t.duration for t in tests][:2] == [10.0, 11.0]
    assert {t.suite for t in tests} == {
        "test.fs.FileSystemTests",
        "test.db.DatabaseTests",
        "test.RestMethods",
        "test.lib.Rest",
    }


def test_large_jenkins_report(corpus: Path) -> None:
    counts = Counter(t.status for t in parse(corpus / JENKINS / "junit-report-huge.xml"))
    assert counts == {S.PASSED: 5131, S.SKIPPED: 2430, S.FAILED: 19}


def test_file_and_line_from_xunit_writer(corpus: Path) -> None:
    tests = parse(corpus / "junit/action-junit-report/test_results/xunit/report.xml")
    failed = [t for t in tests if t.status is S.FAILED]
    assert [(t.name, t.file, t.line, t.message) for t in failed] == [
        ("test_my_sum_fail", "main.c", 38, "Expected 2 Was 0")
    ]


# EnricoMi's action keeps its expected counts beside each input. Where we knowingly
# differ, the reason is given; every other file must agree exactly.
ENRICO = "junit/publish-unit-test-result-action/python/test/files"
KNOWN_DIFFERENCES = {
    # it counts each result element of a case; we take the worst one per case
    "junit-xml/junit.multiresult.xml",
    "junit-xml/junit.multiresult.junit-xml",
    # it trusts the suite's tests="6" attribute; we count only cases that are there
    "junit-xml/no-cases-but-tests.xml",
    "junit-xml/no-cases-but-tests.junit-xml",
    # it counts status="disabled" cases as passed; we count them as skipped
    "junit-xml/tst/disabled.xml",
    "junit-xml/tst/disabled.junit-xml",
    # its counts come from the NUnit original, whose <skipped> the conversion kept
    "nunit/nunit3/jenkins/NUnit-issue33493.junit-xml",
    # its counts come from the xUnit original, which has cases the conversion dropped
    "xunit/mstest/jenkinsci/testcase2.junit-xml",
}


def test_counts_agree_with_publish_unit_test_result_action(corpus: Path) -> None:
    root = corpus / ENRICO
    compared, mismatches = 0, []
    for expected_file in sorted(root.rglob("*.results.json")):
        stem = str(expected_file)[: -len(".results.json")]
        for report in (Path(stem + ".xml"), Path(stem + ".junit-xml")):
            relative = report.relative_to(root).as_posix()
            if not report.exists() or not junit.detect(report.read_bytes()[:4096]):
                continue
            stats = json.loads(expected_file.read_text(encoding="utf-8"))["stats"]
            counts = Counter(t.status for t in parse(report))
            ours = (counts.total(), counts[S.PASSED], counts[S.SKIPPED], counts[S.FAILED])
            theirs = (stats["runs"], stats["runs_succ"], stats["runs_skip"], stats["runs_fail"])
            ours += (counts[S.ERROR],)
            theirs += (stats["runs_error"],)
            compared += 1
            if (ours == theirs) == (relative in KNOWN_DIFFERENCES):
                mismatches.append((relative, ours, theirs))
    assert compared > 80
    assert mismatches == []
