"""One evaluation as a line of history, and history's lines read back.

A history is JSON Lines: one object a judged push, shaped as schemas/history.schema.json,
the numbers in the JSON report's base units (seconds, fractions, bytes). Reading is strict
about each line and lenient about the file: a line that is not a record is a ``Problem``
naming its file and line, and every other line is still read, so one bad write cannot hide
a year of history; what a caller does with problems is its own (``gatekeeper history``
refuses to show a history with any, the HTML page says how many it left out).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from gatekeeper import __version__
from gatekeeper.records import record
from gatekeeper.reporters.json_report import BASE_UNITS
from gatekeeper.results import Measurement, Report
from gatekeeper.text import one_line
from gatekeeper.units import Dimension

HISTORY_VERSION = 1
MAX_LINE = 4 * 1024 * 1024
"""A line longer than this is a problem, not a record (a record of a thousand benchmarks is
well under a megabyte)."""
MAX_TEXT = 2000
"""Strings from a record are cut to this many characters when read."""


@dataclass(frozen=True, slots=True)  # made in bulk: ``record``'s guard cost a tenth of a read
class Point:
    """One measurement of a benchmark at one evaluation."""

    series: str
    """The metric as its selector names it ('' for a benchmark measured by no series)."""
    value: float | None
    """In ``unit``, the base unit of its dimension; None when not measured."""
    unit: str | None
    dimension: str | None
    """time, ratio, throughput, size, data_rate, count or number (a count and a ratio share
    the unit 1); None when not measured."""
    limit: float | None
    """The threshold's limit in the same unit; None for a comparison with a baseline."""
    interval: tuple[float | None, float | None] | None
    """With a ``confidence``: the change's interval (fractions); an end is None where the
    samples cannot bound it."""
    actual: str
    """As the reports showed it ('231 ms')."""
    ok: bool
    threshold: str = ""
    """What it was held to, as the matrix writes it ('p(95) < 250ms', 'mean +10%')."""


@dataclass(frozen=True, slots=True)
class BenchmarkEntry:
    ref: str
    """swimlane/phase/benchmark."""
    outcome: str
    """pass, fail, missing, error or waived."""
    points: tuple[Point, ...]
    summary: str = ""
    """The reports' one line on it ('8/9 tests passed: pass rate 88.89% < required 100%')."""


@record
class Evaluation:
    """One judged push."""

    key: str
    """Unique to the job that wrote it (commit:run id:attempt:job): a lost write's retry is
    recognised instead of recorded twice."""
    commit: str
    date: dt.datetime
    """When it was judged (the run's clock), aware UTC."""
    ref: str | None
    run_url: str | None
    verdict: str
    stands_at: str | None
    enforced_phase: str | None
    passed: tuple[str, ...]
    """The phases whose gates passed, in order."""
    benchmarks: tuple[BenchmarkEntry, ...]
    source: str
    """Where it was read: file:line."""


