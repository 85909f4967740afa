"""Test selections counted as the tests stream by: what the engine judges, in bounded memory.

A test criterion of the matrix needs, of the tests it selects, only counts (matched,
skipped, run, failed, flaky), the tests that count against it to name in reports (the first
``MAX_FAILED_KEPT``; reports name 20 and GitHub takes 500 annotations), and, when it selects
nothing, the names close to what it wrote (``selector.did_you_mean``). A ``Tally`` keeps just
that whatever the number of tests, so a reader can hand every test over as it is read and
keep none (``collect``); ``select`` counts tests already in memory (a bundle's) the same way.

Each distinct suite, class and file is matched against a criterion's globs once: a report of
a million cases has a few hundred of them. Names are nearly all distinct and are matched
each time. Pure: no I/O.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches
from operator import itemgetter

from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.model import FlakyPolicy, TestCriterion
from gatekeeper.selector import did_you_mean, matches_any, name_glob

MAX_FAILED_KEPT = 500
"""Tests counting against a benchmark that are kept to name; the rest are only counted."""
CLOSE_NAMES = 3
"""Close names suggested for a selection that matched nothing (``did_you_mean``'s n)."""
_CACHED = 4096
"""Distinct values whose selector decision is kept per key; the cache starts over past it."""
_CACHED_LENGTH = 256
"""Longer values are matched every time rather than kept."""
_CANDIDATE_CHARACTERS = 4 * 1024 * 1024
"""Characters of distinct values kept per criterion while it has matched nothing, to
suggest close names from; past it the suggestions need a second pass (``Tally.hinting``)."""

KEYS: tuple[tuple[str, int], ...] = (
    ("suite", TestResult._fields.index("suite")),
    ("class", TestResult._fields.index("classname")),
    ("name", TestResult._fields.index("name")),
    ("file", TestResult._fields.index("file")),
)
"""(matrix key, TestResult field index) for each key a test criterion selects by."""


def selectors(criterion: TestCriterion, key: str) -> tuple[str, ...]:
    """The criterion's globs for a matrix key."""
    by_key = {
        "suite": criterion.suite,
        "class": criterion.classname,
        "name": criterion.name,
        "file": criterion.file,
    }
    return by_key[key]


@dataclass(frozen=True)
class Selection:
    """What a test criterion selects from an artifact's tests, counted."""

    matched: int
    skipped: int
    run: int
    """Matched and not skipped."""
    failed: int
    """Run tests that count against the criterion (failed, errored, flaky under 'fail')."""
    flaky: int
    """Run tests that passed only on a rerun."""
    failing: tuple[TestResult, ...]
    """The first MAX_FAILED_KEPT of the ``failed``, in the order they were read."""
    close: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """When nothing matched: per key whose globs match no test's value on their own, the
    values closest to what was written (possibly none)."""


def counts_against(criterion: TestCriterion, test: TestResult) -> bool:
    if test.status in (TestStatus.FAILED, TestStatus.ERROR):
        return True
    return test.flaky and criterion.flaky is FlakyPolicy.FAIL


class _KeyMatch:
    """One key's globs, with the decision for each distinct value kept (bounded)."""

    def __init__(self, key: str, index: int, globs: tuple[str, ...], cached: bool) -> None:
        self.key, self.globs = key, globs
        self.value: Callable[[TestResult], str | None] = itemgetter(index)
        """The test's value for the key (a C getter: this is the hot path)."""
        self.decided: dict[str | None, bool] | None = {} if cached else None

    def __call__(self, value: str | None) -> bool:
        decided = self.decided
        if decided is None:
            return matches_any(value, self.globs)
        known = decided.get(value)
        if known is None:
            known = matches_any(value, self.globs)
            if value is None or len(value) <= _CACHED_LENGTH:
                if len(decided) >= _CACHED:
                    decided.clear()
                decided[value] = known
        return known


class _Candidates:
    """For one key while the criterion has matched nothing: whether any value matched the
    key's globs, and the distinct values seen (up to a budget), to suggest from."""

    def __init__(self) -> None:
        self.any_match = False
        self.values: set[str] = set()


class Tally:
    """Counts one criterion's selection from tests handed over one at a time (``add``)."""

    def __init__(self, criterion: TestCriterion) -> None:
        self.criterion = criterion
        self.flaky_fails = criterion.flaky is FlakyPolicy.FAIL
        self.keys = [
            _KeyMatch(key, index, selectors(criterion, key), cached=key != "name")
            for key, index in KEYS
            if selectors(criterion, key)
        ]
        self.cached = [(k.value, k.decided, k) for k in self.keys if k.decided is not None]
        self.named = [
            (k.value, tuple(name_glob(g) for g in k.globs)) for k in self.keys if k.decided is None
        ]
        self.matched = self.skipped = self.run = self.failed = self.flaky = 0
        self.failing: list[TestResult] = []
        self.candidates: dict[str, _Candidates] | None = {m.key: _Candidates() for m in self.keys}
        self.characters = 0
        self.overflowed = False
        self.close: dict[str, _Closest] = {}

    def add(self, test: TestResult) -> None:
        # The hot path: every test, for every criterion reading the artifact.
        candidates = self.candidates
        if candidates is not None:  # nothing matched yet: what would a hint suggest?
            self._note(test, candidates)
        for get, decided, key in self.cached:
            value = get(test)
            known = decided.get(value)
            if known is None:
                known = key(value)
            if not known:
                return
        for get, globs in self.named:
            value = get(test)
            if value is None:
                return
            for glob in globs:
                if glob.matches(value):
                    break
            else:
                return
        self.candidates = None  # a selection that matched needs no hint
        self.matched += 1
        status = test.status
        if status is TestStatus.PASSED:
            self.run += 1
            if not test.flaky:
                return
            self.flaky += 1
            if not self.flaky_fails:
                return
        elif status is TestStatus.SKIPPED:
            self.skipped += 1
            return
        else:
            self.run += 1
        self.failed += 1
        if len(self.failing) < MAX_FAILED_KEPT:
            self.failing.append(test)

    def _note(self, test: TestResult, candidates: dict[str, _Candidates]) -> None:
        for key in self.keys:
            value = key.value(test)
            if not value:
                continue
            seen = candidates[key.key]
            if not seen.any_match and key(value):
                seen.any_match, seen.values = True, set()
            if seen.any_match or self.overflowed or value in seen.values:
                continue
            self.characters += len(value)
            if self.characters > _CANDIDATE_CHARACTERS:
                self.overflowed = True  # a second pass will find them (``hint``)
                for other in candidates.values():
                    other.values = set()
            else:
                seen.values.add(value)

    @property
    def hinting(self) -> bool:
        """Nothing matched and the values to suggest from did not fit: ``hint`` must be
        handed every test again."""
        return self.candidates is not None and self.overflowed

    def hint(self, test: TestResult) -> None:
        """The second pass: each test again, for the close names of the keys that matched
        nothing, without keeping the values."""
        assert self.candidates is not None
        for key in self.keys:
            value = key.value(test)
            if value and not self.candidates[key.key].any_match:
                closest = self.close.get(key.key)
                if closest is None:
                    closest = self.close[key.key] = _Closest(key.globs)
                closest.add(value)

    def result(self) -> Selection:
        close: list[tuple[str, tuple[str, ...]]] = []
        if not self.matched and self.candidates is not None:
            for key in self.keys:
                seen = self.candidates[key.key]
                if seen.any_match:
                    continue
                if self.overflowed:
                    closest = self.close.get(key.key)
                    names = closest.names() if closest else []
                else:
                    names = did_you_mean(key.globs, seen.values, CLOSE_NAMES)
                close.append((key.key, tuple(names)))
        return Selection(
            self.matched, self.skipped, self.run, self.failed, self.flaky,
            tuple(self.failing), tuple(close),
        )  # fmt: skip

    def close_values(self) -> dict[str, tuple[str, ...]] | None:
        """None once a test matched; else, per key whose globs matched no value on their
        own, the best ``CLOSE_NAMES`` values for each of its globs, sorted. ``did_you_mean``
        over the union of these from several tallies (shards) is ``did_you_mean`` over all
        their values: each glob's best over all are each among their own tally's best."""
        if self.matched or self.candidates is None:
            return None
        found: dict[str, tuple[str, ...]] = {}
        for key in self.keys:
            if self.candidates[key.key].any_match:
                continue
            if self.overflowed:
                closest = self.close.get(key.key)
                values = {v for _, best in closest.best for _, v in best} if closest else set()
            else:
                written = set(key.globs)
                candidates = sorted(self.candidates[key.key].values - written)
                values = set()
                for glob in key.globs:
                    values.update(get_close_matches(glob, candidates, CLOSE_NAMES))
            found[key.key] = tuple(sorted(values))
        return found


class _Closest:
    """``did_you_mean`` over values streamed by, keeping only each selector's best few:
    ``difflib.get_close_matches`` is the ``CLOSE_NAMES`` largest (score, value) pairs over
    distinct values, so a value seen again changes nothing."""

    def __init__(self, written: Sequence[str]) -> None:
        self.written = frozenset(written)
        self.best: list[tuple[SequenceMatcher[str], list[tuple[float, str]]]] = []
        for selector in written:
            matcher: SequenceMatcher[str] = SequenceMatcher()
            matcher.set_seq2(selector)
            self.best.append((matcher, []))

    def add(self, value: str) -> None:
        if value in self.written:
            return
        for matcher, best in self.best:
            matcher.set_seq1(value)
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            entry = (matcher.ratio(), value)
            if entry[0] < 0.6 or entry in best:
                continue
            if len(best) < CLOSE_NAMES:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)

    def names(self) -> list[str]:
        close: dict[str, None] = {}
        for _, best in self.best:
            close.update(dict.fromkeys(value for _, value in sorted(best, reverse=True)))
        return list(close)[:CLOSE_NAMES]


def tally_all(tallies: Sequence[Tally], tests: Callable[[], Iterable[TestResult]]) -> None:
    """Hand every test of ``tests()`` to each tally, and again to those still ``hinting``."""
    adds = [tally.add for tally in tallies]
    for test in tests():
        for add in adds:
            add(test)
    hints = [tally.hint for tally in tallies if tally.hinting]
    if hints:
        for test in tests():
            for hint in hints:
                hint(test)


def select(criterion: TestCriterion, tests: Sequence[TestResult]) -> Selection:
    """The criterion's selection from tests in memory."""
    tally = Tally(criterion)
    tally_all([tally], lambda: tests)
    return tally.result()
