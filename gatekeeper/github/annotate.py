"""Check run annotations: failing tests and the static-analysis findings that count against a
benchmark at their file and line, failing benchmarks at their line in the matrix file. Pure:
finding a test's file on disk is the caller's ``locate``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gatekeeper.evidence import TestResult
from gatekeeper.findings import is_outside
from gatekeeper.results import BenchmarkResult, Report, failing, later
from gatekeeper.text import plain

MAX_ANNOTATIONS = 500
"""Ten requests' worth; a run with more failures than that is read in the report."""
TITLE_LIMIT = 255
"""GitHub's limit on an annotation title, in characters (OpenAPI: "The maximum size is 255
characters")."""
MESSAGE_LIMIT = 4_000
"""Characters; well under GitHub's "The maximum size is 64 KB" (OpenAPI, on message) even
when every character takes four UTF-8 bytes (16,000 bytes)."""
_MESSAGE_LINES = 20


@dataclass(frozen=True)
class Location:
    """Where an annotation goes: a path relative to the repository root, a 1-based line."""

    path: str
    line: int


Locator = Callable[[TestResult], Location | None]


@dataclass(frozen=True)
class Annotations:
    items: tuple[dict[str, Any], ...]
    """Annotation objects as the Checks API takes them, at most MAX_ANNOTATIONS."""
    left_out: int = 0
    """How many more there were."""


def build(report: Report, *, matrix_path: str | None, locate: Locator) -> Annotations:
    """Blocking benchmarks as failures, not-yet-met later ones as warnings; each failing test
    once, at its most severe level."""
    found: dict[tuple[str, int, str], dict[str, Any]] = {}
    for level, results in (("failure", failing(report)), ("warning", later(report))):
        for result in results:
            for item in _for_benchmark(result, level, matrix_path, locate):
                found.setdefault((item["path"], item["start_line"], item["title"]), item)
    items = tuple(found.values())
    return Annotations(items[:MAX_ANNOTATIONS], max(0, len(items) - MAX_ANNOTATIONS))


def _for_benchmark(
    result: BenchmarkResult, level: str, matrix_path: str | None, locate: Locator
) -> Iterable[dict[str, Any]]:
    bench = result.benchmark
    if matrix_path and bench.line:
        message = [result.summary, *result.details]
        yield annotation(
            matrix_path, bench.line, level, f"{bench.ref} — {result.outcome.value}", message
        )
    for test in result.failed_tests:
        where = locate(test)
        if where is not None:
            name = f"{test.classname}::{test.name}" if test.classname else test.name
            yield annotation(
                where.path, where.line, level, name, [_why(test), f"benchmark {bench.ref}"]
            )
    for finding in result.findings.against if result.findings else ():
        if finding.file and not is_outside(finding.file):
            title = f"{finding.rule or 'finding'} ({finding.tool})"
            said = [finding.message, f"{finding.level} finding, benchmark {bench.ref}"]
            yield annotation(finding.file, finding.line or 1, level, title, said)


def _why(test: TestResult) -> str:
    if test.flaky:  # it passed in the end: the benchmark's flaky policy counts it as failed
        return f"flaky: passed after {test.reruns} failed attempt(s), which this benchmark counts"
    return test.message or test.status.value


def annotation(
    path: str, line: int, level: str, title: str, message: Iterable[str]
) -> dict[str, Any]:
    """One annotation; untrusted text made inert (no control characters, no workflow
    command) and cut to GitHub's limits."""
    lines = [plain(m) for m in message if m.strip()][:_MESSAGE_LINES]
    text = "\n".join(lines) or "failed"
    line = max(1, line)  # GitHub rejects line 0; a file-level finding goes on line 1
    return {
        "path": path,
        "start_line": line,
        "end_line": line,
        "annotation_level": level,
        "title": _cut(plain(title), TITLE_LIMIT),
        "message": _cut(text, MESSAGE_LIMIT),
    }


def batches(items: tuple[dict[str, Any], ...], size: int) -> list[tuple[dict[str, Any], ...]]:
    """At most ``size`` per request (the Checks API takes 50); always one, maybe empty."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [()]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
