"""The KMTA example's HTML page in Chromium: every cell of the JSON report in the DOM with its
state, the gate row, the phase reached; quiet (no console error or warning, no page error);
asking for nothing but itself, from a file and from a local HTTP server as GitHub Pages
serves it; and a screenshot that is a real PNG."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser import browsing
from tests.browser.browsing import DESKTOP, PHONE, Site, open_page, png_size, screenshot, served

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

STATE_WORDS = {"green": "met", "red": "failed", "grey": "pending"}
"""A cell's state as the page says it in words (README: the HTML report's legend)."""

MATRIX = """() => {
  const table = document.querySelector('table.matrix');
  if (!table) return null;
  const cell = (c) => ({
    classes: [...c.classList],
    state: c.querySelector('.state')?.textContent.trim() ?? null,
    goal: c.querySelector('.goal')?.textContent.trim() ?? null,
    text: c.textContent.trim(),
  });
  return {
    phases: [...table.tHead.rows[0].cells].slice(1).map((c) => c.textContent.trim()),
    rows: [...table.tBodies[0].rows].map((r) => ({
      lane: r.cells[0].textContent.trim(),
      header: r.cells[0].tagName === 'TH' && r.cells[0].getAttribute('scope') === 'row',
      cells: [...r.cells].slice(1).map(cell),
    })),
    gate: [...table.tFoot.rows[0].cells].map(cell),
  };
}"""
"""The matrix as the DOM holds it: by the table's semantics (class `matrix`, thead, tbody,
tfoot; `td` classes; `.state` and `.goal`), whatever wraps the table."""


def _matrix(page: Page) -> dict[str, Any]:
    found: dict[str, Any] | None = page.evaluate(MATRIX)
    assert found is not None, "no table.matrix in the page"
    return found


def _name(report: dict[str, Any], phase: str) -> str:
    return next(str(p["name"]) for p in report["phases"] if p["id"] == phase)


def test_every_cell_of_the_report_is_in_the_page_with_its_state(
    site: Site, browser: Browser
) -> None:
    report = site.report
    with open_page(browser, site.page.as_uri()) as (page, _):
        dom = _matrix(page)
    assert dom["phases"] == [p["name"] for p in report["phases"]]
    lanes = {lane["id"]: lane["name"] for lane in report["swimlanes"]}
    assert [row["lane"] for row in dom["rows"]] == list(lanes.values())
    assert all(row["header"] for row in dom["rows"]), "each swimlane is its row's header"
    cells = {(c["swimlane"], c["phase"]): c for c in report["cells"]}
    seen = 0
    for lane_id, row in zip(lanes, dom["rows"], strict=True):
        for phase, shown in zip(report["phases"], row["cells"], strict=True):
            where = f"{lanes[lane_id]} × {phase['name']}"
            cell = cells.get((lane_id, phase["id"]))
            if cell is None:
                assert shown["text"] == "" and shown["state"] is None, f"{where}: not blank"
                continue
            seen += 1
            assert cell["state"] in shown["classes"], f"{where}: {shown['classes']}"
            assert shown["state"] == STATE_WORDS[cell["state"]], where
            assert shown["goal"] == cell["goal"], where
    assert seen == len(cells) == 12  # the example's 12 cells, every one shown


def test_the_gate_row_has_each_phase_gate_in_words(site: Site, browser: Browser) -> None:
    report = site.report
    with open_page(browser, site.page.as_uri()) as (page, _):
        gate = _matrix(page)["gate"]
    assert gate[0]["text"] == "gate"
    expected = []
    for phase in report["phases"]:
        if phase["gate"] == "passed":
            expected.append(("passed", "green"))
        else:  # the enforced gate blocks: in capitals
            word = "FAILED" if phase["id"] == report["enforced_phase"] else "failed"
            expected.append((word, "red"))
    shown = [(c["state"], next(k for k in ("green", "red") if k in c["classes"])) for c in gate[1:]]
    assert shown == expected
    assert ("FAILED", "red") in shown  # the example's Iron gate


def test_the_headline_says_the_verdict_and_the_phase_reached(site: Site, browser: Browser) -> None:
    report = site.report
    with open_page(browser, site.page.as_uri()) as (page, _):
        heading = page.locator("h1").inner_text().strip()
        title = page.title()
    reached = _name(report, report["stands_at"])
    enforced = _name(report, report["enforced_phase"])
    assert heading == f"KMTA: {enforced} gate {report['verdict'].upper()} — stands at {reached}"
    assert heading == site.terminal.splitlines()[0], "the page and the terminal say one thing"
    assert title == heading
    assert reached == "Bronze"  # examples/kmta/README.md: the Iron gate fails, at Bronze


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_page_is_quiet_and_asks_for_nothing_but_itself(
    site: Site, browser: Browser, viewport: dict[str, int]
) -> None:
    url = site.page.as_uri()
    with open_page(browser, url, viewport) as (page, watch):
        page.mouse.wheel(0, 10_000)  # anything lazy would load now
        page.wait_for_timeout(200)
    assert watch.quiet() == ""
    assert watch.requests == [url]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_screenshot_of_the_page_is_a_real_png(
    site: Site, browser: Browser, tmp_path: Path, viewport: dict[str, int]
) -> None:
    with open_page(browser, site.page.as_uri(), viewport) as (page, _):
        height = page.evaluate("() => document.documentElement.scrollHeight")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        shot = screenshot(page, tmp_path, f"kmta-{viewport['width']}")
    data = shot.read_bytes()
    assert png_size(data) == (width, height)  # the whole page, at one CSS pixel a pixel
    assert height >= viewport["height"] // 2, "the page is not a blank strip"
    assert 20_000 < len(data) < 5_000_000, f"{len(data)} bytes: not a rendered page"


def test_served_over_http_the_page_is_the_same_and_asks_for_nothing_else(
    site: Site, browser: Browser
) -> None:
    with open_page(browser, site.page.as_uri()) as (page, _):
        from_file = page.content()
        matrix = _matrix(page)
    with served(site.folder) as (url, asked), open_page(browser, url) as (page, watch):
        assert page.content() == from_file
        assert _matrix(page) == matrix
        page.wait_for_timeout(200)  # a late favicon or prefetch would be asked for by now
    assert watch.quiet() == ""
    assert watch.requests == [url]
    assert asked == ["/"], "the server was asked for more than the page"


NOISY = """<!DOCTYPE html><html lang="en"><head><title>noisy</title>
<link rel="stylesheet" href="https://cdn.example/style.css"></head>
<body><img src="http://127.0.0.1:9/chart.png" alt=""><img src="beside.png" alt="">
<script>console.error("boom"); console.warn("careful"); throw new Error("uncaught");</script>
</body></html>"""


def test_the_watch_sees_what_a_noisy_page_does(browser: Browser, tmp_path: Path) -> None:
    """The tests above can fail: a page that logs, throws and fetches is caught doing each,
    and nothing it asks for leaves the machine (refused before any connection)."""
    noisy = tmp_path / "noisy.html"
    noisy.write_text(NOISY, encoding="utf-8")
    with open_page(browser, noisy.as_uri()) as (page, watch):
        page.wait_for_timeout(200)
    said = watch.quiet()
    assert "error: boom" in said and "warning: careful" in said, said
    assert watch.errors == ["page error: uncaught"]
    asked = {"https://cdn.example/style.css", "http://127.0.0.1:9/chart.png"}
    assert asked <= set(watch.refused), watch.refused
    assert (tmp_path / "beside.png").as_uri() in watch.requests, watch.requests


def test_under_ci_a_missing_chromium_fails_and_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """.ci/run installs the browser and sets CI: these tests then never skip for want of it."""
    monkeypatch.setattr(browsing, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"not installed \(run \.ci/run's install"):
        browsing.launch(None)
