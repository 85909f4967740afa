"""The one line and row reader of the text formats, and helpers they share.

Console outputs (wrk, Benchmark.js, cargo bench, Catch2, Criterion, vegeta's text report,
``go test -bench``) and CSV files (Locust) are all read through ``terminated_lines``: bounded
(a cap on the file and on each line, so a hostile or runaway log cannot exhaust memory),
strictly UTF-8, with the line number in every error. Every record a tool writes ends with a
line end, so a last line without one is a file cut short — ``…,21`` cut to ``…,2`` — and is
refused here, once for every format, before any parser could read it as a shorter number.
"""

from __future__ import annotations

import csv
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
_LINE_ENDS = (b"\n", b"\r")
# Colour codes appear when a tool thought it was writing to a terminal.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

TIME_SCALE: dict[str, float] = {
    "ps": 1e-12,
    **{unit: factor for unit, (dim, factor) in UNITS.items() if dim is Dimension.TIME},
}
"""Time unit spelling -> seconds; Criterion also prints picoseconds."""

Row = tuple[int, list[str]]
"""A CSV record and the line it starts on."""


def head_lines(head: bytes) -> list[str]:
    """The complete lines of a sniffed head, for detection by line shape."""
    text = _ANSI.sub("", head.removeprefix(_BOM).decode("utf-8", errors="replace"))
    lines = re.split(r"\r\n|\r|\n", text)
    if len(head) >= SNIFF_BYTES and not text.endswith(("\n", "\r")):
        lines.pop()  # cut off mid-line: half a line could look like anything
    return lines


def terminated_lines(
    path: Path,
    display: str,
    *,
    max_line: int = MAX_LINE,
    max_bytes: int | None = MAX_BYTES,
    skip_overlong: bool = False,
) -> Iterator[tuple[int, str]]:
    """(line number, text with its line end) of each line, decoded strictly as UTF-8.

    A line longer than ``max_line`` is refused, or skipped (to its end) with
    ``skip_overlong``; a file larger than ``max_bytes`` is refused. A last line without
    a line end (``\\n``, or ``\\r`` as progress output ends) is refused: the file is
    truncated, and what it holds of that record is not the record.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    with handle:
        total = 0
        for number in itertools.count(1):
            try:
                raw = handle.readline(max_line + 1)
            except OSError as exc:
                message = f"cannot read: {exc.strerror or exc}"
                raise EvidenceError(Position(display, number), message) from exc
            if not raw:
                return
            total += len(raw)
            if max_bytes is not None and total > max_bytes:
                limit = max_bytes // (1024 * 1024)
                raise EvidenceError(
                    Position(display, number),
                    f"file is larger than {limit} MiB; this is not a benchmark summary",
                )
            overlong = len(raw) > max_line and not raw.endswith(b"\n")
            if overlong and not skip_overlong:
                raise EvidenceError(
                    Position(display, number), f"line is longer than {max_line} bytes"
                )
            if overlong:
                while (rest := handle.readline(max_line)) and not rest.endswith(b"\n"):
                    raw = rest
                raw = rest or raw
            if not raw.endswith(_LINE_ENDS):
                raise EvidenceError(
                    Position(display, number),
                    "the last line has no line end: the file is truncated",
                )
            if overlong:
                continue
            if number == 1:
                raw = raw.removeprefix(_BOM)
            yield number, decode_line(raw, display, number)


def read_lines(path: Path, display: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line of a console log, colour codes removed.

    Carriage returns (progress output overwritten in place) also end a line.
    """
    for number, text in terminated_lines(path, display):
        for part in re.split(r"\r\n|\r|\n", text.rstrip("\r\n")):
            yield number, _ANSI.sub("", part)


def csv_rows(path: Path, display: str, max_line: int) -> Iterator[Row]:
    """The non-blank records of a CSV file with the line each starts on (quoted fields may
    span lines); a quote left open at the end is a truncated file, like a missing line end."""
    lines = terminated_lines(path, display, max_line=max_line, max_bytes=None)
    reader = csv.reader((text for _, text in lines), strict=True)
    start = 1
    try:
        for row in reader:
            if row:
                yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise EvidenceError(Position(display, start), f"malformed CSV: {exc}") from exc


def fixed_width(rows: Iterator[Row], width: int, display: str) -> Iterator[Row]:
    """The records, each checked to have as many fields as the header names."""
    for line, row in rows:
        if len(row) != width:
            hint = " (is the file truncated?)" if len(row) < width else ""
            raise EvidenceError(
                Position(display, line),
                f"expected {width} fields as the header names, found {len(row)}{hint}",
            )
        yield line, row


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
