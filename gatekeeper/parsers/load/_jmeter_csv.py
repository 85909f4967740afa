"""JMeter CSV results: the header line, and the standard-library reader.

JMeter writes the column names it was configured to save, in its own order,
separated by ``jmeter.save.saveservice.default_delimiter`` (comma, tab,
semicolon, pipe, ...). The header decides which columns are read; the first
name is always one of JMeter's, so the character after it is the delimiter.

``read`` hands the file to the Arrow engine when pyarrow is installed and uses
this module's ``csv``-based reader otherwise, or whenever the Arrow engine gives
up (malformed rows, unusual values): that reader accepts and rejects exactly
what the Arrow engine does and says where a file is wrong. It runs the fast loop
of ``_jmeter_rows`` first, and its own careful loop only where that one gives up.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import SEEK_END
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers._text import decode_line
from gatekeeper.parsers.load import _jmeter_arrow, _jmeter_lines, _jmeter_rows, _jmeter_tally
from gatekeeper.parsers.load._jmeter_tally import MAX_DIGITS, Tally, is_millis

COLUMNS = (
    "timeStamp", "elapsed", "label", "responseCode", "responseMessage", "threadName",
    "dataType", "success", "failureMessage", "bytes", "sentBytes", "grpThreads", "allThreads",
    "URL", "Filename", "Latency", "Encoding", "SampleCount", "ErrorCount", "Hostname",
    "IdleTime", "Connect",
)  # fmt: skip
"""The column names JMeter writes (sample variables may follow them)."""
MAX_LINE = 1 << 20
"""A physical line longer than this is not a results row."""
MAX_FIELD = 16 << 20
"""A quoted field (a failure message spanning lines) longer than this is not one either."""

ARROW_FROM_BYTES = 8 << 20
"""Below this the csv reader finishes before pyarrow would have been imported."""

_KNOWN = frozenset(COLUMNS)
_FIRST_NAME = re.compile(r"[A-Za-z]+")
_BOM = "\ufeff"


@dataclass(frozen=True)
class Header:
    """The columns a results file declares, and where the ones gatekeeper reads are."""

    names: tuple[str, ...]
    delimiter: str
    label: int
    elapsed: int | None
    success: int | None
    timestamp: int | None


def sniff(head: bytes) -> Header | None:
    """The header at the start of ``head``, or None when it does not start with one."""
    line = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").removeprefix(_BOM)
    return _header(line.rstrip("\r"))


def _header(line: str) -> Header | None:
    first = _FIRST_NAME.match(line)
    if first is None or first.group() not in _KNOWN:
        return None
    delimiter = line[first.end() : first.end() + 1] or ","
    if delimiter.isalnum() or delimiter in "\"'_ ":
        return None
    names = tuple(line.split(delimiter))
    known = [n for n in names if n in _KNOWN]
    if "label" not in names or (len(names) > 1 and len(known) < 2):
        return None

    def index(name: str) -> int | None:
        return names.index(name) if name in names else None

    return Header(
        names, delimiter, names.index("label"), index("elapsed"), index("success"),
        index("timeStamp"),
    )  # fmt: skip


def read_header(path: Path, display: str) -> Header:
    """The file's header, or an error saying what a JMeter results file starts with."""
    try:
        with path.open("rb") as handle:
            raw = handle.readline(MAX_LINE + 1)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    line = decode_line(raw, display, 1).removeprefix(_BOM).rstrip("\r\n")
    header = _header(line)
    if header is not None:
        return header
    where = Position(display, 1, 1)
    if _FIRST_NAME.match(line) and "label" not in line:
        raise EvidenceError(where, "the header names no label column, which names the series")
    raise EvidenceError(
        where,
        "no header line: JMeter CSV results must start with the column names, such as "
        + ",".join((*COLUMNS[:3], "success"))
        + " (set jmeter.save.saveservice.print_field_names=true)",
    )


