"""Which swimlanes a pull request touches: its changed files against the swimlanes' paths.

Only for people reading the report (the comment marks those rows); the verdict never
depends on it. Globs are path globs (``pathglob``) relative to the repository's root:
``*`` and ``?`` stay within a folder, a ``**`` segment crosses folders (``src/ingress/**``,
``**/*.proto``), and wildcards match names that begin with ``.``.
"""

from __future__ import annotations

from collections.abc import Iterable

from gatekeeper.model import Matrix
from gatekeeper.pathglob import path_glob
from gatekeeper.records import record


@record
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
