"""Criterion.rs console output: ``NAME  time: [1.2 ms 1.3 ms 1.4 ms]`` and ``thrpt: [...]``.

The three values are the lower bound, the estimate and the upper bound of Criterion's
confidence interval for the time of one iteration. A long name is printed on a line of
its own with the ``time:`` line indented below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gatekeeper.parsers._text import TIME_SCALE, line_error, read_record, record_shape
from gatekeeper.units import UNITS, Dimension, Quantity

_VALUE = r"([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?) (\S+)"
_TRIPLE = rf"\[{_VALUE} {_VALUE} {_VALUE}\]"
# The relative 'change:' block repeats both labels with percentages: those are not read.
_TIME = record_shape(
    "time estimate",
    r"^(?:\S.*?)?\s+time:\s+\[(?!.*%)",
    rf"(?P<name>\S.*?)?\s+time:\s+{_TRIPLE}\s*",
    "'NAME  time: [LOW UNIT ESTIMATE UNIT HIGH UNIT]'",
)
_THRPT = record_shape(
    "throughput",
    r"^\s+thrpt:\s+\[(?!.*%)",
    rf"\s+thrpt:\s+{_TRIPLE}\s*",
    "'thrpt: [LOW UNIT ESTIMATE UNIT HIGH UNIT]'",
)
_PROGRESS = re.compile(r"^Benchmarking \S.*: (?:Warming up|Collecting|Analyzing)")

# Criterion writes byte rates with binary prefixes, or decimal ones under BytesDecimal.
_RATES: dict[str, tuple[Dimension, float]] = {
    **{u: d for u, d in UNITS.items() if d[0] is Dimension.DATA_RATE},
    "KiB/s": (Dimension.DATA_RATE, 1024.0),
    "MiB/s": (Dimension.DATA_RATE, 1024.0**2),
    "GiB/s": (Dimension.DATA_RATE, 1024.0**3),
    "TiB/s": (Dimension.DATA_RATE, 1024.0**4),
    "elem/s": (Dimension.THROUGHPUT, 1.0),
    "Kelem/s": (Dimension.THROUGHPUT, 1e3),
    "Melem/s": (Dimension.THROUGHPUT, 1e6),
    "Gelem/s": (Dimension.THROUGHPUT, 1e9),
}


def is_console_line(line: str) -> bool:
    """A line only Criterion's console output has: a time estimate or a progress line."""
    match = _TIME.whole.fullmatch(line)
    if match is not None and "%" not in match.group(3, 5, 7):
        return True
    return _PROGRESS.match(line) is not None


@dataclass
class ConsoleReader:
    """Collects the benchmarks of a console log, line by line."""

    display: str
    results: list[tuple[str, dict[str, Quantity]]] = field(default_factory=list)
    _previous: str = ""
    _last_was_time: bool = False

    def feed(self, line: str, lineno: int) -> None:
        """Take one line; lines that are not Criterion's are ignored."""
        was_time, self._last_was_time = self._last_was_time, False
        record = read_record((_TIME, _THRPT), line, self.display, lineno)
        shape, match = record if record is not None else (None, None)
        if match is not None and "%" in match.groups()[-5::2]:
            match = None  # a 'change:' block written with a space before its percent signs
        if match is not None and shape is _TIME:
            name = (match["name"] or self._previous).strip()
            if not name:
                raise line_error(self.display, lineno, "a time estimate without a benchmark name")
            self.results.append((name, self._times(match, lineno)))
            self._last_was_time = True
        elif match is not None:
            if not was_time:
                message = "a throughput without the time estimate it follows"
                raise line_error(self.display, lineno, message)
            self.results[-1][1].update(self._rate(match, lineno))
        if line.strip():
            self._previous = line

    def _times(self, match: re.Match[str], lineno: int) -> dict[str, Quantity]:
        units = match.group(3, 5, 7)
        # Criterion scales each value on its own ([999.5 ns 1.0001 µs 1.0012 µs]).
        scales = [TIME_SCALE.get(unit) for unit in units]
        dim = Dimension.TIME
        if None in scales:
            if len(set(units)) != 1:
                message = f"cannot read the units {' '.join(units)} of this time estimate"
                raise line_error(self.display, lineno, message)
            # A custom measurement (cycles, instructions) is kept as a plain number.
            dim, scales = Dimension.NUMBER, [1.0, 1.0, 1.0]
        low, estimate, high = (
            float(v) * (s or 1.0) for v, s in zip(match.group(2, 4, 6), scales, strict=True)
        )
        return {
            "avg": Quantity(estimate, dim),
            "ci_lower": Quantity(low, dim),
            "ci_upper": Quantity(high, dim),
        }

    def _rate(self, match: re.Match[str], lineno: int) -> dict[str, Quantity]:
        unit = match.group(4)  # the estimate's unit: (low, unit, estimate, unit, high, unit)
        known = _RATES.get(unit)
        if known is None:
            raise line_error(self.display, lineno, f"unknown throughput unit {unit!r}")
        dim, factor = known
        name = "throughput" if dim is Dimension.THROUGHPUT else "data_rate"
        return {name: Quantity(float(match.group(3)) * factor, dim)}
