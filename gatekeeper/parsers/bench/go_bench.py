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
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers._text import terminated_lines
from gatekeeper.parsers.bench._go_bench_results import (
    CONTINUATION,
    NAME_ONLY,
    RESULT,
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
_EVENT = re.compile(r'\{\s*"Time"\s*:|\{\s*"Action"\s*:')
_EVENT_OUTPUT = re.compile(r'"Output"\s*:\s*"(?:goos: |goarch: |pkg: |Benchmark)')
_FAIL = re.compile(r"--- FAIL: (Benchmark\S*)")


def detect(head: bytes) -> bool:
    """A benchmark result line, or Go's run headers beside a benchmark's name; or test2json
    events carrying them. benchstat's tables repeat the headers but drop ``Benchmark``."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")
    if text.lstrip().startswith("<"):
        return False  # XML (a JUnit report of a Go run) quotes the same lines
    lines = text.splitlines()[:-1] if len(head) >= 4096 else text.splitlines()
    headers = named = False
    for line in lines:
        stripped = line.strip()
        if _EVENT.match(stripped):
            if _EVENT_OUTPUT.search(stripped):
                return True
            continue
        found = RESULT.fullmatch(line)
        if found and pairs(found.group(3)):
            return True
        headers = headers or _HEADER.match(line) is not None
        named = named or NAME_ONLY.fullmatch(line) is not None
    return headers and named


@dataclass
class _Stream:
    """The state of one package's output: its header and a result cut short."""

    pkg: str | None = None
    pending: str | None = None
    partial: str = ""
    dropping: bool = False
    """The line in progress grew past MAX_PARTIAL: skip it up to its newline."""


@dataclass
class _Reader:
    display: str
    series: dict[tuple[str | None, str, str], Series] = field(default_factory=dict)

    def line(self, text: str, stream: _Stream, number: int) -> None:
        if text.startswith("pkg: "):
            stream.pkg = text[5:].strip() or None
            return
        found = RESULT.fullmatch(text)
        measured = pairs(found.group(3)) if found else None
        if found and measured is not None:
            stream.pending = None
            self._series(found.group(1), stream, number).add(int(found.group(2)), measured)
            return
        rest = CONTINUATION.fullmatch(text)
        measured = pairs(rest.group(2)) if rest else None
        if rest and measured is not None and stream.pending:
            self._series(stream.pending, stream, number).add(int(rest.group(1)), measured)
            stream.pending = None
            return
        failed = _FAIL.match(text.strip())
        if failed:
            self._series(failed.group(1), stream, number).failed = True
            return
        named = NAME_ONLY.match(text)
        if named and (len(text) == named.end(1) or text[named.end(1)].isspace()):
            stream.pending = named.group(1)

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
            output = _event_output(line, display, number)
            if output is not None:
                package, chunk = output
                if package not in events and len(events) >= MAX_SERIES:
                    message = f"more than {MAX_SERIES} packages; this is not a bench run"
                    raise EvidenceError(Position(display, number), message)
                _feed(reader, events.setdefault(package, _Stream()), chunk, number)
            continue
        # Text, or what `go test -json` let through unwrapped (build errors on stderr).
        reader.line(line, text_stream, number)
    for stream in events.values():  # a last line without its newline
        if stream.partial and not stream.dropping:
            reader.line(stream.partial, stream, number)
    metrics = tuple(s.metric(display) for s in reader.series.values())
    return ParsedFile(path=display, format=NAME, metrics=metrics)


def _feed(reader: _Reader, stream: _Stream, chunk: str, number: int) -> None:
    *complete, rest = (stream.partial + chunk).split("\n")
    if complete and stream.dropping:
        complete, stream.dropping = complete[1:], False
    for line in complete:
        reader.line(line, stream, number)
    stream.partial = "" if stream.dropping else rest
    if len(stream.partial) > MAX_PARTIAL:
        stream.partial, stream.dropping = "", True


def _event_output(line: str, display: str, number: int) -> tuple[str, str] | None:
    """(package, text) of a test2json ``output`` event; None for other events."""
    try:
        event = json.loads(line)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        message = "invalid test2json event (is the file truncated?)"
        raise EvidenceError(Position(display, number), message) from exc
    if not isinstance(event, dict):
        raise EvidenceError(Position(display, number), "a test2json event must be an object")
    output = event.get("Output")
    if event.get("Action") != "output" or not isinstance(output, str):
        return None
    package = event.get("Package")
    return (package if isinstance(package, str) else "", output)


def _lines(path: Path, display: str) -> Iterator[tuple[int, str]]:
    """Numbered lines without their line break; overlong ones (log output) are skipped."""
    lines = terminated_lines(path, display, max_line=MAX_LINE, max_bytes=None, skip_overlong=True)
    for number, text in lines:
        yield number, text.rstrip("\r\n")
