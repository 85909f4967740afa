"""Helpers shared by the benchmark parsers: bounded line reading, numbers, units, p(N) keys.

Console outputs (wrk, Benchmark.js, cargo bench, Criterion, vegeta's text report) are read
line by line with a cap on the file size and on each line, so a hostile or runaway log
cannot exhaust memory; the line number goes into every error.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import SNIFF_BYTES
from gatekeeper.units import UNITS, Dimension

MAX_BYTES = 64 * 1024 * 1024
"""A console log larger than this is not a benchmark summary and is refused."""
MAX_LINE = 64 * 1024
"""Longer lines are refused rather than buffered."""

_BOM = b"\xef\xbb\xbf"
# Colour codes appear when a tool thought it was writing to a terminal.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

TIME_SCALE: dict[str, float] = {
    "ps": 1e-12,
    **{unit: factor for unit, (dim, factor) in UNITS.items() if dim is Dimension.TIME},
}
"""Time unit spelling -> seconds; Criterion also prints picoseconds."""


def head_lines(head: bytes) -> list[str]:
    """The complete lines of a sniffed head, for detection by line shape."""
    text = _ANSI.sub("", head.removeprefix(_BOM).decode("utf-8", errors="replace"))
    lines = re.split(r"\r\n|\r|\n", text)
    if len(head) >= SNIFF_BYTES and not text.endswith(("\n", "\r")):
        lines.pop()  # cut off mid-line: half a line could look like anything
    return lines


def read_lines(path: Path, display: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, decoded strictly as UTF-8, colour codes removed.

    Carriage returns (progress output overwritten in place) also end a line.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    with handle:
        total = 0
        for number in itertools.count(1):
            raw = handle.readline(MAX_LINE + 1)
            if not raw:
                return
            total += len(raw)
            if total > MAX_BYTES:
                limit = MAX_BYTES // (1024 * 1024)
                raise EvidenceError(
                    Position(display, number),
                    f"file is larger than {limit} MiB; this is not a benchmark summary",
                )
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                raise EvidenceError(
                    Position(display, number), f"line is longer than {MAX_LINE} bytes"
                )
            if number == 1:
                raw = raw.removeprefix(_BOM)
            text = decode_line(raw, display, number)
            for part in re.split(r"\r\n|\r|\n", text.rstrip("\r\n")):
                yield number, _ANSI.sub("", part)


def first_char(path: Path, display: str) -> str:
    """The first character that is not blank (or a BOM), to tell JSON from text."""
    try:
        with path.open("rb") as handle:
            start = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    stripped = start.removeprefix(_BOM).lstrip()
    return chr(stripped[0]) if stripped else ""


def decode_line(raw: bytes, display: str, number: int) -> str:
    """One line of a UTF-8 text file, or an error at its line and column."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = len(raw[: exc.start].decode("utf-8", errors="replace")) + 1
        where = Position(display, number, column)
        raise EvidenceError(where, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from exc


def number(text: str) -> float:
    """A number as consoles print it: thousands separators allowed (``1,234.5``)."""
    return float(text.replace(",", ""))


def pkey(rank: float) -> str:
    """The statistic name of a percentile, spelled as thresholds spell it: p(95), p(99.9)."""
    return f"p({int(rank) if float(rank).is_integer() else rank})"


def line_error(display: str, line: int, message: str, column: int | None = None) -> EvidenceError:
    """An error at a line (and column) of a text file."""
    return EvidenceError(Position(display, line, column), message)
