"""LCOV tracefiles (``.info``): lcov/geninfo, gcovr ``--lcov``, coverage.py ``coverage lcov``,
c8/istanbul, grcov and cargo-llvm-cov.

A record runs from ``SF:<file>`` to ``end_of_record``; in it ``DA:line,hits`` are lines,
``BRDA:line,block,branch,taken`` branches (``-``: never reached) and ``FNDA:hits,name`` (or
lcov 2's ``FNA:index,hits,name``) functions. The counts are taken from those entries and the
summaries (``LF``/``LH``, ``BRF``/``BRH``, ``FNF``/``FNH``) are checked against them; a
record with summaries alone is read from them. A file in several records (one per test
name) is covered where any record covers it. A record left open at the end is a truncated
file. LCOV has no packages: a series per file and ``TOTAL``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers._text import head_lines, terminated_lines
from gatekeeper.parsers.coverage._counts import Counts, checked, count, normalised, parsed

NAME = "lcov"

K = TypeVar("K")

_PREAMBLE = ("TN:", "VER:", "#")
_SUMMARIES = {
    "LF": ("lines", 1),
    "LH": ("lines", 0),
    "BRF": ("branches", 1),
    "BRH": ("branches", 0),
    "FNF": ("functions", 1),
    "FNH": ("functions", 0),
}


def detect(head: bytes) -> bool:
    """An ``SF:`` line, after nothing but test names (``TN:``) or a version (``VER:``)."""
    for line in head_lines(head):
        if line.startswith("SF:") and len(line) > 3:
            return True
        if line.strip() and not line.startswith(_PREAMBLE):
            return False
    return False


@dataclass
class _File:
    """What the records of one file say: entries, and counts from summaries alone."""

    lines: dict[int, bool] = field(default_factory=dict)
    branches: dict[tuple[str, ...], bool] = field(default_factory=dict)
    functions: dict[str, bool] = field(default_factory=dict)
    summarised: Counts = field(default_factory=Counts)

    def counts(self) -> Counts:
        counts = Counts(
            lines=_of(self.lines.values()),
            branches=_of(self.branches.values()) if self.branches else None,
            functions=_of(self.functions.values()) if self.functions else None,
        )
        return counts + self.summarised

    def merge(self, other: _File) -> None:
        """Another record of the same file: covered where either covers it."""
        _union(self.lines, other.lines)
        _union(self.branches, other.branches)
        _union(self.functions, other.functions)
        self.summarised += other.summarised


def _union(mine: dict[K, bool], theirs: dict[K, bool]) -> None:
    for key, hit in theirs.items():
        mine[key] = mine.get(key, False) or hit


def _of(hits: Collection[bool]) -> tuple[int, int]:
    return sum(hits), len(hits)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read an LCOV tracefile: a series per source file and the report's TOTAL."""
    files, repeated = _read(path, display)
    if repeated:  # merging a file's records needs their entries: read again, keeping those
        files, _ = _read(path, display, keep=repeated)
    return parsed(NAME, display, files)


def _read(
    path: Path, display: str, keep: Collection[str] = frozenset()
) -> tuple[dict[str, Counts], set[str]]:
    """Each file's counts, and the files found in more than one record.

    A record's entries are dropped once it is counted, unless its file is in ``keep`` (they
    are merged with the file's other records): memory holds one record, not the tracefile,
    so the file may be as large as a monorepo's (no size cap) and is read twice only where
    a file is in several records.
    """
    counts: dict[str, Counts] = {}
    kept: dict[str, _File] = {}
    repeated: set[str] = set()
    current: _Record | None = None
    number = 0
    for number, text in terminated_lines(path, display, max_bytes=None):
        line = text.rstrip("\r\n")
        where = Position(display, number)
        if line.startswith("SF:"):
            if current is not None:
                raise EvidenceError(where, "SF: before the end_of_record of the file before")
            current = _Record(normalised(line[3:]), where)
        elif line == "end_of_record":
            if current is None:
                raise EvidenceError(where, "end_of_record without an SF: line before it")
            found, name = current.close(), current.name
            if name in counts:
                repeated.add(name)
            if name not in keep:
                counts[name] = found.counts()
            elif name in kept:
                kept[name].merge(found)
            else:
                kept[name] = found
                counts[name] = Counts()  # its place; its counts once all its records are read
            current = None
        elif current is not None:
            current.read(line, where)
        elif line.strip() and not line.startswith(_PREAMBLE):
            raise EvidenceError(where, f"{line[:40]!r} outside a record (no SF: line before it)")
    if current is not None:
        message = f"the record of {current.name!r} has no end_of_record: the file is truncated"
        raise EvidenceError(Position(display, number), message)
    counts.update((name, found.counts()) for name, found in kept.items())
    return counts, repeated