def read(path: Path, display: str) -> Tally:
    """Add up a CSV results file, with Arrow when it is installed and can take the file."""
    header = read_header(path, display)
    _check_last_line_end(path, display)
    try:
        large = path.stat().st_size >= ARROW_FROM_BYTES
    except OSError:
        large = False
    tally = _jmeter_arrow.read(path, header) if large else None
    return tally or read_python(path, display, header)


def _check_last_line_end(path: Path, display: str) -> None:
    """JMeter ends every row with a line end: a last row without one was cut off."""
    try:
        with path.open("rb") as handle:
            handle.seek(-1, SEEK_END)
            if handle.read(1) == b"\n":
                return
            handle.seek(0)
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    message = "the last row has no line end: the file is truncated"
    raise EvidenceError(Position(display, lines + 1), message)


def read_python(path: Path, display: str, header: Header) -> Tally:
    """Add up a CSV results file with the ``csv`` module, naming the line of any problem.

    The fast loop (``_jmeter_rows``) reads it first; where it gives up, the careful loop
    below reads the file again and says where it is wrong.
    """
    tally = Tally(
        timed=header.elapsed is not None,
        flagged=header.success is not None,
        spanned=header.elapsed is not None and header.timestamp is not None,
    )
    previous_limit = csv.field_size_limit(MAX_FIELD)
    try:
        with path.open("rb") as handle:
            handle.readline(MAX_LINE + 1)  # the header, already read
            found = _jmeter_rows.read(_jmeter_lines.lines(handle, display, MAX_LINE), header)
            if found is not None:
                return found
            handle.seek(0)
            handle.readline(MAX_LINE + 1)
            _add_rows(tally, header, _jmeter_lines.lines(handle, display, MAX_LINE), display)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    finally:
        csv.field_size_limit(previous_limit)
    return tally


def _add_rows(tally: Tally, header: Header, lines: Iterator[str], display: str) -> None:
    reader = csv.reader(lines, delimiter=header.delimiter, strict=False)
    width, success, elapsed, stamp = (
        len(header.names), header.success, header.elapsed, header.timestamp
    )  # fmt: skip
    first_row = True
    line = 2
    try:
        for row in reader:
            if len(row) != width:
                if row:
                    raise _width_error(display, line, width, len(row))
                line = reader.line_num + 2
                continue
            if first_row and stamp is not None and not is_millis(row[stamp]):
                tally.spanned = False  # a formatted timeStamp: no throughput, not an error
            first_row = False
            series = tally.get(row[header.label])
            if series is None:
                raise EvidenceError(
                    Position(display, line), f"more than {_jmeter_tally.MAX_LABELS} distinct labels"
                )
            series.count += 1
            if success is not None and row[success] != "true":
                if row[success] != "false":
                    raise EvidenceError(
                        Position(display, line), f"success is {_shown(row[success])}, expected "
                        "true or false"
                    )  # fmt: skip
                series.fails += 1
            if elapsed is not None:
                ms = _millis(row, elapsed, header, display, line)
                series.elapsed[ms] += 1
                if tally.spanned and stamp is not None:
                    start = _millis(row, stamp, header, display, line)
                    series.span(start, start + ms)
            line = reader.line_num + 2
    except csv.Error as exc:
        raise EvidenceError(Position(display, line), f"malformed CSV: {exc}") from exc


def _millis(row: list[str], index: int, header: Header, display: str, line: int) -> int:
    text = row[index]
    if not is_millis(text):
        raise EvidenceError(
            Position(display, line),
            f"{header.names[index]} is {_shown(text)}, expected whole milliseconds "
            f"(at most {MAX_DIGITS} digits)",
        )
    return int(text)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _width_error(display: str, line: int, width: int, found: int) -> EvidenceError:
    hint = " (is the file truncated?)" if found < width else ""
    return EvidenceError(
        Position(display, line),
        f"expected {width} fields as the header names, found {found}{hint}",
    )
