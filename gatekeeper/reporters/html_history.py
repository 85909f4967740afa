"""The HTML page's memory: the phases reached and when (a timeline near the top), the lines
of history left out, and a trend chart per benchmark series (a section after the matrix).

Context beside the verdict, never part of it: the history and the phase tags come in
``RenderOptions`` (``--history``); without them the page has none of this. Every text from a
history line (commits, values as shown, thresholds, file names) goes through ``markup()``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from gatekeeper.history.model import History, Reached, first_reached
from gatekeeper.reporters.common import RenderOptions, phase_name
from gatekeeper.reporters.svg_trend import chart_svg
from gatekeeper.reporters.trends import MAX_POINTS, BenchmarkTrends, Chart, gather, summary
from gatekeeper.results import Report
from gatekeeper.text import markup
from gatekeeper.words import count

SHOWN_PROBLEMS = 5
"""The history's problems listed by name; the rest are counted."""


def _has_history(options: RenderOptions) -> bool:
    history = options.history
    return bool(options.tags) or (history is not None and bool(history.evaluations))


def _how(reached: Reached) -> str:
    if reached.by == "tag":
        return f"phase tag <code>{markup(reached.tag or '')}</code>"
    return f"gate first passed at <code>{markup(reached.commit[:7])}</code>"


def _timeline(report: Report, options: RenderOptions) -> list[str]:
    history = options.history or History(())
    phases = [p.id for p in report.matrix.phases]
    reached = first_reached(history, phases, options.tags)
    passing = {g.phase.id for g in report.gates if g.passed}
    lines = [
        "<h2>Phases reached</h2>",
        '<ol class="timeline">',
    ]
    for phase in report.matrix.phases:
        name = markup(phase_name(report, phase.id))
        found = reached.get(phase.id)
        if found is not None:
            day = found.date.date().isoformat()
            state = "reached"
            said = f'reached <time datetime="{day}">{day}</time>: {_how(found)}'
        elif phase.id in passing:
            state, said = "reached", "reached by this run: its gate passes now"
        else:
            state, said = "not-reached", "not reached"
        stands = phase.id == report.stands_at
        mark = ' aria-current="step"' if stands else ""
        here = ' <strong class="here">stands here</strong>' if stands else ""
        lines.append(
            f'<li data-phase="{markup(phase.id)}" class="{state}{" stands" if stands else ""}"'
            f'{mark}><span class="phase">{name}</span> {said}{here}</li>'
        )
    return [*lines, "</ol>"]


def _problems(history: History) -> list[str]:
    problems = history.problems
    lines = [
        f'<p class="warn">The history has {count(history.problem_count, "line")} that could not be '
        f"read, left out of the timeline and the trends:</p>",
        "<ul>",
        *(f"<li><code>{markup(str(p))}</code></li>" for p in problems[:SHOWN_PROBLEMS]),
    ]
    if history.problem_count > SHOWN_PROBLEMS:
        lines.append(f"<li>and {history.problem_count - SHOWN_PROBLEMS:,} more</li>")
    return [*lines, "</ul>"]


def history_top(report: Report, options: RenderOptions) -> list[str]:
    """Under the headline: the timeline of phases reached, and the history's problems."""
    lines = _timeline(report, options) if _has_history(options) else []
    if options.history is not None and options.history.problem_count:
        lines += _problems(options.history)
    return lines


def _chart(chart: Chart, ref: str, label_id: str) -> list[str]:
    shown = len(chart.points)
    of = f"the last {shown} of {shown + chart.earlier}" if chart.earlier else str(shown)
    about = f"threshold <code>{markup(chart.threshold)}</code> · {of} evaluations"
    if chart.series:
        about = f"series <code>{markup(chart.series)}</code> · {about}"
    return [
        '<div class="chart">',
        f'<p class="muted">{about}</p>',
        chart_svg(chart, ref, label_id),
        f'<p class="summary" id="{label_id}">{markup(summary(chart))}</p>',
        "</div>",
    ]


def _benchmark(trends: BenchmarkTrends, ids: Iterator[int]) -> list[str]:
    bench = trends.result.benchmark
    about = f" {markup(bench.description)}" if bench.description else ""
    lines = [f"<h4><code>{markup(bench.ref)}</code>{about}</h4>"]
    for chart in trends.charts:
        lines += _chart(chart, bench.ref, f"trend-{next(ids)}")
    if trends.left_out:
        lines.append(f'<p class="muted">{trends.left_out:,} more series not charted</p>')
    return lines


LEGEND = (
    '<p class="muted">Each chart: the value at each judged push, oldest on the left. '
    "● met its threshold; ⊗ (a ring with a cross) did not; the dashed line is the "
    "threshold's limit; a ring around a point and the words “this run”: this run; a tick "
    f"on the axis: not measured. At most the last {MAX_POINTS} evaluations.</p>"
)


def trends_section(report: Report, options: RenderOptions) -> list[str]:
    """After the sections that decide the verdict: the charts, grouped by cell in the matrix's
    order (swimlane by swimlane, phase by phase)."""
    if options.history is None or not options.history.evaluations:
        return []
    found = {t.result.benchmark.ref: t for t in gather(report, options.history, options.commit)}
    if not found:
        return []
    lines = ["<h2>Trends</h2>", LEGEND]
    ids = itertools.count(1)  # each chart's summary: the id its SVG is labelled by
    for lane in report.matrix.swimlanes:
        for phase in report.matrix.phases:
            cell = report.cell(lane.id, phase.id)
            here = [found[b.ref] for b in (cell.cell.benchmarks if cell else ()) if b.ref in found]
            if not here:
                continue
            where = f"{markup(lane.name)} × {markup(phase_name(report, phase.id))}"
            lines.append(f"<h3>{where}</h3>")
            for trends in here:
                lines += _benchmark(trends, ids)
    return lines
