"""JaCoCo XML reports (``jacoco:report``, Gradle's ``jacocoTestReport``).

``<report>`` holds ``<package name="org/example">`` (perhaps inside ``<group>``s), each its
``<class>``es and ``<sourcefile name="Calc.java">``s; every level carries ``<counter
type="LINE|BRANCH|METHOD|..." missed covered>``. Files are read from their sourcefile's
counters (``LINE``, ``BRANCH``, ``METHOD`` as functions) and named ``package/file`` as the
sources are laid out; each package's and the report's own counters are checked against the
sum of their files. JaCoCo writes a DOCTYPE naming its public DTD: it is allowed and never
fetched, while an entity declaration is still refused (``parsers._xml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers._times import Recorded, recorded_epoch
from gatekeeper.parsers._xml import Layout, UnknownValue, local, read_records, root_name
from gatekeeper.parsers.coverage._counts import (
    Counts,
    checked,
    count,
    normalised,
    parsed,
    summed,
    tally,
)
from gatekeeper.records import record

NAME = "jacoco"

_LAYOUT = Layout(
    kind="a JaCoCo report",
    roots=("report",),
    records=frozenset({"sourcefile", "class", "counter", "sessioninfo"}),
)
_KINDS = {"LINE": "lines", "BRANCH": "branches", "METHOD": "functions"}


def detect(head: bytes) -> bool:
    """The root element is ``<report>``, and JaCoCo's DTD or its session info says whose."""
    return root_name(head) == "report" and (b"JACOCO" in head or b"<sessioninfo" in head)


@record
class _Found:
    """A source file's counts."""

    package: str
    """The name of the package it is in."""
    name: str
    """Its path: the package's name, then its own."""
    counts: Counts


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a JaCoCo report: a series per source file, per package and the report's TOTAL."""
    stated: dict[str | None, Counts] = {}
    dumps: list[Recorded] = []

    def convert(element: Element, ancestors: Sequence[Element]) -> _Found | None:
        if local(element.tag) == "sessioninfo":  # one per execution data file merged
            dumps.append(recorded_epoch(element.get("dump"), display, "<sessioninfo> dump", 1000))
            return None
        try:
            return _convert(element, ancestors, stated)
        except EvidenceError as exc:  # reported at the element's start tag
            raise UnknownValue(exc.message) from exc

    files: dict[str, Counts] = {}
    packages: dict[str, Counts] = {}
    for found in read_records(path, display, _LAYOUT, convert):
        if found is not None:
            tally(files, found.name, found.counts)
            tally(packages, found.package, found.counts)
    total = summed(files.values())
    for name, counts in (*packages.items(), (None, total)):
        said = stated.get(name)
        if said is not None and said != _known(counts, said):
            what = "the report's" if name is None else f"package {name!r}'s"
            raise EvidenceError(
                Position(display),
                f"{what} counters ({_said(said)}) differ from its source files' sum "
                f"({_said(counts)}): the report contradicts itself",
            )
    # the oldest session's dump: when its coverage was written (milliseconds since 1970)
    errors = [e for _, e in dumps if e is not None]
    times = [t for t, _ in dumps if t is not None]
    return replace(
        parsed(NAME, display, files, packages, total),
        measured_at=None if errors or not times else min(times),
        time_error=errors[0] if errors else None,
    )


def _convert(
    element: Element, ancestors: Sequence[Element], stated: dict[str | None, Counts]
) -> _Found | None:
    parent = ancestors[-1] if ancestors else None
    package = next(
        (a.get("name", "") for a in reversed(ancestors) if local(a.tag) == "package"), None
    )
    tag = local(element.tag)
    if tag == "class":
        return None  # its counters repeat its source file's, method by method
    if tag == "sourcefile":
        if package is None:
            raise EvidenceError(Position(""), "a <sourcefile> outside any <package>")
        name = element.get("name")
        if not name:
            raise EvidenceError(Position(""), "a <sourcefile> without its name")
        counts = Counts(lines=(0, 0))
        for counter in element:
            if local(counter.tag) == "counter":
                counts = _with_counter(counts, counter)
        path = f"{package}/{name}" if package else name
        return _Found(package, normalised(path), counts)
    # a counter directly in a package, a group or the report
    if parent is None or local(parent.tag) == "group":
        return None
    owner = package if local(parent.tag) == "package" else None
    stated[owner] = _with_counter(stated.get(owner, Counts()), element)
    return None


def _with_counter(counts: Counts, counter: Element) -> Counts:
    """``counts`` with the kind this counter counts set from it."""
    kind = _KINDS.get(counter.get("type", ""))
    if kind is None:
        return counts  # instructions, complexity, classes: not line, branch or function
    where = Position("")
    missed = count(counter.get("missed"), where, f"{counter.get('type')} missed")
    covered = count(counter.get("covered"), where, f"{counter.get('type')} covered")
    return replace(counts, **{kind: checked(covered, covered + missed, where, kind)})


def _known(counts: Counts, said: Counts) -> Counts:
    """``counts`` with only the kinds ``said`` states (a report without a BRANCH counter has
    no branches to compare); kinds it lacks read as none."""
    return Counts(
        lines=None if said.lines is None else counts.lines or (0, 0),
        branches=None if said.branches is None else counts.branches or (0, 0),
        functions=None if said.functions is None else counts.functions or (0, 0),
    )


def _said(counts: Counts) -> str:
    parts = []
    for kind in ("lines", "branches", "functions"):
        found = getattr(counts, kind)
        if found is not None:
            parts.append(f"{found[0]}/{found[1]} {kind}")
    return ", ".join(parts) or "nothing"