class _Record:
    """One ``SF:`` ... ``end_of_record`` record being read."""

    def __init__(self, name: str, where: Position) -> None:
        if not name.strip():
            raise EvidenceError(where, "SF: names no file")
        self.name = name
        self.where = where
        self.file = _File()
        self.stated: dict[str, dict[int, int]] = {}
        self.function_names: dict[str, str] = {}
        """lcov 2's FNL index -> nothing yet; FNA names the function it counts."""

    def read(self, line: str, where: Position) -> None:
        key, colon, value = line.partition(":")
        if not colon:
            if line.strip():
                raise EvidenceError(where, f"cannot read {line[:40]!r}: expected KEY:value")
            return
        fields = value.split(",")
        if key == "DA":
            if len(fields) < 2:
                raise EvidenceError(where, "DA: expected line,hits")
            at = count(fields[0], where, "DA line number")
            hits = _hits(fields[1], where, "DA hits")
            self.file.lines[at] = self.file.lines.get(at, False) or hits > 0
        elif key == "BRDA":
            if len(fields) < 4:
                raise EvidenceError(where, "BRDA: expected line,block,branch,taken")
            taken = fields[-1].strip()
            hit = taken != "-" and _hits(taken, where, "BRDA taken") > 0
            branch = tuple(fields[:-1])
            self.file.branches[branch] = self.file.branches.get(branch, False) or hit
        elif key == "FNDA":
            hits_text, _, name = value.partition(",")
            hit = _hits(hits_text, where, "FNDA hits") > 0
            self.file.functions[name] = self.file.functions.get(name, False) or hit
        elif key == "FNA":
            parts = value.split(",", 2)
            if len(parts) < 3:
                raise EvidenceError(where, "FNA: expected index,hits,name")
            hit = _hits(parts[1], where, "FNA hits") > 0
            self.file.functions[parts[2]] = self.file.functions.get(parts[2], False) or hit
        elif key in _SUMMARIES:
            what, side = _SUMMARIES[key]
            self.stated.setdefault(what, {})[side] = count(value, where, key)

    def close(self) -> _File:
        """The record's entries, its summaries checked against them."""
        entries: dict[str, Collection[bool]] = {
            "lines": self.file.lines.values(),
            "branches": self.file.branches.values(),
            "functions": self.file.functions.values(),
        }
        for what, sides in self.stated.items():
            keys = [k for k, (w, _) in _SUMMARIES.items() if w == what]
            if len(sides) != 2:
                raise EvidenceError(
                    self.where, f"{keys[0]}/{keys[1]} of {self.name!r}: one without the other"
                )
            stated = checked(sides[0], sides[1], self.where, what)
            held = entries[what]
            if held:
                counted = _of(held)
                if counted != stated:
                    raise EvidenceError(
                        self.where,
                        f"{keys[0]}/{keys[1]} of {self.name!r} say {stated[0]}/{stated[1]} "
                        f"covered but its entries hold {counted[0]}/{counted[1]}: the record "
                        "contradicts itself",
                    )
            elif stated[1]:
                self.file.summarised = replace(self.file.summarised, **{what: stated})
        return self.file


def _hits(text: str, where: Position, what: str) -> int:
    """An execution count; some tools write a huge one as a float (``1.2e+06``)."""
    text = text.strip()
    if text.isdecimal():
        return count(text, where, what)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (value >= 0 and value < float("inf")):
        raise EvidenceError(where, f"{what}: expected a count, got {text[:40]!r}")
    return 1 if value > 0 else 0
