"""``go test -bench`` output: the text Go prints, or its ``-json`` (test2json) event stream.

In the event stream the text arrives in ``Output`` fields, and one result line may be split
across events; each package's output is joined back together before lines are read.
Lines are read one at a time with a bounded length, so memory follows the number of
results, not the size of the file. See ``_go_bench_results`` for how lines become series.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json_keys
from gatekeeper.parsers._text import RecordShape, line_error, read_record, terminated_lines
from gatekeeper.parsers.bench._go_bench_results import (
    NAME_ONLY,
    RESULT,
    SHAPES,
    Series,
    pairs,
    split_name,
)

NAME = "go-bench"

MAX_LINE = 1024 * 1024
"""Longest line read; a longer one (a huge log line) cannot be a result and is skipped."""
MAX_SERIES = 100_000
"""More distinct benchmarks (or packages) than this is not a benchmark run."""
MAX_PARTIAL = 4096
"""Longest unfinished line kept per package between test2json events: a result line cut
in two is short, so a longer one is log output and is dropped up to its end."""

_HEADER = re.compile(r"(goos|goarch|pkg|cpu): \S")
_BENCH_OUTPUT = ("goos: ", "goarch: ", "pkg: ", "Benchmark")
"""How test2json output that only a benchmark run prints begins."""
_FAIL = re.compile(r"--- FAIL: (Benchmark\S*)")
_PACKAGE_END = re.compile(r"(ok  |FAIL)(\t\S+[\t ].*)?\s*$")
"""``FAIL`` after a package's results, then go test's last line of the package: ``ok
<tab>pkg<tab>0.1s`` or ``FAIL<tab>pkg<tab>0.2s`` (``FAIL<tab>pkg [build failed]``)."""
_CRASH = re.compile(r"(?:Benchmark\S*\s+)?((?:panic|fatal error): .*)")
"""The Go runtime's own record of a test binary that died: an unrecovered panic (``panic:
test timed out after 10m0s`` too) or a fatal error, perhaps after a benchmark's name."""
_LOG = re.compile(r"\s+(\S+\.go:\d+: \S.*?)\s*$")
# test2json's documented actions (``go doc test2json``; ``attr`` since Go 1.25), and the
# build events ``go test -json`` interleaves since Go 1.24 (``go help buildjson``): those
# name an ImportPath, not a Package, and a failed build also fails its package's test event.
_ACTIONS = frozenset(
    {"start", "run", "pause", "cont", "pass", "bench", "fail", "output", "skip", "attr"}
)
_BUILD_ACTIONS = frozenset({"build-output", "build-fail"})


def detect(head: bytes) -> bool:
    """A benchmark result line, or Go's run headers beside a benchmark's name (test2json
    events: ``detect_json_lines``). benchstat's tables repeat the headers but drop
    ``Benchmark``."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    if text.lstrip().startswith("<"):
        return False  # XML (a JUnit report of a Go run) quotes the same lines
    lines = text.splitlines()[:-1] if len(head) >= 4096 else text.splitlines()
    headers = named = False
    for line in lines:
        found = RESULT.fullmatch(line)
        if found and pairs(found.group(3)):
            return True
        headers = headers or _HEADER.match(line) is not None
        named = named or NAME_ONLY.fullmatch(line) is not None
    return headers and named


def detect_json_lines(lines: Sequence[object]) -> bool:
    """test2json events (``go test -json``), one of them output of a benchmark run."""
    return any(
        isinstance(event, dict)
        and event.get("Action") == "output"
        and isinstance(event.get("Output"), str)
        and event["Output"].startswith(_BENCH_OUTPUT)
        for event in lines
    )


@dataclass
class _Stream:
    """The state of one package's output: its header, a result cut short, its end."""

    pkg: str | None = None
    pending: str | None = None
    said: str | None = None
    """The last log line (``file_test.go:12: message``) since the pending name."""
    partial: str = ""
    dropping: bool = False
    """The line in progress grew past MAX_PARTIAL: skip it up to its newline."""
    ended: bool = False
    """test2json's last event of the package (pass, fail or skip) has been read."""


