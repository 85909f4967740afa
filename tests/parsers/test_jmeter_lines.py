"""The JMeter CSV line source against ``readline`` + ``decode_line``, line by line.

Random bytes with every character ``str.splitlines`` splits at, CR LF pairs, lines near the
length limit and bytes that are not UTF-8, cut into blocks of any size: the lines given, or
the error and its line, must be those of the plain line by line read.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers._text import decode_line
from gatekeeper.parsers.load import _jmeter_lines
from tests.parsers.fuzz_budget import budget

PIECES = [
    b"a", b",", b'"', b"\n", b"\r\n", b"\r", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e",
    "\x85".encode(), "\u2028".encode(), "\u2029".encode(), "é".encode(), b"\xff", b"\xc3",
    b"x" * 7,
]  # fmt: skip
MAX_LINE = 16


def plain(content: bytes) -> list[str] | tuple[int, str]:
    """What a readline(MAX_LINE + 1) and decode_line per line give: lines, or the error."""
    handle, found, number = io.BytesIO(content), [], 2
    try:
        while raw := handle.readline(MAX_LINE + 1):
            if len(raw) > MAX_LINE:
                return (number, "too long")
            found.append(decode_line(raw, "f", number))
            number += 1
    except EvidenceError as exc:
        return (exc.position.line or 0, exc.message)
    return found


def blockwise(content: bytes) -> list[str] | tuple[int, str]:
    found: list[str] = []
    try:
        found.extend(_jmeter_lines.lines(io.BytesIO(content), "f", MAX_LINE))
    except EvidenceError as exc:
        message = "too long" if "longer than" in exc.message else exc.message
        return (exc.position.line or 0, message)
    return found


@budget(examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=80), st.integers(1, 40))
def test_lines_are_those_readline_gives(pieces: list[bytes], block: int) -> None:
    content = b"".join(pieces)
    saved = _jmeter_lines.BLOCK_BYTES
    _jmeter_lines.BLOCK_BYTES = block
    try:
        assert blockwise(content) == plain(content)
    finally:
        _jmeter_lines.BLOCK_BYTES = saved


@pytest.mark.parametrize("line", [b"x" * 15 + b"\n", b"x" * 16 + b"\n", b"x" * 40 + b"\n"])
def test_the_length_limit_is_the_line_readers(line: bytes) -> None:
    content = b"a\n" * 30 + line + b"b\n"
    assert blockwise(content) == plain(content)
