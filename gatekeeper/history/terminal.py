"""`gatekeeper history` for a terminal or a CI log: what was read, the phases and when each was
first reached, then each benchmark's latest value, its trend (a sparkline and the numbers),
its headroom to the limit and how often it did not pass.

History lines are untrusted (a workflow with write access to the branch could have written
one): every string from them goes through ``plain()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from gatekeeper.history.view import BenchmarkHistory, Headroom, HistoryView, Trend, TrendPoint
from gatekeeper.text import plain
from gatekeeper.units import fraction
from gatekeeper.words import count

BARS = "▁▂▃▄▅▆▇█"
NEAR = 0.10
"""Within this fraction of the limit, the headroom is called out."""
_COLORS = {"green": "32", "red": "31", "grey": "90", "yellow": "33", "bold": "1"}
_OUTCOME_COLOR = {"pass": "green", "fail": "red", "error": "red", "missing": "grey"}


def _paint(enabled: bool, text: str, color: str) -> str:
    return f"\033[{_COLORS[color]}m{text}\033[0m" if enabled and text.strip() else text


def day(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d")


def sparkline(points: Sequence[TrendPoint]) -> str:
    """One bar a point, scaled from the lowest value shown to the highest; '·' where a point
    has no value."""
    values = [p.value for p in points if p.value is not None]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low
    bars = []
    for p in points:
        if p.value is None:
            bars.append("·")
        else:
            step = (
                (len(BARS) - 1) // 2
                if span == 0
                else round(fraction(p.value, low, high) * (len(BARS) - 1))
            )
            bars.append(BARS[step])
    return "".join(bars)


BEYOND = 1e4
"""A fraction whose per cent is said as 'more than 1,000,000 %': a hostile or absurd history
(1e308 against a limit of 0.85) would print 300 digits, or 'inf'."""


def percent(fraction: float) -> str:
    if not abs(fraction) < BEYOND:
        return f"{'less than -' if fraction < 0 else 'more than '}{BEYOND * 100:,.0f} %"
    shown = f"{fraction * 100:.1f}".rstrip("0").rstrip(".")
    return f"{shown} %"


def headroom_words(room: Headroom) -> str:
    """'92 % of the limit, within 8 % of it', '18 % above the limit', 'over the limit by 5 %',
    'at the limit' (which fails a strict '<' or '>')."""
    if room.margin is None:
        return "the limit is 0"
    upper = room.direction.startswith("<")
    if room.margin == 0:
        return "at the limit" if len(room.direction) == 2 else "at the limit, which fails"
    if room.margin < 0:
        side = "over" if upper else "under"
        return f"{side} the limit by {percent(-room.margin)}"
    if upper:
        said = f"{percent(room.used or 0)} of the limit"
        return said + (f", within {percent(room.margin)} of it" if room.margin < NEAR else "")
    if room.margin < NEAR:
        return f"within {percent(room.margin)} of the limit"
    return f"{percent(room.margin)} above the limit"


def _trend_lines(trend: Trend, view: HistoryView, color: bool) -> list[str]:
    latest = trend.points[-1]
    shown = plain(latest.actual) or "not measured"
    head = f"{plain(trend.series) or '(no series)'}: {shown}"
    if trend.threshold:
        head += f" against {plain(trend.threshold)}"
    if trend.headroom is not None:
        words = headroom_words(trend.headroom)
        tight = trend.headroom.margin is not None and trend.headroom.margin < NEAR
        head += f" — {_paint(color, words, 'red' if tight else 'grey')}"
    lines = [f"      {head}"]
    spark = sparkline(trend.points)
    if trend.change is not None:
        moved = trend.change
        rel = "" if moved.relative is None else f" ({'+' if moved.relative >= 0 else '-'}"
        rel += "" if moved.relative is None else f"{percent(abs(moved.relative))})"
        lines.append(
            f"        {spark} {plain(moved.first_actual)} → {plain(moved.latest_actual)}{rel} "
            f"over {count(len(trend.points), 'point')}"
        )
    elif spark:
        lines.append(f"        {spark} one measured point")
    return lines


def _benchmark_lines(bench: BenchmarkHistory, view: HistoryView, color: bool) -> list[str]:
    ref = plain(bench.ref)
    if bench.latest is None:
        return [f"  {ref}: no evaluation in the history"]
    word = _paint(color, bench.latest.upper().ljust(8), _OUTCOME_COLOR.get(bench.latest, "yellow"))
    gone = "" if bench.in_matrix else " (no longer in the matrix)"
    lines = [f"  {word}{ref}{gone}"]
    for trend in bench.trends:
        lines += _trend_lines(trend, view, color)
    tally = ", ".join(f"{n} {outcome}" for outcome, n in bench.outcomes)
    last = count(bench.window, "evaluation")
    if bench.not_passing:
        said = f"did not pass in {bench.not_passing} of the last {last}"
        lines.append(f"      {_paint(color, said, 'red')} ({tally})")
    else:
        lines.append(f"      passed in each of the last {last} ({tally})")
    return lines


def _reached(view: HistoryView) -> list[str]:
    width = max((len(plain(p.name)) for p in view.phases), default=0)
    lines = ["Phases, first reached:"]
    for phase in view.phases:
        name = plain(phase.name).ljust(width)
        got = phase.reached
        if got is None:
            lines.append(f"  {name}  not reached")
        elif got.by == "tag":
            lines.append(
                f"  {name}  {day(got.date)}  tag {plain(got.tag or '')} on {plain(got.commit)[:12]}"
            )
        else:
            commit = plain(got.commit)[:12]
            lines.append(f"  {name}  {day(got.date)}  gate first passed at {commit}")
    latest = view.latest
    if latest is not None:
        names = {p.id: p.name for p in view.phases}
        at = latest.stands_at
        where = "no phase" if at is None else plain(names.get(at, at))
        lines.append(
            f"Latest evaluation {day(latest.date)} at {plain(latest.commit)[:12]}: stands at "
            f"{where}, {plain(latest.verdict)}"
        )
    return lines


def _read_lines(view: HistoryView) -> list[str]:
    lines = []
    if view.note is not None:
        lines.append(f"history: {plain(view.note)}")
    else:
        sources = ", ".join(plain(s) for s in view.sources) or "no files"
        lines.append(f"history: {sources}")
        span = ""
        if view.first is not None and view.last_date is not None:
            span = f", {day(view.first)} to {day(view.last_date)}"
        since = "" if view.since is None else f" since {day(view.since)}"
        lines.append(f"  {count(view.evaluations, 'evaluation')}{since}{span}")
    tags = view.tags
    if tags.unavailable is not None:
        lines.append(f"phase tags: unavailable ({plain(tags.unavailable)})")
    else:
        lines.append(f"phase tags: {count(len(tags.marks), 'tag')} fit {plain(tags.pattern)!r}")
    if tags.ignored:  # named up to SHOWN_TAGS: 3,000 tags made one line of 37 KB
        ignored = ", ".join(plain(t) for t in tags.ignored[:SHOWN_TAGS])
        more = len(tags.ignored) - SHOWN_TAGS
        ignored += f" and {more:,} more (--format json lists them all)" if more > 0 else ""
        lines.append(f"  ignored (fit the pattern, name no phase): {ignored}")
    return lines


SHOWN_TAGS = 10
"""Ignored phase tags named in the terminal; the rest are counted."""


def render(view: HistoryView, *, color: bool = False) -> str:
    lines = [_paint(color, f"{plain(view.project) or 'gatekeeper'} — history", "bold")]
    lines += _read_lines(view)
    lines += ["", *_reached(view), ""]
    if view.benchmarks:
        lines.append(f"Benchmarks (each over its last {view.last} evaluations at most):")
        for bench in view.benchmarks:
            lines += _benchmark_lines(bench, view, color)
    else:
        lines.append("Benchmarks: none selected")
    return "\n".join(lines) + "\n"