@dataclass
class _Reader:
    display: str
    series: dict[tuple[str | None, str, str], Series] = field(default_factory=dict)
    failed_packages: set[str | None] = field(default_factory=set)
    """Packages (as their ``pkg:`` header names them) go test reported as failed."""
    crashed: dict[str | None, str] = field(default_factory=dict)
    """Packages whose test binary panicked or died, with the first line it printed."""

    def line(self, text: str, stream: _Stream, number: int) -> None:
        if text.startswith("pkg: "):
            stream.pkg = text[5:].strip() or None
            return
        if (crash := _CRASH.match(text)) is not None:
            self.crashed.setdefault(stream.pkg, crash.group(1).strip()[:200])
            return
        if (logged := _LOG.match(text)) is not None:  # b.Log output may quote anything
            if stream.pending:
                stream.said = logged.group(1)[:200]
            return
        record = read_record(SHAPES, text, self.display, number)
        if record is not None:
            self._result(record, stream, number)
            return
        failed = _FAIL.search(text)
        if failed:
            self.fail(failed.group(1), stream, number)
            return
        if (end := _PACKAGE_END.match(text)) is not None:
            if end.group(1) == "FAIL":
                self.failed_packages.add(stream.pkg)
            if end.group(2):  # the package's last line: a later init's panic is not its own
                stream.pkg = None
            return
        named = NAME_ONLY.match(text)
        if named and (len(text) == named.end(1) or text[named.end(1)].isspace()):
            stream.pending, stream.said = named.group(1), None

    def _result(
        self, record: tuple[RecordShape, re.Match[str]], stream: _Stream, number: int
    ) -> None:
        """A result line, or the rest of one whose name line is pending; each run of one
        benchmark reports the same units, so a unit misspelt on one line is refused."""
        shape, found = record
        if shape is SHAPES[0]:
            printed, iterations, text = found.group(1, 2, 3)
        elif stream.pending:
            printed, (iterations, text) = stream.pending, found.group(1, 2)
        else:
            message = "a benchmark result without its benchmark's name before it"
            raise line_error(self.display, number, message)
        measured = pairs(text)
        if measured is None:
            raise line_error(self.display, number, "a value of this result is not a finite number")
        series = self._series(printed, stream, number)
        units = tuple(unit for _, unit in measured)
        if series.units and units != series.units:
            message = (
                f"this result of {printed} reports {' '.join(units)} where its earlier ones "
                f"report {' '.join(series.units)}: a unit is misspelt or missing"
            )
            raise line_error(self.display, number, message)
        series.add(int(iterations), measured)
        stream.pending = stream.said = None

    def fail(self, printed: str, stream: _Stream, number: int) -> None:
        """``--- FAIL: name`` (or test2json's fail action for it): the series whose name line
        is pending, the procs setting the name gives, or else every procs setting of it in
        the package; it gets a series even without a result."""
        name, _ = split_name(printed)
        words = f"--- FAIL: {printed}" + (f" ({stream.said})" if stream.said else "")
        pending = stream.pending or ""
        if split_name(pending)[0] == name:
            targets = [self._series(pending, stream, number)]
        elif printed != name:
            targets = [self._series(printed, stream, number)]
        else:
            targets = [
                s for (pkg, n, _), s in self.series.items() if (pkg, n) == (stream.pkg, name)
            ]
        for series in targets or [self._series(printed, stream, number)]:
            if not any(f.startswith("--- FAIL: ") for f in series.failures):
                series.failures.append(words)

    def _series(self, printed: str, stream: _Stream, number: int) -> Series:
        name, procs = split_name(printed)
        key = (stream.pkg, name, procs)
        found = self.series.get(key)
        if found is None:
            if len(self.series) >= MAX_SERIES:
                message = f"more than {MAX_SERIES} distinct benchmarks; this is not a bench run"
                raise EvidenceError(Position(self.display, number), message)
            tags = {"procs": procs} if stream.pkg is None else {"procs": procs, "pkg": stream.pkg}
            found = self.series[key] = Series(name, printed, tags)
        return found

    def metrics(self) -> tuple[Metric, ...]:
        """Every series. A package whose test binary panicked or died (the binary run on its
        own prints no FAIL after it) fails every series in it, in the runtime's words; one
        go test reported as failed, with no benchmark of its own that failed (a race,
        TestMain), too."""
        named = {pkg for (pkg, _, _), series in self.series.items() if series.failures}
        for (pkg, _, _), series in self.series.items():
            if pkg in self.crashed:
                series.failures.append(self.crashed[pkg])
            elif pkg in self.failed_packages - named:
                series.failures.append(f"go test reported FAIL for package {pkg or '(unnamed)'}")
        return tuple(s.metric(self.display) for s in self.series.values())


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read ``go test -bench`` text or ``-json`` output into one series per benchmark."""
    reader = _Reader(display)
    text_stream = _Stream()
    events: dict[str, _Stream] = {}
    json_mode: bool | None = None
    number = 0
    for number, line in _lines(path, display):
        if json_mode is None and line.strip():
            # test2json writes one object per line; plain text never starts with one.
            json_mode = line.lstrip().startswith("{")
        if json_mode and line.lstrip().startswith("{"):
            package, event = _event(line, display, number)
            if event["Action"] in _BUILD_ACTIONS:
                continue
            if package not in events and len(events) >= MAX_SERIES:
                message = f"more than {MAX_SERIES} packages; this is not a bench run"
                raise EvidenceError(Position(display, number), message)
            _take(reader, events.setdefault(package, _Stream()), event, number)
            continue
        # Text, or what `go test -json` let through unwrapped (build errors on stderr).
        reader.line(line, text_stream, number)
    for package, stream in events.items():
        if (stream.partial and not stream.dropping) or not stream.ended:
            what = "ends inside a line" if stream.ended else "ends before its pass or fail event"
            message = (
                f"the output of package {package or '(unnamed)'} {what}: the file is truncated"
            )
            raise EvidenceError(Position(display, number), message)
    return ParsedFile(path=display, format=NAME, metrics=reader.metrics())


def _take(reader: _Reader, stream: _Stream, event: dict[str, object], number: int) -> None:
    """One test2json event: output text, a benchmark's failure, or the package's end."""
    action, test, output = event.get("Action"), event.get("Test"), event.get("Output")
    if action == "output":
        if not isinstance(output, str):  # the text would vanish, a result with it
            raise EvidenceError(
                Position(reader.display, number), "an output event without its Output text"
            )
        _feed(reader, stream, output, number)
    elif action == "fail" and isinstance(test, str) and test.startswith("Benchmark"):
        reader.fail(test, stream, number)
    elif action in ("pass", "fail", "skip") and test is None:
        stream.ended = True
        if action == "fail":
            reader.failed_packages.add(stream.pkg)


def _feed(reader: _Reader, stream: _Stream, chunk: str, number: int) -> None:
    *complete, rest = (stream.partial + chunk).split("\n")
    if complete and stream.dropping:
        complete, stream.dropping = complete[1:], False
    for line in complete:
        reader.line(line, stream, number)
    stream.partial = "" if stream.dropping else rest
    if len(stream.partial) > MAX_PARTIAL:
        stream.partial, stream.dropping = "", True


def _event(line: str, display: str, number: int) -> tuple[str, dict[str, object]]:
    """(package, event) of one test2json line."""
    try:
        event = _json_keys.loads(line)
    except _json_keys.RepeatedKeyError as exc:
        raise EvidenceError(Position(display, number, exc.column), exc.message) from exc
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        message = "invalid test2json event (is the file truncated?)"
        raise EvidenceError(Position(display, number), message) from exc
    if not isinstance(event, dict):
        raise EvidenceError(Position(display, number), "a test2json event must be an object")
    action = event.get("Action")
    if action not in _ACTIONS and action not in _BUILD_ACTIONS:
        known = ", ".join(sorted(_ACTIONS | _BUILD_ACTIONS))
        message = f"Action {action!r} is not one test2json writes ({known})"
        raise EvidenceError(Position(display, number), message)
    package = event.get("Package")
    return (package if isinstance(package, str) else ""), event


def _lines(path: Path, display: str) -> Iterator[tuple[int, str]]:
    """Numbered lines without their line break; overlong ones (log output) are skipped."""
    lines = terminated_lines(path, display, max_line=MAX_LINE, max_bytes=None, skip_overlong=True)
    for number, text in lines:
        yield number, text.rstrip("\r\n")
