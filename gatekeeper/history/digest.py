"""A history read line by line into only what `gatekeeper history` shows: memory grows with
the points kept (the last N of each benchmark), not with the file.

``model.build`` holds every evaluation (a year of hourly pushes of 50 benchmarks is half a
million points, some 700 MB of records); ``Digest`` keeps the same answers as
``build`` + ``History`` + ``first_reached`` would give, evaluation by evaluation: a record
is counted once per key (the first read), evaluations are ordered by date and, within a
date, by the order read, and each benchmark keeps its latest ``last`` entries in a heap.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import heapq
from collections.abc import Iterable, Sequence

from gatekeeper.history.records import BenchmarkEntry, Evaluation, Problem

Moment = tuple[dt.datetime, int]
"""An evaluation's place in the history: its date, then the order it was read in."""
Kept = tuple[dt.datetime, int, str, BenchmarkEntry]
"""A benchmark's entry at one evaluation: (date, order, commit, entry)."""


class Digest:
    """Fed every record and problem of a history (``add``), in any order."""

    def __init__(
        self,
        *,
        last: int,
        since: dt.datetime | None = None,
        patterns: Sequence[str] = (),
        sources: Sequence[str] = (),
    ) -> None:
        self.last = last
        self.since = since
        self.patterns = tuple(patterns)
        self.sources = tuple(sources)
        self.problems: list[Problem] = []
        self.evaluations = 0
        """Evaluations from ``since`` on."""
        self.first: dt.datetime | None = None
        self.last_date: dt.datetime | None = None
        self.latest: tuple[Moment, Evaluation] | None = None
        """The latest evaluation of the whole history."""
        self.passed: dict[str, tuple[Moment, str]] = {}
        """Each phase: when its gate first passed, and the commit."""
        self.named: dict[str, Moment] = {}
        """Every benchmark the history names (from ``since`` on), first named when."""
        self.windows: dict[str, list[Kept]] = {}
        """Each benchmark that ``patterns`` select: its latest ``last`` entries, a heap."""
        self._keys: set[str] = set()
        self._order = 0

    def feed(self, items: Iterable[Evaluation | Problem]) -> Digest:
        for item in items:
            if isinstance(item, Problem):
                self.problems.append(item)
            else:
                self.add(item)
        return self

    def _wanted(self, ref: str) -> bool:
        return not self.patterns or any(fnmatch.fnmatchcase(ref, p) for p in self.patterns)

    def add(self, evaluation: Evaluation) -> None:
        if evaluation.key in self._keys:
            return  # a lost write's retry: the first copy read is the record
        self._keys.add(evaluation.key)
        self._order += 1
        when: Moment = (evaluation.date, self._order)
        if self.latest is None or when > self.latest[0]:
            self.latest = (when, evaluation)
        for phase in evaluation.passed:
            held = self.passed.get(phase)
            if held is None or when < held[0]:
                self.passed[phase] = (when, evaluation.commit)
        if self.since is not None and evaluation.date < self.since:
            return
        self.evaluations += 1
        if self.first is None or evaluation.date < self.first:
            self.first = evaluation.date
        if self.last_date is None or evaluation.date > self.last_date:
            self.last_date = evaluation.date
        for entry in evaluation.benchmarks:
            seen = self.named.get(entry.ref)
            if seen is None or when < seen:
                self.named[entry.ref] = when
            window = self.windows.get(entry.ref)
            if window is None:
                if not self._wanted(entry.ref):
                    continue
                window = self.windows[entry.ref] = []
            heapq.heappush(window, (evaluation.date, self._order, evaluation.commit, entry))
            if len(window) > self.last:
                heapq.heappop(window)  # the oldest

    def benchmark_refs(self) -> list[str]:
        """Every benchmark named, in the order of the evaluation that first named it."""
        return sorted(self.named, key=self.named.__getitem__)

    def window(self, ref: str) -> list[Kept]:
        """``ref``'s latest entries, oldest first."""
        return sorted(self.windows.get(ref, ()), key=lambda kept: kept[:2])
