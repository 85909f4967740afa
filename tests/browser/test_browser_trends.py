"""The KMTA example's page rendered with its history (examples/kmta/history/): each trend chart
plots its benchmark's values at their dates, and the timeline names each phase reached and when.

The page's contract for them: each chart is `<svg role="img" class="trend"
data-benchmark="<benchmark ref>" aria-label=...>` (or aria-labelledby) with one
`<circle class="point" data-value="<number, base unit>" data-date="<ISO date>">` a point; the
timeline is `<ol class="timeline">` with a `<li data-phase="<phase id>">` for each phase
reached (the date it was first reached in its text, or in a `<time datetime>` inside it).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.browsing import Site, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

CHARTS = """() => [...document.querySelectorAll('svg.trend')].map((svg) => {
  const box = svg.getBoundingClientRect();
  const named = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent.trim() ?? '').join(' ');
  return {
    benchmark: svg.dataset.benchmark ?? null,
    role: svg.getAttribute('role'),
    label: (svg.getAttribute('aria-label') || named).trim(),
    points: [...svg.querySelectorAll('circle.point')].map((c) => {
      const r = c.getBoundingClientRect();
      return {
        value: c.dataset.value ?? null, date: c.dataset.date ?? null,
        inside: r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1 &&
                r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
      };
    }),
  };
})"""

TIMELINE = """() => {
  const list = document.querySelector('ol.timeline');
  return list && [...list.querySelectorAll(':scope > li')].map((li) => ({
    phase: li.dataset.phase ?? null,
    text: li.textContent.replace(/\\s+/g, ' ').trim(),
    times: [...li.querySelectorAll('time')].map((t) => t.getAttribute('datetime') || ''),
  }));
}"""


def _with_history(site: Site, page: Page) -> None:
    """The page was drawn with the example's history, and has its charts."""
    assert site.history is not None, "the page was rendered with no history"
    assert page.locator("svg.trend").count() > 0, "a page with a history has trend charts"


def _day(text: str) -> dt.date:
    """An ISO date, or the date of an ISO date and time."""
    return dt.date.fromisoformat(text[:10])


def _measured(site: Site) -> dict[str, list[tuple[dt.date, float]]]:
    """Each benchmark's values at their dates: the history's pushes, and this run."""
    assert site.history is not None
    found: dict[str, list[tuple[dt.date, float]]] = {}
    for line in site.history:
        for bench in line["benchmarks"]:
            for point in bench["points"]:
                if point["value"] is not None:
                    found.setdefault(bench["ref"], []).append((_day(line["date"]), point["value"]))
    today = _day(site.report["as_of"])
    for cell in site.report["cells"]:
        for bench in cell["benchmarks"]:
            for measured in bench["measurements"]:
                if measured["value"] is not None and bench["ref"] in found:
                    found[bench["ref"]].append((today, measured["value"]))
    return found


def _same(shown: float, value: float) -> bool:
    """The page may round a value; the pushes' values are 5 % apart."""
    return math.isclose(shown, value, rel_tol=1e-3, abs_tol=1e-12)


def test_each_chart_plots_its_benchmarks_values_at_their_dates(
    site: Site, browser: Browser
) -> None:
    with open_page(browser, site.page.as_uri()) as (page, _):
        _with_history(site, page)
        charts: list[dict[str, Any]] = page.evaluate(CHARTS)
    measured = _measured(site)
    assert {c["benchmark"] for c in charts} == set(measured), "a chart for each measured one"
    plotted: set[tuple[str, dt.date, float]] = set()
    for chart in charts:
        ref = chart["benchmark"]
        assert chart["role"] == "img" and chart["label"], f"{ref}: no role=img and name"
        assert len(chart["points"]) >= 2, f"{ref}: a trend of {len(chart['points'])} point"
        days = []
        for point in chart["points"]:
            assert point["inside"], f"{ref}: a point drawn outside its chart: {point}"
            value, day = float(point["value"]), _day(point["date"])
            assert math.isfinite(value), f"{ref}: {point}"
            match = [(d, v) for d, v in measured[ref] if d == day and _same(value, v)]
            assert match, f"{ref}: {point} is no value of this benchmark on that day"
            plotted |= {(ref, d, v) for d, v in match}
            days.append(day)
        assert days == sorted(days), f"{ref}: points out of date order"
    missing = {(ref, d, v) for ref, pairs in measured.items() for d, v in pairs} - plotted
    assert not missing, f"values on no chart: {sorted(missing)[:10]}"


def test_the_timeline_names_each_phase_reached_with_its_date(site: Site, browser: Browser) -> None:
    with open_page(browser, site.page.as_uri()) as (page, _):
        _with_history(site, page)
        timeline: list[dict[str, Any]] | None = page.evaluate(TIMELINE)
    assert timeline is not None, "no ol.timeline in the page"
    assert site.history is not None
    order = [p["id"] for p in site.report["phases"]]
    phases = [item["phase"] for item in timeline]
    assert set(phases) <= set(order) and phases == sorted(phases, key=order.index), phases
    assert len(phases) == len(set(phases)), phases
    first: dict[str, str] = {}  # phase -> the day its gate first passed in the history
    for line in sorted(site.history, key=lambda line: str(line["date"])):
        for phase in line["phases"]:
            if phase["gate"] == "passed":
                first.setdefault(phase["id"], line["date"][:10])
    assert {"stone", "bronze"} <= set(first)  # examples/kmta/README.md: both reached
    shown = {item["phase"]: item for item in timeline}
    for phase, day in first.items():
        assert phase in shown, f"{phase}: reached on {day}, not in the timeline"
        item = shown[phase]
        dates = item["text"] + " " + " ".join(item["times"])
        assert day in dates, f"{phase}: first reached on {day}, the timeline says {item}"
