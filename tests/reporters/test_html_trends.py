"""The HTML page with a history: the phase timeline, a trend chart per benchmark series, the
history's problems, and the page's boxes and colours that keep it readable on a phone.

Histories are real history lines (``from_report`` of a scenario's report, ``dumps``, read back
with ``read_lines``) with the values of one series set to the ones a test chooses; the charts
are checked on what they carry (each point's number and time, the limit's height), not on
their look.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from scenarios import SCENARIOS, TODAY, Scenario, by_metric, matrix, read, series
from test_html_badge import HTML_ATTRIBUTES, HTML_TAGS, Page

from gatekeeper.history.model import History, TagMark, build
from gatekeeper.history.records import (
    BenchmarkEntry,
    Evaluation,
    Point,
    dumps,
    from_report,
    moment,
    read_lines,
)
from gatekeeper.model import Cell, Swimlane
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.common import verdict
from gatekeeper.reporters.html import _STYLE, CSP
from gatekeeper.reporters.trends import (
    MAX_POINTS,
    MAX_SERIES,
    Chart,
    TrendPoint,
    dimension_of,
    summary,
)
from gatekeeper.text import markup
from gatekeeper.units import Dimension, Quantity, format_value

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
REF = "ingress/bronze/track-latency"
P95 = "p(95) < 250ms"
NOW = 0.2013
"""This run's p(95) of the passing scenario's track-latency, in seconds."""
SVG_TAGS = {"svg", "path", "circle", "text", "title"}
HISTORY_TAGS = {"h4", "ol", "time", "strong"}
HISTORY_ATTRIBUTES = {
    "data-phase", "aria-current", "datetime", "id", "data-benchmark", "aria-labelledby",
    "viewbox", "d", "cx", "cy", "r", "data-value", "data-date", "x", "y", "text-anchor",
}  # fmt: skip


@functools.cache
def _base(name: str) -> str:
    scenario = SCENARIOS[name]()
    report = scenario.report
    line = from_report(
        report, verdict(report, scenario.exit_code), commit="0" * 40, key="k", when=WHEN,
        ref="refs/heads/main", run_url="https://github.com/o/r/actions/runs/1",
    )  # fmt: skip
    return dumps(line)


@functools.cache
def _template() -> Point:
    """A history point as a line reads back: track-latency's p(95), in seconds, limit 0.25."""
    [evaluation] = read_lines("t", [_base("passing").encode()])
    assert isinstance(evaluation, Evaluation)
    return next(b for b in evaluation.benchmarks if b.ref == REF).points[0]


def a_point(**fields: Any) -> Point:
    """A point like the template but for ``fields`` (whatever else a record holds)."""
    return dataclasses.replace(_template(), **fields)


def commit(i: int) -> str:
    return f"{i:07d}" + "f" * 33


Edit = Callable[[int, dict[str, Any]], None]


def _points(obj: dict[str, Any], ref: str) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = next(b for b in obj["benchmarks"] if b["ref"] == ref)["points"]
    return points


def lines(
    values: Sequence[float | None],
    *,
    name: str = "passing",
    ref: str = REF,
    threshold: str = P95,
    step: dt.timedelta = dt.timedelta(days=1),
    edit: Edit | None = None,
) -> list[bytes]:
    """A history line a push, one a day from WHEN: ``ref``'s ``threshold`` point at each value."""
    made = []
    for i, value in enumerate(values):
        obj = json.loads(_base(name))
        obj.update(key=f"k{i}", commit=commit(i), date=moment(WHEN + i * step))
        point = next(p for p in _points(obj, ref) if p["threshold"] == threshold)
        shown = "" if value is None else format_value(value, Dimension.TIME)
        ok = value is not None and value < point["limit"]
        point.update(value=value, actual=shown, ok=ok)
        if edit is not None:
            edit(i, obj)
        made.append(dumps(obj).encode())
    return made


def history(values: Sequence[float | None], **how: Any) -> History:
    return build(read_lines("h.jsonl", lines(values, **how)))


