"""xUnit.net XML results (v1, v2 and v3 ``<assemblies>`` / ``<assembly>``), read as a stream.

Each ``<test>`` becomes one result. xUnit.net also reports failures that belong to no
test (a class or collection cleanup that threw, a fatal error) under ``<errors>``; each
of those becomes an error result too, so a gate cannot pass over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._times import Oldest, Recorded, recorded_iso
from gatekeeper.parsers._xml import (
    Layout,
    child,
    closed,
    first_line,
    local,
    read_records,
    root_name,
    seconds,
    text_at,
    whole_number,
)

NAME = "xunit-net"

_LAYOUT = Layout("an xUnit.net report", ("assemblies", "assembly"), frozenset({"test", "error"}))
_RESULTS = {
    "pass": TestStatus.PASSED,
    "fail": TestStatus.FAILED,
    "skip": TestStatus.SKIPPED,
    "notrun": TestStatus.SKIPPED,  # v3: an explicit test the run did not ask for
}
_CONTAINERS = ("collection", "class")


def detect(head: bytes) -> bool:
    """The root element is ``<assemblies>`` (v2, v3, some v1) or ``<assembly>`` (v1)."""
    return root_name(head) in _LAYOUT.roots


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every test of an xUnit.net report; a report with none is not an error."""

    oldest = Oldest()

    def convert(record: Element, enclosing: Sequence[Element]) -> TestResult:
        assembly = next((e for e in enclosing if local(e.tag) == "assembly"), None)
        if assembly is not None:  # run-date and run-time: the assembly's start, local time
            spelled = (assembly.get("run-date"), assembly.get("run-time"))
            oldest.add(spelled, lambda: _run_time(assembly, display))
        if local(record.tag) == "error":
            return _error(record, enclosing, display)
        return _result(record, enclosing, display)

    tests = tuple(read_records(path, display, _LAYOUT, convert))
    measured_at, time_error = oldest.recorded
    return ParsedFile(
        path=display, format=NAME, tests=tests, measured_at=measured_at, time_error=time_error
    )


def _run_time(assembly: Element, display: str) -> Recorded:
    date, clock = assembly.get("run-date"), assembly.get("run-time")
    if date is None or clock is None:
        return None, None
    return recorded_iso(f"{date}T{clock}", display, "<assembly> run-date, run-time")


def _suite(enclosing: Sequence[Element]) -> str:
    """The innermost collection (v2, v3) or class (v1), else the assembly."""
    for wanted in (_CONTAINERS, ("assembly",)):
        for element in reversed(enclosing):
            if local(element.tag) in wanted:
                return element.get("name", "")
    return ""


def _result(test: Element, enclosing: Sequence[Element], display: str) -> TestResult:
    classname = test.get("type", "")
    name = test.get("name", "") or test.get("method", "")
    if classname and name.startswith(classname + "."):
        name = name[len(classname) + 1 :]
    result = test.get("result")
    message: str | None = None
    if result is None:
        status, message = TestStatus.ERROR, "the test has no result"
    else:
        status = closed(result, _RESULTS, "the test's result")
    if status is TestStatus.SKIPPED:
        reason = child(test, "reason")
        message = first_line(text_at(reason, "message"), None if reason is None else reason.text)
    elif status is TestStatus.FAILED:
        failure = child(test, "failure")
        message = first_line(text_at(failure, "message"))
        if message is None and failure is not None:
            message = failure.get("exception-type")
    return TestResult(
        suite=_suite(enclosing),
        classname=classname,
        name=name,
        file=test.get("source-file") or None,
        line=whole_number(test.get("source-line")),
        status=status,
        duration=seconds(test.get("time")),
        message=message,
        source=display,
    )


def _error(error: Element, enclosing: Sequence[Element], display: str) -> TestResult:
    kind = error.get("type", "") or "error"
    failure = child(error, "failure")
    message = first_line(text_at(failure, "message")) or (
        None if failure is None else failure.get("exception-type")
    )
    return TestResult(
        suite=_suite(enclosing),
        classname=error.get("name", ""),
        name=f"[{kind}]",
        file=None,
        line=None,
        status=TestStatus.ERROR,
        message=message or f"xUnit.net reported a {kind} error",
        source=display,
    )
