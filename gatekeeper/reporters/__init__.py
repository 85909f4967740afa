"""Reporters: pure ``render(report, options) -> str``, one module per target.

A run writes one or two of the five formats, so a reporter's module is imported only when
its format is looked up in ``REPORTERS`` (start-up time: `gatekeeper check` imports nothing
it does not use).

Layer: reports. May import everything up to the verdict (``results``); never ``phases``,
``github`` or ``commands``. Untrusted text goes through ``gatekeeper.text``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import cast

from gatekeeper.reporters.common import RenderOptions
from gatekeeper.results import Report

Reporter = Callable[[Report, RenderOptions], str]

_MODULES = {
    "terminal": "gatekeeper.reporters.terminal",
    "markdown": "gatekeeper.reporters.markdown",
    "json": "gatekeeper.reporters.json_report",
    "html": "gatekeeper.reporters.html",
    "badge": "gatekeeper.reporters.badge",
}


class _Registry(Mapping[str, Reporter]):
    """Format name -> its module's ``render``, the module imported on first lookup."""

    def __getitem__(self, name: str) -> Reporter:
        return cast(Reporter, importlib.import_module(_MODULES[name]).render)

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, Reporter] = _Registry()

__all__ = ["REPORTERS", "RenderOptions", "Reporter"]