def render(
    found: History | None, *, name: str = "passing", commit: str | None = None,
    tags: tuple[TagMark, ...] = (),
) -> str:  # fmt: skip
    scenario = SCENARIOS[name]()
    options = RenderOptions(scenario.exit_code, history=found, tags=tags, commit=commit)
    return REPORTERS["html"](scenario.report, options)


def charts(text: str, ref: str = REF, threshold: str = P95) -> list[tuple[str, Page]]:
    """Each chart of ``ref`` held to ``threshold``: its line of facts and its SVG, parsed."""
    found = []
    for block in text.split('<div class="chart">')[1:]:
        block = block.split("</div>")[0]
        about, svg = block.split("\n")[1], block[block.index("<svg") : block.index("</svg>") + 6]
        if (
            f'data-benchmark="{ref}"' in svg
            and f"threshold <code>{markup(threshold)}</code>" in about
        ):
            found.append((about, Page(svg)))
    return found


def the_chart(text: str, ref: str = REF, threshold: str = P95) -> tuple[str, Page]:
    [found] = charts(text, ref, threshold)
    return found


def circles(svg: Page) -> list[dict[str, str | None]]:
    return svg.tags("circle")


def points(svg: Page) -> list[dict[str, str | None]]:
    return [c for c in circles(svg) if (c.get("class") or "").split()[0] == "point"]


def values_of(svg: Page) -> list[float]:
    return [float(c["data-value"] or "nan") for c in points(svg)]


# --- what the charts carry --------------------------------------------------------------------


def test_points_carry_the_history_values_and_dates_then_this_run() -> None:
    values = [0.18, 0.19, 0.2, 0.21, 0.24]
    _, svg = the_chart(render(history(values)))
    assert values_of(svg) == [*values, NOW]
    dates = [c["data-date"] for c in points(svg)]
    assert dates[:-1] == [moment(WHEN + dt.timedelta(days=i)) for i in range(len(values))]
    assert dates[-1] == moment(dt.datetime.combine(TODAY, dt.time(), UTC))
    titles = svg.text_of("title")
    assert titles[0] == "2026-10-01 09:00 UTC · 0000000 · 180ms · pass"
    assert titles[-1] == "2026-11-26 00:00 UTC · this run · 201.3ms · pass"
    xs = [float(c["cx"] or "") for c in points(svg)]
    assert xs == sorted(xs), "time runs left to right"


def test_the_limit_line_stands_at_the_limit() -> None:
    values = [0.18, 0.3, 0.2]
    _, svg = the_chart(render(history(values)))
    pairs = [(float(c["data-value"] or ""), float(c["cy"] or "")) for c in points(svg)]
    (v1, y1), (v2, y2) = pairs[0], pairs[1]
    at_limit = y1 + (0.25 - v1) * (y2 - y1) / (v2 - v1)  # the axis is linear in the value
    [limit] = [p["d"] for p in svg.tags("path") if p.get("class") == "limit"]
    found = re.fullmatch(r"M66 ([\d.]+) H348", limit or "")
    assert found, limit
    assert float(found[1]) == pytest.approx(at_limit, abs=0.1)
    higher = [y for v, y in pairs if v > 0.25]
    assert higher and all(y < float(found[1]) for y in higher), "above the limit is up"


def test_a_changed_limit_is_a_step() -> None:
    def tighten(i: int, obj: dict[str, Any]) -> None:
        if i >= 2:
            next(p for p in _points(obj, REF) if p["threshold"] == P95)["limit"] = 0.22

    _, svg = the_chart(render(history([0.18, 0.19, 0.2, 0.21], edit=tighten)))
    [limit] = [p["d"] or "" for p in svg.tags("path") if p.get("class") == "limit"]
    heights = set(re.findall(r"[\d.]+ ([\d.]+)", limit))
    assert len(heights) == 2, limit


def test_failing_points_are_a_ring_with_a_cross_not_only_a_colour() -> None:
    values = [0.2, 0.26, 0.3, 0.24]
    text = render(history(values))
    _, svg = the_chart(text)
    classes = [c.get("class") for c in points(svg)]
    assert classes == ["point", "point fail", "point fail", "point", "point"]
    crosses = [p for p in svg.tags("path") if p.get("class") == "cross"]
    assert len(crosses) == 2
    assert [t for t in svg.text_of("title") if "fail" in t] == [  # the point, then its benchmark
        "2026-10-02 09:00 UTC · 0000001 · 260ms · fail (benchmark pass)",
        "2026-10-03 09:00 UTC · 0000002 · 300ms · fail (benchmark pass)",
    ]
    assert ".trend .fail{fill:#fff;" in text, "a ring: hollow, unlike a met point"


