"""What `gatekeeper history` shows, computed from a ``Digest`` of the history: the phases and
when each was first reached, the phase the latest evaluation stands at, and each benchmark's
recent trend with its change and its headroom to the limit. Pure: the history, the matrix
and the phase tags are read by the command; ``terminal`` and ``json_shape`` render this.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import math
import re
from collections.abc import Sequence

from gatekeeper.history.digest import Digest, Kept
from gatekeeper.history.model import Reached, TagMark, earliest
from gatekeeper.history.records import Evaluation, Point
from gatekeeper.model import Matrix
from gatekeeper.records import record

NOT_PASSING = ("fail", "error", "missing")
"""Outcomes that fail closed: what 'did not pass' counts."""


@record
class Tags:
    """The phase tags read from the local clone, or why none could be."""

    pattern: str
    marks: tuple[TagMark, ...] = ()
    unavailable: str | None = None
    """Why tags could not be read (no git, not a repository); None when they were."""
    ignored: tuple[str, ...] = ()
    """Tags that fit the pattern but name no phase of the matrix, or have no date git can
    give (none, or one past year 9999 or with an offset of a day or more)."""


@record
class PhaseLine:
    id: str
    name: str
    reached: Reached | None


@record
class TrendPoint:
    date: dt.datetime
    commit: str
    value: float | None
    unit: str | None
    limit: float | None
    outcome: str
    """The benchmark's outcome at that evaluation."""
    actual: str
    ok: bool


@record
class Change:
    """From the first measured point shown to the latest."""

    first: float
    latest: float
    first_actual: str
    latest_actual: str
    relative: float | None
    """(latest - first) / |first|; None when first is 0."""

    @property
    def absolute(self) -> float:
        return self.latest - self.first


@record
class Headroom:
    """The latest value against its limit."""

    direction: str
    """'<', '<=', '>' or '>=': which side of the limit passes."""
    value: float
    limit: float
    used: float | None
    """value / limit; None when the limit is 0."""
    margin: float | None
    """The room left, as a fraction of |limit|: (limit - value) for an upper limit, (value -
    limit) for a lower one; negative when the value is past the limit; None when the limit
    is 0."""


@record
class Trend:
    """One series of a benchmark held to one threshold."""

    series: str
    threshold: str
    points: tuple[TrendPoint, ...]
    change: Change | None
    headroom: Headroom | None


@record
class BenchmarkHistory:
    ref: str
    in_matrix: bool
    latest: str | None
    """The outcome at its latest evaluation; None when the history never named it."""
    window: int
    """The evaluations counted (at most ``last``)."""
    outcomes: tuple[tuple[str, int], ...]
    """How many of those evaluations ended in each outcome."""
    trends: tuple[Trend, ...]

    @property
    def not_passing(self) -> int:
        return sum(n for outcome, n in self.outcomes if outcome in NOT_PASSING)


@record
class HistoryView:
    project: str
    sources: tuple[str, ...]
    evaluations: int
    """Evaluations the trends draw on (after ``since``)."""
    first: dt.datetime | None
    last_date: dt.datetime | None
    since: dt.datetime | None
    last: int
    phases: tuple[PhaseLine, ...]
    latest: Evaluation | None
    """The latest evaluation of the whole history."""
    benchmarks: tuple[BenchmarkHistory, ...]
    tags: Tags
    note: str | None = None
    """Why no history was read, and how to get it; None when one was."""


_DIRECTION = re.compile(r"<=|>=|≤|≥|<|>|\bat most\b|\bat least\b")
_SPELLED = {"≤": "<=", "≥": ">=", "at most": "<=", "at least": ">="}


def direction(threshold: str) -> str | None:
    """Which side of the limit passes, from the threshold as the matrix writes it."""
    found = _DIRECTION.search(threshold)
    return None if found is None else _SPELLED.get(found[0], found[0])


