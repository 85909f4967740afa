"""wrk's (and wrk2's) console report: one series named by the URL under test (alias ``wrk``).

Statistics: ``avg``, ``stddev``, ``max`` of latency (Thread Stats), ``p(N)`` and ``med``
from ``--latency``'s distribution, ``count`` (requests completed), ``throughput``
(Requests/sec), ``duration``, ``bytes`` read and ``data_rate`` (Transfer/sec; wrk's KB
and MB are binary, 1024-based), ``http_errors`` (the 'Non-2xx or 3xx responses' line:
status 400 and above), ``socket_errors`` (connect + read + write + timeout) and
``error_rate`` = (http_errors + socket_errors) / (requests + socket_errors): every
socket error is an attempt that failed. A run that completed no request has no
statistics, so nothing can pass against it; a run whose every request failed carries that
as a failure the tool recorded.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers._text import (
    NUMBER,
    head_lines,
    line_error,
    pkey,
    read_lines,
    read_record,
    record_shape,
)
from gatekeeper.units import Dimension, Quantity

NAME = "wrk"

_TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_BINARY = {"B": 1.0, "KB": 1024.0, "MB": 1024.0**2, "GB": 1024.0**3, "TB": 1024.0**4}
_METRIC = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}
_T = r"(\d+(?:\.\d+)?)(us|ms|s|m|h)"
_B = r"(\d+(?:\.\d+)?)(B|KB|MB|GB|TB)"
_M = r"\d+(?:\.\d+)?[kMG]?"
# wrk prints the +/- Stdev column of a run without requests as "-nan%" (no-requests.txt).
_SHARE = rf"(?:{NUMBER}|-?nan)%"

_RUNNING = re.compile(r"^Running (\S+) test @ (?P<url>\S+)\s*$")
_THREADS = re.compile(r"^\s+\d+ threads and \d+ connections\s*$")
_HEADER = re.compile(r"\s+Thread Stats\s+Avg\s+Stdev\s+Max\s+\+/- Stdev\s*")


# The lines of wrk's report that carry values, each refused when marked but not whole.
_LATENCY = record_shape(
    "latency",
    r"^\s*Latency(?!\s+Distribution)",
    rf"\s+Latency\s+{_T}\s+{_T}\s+{_T}\s+{_SHARE}\s*",
    "'Latency  AVG  STDEV  MAX  +/-%'",
)
_REQ_SEC = record_shape(
    "Req/Sec",
    r"^\s*Req/Sec",
    rf"\s+Req/Sec\s+{_M}\s+{_M}\s+{_M}\s+{_SHARE}\s*",
    "'Req/Sec  AVG  STDEV  MAX  +/-%'",
)
_PERCENTILE = record_shape(
    "latency percentile", r"^\s*[^\s%]*%\s", rf"\s*(\d+(?:\.\d+)?)%\s+{_T}\s*", "'  99%  2.89ms'"
)
_TOTAL = record_shape(
    "requests",
    r"requests in",
    rf"\s+(\d+) requests in {_T}, {_B} read\s*",
    "'N requests in TIME, SIZE read'",
)
_SOCKET = record_shape(
    "socket errors",
    r"Socket errors",
    r"\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)\s*",
    "'Socket errors: connect N, read N, write N, timeout N'",
)
_HTTP_ERRORS = record_shape(
    "error responses",
    r"Non-2xx",
    r"\s+Non-2xx or 3xx responses: (\d+)\s*",
    "'Non-2xx or 3xx responses: N'",
)
_RPS = record_shape(
    "Requests/sec",
    r"Requests/sec",
    r"Requests/sec:\s+(\d+(?:\.\d+)?)([kMG]?)\s*",
    "'Requests/sec: N'",
)
_TRANSFER = record_shape(
    "Transfer/sec", r"Transfer/sec", rf"Transfer/sec:\s+{_B}\s*", "'Transfer/sec: SIZE'"
)
# Inside the report, a 'label: value' line of no label above is one whose label broke
# (into any characters: 'Non-2x| or 3xx responses: 1985').
_LABELLED = record_shape(
    "report",
    r"^\s*[^\s:][^:]*:\s+\S",
    r"(?!)",
    "one of wrk's report lines (Socket errors, Non-2xx or 3xx responses, Requests/sec, "
    "Transfer/sec)",
)
_REPORT = (
    _LATENCY,
    _REQ_SEC,
    _PERCENTILE,
    _TOTAL,
    _SOCKET,
    _HTTP_ERRORS,
    _RPS,
    _TRANSFER,
    _LABELLED,
)


def detect(head: bytes) -> bool:
    """wrk's first two lines: 'Running 10s test @ URL' and 'N threads and M connections'."""
    lines = [line for line in head_lines(head) if line.strip()]
    return any(
        _RUNNING.match(first) and _THREADS.match(second)
        for first, second in itertools.pairwise(lines)
    )


