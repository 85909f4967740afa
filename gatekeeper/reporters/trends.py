"""What the HTML page's trend charts show: each benchmark series' points, from a history and
this run, bounded, and the sentence that says a chart in words.

Pure, and apart from the markup (``svg_trend`` draws a chart, ``html_history`` places them)
so that what is charted is tested on values, not on SVG. A chart is one statistic of one
series (``p(95)`` and ``max`` of the same metric are two charts: one scale, one limit each),
of a benchmark the matrix still has; a benchmark the history does not know gets none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from gatekeeper.history.model import History
from gatekeeper.history.records import Point
from gatekeeper.history.view import direction
from gatekeeper.records import record
from gatekeeper.results import BenchmarkResult, Measurement, Report
from gatekeeper.threshold import parse_change, parse_threshold
from gatekeeper.units import Dimension, format_value
from gatekeeper.words import count

MAX_POINTS = 60
"""A chart shows at most the last this many evaluations (this run included)."""
MAX_SERIES = 6
"""A benchmark gets at most this many charts; the page says how many more it has."""

_DIMENSIONS: dict[str | None, Dimension] = {
    "s": Dimension.TIME, "1/s": Dimension.THROUGHPUT, "B": Dimension.SIZE,
    "B/s": Dimension.DATA_RATE, "": Dimension.NUMBER, None: Dimension.NUMBER,
}  # fmt: skip
"""A history point's base unit back to its dimension (the JSON report's ``BASE_UNITS``
turned round); "1" is a ratio or a count, which ``dimension_of`` tells apart."""
_KNOWN = frozenset(d.value for d in Dimension)


@record
class TrendPoint:
    """One evaluation's value on a chart."""

    when: dt.datetime
    commit: str | None
    """None for this run when the caller did not say its commit."""
    value: float | None
    """In the base unit; None: not measured (a gap, never zero)."""
    limit: float | None
    actual: str
    """As the reports showed it."""
    ok: bool
    """Whether the value met its threshold."""
    outcome: str
    """The benchmark's outcome at that evaluation (pass, fail, waived, ...)."""
    this_run: bool = False


@record
class Chart:
    """One statistic of one series of a benchmark, oldest point first."""

    series: str
    threshold: str
    """What the newest point was held to."""
    dimension: Dimension
    points: tuple[TrendPoint, ...]
    earlier: int = 0
    """Evaluations older than the first point shown, left out (``MAX_POINTS``)."""

    @property
    def measured(self) -> list[TrendPoint]:
        return [p for p in self.points if p.value is not None]

    @property
    def ceiling(self) -> bool | None:
        """True when the limit is a most (``<``), False a least (``>``), None unknown."""
        side = direction(self.threshold)
        return None if side is None else side.startswith("<")


@record
class BenchmarkTrends:
    result: BenchmarkResult
    charts: tuple[Chart, ...]
    left_out: int = 0
    """Further series the history has for the benchmark, not charted (``MAX_SERIES``)."""


@record
class RunFacts:
    """What the page knows of this run: when it judged, and which commit (if said)."""

    when: dt.datetime
    commit: str | None


def run_facts(report: Report, commit: str | None) -> RunFacts:
    when = report.as_of or dt.datetime.combine(report.today, dt.time(), dt.timezone.utc)
    return RunFacts(when, commit)


Key = tuple[str, str]
"""A chart's identity: the series and the statistic its threshold reads."""
_Found = tuple[dt.datetime, str, str, Point]
"""A history point with its evaluation's date, commit and the benchmark's outcome."""


def _statistic(threshold: str, cache: dict[str, str]) -> str:
    """'p(95)' of 'p(95) < 250ms', 'avg' of 'mean +10% vs baseline'; the text itself when it
    is neither (findings' 'at most 5')."""
    known = cache.get(threshold)
    if known is None:
        known = threshold
        for parse in (parse_threshold, parse_change):
            try:
                known = parse(threshold.removesuffix(" vs baseline")).statistic
                break
            except ValueError:
                continue
        cache[threshold] = known
    return known


def _collected(history: History, refs: set[str]) -> dict[str, dict[Key, list[_Found]]]:
    """Every point of the named benchmarks, by benchmark and chart: one pass over history."""
    cache: dict[str, str] = {}
    found: dict[str, dict[Key, list[_Found]]] = {}
    for evaluation in history.evaluations:
        for entry in evaluation.benchmarks:
            if entry.ref not in refs:
                continue
            charts = found.setdefault(entry.ref, {})
            seen = set()
            for point in entry.points:
                key = (point.series, _statistic(point.threshold, cache))
                if key not in seen:  # one point a chart an evaluation: the first
                    seen.add(key)
                    charts.setdefault(key, []).append(
                        (evaluation.date, evaluation.commit, entry.outcome, point)
                    )
    return found


def _same_commit(one: str | None, other: str | None) -> bool:
    """Full or abbreviated (7 characters at least) names of the same commit."""
    if not one or not other or min(len(one), len(other)) < 7:
        return False
    return one.startswith(other) or other.startswith(one)


