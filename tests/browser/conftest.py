"""Fixtures of the browser tests: the KMTA site rendered once, one Chromium per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.browsing import Site, launch, render_site, start_playwright

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The KMTA example's page, badge and JSON report from one `gatekeeper check`."""
    return render_site(tmp_path_factory.mktemp("kmta-site"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for a module's tests (a second each to start); each test opens
    its own context, so no test sees another's cookies, cache or viewport."""
    playwright = start_playwright()
    try:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
