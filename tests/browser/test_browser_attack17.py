"""The page of a hostile history in a real browser (attack17): values at the ends of a
float's range and hostile text in every string leave it quiet (no console error, no page
error, no request but itself) and script-free."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.cli import main
from tests.browser.browsing import open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ROOT / "examples" / "kmta" / "gatekeeper.yml"
LINE = (ROOT / "examples" / "kmta" / "history" / "2026-11.jsonl").read_text().splitlines()[0]
HOSTILE = "\"'><script>alert(1)</script><img src=http://x.invalid/a> \u202e ::error::x"


def _line(key: str, date: str, value: float) -> str:
    record = json.loads(LINE)
    record.update(key=key, date=date, commit=f"{key}{HOSTILE}")
    for bench in record["benchmarks"]:
        bench["summary"] = HOSTILE
        for point in bench["points"]:
            point.update(value=value, actual=HOSTILE, threshold=point["threshold"] + HOSTILE)
    return json.dumps(record)


def test_a_page_of_extreme_and_hostile_history_stays_quiet(
    browser: Browser, tmp_path: Path
) -> None:
    history = tmp_path / "h.jsonl"
    lines = [_line("a", "2026-10-01T00:00:00Z", 1e308), _line("b", "2026-11-01T00:00:00Z", -1e308)]
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page_file = tmp_path / "index.html"
    main(["check", "--matrix", str(MATRIX), "--as-of", "2026-12-01T12:00:00Z", "--format", "none",
          "--output", f"html:{page_file}", "--history", str(history)])  # fmt: skip
    with open_page(browser, page_file.as_uri()) as (page, watch):
        charts = page.locator("svg.trend").count()
        scripts = page.locator("script").count()
        images = page.locator("img").count()
    assert charts > 0
    assert (scripts, images) == (0, 0)
    assert watch.quiet() == ""
