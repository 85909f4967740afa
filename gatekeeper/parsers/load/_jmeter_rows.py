"""The standard-library engine's fast loop for JMeter CSV: plain lines split, not parsed.

A line without a quote, a carriage return or a NUL is a record ``csv.reader`` would
read as ``line.split(delimiter)``: nothing in it can quote, escape or end a field. JMeter
quotes only the fields that need it (a failure message over several lines, a label with
a comma), so nearly every line is plain, and ``str.split`` costs a fraction of the csv
state machine. The other lines are read by ``csv.reader`` from the same line iterator,
which takes as many lines as the quoted record spans.

An accelerator, never a judge: anything the careful reader (``_jmeter_csv``) would
report (a row of the wrong width, a flag neither ``true`` nor ``false``, a value that is
not whole milliseconds, too many labels, malformed CSV) makes ``read`` return None, and
the careful reader reads the file again and says where it is wrong.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import chain
from typing import TYPE_CHECKING

from gatekeeper.parsers.load._jmeter_tally import MAX_DIGITS, Tally, is_millis

if TYPE_CHECKING:
    from gatekeeper.parsers.load._jmeter_csv import Header

_SEEN = 100_000
"""Distinct elapsed texts remembered (a cap: a crafted file cannot grow the memo past it)."""


class _Careful(Exception):
    """The file needs the careful reader's judgement."""


def read(lines: Iterator[str], header: Header) -> Tally | None:
    """Add up the rows of ``lines`` (the file after its header); None if the careful reader
    must read the file."""
    tally = Tally(
        timed=header.elapsed is not None,
        flagged=header.success is not None,
        spanned=header.elapsed is not None and header.timestamp is not None,
    )
    try:
        _add_rows(tally, header, lines)
    except (_Careful, csv.Error):
        return None
    return tally


def _add_rows(tally: Tally, header: Header, lines: Iterator[str]) -> None:
    """The careful reader's loop (``_jmeter_csv._add_rows``) without its line bookkeeping,
    taking plain lines apart itself (inlined: a generator between would cost a tenth)."""
    width, success, elapsed = len(header.names), header.success, header.elapsed
    at_label, by_label = header.label, tally.series
    at_stamp = -1 if header.timestamp is None else header.timestamp
    seen: dict[str, int] = {}
    spanned, first_row = tally.spanned, True
    delimiter = header.delimiter
    for line in lines:
        if '"' in line or "\r" in line or "\x00" in line:
            row = next(csv.reader(chain((line,), lines), delimiter=delimiter, strict=False))
        elif line == "\n":  # a blank line is no row, as for csv.reader
            continue
        else:
            row = line.rstrip("\n").split(delimiter)
        if len(row) != width:
            if row:
                raise _Careful
            continue
        if first_row:
            if at_stamp >= 0 and not is_millis(row[at_stamp]):
                tally.spanned = spanned = False  # a formatted timeStamp: not an error
            first_row = False
        series = by_label.get(row[at_label]) or tally.get(row[at_label])
        if series is None:
            raise _Careful
        series.count += 1
        if success is not None and row[success] != "true":
            if row[success] != "false":
                raise _Careful
            series.fails += 1
        if elapsed is not None:
            ms = seen.get(row[elapsed])
            if ms is None:
                if not is_millis(row[elapsed]):
                    raise _Careful
                ms = int(row[elapsed])
                if len(seen) < _SEEN:
                    seen[row[elapsed]] = ms
            series.elapsed[ms] += 1
            if spanned:
                text = row[at_stamp]
                if not (text.isdigit() and text.isascii() and len(text) <= MAX_DIGITS):
                    raise _Careful
                start = int(text)
                if series.first is None or start < series.first:
                    series.first = start
                if series.last is None or start + ms > series.last:
                    series.last = start + ms