def test_missing_values_are_gaps_not_zero() -> None:
    _, svg = the_chart(render(history([0.2, None, None, 0.21])))
    assert values_of(svg) == [0.2, 0.21, NOW]
    gaps = [p for p in svg.tags("path") if p.get("class") == "gap"]
    assert len(gaps) == 2
    assert "2026-10-02 09:00 UTC · 0000001 · not measured · benchmark pass" in svg.text_of("title")
    [line] = [p["d"] or "" for p in svg.tags("path") if p.get("class") == "line"]
    assert line.count("M") == 2, "the line breaks at the gap"


def test_at_most_the_last_60_evaluations() -> None:
    values = [0.1 + i / 1000 for i in range(75)]
    about, svg = the_chart(render(history(values)))
    assert MAX_POINTS == 60
    assert values_of(svg) == [*values[-59:], NOW]
    assert f"the last 60 of {len(values) + 1} evaluations" in about


@pytest.mark.parametrize(
    ("said", "appended"),
    [(None, True), (commit(2), False), (commit(2)[:7], False), (commit(9), True)],
    ids=["unknown", "newest", "newest-short", "another"],
)
def test_this_run_is_the_newest_point_unless_recorded(said: str | None, appended: bool) -> None:
    values = [0.18, 0.19, 0.22]
    text = render(history(values), commit=said)
    _, svg = the_chart(text)
    assert values_of(svg) == ([*values, NOW] if appended else values)
    [ring] = [c for c in circles(svg) if c.get("class") == "this-run"]
    newest = points(svg)[-1]
    assert (ring["cx"], ring["cy"]) == (newest["cx"], newest["cy"])
    assert "this run" in svg.text_of("text")
    assert svg.text_of("title")[-1].endswith(
        "this run · 201.3ms · pass" if appended else "0000002 · this run · 220ms · pass"
    )


def test_one_chart_per_statistic_and_series_capped() -> None:
    def more(_: int, obj: dict[str, Any]) -> None:
        model = next(p for p in _points(obj, REF) if p["threshold"] == P95)
        _points(obj, REF).extend({**model, "series": f"extra{j}"} for j in range(8))

    text = render(history([0.2, 0.21], edit=more))
    charted = [c for c in re.findall(r'data-benchmark="([^"]*)"', text) if c == REF]
    assert len(charted) == MAX_SERIES == 6
    assert '<p class="muted">4 more series not charted</p>' in text  # 8 + p(95) and max
    assert len(charts(text)) == 5, "p(95) of the run's series and of four extra ones"
    assert len(charts(text, threshold="max < 2s")) == 1, "max is a chart of its own"


def test_summary_says_the_chart_in_words_and_labels_it() -> None:
    text = render(history([0.2, 0.22]))
    _, svg = the_chart(text)
    [attrs] = svg.tags("svg")
    assert attrs["role"] == "img" and attrs["class"] == "trend" and attrs["data-benchmark"] == REF
    label = attrs["aria-labelledby"]
    said = re.search(rf'<p class="summary" id="{label}">([^<]*)</p>', text)
    assert said, "the words are on the page, not only in the SVG"
    assert said[1] == (
        "201.3ms (this run), 81% of the 250ms limit; up 1% over 56 days from 200ms (3 evaluations)"
    )


def test_summary_words_for_a_floor_a_fall_and_a_miss() -> None:
    day = dt.timedelta(days=1)

    def point(i: int, value: float, ok: bool = True) -> TrendPoint:
        return TrendPoint(WHEN + i * day, commit(i), value, 2000.0, "", ok, "pass")

    chart = Chart("rps", "rate > 2000/s", Dimension.THROUGHPUT,
                  (point(0, 2500.0), point(1, 1800.0, ok=False)))  # fmt: skip
    assert summary(chart) == (
        "1800/s (2026-10-02), 90% of the 2000/s floor (not met); down 28% over 1 day from "
        "2500/s (2 evaluations)"
    )


