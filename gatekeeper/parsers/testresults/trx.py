"""Visual Studio / ``dotnet test`` TRX results (``<TestRun>`` in the TeamTest namespace).

A TRX file keeps results and test definitions apart: ``<Results>`` says how each test
ended, ``<TestDefinitions>`` (usually later in the file) which class it belongs to.
Both are read as a stream and joined by test id at the end; only the few strings each
result needs are kept, never the XML. A data-driven result counts its inner results,
one per data row. Outcomes map failing closed: a test that timed out, was aborted or
could not run is an error, not a skip.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._xml import (
    Layout,
    child,
    closed,
    first_line,
    local,
    read_records,
    root_name,
    text_at,
)

NAME = "trx"

_RESULT_TAGS = frozenset({"UnitTestResult", "GenericTestResult", "ManualTestResult"})
_LAYOUT = Layout("a TRX report", ("TestRun",), _RESULT_TAGS | {"UnitTest"})
_OUTCOMES = {
    "passed": TestStatus.PASSED,
    "passedbutrunaborted": TestStatus.PASSED,
    "warning": TestStatus.PASSED,  # finished without failing, with a note
    "completed": TestStatus.PASSED,
    "failed": TestStatus.FAILED,
    "error": TestStatus.ERROR,
    "timeout": TestStatus.ERROR,
    "aborted": TestStatus.ERROR,
    "notrunnable": TestStatus.ERROR,
    "disconnected": TestStatus.ERROR,
    "inprogress": TestStatus.ERROR,  # never finished
    "pending": TestStatus.ERROR,
    "notexecuted": TestStatus.SKIPPED,
    "inconclusive": TestStatus.SKIPPED,
}
# [d.]hh:mm:ss[.fffffff], as .NET writes a TimeSpan
_TIMESPAN = re.compile(r"(?:(\d{1,6})\.)?(\d{1,2}):(\d{1,2}):(\d{1,2}(?:\.\d{1,9})?)")


@dataclass(frozen=True)
class _Row:
    """One result as read, before its class is known."""

    test_id: str
    name: str
    status: TestStatus
    duration: float | None
    message: str | None


@dataclass(frozen=True)
class _Definition:
    test_id: str
    classname: str


def detect(head: bytes) -> bool:
    """The root element is ``<TestRun>``."""
    return root_name(head) == "TestRun"


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every test result of a TRX file; a run with none is not an error."""
    found = read_records(path, display, _LAYOUT, _convert)
    classes = {d.test_id: d.classname for d in found if isinstance(d, _Definition)}
    tests = tuple(
        _result(row, classes.get(row.test_id, ""), display)
        for rows in found
        if isinstance(rows, list)
        for row in rows
    )
    return ParsedFile(path=display, format=NAME, tests=tests)


def _convert(record: Element, enclosing: Sequence[Element]) -> list[_Row] | _Definition:
    if local(record.tag) == "UnitTest":
        method = child(record, "TestMethod")
        classname = "" if method is None else method.get("className", "")
        # "Namespace.Class, Assembly, Version=..." names the assembly too
        return _Definition(record.get("id", ""), classname.split(",", 1)[0].strip())
    return _rows(record)


def _rows(result: Element) -> list[_Row]:
    inner = child(result, "InnerResults")
    nested = [r for r in inner or () if local(r.tag) in _RESULT_TAGS]
    if nested:  # a data-driven test: the outer result only sums up its rows
        return [row for r in nested for row in _rows(r)]
    outcome = result.get("outcome")
    message = first_line(text_at(result, "Output", "ErrorInfo", "Message"))
    if not outcome:
        status, message = TestStatus.ERROR, "the result has no outcome"
    else:  # the TestOutcome enum of vstst.xsd, in full
        status = closed(outcome, _OUTCOMES, f"the outcome of {result.get('testName', '')!r}")
    if status is TestStatus.ERROR and message is None:
        message = f"outcome: {outcome}"  # Aborted, Timeout, ... say why on their own
    return [
        _Row(
            test_id=result.get("testId", ""),
            name=result.get("testName", ""),
            status=status,
            duration=_timespan(result.get("duration")),
            message=None if status is TestStatus.PASSED else message,
        )
    ]


def _result(row: _Row, classname: str, display: str) -> TestResult:
    name = row.name
    if classname and name.startswith(classname + "."):
        name = name[len(classname) + 1 :]
    return TestResult(
        suite="",
        classname=classname,
        name=name,
        file=None,
        line=None,
        status=row.status,
        duration=row.duration,
        message=row.message,
        source=display,
    )


def _timespan(value: str | None) -> float | None:
    found = _TIMESPAN.fullmatch((value or "").strip())
    if found is None:
        return None
    days, hours, minutes, secs = found.groups()
    return int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(secs)
