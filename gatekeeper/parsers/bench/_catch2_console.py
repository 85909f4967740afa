"""Catch2's console reporter (the default, v2 and v3): its table of BENCHMARK results.

Under the header ``benchmark name  samples  iterations  estimated`` (``est run time`` since
v3.5) with its ``mean  low mean  high mean`` and ``std dev  low std dev  high std dev``
lines, each benchmark takes three lines: its name, samples, iterations and estimated run
time; the mean and its low and high bounds; the standard deviation and its bounds.
``--benchmark-no-analysis`` prints one line instead: name, samples, iterations, mean.
The output must end with Catch2's totals (``test cases: ...``) after its last table: an
assertion that failed after a table is printed below it, and must not be cut off.

Catch2 wraps a long name onto lines of its own, the last part sharing the line with the
numbers. The parts are joined with a space, where Catch2 breaks a line when it can; a
word it had to break with a hyphen (the part then fills the name column) is rejoined
without it. An assertion printed while a benchmark runs interrupts the table, which Catch2
reopens under a new header: the benchmark in progress continues there. A benchmark that
failed (``Benchmark failed (...)``, or never reached its numbers) keeps no statistics; that
line, or an assertion that FAILED in the benchmark's test case (named by the header Catch2
prints above its output), is a failure the tool recorded for it.
Text the benchmarked code prints into a table is taken as part of the next name, so that
benchmark is not found by its own name (the XML reporter keeps the two apart); a line
reaching past the name column, though, can only be a row, and one that does not read as
a row is refused (a flipped digit would otherwise drop that benchmark). Rows are
read as whitespace-separated words, not with backtracking patterns, so a hostile line
costs time in proportion to its length.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric
from gatekeeper.parsers._text import TIME_SCALE, head_lines, line_error, read_lines
from gatekeeper.units import Dimension, Quantity

HEADER = re.compile(r"benchmark name\s+samples\s+iterations\s+(estimated|est run time|mean)\s*$")
_SUBHEADERS = (
    re.compile(r"\s+mean\s+low mean\s+high mean\s*$"),
    re.compile(r"\s+std dev\s+low std dev\s+high std dev\s*$"),
)
_RULE = re.compile(r"([-=.~])\1{9,}\s*$")
_TOTALS = re.compile(r"test cases: |All tests passed|No tests ran")
_WORD = re.compile(r"\S+")
_INT = re.compile(r"\d+")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|-?nan|[-+]?inf")
# Catch2 prints minutes as "m"; "µs" is not Catch2's spelling, but costs nothing to accept.
_SCALE = {**{u: TIME_SCALE[u] for u in ("ns", "us", "µs", "μs", "ms", "s")}, "m": 60.0}
# An assertion starts "file:line: FAILED:" (or "file(line): ..." from MSVC builds).
_LABELS = (" FAILED - but was ok", " FAILED", " PASSED", " SKIPPED", " warning", " info")
_LOCATION = re.compile(r"(?::\d+|\(\d+\))$")
_FAILED = "Benchmark failed ("
_STATS = ("avg", "avg_low", "avg_high", "stddev", "stddev_low", "stddev_high")
_NAME_LINES = 32
"""Lines kept as parts of a long name: more than any real name needs (35 bytes a line),
and a bound on memory however much stray text a table holds."""

Words = list[re.Match[str]]


def detect(head: bytes) -> bool:
    """Text (not XML or JSON) with the benchmark table's header line."""
    if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"<", b"{", b"["):
        return False
    return any(HEADER.match(line) for line in head_lines(head))


def read(path: Path, display: str) -> tuple[Metric, ...]:
    """Every benchmark of every table in the log."""
    reader = ConsoleReader(display)
    lineno = 0
    for lineno, line in read_lines(path, display):
        reader.feed(line, lineno)
    return tuple(reader.finish(lineno))


@dataclass
class _Bench:
    parts: list[str]
    samples: int | None = None
    iterations: int = 0
    mean: tuple[float, ...] = ()


