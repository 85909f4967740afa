"""The lines of a JMeter CSV file after its header, decoded a block at a time.

``csv.reader`` parses rows in C; feeding it one ``readline`` and one ``decode`` per line
cost as much again. Here a block of whole lines is decoded at once and split at ``\\n``
only (``str.splitlines`` also splits at ``\\r``, ``\\x85``, ``\\u2028``..., so a block holding
any of those is split by ``io.StringIO``, which does not), giving ``csv`` the very lines
``readline`` gives. What the line by line reader refuses is refused here at the same
line: a block that is not UTF-8, or that may hold a line longer than the limit, is read
line by line, and a line without its end past the limit is refused where it starts.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import BinaryIO

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers._text import decode_line

BLOCK_BYTES = 4 << 20
"""Bytes decoded at a time."""

_ASCII_BREAKS = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
"""What ``str.splitlines`` splits at besides ``\\n`` and ``\\r`` in ASCII (searched as bytes:
one ``memchr`` pass each, far quicker than one search for any of them)."""
_OTHER_BREAKS = (*_ASCII_BREAKS, *(c.encode() for c in "\x85\u2028\u2029"))
"""The same in UTF-8 text."""


def lines(handle: BinaryIO, display: str, max_line: int, first: int = 2) -> Iterator[str]:
    """Each line from the handle's position on (line ``first``), its line end kept."""
    return chain.from_iterable(_blocks(handle, display, max_line, first))


def _blocks(handle: BinaryIO, display: str, max_line: int, number: int) -> Iterator[Iterable[str]]:
    carry = b""
    while chunk := handle.read(BLOCK_BYTES):
        data = carry + chunk
        end = data.rfind(b"\n") + 1
        carry = data[end:]
        whole = data[:end]
        yield _split(whole, display, max_line, number)
        number += whole.count(b"\n")
        if len(carry) > max_line:
            yield _one_by_one(carry, display, max_line, number)
    if carry:
        yield _one_by_one(carry, display, max_line, number)


def _split(data: bytes, display: str, max_line: int, number: int) -> Iterable[str]:
    if _may_hold_a_long_line(data, max_line):
        return _one_by_one(data, display, max_line, number)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _one_by_one(data, display, max_line, number)
    breaks = _ASCII_BREAKS if data.isascii() else _OTHER_BREAKS
    lone_cr = b"\r" in data and data.count(b"\r") != data.count(b"\r\n")
    if lone_cr or any(b in data for b in breaks):
        return io.StringIO(text)  # splitlines would split where readline does not
    return text.splitlines(keepends=True)


def _may_hold_a_long_line(data: bytes, max_line: int) -> bool:
    """Whether a stretch of ``max_line // 2`` bytes holds no line end, as in every line
    longer than ``max_line`` (and some shorter ones, which the line by line path reads)."""
    half = max(1, max_line // 2)
    return any(data.find(b"\n", at, at + half) < 0 for at in range(0, len(data) - half + 1, half))


def _one_by_one(data: bytes, display: str, max_line: int, number: int) -> Iterator[str]:
    """The lines of ``data`` as ``readline(max_line + 1)`` and ``decode_line`` give them."""
    at = 0
    while at < len(data):
        stop = data.find(b"\n", at, at + max_line + 1)
        stop = len(data) if stop < 0 else stop + 1
        raw = data[at:stop]
        if len(raw) > max_line:
            message = f"line longer than {max_line // 1024} KiB; this is not a results row"
            raise EvidenceError(Position(display, number), message)
        yield decode_line(raw, display, number)
        at = stop
        number += 1
