"""coverage.py's ``coverage json``: ``meta``, ``files`` (each with its ``summary``), ``totals``.

Lines are statements (``covered_lines`` of ``num_statements``) and, when ``meta`` says
branch coverage was measured, branches (``covered_branches`` of ``num_branches``).
``percent_covered`` (lines and branches together, as coverage.py's own total prints it) is
checked against the counts, and ``totals`` against the sum of the files. The report has no
packages: a series per file and ``TOTAL``.

Read streamed (``_json_stream``): a monorepo's report, tens of thousands of files with their
line arrays (and with ``--show-contexts`` each line's test names), is read at any size with
memory for each file's summary only. Detection hands over the document it decoded (a small
file) or the projection it streamed (a large one, see ``JSON_PROJECTION``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers import _json, _json_stream
from gatekeeper.parsers._json_stream import ANY, Spec
from gatekeeper.parsers._times import recorded_iso
from gatekeeper.parsers.coverage._counts import (
    RATE_TOLERANCE,
    Counts,
    checked,
    normalised,
    parsed,
    summed,
    tally,
)

NAME = "coverage-json"


def detect_json(document: object) -> bool:
    """An object with ``meta`` (naming its ``format``), ``files`` and ``totals`` objects."""
    if not isinstance(document, dict):
        return False
    meta = document.get("meta")
    return (
        isinstance(meta, dict)
        and "format" in meta
        and isinstance(document.get("files"), dict)
        and isinstance(document.get("totals"), dict)
    )


_COUNTS = ("covered_lines", "num_statements", "covered_branches", "num_branches")
_SUMMARY: Spec = {key: {} for key in (*_COUNTS, "percent_covered")}
JSON_PROJECTION: Spec = {
    "meta": {"branch_coverage": {}, "timestamp": {}},
    "files": {ANY: {"summary": _SUMMARY}},
    "totals": _SUMMARY,
}
"""All ``parse_json`` reads of a report: streamed, the rest (each file's line and branch
arrays, its contexts, functions and classes) is checked as JSON and never held."""


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a coverage.py JSON report, streamed at any size: a series per file and TOTAL."""
    return _json_stream.read(
        path, display, JSON_PROJECTION, lambda document: parse_json(document, path, display, wanted)
    )


def parse_json(
    document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """``parse`` of the decoded report."""
    root = _json.expect_object(document, display, "(top level)")
    meta = _json.expect_object(root.get("meta"), display, "meta")
    branch = meta.get("branch_coverage", False)
    if not isinstance(branch, bool):
        raise _json.shape_error(display, "meta.branch_coverage", "true or false", branch)
    files: dict[str, Counts] = {}
    for name, raw in _json.members(_json.expect_object(root.get("files"), display, "files")):
        entry = _json.expect_object(raw, display, f"files.{name}")
        counts = _summary(entry.get("summary"), branch, display, f"files.{name}.summary")
        tally(files, normalised(name), counts)
    totals = _summary(root.get("totals"), branch, display, "totals")
    if files and summed(files.values()) != totals:
        found = summed(files.values())
        raise EvidenceError(
            Position(display),
            f"totals: {_said(totals)} but the files add up to {_said(found)}: the report "
            "contradicts itself",
        )
    # meta.timestamp: when the report was made, datetime.now().isoformat(): local time
    # without a zone, read as the earliest moment it can name
    measured_at, time_error = recorded_iso(meta.get("timestamp"), display, "meta.timestamp")
    return replace(
        parsed(NAME, display, files, total=totals), measured_at=measured_at, time_error=time_error
    )


def _said(counts: Counts) -> str:
    lines = counts.lines or (0, 0)
    said = f"{lines[0]}/{lines[1]} lines"
    if counts.branches is not None:
        said += f", {counts.branches[0]}/{counts.branches[1]} branches"
    return said


def _summary(raw: object, branch: bool, display: str, where: str) -> Counts:
    summary = _json.expect_object(raw, display, where)
    where_at = Position(display)
    lines = checked(
        _count(summary, "covered_lines", display, where),
        _count(summary, "num_statements", display, where),
        Position(display),
        f"{where}: lines",
    )
    counts = Counts(lines=lines)
    if branch:
        branches = checked(
            _count(summary, "covered_branches", display, where),
            _count(summary, "num_branches", display, where),
            where_at,
            f"{where}: branches",
        )
        counts = Counts(lines=lines, branches=branches)
    stated = summary.get("percent_covered")
    if stated is not None:
        percent = _json.expect_number(stated, display, f"{where}.percent_covered")
        covered, total = lines
        if counts.branches is not None:
            covered, total = covered + counts.branches[0], total + counts.branches[1]
        computed = 100.0 * covered / total if total else 100.0
        if not 0 <= percent <= 100 or abs(percent - computed) > 100 * RATE_TOLERANCE:
            raise EvidenceError(
                where_at,
                f"{where}.percent_covered is {percent:g} but its counts say {covered}/{total} "
                f"= {computed:.2f}%: the report contradicts itself",
            )
    return counts


def _count(summary: dict[str, object], key: str, display: str, where: str) -> int:
    value = summary.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _json.shape_error(display, f"{where}.{key}", "a whole number", value)
    if value < 0:
        raise _json.shape_error(display, f"{where}.{key}", "a count (not negative)", value)
    return value
