"""Benchmark result lines of ``go test -bench`` and the series they add up to.

A result line is ``BenchmarkName-8  <iterations>  <value> <unit>  <value> <unit> ...``.
The ``-8`` suffix is GOMAXPROCS (Go omits it when that is 1); it becomes the ``procs``
tag, and the ``pkg:`` header the ``pkg`` tag, so one name measured in two packages or at
two -cpu settings stays two series. Repeated lines (``-count N``) are one series whose
ns/op values are its samples; the other units are averaged over its lines.
"""

from __future__ import annotations

import array
import math
import re
from dataclasses import dataclass, field

from gatekeeper.evidence import Metric
from gatekeeper.parsers._text import NUMBER, RecordShape
from gatekeeper.stats import from_samples
from gatekeeper.units import Dimension, Quantity

# Value-unit pairs; a unit never starts with a digit (Go's ReportMetric allows any other).
_PAIRS = rf"(?:\s+{NUMBER}\s+[^\s\d]\S*)+"
RESULT = re.compile(rf"(Benchmark(?![a-z])\S*)\s+(\d{{1,19}})({_PAIRS})\s*")
"""A whole result line: name, iterations, then the value-unit pairs."""
CONTINUATION = re.compile(rf"\s+(\d{{1,19}})({_PAIRS})\s*")
"""The rest of a result line whose name was printed before other output cut in."""
NAME_ONLY = re.compile(r"(Benchmark(?![a-z])\S*)\s*")
# A unit Go's testing package prints itself (ns/op, B/op, allocs/op, MB/s) or that custom
# metrics end with by convention (/op): such a line is a result, whole or broken.
_GO_UNIT = re.compile(r"(?:^|\s)(?:\S*/op|[KMGT]?B/s)(?=\s|$)")
_EXPECTED = "'BenchmarkNAME  ITERATIONS  VALUE UNIT  VALUE UNIT ...'"
SHAPES = (
    RecordShape("benchmark result", _GO_UNIT, RESULT, _EXPECTED),
    RecordShape("benchmark result", _GO_UNIT, CONTINUATION, _EXPECTED),
)
"""A result line, and the rest of one whose name line other output interrupted."""
_PROCS = re.compile(r"(.+?)-(\d+)")

_TIME_PER_OP = {"ns/op": 1e-9, "us/op": 1e-6, "µs/op": 1e-6, "ms/op": 1e-3, "sec/op": 1.0}
# Units with a canonical statistic: unit -> (statistic, dimension, factor to base units).
_KNOWN_UNITS: dict[str, tuple[str, Dimension, float]] = {
    "MB/s": ("data_rate", Dimension.DATA_RATE, 1e6),
    "B/s": ("data_rate", Dimension.DATA_RATE, 1.0),
    "B/op": ("bytes", Dimension.SIZE, 1.0),
    "allocs/op": ("allocs", Dimension.COUNT, 1.0),
}
_TIME_STATS = ("avg", "min", "max", "med", "stddev")


@dataclass
class Series:
    """Everything gathered for one (package, name, procs)."""

    name: str
    printed: str
    tags: dict[str, str]
    runs: int = 0
    iterations: int = 0
    units: tuple[str, ...] = ()
    """The units of its first result line: every run of a benchmark reports the same."""
    failures: list[str] = field(default_factory=list)
    """What go test reported failed: the benchmark (``--- FAIL``) or its package."""
    times: array.array[float] = field(default_factory=lambda: array.array("d"))
    sums: dict[str, tuple[float, int, Dimension]] = field(default_factory=dict)
    """statistic -> (sum of values in base units, lines that had it, dimension)"""

    def add(self, iterations: int, pairs: list[tuple[float, str]]) -> None:
        """One result line's iterations and value-unit pairs."""
        self.runs += 1
        self.iterations += iterations
        self.units = self.units or tuple(unit for _, unit in pairs)
        timed = False
        for value, unit in pairs:
            if unit in _TIME_PER_OP and not timed:
                self.times.append(value * _TIME_PER_OP[unit])
                timed = True
                continue
            # A custom ReportMetric unit keeps its own name and is a plain number.
            stat, dimension, factor = _KNOWN_UNITS.get(unit, (unit, Dimension.NUMBER, 1.0))
            total, count, _ = self.sums.get(stat, (0.0, 0, dimension))
            self.sums[stat] = (total + value * factor, count + 1, dimension)

    def metric(self, source: str) -> Metric:
        """The series with what failed; one that never printed a result has no statistics."""
        aliases = (self.printed,) if self.printed != self.name else ()
        failures = tuple(self.failures)
        if not self.runs:
            return Metric(self.name, self.tags, {}, "benchmark", aliases, source, failures=failures)
        stats = {
            stat: Quantity(total / count, dimension)
            for stat, (total, count, dimension) in self.sums.items()
        }
        ordered = array.array("d", sorted(self.times))
        for stat in _TIME_STATS:
            value = from_samples(ordered, stat, Dimension.TIME)
            if value is not None:
                stats[stat] = value
        stats["count"] = Quantity(self.runs, Dimension.COUNT)
        stats["iterations"] = Quantity(self.iterations, Dimension.COUNT)
        return Metric(
            name=self.name,
            tags=self.tags,
            stats=stats,
            kind="benchmark",
            aliases=aliases,
            source=source,
            samples=ordered,
            sample_dimension=Dimension.TIME,
            failures=failures,
        )


def split_name(printed: str) -> tuple[str, str]:
    """``BenchmarkX/sub-8`` -> ("BenchmarkX/sub", "8"); no suffix means GOMAXPROCS=1."""
    found = _PROCS.fullmatch(printed)
    return (found.group(1), found.group(2)) if found else (printed, "1")


def pairs(text: str) -> list[tuple[float, str]] | None:
    """``123 ns/op  45 B/op`` -> [(123.0, "ns/op"), (45.0, "B/op")]; None when it is not that
    (a value beyond a float, ``1e999``, included)."""
    tokens = text.split()
    if not tokens or len(tokens) % 2:
        return None
    found: list[tuple[float, str]] = []
    for number, unit in zip(tokens[::2], tokens[1::2], strict=True):
        try:
            value = float(number)
        except ValueError:
            return None
        if not math.isfinite(value) or unit[0].isdigit():
            return None
        found.append((value, unit))
    return found
