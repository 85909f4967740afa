"""The normalised evidence model every parser produces.

Parsers turn tool outputs into these records; the engine only ever sees them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import field
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from gatekeeper.records import record
from gatekeeper.units import Dimension, Quantity

if TYPE_CHECKING:
    from gatekeeper.model import TestCriterion
    from gatekeeper.tally import Selection


class TestStatus(str, Enum):
    """Final outcome of one test case."""

    __test__ = False  # not a pytest test class

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


class TestResult(NamedTuple):
    """One test case as reported by a test runner.

    A NamedTuple, not a dataclass: a large report makes hundreds of thousands of them and a
    tuple is built three times faster than a frozen dataclass.
    """

    suite: str
    """Name of the innermost enclosing suite ('' when none)."""
    classname: str
    """The class (or module) the runner reported; '' when absent."""
    name: str
    """The test's name."""
    file: str | None
    """Source file of the test, when the report names it."""
    line: int | None
    """Line in that file, when the report names it."""
    status: TestStatus
    """Final outcome."""
    flaky: bool = False
    """Passed only after failing attempts (e.g. Surefire's flakyFailure)."""
    reruns: int = 0
    """How many failed attempts the report records before the final one."""
    duration: float | None = None
    """Seconds, when reported."""
    message: str | None = None
    """Failure / error / skip message, when any."""
    source: str = ""
    """The artifact file this came from."""


TestResult.__test__ = False  # type: ignore[attr-defined]  # not a pytest test class


LEVELS: tuple[str, ...] = ("none", "note", "warning", "error")
"""SARIF's result levels, least severe first: a criterion's ``level`` counts that level and
every one after it."""


class Finding(NamedTuple):
    """One result of a static analyser (a SARIF ``result``) that is not a pass."""

    tool: str
    """The analyser's name (``tool.driver.name``)."""
    rule: str
    """The rule's id ('' when the result names none)."""
    level: str
    """One of ``LEVELS``, as SARIF defines it (the rule's default where the result is silent)."""
    file: str
    """The primary location's file, relative to the project's root where it lies within it
    (``collect`` makes it so), else as the analyser wrote it; '' when the result has none."""
    line: int | None
    """The primary location's first line, when given."""
    message: str
    """The result's message (its first line, cut short)."""
    fingerprints: tuple[tuple[str, str], ...] = ()
    """SARIF ``fingerprints`` and ``partialFingerprints`` (the latter's keys prefixed with
    ``partial:``): what tells the same finding in two runs apart from a new one."""
    context: str = ""
    """The source text of the location (its ``snippet``, whitespace collapsed, cut to 500
    characters like the message), when the analyser gives it."""
    suppressed: bool = False
    """Suppressed in the source or by the analyser (SARIF ``suppressions``, all accepted)."""
    severity: float | None = None
    """The rule's (or result's) ``security-severity``, 0-10, when given."""
    source: str = ""
    """The artifact file this came from."""
    placed: bool | None = None
    """Whether ``file`` was found in the project when the evidence was read (None: not
    looked for): a relative path the analyser wrote from another folder names no file there,
    and cannot be placed under a file glob."""

    @property
    def where(self) -> str:
        """file:line, as a person reads it."""
        if not self.file:
            return "(no location)"
        return self.file if self.line is None else f"{self.file}:{self.line}"


@record
class Analysis:
    """One run of an analyser: the findings it made are in ``ParsedFile.findings``."""

    tool: str
    version: str = ""
    failures: tuple[str, ...] = ()
    """What the run itself recorded as failed (an unsuccessful invocation, a notification of
    level error): its results may be incomplete."""
    severities: bool = False
    """Whether any of its rules or results carries a ``security-severity``."""


FALLBACK_STATS: dict[str, tuple[str, ...]] = {
    "throughput": ("ops", "rate"),
    "rate": ("value",),
}
"""Where else a statistic may be found: throughput is pytest-benchmark's ops and a k6
counter's rate; a k6 rate metric's rate is its value in the export shape."""


