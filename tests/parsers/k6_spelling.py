"""Random k6 NDJSON streams for the differential tests: k6's own spelling, and any other.

A stream is a list of ``Line`` (a declaration or a sample, its content) drawn by
hypothesis; ``write`` spells each line either as k6 writes it or, with some
probability, in another valid JSON spelling chosen by a seeded ``random.Random``:
keys in any order (a repeated key before the one that counts, unknown keys), spaces
and tabs between tokens, any character of any string as a ``\\u`` escape, ``\\/``,
CRLF line ends, blank lines, a byte order mark.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from hypothesis import strategies as st

from gatekeeper.evidence import SeriesRequest

KINDS = {
    "http_req_duration": ("trend", "time"),
    "checks": ("rate", "default"),
    "vus": ("gauge", "default"),
    "vus_max": ("gauge", "default"),  # holds "vus"
    "iterations": ("counter", "default"),
    "data_sent": ("counter", "data"),
    "t": ("trend", "default"),  # a letter of every other name
}
TAG_KEYS = ("status", "status", "method", "url", "check", "metric", "name")
"""Weighted: a tag filter and a line share keys often, a line repeats a key now and then."""
TAG_VALUES = (
    "200", "200", "500", "GET", "", "/a?x=1&y=<2>", 'say "hi"', "C:\\path", "ünïcode 🚀",
    "http_req_duration", "vus", "line\u2028sep", "tab\there", "}},\"metric\":\"vus",
)  # fmt: skip
TIMES = (
    "2025-03-01T10:00:00Z", "2025-03-01T10:00:01.5Z", "2025-03-01T11:00:02.123456789+01:00",
    "2025-03-01T10:00:03.25-00:30",
)  # fmt: skip


@dataclass(frozen=True)
class Line:
    """One line's content: a declaration (``value`` None) or a sample."""

    metric: str
    value: str | None
    """The value as JSON number text (any spelling json.loads reads)."""
    time: str = TIMES[0]
    tags: tuple[tuple[str, str], ...] | None = ()
    """In order, a key possibly repeated; None: ``null``."""
    metadata: tuple[tuple[str, str], ...] = ()


numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(-1e9, 1e9, allow_nan=False).map(repr),
    st.floats(0, 1e6, allow_nan=False).map(lambda x: f"{x:E}"),
    st.sampled_from(["-0", "0", "-0.0", "1E3", "1.50e-3", "1e-7", "123456789012345678901234567"]),
)
tag_lists = st.lists(
    st.tuples(st.sampled_from(TAG_KEYS), st.sampled_from(TAG_VALUES)), max_size=4
).flatmap(
    # now and then the first key again, last: json.loads keeps a repeated key's last value
    lambda tags: st.sampled_from([tags, [*tags, (tags[0][0], "500")] if tags else tags])
)
samples = st.builds(
    Line,
    metric=st.sampled_from(sorted(KINDS)),
    value=numbers,
    time=st.sampled_from(TIMES),
    tags=st.one_of(st.none(), tag_lists.map(tuple)),
    metadata=st.lists(st.tuples(st.just("trace_id"), st.sampled_from(TAG_VALUES)), max_size=1).map(
        tuple
    ),
)


@st.composite
def streams(draw: st.DrawFn) -> list[Line]:
    """Samples with a declaration of each metric, placed before its first sample (as k6
    does) or anywhere."""
    lines = draw(st.lists(samples, min_size=1, max_size=40))
    for metric in dict.fromkeys(line.metric for line in lines):
        first = next(i for i, line in enumerate(lines) if line.metric == metric)
        at = draw(st.integers(0, first)) if draw(st.booleans()) else first
        lines.insert(at, Line(metric, None))
    return lines


names = st.sampled_from([*KINDS, "absent", "vus*", "*s", "http_*"])
filters = st.lists(
    st.tuples(st.sampled_from(TAG_KEYS), st.sampled_from(TAG_VALUES)), max_size=2
).map(lambda pairs: tuple(dict(pairs).items()))
requests = st.lists(st.builds(SeriesRequest, name=names, tags=filters), min_size=1, max_size=4).map(
    tuple
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[Line], tuple[SeriesRequest, ...]]:
    """A stream, and requests of which some filter on a tag that one of its lines has."""
    lines = draw(streams())
    wanted = list(draw(requests))
    tagged = [line for line in lines if line.tags]
    if tagged and draw(st.booleans()):
        line = draw(st.sampled_from(tagged))
        assert line.tags
        wanted.append(SeriesRequest(line.metric, (draw(st.sampled_from(line.tags)),)))
    return lines, tuple(wanted)


