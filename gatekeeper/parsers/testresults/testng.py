"""TestNG ``testng-results.xml``, read as a stream.

Each ``<test-method>`` is one attempt of a test. TestNG writes an attempt that its retry
analyser repeated with ``retried="true"``; those are not results of their own but make
the next attempt of the same method a rerun (flaky when it then passed). Configuration
methods (``@BeforeMethod`` and the like) are not tests; one that failed becomes an error
result, because the tests it skipped would otherwise show only as skips.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._times import Oldest, recorded_java
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

NAME = "testng"

_LAYOUT = Layout("a TestNG report", ("testng-results",), frozenset({"test-method"}))
# XMLReporterConfig's TEST_PASSED, TEST_FAILED and TEST_SKIPPED: all a status can be.
_STATUSES = {"pass": TestStatus.PASSED, "fail": TestStatus.FAILED, "skip": TestStatus.SKIPPED}


@dataclass(frozen=True)
class _Attempt:
    result: TestResult
    retried: bool
    config: bool


def detect(head: bytes) -> bool:
    """The root element is ``<testng-results>``."""
    return root_name(head) == "testng-results"


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every test method of a TestNG report; a report with none is not an error."""

    oldest = Oldest()

    def convert(method: Element, enclosing: Sequence[Element]) -> _Attempt:
        suite = next((e for e in enclosing if local(e.tag) == "suite"), None)
        if suite is not None:  # finished-at: when the suite ended
            finished = suite.get("finished-at")
            oldest.add((finished,), lambda: recorded_java(finished, display, "<suite> finished-at"))
        return _attempt(method, enclosing, display)

    attempts = read_records(path, display, _LAYOUT, convert)
    measured_at, time_error = oldest.recorded
    return ParsedFile(
        path=display,
        format=NAME,
        tests=tuple(_results(attempts)),
        measured_at=measured_at,
        time_error=time_error,
    )


def _attempt(method: Element, enclosing: Sequence[Element], display: str) -> _Attempt:
    classes = [e for e in enclosing if local(e.tag) == "class"]
    tests = [e for e in enclosing if local(e.tag) == "test"]
    status = closed(method.get("status", ""), _STATUSES, "the test method's status")
    exception = child(method, "exception")
    message = first_line(text_at(exception, "message")) or (
        None if exception is None else exception.get("class")
    )
    config = _flag(method, "is-config")
    if config and status is TestStatus.FAILED:
        status = TestStatus.ERROR  # a failed setup or teardown, not a failed test
    duration = seconds(method.get("duration-ms"))
    result = TestResult(
        suite=tests[-1].get("name", "") if tests else "",
        classname=classes[-1].get("name", "") if classes else "",
        name=method.get("name", ""),
        file=None,
        line=None,
        status=status,
        duration=None if duration is None else duration / 1000,
        message=None if status is TestStatus.PASSED else message,
        source=display,
    )
    return _Attempt(result, _flag(method, "retried"), config)


def _flag(method: Element, name: str) -> bool:
    """A true / false attribute TestNG writes only when it is true."""
    value = method.get(name)
    return value is not None and closed(value, BOOLEANS, f"the test method's {name}")


def _results(attempts: Iterable[_Attempt]) -> Iterable[TestResult]:
    pending: Counter[tuple[str, str, str]] = Counter()
    last_retried: dict[tuple[str, str, str], TestResult] = {}
    for attempt in attempts:
        result = attempt.result
        if attempt.config:
            if result.status is TestStatus.ERROR:
                yield result
            continue
        key = (result.suite, result.classname, result.name)
        if attempt.retried:
            pending[key] += 1
            last_retried[key] = result
            continue
        reruns = pending.pop(key, 0)
        last_retried.pop(key, None)
        flaky = reruns > 0 and result.status is TestStatus.PASSED
        yield result._replace(reruns=reruns, flaky=flaky)
    # Retried attempts with no final one: the test never got a verdict, so it failed.
    for key, reruns in pending.items():
        message = "retried, but the report has no final attempt"
        yield last_retried[key]._replace(status=TestStatus.FAILED, reruns=reruns, message=message)
