"""vegeta reports: ``vegeta report -type=json`` (latencies in nanoseconds) and ``-type=text``.

One series, named ``vegeta``, per report: ``avg``, ``min``, ``max``, ``med`` and ``p(N)`` of
latency, ``count`` (requests), ``throughput`` (successful requests per second),
``request_rate`` (requests sent per second: vegeta's ``rate``), ``success`` and
``error_rate`` (1 - success) as ratios, ``bytes_in`` / ``bytes_out`` (totals),
``duration`` (of the attack) and ``wait`` (for the last responses). A report of no
requests has no statistics, so nothing can pass against it; a success ratio of 0 (every
request failed) is a failure the tool recorded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.parsers._text import first_char, head_lines, pkey, read_lines
from gatekeeper.parsers.load._vegeta_text import read_text_report
from gatekeeper.units import Dimension, Quantity

NAME = "vegeta"

_NS = 1e-9
_PERCENTILE_KEY = re.compile(r"(\d+(?:\.\d+)?)th")
_TEXT_REQUESTS = re.compile(r"^Requests\s+\[total, rate")
_TEXT_LATENCIES = re.compile(r"^Latencies\s+\[")
_JSON_BESIDE_LATENCIES = ("bytes_in", "status_codes", "throughput")


def detect(head: bytes) -> bool:
    """The text report's rows (the JSON report: ``detect_json``)."""
    if _json.sniff(head) is not None:
        return False
    lines = head_lines(head)
    return any(_TEXT_REQUESTS.match(line) for line in lines) and any(
        _TEXT_LATENCIES.match(line) for line in lines
    )


def detect_json(document: object) -> bool:
    """A JSON report: ``latencies`` beside byte or status counts, or the throughput."""
    return (
        isinstance(document, dict)
        and "latencies" in document
        and any(key in document for key in _JSON_BESIDE_LATENCIES)
    )


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a JSON or text report, told apart by the first character."""
    if first_char(path, display) == "{":
        return parse_json(_json.load(path, display), path, display, wanted)
    return _parsed(read_text_report(read_lines(path, display), display), display)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of a decoded JSON report."""
    return _parsed(_json_stats(document, display), display)


def _parsed(stats: dict[str, Quantity], display: str) -> ParsedFile:
    stats = finish(stats)
    failed = "success" in stats and stats["success"].value <= 0
    said = (f"every request failed (success 0 of {stats['count'].value:g})",) if failed else ()
    metric = Metric(name=NAME, stats=stats, kind="request", source=display, failures=said)
    return ParsedFile(path=display, format=NAME, metrics=(metric,))


def finish(stats: dict[str, Quantity]) -> dict[str, Quantity]:
    """Add what follows from the rest; no statistics at all for a report of no requests."""
    if stats.get("count", Quantity(0, Dimension.COUNT)).value == 0:
        return {}
    if "p(50)" in stats:
        stats["med"] = stats["p(50)"]
    if "success" in stats:
        stats["error_rate"] = Quantity(1 - stats["success"].value, Dimension.RATIO)
    return stats


def _json_stats(document: object, display: str) -> dict[str, Quantity]:
    root = _json.expect_object(document, display, "(top level)")
    latencies = _json.expect_object(root.get("latencies"), display, "latencies")
    stats: dict[str, Quantity] = {}
    for key, value in _json.members(latencies):
        where = f"latencies.{key}"
        if key in ("mean", "min", "max"):
            stat = "avg" if key == "mean" else key
        elif (rank := _PERCENTILE_KEY.fullmatch(key)) is not None:
            stat = pkey(float(rank[1]))
        else:
            continue  # 'total' is the sum of all latencies
        seconds = _json.expect_number(value, display, where) * _NS
        stats[stat] = Quantity(seconds, Dimension.TIME)
    scalars = (
        ("requests", "count", Dimension.COUNT, 1.0),
        ("rate", "request_rate", Dimension.THROUGHPUT, 1.0),
        ("throughput", "throughput", Dimension.THROUGHPUT, 1.0),
        ("success", "success", Dimension.RATIO, 1.0),
        ("duration", "duration", Dimension.TIME, _NS),
        ("wait", "wait", Dimension.TIME, _NS),
    )
    for key, stat, dimension, factor in scalars:
        if key in root:
            value = _json.expect_number(root[key], display, key)
            stats[stat] = Quantity(value * factor, dimension)
    for key in ("bytes_in", "bytes_out"):
        if key in root:
            block = _json.expect_object(root[key], display, key)
            total = _json.expect_number(block.get("total"), display, f"{key}.total")
            stats[key] = Quantity(total, Dimension.SIZE)
    if "count" not in stats:
        raise _json.shape_error(display, "requests", "a number", None)
    return stats
