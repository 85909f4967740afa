"""`gatekeeper bench`'s verdicts: a table for people, a JSON document for programs."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from gatekeeper.compare import Comparison, shown_interval
from gatekeeper.records import record
from gatekeeper.text import plain


@record
class SeriesRounds:
    """One series over the rounds of a paired run, and what was made of it."""

    label: str
    """The series, as a selector names it."""
    base: tuple[float, ...]
    """The statistic of each base run, in base units (seconds, bytes, per second)."""
    head: tuple[float, ...]
    """The statistic of each HEAD run, round by round."""
    paired: Comparison | None
    """The paired comparison; None when it could not be made (``problem`` says why)."""
    unpaired: Comparison | None
    """All the base runs' samples against all HEAD's, ignoring the rounds: shown for the
    reader to weigh (it counts drift between runs as change); None without raw samples."""
    problem: str = ""
    """Why the series was not judged."""


def interval(result: Comparison) -> str:
    """``+12.4 % [+8.1, +16.9] at 95 %``."""
    return shown_interval(result.estimate, result.low, result.high, result.confidence)


def _verdict(series: SeriesRounds) -> str:
    if series.paired is None:
        return f"not judged: {series.problem}"
    return series.paired.verdict.value


def render_text(series: Sequence[SeriesRounds], context: Mapping[str, Any]) -> str:
    lines = [
        f"paired runs: {context['rounds']} rounds of base ({context['base']}, "
        f"{str(context['base_commit'])[:12]}) and HEAD in turn; may change by "
        f"{context['max_change']}",
        "",
    ]
    for each in series:
        head = plain(each.label)
        if each.paired is None:
            lines.append(f"{head}: {_verdict(each)}")
            continue
        lines.append(f"{head}: {interval(each.paired)}: {_verdict(each)} (paired)")
        if each.unpaired is not None:
            lines.append(
                f"    unpaired, all samples pooled: {interval(each.unpaired)}: "
                f"{each.unpaired.verdict.value} (counts drift between runs as change)"
            )
    failed = sum(1 for s in series if s.paired is None or s.paired.verdict.value != "within")
    lines += ["", f"{len(series) - failed} of {len(series)} series shown within the limit"]
    return "\n".join(lines) + "\n"


def _comparison(result: Comparison | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "method": result.method,
        "verdict": result.verdict.value,
        "estimate": result.estimate,
        "interval": [_finite(result.low), _finite(result.high)],
        "confidence": result.confidence,
        "p_value": result.p_value,
        "samples": {"base": result.base_samples, "head": result.head_samples},
    }


def _finite(value: float) -> float | None:
    """JSON has no infinity: an unbounded end is null."""
    return value if math.isfinite(value) else None


def render_json(series: Sequence[SeriesRounds], context: Mapping[str, Any]) -> str:
    document = {
        **context,
        "order": "base first in odd rounds, HEAD first in even ones",
        "series": [
            {
                "series": each.label,
                "base": list(each.base),
                "head": list(each.head),
                "paired": _comparison(each.paired),
                "unpaired": _comparison(each.unpaired),
                "problem": each.problem or None,
            }
            for each in series
        ],
    }
    return json.dumps(document, indent=2) + "\n"
