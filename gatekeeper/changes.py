"""Which swimlanes a pull request touches: its changed files against the swimlanes' paths.

Only for people reading the report (the comment marks those rows); the verdict never
depends on it. Globs are relative to the repository's root: ``*`` and ``?`` stay within a
folder, a ``**`` segment crosses folders (``src/ingress/**``, ``**/*.proto``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
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


class PathGlob:
    """A glob matched against whole paths, one folder at a time.

    ``**`` as a whole segment stands for any number of folders (none included); within a
    segment ``*``, ``?`` and ``[...]`` mean what they mean to ``fnmatch`` and never cross a
    ``/``. Segments are matched left to right over the set of positions the pattern so far can
    reach, so the work is bounded by (pattern segments × path segments) fnmatch calls, and
    fnmatch itself does not backtrack exponentially on ``*a*a*a*b``: a pull request picks its
    file names, and no name makes matching slow.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.segments = tuple(pattern.split("/"))

    def fullmatch(self, path: str) -> bool:
        parts = path.split("/")
        reach = {0}  # how many path segments the pattern segments so far can consume
        for segment in self.segments:
            if segment == "**":
                reach = set(range(min(reach), len(parts) + 1))
            else:
                reach = {j + 1 for j in reach if j < len(parts) and fnmatchcase(parts[j], segment)}
            if not reach:
                return False
        return len(parts) in reach


@lru_cache(maxsize=512)
def path_glob(pattern: str) -> PathGlob:
    """The compiled glob (cached: a matrix repeats its patterns for every changed file)."""
    return PathGlob(pattern)


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
