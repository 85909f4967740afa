"""Conformance with the peers: every count they expect of a corpus file, ours agree or say why.

The peers' expectations are read by ``peers.py``. A file where gatekeeper's numbers differ
must be a row of the differences table in docs/conformance.md, with the numbers as they
are, and every row there must still differ: the document cannot drift from the code.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers import AUTO, detect_format, parse_file
from gatekeeper.parsers.testresults import junit
from tests.conftest import REPO
from tests.parsers import peers
from tests.parsers.peers import Expectation

DOC = REPO / "docs" / "conformance.md"
ENRICO = peers.ENRICO

# Formats the peers read that gatekeeper does not: skipped, and listed in the document.
NOT_SUPPORTED = {
    "EnricoMi/dart/json/tests.json": "Dart JSON reporter",
    "EnricoMi/mocha/tests.json": "Mocha JSON reporter",
    "dorny/fixtures/dart-json.json": "Dart JSON reporter",
    "dorny/fixtures/external/flutter/provider-test-results.json": "Dart JSON reporter (Flutter)",
    "dorny/fixtures/golang-json.json": "go test -json",
    "dorny/fixtures/mocha-json.json": "Mocha JSON reporter",
    "dorny/fixtures/external/mocha/mocha-test-results.json": "Mocha JSON reporter",
    "dorny/fixtures/rspec-json.json": "RSpec JSON formatter",
}
# An expectation file with no input of its name: an earlier name of a file that is compared.
ORPHANS = {
    "trx/yami_YAMILEX 2015-10-24 04_18_59.results.json": (
        "trx/yami_YAMILEX_2015-10-24_04_18_59.results.json"
    ),
}


@cache
def outcome(corpus: Path, file: str) -> tuple[TestResult, ...] | EvidenceError:
    try:
        return parse_file(corpus / "junit" / file, file, AUTO).tests
    except EvidenceError as error:
        return error


@cache
def expectations(corpus: Path) -> tuple[Expectation, ...]:
    junit = corpus / "junit"
    found = (*peers.enrico(junit), *peers.dorny(junit), *peers.mikepenz(junit))
    return tuple(e for e in found if e.short not in NOT_SUPPORTED)


def cells(expectation: Expectation, corpus: Path) -> tuple[str, str] | None:
    """(peer says, gatekeeper says) where they differ, else None."""
    says = expectation.error or peers.render(expectation.says, expectation.basis)
    ours = outcome(corpus, expectation.file)
    if isinstance(ours, EvidenceError):
        return None if expectation.error else (says, f"error: {ours.message}")
    if expectation.error:
        return says, peers.render(expectation.ours(ours))
    counted = expectation.ours(ours)
    return None if counted == dict(expectation.says) else (says, peers.render(counted))


def doc_table(heading: str) -> list[list[str]]:
    """The rows of the table under ``heading`` in docs/conformance.md, cells stripped."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in rows[2:]]


def test_every_difference_is_documented_and_every_documented_one_differs(corpus: Path) -> None:
    actual = {}
    for expectation in expectations(corpus):
        assert (corpus / "junit" / expectation.file).is_file(), expectation.file
        if differs := cells(expectation, corpus):
            actual[expectation.short] = differs
    documented = {row[0]: (row[1], row[2]) for row in doc_table("Differences")}
    assert all(row[3] for row in doc_table("Differences")), "every difference needs a reason"
    assert sorted(documented) == sorted(actual)
    assert documented == actual


def test_the_summary_counts_are_current(corpus: Path) -> None:
    compared: Counter[str] = Counter()
    differing: Counter[str] = Counter()
    for expectation in expectations(corpus):
        try:
            fmt = detect_format(corpus / "junit" / expectation.file, expectation.file)
        except EvidenceError:
            fmt = "(none)"
        compared[fmt] += 1
        differing[fmt] += cells(expectation, corpus) is not None
    expected = [
        [fmt, str(compared[fmt]), str(compared[fmt] - differing[fmt]), str(differing[fmt])]
        for fmt in sorted(compared)
    ]
    total = sum(compared.values()), sum(differing.values())
    expected.append(["all", str(total[0]), str(total[0] - total[1]), str(total[1])])
    assert doc_table("Summary") == expected


