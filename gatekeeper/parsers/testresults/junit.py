"""JUnit XML test reports in their real-world dialects, read as a stream.

Each ``<testcase>`` is judged as soon as it closes and is then dropped from the tree
(see ``_xml``), so memory stays flat however large the report. Entity declarations are
refused (billion laughs, XXE). A case with child elements (failure, error, skipped,
Surefire's reruns and flaky attempts) is judged as junitparser's xunit2 classes judge it
(``ROLES``); a case with none — most of them — passed.

A ``<failure>`` or ``<error>`` outside every case is the suite's own (Ant and others write
a class that failed to load, or a setup or teardown that threw, there): it becomes an
error result of the innermost suite, ``[suite failure]`` or ``[suite error]``. The
suites' ``failures`` and ``errors`` counters are not checked against the cases: real
writers disagree with them (Surefire counts reruns, hand-trimmed fixtures keep them).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._xml import (
    Layout,
    closed,
    first_line,
    local,
    read_records,
    root_name,
    seconds,
    whole_number,
)

NAME = "junit"

_SUITE_RESULTS = frozenset({"failure", "error"})
LAYOUT = Layout(
    "a JUnit report", ("testsuites", "testsuite"), frozenset({"testcase"}) | _SUITE_RESULTS
)

# Some writers (TST, googletest, NUnit's JUnit transform) say the outcome only in a status
# attribute. JUnit's schema has none, so no tool closes its set: these are the words the
# writers gatekeeper knows use, read as NUnit reads its own (NotRunnable is an error). Any
# other word is refused, since reading it as a pass is how a misspelt "failed" would pass.
_STATUS_ATTRIBUTE = {
    "run": TestStatus.PASSED,  # googletest: it ran; a failure child says how it ended
    "pass": TestStatus.PASSED,
    "passed": TestStatus.PASSED,
    "success": TestStatus.PASSED,
    "disabled": TestStatus.SKIPPED,
    "skip": TestStatus.SKIPPED,
    "skipped": TestStatus.SKIPPED,
    "notrun": TestStatus.SKIPPED,
    "ignored": TestStatus.SKIPPED,
    "inconclusive": TestStatus.SKIPPED,
    "fail": TestStatus.FAILED,
    "failed": TestStatus.FAILED,
    "failure": TestStatus.FAILED,
    "errored": TestStatus.ERROR,
    "error": TestStatus.ERROR,
    "notrunnable": TestStatus.ERROR,
}


def detect(head: bytes) -> bool:
    """The root element, after any BOM, XML declaration and comments, is a testsuite(s)."""
    return root_name(head) in LAYOUT.roots


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every test case of a JUnit XML report; a report with none is not an error."""
    tests = tuple(read_records(path, display, LAYOUT, converter(display)))
    return ParsedFile(path=display, format=NAME, tests=tests)


def converter(display: str) -> Callable[[Element, Sequence[Element]], TestResult]:
    """What turns one closed ``<testcase>`` and its open ancestors into a ``TestResult``."""
    cached: list[tuple[Element | None, tuple[str, str | None]]] = [(None, ("", None))]

    def convert(case: Element, enclosing: Sequence[Element]) -> TestResult:
        # Cases of one suite share its ancestors: look them up once per parent element.
        parent = enclosing[-1] if enclosing else None
        if cached[0][0] is not parent:
            cached[0] = (parent, _suite(enclosing))
        if not case.tag.endswith("testcase"):  # a failure or error outside every case
            return _suite_result(case, cached[0][1][0], display)
        return _result(case, cached[0][1], display)

    return convert


def _suite(enclosing: Sequence[Element]) -> tuple[str, str | None]:
    """The innermost suite's name, and the nearest file attribute of the enclosing suites."""
    suites = [e for e in reversed(enclosing) if local(e.tag) == "testsuite"]
    suite_file = next((s.get("file") for s in suites if s.get("file")), None)
    return (suites[0].get("name", "") if suites else ""), suite_file


def _result(element: Element, suite: tuple[str, str | None], display: str) -> TestResult:
    reruns = 0
    message = None
    if len(element):  # a case with children: junitparser's xunit2 classes say what they mean
        status, message, reruns = _judged(element)
    else:  # most cases have none: passed, unless a status attribute says otherwise
        status = _status_attribute(element)
    return TestResult(
        suite=suite[0],
        # One string per class, not per case: a large report keeps every result.
        classname=sys.intern(element.get("classname", "")),
        name=element.get("name", ""),
        file=element.get("file") or suite[1],
        line=whole_number(element.get("line")),
        status=status,
        flaky=status is TestStatus.PASSED and reruns > 0,
        reruns=reruns,
        duration=seconds(element.get("time")),
        message=message,
        source=display,
    )


def _suite_result(element: Element, suite: str, display: str) -> TestResult:
    tag = local(element.tag)
    message = first_line(element.get("message"), element.text, element.get("type"))
    return TestResult(
        suite=suite,
        classname=suite,  # Ant, Surefire, Gradle: the suite is the class
        name=f"[suite {tag}]",
        file=None,
        line=None,
        status=TestStatus.ERROR,
        message=message or f"the suite's own <{tag}>, without a message",
        source=display,
    )


ROLES: Mapping[str, TestStatus | None] = {
    "failure": TestStatus.FAILED,
    "error": TestStatus.ERROR,
    "skipped": TestStatus.SKIPPED,
    "rerunFailure": None,
    "rerunError": None,
    "flakyFailure": None,
    "flakyError": None,
}
"""junitparser's reading of a case's children, per tag: the final outcome a child stands for
(error, failure, skipped), or None for a failed attempt before it (Surefire's rerun* and
flaky* elements). Tags it gives no meaning (system-out, ...) are absent. Written out, not
derived from junitparser's xunit2 classes at run time (importing junitparser and lxml would
take longer than reading a typical report): tests/parsers/test_junit_differential.py holds
this table to those classes and every case to junitparser's verdict."""


# is_error, then is_failure, then is_skipped: the order junitparser's properties decide in
_PRECEDENCE = (TestStatus.ERROR, TestStatus.FAILED, TestStatus.SKIPPED)


def _judged(element: Element) -> tuple[TestStatus, str | None, int]:
    """Status, message and failed attempts of a case with children, by junitparser's classes.

    Its wrappers are not built per case (each builds a throwaway element): the classes its
    TestCase maps each child tag to decide instead, which keeps the stream twice as fast.
    """
    first: dict[TestStatus, Element] = {}
    reruns = 0
    for child in element.iter():  # like junitparser: every descendant counts
        tag = child.tag
        role = ROLES.get(local(tag) if tag.startswith("{") else tag, TestStatus.PASSED)
        if role is None:
            reruns += 1
        elif role is not TestStatus.PASSED:
            first.setdefault(role, child)
    for status in _PRECEDENCE:
        if status in first:
            return status, first_line(first[status].get("message"), first[status].text), reruns
    return _status_attribute(element), None, reruns


def _status_attribute(element: Element) -> TestStatus:
    word = element.get("status")
    if not word:  # absent, or written empty: it says nothing
        return TestStatus.PASSED
    return closed(word, _STATUS_ATTRIBUTE, "the test case's status attribute")
