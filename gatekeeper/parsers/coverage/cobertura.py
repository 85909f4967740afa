"""Cobertura XML: coverage.py's ``coverage xml``, gcovr's ``--cobertura``, JaCoCo's converters.

``<coverage line-rate branch-rate>`` holds ``<packages><package><classes><class filename>``,
each class its ``<lines><line number hits [branch condition-coverage="50% (1/2)"]>``. The
counts are taken from the lines (a file split into several classes, as Java's inner classes
are, is summed), and every rate and count the report states is checked against them.
Clover's XML shares the root name ``<coverage>`` but has no ``line-rate``: it is not claimed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers._times import Recorded, recorded_epoch
from gatekeeper.parsers._xml import Layout, UnknownValue, child, local, read_records, root_name
from gatekeeper.parsers.coverage._counts import (
    Counts,
    agree,
    checked,
    count,
    normalised,
    parsed,
    rate,
    summed,
    tally,
)
from gatekeeper.records import record

NAME = "cobertura"

_LAYOUT = Layout(kind="a Cobertura report", roots=("coverage",), records=frozenset({"class"}))
_CONDITIONS = re.compile(r"\s*\d+(?:\.\d+)?%\s*\((\d+)/(\d+)\)\s*")


def detect(head: bytes) -> bool:
    """The root element is ``<coverage>`` with Cobertura's ``line-rate`` (Clover's has none)."""
    if root_name(head) != "coverage":
        return False
    start = head.find(b"<coverage")
    tag = head[start : head.find(b">", start)]
    return b"line-rate" in tag


@record
class _Class:
    """One ``<class>``: its file, the package it is in, and its counts."""

    filename: str
    package: str
    counts: Counts


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a Cobertura report: a series per file, per package and the report's TOTAL."""
    root: dict[str, str] = {}
    packages: dict[str, dict[str, str]] = {}

    def convert(element: Element, ancestors: Sequence[Element]) -> _Class:
        if not root:
            root.update(ancestors[0].attrib)
        package = next((a for a in ancestors if local(a.tag) == "package"), None)
        name = "" if package is None else package.get("name", "")
        if package is not None:
            packages.setdefault(name, dict(package.attrib))
        try:
            return _class(element, name)
        except EvidenceError as exc:  # reported at the class's start tag
            raise UnknownValue(exc.message) from exc

    classes = read_records(path, display, _LAYOUT, convert)
    files: dict[str, Counts] = {}
    groups: dict[str, Counts] = {}
    for found in classes:
        tally(files, found.filename, found.counts)
        if found.package:
            tally(groups, found.package, found.counts)
    whole = summed(files.values())
    for name, counts in groups.items():
        _stated(packages.get(name, {}), counts, Position(display), f"package {name!r}")
    _stated(root, whole, Position(display), "the report's")
    measured_at, time_error = _timestamp(root.get("timestamp"), display)
    return replace(
        parsed(NAME, display, files, groups, whole), measured_at=measured_at, time_error=time_error
    )


def _timestamp(text: str | None, display: str) -> Recorded:
    """``<coverage timestamp>``: when the report was made, a Unix time in milliseconds
    (Cobertura, coverage.py) or in seconds (gcovr): below 10^11 it can only be seconds (in
    milliseconds it would be 1973)."""
    if text is None:
        return None, None
    try:
        seconds = float(text) < 1e11
    except ValueError:
        seconds = True  # recorded_epoch names the text
    return recorded_epoch(text, display, "<coverage> timestamp", 1 if seconds else 1000)


def _class(element: Element, package: str) -> _Class:
    where = Position("")
    filename = element.get("filename")
    if not filename:
        raise EvidenceError(where, "a <class> without its filename")
    lines = child(element, "lines")
    covered = total = branches = taken = 0
    has_branches = False
    for line in () if lines is None else lines:
        if local(line.tag) != "line":
            continue
        total += 1
        hits = count(line.get("hits"), where, f"hits of line {line.get('number')}")
        covered += hits > 0
        conditions = line.get("condition-coverage")
        if line.get("branch", "false").lower() == "true" and conditions is not None:
            found = _CONDITIONS.fullmatch(conditions)
            if found is None:
                raise EvidenceError(where, f"condition-coverage {conditions[:40]!r} unreadable")
            hit, of = checked(int(found[1]), int(found[2]), where, "branches")
            taken, branches, has_branches = taken + hit, branches + of, True
    if has_branches or element.get("branch-rate") is not None:  # measured, perhaps none there
        counts = Counts(lines=(covered, total), branches=(taken, branches))
    else:
        counts = Counts(lines=(covered, total))
    _stated(element.attrib, counts, where, f"class {filename!r}")
    return _Class(normalised(filename), package, counts)


def _stated(attrib: dict[str, str], counts: Counts, where: Position, what: str) -> None:
    """Refuse rates and counts ``attrib`` states that ``counts`` contradict."""
    for name, kind in (("line-rate", "line"), ("branch-rate", "branch")):
        if name in attrib:
            stated = rate(attrib[name], where, f"{what} {name}")
            agree(stated, counts.get(kind), where, f"{what} {name}")
    for prefix, kind in (("lines", "line"), ("branches", "branch")):
        valid, hit = attrib.get(f"{prefix}-valid"), attrib.get(f"{prefix}-covered")
        if valid is None or hit is None:
            continue
        counted = checked(
            count(hit, where, f"{what} {prefix}-covered"),
            count(valid, where, f"{what} {prefix}-valid"),
            where,
            prefix,
        )
        found = counts.get(kind) or (0, 0)
        if counted != found:
            raise EvidenceError(
                where,
                f"{what} {prefix}-covered/{prefix}-valid say {counted[0]}/{counted[1]} but its "
                f"lines hold {found[0]}/{found[1]}: the report contradicts itself",
            )