def headroom(point: Point | TrendPoint, threshold: str) -> Headroom | None:
    side = direction(threshold)
    if side is None or point.value is None or point.limit is None:
        return None
    value, limit = point.value, point.limit
    if limit == 0:
        return Headroom(side, value, limit, None, None)
    room = (limit - value) if side.startswith("<") else (value - limit)
    used, margin = value / limit, room / abs(limit)
    if not (math.isfinite(used) and math.isfinite(margin)):
        return None  # 1e308 against 1e-308: past what a float says (the JSON has no Infinity)
    return Headroom(side, value, limit, used, margin)


def change(points: Sequence[TrendPoint]) -> Change | None:
    measured = [p for p in points if p.value is not None]
    if len(measured) < 2:
        return None
    first, latest = measured[0], measured[-1]
    assert first.value is not None and latest.value is not None
    relative = None if first.value == 0 else (latest.value - first.value) / abs(first.value)
    if not math.isfinite(latest.value - first.value) or not math.isfinite(relative or 0.0):
        return None  # -1e308 to 1e308: a change past what a float says (no Infinity in JSON)
    return Change(first.value, latest.value, first.actual, latest.actual, relative)


def selection(refs: Sequence[str], patterns: Sequence[str]) -> tuple[list[str], list[str]]:
    """The refs any pattern (an fnmatch glob) matches, in order, and the patterns that match
    none (a selection that matches nothing must never look like success)."""
    if not patterns:
        return list(refs), []
    chosen = [r for r in refs if any(fnmatch.fnmatchcase(r, p) for p in patterns)]
    unmatched = [p for p in patterns if not any(fnmatch.fnmatchcase(r, p) for r in refs)]
    return chosen, unmatched


def matrix_refs(matrix: Matrix) -> list[str]:
    return [b.ref for cell in matrix.cells for b in cell.benchmarks]


def _trends(window: Sequence[Kept]) -> tuple[Trend, ...]:
    # one trend per (series, threshold): a benchmark may hold one series to two thresholds
    grouped: dict[tuple[str, str], list[TrendPoint]] = {}
    for date, _, commit, entry in window:
        for p in entry.points:
            shown = TrendPoint(
                date, commit, p.value, p.unit, p.limit, entry.outcome, p.actual, p.ok
            )
            grouped.setdefault((p.series, p.threshold), []).append(shown)
    return tuple(
        Trend(series, threshold, tuple(points), change(points), headroom(points[-1], threshold))
        for (series, threshold), points in grouped.items()
    )


def _benchmark(ref: str, in_matrix: bool, window: Sequence[Kept]) -> BenchmarkHistory:
    outcomes: dict[str, int] = {}
    for kept in window:
        outcome = kept[3].outcome
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    latest = window[-1][3].outcome if window else None
    return BenchmarkHistory(
        ref, in_matrix, latest, len(window), tuple(sorted(outcomes.items())), _trends(window)
    )


def first_reached(
    digest: Digest, phases: Sequence[str], tags: Sequence[TagMark]
) -> dict[str, Reached]:
    """``model.first_reached`` on a digest, which holds each gate's first pass."""
    passes = ((phase, date, commit) for phase, ((date, _), commit) in digest.passed.items())
    return earliest(passes, phases, tags)


def build_view(
    digest: Digest,
    matrix: Matrix,
    tags: Tags,
    *,
    refs: Sequence[str],
    note: str | None = None,
) -> HistoryView:
    """``refs``: the benchmarks to show (from ``selection``), matrix ones and gone ones."""
    in_matrix = set(matrix_refs(matrix))
    reached = first_reached(digest, [p.id for p in matrix.phases], tags.marks)
    return HistoryView(
        project=matrix.project,
        sources=digest.sources,
        evaluations=digest.evaluations,
        first=digest.first,
        last_date=digest.last_date,
        since=digest.since,
        last=digest.last,
        phases=tuple(PhaseLine(p.id, p.name, reached.get(p.id)) for p in matrix.phases),
        latest=None if digest.latest is None else digest.latest[1],
        benchmarks=tuple(_benchmark(r, r in in_matrix, digest.window(r)) for r in refs),
        tags=tags,
        note=note,
    )