def test_unsupported_formats_are_listed_and_still_unsupported(corpus: Path) -> None:
    assert {row[0]: row[1] for row in doc_table("Not supported")} == NOT_SUPPORTED
    junit = corpus / "junit"
    listed = {e.short: e for e in (*peers.enrico(junit), *peers.dorny(junit))}
    for short in NOT_SUPPORTED:
        file = listed[short].file
        with pytest.raises(EvidenceError, match="cannot tell the format"):
            detect_format(junit / file, file)


def test_orphan_expectations_repeat_a_compared_one(corpus: Path) -> None:
    root = corpus / "junit" / ENRICO
    orphans = {
        f.relative_to(root).as_posix()
        for f in root.rglob("*.results.json")
        if not any(
            f.with_name(f.name.replace(".results.json", s)).exists() for s in peers.INPUT_SUFFIXES
        )
    }
    assert orphans == set(ORPHANS)
    for orphan, twin in ORPHANS.items():
        stats = [
            json.loads((root / f).read_text(encoding="utf-8"))["stats"] for f in (orphan, twin)
        ]
        assert stats[0] == stats[1]


def test_enough_is_compared(corpus: Path) -> None:
    by_peer = Counter(e.peer for e in expectations(corpus))
    assert by_peer == {"EnricoMi": 136, "dorny": 23, "mikepenz": 27}


# Inputs EnricoMi expects to fail (X.exception): each is an EvidenceError saying where and why,
# both when the format is detected and when it is declared.
EXPECTED_FAILURES = {
    "json/empty.json": (AUTO, "the file is empty (0 bytes)"),
    "json/malformed-json.json": (AUTO, "cannot tell the format"),
    "json/non-json.json": (AUTO, "cannot tell the format"),
    "json/not-existing.json": (AUTO, "cannot read: No such file or directory"),
    "xml/empty.xml": (
        "junit",
        ": the file is empty (0 bytes): the tool that writes it did not finish, or wrote nothing",
    ),
    "xml/non-xml.xml": ("junit", ":1:1: malformed XML: syntax error"),
    "xml/not-existing.xml": ("junit", ": cannot read: No such file or directory"),
    "junit-xml/non-junit.xml": (
        "junit",
        ": not a JUnit report: the root element is <suites>, expected <testsuites> or <testsuite>",
    ),
    "junit-xml/pytest/corrupt-xml.xml": (
        "junit",
        ":11:22: malformed XML: no element found (is the file truncated?)",
    ),
    # a NUL character
    "nunit/nunit3/jenkins/NUnit-issue17521.xml": (
        "nunit",
        ":33:16: malformed XML: not well-formed (invalid token)",
    ),
    "nunit/nunit3/jenkins/NUnit-issue47367.xml": (
        "nunit",
        ":5:109: malformed XML: not well-formed (invalid token)",
    ),
    # XXE: an external entity naming a local file, and one naming an https URL
    "nunit/nunit3/jenkins/NUnit-sec1752-file.xml": (
        "nunit",
        ":3:53: refused: XML entity declarations are not allowed",
    ),
    "nunit/nunit3/jenkins/NUnit-sec1752-https.xml": (
        "nunit",
        ":3:105: refused: XML entity declarations are not allowed",
    ),
}


def test_every_expected_failure_is_listed(corpus: Path) -> None:
    root = corpus / "junit" / ENRICO
    stems = {
        f.relative_to(root).as_posix().removesuffix(".exception") for f in root.rglob("*.exception")
    }
    assert {re.sub(r"\.(xml|json)$", "", f) for f in EXPECTED_FAILURES} == stems


@pytest.mark.parametrize(("relative", "expected"), EXPECTED_FAILURES.items())
def test_expected_failures_are_evidence_errors(
    corpus: Path, relative: str, expected: tuple[str, str]
) -> None:
    fmt, message = expected
    path = corpus / "junit" / ENRICO / relative
    with pytest.raises(EvidenceError) as detected:
        parse_file(path, relative, AUTO)
    assert str(detected.value).startswith(relative + ":")
    with pytest.raises(EvidenceError) as declared:
        parse_file(path, relative, fmt)
    assert message in str(declared.value)
    if fmt != AUTO:
        assert str(declared.value) == relative + message


# --- real JUnit files: the values behind the counts ------------------------------------------

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
