"""The HTML report in a real browser: Debian's Chromium, driven headless by Playwright.

What the browser tests share: rendering the bundled KMTA example's page with the real CLI (a
subprocess, `gatekeeper check --output html:... --output json:...`, as a user runs it),
launching the system Chromium (never a browser Playwright would download), and opening a page
with every console message, page error and request recorded, and every request but the page's
own refused.
"""

from __future__ import annotations

import http.server
import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.conftest import REPO, missing_tool
from tests.local_http import serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route

EXAMPLE = REPO / "examples" / "kmta"
HISTORY = EXAMPLE / "history"
"""The example's history of weekly pushes (examples/kmta/history.py writes it)."""
CHROMIUM = Path("/usr/bin/chromium")
"""Debian's `chromium` package (apt): the browser under test, never one Playwright downloads."""
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core from npm, installed from tests/browser/package-lock.json by `npm ci`."""
INSTALL = ".ci/run's install step: apt-get install chromium; npm ci --prefix tests/browser"
SCREENSHOTS = REPO / "tests" / "browser" / "screenshots"
KEEP_SCREENSHOTS = "GATEKEEPER_SCREENSHOTS"
"""Set GATEKEEPER_SCREENSHOTS=1 to keep each screenshot under tests/browser/screenshots/ too."""

ARGS = [
    "--headless",
    "--no-sandbox",  # root in a container: Chromium's sandbox needs user namespaces
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no update, safe-browsing or variations requests
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
"""The issue's phone: 390 CSS pixels wide."""


@dataclass(frozen=True)
class Site:
    """The KMTA example judged once, as the Pages workflow publishes it."""

    folder: Path
    """What the workflow uploads: index.html and badge.svg."""
    report: dict[str, Any]
    """The JSON report of the same run."""
    terminal: str
    """What the same run printed (the terminal report)."""
    history: list[dict[str, Any]] | None
    """The history the page was rendered with, where `gatekeeper check` takes --history."""

    @property
    def page(self) -> Path:
        return self.folder / "index.html"


def _cli() -> list[str]:
    """`gatekeeper`, the console script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).parent / "gatekeeper"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "gatekeeper"]


def _env() -> dict[str, str]:
    """Outside any Actions run and any pytest-xdist worker: the CLI judges locally."""
    drop = ("GITHUB_", "RUNNER_", "INPUT_", "PYTEST_XDIST_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def _check(outputs: list[str], *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [*_cli(), "check", "--dry-run", *(f"--output={o}" for o in outputs), *extra]
    done = subprocess.run(
        argv, cwd=EXAMPLE, env=_env(), capture_output=True, text=True, timeout=120, check=False
    )
    # the example's documented verdict: the Iron gate fails, exit 1 (README, examples/kmta)
    assert done.returncode == 1, done.stdout + done.stderr
    return done


def read_history(folder: Path) -> list[dict[str, Any]]:
    """Every line of the history files under ``folder``, oldest file first."""
    lines = []
    for path in sorted(folder.rglob("*.jsonl")):
        text = path.read_text(encoding="utf-8")
        lines += [json.loads(line) for line in text.splitlines() if line.strip()]
    return lines


def render_site(folder: Path) -> Site:
    """The page, the badge and the JSON report of one `gatekeeper check` of the KMTA example,
    written where the Pages workflow writes them, with the example's own history
    (examples/kmta/history/), so that the page has its trend charts and phase timeline."""
    site = folder / "site"
    report_file = folder / "report.json"
    outputs = [f"html:{site / 'index.html'}", f"badge:{site / 'badge.svg'}", f"json:{report_file}"]
    assert HISTORY.is_dir(), f"{HISTORY} missing: the example's history"
    history = read_history(HISTORY)
    done = _check(outputs, "--history", str(HISTORY.relative_to(EXAMPLE)))
    report = json.loads(report_file.read_text(encoding="utf-8"))
    return Site(site, report, done.stdout, history)


def launch(playwright: Any) -> Browser:
    """Debian's Chromium, headless. Playwright gives it a fresh temporary user-data-dir of its
    own (and deletes it on close): no profile, cache or extension state from anywhere else."""
    if not CHROMIUM.is_file():
        missing_tool(f"{CHROMIUM} not installed (run {INSTALL})")
    browser: Browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    return browser


def start_playwright() -> Any:
    """Playwright's driver (the `playwright` package of the test extra); its browser is ours."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool(f"playwright not installed (pip install -e '.[test]'; {INSTALL})")
    return sync_playwright().start()


@dataclass
class Watch:
    """What a page did while a test looked at it."""

    console: list[str] = field(default_factory=list)
    """Console messages of type error or warning, as `type: text (url:line)`."""
    errors: list[str] = field(default_factory=list)
    """Uncaught exceptions in the page."""
    requests: list[str] = field(default_factory=list)
    """Every request the page made, allowed or not."""
    refused: list[str] = field(default_factory=list)
    """Requests for anything but the page itself: refused, and listed here."""

    def quiet(self) -> str:
        """'' when the page said nothing wrong and asked for nothing but itself; else what."""
        said = [*self.console, *self.errors, *(f"request: {r}" for r in self.refused)]
        return "\n".join(said)


@contextmanager
def open_page(
    browser: Browser, url: str, viewport: dict[str, int] = DESKTOP, *, bypass_csp: bool = False
) -> Iterator[tuple[Page, Watch]]:
    """``url`` in a fresh browser context, recorded: only ``url`` itself may load.

    ``bypass_csp`` only for the accessibility check, which must inject axe-core into a page
    whose Content-Security-Policy (rightly) refuses every script."""
    context = browser.new_context(viewport=viewport, bypass_csp=bypass_csp)  # type: ignore[arg-type]
    watch = Watch()

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            where = message.location
            watch.console.append(
                f"{message.type}: {message.text} ({where.get('url')}:{where.get('lineNumber')})"
            )

    def on_request(request: Request) -> None:
        watch.requests.append(request.url)

    def route(found: Route) -> None:
        if found.request.url == url:
            found.continue_()
        else:
            watch.refused.append(found.request.url)
            found.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on("request", on_request)
    try:
        page.goto(url, wait_until="load")
        yield page, watch
    finally:
        context.close()


@contextmanager
def served(folder: Path) -> Iterator[tuple[str, list[str]]]:
    """``folder`` over HTTP on 127.0.0.1, as GitHub Pages serves a site (``/`` is index.html):
    the base URL, and the paths the server was asked for."""
    asked: list[str] = []

    class Pages(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # nothing on stderr for each request

    with serving(Pages) as url:
        yield url + "/", asked


def screenshot(page: Page, folder: Path, name: str) -> Path:
    """A full-page PNG in ``folder``; under tests/browser/screenshots/ too when asked to."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get(KEEP_SCREENSHOTS) == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        (SCREENSHOTS / path.name).write_bytes(path.read_bytes())
    return path


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; AssertionError if it is not a PNG."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    assert data[12:16] == b"IHDR", "a PNG starts with its IHDR chunk"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)
