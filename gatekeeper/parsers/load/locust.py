"""Locust ``--csv=PREFIX`` outputs, each told apart by its header line.

- ``PREFIX_stats.csv``: one series per request row, named as Locust names it,
  tagged ``{method: Type}``; its ``Aggregated`` row has no type and no tags.
  Statistics: count, fails, error_rate, med/avg/min/max and every percentile
  column the run was configured with (``95%`` -> p(95)), in seconds,
  throughput (Requests/s) and avg_content_size (bytes).
- ``PREFIX_stats_history.csv``: the last row of each series, which carries the
  run's running totals (count, fails, error_rate, med/avg/min/max,
  avg_content_size). Its percentile and Requests/s columns describe only the
  last few seconds of the run, so they are not published as the run's p(N) or
  throughput: use ``_stats.csv`` for those.
- ``PREFIX_failures.csv``: fails per (method, name), summed over the error
  messages, and the Aggregated total. A request that never failed has no row.
- ``PREFIX_exceptions.csv`` is recognised and holds no series.

A glob may match all of one run's files: only the most complete is judged
(``evidence.RUN_FILES``), so ``_stats.csv`` when it is there.

"N/A" (Locust's word for no data) leaves a statistic out, and a series with no
requests has no statistics at all, so nothing can pass against it. Failed requests are
data (``fails``, ``error_rate``); a series whose every request failed also carries that as
a failure the tool recorded.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.freshness import shown
from gatekeeper.parsers._text import Row, csv_rows, fixed_width, strict_number
from gatekeeper.parsers._times import recorded_epoch
from gatekeeper.units import Dimension, Quantity

NAME = "locust"
HOLDS_NOTHING = (
    "Locust's PREFIX_exceptions.csv lists the exceptions of the run's users, no requests: "
    "point the artifact at PREFIX_stats.csv, which carries every request's counts, times, "
    "percentiles and throughput"
)
"""What ``inspect`` says of a file that holds no series (only ``_exceptions.csv`` does)."""

MAX_LINE = 1 << 20
"""A physical line longer than this is not a Locust row."""
MAX_SERIES = 10_000
"""More distinct request names than this is not a request list."""

_HEADERS: dict[str, tuple[str, ...]] = {
    "stats": ("Type", "Name", "Request Count", "Failure Count"),
    "history": ("Timestamp", "User Count", "Type", "Name"),
    "failures": ("Method", "Name", "Error", "Occurrences"),
    "exceptions": ("Count", "Message", "Traceback", "Nodes"),
}
_TIME = (Dimension.TIME, 1000.0)
_STATS_COLUMNS: dict[str, tuple[str, Dimension, float]] = {
    "Request Count": ("count", Dimension.COUNT, 1.0),
    "Failure Count": ("fails", Dimension.COUNT, 1.0),
    "Median Response Time": ("med", *_TIME),
    "Average Response Time": ("avg", *_TIME),
    "Min Response Time": ("min", *_TIME),
    "Max Response Time": ("max", *_TIME),
    "Average Content Size": ("avg_content_size", Dimension.SIZE, 1.0),
    "Requests/s": ("throughput", Dimension.THROUGHPUT, 1.0),
}
_HISTORY_COLUMNS = {f"Total {c}": s for c, s in _STATS_COLUMNS.items() if c != "Requests/s"}
_PERCENTILE = re.compile(r"(\d+(?:\.\d+)?)%")
_BOM = "\ufeff"


def detect(head: bytes) -> bool:
    """A first line that is one of Locust's CSV headers."""
    first = head.split(b"\n", 1)[0].decode("utf-8", errors="replace").removeprefix(_BOM)
    try:
        header = next(csv.reader([first.rstrip("\r")]), [])
    except csv.Error:
        return False
    return _kind(header) is not None


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read one Locust CSV file; which one it is comes from its header."""
    rows = csv_rows(path, display, MAX_LINE)
    _, header = next(rows, (1, []))
    kind = _kind(header)
    if kind is None:
        expected = " or ".join(",".join(h[:2]) + ",..." for h in _HEADERS.values())
        raise EvidenceError(
            Position(display, 1, 1), f"not a Locust CSV file: expected a header {expected}"
        )
    columns = {name: index for index, name in reversed(list(enumerate(header)))}
    records = fixed_width(rows, len(header), display)
    if kind == "stats":
        stat_columns = _stat_columns(columns, _STATS_COLUMNS)
        metrics = [_metric(row, columns, stat_columns, display, n) for n, row in records]
    elif kind == "history":
        metrics, measured_at, time_error = _history(records, columns, display)
    elif kind == "failures":
        metrics = _failures(records, columns, display)
    else:
        metrics = []
    if kind != "history":
        measured_at, time_error = None, None  # only the history records a time
    return ParsedFile(
        path=display,
        format=NAME,
        metrics=tuple(metrics),
        measured_at=measured_at,
        time_error=time_error,
    )


def _kind(header: list[str]) -> str | None:
    return next((k for k, h in _HEADERS.items() if tuple(header[: len(h)]) == h), None)


class _Column(NamedTuple):
    title: str  # as the header names it
    stat: str | None  # None: a number Locust writes that is not published (Failures/s)
    dimension: Dimension
    divisor: float  # Locust's unit -> the base unit (ms -> s)


_NOT_NUMBERS = frozenset({"Type", "Name", "Timestamp"})
"""Columns of the stats files that are not numbers: every other one must be one, or N/A."""


def _stat_columns(
    columns: dict[str, int], named: dict[str, tuple[str, Dimension, float]]
) -> dict[int, _Column]:
    found = {
        index: _Column(title, None, Dimension.NUMBER, 1.0)
        for title, index in columns.items()
        if title not in _NOT_NUMBERS
    }
    found.update(
        (columns[title], _Column(title, *stat)) for title, stat in named.items() if title in columns
    )
    if named is _STATS_COLUMNS:  # the percentile columns Locust was configured with
        for title, index in columns.items():
            match = _PERCENTILE.fullmatch(title)
            if match:
                number = float(match.group(1))
                key = f"p({int(number) if number.is_integer() else number})"
                found[index] = _Column(title, key, *_TIME)
    return found


def _history(
    rows: Iterator[Row], columns: dict[str, int], display: str
) -> tuple[list[Metric], dt.datetime | None, str | None]:
    """The last row of each series, and the latest row's Timestamp (seconds since 1970):
    when the run ended."""
    missing = [n for n in ("Total Request Count", "Total Failure Count") if n not in columns]
    if missing:
        raise EvidenceError(Position(display, 1), "the header lacks " + ", ".join(missing))
    last: dict[tuple[str, str], Row] = {}
    latest: float | None = None
    time_error: str | None = None
    for line, row in rows:
        if time_error is None:
            try:
                stamp = float(row[columns["Timestamp"]])
                latest = stamp if latest is None else max(latest, stamp)
            except ValueError:
                time_error = f"{display}:{line}: Timestamp {shown(row[columns['Timestamp']])}"
        key = (row[columns["Type"]], row[columns["Name"]])
        if key not in last and len(last) >= MAX_SERIES:
            raise EvidenceError(Position(display, line), f"more than {MAX_SERIES} series")
        last[key] = (line, row)
    stat_columns = _stat_columns(columns, _HISTORY_COLUMNS)
    metrics = [_metric(row, columns, stat_columns, display, line) for line, row in last.values()]
    if time_error is not None or latest is None:
        return metrics, None, time_error and time_error + " is not a Unix time"
    ended, error = recorded_epoch(latest, display, "Timestamp")
    return metrics, ended, error


def _failures(rows: Iterator[Row], columns: dict[str, int], display: str) -> list[Metric]:
    counts: dict[tuple[str, str], float] = {}
    for line, row in rows:
        key = (row[columns["Method"]], row[columns["Name"]])
        if key not in counts and len(counts) >= MAX_SERIES:
            raise EvidenceError(Position(display, line), f"more than {MAX_SERIES} series")
        number = _number(row[columns["Occurrences"]], "Occurrences", display, line)
        counts[key] = counts.get(key, 0.0) + (number or 0.0)
    metrics = [
        Metric(
            name=name,
            tags={"method": method} if method else {},
            stats={"fails": Quantity(fails, Dimension.COUNT)},
            kind="request",
            source=display,
        )
        for (method, name), fails in counts.items()
    ]
    total = Quantity(sum(counts.values()), Dimension.COUNT)
    metrics.append(
        Metric(name="Aggregated", stats={"fails": total}, kind="request", source=display)
    )
    return metrics


def _metric(
    row: list[str],
    columns: dict[str, int],
    stat_columns: dict[int, _Column],
    display: str,
    line: int,
) -> Metric:
    method = row[columns["Type"]]
    stats: dict[str, Quantity] = {}
    for index, column in stat_columns.items():
        number = _number(row[index], column.title, display, line)
        if number is not None and column.stat is not None:
            stats[column.stat] = Quantity(number / column.divisor, column.dimension)
    count = stats.get("count")
    failures: tuple[str, ...] = ()
    if count is None or count.value == 0:
        stats = {}  # fail closed: no requests, nothing to pass against
    elif "fails" in stats:
        stats["error_rate"] = Quantity(stats["fails"].value / count.value, Dimension.RATIO)
        if stats["fails"].value >= count.value:
            failures = (f"every request failed ({count.value:g} of {count.value:g})",)
    return Metric(
        name=row[columns["Name"]],
        tags={"method": method} if method else {},
        stats=stats,
        kind="request",
        source=display,
        failures=failures,
    )


def _number(text: str, column: str, display: str, line: int) -> float | None:
    if text == "N/A":
        return None
    number = strict_number(text)
    if number is None or number < 0:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise EvidenceError(
            Position(display, line), f"{column} is {shown!r}, expected a number or N/A"
        )
    return number