def _time(value: str, unit: str) -> Quantity:
    return Quantity(float(value) * _TIME_UNITS[unit], Dimension.TIME)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read one wrk report (the first, when a log holds several).

    The report runs from its Thread Stats header (or first line of values) to Transfer/sec;
    what a Lua script prints during the run (before it) or in done() (after) is not read.
    """
    url: str | None = None
    stats: dict[str, Quantity] = {}
    requests: float | None = None
    started = False
    last = 0
    for lineno, line in read_lines(path, display):
        last = lineno
        if url is None:
            if (running := _RUNNING.match(line)) is not None:
                url = running["url"]
            continue
        if not started:
            started = _HEADER.fullmatch(line) is not None or any(
                shape.whole.fullmatch(line) for shape in _REPORT
            )
            if not started:
                continue
        record = read_record(_REPORT, line, display, lineno)
        if record is None:
            continue
        shape, match = record
        if shape is _LATENCY:
            for stat, (value, unit) in zip(("avg", "stddev", "max"), _pairs(match), strict=True):
                stats[stat] = _time(value, unit)
        elif shape is _PERCENTILE:
            stats[pkey(float(match[1]))] = _time(match[2], match[3])
        elif shape is _TOTAL:
            requests = float(match[1])
            stats["count"] = Quantity(requests, Dimension.COUNT)
            stats["duration"] = _time(match[2], match[3])
            stats["bytes"] = Quantity(float(match[4]) * _BINARY[match[5]], Dimension.SIZE)
        elif shape is _SOCKET:
            total = sum(int(match[i]) for i in range(1, 5))
            stats["socket_errors"] = Quantity(total, Dimension.COUNT)
        elif shape is _HTTP_ERRORS:
            stats["http_errors"] = Quantity(int(match[1]), Dimension.COUNT)
        elif shape is _RPS:
            rps = float(match[1]) * _METRIC[match[2]]
            stats["throughput"] = Quantity(rps, Dimension.THROUGHPUT)
        elif shape is _TRANSFER:
            rate = float(match[1]) * _BINARY[match[2]]
            stats["data_rate"] = Quantity(rate, Dimension.DATA_RATE)
            break  # the report's last line
    if url is None:
        raise EvidenceError(Position(display), "not wrk output: no 'Running ... test @ URL' line")
    if requests is None or "data_rate" not in stats:
        # wrk ends every report with Transfer/sec, after the error counts it may print.
        line = "'N requests in T, S read'" if requests is None else "Transfer/sec"
        message = f"the wrk report ends before its {line} line: the file is truncated"
        raise line_error(display, last, message)
    metric = Metric(
        name=url,
        stats=_finish(stats, requests),
        kind="request",
        aliases=(NAME,),
        source=display,
        failures=_all_failed(stats, requests),
    )
    return ParsedFile(path=display, format=NAME, metrics=(metric,))


def _all_failed(stats: dict[str, Quantity], requests: float) -> tuple[str, ...]:
    """wrk's count of errors, when they are every request it made."""
    http = stats.get("http_errors", Quantity(0, Dimension.COUNT)).value
    sockets = stats.get("socket_errors", Quantity(0, Dimension.COUNT)).value
    if requests + sockets == 0 or http + sockets < requests + sockets:
        return ()
    return (f"every request failed ({http:g} non-2xx or 3xx responses, {sockets:g} socket errors)",)


def _pairs(match: re.Match[str]) -> list[tuple[str, str]]:
    return [(match[i], match[i + 1]) for i in (1, 3, 5)]


def _finish(stats: dict[str, Quantity], requests: float) -> dict[str, Quantity]:
    if requests == 0:
        return {}
    if "p(50)" in stats:
        stats["med"] = stats["p(50)"]
    http = stats.get("http_errors", Quantity(0, Dimension.COUNT)).value
    sockets = stats.get("socket_errors", Quantity(0, Dimension.COUNT)).value
    stats["error_rate"] = Quantity((http + sockets) / (requests + sockets), Dimension.RATIO)
    return stats
