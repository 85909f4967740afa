"""JUnit XML test reports in their real-world dialects, read as a stream.

Each ``<testcase>`` is judged as soon as it closes, from expat's events: no element tree
is built, not even for a case, so memory stays flat however large the report and ``check``
(``stream_tests``) keeps no case at all. Every guard of ``_xml`` applies: entity
declarations refused (billion laughs, XXE), the token cap, junk refused at its first
bytes, truncation an error. A case's children (failure, error, skipped, Surefire's reruns
and flaky attempts) are read as junitparser's xunit2 classes read them (``ROLES``); a
case with none — most of them — passed, unless a status attribute says otherwise.

A ``<failure>`` or ``<error>`` outside every case is the suite's own (Ant and others write
a class that failed to load, or a setup or teardown that threw, there): it becomes an
error result of the innermost suite, ``[suite failure]`` or ``[suite error]``. The
suites' ``failures`` and ``errors`` counters are not checked against the cases: real
writers disagree with them (Surefire counts reruns, hand-trimmed fixtures keep them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers._times import report_time
from gatekeeper.parsers._xml import (
    MAX_DEPTH,
    Layout,
    TooDeep,
    UnknownValue,
    closed,
    first_line,
    root_name,
    seconds,
    stream_xml,
    whole_number,
)

if TYPE_CHECKING:
    from pyexpat import XMLParserType

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
    tests: list[TestResult] = []
    streamed = stream_tests(path, display, tests.append)
    return ParsedFile(
        path=display,
        format=NAME,
        tests=tuple(tests),
        measured_at=streamed.measured_at,
        time_error=streamed.time_error,
    )


def stream_tests(path: Path, display: str, sink: Callable[[TestResult], object]) -> ParsedFile:
    """Hand each test case to ``sink`` as soon as it closes, keeping none of them: the file
    with no tests, and how many went to ``sink``."""
    reader = _CaseReader(display, sink)
    stream_xml(path, display, LAYOUT, reader.listen)
    return ParsedFile(
        path=display,
        format=NAME,
        streamed_tests=reader.count,
        measured_at=None if reader.undated_suite else reader.measured_at,
        time_error=reader.time_error,
    )


class _CaseReader:
    """expat's handlers for a JUnit report: no tree, not even for a case.

    A case's outcome is decided by junitparser's reading of its descendants' tags
    (``ROLES``); of the first descendant standing for each outcome only the message
    attribute and the text before its first child are kept (what ElementTree's ``.text``
    holds), and character data is delivered only while such a text is being read. Outside
    the cases only the open suites' names and files are kept.
    """

    def __init__(self, display: str, sink: Callable[[TestResult], object]) -> None:
        self.display = display
        self.sink = sink
        self.count = 0
        self.roles = ROLES
        self.locals: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        self.depth = 0
        """Open elements, the one starting included."""
        self.suites: list[tuple[str, str | None] | None] = []
        """Per open element outside a record: for a testsuite its name and the nearest file
        attribute of it and the suites around it, else None."""
        self.suite: tuple[str, str | None] = ("", None)
        """The innermost open suite's entry, ("", None) outside every suite."""
        self.record = 0
        """Depth of the open record (a case, or a suite's own failure); 0 outside one."""
        self.attrib: dict[str, str] = {}
        self.at = (0, 0)
        self.first: dict[TestStatus, tuple[str | None, list[str]]] = {}
        self.reruns = 0
        self.text: list[str] | None = None
        """Where character data goes while a kept element's text is being read."""
        self.text_depth = 0
        self.tag = ""
        self.kind: str | None = None
        """A suite's own failure or error: its tag and its type attribute."""
        self.expat: XMLParserType | None = None
        self.time_error: str | None = None
        self.measured_at: dt.datetime | None = None
        """The oldest ``timestamp`` of the file's suites: when its oldest suite started (the
        conservative reading of a file whose suites ran at different times)."""
        self.dated: list[bool] = []
        """Per open element outside a record: whether it or an element around it has a
        ``timestamp``. A suite with none leaves the file undated (a suite pasted in from
        another run says nothing of its age), as an undated file leaves its artifact."""
        self.undated_suite = False

    def listen(self, expat: XMLParserType) -> None:
        self.expat = expat
        expat.ordered_attributes = False
        expat.StartElementHandler = self._start
        expat.EndElementHandler = self._end
        expat.CharacterDataHandler = None

    def _local(self, raw: str) -> str:
        name = self.locals[raw] = raw.rpartition("}")[2]  # expat spells "uri}local"
        return name

    def _read_text(self, into: list[str] | None) -> None:
        assert self.expat is not None
        self.text = into
        self.text_depth = self.depth
        self.expat.CharacterDataHandler = None if into is None else into.append

    def _start(self, raw: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep
        name = self.locals.get(raw) or self._local(raw)
        if self.record:
            if self.text is not None:  # .text ends at the first child
                self._read_text(None)
            if self.attrib is _SUITE_RECORD:  # a suite's failure: nothing inside counts
                return
            role = self.roles.get(name, TestStatus.PASSED)
            if role is None:
                self.reruns += 1
            elif role is not TestStatus.PASSED and role not in self.first:
                parts: list[str] = []
                self.first[role] = (attrib.get("message"), parts)
                self._read_text(parts)
            return
        if self.depth == 1 and name not in LAYOUT.roots:
            raise EvidenceError(
                Position(self.display),
                f"not {LAYOUT.kind}: the root element is <{name}>, expected "
                + " or ".join(f"<{root}>" for root in LAYOUT.roots),
            )
        if self.depth == 1 and "timestamp" in attrib:
            self._timestamp(name, attrib["timestamp"])
        if name == "testcase" or name in _SUITE_RESULTS:
            assert self.expat is not None
            self.record = self.depth
            self.at = (self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1)
            self.first, self.reruns = {}, 0
            if name == "testcase":
                self.attrib = attrib
            else:
                self.attrib = _SUITE_RECORD
                parts = []
                self.first[TestStatus.ERROR] = (attrib.get("message"), parts)
                self.tag, self.kind = name, attrib.get("type")
                self._read_text(parts)
        elif name == "testsuite":
            self.suite = (attrib.get("name", ""), attrib.get("file") or self.suite[1])
            self.suites.append(self.suite)
            self._date(attrib, suite=True)
            if "timestamp" in attrib:
                self._timestamp(name, attrib["timestamp"])
        else:
            self.suites.append(None)
            self._date(attrib, suite=False)

    def _date(self, attrib: dict[str, str], *, suite: bool) -> None:
        dated = "timestamp" in attrib or (bool(self.dated) and self.dated[-1])
        self.dated.append(dated)
        if suite and not dated:
            self.undated_suite = True

    def _timestamp(self, element: str, text: str) -> None:
        if self.time_error is not None:
            return
        try:
            moment = report_time(text)
        except ValueError as exc:  # kept, not raised: only a max_age needs the time
            assert self.expat is not None
            line, column = self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1
            self.time_error = f"{self.display}:{line}:{column}: <{element}> timestamp: {exc}"
            self.measured_at = None
            return
        if moment is not None and (self.measured_at is None or moment < self.measured_at):
            self.measured_at = moment

    def _end(self, raw: str) -> None:
        depth = self.depth
        self.depth -= 1
        if not self.record:
            self.dated.pop()
            if self.suites.pop() is not None:
                self.suite = next((s for s in reversed(self.suites) if s), ("", None))
            return
        if depth == self.text_depth and self.text is not None:
            self._read_text(None)
        if depth != self.record:
            return
        self.record = 0
        try:
            result = self._suite_result() if self.attrib is _SUITE_RECORD else self._case()
        except UnknownValue as exc:
            raise EvidenceError(Position(self.display, *self.at), str(exc)) from exc
        self.count += 1
        self.sink(result)

    def _case(self) -> TestResult:
        # The hot path: every case of a report, most of them passed, childless and plain.
        attrib = self.attrib
        message = None
        if self.first:
            for status in _PRECEDENCE:
                if status in self.first:
                    said, parts = self.first[status]
                    message = first_line(said, "".join(parts))
                    break
            else:
                status = _status_attribute(attrib.get("status"))
        else:
            status = _status_attribute(attrib.get("status"))
        # One string per class where the results are kept (``parse``): a bounded table,
        # not ``sys.intern``'s, which only grows.
        classname = attrib.get("classname", "")
        shared = self.classes.get(classname)
        if shared is None:
            if len(self.classes) >= 4096:
                self.classes.clear()
            shared = self.classes[classname] = classname
        line, time, reruns = attrib.get("line"), attrib.get("time"), self.reruns
        return TestResult(
            self.suite[0],
            shared,
            attrib.get("name", ""),
            attrib.get("file") or self.suite[1],
            None if line is None else whole_number(line),
            status,
            status is TestStatus.PASSED and reruns > 0,
            reruns,
            None if time is None else seconds(time),
            message,
            self.display,
        )

    def _suite_result(self) -> TestResult:
        said, parts = self.first[TestStatus.ERROR]
        message = first_line(said, "".join(parts), self.kind)
        suite = self.suite[0]
        return TestResult(
            suite=suite,
            classname=suite,  # Ant, Surefire, Gradle: the suite is the class
            name=f"[suite {self.tag}]",
            file=None,
            line=None,
            status=TestStatus.ERROR,
            message=message or f"the suite's own <{self.tag}>, without a message",
            source=self.display,
        )


_SUITE_RECORD: dict[str, str] = {}
"""The record's attributes while it is a suite's own failure or error (never a case's)."""


ROLES: Mapping[str, TestStatus | None] = {
    "failure": TestStatus.FAILED,
    "error": TestStatus.ERROR,
    "skipped": TestStatus.SKIPPED,
    "rerunFailure": None,
    "rerunError": None,
    "flakyFailure": None,
    "flakyError": None,
}
"""junitparser's reading of a case's children, per tag (its xunit2 ``TestCase``'s classes):
the final outcome a child stands for (error, failure, skipped), or None for a failed attempt
before it (Surefire's rerun* and flaky* elements). Tags it gives no meaning (system-out,
...) are absent. Written out, and held to junitparser's classes by a test, so that reading
a report does not import junitparser (with lxml and importlib.metadata: a fifth of a
second of ``check``)."""


# is_error, then is_failure, then is_skipped: the order junitparser's properties decide in
_PRECEDENCE = (TestStatus.ERROR, TestStatus.FAILED, TestStatus.SKIPPED)


def _status_attribute(word: str | None) -> TestStatus:
    if not word:  # absent, or written empty: it says nothing
        return TestStatus.PASSED
    return closed(word, _STATUS_ATTRIBUTE, "the test case's status attribute")