@record
class Problem:
    """A line that is not a record."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def moment(when: dt.datetime) -> str:
    return (
        when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    )


def _finite(number: float | None) -> float | None:
    return number if number is not None and math.isfinite(number) else None


def _point(measured: Measurement) -> dict[str, Any]:
    value = measured.value
    sampled = measured.sampled
    interval = None if sampled is None or sampled.interval is None else sampled.interval
    return {
        "series": measured.series,
        "value": None if value is None else _finite(value.value),
        "unit": None if value is None else BASE_UNITS[value.dimension],
        "dimension": None if value is None else value.dimension.value,
        "limit": None if measured.limit is None else _finite(measured.limit.value),
        "interval": None if interval is None else [_finite(interval[0]), _finite(interval[1])],
        "actual": measured.actual,
        "ok": measured.ok,
        "threshold": measured.threshold,
    }


def from_report(
    report: Report,
    verdict: str,
    *,
    commit: str,
    key: str,
    when: dt.datetime,
    ref: str | None = None,
    run_url: str | None = None,
) -> dict[str, Any]:
    """The line a judged push adds to the history (before ``dumps``)."""
    return {
        "history_version": HISTORY_VERSION,
        "key": key,
        "project": report.matrix.project,
        "commit": commit,
        "date": moment(when),
        "ref": ref,
        "run_url": run_url,
        "gatekeeper_version": __version__,
        "verdict": verdict,
        "stands_at": report.stands_at,
        "enforced_phase": report.enforced,
        "phases": [
            {"id": g.phase.id, "gate": "passed" if g.passed else "failed"} for g in report.gates
        ],
        "benchmarks": [
            {
                "ref": b.benchmark.ref,
                "outcome": b.outcome.value,
                "summary": b.summary,
                "points": [_point(m) for m in b.measurements],
            }
            for b in report.benchmarks
        ],
    }


def dumps(line: dict[str, Any]) -> str:
    """One line of JSON: no newline inside (JSON escapes every one in a string)."""
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class _Bad(ValueError):
    pass


_CLEANED: dict[str, str] = {}
"""Texts already made one line: a history repeats its refs, series, units and thresholds on
every line, and making each one line again was a third of reading it."""
_MAX_CLEANED = 100_000


def _text(obj: dict[str, Any], key: str, *, nullable: bool = False) -> str | None:
    found = obj.get(key)
    if found is None and nullable:
        return None
    if not isinstance(found, str) or (not found and not nullable):
        raise _Bad(f"{key!r}: expected {'a string or null' if nullable else 'a string'}")
    cleaned = _CLEANED.get(found)
    if cleaned is None:
        cleaned = one_line(found)[:MAX_TEXT]
        if len(_CLEANED) < _MAX_CLEANED and len(found) <= MAX_TEXT:
            _CLEANED[found] = cleaned
    return cleaned


def _number(obj: dict[str, Any], key: str) -> float | None:
    found = obj.get(key)
    if found is None:
        return None
    if isinstance(found, bool) or not isinstance(found, int | float):
        raise _Bad(f"{key!r}: expected a finite number or null")
    try:  # an integer past float's range (1e400 written out) overflows: no number a report wrote
        number = float(found)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise _Bad(f"{key!r}: expected a finite number or null")
    return number


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    found = obj.get(key)
    if not isinstance(found, list):
        raise _Bad(f"{key!r}: expected a list")
    return found


def _object(found: object, what: str) -> dict[str, Any]:
    if not isinstance(found, dict):
        raise _Bad(f"{what}: expected an object")
    return found


def _interval(found: object) -> tuple[float | None, float | None] | None:
    if found is None:
        return None
    if not isinstance(found, list) or len(found) != 2:
        raise _Bad("'interval': expected [low, high] or null")
    return _number({"low": found[0]}, "low"), _number({"high": found[1]}, "high")


def _dimension(obj: dict[str, Any]) -> str | None:
    found = _text(obj, "dimension", nullable=True)
    if found is not None and found not in DIMENSIONS:
        raise _Bad(f"'dimension' {found!r}: expected one of {', '.join(sorted(DIMENSIONS))}")
    return found


def _read_point(found: object) -> Point:
    obj = _object(found, "a point")
    ok = obj.get("ok")
    if not isinstance(ok, bool):
        raise _Bad("'ok': expected true or false")
    return Point(
        series=_text(obj, "series", nullable=True) or "",
        value=_number(obj, "value"),
        unit=_text(obj, "unit", nullable=True),
        dimension=_dimension(obj),
        limit=_number(obj, "limit"),
        interval=_interval(obj.get("interval")),
        actual=_text(obj, "actual", nullable=True) or "",
        ok=ok,
        threshold=_text(obj, "threshold", nullable=True) or "",
    )


DIMENSIONS = frozenset(d.value for d in Dimension)
OUTCOMES = frozenset({"pass", "fail", "missing", "error", "waived"})


def _read_benchmark(found: object) -> BenchmarkEntry:
    obj = _object(found, "a benchmark")
    outcome = _text(obj, "outcome")
    if outcome not in OUTCOMES:
        raise _Bad(f"'outcome': expected one of {', '.join(sorted(OUTCOMES))}")
    ref = _text(obj, "ref") or ""
    if ref.count("/") != 2:
        raise _Bad(f"'ref' {ref!r}: expected swimlane/phase/benchmark")
    points = tuple(_read_point(p) for p in _list(obj, "points"))
    return BenchmarkEntry(ref, outcome, points, _text(obj, "summary", nullable=True) or "")


def _date(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Bad(f"'date' {text!r}: expected an ISO 8601 date and time") from exc
    if when.tzinfo is None:
        raise _Bad(f"'date' {text!r}: expected a time zone (…Z)")
    try:  # 0001-01-01T00:00+01:00 is a valid ISO date whose UTC time is before year 1
        return when.astimezone(dt.timezone.utc)
    except OverflowError as exc:
        raise _Bad(f"'date' {text!r}: out of range in UTC") from exc


def _read(obj: dict[str, Any], source: str) -> Evaluation:
    version = obj.get("history_version")
    if version != HISTORY_VERSION:
        raise _Bad(f"'history_version' {version!r}: this gatekeeper reads {HISTORY_VERSION}")
    passed = []
    for phase in _list(obj, "phases"):
        entry = _object(phase, "a phase")
        gate = _text(entry, "gate")
        if gate not in ("passed", "failed"):
            raise _Bad("'gate': expected passed or failed")
        if gate == "passed":
            passed.append(_text(entry, "id") or "")
    return Evaluation(
        key=_text(obj, "key") or "",
        commit=_text(obj, "commit") or "",
        date=_date(_text(obj, "date") or ""),
        ref=_text(obj, "ref", nullable=True),
        run_url=_text(obj, "run_url", nullable=True),
        verdict=_text(obj, "verdict") or "",
        stands_at=_text(obj, "stands_at", nullable=True),
        enforced_phase=_text(obj, "enforced_phase", nullable=True),
        passed=tuple(passed),
        benchmarks=tuple(_read_benchmark(b) for b in _list(obj, "benchmarks")),
        source=source,
    )


def _no_constant(name: str) -> float:
    raise _Bad(f"{name} is not a number JSON allows")


def read_lines(file: str, lines: Iterable[bytes]) -> Iterator[Evaluation | Problem]:
    """Each line of ``file`` as a record, or the problem with it. Blank lines are skipped."""
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            if len(raw) > MAX_LINE:
                raise _Bad(f"longer than {MAX_LINE // (1024 * 1024)} MiB")
            try:
                # a key written twice keeps its last value, as JSON parsers do: the history
                # decides no verdict, and looking for twice-written keys was a fifth of a read
                found = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
            except UnicodeDecodeError as exc:
                raise _Bad(f"not UTF-8 (byte {exc.start + 1})") from exc
            except json.JSONDecodeError as exc:
                raise _Bad(f"not JSON: {exc.msg} (column {exc.colno})") from exc
            except _Bad:
                raise
            except ValueError as exc:  # an integer of more digits than Python converts (4300)
                raise _Bad("not a record: a number too long to read") from exc
            yield _read(_object(found, "the line"), f"{file}:{number}")
        except _Bad as exc:
            yield Problem(file, number, str(exc))
        except RecursionError:
            yield Problem(file, number, "nested too deeply")
