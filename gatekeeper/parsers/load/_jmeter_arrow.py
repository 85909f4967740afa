"""The fast engine for JMeter CSV results: pyarrow's streaming CSV reader, when installed.

A results file can hold millions of rows; the ``csv`` module spends a few
microseconds on each. Arrow parses blocks of the file in C++ on every core and
adds them up column-wise, so Python only sees the distinct (label, elapsed) pairs
of each group of blocks. Memory stays flat: a group of blocks is read at a time
and only the per-label histograms are kept.

The engine is an accelerator, never a judge: anything it is unsure of (a value
that is not plain digits, a success flag neither ``true`` nor ``false``, a malformed
row, an unreadable byte) makes it give up
and return None, and the ``csv`` reader reads the file instead, so a verdict
never depends on whether pyarrow is installed.
"""

from __future__ import annotations

import importlib
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gatekeeper.parsers.load._jmeter_tally import MAX_DIGITS, MAX_LABELS, Tally, is_millis

if TYPE_CHECKING:
    from gatekeeper.parsers.load._jmeter_csv import Header

BLOCK_BYTES = 1 << 20
"""Arrow's unit of parsing; small blocks keep its read-ahead (one per core) small."""
PENDING_ROWS = 200_000
"""Rows gathered before they are added up, so a histogram sees each pair once per group."""


class _GiveUp(Exception):
    """The file needs the ``csv`` reader's judgement."""


def available() -> bool:
    """Whether pyarrow can be imported here."""
    try:
        importlib.import_module("pyarrow.csv")
    except ImportError:
        return False
    return True


def read(path: Path, header: Header) -> Tally | None:
    """The file's tally, or None when pyarrow is missing or the file needs the ``csv`` reader."""
    if len(set(header.names)) != len(header.names) or not available():
        return None  # duplicate names would make Arrow's column choice ambiguous
    not_for_arrow = _not_for_arrow()
    try:
        return _read(path, header)
    except not_for_arrow:
        return None


def _not_for_arrow() -> tuple[type[Exception], ...]:
    """What means "this file is not for Arrow", so the csv reader judges it.

    ``ArrowInvalid`` is Arrow's verdict on the content (a row of the wrong width, bytes
    that are not UTF-8, a field straddling blocks); ``OSError`` (Arrow's ``ArrowIOError``)
    is a file it cannot read, which the csv reader reports with its reason. Anything else
    (a ``TypeError``, ``ArrowNotImplementedError``, ``ArrowTypeError``) is a bug in this
    module and propagates rather than hiding behind the slower reader.
    """
    invalid: type[Exception] = importlib.import_module("pyarrow").ArrowInvalid
    return (_GiveUp, invalid, OSError)


def _read(path: Path, header: Header) -> Tally:
    pa: Any = importlib.import_module("pyarrow")
    pcsv: Any = importlib.import_module("pyarrow.csv")
    wanted = {
        "label": header.label,
        "elapsed": header.elapsed,
        "success": header.success,
        "stamp": header.timestamp,
    }
    columns = {role: header.names[i] for role, i in wanted.items() if i is not None}
    tally = Tally(
        timed="elapsed" in columns,
        flagged="success" in columns,
        spanned="elapsed" in columns and "stamp" in columns,
    )
    reader = pcsv.open_csv(
        path,
        read_options=pcsv.ReadOptions(
            column_names=list(header.names), skip_rows=1, block_size=BLOCK_BYTES
        ),
        parse_options=pcsv.ParseOptions(
            delimiter=header.delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=True,
        ),
        convert_options=pcsv.ConvertOptions(
            include_columns=list(columns.values()),
            column_types={name: pa.string() for name in columns.values()},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=True,
        ),
    )
    pending: list[Any] = []
    rows = 0
    first_row = True
    for batch in reader:
        if first_row and batch.num_rows:
            first_row = False
            if tally.spanned:  # a formatted timeStamp: no throughput, as the csv reader says
                tally.spanned = is_millis(batch.column(columns["stamp"])[0].as_py())
        pending.append(batch)
        rows += batch.num_rows
        if rows >= PENDING_ROWS:
            _add(tally, _columns(pa.Table.from_batches(pending), columns, tally))
            pending, rows = [], 0
    if pending:
        _add(tally, _columns(pa.Table.from_batches(pending), columns, tally))
    return tally


def _columns(table: Any, columns: dict[str, str], tally: Tally) -> Any:
    """The rows as (label, fail, ms, start, end), after the checks the csv reader makes.

    Checked and added up a group of blocks at a time: each compute call costs Python
    some microseconds, which per block would add up to a good part of the run.
    """
    pa: Any = importlib.import_module("pyarrow")
    pc: Any = importlib.import_module("pyarrow.compute")
    labels = table.column(columns["label"])
    for label in pc.unique(labels).to_pylist():  # first-seen order, as the csv reader has it
        if tally.get(label) is None:
            raise _GiveUp(f"more than {MAX_LABELS} labels")
    prepared: dict[str, Any] = {"label": labels}
    if tally.flagged:
        flags = table.column(columns["success"])
        if pc.all(pc.is_in(flags, value_set=pa.array(["true", "false"]))).as_py() is False:
            raise _GiveUp("a success flag neither true nor false")
        prepared["fail"] = pc.not_equal(flags, "true")
    if tally.timed:
        prepared["ms"] = _millis(table.column(columns["elapsed"]))
        if tally.spanned:
            start = _millis(table.column(columns["stamp"]))
            prepared["start"] = start
            prepared["end"] = pc.add(start, prepared["ms"])
    return pa.table(prepared)


def _millis(strings: Any) -> Any:
    """Plain digits as int64, as the csv reader accepts them; anything else gives up."""
    pa: Any = importlib.import_module("pyarrow")
    pc: Any = importlib.import_module("pyarrow.compute")
    if len(strings) and (
        pc.all(pc.ascii_is_decimal(strings)).as_py() is not True
        or pc.max(pc.binary_length(strings)).as_py() > MAX_DIGITS
    ):
        raise _GiveUp("not whole milliseconds")
    return pc.cast(strings, pa.int64())


def _add(tally: Tally, table: Any) -> None:
    """Fold a group of batches into the per-label histograms, counts and spans."""
    aggregates: list[tuple[Any, str]] = [([], "count_all")]
    if tally.flagged:
        aggregates.append(("fail", "sum"))
    if tally.spanned:
        aggregates += [("start", "min"), ("end", "max")]
    per_label = table.group_by("label", use_threads=False).aggregate(aggregates).to_pydict()
    for index, label in enumerate(per_label["label"]):
        series = tally.series[label]
        series.count += per_label["count_all"][index]
        if tally.flagged:
            series.fails += per_label["fail_sum"][index]
        if tally.spanned:
            series.span(per_label["start_min"][index], per_label["end_max"][index])
    if tally.timed:
        pairs = table.group_by(["label", "ms"], use_threads=False).aggregate([([], "count_all")])
        grouped = pairs.to_pydict()
        found: dict[str, Counter[int]] = {}
        for label, ms, seen in zip(
            grouped["label"], grouped["ms"], grouped["count_all"], strict=True
        ):
            histogram = found.get(label)
            if histogram is None:
                histogram = found[label] = tally.series[label].elapsed
            histogram[ms] += seen