@record
class Metric:
    """One named measurement series with its statistics, in base units."""

    name: str
    """Metric or benchmark name (k6 metric name, benchmark name)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tag / label filter this series is restricted to (k6 sub-metrics, benchmark params)."""
    stats: Mapping[str, Quantity] = field(default_factory=dict)
    """Statistic name (avg, min, max, med, p(95), rate, count, ...) -> value."""
    kind: str = ""
    """What the tool calls it: trend, rate, counter, gauge, benchmark."""
    aliases: tuple[str, ...] = ()
    """Other names the series answers to (e.g. pytest-benchmark's fullname)."""
    source: str = ""
    """The artifact file this came from."""
    samples: Sequence[float] = ()
    """Raw values in base units, sorted ascending, where the tool gives them: any p(N)
    a threshold asks for is then computed from them (an array.array keeps them small)."""
    sample_dimension: Dimension = Dimension.NUMBER
    """What the samples measure."""
    failures: tuple[str, ...] = ()
    """What the tool itself recorded as failed for this series, in its words (an errored
    benchmark, runs that exited non-zero, a FAILED line); empty when it recorded none. A
    benchmark judging a series with failures fails unless the matrix expects them."""
    subseries: bool = False
    """A part of the series of the same name without this one's extra tags: a k6 sub-metric
    (``http_req_duration{status:200}``), Gatling's ok/ko split of a request, a Google Benchmark
    repetition or aggregate row. A selector naming fewer tags means the whole, not its parts;
    any other series whose tags the selector's include is selected, whatever else it carries
    (a pytest-benchmark group, a parameter)."""

    @property
    def label(self) -> str:
        """The name as a user would write it in a selector: name{tag:value,...}."""
        if not self.tags:
            return self.name
        inner = ",".join(f"{k}:{v}" for k, v in sorted(self.tags.items()))
        return f"{self.name}{{{inner}}}"


@record
class SeriesRequest:
    """A series the matrix asks of an artifact: parsers of raw streams keep only these."""

    name: str
    """Glob on the metric (or label) name."""
    tags: tuple[tuple[str, str], ...] = ()
    """Tag filter, sorted (key, value) pairs: a point belongs to the series when it carries
    at least these tags."""


@record
class QueryRecord:
    """The live query a file of evidence is the answer to (``ParsedFile.query``): kept in the
    report and the bundle, so the verdict can be reproduced from the saved answer."""

    query: str
    """The PromQL query."""
    server: str
    """The server's URL, without credentials."""
    time: str
    """The evaluation time (a range query's end), ISO 8601 UTC."""
    range: float | None
    """Seconds of a range query's window; None for an instant query."""
    step: float | None
    """Seconds between a range query's points; None for an instant query."""
    response: str
    """The answer as the server sent it."""


@record
class ParsedFile:
    """Everything one artifact file yielded."""

    path: str
    """The file, relative to the root when possible."""
    format: str
    """The format it was read as."""
    tests: tuple[TestResult, ...] = ()
    """Test cases, for test-result formats."""
    metrics: tuple[Metric, ...] = ()
    """Metrics, for load-test and benchmark formats."""
    streamed_tests: int = 0
    """Test cases handed to a consumer as they were read, and not kept in ``tests``."""
    findings: tuple[Finding, ...] = ()
    """Static-analysis findings, for analysis formats (SARIF)."""
    analyses: tuple[Analysis, ...] = ()
    """The analyser runs the file records (one per SARIF run), with or without findings."""
    measured_at: dt.datetime | None = None
    """When the measurement happened, as the evidence itself records it (a test run's
    timestamp, a load test's end, a query's evaluation time, a chaos result's last status
    transition), timezone-aware UTC; None when the file records no time. Never a file's
    modification time: ``max_age`` judges evidence by it."""
    time_error: str | None = None
    """Why the time the file records could not be read ('report.xml:3:3: <testsuite>
    timestamp: ...'), with ``measured_at`` None; an error only where a ``max_age`` needs
    the time (reading the rest of the file does not depend on it)."""
    query: QueryRecord | None = None
    """The live query this is the answer to; None for a file."""

    @property
    def test_count(self) -> int:
        """How many test cases the file holds, kept or streamed."""
        return len(self.tests) + self.streamed_tests


