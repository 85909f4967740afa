"""k6's raw ``k6 run --out json=FILE`` stream: statistics computed here, as k6 computes them.

Each line is a ``Metric`` declaration (its type and what it contains) or a
``Point`` (metric, time, value in ms for times, tags). With ``wanted`` series,
only the lines of those metrics are looked at: a bytes search finds them, the
value and tags are read where k6 writes them, and any line not in k6's layout is
decoded as JSON instead, so every line that names a wanted metric is checked.
A series with a tag filter keeps the points carrying those tags (k6's sub-metrics).
Without ``wanted`` (inspection) every metric gets streaming statistics, no samples.

A counter's rate: k6 divides the count by the test run's duration, which the
stream does not record; the span from the first to the last sample line is the
closest it holds (it misses the time before the first sample, so short runs read
a little higher than k6's summary).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from io import BufferedIOBase
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_lines import Block, LineError
from gatekeeper.parsers.load._k6_scan import collect, tally_block
from gatekeeper.parsers.load._k6_series import Series, Tally, series_metric, tally_metric
from gatekeeper.selector import is_glob, name_matches

NAME = "k6-ndjson"

_HEAD = re.compile(
    rb'\{"(?:type":"(?:Metric|Point)"|metric":"[^"\\\n]{1,256}","type":"(?:Point|Metric)"),"data":\{'
)
_DECLARATION = b'\n{"type":"Metric",'
_POINT_STARTS = (b'\n{"metric":', b'\n{"type":"Point"')


def detect(head: bytes) -> bool:
    """The first line opens like a k6 ``Metric`` or ``Point`` line, in either field order."""
    return _HEAD.match(head) is not None


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a k6 NDJSON stream; only the ``wanted`` series when given, else every metric."""
    try:
        with path.open("rb") as handle:
            try:
                metrics = _Stream(wanted, display).read(handle)
            except LineError as exc:
                where = Position(display, lines.line_number(handle, exc.offset))
                raise EvidenceError(where, exc.message) from exc
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    return ParsedFile(path=display, format=NAME, metrics=metrics)


class _Stream:
    """What one pass over the stream has learnt so far."""

    def __init__(self, wanted: Sequence[SeriesRequest], display: str) -> None:
        self.display = display
        self.requests = tuple(dict.fromkeys(wanted))
        self.declared: dict[str, tuple[str, str]] = {}
        self.plan: dict[str, list[Series]] = {}
        self.tallies: dict[bytes, Tally] = {}
        self.first: tuple[bytes, int] | None = None
        self.last: tuple[bytes, int] | None = None
        self.final: tuple[bytes, int] | None = None
        for request in self.requests:
            if not _is_glob(request.name):
                self._plan(request.name)

    def read(self, handle: BufferedIOBase) -> tuple[Metric, ...]:
        globs = any(_is_glob(r.name) for r in self.requests)
        for block in lines.read_blocks(handle):
            if globs:  # new names to plan for; else declarations are met on the way
                self._declarations(block)
            if self.requests:
                for name, series in list(self.plan.items()):
                    for decoded, offset in collect(block, name, series):
                        self._declare(decoded, offset)
            else:
                for decoded, offset in tally_block(block, self.tallies):
                    self._declare(decoded, offset)
            self._note_lines(block)
        if self.final is None:
            raise EvidenceError(Position(self.display), "no k6 lines: the file is empty")
        # A truncated stream ends in a broken line, whatever metric it belongs to.
        lines.point(lines.decode(*self.final), self.final[1])
        return self._metrics()

    def _check_first_line(self, block: Block) -> None:
        """Another format read as a k6 stream says so at its first line."""
        start = 1
        while start < block.end and block.data[start] in b" \t\r\n":
            start += 1
        if start < block.end:
            raw, offset = self._copy(block, start)
            lines.point(lines.decode(raw, offset), offset)

    def _declarations(self, block: Block) -> None:
        data, end = block.data, block.end
        at = data.find(_DECLARATION, 0, end)
        while at >= 0:
            start, stop = block.line_at(at + 1)
            offset = block.file_offset(start)
            self._declare(lines.decode(data[start:stop], offset), offset)
            at = data.find(_DECLARATION, stop, end)

    def _declare(self, decoded: dict[str, object], offset: int) -> None:
        name, kind, contains = lines.declaration(decoded, offset)
        if name not in self.declared:
            if len(self.declared) >= lines.MAX_METRICS:
                raise LineError(offset, f"more than {lines.MAX_METRICS} metrics declared")
            self.declared[name] = (kind, contains)
            if any(_is_glob(r.name) and name_matches(name, r.name) for r in self.requests):
                self._plan(name)

    def _plan(self, name: str) -> None:
        series = self.plan.setdefault(name, [])
        for request in self.requests:
            if name_matches(name, request.name) and all(s.tags != request.tags for s in series):
                needles = tuple(lines.quoted(k) + b":" + lines.quoted(v) for k, v in request.tags)
                series.append(Series(name, request.tags, needles))

    def _note_lines(self, block: Block) -> None:
        """Keep the first and the last sample line (their times give the run's span) and
        the last line of all; copied, as the block's buffer is reused."""
        data, end = block.data, block.end
        if self.final is None:
            self._check_first_line(block)
        if self.first is None:
            found = [at for at in (data.find(s, 0, end) for s in _POINT_STARTS) if at >= 0]
            if found:
                self.first = self._copy(block, min(found) + 1)
        # Sample lines are dense: the block's tail nearly always holds the last one.
        tail = max(0, end - 65536)
        at = max(data.rfind(s, tail, end) for s in _POINT_STARTS)
        if at < 0:
            at = max(data.rfind(s, 0, end) for s in _POINT_STARTS)
        if at >= 0:
            self.last = self._copy(block, at + 1)
        stop = end - 1
        while stop > 0 and data[stop - 1] in b" \t\r\n":
            stop -= 1
        if stop > 0:
            self.final = self._copy(block, stop - 1)

    @staticmethod
    def _copy(block: Block, index: int) -> tuple[bytes, int]:
        start, stop = block.line_at(index)
        return bytes(block.data[start:stop]), block.file_offset(start)

    def _duration(self) -> float | None:
        if self.first is None or self.last is None:
            return None
        times = []
        for raw, offset in (self.first, self.last):
            sample = lines.point(lines.decode(raw, offset), offset)
            if sample is None:  # a declaration dressed as a sample: no span to tell
                return None
            times.append(lines.timestamp(sample.time, offset))
        return times[1] - times[0] if times[1] > times[0] else None

    def _metrics(self) -> tuple[Metric, ...]:
        duration, source = self._duration(), self.display
        if not self.requests:
            found = []
            for raw, tally in self.tallies.items():
                name = raw.decode("utf-8", errors="replace")
                kind, contains = self._kind(name)
                found.append(tally_metric(name, {}, tally, kind, contains, duration, source))
            return tuple(found)
        metrics: list[Metric] = []
        for name, all_series in self.plan.items():
            kind, contains = self.declared.get(name, ("", "default"))
            if not kind and any(s.values for s in all_series):
                raise EvidenceError(Position(source), f"{name!r} has samples but no Metric line")
            metrics.extend(series_metric(s, kind, contains, duration, source) for s in all_series)
        return tuple(metrics)

    def _kind(self, name: str) -> tuple[str, str]:
        if name not in self.declared:
            raise EvidenceError(Position(self.display), f"{name!r} has samples but no Metric line")
        return self.declared[name]


def _is_glob(pattern: str) -> bool:
    return is_glob(pattern)  # a selector's "[" is literal: /kv/[key] is one name
