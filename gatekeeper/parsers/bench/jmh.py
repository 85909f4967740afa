"""JMH ``-rf json`` results: one series per benchmark (and mode), params as tags.

The score's unit decides what it is, not the mode (a file may say ``thrpt`` yet score in
``s/op``): ``ops/<time>`` is a ``throughput`` per second, ``<time>/op`` an ``avg`` time in
seconds. ``scorePercentiles`` give ``p(N)``, ``min`` (p0), ``max`` (p100) and ``med``;
``scoreError`` (the half-width of JMH's 99.9 % confidence interval) is ``error``; the raw
iteration scores (``rawData``, or the ``rawDataHistogram`` of sample mode) are the
samples and their number is ``count``. Each secondary metric (``gc.alloc.rate``, ...)
is its own series named ``<benchmark>:<metric>``, as JMH prints it; its unit maps the
same way, with JMH's ``MB/sec`` meaning MiB per second (JMH divides by 1024²).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest
from gatekeeper.parsers import _json
from gatekeeper.parsers.bench._jmh_score import score_series

NAME = "jmh"

_RUN_FIELDS = frozenset({"benchmark", "mode", "forks"})
# JMH's Mode.shortLabel() values, and the units its primary score is in: operations per
# time unit or time units per operation, spelt by TimeValue.tuToString. Secondary metrics
# stay open: each profiler names its own units (gc: MB/sec, B/op, counts; perfnorm: #/op).
_MODES = ("thrpt", "avgt", "sample", "ss")
_TIME_UNITS = ("ns", "us", "ms", "s", "min", "hr", "day")
_PRIMARY_UNITS = (*(f"ops/{unit}" for unit in _TIME_UNITS), *(f"{unit}/op" for unit in _TIME_UNITS))


def detect_json(document: object) -> bool:
    """An array whose first object carries JMH's run fields."""
    if not isinstance(document, list) or not document or not isinstance(document[0], dict):
        return False
    run: dict[str, object] = document[0]
    return "jmhVersion" in run or run.keys() >= _RUN_FIELDS


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every benchmark of a JMH result file."""
    return parse_json(_json.load(path, display), path, display, wanted)


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded file."""
    runs = _json.expect_list(document, display, "(top level)")
    metrics: list[Metric] = []
    for index, raw in enumerate(runs):
        where = f"[{index}]"
        run = _json.expect_object(raw, display, where)
        name = _json.expect_str(run.get("benchmark"), display, f"{where}.benchmark")
        mode = _json.expect_choice(run.get("mode"), _MODES, display, f"{where}.mode")
        tags = {"mode": mode, **_params(run.get("params"), display, f"{where}.params")}
        where_primary = f"{where}.primaryMetric"
        primary = _json.expect_object(run.get("primaryMetric"), display, where_primary)
        unit = primary.get("scoreUnit")
        _json.expect_choice(unit, _PRIMARY_UNITS, display, f"{where_primary}.scoreUnit")
        metrics.append(score_series(name, tags, primary, display, where_primary))
        secondary = run.get("secondaryMetrics")
        if secondary is None:
            continue
        where_secondary = f"{where}.secondaryMetrics"
        for label, body in _json.members(_json.expect_object(secondary, display, where_secondary)):
            # Older JMH prefixed profiler metrics with a middle dot: '·gc.alloc.rate'.
            series = f"{name}:{label.lstrip('·')}"
            metrics.append(score_series(series, tags, body, display, f"{where_secondary}.{label}"))
    return ParsedFile(path=display, format=NAME, metrics=tuple(metrics))


def _params(raw: object, display: str, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    tags: dict[str, str] = {}
    for key, value in _json.members(_json.expect_object(raw, display, where)):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _json.shape_error(display, f"{where}.{key}", "a string", value)
        tags[key] = str(value)
    return tags
