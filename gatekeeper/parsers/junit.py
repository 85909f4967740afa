"""JUnit XML test reports in their real-world dialects, read as a stream.

Each ``<testcase>`` is judged by junitparser's rules (xunit2.TestCase) as soon as it
closes and is then dropped from the tree (see ``_xml``), so memory stays flat
however large the report. Entity declarations are refused (billion laughs, XXE).
The rules are applied to the element in one pass rather than through junitparser's
wrapper objects, which walk every case once per question asked of it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._xml import (
    Layout,
    first_line,
    local,
    read_records,
    root_name,
    seconds,
    whole_number,
)

NAME = "junit"

LAYOUT = Layout("a JUnit report", ("testsuites", "testsuite"), frozenset({"testcase"}))

# Some writers (TST, Jest-style reporters) say the outcome only in a status attribute.
_STATUS_ATTRIBUTE = {
    "disabled": TestStatus.SKIPPED,
    "skipped": TestStatus.SKIPPED,
    "notrun": TestStatus.SKIPPED,
    "ignored": TestStatus.SKIPPED,
    "failed": TestStatus.FAILED,
    "failure": TestStatus.FAILED,
    "errored": TestStatus.ERROR,
    "error": TestStatus.ERROR,
}
# junitparser's final results, in the order its is_error / is_failure / is_skipped win.
_FINAL = {"error": TestStatus.ERROR, "failure": TestStatus.FAILED, "skipped": TestStatus.SKIPPED}
# junitparser's xunit2 interim results: attempts that failed before the final outcome.
_INTERIM = frozenset({"flakyFailure", "flakyError", "rerunFailure", "rerunError"})


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
        return _result(case, cached[0][1], display)

    return convert


def _suite(enclosing: Sequence[Element]) -> tuple[str, str | None]:
    """The innermost suite's name, and the nearest file attribute of the enclosing suites."""
    suites = [e for e in reversed(enclosing) if local(e.tag) == "testsuite"]
    suite_file = next((s.get("file") for s in suites if s.get("file")), None)
    return (suites[0].get("name", "") if suites else ""), suite_file


def _result(element: Element, suite: tuple[str, str | None], display: str) -> TestResult:
    # Like junitparser, every descendant counts, whatever element it sits in.
    first: dict[str, Element] = {}
    reruns = 0
    if len(element):  # most cases have no children, so nothing to look through
        for child in element.iter():
            tag = child.tag
            if tag.startswith("{"):
                tag = local(tag)
            if tag in _FINAL:
                first.setdefault(tag, child)
            elif tag in _INTERIM:
                reruns += 1
    if first:
        outcome = next(tag for tag in _FINAL if tag in first)
        status = _FINAL[outcome]
        message = first_line(first[outcome].get("message"), first[outcome].text)
    else:
        written = element.get("status")
        status = (
            TestStatus.PASSED
            if written is None
            else _STATUS_ATTRIBUTE.get(written.lower(), TestStatus.PASSED)
        )
        message = None
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
