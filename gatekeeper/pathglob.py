"""Path globs: the one dialect of artifact ``paths`` and swimlane ``paths``.

A pattern is matched against a ``/``-separated path one folder name (segment) at a time.
Within a segment ``*``, ``?`` and ``[...]`` mean what they mean to ``fnmatch`` and never
cross a ``/``; a segment that is exactly ``**`` stands for any number of folders, none
included. Matching runs the pattern as an automaton whose states are pattern positions, so a
path costs (its segments x the pattern's segments) segment matches at most, and fnmatch
itself does not backtrack exponentially on ``*a*a*a*b``: no name and no pattern make
matching slow. Because the state after a folder is known, a folder walk carries it down the
tree and never enters a folder that no pattern can match below (``findfiles``).
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatchcase
from functools import lru_cache

States = frozenset[int]
"""Pattern positions reachable so far: how many segments the path so far has consumed."""

_WILDCARDS = frozenset("*?[")


def is_wild(segment: str) -> bool:
    """Whether a segment (or a pattern) has a wildcard, so is more than a literal name."""
    return not _WILDCARDS.isdisjoint(segment)


def split_glob(pattern: str) -> tuple[str, str]:
    """The fixed folder a pattern starts from and the glob below it ('' when fixed); a
    ValueError says why a pattern cannot be walked (``validate`` reports it too)."""
    parts = pattern.replace(os.sep, "/").split("/")
    for index, part in enumerate(parts):
        if is_wild(part):
            below = [p for p in parts[index:] if p not in ("", ".")]
            if ".." in below:
                raise ValueError(f"glob {pattern!r}: '..' after a wildcard is not supported")
            return "/".join(parts[:index]), "/".join(below)
    return pattern, ""


class PathGlob:
    """A compiled path glob.

    ``hidden``: whether wildcards match names that begin with ``.``. The artifact walk says
    no, like the shell and ``glob.glob`` (a ``**`` never enters ``.git`` or ``.venv``, and
    ``.benchmarks/**`` still works because the dot is written); the swimlane paths of a pull
    request's changed files say yes, as CODEOWNERS does.
    """

    def __init__(self, pattern: str, hidden: bool = True) -> None:
        self.pattern = pattern
        self.hidden = hidden
        self.segments = tuple(pattern.split("/"))
        # each position with those after it that a ``**`` standing for no folder reaches
        closed: list[States] = [frozenset({len(self.segments)})]
        for at in reversed(range(len(self.segments))):
            skip = closed[-1] if self.segments[at] == "**" else frozenset()
            closed.append(frozenset({at}) | skip)
        self._closed = tuple(reversed(closed))
        self.start: States = self._closed[0]

    def _fits(self, name: str, segment: str) -> bool:
        if not is_wild(segment):
            return name == segment
        if not self.hidden and name.startswith(".") and not segment.startswith("."):
            return False
        return fnmatchcase(name, segment)

    def step(self, states: States, name: str) -> States:
        """The states after one more path segment ``name``."""
        reached: set[int] = set()
        for at in states:
            if at == len(self.segments):
                continue
            segment = self.segments[at]
            if segment == "**":
                if self.hidden or not name.startswith("."):
                    reached |= self._closed[at]
            elif self._fits(name, segment):
                reached |= self._closed[at + 1]
        return frozenset(reached)

    def accepts(self, states: States) -> bool:
        """Whether the path so far is a whole match."""
        return len(self.segments) in states

    def continues(self, states: States) -> bool:
        """Whether a longer path can still match: a walk enters the folder only then."""
        return any(at < len(self.segments) for at in states)

    def fullmatch(self, path: str) -> bool:
        states = self.start
        for part in path.split("/"):
            states = self.step(states, part)
            if not states:
                return False
        return self.accepts(states)


@lru_cache(maxsize=512)
def path_glob(pattern: str, hidden: bool = True) -> PathGlob:
    """The compiled glob (cached: a matrix repeats its patterns for every changed file)."""
    return PathGlob(pattern, hidden)


class GlobSet:
    """Several path globs run side by side, so one walk of a folder serves them all."""

    def __init__(self, globs: tuple[PathGlob, ...]) -> None:
        self.globs = globs
        self.start: tuple[States, ...] = tuple(g.start for g in globs)

    def step(self, states: tuple[States, ...], name: str) -> tuple[States, ...]:
        return tuple(g.step(s, name) if s else s for g, s in zip(self.globs, states, strict=True))

    def accepts(self, states: tuple[States, ...]) -> bool:
        return any(g.accepts(s) for g, s in zip(self.globs, states, strict=True))

    def continues(self, states: tuple[States, ...]) -> bool:
        return any(g.continues(s) for g, s in zip(self.globs, states, strict=True))


SHARD = "{shard}"
"""What stands for a shard's number in an artifact's ``shards.name``."""


@lru_cache(maxsize=64)
def _shard_pattern(name: str) -> re.Pattern[str]:
    """``name`` (a path glob with one ``{shard}``) as a regular expression matching the end of
    a path, at a folder boundary, with the number as its group."""
    parts = []
    for segment in name.split("/"):
        if segment == "**":
            parts.append("(?:[^/]+/)*")
            continue
        text = re.escape(segment).replace(re.escape(SHARD), "(?P<shard>[0-9]+)")
        text = text.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        parts.append(text + "/")
    return re.compile("(?:^|/)" + "".join(parts)[:-1] + "$")


def shard_of(name: str, path: str) -> int | None:
    """The number of the shard a file belongs to: its path ends as ``name`` says with a
    number where ``{shard}`` is (``junit-{shard}.xml``: ``reports/junit-07.xml`` is 7); None
    when the path does not fit."""
    found = _shard_pattern(name).search(path)
    return None if found is None else int(found.group("shard"))
