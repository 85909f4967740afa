"""Selector syntax shared by the matrix loader, the engine and the parsers that prefilter.

A selector (a test's suite, class, name or file; a metric's name) is matched against names
exactly as tools write them, and those are full of brackets: pytest's ``test_add[1-2]``,
Locust's ``/kv/[key]``. So a selector matches a name equal to it, or else is a glob in which
only ``*`` (any run of characters, ``/`` included: a name is not a path) and ``?`` (one
character) are wildcards; ``[``, ``]`` and every other character stand for themselves, and
case counts. Matching never backtracks: the literal runs between ``*`` are found leftmost in
turn, so a match costs at most (name length x selector length).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

_TAGS = re.compile(r"\{(?P<tags>[^{}]*)\}\s*$")


def parse_metric_selector(text: str) -> tuple[str, dict[str, str]]:
    """'http_req_duration{scenario:submit}' -> ('http_req_duration', {'scenario': 'submit'}).

    Braces at the end that hold ``tag:value`` pairs are a tag filter; any other braces are
    part of the name, as tools write names (JMeter's and Locust's ``GET /users/{id}``), so a
    label as ``inspect`` prints it selects its series.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty metric name")
    match = _TAGS.search(stripped)
    name = stripped[: match.start()].rstrip() if match else ""
    tags = _pairs(match.group("tags")) if match else None
    if name and tags is not None:
        return name, tags
    return stripped, {}


def _pairs(raw: str) -> dict[str, str] | None:
    """``a:1,b:2`` as a dict; None unless every part is a ``key:value`` pair."""
    tags: dict[str, str] = {}
    for pair in raw.split(","):
        key, sep, value = pair.partition(":")
        if not sep or not key.strip():
            return None
        tags[key.strip()] = value.strip()
    return tags


def is_glob(selector: str) -> bool:
    """Whether the selector can match more than the one name it spells."""
    return "*" in selector or "?" in selector


_Finder = Callable[[str, int, int], int]
"""(name, start, end) -> where the run first matches within name[start:end], or -1."""


class _Run:
    """A stretch of a selector between two ``*``: literal characters and ``?``."""

    def __init__(self, text: str) -> None:
        self.size = len(text)
        self.find = self._literal(text) if "?" not in text else self._any(text)

    @staticmethod
    def _literal(text: str) -> _Finder:
        return lambda name, start, end: name.find(text, start, end)

    @staticmethod
    def _any(text: str) -> _Finder:
        # a fixed-length pattern: no quantifier, so no backtracking beyond its length
        compiled = re.compile("".join("." if c == "?" else re.escape(c) for c in text), re.S)

        def find(name: str, start: int, end: int) -> int:
            found = compiled.search(name, start, end)
            return -1 if found is None else found.start()

        return find

    def at(self, name: str, start: int) -> bool:
        """Whether the run matches ``name`` exactly from ``start``."""
        return self.find(name, start, start + self.size) == start


class NameGlob:
    """A compiled selector."""

    def __init__(self, selector: str) -> None:
        self.selector = selector
        self.runs = [_Run(text) for text in selector.split("*")]

    def matches(self, name: str) -> bool:
        if name == self.selector:
            return True
        first, *middle = self.runs
        if not middle:  # no "*": a name of the same length, "?" standing for any character
            return len(name) == first.size and first.at(name, 0)
        *middle, last = middle
        end = len(name) - last.size
        if end < first.size or not first.at(name, 0) or not last.at(name, end):
            return False
        at = first.size
        for run in middle:  # leftmost first leaves the most room for the runs after it
            found = run.find(name, at, end)
            if found < 0:
                return False
            at = found + run.size
        return True


@lru_cache(maxsize=1024)
def name_glob(selector: str) -> NameGlob:
    """The compiled selector (cached: a matrix asks the same selectors of every name)."""
    return NameGlob(selector)


def name_matches(name: str, selector: str) -> bool:
    """Whether ``name`` is what ``selector`` selects."""
    return name == selector or name_glob(selector).matches(name)


def matches_any(value: str | None, globs: Sequence[str]) -> bool:
    """True when no selectors are given, or ``value`` matches one of them."""
    if not globs:
        return True
    return value is not None and any(name_matches(value, g) for g in globs)


def did_you_mean(written: Sequence[str], names: Iterable[str], n: int = 3) -> list[str]:
    """Names close to what was written, for a selection that matched nothing; never a string
    that was written (suggesting it back would say it should have matched)."""
    import difflib  # only a selection that matched nothing needs it: start-up time

    candidates = sorted(set(names) - set(written))
    close: dict[str, None] = {}
    for selector in written:
        close.update(dict.fromkeys(difflib.get_close_matches(selector, candidates, n=n)))
    return list(close)[:n]
