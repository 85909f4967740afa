"""Reading a k6 NDJSON stream in large blocks, and decoding single lines when needed.

The stream is read in blocks of whole lines; nothing walks it line by line in
Python. A block always starts with the newline that ended the previous line, so
every line start is a ``\\n`` in the block. k6 ends every line with a newline: a
last line without one was cut off, and is an error. A line is decoded as
``json.loads`` decodes its UTF-8 text (a UTF-8 byte order mark is allowed before the
first line, as for the other JSON formats); a blank line (spaces, tabs, a carriage
return) holds nothing and is passed over. Problems are raised as ``LineError`` with a
file offset; the parser turns that into a line number only when it has to (counting
newlines is a pass over the file it need not pay for).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from io import BufferedIOBase

BLOCK_SIZE = 4 * 1024 * 1024
"""Bytes read at a time: large enough that per-block work vanishes, small for the memory."""
MAX_LINE = 1024 * 1024
"""k6 lines are a few hundred bytes; a longer one is not k6 output."""
MAX_METRICS = 10_000
"""Distinct metric names a stream may hold: k6 runs have tens; more is not k6 output."""

WHITESPACE = b" \t\r\n"
"""JSON's whitespace."""

_BOM = b"\xef\xbb\xbf"
_TIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)")


class LineError(Exception):
    """A problem with the line that starts at ``offset`` bytes into the file."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@dataclass(frozen=True)
class Block:
    """Whole lines of the stream: ``data[:end]``, where ``data[0]`` is a newline.

    ``data`` is a buffer the reader reuses: copy out what must outlive the block.
    """

    data: bytearray
    end: int
    offset: int
    """File offset of ``data[1]``."""

    def line_at(self, index: int) -> tuple[int, int]:
        """(start, end) of the line holding ``data[index]``, newline excluded."""
        start = self.data.rfind(b"\n", 0, index) + 1
        return start, self.data.find(b"\n", index)

    def file_offset(self, index: int) -> int:
        return self.offset + index - 1


def read_blocks(handle: BufferedIOBase) -> Iterator[Block]:
    """The stream as blocks of whole lines; a last line without its newline is an error.

    One buffer is filled in place (``readinto``) and the partial line at its end moved
    to its front: allocating a fresh block each time costs more than searching it.
    """
    buffer = bytearray(BLOCK_SIZE + MAX_LINE + 2)
    view = memoryview(buffer)
    buffer[0] = 0x0A
    offset = len(_BOM) if handle.read(len(_BOM)) == _BOM else 0
    handle.seek(offset)
    filled = 1
    while True:
        got = handle.readinto(view[filled : filled + BLOCK_SIZE])
        if not got:
            if buffer[1:filled].strip(WHITESPACE):
                raise LineError(offset, "the last line has no line end: the file is truncated")
            return
        total = filled + got
        end = buffer.rfind(b"\n", 0, total) + 1
        if total - end > MAX_LINE:
            raise LineError(offset + end - 1, f"line is longer than {MAX_LINE // 1024} KiB")
        if end > 1:
            yield Block(buffer, end, offset)
            offset += end - 1
        buffer[: total - end + 1] = view[end - 1 : total]
        filled = total - end + 1


def line_number(handle: BufferedIOBase, offset: int) -> int:
    """The 1-based line that holds byte ``offset`` (a pass over the file up to it)."""
    handle.seek(0)
    count, remaining = 1, offset
    while remaining > 0:
        chunk = handle.read(min(BLOCK_SIZE, remaining))
        if not chunk:
            break
        count += chunk.count(b"\n")
        remaining -= len(chunk)
    return count


def blank(line: bytes | bytearray) -> bool:
    """Whether a line holds nothing but JSON whitespace (a CRLF line end leaves a ``\\r``)."""
    return not line.strip(WHITESPACE)


def decode(line: bytes | bytearray, offset: int) -> dict[str, object]:
    """One line as a JSON object (``json.loads`` of its UTF-8 text), or a LineError."""
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LineError(offset, f"not valid UTF-8 (byte 0x{line[exc.start]:02x})") from exc
    except json.JSONDecodeError as exc:
        raise LineError(offset, f"invalid JSON ({exc.msg}); is the line truncated?") from exc
    except RecursionError as exc:
        raise LineError(offset, "invalid JSON (nested too deeply)") from exc
    except ValueError as exc:  # an integer past Python's digit limit
        raise LineError(offset, f"invalid JSON ({str(exc)[:80]})") from exc
    if not isinstance(value, dict):
        raise LineError(offset, "expected a JSON object with type, metric and data")
    return value


@dataclass(frozen=True)
class Point:
    """One sample, as a generic JSON decoder reads it (the slow path)."""

    metric: str
    time: str
    value: float
    tags: dict[str, str]


def point(obj: dict[str, object], offset: int) -> Point | None:
    """The sample a decoded line holds; None for a declaration; LineError for anything else."""
    kind = obj.get("type")
    if kind == "Metric":
        return None
    data, metric = obj.get("data"), obj.get("metric")
    if kind != "Point" or not isinstance(data, dict) or not isinstance(metric, str):
        message = 'expected a k6 line: {"type": "Point" or "Metric", "metric": ..., "data": ...}'
        raise LineError(offset, message)
    value, tags, time = data.get("value"), data.get("tags"), data.get("time")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LineError(offset, f"data.value of {metric!r}: expected a number")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise LineError(offset, f"data.value of {metric!r}: expected a finite number")
    if tags is not None and not (
        isinstance(tags, dict) and all(isinstance(v, str) for v in tags.values())
    ):
        raise LineError(offset, f"data.tags of {metric!r}: expected an object of strings")
    if not isinstance(time, str):
        raise LineError(offset, f"data.time of {metric!r}: expected an RFC 3339 time")
    return Point(metric, time, number, tags or {})


def declaration(obj: dict[str, object], offset: int) -> tuple[str, str, str]:
    """(name, type, contains) of a ``Metric`` line."""
    data = obj.get("data")
    name = obj.get("metric")
    if not isinstance(data, dict) or not isinstance(name, str):
        raise LineError(offset, 'a Metric line needs "metric" and "data"')
    kind, contains = data.get("type"), data.get("contains")
    if kind not in ("trend", "rate", "counter", "gauge"):
        raise LineError(offset, f"metric {name!r}: unknown type {kind!r}")
    if contains not in ("default", "time", "data"):
        raise LineError(offset, f"metric {name!r}: unknown contains {contains!r}")
    return name, str(kind), str(contains)


def timestamp(text: str, offset: int) -> float:
    """Seconds since the epoch of an RFC 3339 time as Go writes it (up to nanoseconds)."""
    match = _TIME.fullmatch(text)
    if match is None:
        raise LineError(offset, f"data.time: expected an RFC 3339 time, got {text[:40]!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    zone = match.group(8)
    if zone == "Z":
        tz = timezone.utc
    else:
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError as exc:
        raise LineError(offset, f"data.time: {exc}") from exc
    return moment.timestamp() + float(match.group(7) or 0)
