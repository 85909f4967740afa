"""NUnit XML results: NUnit 2 ``<test-results>`` and NUnit 3 ``<test-run>``, read as a stream.

Each ``<test-case>`` becomes one result. NUnit 3 states an outcome as a result and a
label (``Failed`` + ``Error`` is an exception, ``Skipped`` + ``Ignored`` an ignored test);
NUnit 2 as one result word, or before 2.5 only as ``executed`` and ``success`` flags.
Both are mapped onto the same statuses, failing closed: a test NUnit could not run
because it is malformed (NUnit 2 ``NotRunnable``, NUnit 3 label ``Invalid``) is an
error, not a skip, so a skip allowance cannot hide it.

A suite (and NUnit 3's run) has a result of its own: a fixture whose OneTimeTearDown threw
is ``Failed`` at site ``TearDown`` around test cases that all passed. A failure NUnit
recorded on a suite counts: at site ``TearDown`` always, at site ``Parent`` never (the
suite above says it), and otherwise when nothing failed inside the suite to explain it
(``Child`` with its failing cases gone, a ``SetUp`` that left no case behind, a run that
says ``Failed`` over passing cases). It becomes an error result named for the suite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._times import Recorded, recorded_iso
from gatekeeper.parsers._xml import (
    BOOLEANS,
    Layout,
    child,
    closed,
    first_line,
    local,
    read_records,
    root_name,
    seconds,
    text_at,
)

NAME = "nunit"

_SUITES = frozenset({"test-run", "test-suite"})
_LAYOUT = Layout(
    "an NUnit report",
    ("test-results", "test-run", "test-suite"),
    frozenset({"test-case"}),
    containers=_SUITES,
    notes=frozenset({"failure", "reason"}),
)
_RESULTS = {
    # NUnit 3
    "passed": TestStatus.PASSED,
    "warning": TestStatus.PASSED,  # passed, with warnings NUnit reports separately
    "failed": TestStatus.FAILED,
    "skipped": TestStatus.SKIPPED,
    "inconclusive": TestStatus.SKIPPED,
    # NUnit 2
    "success": TestStatus.PASSED,
    "failure": TestStatus.FAILED,
    "error": TestStatus.ERROR,
    "notrunnable": TestStatus.ERROR,
    "cancelled": TestStatus.ERROR,
    "ignored": TestStatus.SKIPPED,
}
# NUnit 3 labels that make an outcome an error: an exception, a malformed test, an abort.
_ERROR_LABELS = {"error", "invalid", "cancelled"}
_FAILING = (TestStatus.FAILED, TestStatus.ERROR)
# NUnit 3.0's engine wrote the site into a run's result: "Failed(Child)".
_RESULT_AND_SITE = re.compile(r"(\w+)\((\w+)\)")
# Suites that group the cases of one method, not a class.
_METHOD_SUITES = {"ParameterizedMethod", "ParameterizedTest", "Theory", "GenericMethod"}


def detect(head: bytes) -> bool:
    """The root element is NUnit's ``<test-run>`` (3), ``<test-results>`` (2) or a suite."""
    return root_name(head) in _LAYOUT.roots


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every test case of an NUnit report; a report with none is not an error."""

    root: dict[str, str] = {}

    def convert(case: Element, enclosing: Sequence[Element]) -> TestResult:
        if not root and enclosing and local(enclosing[0].tag) == "test-results":
            root.update(enclosing[0].attrib)  # NUnit 2: the run's date and time
        return _result(case, enclosing, display)

    def finish(
        suite: Element, inside: Iterable[TestResult], enclosing: Sequence[Element]
    ) -> TestResult | None:
        if local(suite.tag) == "test-run":
            root.update(suite.attrib)
        return _suite_failure(suite, inside, display)

    tests = tuple(read_records(path, display, _LAYOUT, convert, finish))
    measured_at, time_error = _run_time(root, display)
    return ParsedFile(
        path=display, format=NAME, tests=tests, measured_at=measured_at, time_error=time_error
    )


def _run_time(root: dict[str, str], display: str) -> Recorded:
    """NUnit 3: ``<test-run end-time>`` (UTC, "2019-01-01 12:00:00Z"), else its start-time;
    NUnit 2: ``<test-results date time>``, local time without a zone (the earliest moment
    it can name). A report without them records no time."""
    if "end-time" in root or "start-time" in root:
        key = "end-time" if "end-time" in root else "start-time"
        return recorded_iso(root[key], display, f"<test-run> {key}")
    if "date" in root and "time" in root:
        return recorded_iso(f"{root['date']}T{root['time']}", display, "<test-results> date, time")
    return None, None


def _suite_failure(suite: Element, inside: Iterable[TestResult], display: str) -> TestResult | None:
    """An error result for a failure NUnit recorded on a suite that nothing inside shows."""
    result, site = suite.get("result", ""), suite.get("site", "")
    if found := _RESULT_AND_SITE.fullmatch(result):
        result, site = found.group(1), site or found.group(2)
    what = "run" if local(suite.tag) == "test-run" else "suite"
    if result:
        status = closed(result, _RESULTS, f"the {what}'s result")
    else:  # NUnit 2 before 2.5: flags only
        ran, passed = _flag(suite, "executed", True), _flag(suite, "success", True)
        status = TestStatus.FAILED if ran and not passed else TestStatus.PASSED
    site = site.lower()
    if status not in _FAILING or site == "parent":
        return None
    if site != "teardown" and any(t.status in _FAILING for t in inside):
        return None
    said = first_line(text_at(suite, "failure", "message"), text_at(suite, "reason", "message"))
    if site == "teardown":
        message = said or "NUnit recorded a failure in this suite's TearDown"
    else:
        message = f"NUnit recorded this {what} as {result or 'failed'}, but no test in it failed"
        message += f": {said}" if said else ""
    if what == "run":
        return _error("", "", "[test run]", message, display)
    full = suite.get("fullname") or suite.get("name") or ""
    label = "[TearDown]" if site == "teardown" else "[SetUp]" if site == "setup" else "[suite]"
    return _error(full, suite.get("classname") or full, label, message, display)


def _error(suite: str, classname: str, name: str, message: str, display: str) -> TestResult:
    return TestResult(
        suite=suite,
        classname=classname,
        name=name,
        file=None,
        line=None,
        status=TestStatus.ERROR,
        message=message,
        source=display,
    )


def _result(case: Element, enclosing: Sequence[Element], display: str) -> TestResult:
    fixture = next(
        (
            suite
            for suite in reversed(enclosing)
            if local(suite.tag) == "test-suite" and suite.get("type") not in _METHOD_SUITES
        ),
        None,
    )
    classname, name = _names(case, fixture, enclosing)
    status, message = _status(case)
    suite = "" if fixture is None else fixture.get("fullname") or classname or fixture.get("name")
    return TestResult(
        suite=suite or "",
        classname=classname,
        name=name,
        file=None,
        line=None,
        status=status,
        duration=seconds(case.get("duration", case.get("time"))),
        message=message,
        source=display,
    )


def _flag(element: Element, name: str, default: bool) -> bool:
    """NUnit 2's executed and success flags (True / False); absent means the default."""
    value = element.get(name)
    what = "test case" if local(element.tag) == "test-case" else "suite"
    return default if value is None else closed(value, BOOLEANS, f"the {what}'s {name}")


