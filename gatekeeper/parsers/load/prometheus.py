"""Prometheus query answers: what ``curl …/api/v1/query`` (or ``query_range``) saves, what
``promtool query instant|range -o json`` prints, and what a live query (``gatekeeper.live``)
receives.

The HTTP API answers ``{"status", "data": {"resultType", "result"}, "warnings"?, "infos"?}``;
promtool prints ``data.result`` alone (an array of series, or ``[time, "value"]`` for a
scalar). Each series is a metric: named by its ``__name__`` label, or ``result`` when the
query computed it (``avg_over_time(up[7d])`` has no name), its other labels its tags. An
instant value is the statistic ``value``; a range series keeps every value as samples, with
``value`` (the last, by time), ``min``, ``max``, ``avg`` and ``count``. Values are numbers
without a unit (Prometheus states none).

Fail closed: an error answer, ``warnings`` (a partial answer), a string result, a NaN or
infinite value and a value that is not a number are errors naming the series; an empty result
yields no series, so whatever asks for one is missing.
"""

from __future__ import annotations

import array
import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.units import Dimension, Quantity

NAME = "prometheus"

UNNAMED = "result"
"""The name of a series that has no ``__name__`` label (the query computed it)."""

_RESULT_TYPES = ("vector", "matrix", "scalar", "string")
_STATUSES = ("success", "error")


def detect_json(document: object) -> bool:
    """The API's answer (``status`` and ``data.resultType``, or an error's ``errorType``), or
    promtool's array of series (each with ``metric`` and ``value`` or ``values``)."""
    if isinstance(document, dict):
        data = document.get("data")
        answer = isinstance(data, dict) and "resultType" in data
        refusal = document.get("status") == "error" and "errorType" in document
        return "status" in document and (answer or refusal)
    if isinstance(document, list) and document:
        first = document[0]
        return (
            isinstance(first, dict)
            and "metric" in first
            and ("value" in first or "values" in first)
        )
    return False


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a saved answer."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded answer."""
    return read_answer(document, display)


def read_answer(document: object, display: str) -> ParsedFile:
    """The series of an answer (the API's, or promtool's ``data.result``); ``display`` names
    the file, or the live query, in every message."""
    if isinstance(document, list):  # promtool: a vector or matrix, or a scalar [time, value]
        if len(document) == 2 and not isinstance(document[0], (dict, list)):
            return _parsed(display, [_scalar(document, display, "(top level)")])
        return _parsed(display, _series_list(document, display, "(top level)"))
    root = _json.expect_object(document, display, "(top level)")
    status = _json.expect_choice(root.get("status"), _STATUSES, display, "status")
    if status == "error":
        kind = str(root.get("errorType", "unknown"))[:40]
        reason = str(root.get("error", "no reason given"))[:300]
        raise EvidenceError(Position(display), f"the server refused the query ({kind}): {reason}")
    warnings = root.get("warnings")
    if warnings:  # a partial answer: some source did not answer, its series are not here
        shown = "; ".join(str(w)[:200] for w in _json.expect_list(warnings, display, "warnings"))
        message = f"the answer carries warnings, so it may be partial: {shown}"
        raise EvidenceError(Position(display), message)
    data = _json.expect_object(root.get("data"), display, "data")
    kind = _json.expect_choice(data.get("resultType"), _RESULT_TYPES, display, "data.resultType")
    result = data.get("result")
    if kind == "string":
        raise EvidenceError(Position(display), "data.result: a string result is not a number")
    if kind == "scalar":
        return _parsed(display, [_scalar(result, display, "data.result")])
    series = _series_list(result, display, "data.result")
    shapes = {"vector": "value", "matrix": "values"}
    for metric, key in ((m, "values" if m.samples else "value") for m in series):
        if key != shapes[kind]:
            message = f"data.result: a {kind} answer holds a series with {key} ({metric.label})"
            raise EvidenceError(Position(display), message)
    return _parsed(display, series)