@dataclass
class ConsoleReader:
    """Collects the benchmarks of a console log, line by line (see the module docstring)."""

    display: str
    metrics: list[Metric] = field(default_factory=list)
    tables: int = 0
    _cases: list[str | None] = field(default_factory=list)
    """The test case each of ``metrics`` ran in (None before any test case header)."""
    _failed_cases: dict[str | None, str] = field(default_factory=dict)
    """Test case -> where an assertion in it FAILED: its benchmarks carry that failure."""
    _case: str | None = None
    _header: list[str] | None = None
    """The lines of a test case header being read (between its two dashed rules)."""
    _state: str = "outside"  # or: header, table, interrupted (by an assertion)
    _expect: list[re.Pattern[str]] = field(default_factory=list)
    _analysis: bool = True
    _wrap: int = 0
    _names: deque[str] = field(default_factory=lambda: deque(maxlen=_NAME_LINES))
    _bench: _Bench | None = None
    _totalled: bool = False
    """Catch2's totals line came after the last table: the output is whole."""

    def feed(self, line: str, lineno: int) -> None:
        """Take one line; text outside the tables (totals) is ignored."""
        if _is_failure(line):
            self._failed_cases.setdefault(
                self._case, line.strip().removesuffix(" FAILED:").removesuffix(":")
            )
        if self._header is not None and not self._header and line.strip():
            self._header.append(line)  # the test case's name; its sections follow
        if HEADER.match(line):
            self._open(line)
            self._totalled = False
        elif self._state == "header":
            if not self._expect.pop(0).match(line):
                raise line_error(self.display, lineno, "incomplete Catch2 benchmark table header")
            self._state = "header" if self._expect else "table"
        elif _RULE.match(line):  # a test case's or the totals' rule: the table is over
            if self._bench is not None:
                self._emit(self._bench, ())  # interrupted for good: no numbers follow
            self._state = "outside"
            if line.startswith("-"):  # a test case header opens, or closes
                if self._header is not None and self._header:
                    self._case = self._header[0].strip()
                self._header = [] if self._header is None else None
        elif self._state == "table":
            self._row(line, lineno)
        elif _TOTALS.match(line):
            self._totalled = True

    def finish(self, lineno: int) -> list[Metric]:
        """The benchmarks read; the file must not end inside one."""
        if self._state == "header" or self._bench is not None:
            raise line_error(
                self.display, lineno, "file ends inside a benchmark table (truncated?)"
            )
        if not self.tables:
            message = "no Catch2 benchmark table: expected 'benchmark name  samples  iterations'"
            raise EvidenceError(Position(self.display), message)
        if not self._totalled:  # what failed after the last table would be lost
            message = "the output ends before Catch2's totals ('test cases: ...'): truncated?"
            raise line_error(self.display, lineno, message)
        return [
            self._with_case_failure(metric, case)
            for metric, case in zip(self.metrics, self._cases, strict=True)
        ]

    def _with_case_failure(self, metric: Metric, case: str | None) -> Metric:
        where = self._failed_cases.get(case)
        if where is None or metric.failures:
            return metric
        said = (
            f"test case {case!r} FAILED at {where}" if case else f"an assertion FAILED at {where}"
        )
        return dataclasses.replace(metric, failures=(said,))

    def _open(self, header: str) -> None:
        self.tables += 1
        self._analysis = not header.rstrip().endswith("mean")
        # The name column ends where the next starts; with --benchmark-no-analysis that
        # column's title is right-aligned, "     samples". Catch2 wraps 2 short of it.
        self._wrap = header.index("samples") - (0 if self._analysis else 5) - 2
        self._expect = [*(_SUBHEADERS if self._analysis else ()), _RULE]
        self._state = "header"
        self._names.clear()

    def _row(self, line: str, lineno: int) -> None:
        words = list(_WORD.finditer(line))
        bench = self._bench
        if not words:
            self._names.clear()
        elif (failed := line.find(_FAILED)) >= 0:  # the last row of a table that then closes
            self._emit(self._start(line[:failed].strip()), (), line[failed:].strip()[:200])
        elif _is_location(line):
            if bench is None and self._names:
                self._start("")
            self._state = "interrupted"
        elif _shape(words[-4:], "iitu"):
            name = line[: words[-4].start()].strip()
            if bench is not None and bench.samples is not None:
                raise self._error(lineno, "has no mean row")
            if bench is not None and name:  # the interrupted one never got its numbers
                self._emit(bench, ())
            bench = self._start(name)
            bench.samples, bench.iterations = int(words[-4][0]), int(words[-3][0])
            if not self._analysis:
                self._emit(bench, (self._time(words[-2:], lineno),))
        elif self._analysis and _shape(words[-6:], "tututu"):
            if bench is None or bench.samples is None:
                raise line_error(self.display, lineno, "times without a benchmark row above")
            tail = words[-6:]
            times = tuple(self._time(tail[i : i + 2], lineno) for i in (0, 2, 4))
            if bench.mean:
                self._emit(bench, bench.mean + times)
            else:  # a name part here is a layout some tools' hand-made examples use
                self._start(line[: words[-6].start()].strip())
                bench.mean = times
        elif bench is not None and bench.samples is not None:
            row = "std dev" if bench.mean else "mean"
            raise self._error(lineno, f"has no {row} row here (three times such as '344 ns')")
        elif words[-1].end() > self._wrap:  # past the name column: a row, broken
            message = (
                "cannot read this benchmark row; expected its name, samples, iterations and"
                f" {'estimated time' if self._analysis else 'mean'} (such as '100  208  7.2 ms')"
            )
            raise line_error(self.display, lineno, message)
        else:
            self._names.append(line.strip())  # part of a long name, or stray text

    def _start(self, last_part: str) -> _Bench:
        """The benchmark in progress, or a new one named by the lines kept, plus a part."""
        if self._bench is None:
            self._bench = _Bench(list(self._names))
        if last_part:
            self._bench.parts.append(last_part)
        self._names.clear()
        return self._bench

    def _time(self, words: Words, lineno: int) -> float:
        value = float(words[0][0]) * _SCALE[words[1][0]]
        if not math.isfinite(value):
            message = f"{words[0][0]} {words[1][0]} is not a finite time"
            raise line_error(self.display, lineno, message, words[0].start() + 1)
        return value

    def _emit(self, bench: _Bench, times: tuple[float, ...], failed: str = "") -> None:
        """A finished benchmark; without times (it failed) it keeps no statistics."""
        self._bench = None
        if not bench.parts:
            return  # a failure whose name row went with an earlier, closed table
        stats: dict[str, Quantity] = {}
        if times and bench.samples:
            stats = {k: Quantity(v, Dimension.TIME) for k, v in zip(_STATS, times, strict=False)}
            stats["count"] = Quantity(bench.samples, Dimension.COUNT)
            stats["iterations"] = Quantity(bench.iterations, Dimension.COUNT)
        name = _join(bench.parts, self._wrap)
        failures = (failed,) if failed else ()
        self.metrics.append(
            Metric(name, {}, stats, "benchmark", (), self.display, failures=failures)
        )
        self._cases.append(self._case)

    def _error(self, lineno: int, what: str) -> EvidenceError:
        name = _join(self._bench.parts if self._bench else [], self._wrap)
        return line_error(self.display, lineno, f"benchmark {name!r} {what}")


