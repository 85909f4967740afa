"""What `gatekeeper inspect` prints: what a file holds and how to select it in the matrix."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from gatekeeper.evidence import Metric, ParsedFile, TestResult, TestStatus
from gatekeeper.freshness import utc
from gatekeeper.reporters.inspect_coverage import is_coverage, render_coverage
from gatekeeper.reporters.inspect_findings import render_findings
from gatekeeper.text import plain, yaml_quoted
from gatekeeper.units import Quantity

MAX_ROWS = 40
"""Rows per section; the rest is counted, not listed."""
_ORDER = ("count", "avg", "min", "med", "max", "stddev")
_PERCENTILE = re.compile(r"p\((\d+(?:\.\d+)?)\)")


def _counts(tests: Iterable[TestResult]) -> str:
    by_status = Counter(t.status for t in tests)
    flaky = sum(1 for t in tests if t.flaky)
    parts = [f"{by_status[s]} {s.value}" for s in TestStatus if by_status[s]]
    if flaky:
        parts.append(f"{flaky} flaky")
    return ", ".join(parts) or "none"


def _quoted(text: str) -> str:
    """The selector as a YAML double-quoted scalar: exact when pasted into the matrix, and
    inert on screen (``text.yaml_quoted``)."""
    return yaml_quoted(text)


def _group(
    title: str, key: str, tests: tuple[TestResult, ...], value: str | None = None
) -> list[str]:
    groups: dict[str, list[TestResult]] = {}
    for test in tests:
        name = getattr(test, value or key)
        if name:
            groups.setdefault(name, []).append(test)
    if not groups:
        return []
    width = min(max(len(plain(n)) for n in groups), 60)
    example = _quoted(next(iter(groups)))
    lines = [f"  {title} — select with `{key}: {example}` (as shown, or with * and ? wildcards):"]
    for name, members in list(groups.items())[:MAX_ROWS]:
        lines.append(f"    {plain(name).ljust(width)}  {_counts(members)}")
    if len(groups) > MAX_ROWS:
        lines.append(f"    … and {len(groups) - MAX_ROWS} more")
    return lines


def _tests(parsed: ParsedFile) -> list[str]:
    tests = parsed.tests
    lines = [f"  {len(tests)} tests: {_counts(tests)}"]
    lines += _group("suites", "suite", tests)
    lines += _group("classes", "class", tests, value="classname")
    lines += _group("files", "file", tests)
    lines += _group("tests", "name", tests)
    return lines


def _stat_order(name: str) -> tuple[int, float, str]:
    if name in _ORDER:
        return 0, _ORDER.index(name), name
    match = _PERCENTILE.fullmatch(name)
    if match:
        return 1, float(match.group(1)), name
    return 2, 0.0, name


def _stats(metric: Metric) -> str:
    shown = [
        f"{name} {Quantity(q.value, q.dimension)}"
        for name, q in sorted(metric.stats.items(), key=lambda kv: _stat_order(kv[0]))
    ]
    if metric.samples:
        shown.append(f"{len(metric.samples)} raw samples: any p(N)")
    return " · ".join(shown) if shown else "no samples"


def _metrics(parsed: ParsedFile) -> list[str]:
    metrics = parsed.metrics
    lines = [f"  {len(metrics)} series — select with `metric: {{from: ARTIFACT, name: SELECTOR}}`:"]
    for metric in metrics[:MAX_ROWS]:
        kind = f" ({metric.kind})" if metric.kind else ""
        lines.append(f"    {_quoted(plain(metric.label))}{kind}")
        lines.append(f"        {plain(_stats(metric))}")
        if metric.failures:  # what makes a benchmark on it fail unless it says expect_failures
            lines.append(f"        FAILED: {plain('; '.join(metric.failures))}")
    if len(metrics) > MAX_ROWS:
        lines.append(f"    … and {len(metrics) - MAX_ROWS} more")
    return lines


def _measured(parsed: ParsedFile) -> str:
    """When the file says it measured: what a ``max_age`` judges."""
    if parsed.time_error is not None:
        return f"  measured at: unreadable ({plain(parsed.time_error)}): a max_age cannot use it"
    if parsed.measured_at is None:
        return "  measured at: not recorded: this file cannot satisfy a max_age"
    return f"  measured at {utc(parsed.measured_at).strftime('%Y-%m-%d %H:%M:%S UTC')}"


def render_inspection(parsed: ParsedFile, holds_tests: bool = True, nothing: str = "") -> str:
    """One file's contents, as a person writing a matrix file needs them; ``holds_tests``:
    whether its format is one of test results; ``nothing``: what the format says of a file
    that holds nothing to judge."""
    lines = [f"{plain(parsed.path)} — format {parsed.format}", _measured(parsed)]
    if parsed.analyses:
        return "\n".join(lines + render_findings(parsed)) + "\n"
    if is_coverage(parsed):
        return "\n".join(lines + render_coverage(parsed)) + "\n"
    if not parsed.tests and not parsed.metrics and not holds_tests:
        lines.append(f"  0 series: {plain(nothing or 'nothing in this file can be judged')}")
    elif parsed.tests or not parsed.metrics:
        lines += _tests(parsed)
    if parsed.metrics:
        lines += _metrics(parsed)
    return "\n".join(lines) + "\n"
