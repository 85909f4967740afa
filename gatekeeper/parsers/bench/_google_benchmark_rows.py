"""One row of a Google Benchmark JSON file, read and converted to base units."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json
from gatekeeper.units import Dimension, Quantity

_STATES = {"error_occurred": "errored", "skipped": "was skipped"}
_TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
# What src/json_reporter.cc writes. aggregate_name is not closed: besides mean, median,
# stddev and cv, a benchmark may compute its own statistics under names it chooses
# (ComputeStatistics, docs/user_guide.md), and complexity rows are BigO and RMS.
_RUN_TYPES = ("iteration", "aggregate")
_AGGREGATE_UNITS = ("time", "percentage")
# Keys the library writes about the row itself; every other number is a counter.
_ROW_KEYS = frozenset(
    {
        "name",
        "family_index",
        "per_family_instance_index",
        "run_name",
        "run_type",
        "repetitions",
        "repetition_index",
        "threads",
        "aggregate_name",
        "aggregate_unit",
        "error_occurred",
        "error_message",
        "skipped",
        "skip_message",
        "iterations",
        "real_time",
        "cpu_time",
        "time_unit",
        "big_o",
        "label",
    }
)
# Counters with a known meaning: the statistic names they are published under.
_KNOWN_COUNTERS: dict[str, tuple[tuple[str, ...], Dimension]] = {
    "items_per_second": (("throughput", "items_per_second"), Dimension.THROUGHPUT),
    "bytes_per_second": (("data_rate", "bytes_per_second"), Dimension.DATA_RATE),
    "max_bytes_used": (("max_bytes_used",), Dimension.SIZE),
    "total_allocated_bytes": (("total_allocated_bytes",), Dimension.SIZE),
    "net_heap_growth": (("net_heap_growth",), Dimension.NUMBER),  # bytes; < 0 when it shrank
}


@dataclass(frozen=True)
class Row:
    """A row of ``benchmarks[]`` with its times in base units."""

    run_name: str
    """The run the row belongs to: the benchmark name without the aggregate suffix."""
    aggregate: str | None
    """The aggregate's name (mean, median, stddev, cv, ...), None for an iteration row."""
    repetition: int
    """The repetition index of an iteration row."""
    repetitions: int
    """How many repetitions the run was asked for."""
    iterations: float | None
    """Iterations of an iteration row; repetitions summarised for an aggregate row."""
    real_time: float | None
    """The Time column: seconds, or a fraction for a percentage aggregate (cv)."""
    cpu_time: float | None
    """The CPU column, in the same dimension."""
    dimension: Dimension
    """TIME, or RATIO for a percentage aggregate."""
    failed: bool
    """The run errored or was skipped: its figures mean nothing."""
    error: str | None = None
    """What the library recorded when the run errored (``error_occurred``), in its words."""
    counters: dict[str, Quantity] = field(default_factory=dict)
    """Throughput, data rate, memory figures and user counters."""


def read_row(raw: object, display: str, where: str) -> Row:
    """The row at ``where``, or an EvidenceError naming the key path that is wrong."""
    row = _json.expect_object(raw, display, where)
    name = _json.expect_str(row.get("name"), display, f"{where}.name")
    aggregate: str | None = None
    run_type = row.get("run_type")
    if run_type is not None:  # libraries before 1.5 wrote none
        run_type = _json.expect_choice(run_type, _RUN_TYPES, display, f"{where}.run_type")
    if run_type == "aggregate" or (run_type is None and "aggregate_name" in row):
        where_name = f"{where}.aggregate_name"
        aggregate = _json.expect_str(row.get("aggregate_name"), display, where_name)
    elif "aggregate_name" in row:
        raise _json.shape_error(display, f"{where}.run_type", '"aggregate"', run_type)
    run_name = row.get("run_name")
    if run_name is None:  # libraries before run_name append the aggregate to the name
        suffix = f"_{aggregate}" if aggregate else ""
        run_name = name.removesuffix(suffix) if suffix and name.endswith(suffix) else name
    run_name = _json.expect_str(run_name, display, f"{where}.run_name")
    unit = row.get("aggregate_unit")
    if unit is not None:
        unit = _json.expect_choice(unit, _AGGREGATE_UNITS, display, f"{where}.aggregate_unit")
    ratio = unit == "percentage" or (unit is None and aggregate == "cv")
    dimension = Dimension.RATIO if ratio else Dimension.TIME
    factor = 1.0 if ratio else _time_factor(row, display, where)
    return Row(
        run_name=run_name,
        aggregate=aggregate,
        repetition=int(_number(row, "repetition_index", display, where) or 0),
        repetitions=int(_number(row, "repetitions", display, where) or 0),
        iterations=_number(row, "iterations", display, where),
        real_time=_scaled(_number(row, "real_time", display, where), factor),
        cpu_time=_scaled(_number(row, "cpu_time", display, where), factor),
        dimension=dimension,
        failed=_flag(row, "error_occurred", "error_message", display, where)
        or _flag(row, "skipped", "skip_message", display, where),
        error=_error(row, display, where),
        counters=_counters(row, ratio),
    )


def _flag(row: dict[str, object], key: str, said: str, display: str, where: str) -> bool:
    """A true/false field; absent is false, anything else than a boolean is refused. The
    library writes the flag only as ``true`` and always with its message (``said``):
    a message without ``true`` is a row whose state is unknown, never a clean run."""
    value = row.get(key, False)
    if not isinstance(value, bool):
        raise _json.shape_error(display, f"{where}.{key}", "true or false", value)
    if said in row and value is not True:
        state = "false" if key in row else "absent"
        message = (
            f'{where}.{said} without "{key}": true ({key} is {state}): the library writes '
            f"the two together, so whether this run {_STATES[key]} is unknown"
        )
        raise EvidenceError(Position(display), message)
    return value


def _error(row: dict[str, object], display: str, where: str) -> str | None:
    if row.get("error_occurred") is not True:
        return None
    said = row.get("error_message", "")
    said = _json.expect_str("" if said is None else said, display, f"{where}.error_message")
    shown = said.strip().splitlines()[0][:200] if said.strip() else "no message"
    return f"error_occurred: {shown}"


def _time_factor(row: dict[str, object], display: str, where: str) -> float:
    if "real_time" not in row and "cpu_time" not in row:
        return 1.0
    unit = _json.expect_str(row.get("time_unit"), display, f"{where}.time_unit")
    if unit not in _TIME_UNITS:
        raise _json.shape_error(display, f"{where}.time_unit", "ns, us, ms or s", unit)
    return _TIME_UNITS[unit]


def _number(row: dict[str, object], key: str, display: str, where: str) -> float | None:
    return _json.number_or_none(row.get(key), display, f"{where}.{key}")


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _counters(row: dict[str, object], ratio: bool) -> dict[str, Quantity]:
    counters: dict[str, Quantity] = {}
    for key, value in _json.members(row):
        if key in _ROW_KEYS or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        try:
            number = float(value)
        except OverflowError:
            continue
        if not math.isfinite(number):
            continue  # the library writes NaN for a counter it could not compute
        names, dimension = _KNOWN_COUNTERS.get(key, ((key,), Dimension.NUMBER))
        # A percentage aggregate (cv) of any counter is a ratio, whatever the counter was.
        quantity = Quantity(number, Dimension.RATIO if ratio else dimension)
        counters.update((name, quantity) for name in names)
    return counters