def test_the_dimension_of_a_history_unit() -> None:
    def p(actual: str, dimension: str | None = None) -> Point:
        return a_point(value=0.5, unit="1", actual=actual, dimension=dimension)

    # what a point recorded wins, the newest one's: a count shown with a % is still a count
    assert dimension_of("1", [p("50%", "ratio"), p("50%", "count")]) is Dimension.COUNT
    assert dimension_of("1", [p("3", "ratio")]) is Dimension.RATIO
    # a line written without one: told from the unit and how it was shown
    assert dimension_of("1", [p("50%")]) is Dimension.RATIO
    assert dimension_of("1", [p("3")]) is Dimension.COUNT
    assert dimension_of("s", []) is Dimension.TIME
    assert dimension_of("1/s", []) is Dimension.THROUGHPUT
    assert dimension_of(None, []) is Dimension.NUMBER


# --- the timeline -----------------------------------------------------------------------------


def _gates_fail_until(day: int) -> Edit:
    def edit(i: int, obj: dict[str, Any]) -> None:
        if i < day:
            for phase in obj["phases"]:
                phase["gate"] = "failed"

    return edit


def timeline(text: str) -> list[tuple[dict[str, str | None], str]]:
    parsed = Page(text)
    assert parsed.tags("ol") == [{"class": "timeline"}]
    return [
        (attrs, body)
        for tag, attrs, body in parsed.elements
        if tag == "li" and "data-phase" in attrs
    ]


def test_timeline_says_when_and_how_each_phase_was_reached() -> None:
    tag = TagMark("stone", "phase/stone", WHEN - dt.timedelta(days=10), "c" * 40)
    text = render(history([0.2, 0.21, 0.22], edit=_gates_fail_until(2)), tags=(tag,))
    items = timeline(text)
    assert [a["data-phase"] for a, _ in items] == ["stone", "bronze", "iron"]
    assert [body for _, body in items] == [
        "Stone reached 2026-09-21: phase tag phase/stone",
        "Bronze reached 2026-10-03: gate first passed at 0000002 stands here",
        "Iron not reached",
    ]
    assert [a.get("aria-current") for a, _ in items] == [None, "step", None]
    assert [a["class"] for a, _ in items] == ["reached", "reached stands", "not-reached"]
    assert text.index('<ol class="timeline">') < text.index('<table class="matrix">')


def test_a_phase_this_run_reaches_first() -> None:
    items = timeline(render(history([0.2], edit=_gates_fail_until(1))))
    assert [body for _, body in items][:2] == [
        "Stone reached by this run: its gate passes now",
        "Bronze reached by this run: its gate passes now stands here",
    ]


def test_tags_alone_make_a_timeline_and_no_trends() -> None:
    tag = TagMark("stone", "<script>x</script>", WHEN, "c" * 40)
    text = render(None, tags=(tag,))
    assert timeline(text)[0][1] == "Stone reached 2026-10-01: phase tag <script>x</script>"
    assert "<script>" not in text and "<h2>Trends" not in text


# --- what the page leaves out -----------------------------------------------------------------


def test_no_history_or_an_empty_one_changes_nothing() -> None:
    plain = render(None)
    assert render(History(())) == plain
    assert "timeline" not in plain.split("<style>")[1].split("</style>")[1]
    assert "<svg" not in plain and "Trends" not in plain


def test_benchmarks_the_matrix_no_longer_has_are_ignored() -> None:
    def rename(_: int, obj: dict[str, Any]) -> None:
        for bench in obj["benchmarks"]:
            bench["ref"] = "gone/" + bench["ref"].split("/", 1)[1]

    text = render(history([0.2, 0.21], edit=rename))
    assert "<h2>Trends" not in text and "gone/" not in text
    assert '<ol class="timeline">' in text, "the pushes still say which gates passed"