def _parsed(display: str, series: list[Metric]) -> ParsedFile:
    times = [m.stats["time"].value for m in series]
    measured = dt.datetime.fromtimestamp(max(times), dt.timezone.utc) if times else None
    metrics = tuple(_without_time(m) for m in series)
    return ParsedFile(path=display, format=NAME, metrics=metrics, measured_at=measured)


def _without_time(metric: Metric) -> Metric:
    stats = {k: v for k, v in metric.stats.items() if k != "time"}
    return Metric(
        name=metric.name, tags=metric.tags, stats=stats, kind=metric.kind, source=metric.source,
        samples=metric.samples, sample_dimension=metric.sample_dimension,
    )  # fmt: skip


def _scalar(raw: object, display: str, where: str) -> Metric:
    time, value = _point(raw, display, where, UNNAMED)
    stats = {"value": Quantity(value, Dimension.NUMBER), "time": Quantity(time, Dimension.TIME)}
    return Metric(name=UNNAMED, stats=stats, kind="scalar", source=display)


def _series_list(raw: object, display: str, where: str) -> list[Metric]:
    items = _json.expect_list(raw, display, where)
    return [_series(item, display, f"{where}[{i}]") for i, item in enumerate(items)]


def _series(raw: object, display: str, where: str) -> Metric:
    series = _json.expect_object(raw, display, where)
    labels = _json.expect_object(series.get("metric", {}), display, f"{where}.metric")
    tags = {k: _json.expect_str(v, display, f"{where}.metric.{k}") for k, v in labels.items()}
    name = tags.pop("__name__", UNNAMED)
    label = Metric(name, tags).label
    if "histogram" in series or "histograms" in series:
        message = f"{where} ({label}): a native histogram, not a number; query a number of it"
        raise EvidenceError(Position(display), message)
    if "values" in series:
        points = _json.expect_list(series["values"], display, f"{where}.values")
        if not points:
            raise EvidenceError(Position(display), f"{where}.values ({label}): no values")
        read = [_point(p, display, f"{where}.values[{i}]", label) for i, p in enumerate(points)]
        values = [value for _, value in read]
        last_time, last = max(read)
        figures = {
            "value": last,
            "last": last,
            "min": min(values),
            "max": max(values),
            "avg": math.fsum(values) / len(values),
        }
        quantities = {k: Quantity(v, Dimension.NUMBER) for k, v in figures.items()}
        quantities["count"] = Quantity(len(values), Dimension.COUNT)
        quantities["time"] = Quantity(last_time, Dimension.TIME)
        return Metric(
            name=name, tags=tags, stats=quantities, kind="range", source=display,
            samples=array.array("d", sorted(values)), sample_dimension=Dimension.NUMBER,
        )  # fmt: skip
    if "value" not in series:
        raise EvidenceError(Position(display), f"{where} ({label}): no value and no values")
    time, value = _point(series["value"], display, f"{where}.value", label)
    stats = {"value": Quantity(value, Dimension.NUMBER), "time": Quantity(time, Dimension.TIME)}
    return Metric(name=name, tags=tags, stats=stats, kind="instant", source=display)


def _point(raw: object, display: str, where: str, label: str) -> tuple[float, float]:
    """``[time, "value"]``: the time in Unix seconds, the value a finite number (the API
    writes it as a string; a number is read too)."""
    pair = _json.expect_list(raw, display, where)
    if len(pair) != 2:
        raise _json.shape_error(display, where, "[time, value]", pair)
    time = _json.expect_number(pair[0], display, f"{where}[0]")
    value = pair[1]
    number: float | None = None
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    if number is None:
        message = f"{where} ({label}): {str(value)[:40]!r} is not a number"
        raise EvidenceError(Position(display), message)
    if not math.isfinite(number):
        message = f"{where} ({label}): the value is {value}, not a measurement"
        raise EvidenceError(Position(display), message)
    return time, number
