"""Fit a Markdown report into a size limit by leaving out the least important parts first.

The report (``gatekeeper.reporters.markdown``) is split at the headings it writes; a
heading line can only come from the reporter, because ``escape`` turns ``#`` in untrusted
text into ``\\#``. Parts go in this order, whole, and a note says what went:

1. benchmarks of later phases (not blocking);
2. the detail lines of blocking benchmarks, from the last benchmark up;
3. blocking benchmarks' sections, from the last up (their count stays in the heading);
4. what changed since the last run, then sections this module does not know;
5. the waivers table;
6. swimlane rows of the matrix, from the last up (the header and gate row stay).

Tables go row by row or whole, never cut mid-row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum

Measure = Callable[[str], int]


class Kind(str, Enum):
    FIXED = "fixed"
    """Never left out: hidden markers, the headline and matrix, notes."""
    HEAD = "head"
    """The headline, the matrix table, the legend."""
    CHANGES = "changes"
    BLOCKING = "blocking"
    """The 'Blocking the X gate (N)' heading."""
    BLOCKER = "blocker"
    LATER = "later"
    WAIVERS = "waivers"
    OTHER = "other"
    FOOTER = "footer"


@dataclass(frozen=True)
class Part:
    kind: Kind
    lines: tuple[str, ...]


_TITLES = {
    "### Blocking the ": Kind.BLOCKING,
    "### Not yet met in later phases": Kind.LATER,
    "### Waivers": Kind.WAIVERS,
    "### Since the last run": Kind.CHANGES,
}
_DETAIL = "  - "
_LANE_ROW = "| **"


def split_report(markdown: str) -> list[Part]:
    """The Markdown report as parts, in order."""
    parts: list[Part] = []
    kind: Kind = Kind.HEAD
    lines: list[str] = []
    for line in markdown.rstrip("\n").split("\n"):
        new = _kind_of(line)
        if new is not None:
            if lines:
                parts.append(Part(kind, tuple(lines)))
            kind, lines = new, []
        lines.append(line)
    parts.append(Part(kind, tuple(lines)))
    return parts


def _kind_of(line: str) -> Kind | None:
    if line.startswith("#### "):
        return Kind.BLOCKER
    if line.startswith("### "):
        return next((k for t, k in _TITLES.items() if line.startswith(t)), Kind.OTHER)
    return Kind.FOOTER if line.startswith("<sub>gatekeeper") else None


def render(parts: Sequence[Part]) -> str:
    return "".join(line + "\n" for part in parts for line in part.lines)


def fit(parts: Sequence[Part], limit: int, *, measure: Measure = len, unit: str = "characters",
        elsewhere: str = "") -> str:  # fmt: skip
    """The parts rendered within ``limit`` (as ``measure`` counts), trimmed as the module
    docstring says; ``elsewhere`` tells the reader where the full report is."""
    current = list(parts)
    total = sum(_size(p, measure) for p in current)
    dropped: dict[str, int] = {}

    def note() -> Part:
        return _note(dropped, limit, unit, elsewhere)

    for index, smaller, what in _reductions(current):
        if total + (_size(note(), measure) if dropped else 0) <= limit:
            break
        total += _size(smaller, measure) - _size(current[index], measure)
        current[index] = smaller
        dropped[what] = dropped.get(what, 0) + 1
    if dropped:
        at = next((i for i, p in enumerate(current) if p.kind is Kind.FOOTER), len(current))
        current.insert(at, note())
    text = render([p for p in current if p.lines])
    return text if measure(text) <= limit else _cut(text, limit, measure)


def _reductions(parts: list[Part]) -> Iterator[tuple[int, Part, str]]:
    """(index, smaller part, what was left out), least important first; reads ``parts``
    as it is when each is asked for."""
    yield from _drop_whole(parts, Kind.LATER, "later")
    for i in reversed(range(len(parts))):
        if parts[i].kind is Kind.BLOCKER and any(x.startswith(_DETAIL) for x in parts[i].lines):
            kept = tuple(x for x in parts[i].lines if not x.startswith(_DETAIL))
            yield i, replace(parts[i], lines=kept), "details"
    yield from _drop_whole(parts, Kind.BLOCKER, "blockers")
    yield from _drop_whole(parts, Kind.CHANGES, "changes")
    yield from _drop_whole(parts, Kind.OTHER, "other")
    yield from _drop_whole(parts, Kind.WAIVERS, "waivers")
    for i in range(len(parts)):
        while parts[i].kind is Kind.HEAD and any(x.startswith(_LANE_ROW) for x in parts[i].lines):
            last = max(n for n, x in enumerate(parts[i].lines) if x.startswith(_LANE_ROW))
            lines = parts[i].lines
            yield i, replace(parts[i], lines=lines[:last] + lines[last + 1 :]), "rows"


def _drop_whole(parts: list[Part], kind: Kind, what: str) -> Iterator[tuple[int, Part, str]]:
    for i in reversed(range(len(parts))):
        if parts[i].kind is kind and parts[i].lines:
            yield i, replace(parts[i], lines=()), what


_LEFT_OUT: dict[str, Callable[[int], str]] = {
    "later": lambda n: "the benchmarks of later phases",
    "details": lambda n: f"the details of {_count(n, 'blocking benchmark')}",
    "blockers": lambda n: f"the sections of {_count(n, 'blocking benchmark')}",
    "changes": lambda n: "the changes since the last run",
    "other": lambda n: _count(n, "other section"),
    "waivers": lambda n: "the waivers table",
    "rows": lambda n: f"{_count(n, 'swimlane row')} of the matrix",
}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _note(dropped: dict[str, int], limit: int, unit: str, elsewhere: str) -> Part:
    left_out = "; ".join(_LEFT_OUT[what](n) for what, n in dropped.items())
    text = f"✂️ *Left out to stay within GitHub's limit of {limit:,} {unit}: {left_out}.*"
    return Part(Kind.FIXED, (text + (f" {elsewhere}" if elsewhere else ""), ""))


def _size(part: Part, measure: Measure) -> int:
    return sum(measure(line) + 1 for line in part.lines)


def _cut(text: str, limit: int, measure: Measure) -> str:
    """Last resort when even the essentials are too long: cut at a line boundary."""
    marker = "\n✂️ *Cut here to stay within GitHub's limit.*\n"
    budget = limit - measure(marker)
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        if used + measure(line) + 1 > budget:
            break
        kept.append(line)
        used += measure(line) + 1
    return "\n".join(kept) + marker