def _names(case: Element, fixture: Element | None, enclosing: Sequence[Element]) -> tuple[str, str]:
    """(class, test) names: NUnit 3 gives both; NUnit 2 only a full name to split."""
    name = case.get("name", "")
    if case.get("classname"):
        return case.get("classname", ""), name
    full = case.get("fullname", name)
    if full != name and full.endswith("." + name):  # NUnit 3 without a classname
        return full[: -len(name) - 1], name
    # NUnit 2: "Namespace.Fixture.Method(args)"; the fixture's own name may carry
    # arguments too ("Box<Int32>(5)"), and the suites above it name the namespaces.
    short = "" if fixture is None else fixture.get("name", "")
    spaces = [e.get("name", "") for e in enclosing if e.get("type") == "Namespace"]
    for prefix in (".".join([*spaces, short]), short):
        if prefix and full.startswith(prefix + "."):
            return prefix, full[len(prefix) + 1 :]
    head = full.split("(", 1)[0]  # dots inside the method's arguments do not count
    if "." in head:
        end = head.rindex(".")
        return full[:end], full[end + 1 :]
    return short, full


def _status(case: Element) -> tuple[TestStatus, str | None]:
    result = case.get("result", "")
    # The label is open: NUnit 3 writes Error, Invalid, Cancelled, Ignored, Explicit, and a
    # custom ResultState may carry any label; only the ones that make an error count.
    label = case.get("label", "").lower()
    if result:
        status = closed(result, _RESULTS, "the test case's result")
    elif not _flag(case, "executed", True):
        status = TestStatus.SKIPPED
    elif not _flag(case, "success", True) or child(case, "failure") is not None:
        status = TestStatus.FAILED
    else:
        status = TestStatus.PASSED
    if label in _ERROR_LABELS and status is not TestStatus.PASSED:
        status = TestStatus.ERROR
    if status is TestStatus.PASSED:
        return status, None
    failure = first_line(
        text_at(case, "failure", "message"), text_at(case, "failure", "stack-trace")
    )
    reason = first_line(text_at(case, "reason", "message"))
    if status is TestStatus.SKIPPED:
        return status, reason or failure
    return status, failure or reason or (case.get("label") or None)