def write(lines: list[Line], rng: random.Random, odd: float) -> bytes:
    """The stream's bytes; each line in another spelling with probability ``odd``, the
    others in k6's: all in its field order, all in the older one, or mixed."""
    out = ["\ufeff"] if rng.random() < odd / 4 else []
    older = rng.choice([0.0, 1.0, 0.2])  # k6's field order, the older one, or both mixed
    for line in lines:
        if rng.random() < odd / 4:
            out.append(rng.choice(["", "  ", "\t", "\r"]) + "\n")
        text = _odd(line, rng) if rng.random() < odd else _k6(line, rng.random() < older)
        out.append(text + ("\r\n" if rng.random() < odd / 3 else "\n"))
    return "".join(out).encode("utf-8", "surrogatepass")


def _k6(line: Line, old_order: bool) -> str:
    """As k6 writes it: its key order, no spaces, ``<>&`` escaped as ``\\u003c``..."""
    if line.value is None:
        kind, contains = KINDS[line.metric]
        data = f'{{"name":{_go(line.metric)},"type":"{kind}","contains":"{contains}",'
        data += '"thresholds":[],"submetrics":null}'
        return f'{{"type":"Metric","data":{data},"metric":{_go(line.metric)}}}'
    tags = "null" if line.tags is None else _go_object(line.tags)
    data = f'{{"time":{_go(line.time)},"value":{line.value},"tags":{tags}'
    data += f',"metadata":{_go_object(line.metadata)}}}' if line.metadata else "}"
    if old_order:
        return f'{{"type":"Point","data":{data},"metric":{_go(line.metric)}}}'
    return f'{{"metric":{_go(line.metric)},"type":"Point","data":{data}}}'


def _go(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        quoted = quoted.replace(char, escape)
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _go_object(pairs: tuple[tuple[str, str], ...]) -> str:
    return "{" + ",".join(f"{_go(k)}:{_go(v)}" for k, v in pairs) + "}"


def _odd(line: Line, rng: random.Random) -> str:
    """Any valid spelling of the same JSON object (as json.loads reads it)."""
    if line.value is None:
        kind, contains = KINDS[line.metric]
        data = [("name", line.metric), ("type", kind), ("contains", contains)]
        data += [("thresholds", []), ("submetrics", None)]
        top = [("type", "Metric"), ("data", _Object(data)), ("metric", line.metric)]
    else:
        tags = None if line.tags is None else _Object(list(line.tags))
        data = [("time", line.time), ("value", _Number(line.value)), ("tags", tags)]
        if line.metadata:
            data.append(("metadata", _Object(list(line.metadata))))
        if rng.random() < 0.2:
            data.insert(0, ("value", _Number("1")))  # json.loads keeps a repeated key's last
        top = [("metric", line.metric), ("type", "Point"), ("data", _Object(data))]
    rng.shuffle(data)
    rng.shuffle(top)
    if rng.random() < 0.2:
        top.insert(0, ("metric", rng.choice(sorted(KINDS))))
    if rng.random() < 0.2:
        extra = [1, _Object([("metric", "vus")])]
        top.insert(rng.randrange(len(top) + 1), ("extra", extra))
    return _space(rng) + _json(_Object(top), rng) + _space(rng)


@dataclass(frozen=True)
class _Number:
    text: str


@dataclass(frozen=True)
class _Object:
    pairs: list[tuple[str, object]]


def _json(value: object, rng: random.Random) -> str:
    if isinstance(value, _Number):
        return value.text
    if isinstance(value, str):
        return _string(value, rng)
    if isinstance(value, _Object):
        items = [
            _string(key, rng) + _space(rng) + ":" + _space(rng) + _json(item, rng)
            for key, item in value.pairs
        ]
        return "{" + _space(rng) + ("," + _space(rng)).join(items) + _space(rng) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_json(item, rng) for item in value) + "]"
    return json.dumps(value)


def _string(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\' or code < 0x20 or rng.random() < 0.15:
            if code > 0xFFFF:
                high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
                out.append(f"\\u{high:04x}\\u{low:04X}")
            elif char in '"\\' and rng.random() < 0.5:
                out.append("\\" + char)
            else:
                out.append(f"\\u{code:04x}" if rng.random() < 0.5 else f"\\u{code:04X}")
        elif char == "/" and rng.random() < 0.5:
            out.append("\\/")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _space(rng: random.Random) -> str:
    return rng.choice(["", "", "", " ", "  ", "\t", " \r "])
