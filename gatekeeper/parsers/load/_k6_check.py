"""The lines of a k6 stream that are decoded whatever is asked, and the UTF-8 check.

The first line of the file is decoded (another format read as k6 says so at once), and
so are the first and the last sample line, whose times give the run's span. A search
for a pattern (``k6_ndjson``) finds its metrics among the ``Metric`` lines, each one
decoded here. Every byte of the stream must be UTF-8, checked a block at a time.
"""

from __future__ import annotations

from gatekeeper.parsers.load import _k6_lines as lines
from gatekeeper.parsers.load._k6_layout import escapes_of, in_layout
from gatekeeper.parsers.load._k6_lines import Block, LineError

Copied = tuple[bytes, int]
"""A line copied out of the block's buffer (which is reused), and its file offset."""
Declared = tuple[dict[str, object], int]


def check_utf8(block: Block) -> None:
    """Every line of the block is UTF-8."""
    data, end = block.data, block.end
    if data.isascii():  # the whole buffer: stale bytes past ``end`` at worst cost a decode
        return
    try:
        str(memoryview(data)[:end], "utf-8")
    except UnicodeDecodeError as exc:
        start, _ = block.line_at(exc.start)
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x})"
        raise LineError(block.file_offset(start), message) from exc


def first_point(block: Block) -> tuple[Copied | None, bool]:
    """The block's first sample line, and whether the block has a non-blank line.

    Every line up to that sample is decoded, so the file's first line always is.
    """
    data, end = block.data, block.end
    start, seen = 1, False
    while start < end:
        stop = data.find(b"\n", start)
        found = _point_line(block, start, stop)
        seen = seen or found is not False
        if found:
            return (bytes(data[start:stop]), block.file_offset(start)), True
        start = stop + 1
    return None, seen


def last_point(block: Block) -> Copied | None:
    """The block's last sample line (k6's last line nearly always is one)."""
    data = block.data
    stop = block.end - 1
    while stop > 0:
        start = data.rfind(b"\n", 0, stop) + 1
        if _point_line(block, start, stop):
            return bytes(data[start:stop]), block.file_offset(start)
        stop = start - 1
    return None


def _point_line(block: Block, start: int, stop: int) -> bool | None:
    """True for a sample line, None for a declaration, False for a blank line."""
    data = block.data
    if in_layout(data, start):
        return True
    line = data[start:stop]
    if lines.blank(line):
        return False
    offset = block.file_offset(start)
    return lines.point(lines.decode(line, offset), offset) is not None or None


def declarations(block: Block) -> list[Declared]:
    """Every ``Metric`` line of the block, in order: the lines holding ``Metric`` or an
    escape that may spell it, unless in k6's sample layout, are decoded."""
    data, end = block.data, block.end
    starts: set[int] = set()
    at = data.find(b"Metric", 0, end)
    while at >= 0:
        start, stop = block.line_at(at)
        starts.add(start)
        at = data.find(b"Metric", stop, end)
    if data.find(b"\\", 0, end) >= 0:
        hits = escapes_of("Metric").finditer(data, 0, end)
        starts.update(block.line_at(hit.start())[0] for hit in hits)
    found: list[Declared] = []
    for start in sorted(starts):
        if in_layout(data, start):
            continue
        stop = data.find(b"\n", start)
        offset = block.file_offset(start)
        line = lines.decode(data[start:stop], offset)
        if lines.point(line, offset) is None:
            found.append((line, offset))
    return found
