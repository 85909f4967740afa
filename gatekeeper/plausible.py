"""The one guard on measured values: what no tool can have measured is not evidence.

Every parsed file (``parsers.parse_file``) and every file of a decoded bundle
(``bundles.decode``) passes through ``check_plausible`` before the engine sees it, so no
format and no forged bundle can bring a negative p(95) or a ``-Infinity`` to a ``<``
threshold. Times, counts, sizes, ratios, throughputs and data rates cannot be negative;
NaN and the infinities are never evidence; a plain number (a custom gauge) may be
negative but must be finite. Raw samples are held to the same rules at C speed: one
``sum`` finds a NaN or an infinity among millions, and sorted samples start with their
smallest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile
from gatekeeper.units import Dimension, format_value

SIGNED: frozenset[Dimension] = frozenset({Dimension.NUMBER})
"""Dimensions whose values may be negative; every other one measures an amount."""


def implausible(value: float, dimension: Dimension) -> str | None:
    """Why ``value`` cannot be a measurement of ``dimension`` ('is NaN, which ...'), or None."""
    if math.isnan(value):
        return "is NaN, which is not a measurement"
    if math.isinf(value):
        return f"is {'-' if value < 0 else ''}Infinity, which is not a measurement"
    if value < 0 and dimension not in SIGNED:
        return f"= {format_value(value, dimension)}, but a {_noun(dimension)} cannot be negative"
    return None


def _noun(dimension: Dimension) -> str:
    nouns = {Dimension.THROUGHPUT: "rate per second", Dimension.DATA_RATE: "data rate"}
    return nouns.get(dimension, dimension.value)


def _samples_problem(samples: Sequence[float], dimension: Dimension) -> str | None:
    if not samples:
        return None
    if not math.isfinite(sum(samples)):  # a NaN or an infinity, or finite values past 1e308
        for value in samples:
            problem = implausible(value, Dimension.NUMBER)
            if problem:
                return problem
    return implausible(samples[0], dimension)  # ascending: the first is the smallest


def metric_problem(metric: Metric) -> str | None:
    """What makes one series impossible, naming the statistic or the sample; None if nothing."""
    for name, quantity in metric.stats.items():
        problem = implausible(quantity.value, quantity.dimension)
        if problem:
            return f"{metric.label} {name} {problem}"
    problem = _samples_problem(metric.samples, metric.sample_dimension)
    return f"{metric.label}: a raw sample {problem}" if problem else None


def check_plausible(parsed: ParsedFile) -> ParsedFile:
    """``parsed`` unchanged, or an EvidenceError naming the file, series and statistic of a
    value no tool can have measured."""
    for metric in parsed.metrics:
        problem = metric_problem(metric)
        if problem:
            raise EvidenceError(Position(parsed.path), f"impossible value: {problem}")
    return parsed
