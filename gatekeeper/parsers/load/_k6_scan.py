"""The hot loop over a block of k6 lines: the requested metrics' samples, read exactly.

A line can only be a sample of metric NAME if it holds NAME's bytes, or spells one of
its characters with a JSON escape. Those lines, and no others, are read:

- the lines with NAME's bytes are gathered, and one ``findall`` of k6's own spelling of
  a NAME sample (``_k6_layout``) runs over them: when every one of them matches, each is
  proven valid JSON and its value and tags are read from the match, as ``json.loads``
  reads them. Otherwise (a declaration, another spelling, NAME in another metric's tag,
  a broken line) the block's lines are taken one at a time (``_k6_lines_read``).
- a line with such an escape (searched for only where the block holds a backslash,
  which k6 output rarely does) is decoded unless it is in k6's spelling, which names
  its metric in plain bytes; if it names a requested metric without its bytes, the
  block goes to the careful path, which decodes every candidate line in file order.

The lines of other metrics are not decoded: that is where the speed comes from.
"""

from __future__ import annotations

import math
from itertools import compress, repeat
from operator import add as add_int
from operator import and_, ge, itemgetter

from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_layout import (
    escapes_of,
    in_layout,
    raw_name,
    samples_of,
    utf8,
)
from gatekeeper.parsers.load._k6_lines import Block
from gatekeeper.parsers.load._k6_lines_read import (
    Declared,
    Plan,
    holds,
    in_file_order,
    line_by_line,
)
from gatekeeper.parsers.load._k6_series import Series


def collect(block: Block, plan: Plan) -> list[Declared]:
    """Add the samples of the planned metrics in ``block`` to their series.

    Returns the declaration lines met on the way (they name the metric too).
    """
    if _named_by_escapes_only(block, plan):
        return in_file_order(block, plan, _escaped_lines(block, plan))
    declared: list[Declared] = []
    for name, series in plan.items():
        if not _collect_at_once(block, name, series):
            declared += line_by_line(block, name, series)
    return declared


def _collect_at_once(block: Block, name: str, all_series: list[Series]) -> bool:
    """The lines naming ``name``, read by one ``findall``; False (nothing added) unless
    every one of them is a sample in k6's spelling with a finite value, in UTF-8."""
    patterns = samples_of(name)
    if patterns is None:
        return False
    data, end = block.data, block.end
    find, rfind = data.find, data.rfind
    raw = raw_name(name)
    named = []
    at = find(raw, 0, end)
    while at >= 0:
        stop = find(b"\n", at)
        named.append(data[rfind(b"\n", 0, at) + 1 : stop])
        at = find(raw, stop, end)
    if not named:
        return True
    joined = b"\n" + b"\n".join(named) + b"\n"
    first, then = patterns.lines, patterns.old_lines
    if named[0].startswith(b'{"type":'):  # a stream in the older field order
        first, then = then, first
    samples = first.findall(joined)
    if len(samples) != len(named):  # both orders in one block, or something else
        samples = then.findall(joined)
        if len(samples) != len(named):
            return False
    numbers = [sample[0] for sample in samples]
    values = list(map(float, numbers))
    finite = max(values) < math.inf and min(values) > -math.inf
    if not finite or b"-0" in numbers or not (joined.isascii() or utf8(joined)):
        return False  # the line by line path reads -0 as 0 and says what else is wrong
    for series in all_series:
        if series.tags:
            _add_filtered(series, samples, values)
        else:
            series.values.extend(values)
    return True


def _add_filtered(
    series: Series, samples: list[tuple[bytes, bytes, bytes]], values: list[float]
) -> None:
    """Add the values of the samples whose tags hold the series' filter (``holds``)."""
    add = series.values.append
    if series.needles and len(series.needles) == 1:  # one tag, the common sub-metric: unrolled
        ((key, quoted),) = series.needles
        size = len(key)
        if not any(map(itemgetter(2), samples)):  # no escaped tags: the test below, in C
            every_tags: list[bytes] = list(map(itemgetter(1), samples))
            at = list(map(bytes.rfind, every_tags, repeat(key)))
            starts = map(add_int, at, repeat(size))
            held = map(bytes.startswith, every_tags, repeat(quoted), starts)
            series.values.extend(compress(values, map(and_, map(ge, at, repeat(0)), held)))
            return
        for (_, tags, escaped), value in zip(samples, values, strict=True):
            if escaped:
                if holds(series, tags, escaped):
                    add(value)
                continue
            key_at = tags.rfind(key)
            if key_at >= 0 and tags.startswith(quoted, key_at + size):
                add(value)
        return
    for (_, tags, escaped), value in zip(samples, values, strict=True):
        if holds(series, tags, escaped):
            add(value)


def _escaped_lines(block: Block, plan: Plan) -> list[tuple[int, int]]:
    """(start, stop) of each line with an escape that may spell a planned metric's name."""
    data, end = block.data, block.end
    at = data.find(b"\\", 0, end)
    if at < 0:
        return []
    search = escapes_of("".join(plan)).search
    found = []
    hit = search(data, at, end)
    while hit is not None:
        start, stop = block.line_at(hit.start())
        found.append((start, stop))
        hit = search(data, stop, end)
    return found


def _named_by_escapes_only(block: Block, plan: Plan) -> bool:
    """Whether a line names a planned metric through escapes only (not holding its bytes).

    Such lines are decoded unless in k6's spelling (so a broken one is reported here).
    """
    data = block.data
    for start, stop in _escaped_lines(block, plan):
        if in_layout(data, start):
            continue
        offset = block.file_offset(start)
        line = lines.decode(data[start:stop], offset)
        lines.point(line, offset)
        metric = line.get("metric")
        named = isinstance(metric, str) and metric in plan
        if named and data.find(raw_name(str(metric)), start, stop) < 0:
            return True
    return False
