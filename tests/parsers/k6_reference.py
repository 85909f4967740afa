"""A plain full parse of a k6 NDJSON stream, the judge of the differential tests.

Every line is decoded with ``json.loads`` of its UTF-8 text, one by one, and read as the
format's rules say (``README``): a blank line is nothing; a line that is not a JSON
object, not a k6 ``Point`` or ``Metric`` line, or the last line without its line end,
makes the stream invalid. The statistics come from the values it collects, through the
same functions the parser uses: what is compared is which values are read.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.parsers.load._k6_lines import timestamp
from gatekeeper.parsers.load._k6_series import Series, Tally, series_metric, tally_metric

WHITESPACE = " \t\r\n"


class Invalid(Exception):
    """The stream is not valid; ``line`` is the 1-based number of the offending line."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line


@dataclass
class Stream:
    """What a full parse finds: declarations (first wins) and samples, in file order."""

    declared: dict[str, tuple[str, str]] = field(default_factory=dict)
    points: list[tuple[str, float, dict[str, str], str]] = field(default_factory=list)
    """(metric, value, tags, time) per sample line."""


def decode(content: bytes) -> Stream:
    """Every line of the stream, or ``Invalid``."""
    content = content.removeprefix(b"\xef\xbb\xbf")
    pieces = content.split(b"\n")
    if pieces[-1].strip(WHITESPACE.encode()):
        raise Invalid(len(pieces), "the last line has no line end")
    stream = Stream()
    for number, raw in enumerate(pieces[:-1], start=1):
        try:
            text = raw.decode("utf-8")
            if not text.strip(WHITESPACE):
                continue
            line = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise Invalid(number, f"not JSON: {exc}") from exc
        _read_line(stream, line, number)
    return stream


def _read_line(stream: Stream, line: object, number: int) -> None:
    if not isinstance(line, dict):
        raise Invalid(number, "not an object")
    data, metric = line.get("data"), line.get("metric")
    if line.get("type") == "Metric":
        if not isinstance(data, dict) or not isinstance(metric, str):
            raise Invalid(number, "a declaration without metric and data")
        kind, contains = data.get("type"), data.get("contains")
        if kind not in ("trend", "rate", "counter", "gauge"):
            raise Invalid(number, "unknown metric type")
        if contains not in ("default", "time", "data"):
            raise Invalid(number, "unknown contains")
        stream.declared.setdefault(metric, (str(kind), str(contains)))
        return
    if line.get("type") != "Point" or not isinstance(data, dict) or not isinstance(metric, str):
        raise Invalid(number, "not a k6 line")
    value, tags, time = data.get("value"), data.get("tags"), data.get("time")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(number, "value is not a number")
    try:
        value = float(value)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        raise Invalid(number, "value is not finite")
    if tags is not None and not (
        isinstance(tags, dict) and all(isinstance(v, str) for v in tags.values())
    ):
        raise Invalid(number, "tags are not strings")
    if not isinstance(time, str):
        raise Invalid(number, "time is not a string")
    stream.points.append((metric, value, tags or {}, time))


def duration(stream: Stream) -> float | None:
    """From the first to the last sample line's time, when it is positive."""
    if not stream.points:
        return None
    first, last = timestamp(stream.points[0][3], 0), timestamp(stream.points[-1][3], 0)
    return last - first if last > first else None


def collected(content: bytes, wanted: tuple[SeriesRequest, ...]) -> dict[str, Metric]:
    """The requested series by label, as the parser's matrix path should give them."""
    stream = decode(content)
    requests = tuple(dict.fromkeys(wanted))
    names = [r.name for r in requests if not _is_pattern(r.name)]
    names += [n for n in stream.declared if any(_is_pattern(r.name) for r in requests)]
    plan: dict[str, list[Series]] = {}
    for name in names:
        series = plan.setdefault(name, [])
        for request in requests:
            matched = (
                fnmatchcase(name, request.name)
                if _is_pattern(request.name)
                else (name == request.name)
            )
            if matched and all(s.tags != request.tags for s in series):
                series.append(Series(name, request.tags, None))
    for metric, value, tags, _ in stream.points:
        for series in plan.get(metric, ()):
            if all(tags.get(key) == text for key, text in series.tags):
                series.values.append(value)
    span, found = duration(stream), {}
    for name, all_series in plan.items():
        kind, contains = stream.declared.get(name, ("", "default"))
        if not kind and any(s.values for s in all_series):
            raise Invalid(None, f"{name} has samples but no declaration")
        for series in all_series:
            metric = series_metric(series, kind, contains, span, "run.ndjson")
            found[metric.label] = metric
    return found


def inspected(content: bytes) -> dict[str, tuple[Tally, str, str, float | None]]:
    """Every metric with samples: its tally (values added one by one), kind, contains."""
    stream = decode(content)
    tallies: dict[str, Tally] = {}
    for metric, value, _, _ in stream.points:
        tallies.setdefault(metric, Tally()).add(value)
    span, found = duration(stream), {}
    for name, tally in tallies.items():
        if name not in stream.declared:
            raise Invalid(None, f"{name} has samples but no declaration")
        found[name] = (tally, *stream.declared[name], span)
    return found


def inspected_metric(
    name: str, tally: Tally, kind: str, contains: str, span: float | None
) -> Metric:
    return tally_metric(name, {}, tally, kind, contains, span, "run.ndjson")


def _is_pattern(name: str) -> bool:
    return "*" in name