def test_a_benchmark_without_history_has_no_chart() -> None:
    def only_p95(_: int, obj: dict[str, Any]) -> None:
        for bench in obj["benchmarks"]:
            if bench["ref"] != REF:
                bench["points"] = []

    text = render(history([0.2, 0.21], edit=only_p95))
    assert set(re.findall(r'data-benchmark="([^"]*)"', text)) == {REF}
    assert text.count("<h3>") == 1


def test_problems_are_counted_and_the_first_few_named() -> None:
    bad = [b"{oops", b'{"history_version": 9}'] * 4
    text = render(build(read_lines("h.jsonl", [*lines([0.2]), *bad])))
    assert "The history has 8 lines that could not be read" in text
    named = re.findall(r"<li><code>(h\.jsonl:\d+: [^<]*)</code></li>", text)
    assert [n.split(":")[1] for n in named] == ["2", "3", "4", "5", "6"]
    assert "<li>and 3 more</li>" in text
    only_bad = render(build(read_lines("h.jsonl", bad)))
    assert "The history has 8 lines" in only_bad and '<ol class="timeline">' not in only_bad


# --- hostile history --------------------------------------------------------------------------

HOSTILE = "</svg><script>alert(1)</script>\n::error::owned ##[error]x"


def test_hostile_history_text_is_inert() -> None:
    def poison(_: int, obj: dict[str, Any]) -> None:
        obj["commit"] = HOSTILE
        obj["run_url"] = "javascript:alert(1)" + HOSTILE
        for point in _points(obj, REF):
            point.update(threshold=HOSTILE, actual=HOSTILE, series=HOSTILE)
        gone = {"ref": HOSTILE, "outcome": "pass", "points": []}  # a ref the matrix has not
        obj["benchmarks"].append(gone)

    bad_line = json.loads(_base("passing"))
    bad_line["date"] = HOSTILE
    found = build(
        read_lines("<script>.jsonl", [*lines([0.2, 0.3], edit=poison), dumps(bad_line).encode()])
    )
    assert len(found.evaluations) == 2 and len(found.problems) == 1
    text = render(found)
    assert "<script" not in text and "</svg><" not in text and "##[" not in text
    assert "javascript:" not in text, "the run's URL is not shown"
    body = text.split("</style>\n")[1]
    assert all(line.startswith("<") for line in body.splitlines()), "a line is no command"
    parsed = Page(text)
    assert "</svg><script>alert(1)</script> ::error::owned ##[error]x" in parsed.text
    assert parsed.open == []
    [(_, svg)] = charts(text, threshold=" ".join(HOSTILE.split()))
    assert values_of(svg) == [0.2, 0.3]  # this run's series is another one now
    assert "&lt;script&gt;.jsonl:3: " in text


@pytest.mark.parametrize("name", ["passing", "failing", "hostile"])
def test_page_with_history_has_only_our_tags(name: str) -> None:
    made = [json.loads(_base(name)) for _ in range(3)]
    for i, obj in enumerate(made):
        obj.update(key=f"k{i}", commit=commit(i), date=moment(WHEN + dt.timedelta(days=i)))
    found = build(read_lines("h", [dumps(o).encode() for o in made]))
    text = render(found, name=name)
    parsed = Page(text)
    assert parsed.open == [] and not parsed.comments
    assert {tag for tag, _ in parsed.starts} <= HTML_TAGS | HISTORY_TAGS | SVG_TAGS
    attributes = {a for _, attrs in parsed.starts for a in attrs}
    assert attributes <= HTML_ATTRIBUTES | HISTORY_ATTRIBUTES
    for _, attrs in parsed.starts:
        assert not [a for a in attrs if a.startswith("on") or a in ("href", "src", "style")]
    assert f'content="{CSP}"' in text
    ids = [a["id"] for a in parsed.tags("p") if "id" in a]
    assert len(ids) == len(set(ids))
    assert [a["aria-labelledby"] for a in parsed.tags("svg")] == ids


# --- a phone and the eye ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_table_scrolls_in_its_own_named_box(name: str) -> None:
    text = render(None, name=name)
    tables = text.count("<table")
    boxes = re.findall(
        r'<div class="scroll" role="region" aria-label="([^"]+)" tabindex="0">\n<table', text
    )
    assert len(boxes) == tables and len(set(boxes)) == tables
    matrix_box = '<div class="scroll" role="region" aria-label="Swimlanes × phases matrix"'
    assert f'{matrix_box} tabindex="0">\n<table class="matrix">' in text
    assert ".scroll{overflow-x:auto;" in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text


