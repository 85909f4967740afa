"""Which swimlanes a pull request touches: its changed files against the swimlanes' paths.

Only for people reading the report (the comment marks those rows); the verdict never
depends on it. Globs are relative to the repository's root: ``*`` and ``?`` stay within a
folder, ``**`` crosses folders (``src/ingress/**``, ``**/*.proto``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from gatekeeper.model import Matrix


@dataclass(frozen=True)
class Changes:
    """A pull request's changed files, as the matrix sees them."""

    files: int
    touched: tuple[tuple[str, int], ...]
    """(swimlane id, how many changed files are its), in matrix order, only those touched."""
    outside: int
    """Changed files that belong to no swimlane."""

    @property
    def swimlanes(self) -> frozenset[str]:
        return frozenset(lane for lane, _ in self.touched)


@lru_cache(maxsize=512)
def path_glob(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over a whole path."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _normal(path: str) -> str:
    return path.strip().replace("\\", "/").removeprefix("./")


def touched(matrix: Matrix, changed: Iterable[str]) -> Changes:
    """Count each changed file towards every swimlane whose paths match it."""
    lanes = [(s.id, [path_glob(g) for g in s.paths]) for s in matrix.swimlanes]
    counts = dict.fromkeys((lane for lane, _ in lanes), 0)
    files = outside = 0
    for raw in changed:
        path = _normal(raw)
        if not path:
            continue
        files += 1
        owners = [lane for lane, globs in lanes if any(g.fullmatch(path) for g in globs)]
        for lane in owners:
            counts[lane] += 1
        outside += not owners
    return Changes(files, tuple((lane, n) for lane, n in counts.items() if n), outside)
