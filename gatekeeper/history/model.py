"""A history read back: its evaluations in time order, each benchmark's trend, and the date
each phase was first reached (its gate first passed on a judged push, or its phase tag)."""

from __future__ import annotations

import datetime as dt
import errno
import heapq
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from gatekeeper.history.records import (
    MAX_LINE,
    BenchmarkEntry,
    Evaluation,
    Point,
    Problem,
    read_lines,
)
from gatekeeper.records import record


@record
class History:
    evaluations: tuple[Evaluation, ...]
    """Oldest first; a record written twice (the same key) is kept once."""
    problems: tuple[Problem, ...] = ()
    sources: tuple[str, ...] = ()
    """What was read: files, or branch:path."""
    older: int = 0
    """Evaluations read and left out, older than the newest ``keep`` (``build``)."""
    more_problems: int = 0
    """Problems counted and not kept (``build`` with ``keep``)."""

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more_problems

    def trend(self, ref: str) -> dict[str, list[tuple[Evaluation, Point]]]:
        """Each line of benchmark ``ref``, by its label (``trend_label``), and its points,
        oldest first. One series held to two thresholds (a p95 and a median) is two lines."""
        series: dict[str, list[tuple[Evaluation, Point]]] = {}
        for evaluation in self.evaluations:
            entry = _entry(evaluation, ref)
            for point in entry.points if entry is not None else ():
                series.setdefault(trend_label(point), []).append((evaluation, point))
        return series

    def benchmark_refs(self) -> list[str]:
        """Every benchmark the history names, in order of first appearance."""
        return list(dict.fromkeys(b.ref for e in self.evaluations for b in e.benchmarks))


def trend_label(point: Point) -> str:
    """'http_req_duration{scenario:splitter}: p(95) < 250ms'; the series alone without a
    threshold."""
    return f"{point.series}: {point.threshold}" if point.threshold else point.series


def _entry(evaluation: Evaluation, ref: str) -> BenchmarkEntry | None:
    return next((b for b in evaluation.benchmarks if b.ref == ref), None)


def build(
    items: Iterable[Evaluation | Problem], sources: Sequence[str] = (), keep: int | None = None
) -> History:
    """The history of ``items`` (in file order). With ``keep``, only what the page shows is
    held, however long the history: the newest ``keep`` evaluations, the first gate pass of
    each phase (without its benchmarks: the timeline's), and the first ``KEPT_PROBLEMS``
    problems, the others counted (a history of 20,000 pushes held whole took 586 MB)."""
    if keep is None:
        evaluations: dict[str, Evaluation] = {}
        problems: list[Problem] = []
        for item in items:
            if isinstance(item, Problem):
                problems.append(item)
            else:
                evaluations.setdefault(item.key, item)
        ordered = sorted(evaluations.values(), key=lambda e: e.date)  # stable: file order in ties
        return History(tuple(ordered), tuple(problems), tuple(sources))
    return _bounded(items, sources, keep)


KEPT_PROBLEMS = 100
"""Problems a bounded history holds (the page names 5, and counts every one)."""
_Placed = tuple[dt.datetime, int, Evaluation]
"""An evaluation with its date and the order it was first read in (``build``'s order)."""


def _bounded(items: Iterable[Evaluation | Problem], sources: Sequence[str], keep: int) -> History:
    keys: set[str] = set()
    newest: list[_Placed] = []  # a heap: the oldest on top
    firsts: dict[str, _Placed] = {}
    problems: list[Problem] = []
    more = 0
    for item in items:
        if isinstance(item, Problem):
            if len(problems) < KEPT_PROBLEMS:
                problems.append(item)
            else:
                more += 1
            continue
        if item.key in keys:
            continue  # the first copy read is the record, as in ``build``
        keys.add(item.key)
        placed = (item.date, len(keys), item)
        for phase in item.passed:
            held = firsts.get(phase)
            if held is None or placed[:2] < held[:2]:
                firsts[phase] = (item.date, len(keys), replace(item, benchmarks=()))
        heapq.heappush(newest, placed)
        if len(newest) > keep:
            heapq.heappop(newest)
    kept = {order: evaluation for _, order, evaluation in newest}
    for _, order, evaluation in firsts.values():
        kept.setdefault(order, evaluation)
    ordered = [kept[order] for order in sorted(kept, key=lambda o: (kept[o].date, o))]
    return History(tuple(ordered), tuple(problems), tuple(sources), len(keys) - len(newest), more)


