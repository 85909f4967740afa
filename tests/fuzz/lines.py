"""Line- and row-based text: where lines and CSV records start, and numbers in free text."""

from __future__ import annotations

import csv
import io
import re

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
DELIMITERS = ",;\t|"


def line_starts(text: str) -> list[int]:
    """Offsets where a line starts (0, and after every LF except a final one)."""
    return [0, *(i + 1 for i, c in enumerate(text) if c == "\n" and i + 1 < len(text))]


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, its line end included."""
    starts = line_starts(text) if text else []
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def numbers(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of numbers standing on their own (not inside a word such as ``group1``)."""
    stop = len(text) if end is None else end
    return [(m.start(), m.end()) for m in _NUMBER.finditer(text, start, stop)]


def delimiter(text: str) -> str:
    """The delimiter of a CSV file: the candidate seen most often in its header line."""
    header = text.split("\n", 1)[0]
    return max(DELIMITERS, key=header.count)


def csv_records(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, fields) of every CSV record, a quoted field's line ends inside it."""
    spans = line_spans(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    records, line = [], 0
    try:
        for fields in reader:
            first, line = line, reader.line_num
            records.append((spans[first][0], spans[line - 1][1], fields))
    except (csv.Error, IndexError):  # an unfinished quote: no record structure to offer
        return []
    return records


def quote_fields(text: str, record: tuple[int, int, list[str]], chosen: set[int]) -> str:
    """One record written again with the ``chosen`` fields (and any that need it) quoted."""
    start, end, fields = record
    sep = delimiter(text)
    raw = text[start:end]
    ending = raw[len(raw.rstrip("\r\n")) :]
    written = []
    for index, value in enumerate(fields):
        needs = any(c in value for c in (sep, '"', "\r", "\n"))
        if needs or (index in chosen and value):
            written.append('"' + value.replace('"', '""') + '"')
        else:
            written.append(value)
    return text[:start] + sep.join(written) + ending + text[end:]