def _shape(words: Words, shape: str) -> bool:
    """Whether the words are i(nteger), t(ime value) and u(nit), in that order."""
    return len(words) == len(shape) and all(
        _is(kind, word[0]) for kind, word in zip(shape, words, strict=True)
    )


def _is(kind: str, word: str) -> bool:
    if kind == "u":
        return word in _SCALE
    return (_INT if kind == "i" else _NUMBER).fullmatch(word) is not None


def _is_failure(line: str) -> bool:
    """``file:line: FAILED:``: an assertion that failed (not ``FAILED - but was ok``)."""
    return line.rstrip().endswith(" FAILED:") and _is_location(line)


def _is_location(line: str) -> bool:
    """``file:line: FAILED:`` and the like, which start an assertion's lines."""
    text = line.rstrip()
    if not text.endswith(":") or line[:1].isspace():
        return False
    text = text[:-1]
    for label in _LABELS:
        if text.endswith(label) and text[: -len(label)].endswith(":"):
            text = text[: -len(label) - 1]
            break
    return _LOCATION.search(text) is not None


def _join(parts: list[str], wrap: int) -> str:
    """A wrapped name put back together (Catch2 measures its column in bytes)."""
    name = parts[0] if parts else ""
    for previous, part in itertools.pairwise(parts):
        forced = len(previous.encode()) == wrap and " " not in previous
        name = name[:-1] + part if forced and previous.endswith("-") else f"{name} {part}"
    return name