def _rules(style: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
        declared = dict(d.split(":", 1) for d in body.split(";") if ":" in d)
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(declared)
    return rules


def _luminance(colour: str) -> float:
    hex6 = colour.lstrip("#")
    hex6 = "".join(c * 2 for c in hex6) if len(hex6) == 3 else hex6
    channels = [int(hex6[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_meet_wcag_aa() -> None:
    """Text 4.5:1 against every background it is drawn on; lines and marks 3:1 (non-text)."""
    rules = _rules(_STYLE)
    text = rules["body"]["color"]
    white = rules["body"]["background"]
    backgrounds = [white, rules["thead th"]["background"]] + [
        rules[s]["background"] for s in (".green", ".red", ".grey", ".timeline .reached")
    ]
    for background in backgrounds:
        assert contrast(text, background) >= 4.5, background
    for selector in (".ok", ".bad", ".warn", ".muted", "footer"):
        assert contrast(rules[selector]["color"], white) >= 4.5, selector
    assert contrast(rules[".trend .label"]["fill"], white) >= 4.5
    for selector in (".trend .line", ".trend .limit", ".trend .fail", ".trend .cross",
                     ".trend .axis", ".trend .gap", ".trend .this-run"):  # fmt: skip
        assert contrast(rules[selector]["stroke"], white) >= 3, selector
    assert contrast(rules[".trend .point"]["fill"], white) >= 3
    outline = rules[".scroll:focus"]["outline"].split()[-1]
    assert contrast(outline, white) >= 3 and rules[":focus-visible"]["outline"]


# --- size and time ----------------------------------------------------------------------------


def _big(benchmarks: int, evaluations: int) -> tuple[Scenario, History]:
    lanes = tuple(Swimlane(f"lane{i}", f"Lane {i}") for i in range(benchmarks // 10))
    cells = tuple(
        Cell(lane.id, "stone", f"goal {lane.id}", tuple(
            by_metric(lane.id, "stone", f"m{j}", f"metric{lane.id}{j}", P95) for j in range(10)
        ))
        for lane in lanes
    )  # fmt: skip
    metrics = [
        series(f"metric{lane.id}{j}", p95=Quantity(0.2, Dimension.TIME))
        for lane in lanes
        for j in range(10)
    ]
    scenario = Scenario("big", matrix("big", lanes, cells), {"k6": read("k6", "k6.json", *metrics)})
    refs = [b.benchmark.ref for b in scenario.report.benchmarks]
    made = []
    for i in range(evaluations):
        value = 0.15 + (i % 50) / 500

        def entry(ref: str, value: float = value) -> BenchmarkEntry:
            name = f"metric{ref.split('/')[0]}{ref[-1]}"
            shown = f"{value * 1000:g}ms"
            measured = a_point(series=name, value=value, actual=shown, ok=value < 0.25)
            return BenchmarkEntry(ref, "pass", (measured,))

        when = WHEN + dt.timedelta(hours=i)
        entries = tuple(entry(ref) for ref in refs)
        passed = ("stone",)
        made.append(
            Evaluation(f"k{i}", commit(i), when, None, None, "passed", "stone", "stone", passed,
                       entries, f"h:{i}")
        )  # fmt: skip
    return scenario, build(made)


def test_a_long_history_of_many_benchmarks_stays_quick_and_small() -> None:
    """1,000 evaluations of 100 benchmarks: the cap keeps the page to 60 points a chart. A
    sanity bound on the time (seconds on a loaded runner), not a benchmark."""
    scenario, found = _big(100, 1000)
    report = scenario.report
    started = time.perf_counter()
    text = REPORTERS["html"](report, RenderOptions(scenario.exit_code, history=found))
    took = time.perf_counter() - started
    assert text.count('<svg role="img" class="trend"') == 100
    assert text.count('class="point') == 100 * MAX_POINTS
    assert took < 5, took
    assert len(text.encode()) < 2_000_000
