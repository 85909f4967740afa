"""Reading the lines that name a requested k6 metric one at a time, in file order.

The exact fallback of ``_k6_scan``: each line holding the metric's name is matched
against k6's spelling of one of its samples, at the line's start; a line in k6's
spelling of another metric (the name in a tag) is passed over; any other line is
decoded with ``json.loads`` and read as it reads it, or reported with its offset.
"""

from __future__ import annotations

from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_layout import decoded_tags, in_layout, raw_name, samples_of, utf8
from gatekeeper.parsers.load._k6_lines import Block
from gatekeeper.parsers.load._k6_series import Series

Declared = tuple[dict[str, object], int]
"""A decoded ``Metric`` line and its file offset."""
Plan = dict[str, list[Series]]
"""Requested metric name -> its series (one per distinct tag filter)."""

_NAME_AT = len(b'{"metric":"')
"""Where the name stands in a sample line in k6's field order."""


def line_by_line(block: Block, name: str, all_series: list[Series]) -> list[Declared]:
    """Add ``name``'s samples in the block; returns the declaration lines met."""
    patterns = samples_of(name)
    if patterns is None:  # a name k6's spelling cannot hold: decode each line naming it
        return in_file_order(block, {name: all_series}, [])
    data, end = block.data, block.end
    find, rfind = data.find, data.rfind
    point, old_point = patterns.line.match, patterns.old_line.match
    raw = raw_name(name)
    ascii_only = data.isascii()  # else each line read here must be UTF-8
    declared: list[Declared] = []
    at = find(raw, 0, end)
    while at >= 0:
        start = at - _NAME_AT
        found = point(data, start)
        if found is None:  # the name's bytes elsewhere: match at the line's start
            start = rfind(b"\n", 0, at) + 1
            found = point(data, start) or old_point(data, start)
        stop = find(b"\n", at) if found is None else found.end()
        at = find(raw, stop, end)
        if found is None:  # a declaration, another spelling, another metric, or broken
            if not in_layout(data, start):
                declared += _decoded(block, start, stop, name, all_series)
            continue
        number = found[1]
        value = float(number)
        if value - value or number == b"-0" or not (ascii_only or utf8(found[0])):
            declared += _decoded(block, start, stop, name, all_series)
            continue  # not finite, -0 (read as 0) or not UTF-8: decoded, or said what is wrong
        for series in all_series:
            if not series.tags or holds(series, found[2], found[3]):
                series.values.append(value)
    return declared


def holds(series: Series, tags: bytes, escaped: bytes) -> bool:
    """Whether a sample's tags (matched: free of escapes, or else ``escaped``) hold every
    tag of the series' filter.

    Without escapes every quote in a tags object is a string's edge, so ``"key":`` is
    that key; the last one counts, as ``json.loads`` keeps a repeated key's last value.
    """
    if escaped or series.needles is None:
        found = decoded_tags(escaped or tags)
        return all(found.get(key) == text for key, text in series.tags)
    for key, quoted in series.needles:
        key_at = tags.rfind(key)
        if key_at < 0 or not tags.startswith(quoted, key_at + len(key)):
            return False
    return True


def _decoded(
    block: Block, start: int, stop: int, name: str, all_series: list[Series]
) -> list[Declared]:
    """Decode the line between ``start`` and ``stop`` as JSON."""
    offset = block.file_offset(start)
    line = lines.decode(block.data[start:stop], offset)
    sample = lines.point(line, offset)
    if sample is None:
        return [(line, offset)]
    if sample.metric == name:
        for series in all_series:
            if all(sample.tags.get(key) == value for key, value in series.tags):
                series.values.append(sample.value)
    return []  # else another metric, with the name somewhere else in the line


def in_file_order(block: Block, plan: Plan, escaped: list[tuple[int, int]]) -> list[Declared]:
    """The careful path: every line that holds a planned name, and the ``escaped`` lines
    (which may spell one), decoded in file order."""
    data, end = block.data, block.end
    starts = {start for start, _ in escaped}
    for needle in (raw_name(name) for name in plan):
        at = data.find(needle, 0, end)
        while at >= 0:
            start, stop = block.line_at(at)
            starts.add(start)
            at = data.find(needle, stop, end)
    declared: list[Declared] = []
    for start in sorted(starts):
        stop = data.find(b"\n", start)
        offset = block.file_offset(start)
        line = lines.decode(data[start:stop], offset)
        sample = lines.point(line, offset)
        if sample is None:
            if line.get("metric") in plan:
                declared.append((line, offset))
            continue
        for series in plan.get(sample.metric, ()):
            if all(sample.tags.get(key) == value for key, value in series.tags):
                series.values.append(sample.value)
    return declared
