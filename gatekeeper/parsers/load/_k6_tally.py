"""Streaming statistics of every metric in a block of k6 lines (``gatekeeper inspect``).

Every line is read here. One ``split`` gives the (name, value) of every line in k6's
own spelling, each proven valid JSON by the match (``_k6_layout``); when that accounts
for every line of the block, the values are added up a metric at a time. A block with
anything else in it (a declaration, another spelling, a blank or broken line) is read
line by line in order instead, decoding each line the pattern does not match.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_layout import EVERY_POINT, number
from gatekeeper.parsers.load._k6_lines import Block, LineError
from gatekeeper.parsers.load._k6_series import Tally

Declared = tuple[dict[str, object], int]


def tally_block(block: Block, tallies: dict[bytes, Tally]) -> list[Declared]:
    """Add every sample of the block to its metric's tally; returns the declarations met."""
    # split: [gap, name, value, gap, name, value, ..., gap]; each match starts at the
    # newline before its line, so the gaps are empty but the last ("\n") only when every
    # line of the block is a sample in k6's spelling.
    parts = EVERY_POINT.split(memoryview(block.data)[: block.end])
    if b"".join(parts[0::3]) != b"\n":
        return _in_order(block, tallies)
    grouped: dict[bytes, list[bytes]] = {}
    add: dict[bytes, Callable[[bytes], None]] = {}
    for name, text in zip(parts[1::3], parts[2::3], strict=True):
        try:
            add[name](text)
        except KeyError:
            texts = grouped[name] = [text]
            add[name] = texts.append
    added: list[tuple[bytes, list[float]]] = []
    for name, texts in grouped.items():
        values = _numbers(texts)
        if values is None:  # the decoder says what is wrong, and where
            return _in_order(block, tallies)
        added.append((name, values))
    if len(tallies) + sum(name not in tallies for name, _ in added) > lines.MAX_METRICS:
        return _in_order(block, tallies)  # to name the line of the metric too many
    for name, values in added:
        tally = tallies.get(name)
        if tally is None:
            tally = tallies[name] = Tally()
        tally.extend(values)
    return []


def _numbers(texts: list[bytes]) -> list[float] | None:
    """The values as ``number`` reads them, at C speed when none is -0 or too large."""
    values = list(map(float, texts))
    if max(values) < math.inf and min(values) > -math.inf and b"-0" not in texts:
        return values
    exact = [number(text) for text in texts]
    return None if None in exact else [value for value in exact if value is not None]


def _in_order(block: Block, tallies: dict[bytes, Tally]) -> list[Declared]:
    data, end = block.data, block.end
    declared: list[Declared] = []
    position = 0  # the newline before the next line not yet accounted for
    for match in EVERY_POINT.finditer(data, 0, end):
        if match.start() != position:
            declared += _decoded(block, position, match.start(), tallies)
        position = match.end()
        name, raw = match.group(1, 2)
        value = number(raw)
        if value is None:  # not a finite number: the decoder says what is wrong
            declared += _decoded(block, match.start(), position, tallies)
            continue
        tally = tallies.get(name)
        if tally is None:
            tally = _new_tally(tallies, name, block.file_offset(match.start() + 1))
        tally.add(value)
    if position != end - 1:
        declared += _decoded(block, position, end - 1, tallies)
    return declared


def _decoded(block: Block, start: int, stop: int, tallies: dict[bytes, Tally]) -> list[Declared]:
    """The lines between the newlines at ``start`` and ``stop``, decoded one by one."""
    data = block.data
    declared: list[Declared] = []
    while start < stop:
        eol = data.find(b"\n", start + 1)
        line = data[start + 1 : eol]
        offset = block.file_offset(start + 1)
        start = eol
        if lines.blank(line):
            continue
        decoded = lines.decode(line, offset)
        sample = lines.point(decoded, offset)
        if sample is None:
            declared.append((decoded, offset))
        else:
            key = sample.metric.encode("utf-8", "surrogatepass")
            tally = tallies.get(key) or _new_tally(tallies, key, offset)
            tally.add(sample.value)
    return declared


def _new_tally(tallies: dict[bytes, Tally], name: bytes, offset: int) -> Tally:
    if len(tallies) >= lines.MAX_METRICS:
        raise LineError(offset, f"more than {lines.MAX_METRICS} metrics")
    tally = tallies[name] = Tally()
    return tally
