"""k6's raw ``k6 run --out json=FILE`` stream: statistics computed here, as k6 computes them.

Each line is a ``Metric`` declaration (its type and what it contains) or a
``Point`` (metric, time, value in ms for times, tags), read as ``json.loads`` reads it
whatever its spelling (``_k6_layout`` recognises k6's own in full, so most lines need
no decoding). With ``wanted`` series, only the lines that can belong to those metrics
are read (``_k6_scan``): a line that holds a name's bytes or an escape that may spell
it; a broken one is an error. A series with a tag filter keeps the points carrying
those tags (k6's sub-metrics). Without ``wanted`` (inspection) every line is read and
every metric gets streaming statistics, no samples (``_k6_tally``).

A counter's rate: k6 divides the count by the test run's duration, which the
stream does not record; the span from the first to the last sample line is the
closest it holds (it misses the time before the first sample, so short runs read
a little higher than k6's summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BufferedIOBase
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_check import check_utf8, declarations, first_point, last_point
from gatekeeper.parsers.load._k6_layout import tag_filter
from gatekeeper.parsers.load._k6_lines import Block, LineError
from gatekeeper.parsers.load._k6_scan import collect
from gatekeeper.parsers.load._k6_series import Series, Tally, series_metric, tally_metric
from gatekeeper.parsers.load._k6_tally import tally_block
from gatekeeper.selector import is_glob, name_matches

NAME = "k6-ndjson"


def detect_json_lines(decoded: Sequence[object]) -> bool:
    """The first line, decoded, is a k6 ``Metric`` or ``Point`` line (any spelling)."""
    first = decoded[0]
    return (
        isinstance(first, dict)
        and first.get("type") in ("Point", "Metric")
        and isinstance(first.get("metric"), str)
        and isinstance(first.get("data"), dict)
    )


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a k6 NDJSON stream; only the ``wanted`` series when given, else every metric."""
    try:
        with path.open("rb") as handle:
            try:
                stream = _Stream(wanted, display)
                metrics = stream.read(handle)
                ended = stream.ended()
            except LineError as exc:
                where = Position(display, lines.line_number(handle, exc.offset))
                raise EvidenceError(where, exc.message) from exc
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    # the last sample's time: when the load test ended, as the stream records it
    measured_at = None if ended is None else dt.datetime.fromtimestamp(ended, dt.timezone.utc)
    return ParsedFile(path=display, format=NAME, metrics=metrics, measured_at=measured_at)


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
        self.any_line = False
        for request in self.requests:
            if not _is_glob(request.name):
                self._plan(request.name)

    def read(self, handle: BufferedIOBase) -> tuple[Metric, ...]:
        if any(_is_glob(r.name) for r in self.requests):
            # A pattern selects the metrics declared anywhere in the file, so all of them
            # are known before any sample is read.
            for block in lines.read_blocks(handle):
                for decoded, offset in declarations(block):
                    self._declare(decoded, offset)
            handle.seek(0)
        for block in lines.read_blocks(handle):
            # Every byte is UTF-8, whatever is asked: a line of a requested metric whose name
            # a bad byte broke is not passed over (an ASCII block costs one isascii()).
            check_utf8(block)
            found = collect(block, self.plan) if self.requests else tally_block(block, self.tallies)
            for decoded, offset in found:
                self._declare(decoded, offset)
            self._note_lines(block)
        if not self.any_line:
            raise EvidenceError(Position(self.display), "no k6 lines: the file is empty")
        return self._metrics()

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
                series.append(Series(name, request.tags, tag_filter(request.tags)))

    def _note_lines(self, block: Block) -> None:
        """Keep the first and the last sample line: their times give the run's span."""
        if self.first is None:
            self.first, seen = first_point(block)
            self.any_line = self.any_line or seen
        self.last = last_point(block) or self.last

    def ended(self) -> float | None:
        """The last sample line's time, in seconds since 1970 (None: no sample)."""
        if self.last is None:
            return None
        raw, offset = self.last
        sample = lines.point(lines.decode(raw, offset), offset)
        assert sample is not None  # read as a sample
        return lines.timestamp(sample.time, offset)

    def _duration(self) -> float | None:
        if self.first is None or self.last is None:
            return None
        times = []
        for raw, offset in (self.first, self.last):
            sample = lines.point(lines.decode(raw, offset), offset)
            assert sample is not None  # both were read as samples
            times.append(lines.timestamp(sample.time, offset))
        return times[1] - times[0] if times[1] > times[0] else None

    def _metrics(self) -> tuple[Metric, ...]:
        duration, source = self._duration(), self.display
        if not self.requests:
            found = []
            for raw, tally in self.tallies.items():
                name = raw.decode("utf-8", "surrogatepass")
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
