"""k6 end-of-test summaries: ``--summary-export`` files and ``handleSummary`` JSON.

The legacy export and the handleSummary object map metric keys
(``name{tag:value,...}``) to statistics; k6 v1's machine-readable summary lists
them under ``results.metrics`` (see _k6_results). Values are converted to base
units so a threshold in ms compares with k6's milliseconds. k6's own verdict on each of
its thresholds becomes a test (suite ``thresholds``, class the metric key, name the
expression), as Gatling's assertions do, so ``tests: {from: ...}`` requires them all to
hold; the machine-readable summary carries no thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers import _json
from gatekeeper.parsers.load import _k6_results
from gatekeeper.parsers.load._k6_units import CONTAINS, KINDS, quantity
from gatekeeper.units import Quantity

NAME = "k6"
THRESHOLD_SUITE = "thresholds"
"""The suite of the tests k6's own thresholds become: class the metric, name the expression."""

# The export shape does not say what a trend contains; these built-in trends are in ms.
_TIME_TRENDS = frozenset(
    {
        "http_req_duration",
        "http_req_blocked",
        "http_req_connecting",
        "http_req_tls_handshaking",
        "http_req_sending",
        "http_req_waiting",
        "http_req_receiving",
        "iteration_duration",
        "group_duration",
        "grpc_req_duration",
        "ws_connecting",
        "ws_session_duration",
        "ws_ping",
    }
)
_TIME_TREND_PREFIXES = ("browser_", "webvital_")
# Layout shift is a unitless score, although it lives among the browser timings.
_UNITLESS_BROWSER = ("browser_web_vital_cls", "webvital_cumulative_layout_shift")
_DATA_METRICS = frozenset(
    {"data_sent", "data_received", "browser_data_sent", "browser_data_received"}
)

_BESIDE_METRICS = ("root_group", "state", "options")


def detect_json(document: object) -> bool:
    """An object with ``metrics`` beside one of k6's other top-level keys, or the
    machine-readable summary's ``results`` beside ``metadata`` naming k6's version."""
    if not isinstance(document, dict):
        return False
    metadata = document.get("metadata")
    if isinstance(metadata, dict) and "k6_version" in metadata and "results" in document:
        return True
    return isinstance(document.get("metrics"), dict) and any(
        key in document for key in _BESIDE_METRICS
    )


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a k6 summary; every metric keeps k6's statistic names, in base units."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded summary."""
    root = _json.expect_object(document, display, "(top level)")
    if _k6_results.is_machine_readable(root):
        return ParsedFile(path=display, format=NAME, metrics=_k6_results.metrics(root, display))
    metrics = _json.members(_json.expect_object(root.get("metrics"), display, "metrics"))
    parsed = tuple(_metric(key, raw, display, f"metrics.{key}") for key, raw in metrics)
    tests = tuple(
        test
        for key, raw in metrics
        for test in _thresholds(key, _json.expect_object(raw, display, f"metrics.{key}"), display)
    )
    return ParsedFile(path=display, format=NAME, tests=tests, metrics=parsed)


def _thresholds(key: str, body: dict[str, object], display: str) -> list[TestResult]:
    """k6's own verdict on each threshold of a metric, as a test: ``--summary-export`` writes
    ``{"p(95)<250": true}`` where true means the threshold FAILED; handleSummary's data
    writes ``{"p(95)<250": {"ok": false}}``."""
    if body.get("thresholds") is None:
        return []
    where = f"metrics.{key}.thresholds"
    found = []
    for expression, raw in _json.members(_json.expect_object(body["thresholds"], display, where)):
        here = f"{where}.{expression}"
        if isinstance(raw, dict):
            ok = raw.get("ok")
            if not isinstance(ok, bool):
                raise _json.shape_error(display, f"{here}.ok", "true or false", ok)
        elif isinstance(raw, bool):
            ok = not raw  # the export's true means "crossed": the threshold failed
        else:
            raise _json.shape_error(display, here, "true, false or {ok: ...}", raw)
        message = None if ok else f"k6 threshold {expression!r} on {key} failed"
        status = TestStatus.PASSED if ok else TestStatus.FAILED
        found.append(TestResult(THRESHOLD_SUITE, key, expression, None, None, status,
                                message=message, source=display))  # fmt: skip
    return found


def _split_key(key: str) -> tuple[str, dict[str, str]] | None:
    """``name{a:1,b:2}`` -> ("name", {"a": "1", "b": "2"}); None when the filter is malformed."""
    brace = key.find("{")
    if brace < 0:
        return key, {}
    if not key.endswith("}") or brace == 0:
        return None
    tags: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in key[brace + 1 : -1].split(","))):
        tag, colon, value = pair.partition(":")
        if not colon or not tag.strip():
            return None
        tags[tag.strip()] = value.strip().strip("\"'")
    return key[:brace], tags


def _metric(key: str, raw: object, display: str, where: str) -> Metric:
    split = _split_key(key)
    if split is None:
        message = f"{where}: cannot read the tag filter; expected name{{tag:value,...}}"
        raise EvidenceError(Position(display), message)
    name, tags = split
    body = _json.expect_object(raw, display, where)
    if "values" in body:  # handleSummary shape
        stats_where = f"{where}.values"
        values = _json.expect_object(body["values"], display, stats_where)
        kind = _kind(body.get("type"), values, display, f"{where}.type")
        contains: object = body.get("contains")
        if contains is not None:  # a misspelt "time" would read milliseconds as plain numbers
            contains = _json.expect_choice(contains, CONTAINS, display, f"{where}.contains")
    else:  # --summary-export shape: the statistics are the body itself
        stats_where = where
        values = {k: v for k, v in body.items() if k != "thresholds"}
        kind = _kind(None, values, display, where)
        contains = _export_contains(name, kind)
    numbers: dict[str, float] = {}
    for stat, value in _json.members(values):
        number = _json.number_or_none(value, display, f"{stats_where}.{stat}")
        if number is not None:
            numbers[stat] = number
    stats = {} if _empty(kind, numbers) else _convert(kind, contains, numbers)
    return Metric(
        name=name, tags=tags, stats=stats, kind=kind, source=display, subseries=bool(tags)
    )


def _kind(declared: object, values: dict[str, object], display: str, where: str) -> str:
    if declared is not None:
        if declared not in KINDS:
            raise _json.shape_error(display, where, "one of " + ", ".join(KINDS), declared)
        return str(declared)
    keys = set(values)
    if keys & {"passes", "fails"}:
        return "rate"
    if "rate" in keys and keys <= {"count", "rate"}:
        return "counter"
    if "value" in keys:
        return "gauge"
    return "trend"


def _export_contains(name: str, kind: str) -> str:
    if name in _DATA_METRICS:
        return "data"
    if kind != "trend" or name.startswith(_UNITLESS_BROWSER):
        return "default"
    if name in _TIME_TRENDS or name.startswith(_TIME_TREND_PREFIXES):
        return "time"
    return "default"


def _empty(kind: str, numbers: dict[str, float]) -> bool:
    """A series with no samples must not pass anything, so it keeps no statistics."""
    if kind == "trend":
        return numbers.get("count") == 0
    if kind == "rate" and ("passes" in numbers or "fails" in numbers):
        return numbers.get("passes", 0) + numbers.get("fails", 0) == 0
    return False


def _convert(kind: str, contains: object, numbers: dict[str, float]) -> dict[str, Quantity]:
    if kind == "rate" and "value" in numbers and "rate" not in numbers:
        numbers = {**numbers, "rate": numbers["value"]}
    return {stat: quantity(kind, contains, stat, value) for stat, value in numbers.items()}