class ArtifactState(str, Enum):
    """Whether an artifact's evidence could be read."""

    READ = "read"
    """Every matching file was parsed."""
    MISSING = "missing"
    """No file matched its globs."""
    ERROR = "error"
    """At least one matching file could not be read or understood."""


@record
class ArtifactEvidence:
    """What gatekeeper found for one artifact of the matrix."""

    artifact: str
    """The artifact id."""
    state: ArtifactState
    files: tuple[ParsedFile, ...] = ()
    """The files that were read."""
    errors: tuple[str, ...] = ()
    """One message per unreadable file, each naming the file and where."""
    patterns: tuple[str, ...] = ()
    """The globs that were searched."""
    selections: Mapping[TestCriterion, Selection] = field(default_factory=dict)
    """What each test criterion reading the artifact selects, counted as the files were
    read (their tests are then not kept); a criterion absent here is judged on ``tests``."""
    searched: str = ""
    """The folder the globs start from, as messages show it (``check`` sets it); '' when
    not known."""

    @property
    def tests(self) -> tuple[TestResult, ...]:
        return tuple(t for f in self.files for t in f.tests)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(x for f in self.files for x in f.findings)

    @property
    def analyses(self) -> tuple[Analysis, ...]:
        return tuple(a for f in self.files for a in f.analyses)

    @property
    def metrics(self) -> tuple[Metric, ...]:
        """Every series of the files, but those of a file another file of the same run
        supersedes (``RUN_FILES``)."""
        skipped = superseded(self.files)
        return tuple(m for f in self.files if f.path not in skipped for m in f.metrics)


RUN_FILES: dict[str, tuple[str, ...]] = {
    "locust": ("_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"),
}
"""Formats whose one run writes several files, PREFIX + each suffix, the most complete
first. Of one run's files only the most complete is judged: a Locust run's ``_stats.csv``
carries every series and total of its ``_stats_history.csv`` and ``_failures.csv`` (and the
percentiles and throughput they lack), so a glob that matches all of them judges the run
once, not as three "Aggregated" series of which two lack p(95)."""


def superseded(files: Sequence[ParsedFile]) -> frozenset[str]:
    """The paths of ``files`` whose run has a more complete file among ``files`` that
    carries it: each of its series there, with no fewer requests and failures. A lesser
    file that records more (a stale file beside a new run's: the files are not one run) is
    judged, never passed over."""
    runs: dict[tuple[str, str], list[tuple[int, ParsedFile]]] = {}
    for parsed in files:
        for rank, suffix in enumerate(RUN_FILES.get(parsed.format, ())):
            if parsed.path.endswith(suffix):
                run = (parsed.format, parsed.path[: -len(suffix)])
                runs.setdefault(run, []).append((rank, parsed))
                break
    skipped: set[str] = set()
    for members in runs.values():
        first = min(rank for rank, _ in members)
        best = [parsed for rank, parsed in members if rank == first]
        skipped.update(
            parsed.path
            for rank, parsed in members
            if rank > first and any(_carries(b, parsed) for b in best)
        )
    return frozenset(skipped)


_RUN_TOTALS = ("count", "fails")
"""The statistics a run's more complete file must hold at least as high as a lesser one."""


def _carries(best: ParsedFile, lesser: ParsedFile) -> bool:
    series = {m.label: m for m in best.metrics}
    for metric in lesser.metrics:
        held = series.get(metric.label)
        if held is None:
            return False
        for stat in _RUN_TOTALS:
            mine = metric.stats.get(stat)
            theirs = held.stats.get(stat)
            if mine is not None and (theirs is None or mine.value > theirs.value):
                return False
    return True