def combine(histories: Sequence[History]) -> History:
    """Several histories as one (a record in two is kept once); bounded ones stay bounded
    (their left-out evaluations and problems are added up)."""
    items: list[Evaluation | Problem] = []
    for history in histories:
        items += [*history.evaluations, *history.problems]
    joined = build(items, [source for history in histories for source in history.sources])
    older = sum(history.older for history in histories)
    more = sum(history.more_problems for history in histories)
    return replace(joined, older=older, more_problems=more)


def bounded_lines(handle: BinaryIO, limit: int = MAX_LINE) -> Iterator[bytes]:
    """A binary file's lines, none held longer than ``limit`` + 1 bytes: the rest of an
    overlong line is skipped, so its problem is reported without reading it into memory."""
    readline = handle.readline
    while True:
        line: bytes = readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # drain the rest of this line
                more: bytes = readline(1024 * 1024)
                if not more or more.endswith(b"\n"):
                    break
        yield line


def history_files(path: Path) -> list[Path]:
    """A file, or a folder's ``*.jsonl`` files (recursively), in name order. Raises OSError
    for anything else: /dev/zero or a FIFO is read for ever (a line that never ends)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*.jsonl") if p.is_file())
    if not path.is_file():
        raise OSError(errno.EINVAL, "neither a regular file nor a folder", str(path))
    return [path]


def read_files(files: Iterable[Path]) -> Iterator[Evaluation | Problem]:
    """Each file's records and problems, a line at a time; raises OSError for a file that
    cannot be read (its ``filename`` names it)."""
    for file in files:
        with file.open("rb") as handle:
            yield from read_lines(str(file), bounded_lines(handle))


def read_blob(name: str, content: bytes) -> Iterator[Evaluation | Problem]:
    """A file's records and problems from its content (read through the API or from git)."""
    return read_lines(name, bounded_lines(io.BytesIO(content)))


def read_paths(paths: Sequence[Path], keep: int | None = None) -> History:
    """Raises OSError for a path that cannot be read (the caller names it). ``keep``: see
    ``build``."""
    files = [f for path in paths for f in history_files(path)]
    return build(read_files(files), [str(f) for f in files], keep)


def read_blobs(blobs: Iterable[tuple[str, bytes]], keep: int | None = None) -> History:
    """Files read through the API: (name, content), taken one at a time (``blobs`` may
    fetch each as it is asked for: only one is held)."""
    names: list[str] = []

    def items() -> Iterator[Evaluation | Problem]:
        for name, content in blobs:
            names.append(name)
            yield from read_blob(name, content)

    history = build(items(), (), keep)
    return replace(history, sources=tuple(names))


@record
class TagMark:
    """A phase tag: the phase, the tag, when it was made, the commit it names."""

    phase: str
    tag: str
    date: dt.datetime
    commit: str


@record
class Reached:
    phase: str
    date: dt.datetime
    commit: str
    by: str
    """'gate' (its gate first passed on a judged push) or 'tag' (its phase tag)."""
    tag: str | None = None


def first_reached(
    history: History, phases: Sequence[str], tags: Iterable[TagMark] = ()
) -> dict[str, Reached]:
    """Each phase reached, by the earlier of its gate's first pass in ``history`` and its
    earliest phase tag; a phase reached neither way is absent."""
    passes = ((p, e.date, e.commit) for e in history.evaluations for p in e.passed)
    return earliest(passes, phases, tags)


def earliest(
    passes: Iterable[tuple[str, dt.datetime, str]],
    phases: Sequence[str],
    tags: Iterable[TagMark] = (),
) -> dict[str, Reached]:
    """The rule of ``first_reached`` on gate passes given as (phase, date, commit): each
    phase's earliest pass or phase tag, the first given where dates tie (a pass before a
    tag), in the order of ``phases``; a phase of neither is absent."""
    found: dict[str, Reached] = {}

    def offer(candidate: Reached) -> None:
        held = found.get(candidate.phase)
        if candidate.phase in phases and (held is None or candidate.date < held.date):
            found[candidate.phase] = candidate

    for phase, date, commit in passes:
        offer(Reached(phase, date, commit, "gate"))
    for mark in tags:
        offer(Reached(mark.phase, mark.date, mark.commit, "tag", mark.tag))
    return {p: found[p] for p in phases if p in found}
