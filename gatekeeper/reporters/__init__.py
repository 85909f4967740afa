"""Reporters: pure ``render(report, options) -> str``, one module per target."""

from __future__ import annotations

from collections.abc import Callable

from gatekeeper.reporters import badge, html, json_report, markdown, terminal
from gatekeeper.reporters.common import RenderOptions
from gatekeeper.results import Report

Reporter = Callable[[Report, RenderOptions], str]

REPORTERS: dict[str, Reporter] = {
    "terminal": terminal.render,
    "markdown": markdown.render,
    "json": json_report.render,
    "html": html.render,
    "badge": badge.render,
}

__all__ = ["REPORTERS", "RenderOptions", "Reporter"]