def dimension_of(unit: str | None, points: Iterable[Point]) -> Dimension:
    """What the points measure: the dimension the newest one recorded, else (a line written
    without one) told from its unit, where "1" is a ratio if a point was shown in per cent."""
    points = list(points)
    recorded = [p.dimension for p in points if p.dimension in _KNOWN]
    if recorded:
        return Dimension(recorded[-1])
    if unit == "1":
        ratio = any(p.actual.rstrip().endswith("%") for p in points)
        return Dimension.RATIO if ratio else Dimension.COUNT
    return _DIMENSIONS.get(unit, Dimension.NUMBER)


def _this_run(result: BenchmarkResult, measured: Measurement, when: dt.datetime) -> TrendPoint:
    value = measured.value
    return TrendPoint(
        when=when,
        commit=None,
        value=None if value is None else value.value,
        limit=None if measured.limit is None else measured.limit.value,
        actual=measured.actual,
        ok=measured.ok,
        outcome=result.outcome.value,
        this_run=True,
    )


def _chart(
    found: list[_Found], now: Measurement | None, result: BenchmarkResult, run: RunFacts,
    older: int = 0,
) -> Chart | None:  # fmt: skip
    """``older``: evaluations the history read and left out (``model.build``'s ``keep``),
    counted as earlier points of a chart that fills every evaluation kept (a series that
    began later says only what it shows)."""
    recorded = _same_commit(run.commit, found[-1][1])  # this run's is the newest point
    appended = now is not None and not recorded
    kept = found[-(MAX_POINTS - appended) :]
    points = [
        TrendPoint(when, commit, p.value, p.limit, p.actual, p.ok, outcome)
        for when, commit, outcome, p in kept
    ]
    if recorded:
        points[-1] = replace(points[-1], this_run=True)
    elif now is not None:
        points.append(_this_run(result, now, max(run.when, points[-1].when)))
    if not any(p.value is not None for p in points):
        return None
    if now is not None and now.value is not None:  # this run knows its own dimension
        dimension, threshold = now.value.dimension, now.threshold
    else:
        units = [p.unit for *_, p in kept if p.value is not None]
        dimension = dimension_of(units[-1] if units else None, (p for *_, p in kept))
        threshold = kept[-1][3].threshold
    earlier = len(found) - len(kept) + (older if len(found) >= MAX_POINTS else 0)
    return Chart(kept[0][3].series, threshold, dimension, tuple(points), earlier)


def gather(report: Report, history: History, commit: str | None) -> list[BenchmarkTrends]:
    """Each benchmark of the report the history has points for, in the report's order, with
    its charts: the series this run measured first, then those only the history has."""
    results = {r.benchmark.ref: r for r in report.benchmarks}
    collected = _collected(history, set(results))
    run = run_facts(report, commit)
    cache: dict[str, str] = {}
    trends = []
    for ref, result in results.items():
        by_key = collected.get(ref)
        if not by_key:
            continue
        measured = {(m.series, _statistic(m.threshold, cache)): m for m in result.measurements}
        order = [k for k in measured if k in by_key] + [k for k in by_key if k not in measured]
        older = history.older
        charts = [c for k in order if (c := _chart(by_key[k], measured.get(k), result, run, older))]
        if charts:
            trends.append(
                BenchmarkTrends(result, tuple(charts[:MAX_SERIES]), len(charts[MAX_SERIES:]))
            )
    return trends


def _percent(fraction: float) -> str:
    if not abs(fraction) < 1e4:  # 1e308 of a 0.85 limit: no 300 digits, no 'inf%'
        return f"{'less than -' if fraction < 0 else 'more than '}1,000,000%"
    return f"{fraction * 100:.0f}%"


def _span(first: dt.datetime, last: dt.datetime) -> str:
    days = (last - first).total_seconds() / 86400
    if days < 1:
        hours = round(days * 24)
        return "within an hour" if hours < 1 else f"over {count(hours, 'hour')}"
    return f"over {count(round(days), 'day')}"


def summary(chart: Chart) -> str:
    """The chart in words: '231ms, 92% of the 250ms limit; up 12% over 30 days from 206ms
    (8 evaluations)'."""
    measured = chart.measured
    first, last = measured[0], measured[-1]
    shown = format_value(last.value or 0.0, chart.dimension)
    said = f"{shown} ({'this run' if last.this_run else last.when.date().isoformat()})"
    if last.limit is not None:
        word = {True: "limit", False: "floor", None: "limit"}[chart.ceiling]
        limit = format_value(last.limit, chart.dimension)
        part = f", {_percent((last.value or 0.0) / last.limit)} of" if last.limit else ","
        said += f"{part} the {limit} {word}"
        said += "" if last.ok else " (not met)"
    if len(measured) > 1 and first.value is not None and last.value is not None:
        was = format_value(first.value, chart.dimension)
        if first.value == last.value:
            change = "unchanged"
        elif first.value == 0:
            change = "up" if last.value > 0 else "down"
        else:
            move = (last.value - first.value) / abs(first.value)
            change = f"{'up' if move > 0 else 'down'} {_percent(abs(move))}"
        said += f"; {change} {_span(first.when, last.when)} from {was}"
    gaps = len(chart.points) - len(measured)
    said += f" ({count(len(chart.points), 'evaluation')}"
    said += f", {gaps} not measured)" if gaps else ")"
    return said
