"""Visual Studio / ``dotnet test`` TRX results (``<TestRun>`` in the TeamTest namespace).

A TRX file keeps results and test definitions apart: ``<Results>`` says how each test
ended, ``<TestDefinitions>`` (usually later in the file) which class it belongs to.
Both are read as a stream and joined by test id at the end; only the few strings each
result needs are kept, never the XML. A data-driven result counts its inner results,
one per data row. Outcomes map failing closed: a test that timed out, was aborted or
could not run is an error, not a skip.

The run has an outcome of its own in ``<ResultSummary>``, with ``<RunInfo>`` messages: a
test host that crashed part-way writes only the results it got, and says so there. A run
the summary calls failed (or aborted, or that holds a RunInfo of outcome Error) with no
failed or errored result to show for it gets one error result, ``[test run]``, so the
failure the tool recorded counts. The summary's counters are not read: writers disagree
on them, and a crash leaves them agreeing with the results it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._times import recorded_iso
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
_LAYOUT = Layout(
    "a TRX report", ("TestRun",), _RESULT_TAGS | {"UnitTest", "ResultSummary", "Times"}
)
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
_FAILING = (TestStatus.FAILED, TestStatus.ERROR)
# Whether a run's outcome (a TestOutcome too) says it failed; a run whose tests passed but
# which was aborted did not pass. VSTest writes Completed, Failed (a failed test or an
# Error message) or Error (an attachment it could not save).
_RUN_OUTCOMES = {word: status in _FAILING for word, status in _OUTCOMES.items()}
_RUN_OUTCOMES["passedbutrunaborted"] = True
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


@dataclass(frozen=True)
class _Times:
    """``<Times finish>``: when the run ended (VSTest writes it with its offset)."""

    finish: str | None


@dataclass(frozen=True)
class _Summary:
    """The run's own verdict: why it failed, or None when it did not."""

    failure: str | None


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
    failures = [s.failure for s in found if isinstance(s, _Summary) and s.failure]
    if failures and not any(t.status in _FAILING for t in tests):
        tests += (_run_error(failures[0], display),)
    finish = next((t.finish for t in found if isinstance(t, _Times)), None)
    measured_at, time_error = recorded_iso(finish, display, "<Times> finish")
    return ParsedFile(
        path=display, format=NAME, tests=tests, measured_at=measured_at, time_error=time_error
    )


def _convert(
    record: Element, enclosing: Sequence[Element]
) -> list[_Row] | _Definition | _Summary | _Times:
    name = local(record.tag)
    if name == "UnitTest":
        method = child(record, "TestMethod")
        classname = "" if method is None else method.get("className", "")
        # "Namespace.Class, Assembly, Version=..." names the assembly too
        return _Definition(record.get("id", ""), classname.split(",", 1)[0].strip())
    if name == "ResultSummary":
        return _summary(record)
    if name == "Times":
        return _Times(record.get("finish"))
    return _rows(record)


def _summary(summary: Element) -> _Summary:
    """Why the run failed: its first RunInfo of outcome Error, else its outcome."""
    errors = [
        first_line("".join(info.itertext())) or "a run-level error without text"
        for info in summary.iter()
        if local(info.tag) == "RunInfo"
        and closed(info.get("outcome", ""), _OUTCOMES, "a RunInfo's outcome") in _FAILING
    ]
    outcome = summary.get("outcome") or ""
    failed = bool(outcome) and closed(outcome, _RUN_OUTCOMES, "the run's outcome")
    if errors or failed:
        return _Summary(errors[0] if errors else f"the run's outcome is {outcome}")
    return _Summary(None)


def _run_error(failure: str, display: str) -> TestResult:
    return TestResult(
        suite="",
        classname="",
        name="[test run]",
        file=None,
        line=None,
        status=TestStatus.ERROR,
        message=failure,
        source=display,
    )


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
