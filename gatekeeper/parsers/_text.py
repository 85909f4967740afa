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
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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

Row = tuple[int, list[str]]
"""A CSV record and the line it starts on."""

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
"""A finite number as a tool prints it: ``nan``, ``inf`` and words are never one."""
_NUMBER = re.compile(NUMBER)


@dataclass(frozen=True)
class RecordShape:
    """One kind of line a text format reads values from, as the format states it.

    ``whole`` is the complete line as the tool prints it, every number in it finite (built
    from NUMBER). ``marks`` finds what only such a line carries: how it starts, or a label
    the parser knows. A line that no shape reads whole but one marks is a record the parser
    recognises and cannot read: ``read_record`` refuses it rather than skip it, since the
    records left (a flipped byte dropped a sample, ``nan`` dropped an error count) could
    pass where the whole evidence fails.
    """

    what: str
    """What the line is, for the message: "benchmark result"."""
    marks: re.Pattern[str]
    """Searched for in the line."""
    whole: re.Pattern[str]
    """Matched against the whole line (its line end removed)."""
    expected: str
    """The line's shape in words, for the message."""


def record_shape(what: str, marks: str, whole: str, expected: str) -> RecordShape:
    """A RecordShape from its patterns' text."""
    return RecordShape(what, re.compile(marks), re.compile(whole), expected)


def read_record(
    shapes: Sequence[RecordShape], line: str, display: str, number: int
) -> tuple[RecordShape, re.Match[str]] | None:
    """The first shape that reads the line whole, with its match; None when none does and
    none marks it; an error at the line when a shape marks it but none reads it."""
    for shape in shapes:
        found = shape.whole.fullmatch(line)
        if found is not None:
            return shape, found
    broken = next((shape for shape in shapes if shape.marks.search(line)), None)
    if broken is None:
        return None
    shown = line.strip()
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    message = f"cannot read this {broken.what} line: {shown!r}; expected {broken.expected}"
    raise line_error(display, number, message)


def strict_number(text: str) -> float | None:
    """A finite number written as tools write one, else None (``1_000``, `` 5``, ``nan``
    and ``Infinity`` are not, though ``float`` reads them; nor is ``1e999``)."""
    if _NUMBER.fullmatch(text) is None:
        return None
    value = float(text)
    return value if math.isfinite(value) else None


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
    a line end (``\\n``) is refused: the file is truncated, and what it holds of that
    record is not the record.
    """
    where = [0]
    for text in _texts(path, display, where, max_line, max_bytes, skip_overlong):
        yield where[0], text


def _texts(
    path: Path,
    display: str,
    where: list[int],
    max_line: int,
    max_bytes: int | None,
    skip_overlong: bool,
) -> Iterator[str]:
    """The lines of ``terminated_lines``, their number kept in ``where[0]``: a reader that
    numbers its records itself (csv) takes the texts alone, at no cost per line."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    cap = max_bytes if max_bytes is not None else float("inf")
    with handle:
        total = number = 0
        while True:
            try:
                raw = handle.readline(max_line + 1)
            except OSError as exc:
                message = f"cannot read: {exc.strerror or exc}"
                raise EvidenceError(Position(display, number + 1), message) from exc
            if not raw:
                return
            number += 1
            total += len(raw)
            if total > cap:
                limit = int(cap) // (1024 * 1024)
                raise EvidenceError(
                    Position(display, number),
                    f"file is larger than {limit} MiB; this is not a benchmark summary",
                )
            if raw[-1] != 0x0A:  # rare: an overlong line to skip, or the last line cut short
                _unended(handle, raw, display, number, max_line, skip_overlong)
                continue
            if number == 1:
                raw = raw.removeprefix(_BOM)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = decode_line(raw, display, number)  # raises, naming the column
            where[0] = number
            yield text


def _unended(
    handle: BinaryIO, raw: bytes, display: str, number: int, max_line: int, skip: bool
) -> None:
    """A line readline returned without its \\n: skipped to its end when overlong and ``skip``,
    or an error (too long, or the last line cut short). A file ending in a bare \\r is cut
    short too: a CRLF file cut between its \\r and \\n, or a progress line never finished."""
    if len(raw) > max_line:
        if not skip:
            raise EvidenceError(Position(display, number), f"line is longer than {max_line} bytes")
        while (rest := handle.readline(max_line)) and not rest.endswith(b"\n"):
            pass
        if rest:
            return
    raise EvidenceError(
        Position(display, number), "the last line has no line end: the file is truncated"
    )


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
    reader = csv.reader(_texts(path, display, [0], max_line, None, False), strict=True)
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
