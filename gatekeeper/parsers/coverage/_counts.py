"""Coverage counts, checked, and the series built from them (shared by the coverage formats).

A series carries the counts a report gives (``lines_covered`` / ``lines_total`` ...) and the
ratios computed from them (``line``, ``branch``, ``function``), each only where the report
has that kind of coverage at all: a statistic a report lacks is missing, never 0 % or 100 %.
A rate the report states beside its counts is checked against them, so a report whose
numbers contradict each other is refused rather than judged by whichever was read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile
from gatekeeper.parsers.coverage import GROUP_KIND, KIND, TOTAL, TOTAL_KIND
from gatekeeper.records import record
from gatekeeper.units import Dimension, Quantity

KINDS = ("line", "branch", "function")
"""The ratios, each with its counts ``<kind>s_covered`` and ``<kind>s_total``."""

RATE_TOLERANCE = 0.00051
"""How far a stated rate may be from covered / total: tools print rates rounded, Cobertura
writers to 4 decimals (coverage.py) or fewer; past half a unit in the 4th it is wrong."""


@record
class Counts:
    """Covered and total of each kind of coverage; None where the report has no such kind."""

    lines: tuple[int, int] | None = None
    branches: tuple[int, int] | None = None
    functions: tuple[int, int] | None = None

    def __add__(self, other: Counts) -> Counts:
        """These and another file's counts together (a package's, the report's)."""
        return Counts(
            _sum(self.lines, other.lines),
            _sum(self.branches, other.branches),
            _sum(self.functions, other.functions),
        )

    def get(self, kind: str) -> tuple[int, int] | None:
        """The (covered, total) of ``kind`` (one of KINDS)."""
        found: tuple[int, int] | None = getattr(self, plural(kind))
        return found


def plural(kind: str) -> str:
    """'lines', 'branches', 'functions': the name of a kind's counts (``lines_covered``)."""
    return "branches" if kind == "branch" else f"{kind}s"


def _sum(a: tuple[int, int] | None, b: tuple[int, int] | None) -> tuple[int, int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a[0] + b[0], a[1] + b[1]


def checked(covered: int, total: int, where: Position, what: str) -> tuple[int, int]:
    """(covered, total) of ``what`` ("lines"), refused where they do not add up."""
    if covered < 0 or total < 0:
        raise EvidenceError(where, f"{what}: a negative count ({covered} of {total} covered)")
    if covered > total:
        raise EvidenceError(
            where, f"{what}: {covered} covered of only {total}: counts do not add up"
        )
    return covered, total


def count(text: str | None, where: Position, what: str) -> int:
    """A count as a report writes it: decimal digits (a sign, a fraction or junk is refused)."""
    digits = (text or "").strip()
    if digits.startswith("-") and digits[1:].isdecimal():
        raise EvidenceError(where, f"negative {what}: {digits[:20]}")
    if not digits.isdecimal() or len(digits) > 15:
        shown = "nothing" if text is None else repr(text[:40])
        raise EvidenceError(where, f"{what}: expected a whole number, got {shown}")
    return int(digits)


def rate(text: str | None, where: Position, what: str) -> float:
    """A rate in [0, 1] as a report writes it; NaN, infinities and junk are refused."""
    try:
        value = float((text or "").strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= 1):
        shown = "nothing" if text is None else repr(text[:40])
        raise EvidenceError(where, f"{what}: expected a rate from 0 to 1, got {shown}")
    return value


def agree(stated: float, counts: tuple[int, int] | None, where: Position, what: str) -> None:
    """Refuse a stated rate (0..1) that its own counts contradict beyond rounding."""
    if counts is None:
        return
    covered, total = counts
    computed = covered / total if total else None
    if computed is None:
        return  # nothing to cover: tools write 0 or 1 here, both meaning "no lines"
    if abs(stated - computed) > RATE_TOLERANCE:
        raise EvidenceError(
            where,
            f"{what} is {stated:g} but its counts say {covered}/{total} = {computed:.4f}: "
            "the report contradicts itself",
        )


def metric(name: str, counts: Counts, source: str, level: str = KIND) -> Metric:
    """The series of one file, package or the whole report."""
    stats: dict[str, Quantity] = {}
    for kind in KINDS:
        found = counts.get(kind)
        if found is None:
            continue
        covered, total = found
        if total:  # a ratio of nothing is no value: a threshold on it is missing, not a pass
            stats[kind] = Quantity(covered / total, Dimension.RATIO)
        stats[f"{plural(kind)}_covered"] = Quantity(covered, Dimension.COUNT)
        stats[f"{plural(kind)}_total"] = Quantity(total, Dimension.COUNT)
    return Metric(name=name, stats=stats, kind=level, source=source)


def normalised(path: str) -> str:
    """A file's path as the report gives it, with ``/`` between its parts."""
    return path.replace("\\", "/")


def parsed(
    fmt: str,
    display: str,
    files: dict[str, Counts],
    groups: dict[str, Counts] | None = None,
    total: Counts | None = None,
) -> ParsedFile:
    """The report's series: its files, its packages or folders, and ``TOTAL`` (the sum of
    the files unless the format states it and it was checked). A report of no file is
    refused: it is no evidence of coverage."""
    if not files:
        raise EvidenceError(Position(display), "the report covers no file")
    if total is None:
        total = summed(files.values())
    series: list[Metric] = [metric(name, counts, display) for name, counts in files.items()]
    for name, counts in (groups or {}).items():
        if name not in files and name != TOTAL:
            series.append(metric(name, counts, display, GROUP_KIND))
    series.append(metric(TOTAL, total, display, TOTAL_KIND))
    return ParsedFile(path=display, format=fmt, metrics=tuple(series))


def summed(parts: Iterable[Counts]) -> Counts:
    """The sum of some counts."""
    return sum(parts, Counts())


def tally(into: dict[str, Counts], key: str, counts: Counts) -> None:
    """Add ``counts`` to those ``into`` holds for ``key`` (a file's records, a package's files)."""
    into[key] = into.get(key, Counts()) + counts
