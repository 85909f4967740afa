"""The KMTA example's HTML page, accessible and readable on a phone: axe-core finds nothing
serious or critical; at 390 CSS pixels only the matrix's own box scrolls sideways, no two
pieces of text overlap, and the keyboard reaches and scrolls the box."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.browsing import AXE, DESKTOP, INSTALL, PHONE, Site, open_page
from tests.conftest import REPO, missing_tool

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PlaywrightTimeout: type[Exception]
try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture says what is missing
    PlaywrightTimeout = TimeoutError

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

BLOCKING_IMPACTS = ("serious", "critical")

AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => n.target.join(' ') + ': ' + n.failureSummary),
  }));
}"""

PHONE_LAYOUT = """() => {
  const table = document.querySelector('table.matrix');
  const box = table.closest('[role="region"]');
  // What sticks out on the right, outside the box: each line of text past the viewport
  const wide = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || (box && box.contains(node))) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right));
    if (right > window.innerWidth) {
      wide.push(`${node.parentElement.tagName} to ${Math.round(right)} px: ` +
                `"${node.textContent.trim().slice(0, 60)}"`);
    }
  }
  return {
    page: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    wide: [...new Set(wide)],
    box: box && {
      scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
      right: box.getBoundingClientRect().right,
      overflowX: getComputedStyle(box).overflowX,
      tabindex: box.getAttribute('tabindex'), label: box.getAttribute('aria-label'),
    },
  };
}"""

TEXT_OVERLAPS = """() => {
  // Every line box of every piece of visible text; text inside the matrix's scroll box is
  // cut to what the box shows (what it scrolls out of view cannot overlap anything).
  const box = document.querySelector('table.matrix')?.closest('[role="region"]');
  const clip = box && box.getBoundingClientRect();
  const pieces = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
      if (clip && box.contains(node)) {
        left = Math.max(left, clip.left); right = Math.min(right, clip.right);
        top = Math.max(top, clip.top); bottom = Math.min(bottom, clip.bottom);
      }
      if (right - left < 1 || bottom - top < 1) continue;
      pieces.push({node, left, top, right, bottom,
                   text: node.textContent.trim().slice(0, 60), tag: node.parentElement.tagName});
    }
  }
  const overlaps = [];
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      const [a, b] = [pieces[i], pieces[j]];
      if (a.node === b.node) continue;
      const wide = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const high = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (wide > 1 && high > 1) {  // a pixel of anti-aliasing is not an overlap
        overlaps.push(`${a.tag} "${a.text}" and ${b.tag} "${b.text}" share ${wide.toFixed(1)}` +
                      `x${high.toFixed(1)} px at (${Math.max(a.left, b.left).toFixed(0)},` +
                      ` ${Math.max(a.top, b.top).toFixed(0)})`);
      }
    }
  }
  return {pieces: pieces.length, overlaps};
}"""


def _axe_violations(browser: Browser, site: Site, viewport: dict[str, int]) -> list[Any]:
    if not AXE.is_file():
        missing_tool(f"axe-core not installed at {AXE.relative_to(REPO)} (run {INSTALL})")
    with open_page(browser, site.page.as_uri(), viewport, bypass_csp=True) as (page, watch):
        page.add_script_tag(path=str(AXE))
        violations: list[Any] = page.evaluate(AXE_RUN)
    assert watch.refused == [], "axe-core asked for something"
    return violations


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_core_finds_nothing_serious(
    site: Site, browser: Browser, viewport: dict[str, int]
) -> None:
    """At both widths: some rules (a scrollable region that the keyboard cannot reach) apply
    only where something scrolls."""
    violations = _axe_violations(browser, site, viewport)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe-core:\n" + json.dumps(violations, indent=1, ensure_ascii=False)


def test_on_a_phone_only_the_matrix_box_scrolls_sideways(site: Site, browser: Browser) -> None:
    with open_page(browser, site.page.as_uri(), PHONE) as (page, _):
        layout = page.evaluate(PHONE_LAYOUT)
    assert layout["viewport"] == PHONE["width"]
    # KNOWN FAILURE on today's page (no scroll box): the whole page is ~1000 px wide
    assert layout["page"] <= PHONE["width"], "the page scrolls sideways:\n" + "\n".join(
        layout["wide"]
    )
    box = layout["box"]
    assert box is not None, "the matrix is in no role=region box"
    assert box["overflowX"] in ("auto", "scroll"), box
    assert box["scrollWidth"] > box["clientWidth"], "the matrix fits: nothing to test"
    assert box["right"] <= PHONE["width"], box
    assert box["label"], "the region has no name for a screen reader"


def test_on_a_phone_no_text_overlaps(site: Site, browser: Browser) -> None:
    with open_page(browser, site.page.as_uri(), PHONE) as (page, _):
        found = page.evaluate(TEXT_OVERLAPS)
    assert found["pieces"] > 100, "the page's text was not found"
    assert found["overlaps"] == []


def test_the_keyboard_reaches_and_scrolls_the_matrix_box(site: Site, browser: Browser) -> None:
    with open_page(browser, site.page.as_uri(), PHONE) as (page, _):
        box = page.locator("table.matrix").locator("xpath=ancestor::*[@role='region']")
        # KNOWN FAILURE on today's page (no scroll box): no such ancestor
        assert box.count() == 1, "the matrix is in no role=region box"
        assert box.get_attribute("tabindex") == "0"
        for _ in range(20):  # Tab from the top of the page until the box has the focus
            page.keyboard.press("Tab")
            if box.evaluate("(el) => el === document.activeElement"):
                break
        else:
            pytest.fail("Tab never reaches the matrix box")
        assert box.evaluate("(el) => getComputedStyle(el).outlineStyle") != "none", (
            "no visible focus"
        )
        page.keyboard.press("ArrowRight")
        moved = "(el) => el.scrollLeft > 0"  # Chromium scrolls smoothly: wait for it to move
        try:
            page.wait_for_function(moved, arg=box.element_handle(), timeout=3000)
        except PlaywrightTimeout:
            pytest.fail("the arrow keys do not scroll the matrix box")


OVERLAPPING = """<!DOCTYPE html><html lang="en"><head><title>overlapping</title></head><body>
<p style="position:absolute;top:10px;left:10px">Swimlane</p>
<p style="position:absolute;top:14px;left:40px">Phase</p>
<div role="region" style="position:absolute;top:100px;left:0;width:100px;overflow-x:auto">
<table class="matrix"><tr><td style="white-space:nowrap">hidden by scrolling, far to the right
</td></tr></table></div>
<p style="position:absolute;top:100px;left:150px">beside the box</p></body></html>"""


def test_the_overlap_check_finds_text_on_text(browser: Browser, tmp_path: Path) -> None:
    """The check above can fail: two paragraphs on top of each other are found, text the
    matrix box scrolls out of sight is not."""
    page_file = tmp_path / "overlapping.html"
    page_file.write_text(OVERLAPPING, encoding="utf-8")
    with open_page(browser, page_file.as_uri(), PHONE) as (page, _):
        found = page.evaluate(TEXT_OVERLAPS)
    assert len(found["overlaps"]) == 1, found
    assert '"Swimlane" and P "Phase"' in found["overlaps"][0]
