"""A cell whose only word on a fault is Chaos Mesh's: refused, as a gate that cannot fail.

Chaos Mesh records that a fault was injected and recovered (``parsers.chaos.chaos_mesh``),
never whether the system stayed healthy meanwhile; a cell that judges a fault by it alone
would turn green on an outage. So a ``tests`` benchmark read from an artifact declared
``format: chaos-mesh`` needs a ``metric`` benchmark beside it in the same cell: the
system's availability or error rate during the fault. Under ``format: auto`` what a file
holds is only known once it is read, so the rule applies to declared formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gatekeeper.matrix.problems import KeyPath

UNJUDGED = ("chaos-mesh",)
"""Formats whose tests say a fault happened, not how the system took it."""


def unpaired_faults(
    benchmarks: Iterable[tuple[KeyPath, dict[str, Any]]], formats: Mapping[str, str]
) -> list[tuple[KeyPath, str]]:
    """Where a cell reads a fault from a format of ``UNJUDGED`` with no metric beside it."""
    listed = list(benchmarks)
    if any("metric" in bench for _, bench in listed):
        return []
    found = []
    for path, bench in listed:
        tests = bench.get("tests")
        artifact = tests.get("from") if isinstance(tests, dict) else None
        fmt = formats.get(artifact) if isinstance(artifact, str) else None
        if fmt in UNJUDGED:
            found.append(((*path, "tests", "from"), _message(artifact, fmt)))
    return found


def _message(artifact: object, fmt: str | None) -> str:
    return (
        f"{artifact!r} is read as {fmt}, which records that a fault was injected and "
        "recovered, never whether the system stayed healthy: pair it with a metric "
        "benchmark in the same cell (availability or error rate during the fault)"
    )
