"""The hot loops over a block of k6 lines: find a metric's samples without decoding lines.

k6 writes every sample as ``{"metric":NAME,"type":"Point","data":{"time":T,
"value":V,"tags":{...}[,"metadata":{...}]}}`` (Go's encoder, struct field order,
tag keys sorted, no spaces). For a line in exactly that layout the value is the
text between ``"value":`` and ``,"tags":``, and a tag filter holds when
``"key":"value"`` occurs in the tags object: quotes inside JSON strings are always
escaped, so that text can only be a key with its value. Anything else that names
the metric (the older field order, escapes in the tags, a damaged line) is decoded
as JSON, so it is read correctly or reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_lines import Block, LineError
from gatekeeper.parsers.load._k6_series import Series, Tally

Add = Callable[[float], None]
Filtered = list[tuple[tuple[bytes, ...], Add]]
Declared = tuple[dict[str, object], int]
"""A decoded ``Metric`` line and its file offset."""

_ANY_POINT = re.compile(
    rb'\n\{"metric":"([^"\\\n]+)","type":"Point","data":\{"time":"[^"\\\n]*",'
    rb'"value":([^,\n]+),"tags":[^\n]*\}\}(?=\n)'
)


def collect(block: Block, name: str, all_series: list[Series]) -> list[Declared]:
    """Append the values of ``name``'s samples in ``block`` to the series they belong to.

    Returns the declaration lines of ``name`` it met on the way (they name it too).
    """
    data, end = block.data, block.end
    find, startswith, endswith = data.find, data.startswith, data.endswith
    mention = b'"metric":' + lines.quoted(name)
    layout = b'\n{"metric":' + lines.quoted(name) + b',"type":"Point","data":{"time":"'
    skip = len(layout)
    plain = [s.values.append for s in all_series if not s.needles]
    filtered: Filtered = [(s.needles, s.values.append) for s in all_series if s.needles]
    declared: list[Declared] = []
    # Byte comparisons need no decoding, but the lines read must still be UTF-8. (The whole
    # buffer is asked, stale bytes past ``end`` included: at worst lines get checked.)
    ascii_only = data.isascii()
    at = find(mention, 0, end)
    while at >= 0:
        eol = find(b"\n", at)
        value_at = find(b'","value":', at - 2 + skip, eol) + 10
        tags_at = find(b',"tags":', value_at, eol) + 8
        number = None
        if value_at > 9 and tags_at > 7 and startswith(layout, at - 2) and endswith(b"}}", 0, eol):
            try:
                number = float(data[value_at : tags_at - 8])
            except ValueError:
                number = None
        # Not in k6's layout, not a finite number (inf - inf is nan) or not UTF-8: decode it.
        if number is None or number - number or not (ascii_only or _utf8(data, at, eol)):
            declared += _decoded(block, at, name, plain, filtered)
            at = find(mention, eol, end)
            continue
        for add in plain:
            add(number)
        if filtered:
            tags_end = find(b',"metadata":{', tags_at, eol)
            tags_end = eol - 2 if tags_end < 0 else tags_end
            if find(b"\\", tags_at, tags_end) >= 0:
                _decoded(block, at, name, [], filtered)
            else:
                for needles, add in filtered:
                    for needle in needles:
                        if find(needle, tags_at, tags_end) < 0:
                            break
                    else:
                        add(number)
        at = find(mention, eol, end)
    return declared


def _utf8(data: bytearray, start: int, stop: int) -> bool:
    try:
        data[start:stop].decode("utf-8")
    except UnicodeDecodeError:
        return False  # the decoder reports it, with where
    return True


def _decoded(
    block: Block, at: int, name: str, plain: list[Add], filtered: Filtered
) -> list[Declared]:
    """The slow path: decode the line that mentions ``name`` at ``at`` as JSON."""
    start, stop = block.line_at(at)
    offset = block.file_offset(start)
    line = lines.decode(block.data[start:stop], offset)
    sample = lines.point(line, offset)
    if sample is None:
        return [(line, offset)]
    if sample.metric != name:
        return []  # another metric, with the name in a tag
    for add in plain:
        add(sample.value)
    if filtered:
        texts = {lines.quoted(k) + b":" + lines.quoted(v) for k, v in sample.tags.items()}
        for needles, add in filtered:
            if all(n in texts for n in needles):
                add(sample.value)
    return []


def tally_block(block: Block, tallies: dict[bytes, Tally]) -> list[Declared]:
    """Streaming statistics for every metric: one regex pass, other lines decoded.

    Returns the declaration lines it met.
    """
    data, end = block.data, block.end
    declared: list[Declared] = []
    if not data.isascii():  # every line is read here, so every line must be UTF-8
        try:
            data[:end].decode("utf-8")
        except UnicodeDecodeError as exc:
            start, _ = block.line_at(exc.start)
            message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
            raise LineError(block.file_offset(start), message) from exc
    position = 0  # the newline before the next line not yet accounted for
    for match in _ANY_POINT.finditer(data, 0, end):
        if match.start() != position:
            declared += _tally_lines(block, position, match.start(), tallies)
        position = match.end()
        name, raw = match.group(1, 2)
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if value - value:  # not a finite JSON number: the decoder says what is wrong
            declared += _tally_lines(block, match.start(), position, tallies)
            continue
        tally = tallies.get(name)
        if tally is None:
            tally = _new_tally(tallies, name, block.file_offset(match.start() + 1))
        # Tally.add, inlined: this runs once a line of the whole stream.
        tally.count += 1
        tally.total += value
        tally.last = value
        if value:
            tally.nonzero += 1
        if value < tally.low:
            tally.low = value
        if value > tally.high:
            tally.high = value
    if position != end - 1:
        declared += _tally_lines(block, position, end - 1, tallies)
    return declared


def _tally_lines(
    block: Block, start: int, stop: int, tallies: dict[bytes, Tally]
) -> list[Declared]:
    """The lines between the newlines at ``start`` and ``stop``, decoded one by one."""
    data = block.data
    declared: list[Declared] = []
    while start < stop:
        eol = data.find(b"\n", start + 1)
        line = data[start + 1 : eol]
        offset = block.file_offset(start + 1)
        if not line.strip():
            start = eol
            continue
        decoded = lines.decode(line, offset)
        sample = lines.point(decoded, offset)
        if sample is None:
            declared.append((decoded, offset))
        else:
            key = sample.metric.encode("utf-8")
            tally = tallies.get(key) or _new_tally(tallies, key, offset)
            tally.add(sample.value)
        start = eol
    return declared


def _new_tally(tallies: dict[bytes, Tally], name: bytes, offset: int) -> Tally:
    if len(tallies) >= lines.MAX_METRICS:
        raise LineError(offset, f"more than {lines.MAX_METRICS} metrics")
    tally = tallies[name] = Tally()
    return tally
