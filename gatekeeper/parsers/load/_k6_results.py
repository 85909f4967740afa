"""k6's machine-readable summary (schema 1.0.0): ``results.metrics`` is a list.

k6 v1 writes it with ``--summary-export`` when the new machine-readable summary is
on (``--new-machine-readable-summary``, ``K6_NEW_MACHINE_READABLE_SUMMARY=true``)
and passes the same object to ``handleSummary(data)``. k6 hands its Go structs to
JavaScript, so the keys are the snake_cased Go field names: trends carry avg, max,
med, min, p90, p95 (null when left out of summaryTrendStats), rates matches, rate
and total, counters only count, gauges max, min and value; ``config.duration`` is
the run's length in seconds. ``results.checks`` holds checks_total/failed/succeeded
and one result per check.
"""

from __future__ import annotations

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric
from gatekeeper.parsers import _json
from gatekeeper.parsers.load._k6_units import CONTAINS, KINDS, quantity
from gatekeeper.units import Quantity

# Go's encoding/json spells the percentiles p(90)/p(95): accept both spellings.
_TREND_STATS = {"p90": "p(90)", "p95": "p(95)", "p(90)": "p(90)", "p(95)": "p(95)"}
_TREND_STATS.update({k: k for k in ("avg", "max", "med", "min")})
_COUNTS = ("matches", "total", "count")


def is_machine_readable(root: dict[str, object]) -> bool:
    """Whether a summary object has the machine-readable shape rather than the legacy one."""
    return "results" in root and "metrics" not in root


def metrics(root: dict[str, object], display: str) -> tuple[Metric, ...]:
    """Every metric of a machine-readable summary, with checks as k6's ``checks`` rate."""
    results = _json.expect_object(root.get("results"), display, "results")
    config = _json.expect_object(root.get("config", {}), display, "config")
    duration = _json.number_or_none(config.get("duration"), display, "config.duration")
    listed = _json.expect_list(results.get("metrics"), display, "results.metrics")
    found = [
        _metric(raw, display, f"results.metrics[{i}]", duration) for i, raw in enumerate(listed)
    ]
    if results.get("checks") is not None:
        found.extend(_checks(results["checks"], display, duration))
    return tuple(found)


def _checks(raw: object, display: str, duration: float | None) -> list[Metric]:
    where = "results.checks"
    checks = _json.expect_object(raw, display, where)
    listed = _json.expect_list(checks.get("metrics", []), display, f"{where}.metrics")
    found = [_metric(m, display, f"{where}.metrics[{i}]", duration) for i, m in enumerate(listed)]
    # k6's own ``checks`` rate (the share of checks that passed), as the legacy summary and
    # thresholds name it, overall and per check (``checks{check:status is 200}``).
    found += [
        Metric("checks", {}, m.stats, "rate", source=display)
        for m in found
        if m.name == "checks_succeeded"
    ]
    results = _json.expect_list(checks.get("results", []), display, f"{where}.results")
    for i, entry in enumerate(results):
        at = f"{where}.results[{i}]"
        body = _json.expect_object(entry, display, at)
        name = _json.expect_str(body.get("name"), display, f"{at}.name")
        passes = _json.expect_number(body.get("passes"), display, f"{at}.passes")
        fails = _json.expect_number(body.get("fails"), display, f"{at}.fails")
        values = {"matches": passes, "total": passes + fails}
        stats = _rate(values)
        found.append(Metric("checks", {"check": name}, stats, "rate", source=display))
    return found


def _metric(raw: object, display: str, where: str, duration: float | None) -> Metric:
    body = _json.expect_object(raw, display, where)
    name = _json.expect_str(body.get("name"), display, f"{where}.name")
    kind = body.get("type")
    if kind not in KINDS:
        raise _json.shape_error(display, f"{where}.type", "one of " + ", ".join(KINDS), kind)
    contains = body.get("contains", "default")
    if contains not in CONTAINS:
        raise _json.shape_error(
            display, f"{where}.contains", "one of " + ", ".join(CONTAINS), contains
        )
    values = _json.expect_object(body.get("values"), display, f"{where}.values")
    numbers: dict[str, float] = {}
    for key, value in _json.members(values):
        number = _json.number_or_none(value, display, f"{where}.values.{key}")
        if number is not None:
            numbers[key] = number
    kind = str(kind)
    stats: dict[str, Quantity]
    if kind == "rate":
        stats = _rate(numbers)
    elif kind == "trend":
        raw_stats: dict[str, float] = {}
        for key, number in numbers.items():
            stat = _TREND_STATS.get(key)
            if stat is not None and raw_stats.setdefault(stat, number) != number:
                message = (
                    f"{where}.values.{key}: {stat} given twice, as {raw_stats[stat]} and {number}"
                )
                raise EvidenceError(Position(display), message)
        stats = {k: quantity(kind, contains, k, v) for k, v in raw_stats.items()}
    elif kind == "counter" and "count" in numbers:
        stats = {"count": quantity(kind, contains, "count", numbers["count"])}
        if duration:  # k6's own rate: the count over the run's duration
            rate = numbers["count"] / duration
            stats["rate"] = quantity(kind, contains, "rate", rate)
    else:
        stats = {k: quantity(kind, contains, k, v) for k, v in numbers.items() if k not in _COUNTS}
    return Metric(name=name, stats=stats, kind=kind, source=display)


def _rate(numbers: dict[str, float]) -> dict[str, Quantity]:
    """rate, passes and fails; nothing for a rate over no events (it must not pass)."""
    total, matches = numbers.get("total", 0.0), numbers.get("matches", 0.0)
    if not total:
        return {}
    rate = numbers.get("rate", matches / total)
    raw = {"rate": rate, "passes": matches, "fails": total - matches}
    return {k: quantity("rate", "default", k, v) for k, v in raw.items()}
