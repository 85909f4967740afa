"""One trend chart as inline SVG: no script, no font, no link, nothing the page's
Content-Security-Policy (``default-src 'none'; style-src 'unsafe-inline'``) would refuse.

Time runs left to right in proportion, the value bottom to top between the smallest and the
largest of the values and limits (the axis labels). Every point is a ``circle.point`` with
its number (``data-value``, base unit) and time (``data-date``) and a ``<title>`` a pointer
or a screen reader shows; a point that failed its threshold is a ring with a cross (not only
a colour); this run has a ring around it and the words "this run"; an evaluation that
measured nothing is a tick on the axis and a break in the line, never a zero. Every element
is written with its end tag (no ``/>``), and every text goes through ``markup()``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from gatekeeper.history.records import moment
from gatekeeper.reporters.common import moment_words
from gatekeeper.reporters.trends import Chart, TrendPoint
from gatekeeper.text import markup
from gatekeeper.units import format_value, fraction

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 66, 348, 14, 116
"""The plot area in the view box: the value labels left of it, the dates under it."""


def _number(value: float) -> str:
    """A coordinate: one decimal, no trailing '.0'."""
    return f"{value:.1f}".removesuffix(".0")


def _scale(chart: Chart) -> tuple[float, float]:
    """The values' axis: lowest and highest of the values and limits, apart."""
    numbers = [p.value for p in chart.measured if p.value is not None]
    numbers += [p.limit for p in chart.points if p.limit is not None]
    low, high = min(numbers), max(numbers)
    if low == high:
        spread = abs(low) * 0.1 or 1.0
        low, high = max(low - spread, -sys.float_info.max), min(high + spread, sys.float_info.max)
    return low, high


def _axes(chart: Chart) -> tuple[Callable[[TrendPoint], float], Callable[[float], float]]:
    first, last = chart.points[0].when, chart.points[-1].when
    span = (last - first).total_seconds()
    low, high = _scale(chart)

    def x(point: TrendPoint) -> float:
        if span <= 0:
            return (LEFT + RIGHT) / 2 if len(chart.points) == 1 else LEFT + _index(point)
        return LEFT + (point.when - first).total_seconds() / span * (RIGHT - LEFT)

    def _index(point: TrendPoint) -> float:  # every point at one time: spread them evenly
        return chart.points.index(point) / (len(chart.points) - 1) * (RIGHT - LEFT)

    def y(value: float) -> float:
        return BOTTOM - fraction(value, low, high) * (BOTTOM - TOP)

    return x, y


def _title(point: TrendPoint, chart: Chart) -> str:
    parts = [moment_words(point.when)]
    if point.commit:
        parts.append(point.commit[:7])
    if point.this_run:
        parts.append("this run")
    if point.value is None:
        return " · ".join([*parts, "not measured", f"benchmark {point.outcome}"])
    parts.append(point.actual or format_value(point.value, chart.dimension))
    word = "pass" if point.ok else "fail"
    parts.append(word if point.outcome == word else f"{word} (benchmark {point.outcome})")
    return " · ".join(parts)


def _path(runs: list[list[tuple[float, float]]]) -> str:
    return " ".join(
        "M" + " L".join(f"{_number(x)} {_number(y)}" for x, y in run) for run in runs if run
    )


def _runs(pairs: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Consecutive pairs with a number, split where one has none."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in pairs:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def _limit_path(chart: Chart, x: Callable[[TrendPoint], float], y: Callable[[float], float]) -> str:
    """One level while the limit stays, a step where it changes, a break where none is."""
    limits = {p.limit for p in chart.points}
    if len(limits) == 1 and None not in limits:
        (only,) = limits
        assert only is not None
        return f"M{LEFT} {_number(y(only))} H{RIGHT}"
    steps: list[tuple[float, float | None]] = []
    points = chart.points
    for i, point in enumerate(points):
        end = x(points[i + 1]) if i + 1 < len(points) else RIGHT
        level = None if point.limit is None else y(point.limit)
        steps += [(x(point) if i else LEFT, level), (end, level)]
        if i + 1 < len(points) and points[i + 1].limit != point.limit:
            steps.append((end, None))
    return _path(_runs(steps))


def chart_svg(chart: Chart, ref: str, label_id: str) -> str:
    """The chart; ``label_id`` names the visible text that says it in words."""
    x, y = _axes(chart)
    low, high = _scale(chart)
    parts = [
        f'<svg role="img" class="trend" data-benchmark="{markup(ref)}" '
        f'aria-labelledby="{label_id}" viewBox="0 0 {WIDTH} {HEIGHT}">',
        f'<path class="axis" d="M{LEFT} {TOP} V{BOTTOM} H{RIGHT}"></path>',
        f'<text class="label" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">'
        f"{markup(format_value(high, chart.dimension))}</text>",
        f'<text class="label" x="{LEFT - 6}" y="{BOTTOM}" text-anchor="end">'
        f"{markup(format_value(low, chart.dimension))}</text>",
    ]
    first, last = chart.points[0], chart.points[-1]
    dates = [(LEFT, "start", first)]
    if last.when.date() != first.when.date():
        dates.append((RIGHT, "end", last))
    for at, anchor, point in dates:
        parts.append(
            f'<text class="label" x="{at}" y="{BOTTOM + 20}" text-anchor="{anchor}">'
            f"{point.when.date().isoformat()}</text>"
        )
    if any(p.limit is not None for p in chart.points):
        parts.append(f'<path class="limit" d="{_limit_path(chart, x, y)}"></path>')
    line = _runs([(x(p), None if p.value is None else y(p.value)) for p in chart.points])
    if any(len(run) > 1 for run in line):
        parts.append(f'<path class="line" d="{_path(line)}"></path>')
    for point in chart.points:
        parts += _point(point, chart, x(point), y)
    return "\n".join([*parts, "</svg>"])


def _point(point: TrendPoint, chart: Chart, cx: float, y: Callable[[float], float]) -> list[str]:
    title = f"<title>{markup(_title(point, chart))}</title>"
    at = _number(cx)
    if point.value is None:
        return [f'<path class="gap" d="M{at} {BOTTOM - 5} V{BOTTOM + 5}">{title}</path>']
    cy = y(point.value)
    where = f'cx="{at}" cy="{_number(cy)}"'
    data = f'data-value="{point.value!r}" data-date="{moment(point.when)}"'
    if point.ok:
        parts = [f'<circle class="point" {where} r="3.5" {data}>{title}</circle>']
    else:
        cross = f"M{_number(cx - 3)} {_number(cy - 3)} l6 6 m0 -6 l-6 6"
        parts = [
            f'<circle class="point fail" {where} r="5" {data}>{title}</circle>',
            f'<path class="cross" d="{cross}"></path>',
        ]
    if point.this_run:
        # the words (left of the point) go on the side the line does not come from: below a
        # line that falls into the point from above, over its last few points; else above
        before = [p.value for p in chart.points[: chart.points.index(point)] if p.value is not None]
        falling = any(y(value) < cy - 4 for value in before[-3:])
        below_fits, above_fits = cy + 20 < BOTTOM - 2, cy - 12 > TOP + 10
        above = cy + 20 if (falling and below_fits) or not above_fits else cy - 12
        parts += [
            f'<circle class="this-run" {where} r="9"></circle>',
            f'<text class="label" x="{_number(min(cx, RIGHT) - 12)}" y="{_number(above)}" '
            'text-anchor="end">this run</text>',
        ]
    return parts
