"""Coverage over several files: a selector that picks files (``ingress/*``) is judged on the
sum of their counts, as "line coverage of the ingress package" means, not file by file. A
selection of one file, or of packages or ``TOTAL`` only, is judged series by series as
for any format (a ``TOTAL`` in each of two reports: both must pass).

Fail closed: a selection that mixes files with a package or the report's ``TOTAL`` would
count lines twice, and one file in two reports (a unit and an integration run) cannot be
summed from counts (the same line covered twice is one line): both are errors that say
what to do instead. A kind of coverage some selected file lacks is left out of the sum, so
a threshold on it says the statistic is not reported, never judges part of the files.
"""

from __future__ import annotations

from collections.abc import Sequence

from gatekeeper.evidence import Metric
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.coverage import KIND
from gatekeeper.parsers.coverage._counts import KINDS, plural
from gatekeeper.units import Dimension, Quantity


def summed_coverage(
    criterion: MetricCriterion, series: Sequence[Metric]
) -> tuple[list[Metric], str | None]:
    """``series`` as the criterion judges them: several files' coverage as one series named
    by the selector; a problem (and no series) where they cannot be summed."""
    files = [m for m in series if m.kind == KIND]
    if len({m.name for m in files}) < 2:  # one file (in one report or more), or no file:
        return list(series), None  # each series judged on its own, as for any format
    if len(files) != len(series):
        others = sorted({m.label for m in series if m not in files})
        return [], (
            f"{criterion.selector!r} selects files and also {', '.join(others[:3])}: their "
            f"lines would count twice; select the files (a glob) or one package or TOTAL"
        )
    seen: dict[str, str] = {}
    for metric in files:
        if metric.name in seen:
            return [], (
                f"{metric.name} is covered in two reports ({seen[metric.name]}, "
                f"{metric.source}): counts cannot be summed (a line covered in both is one "
                f"line); combine the reports with the tool first (e.g. `coverage combine`)"
            )
        seen[metric.name] = metric.source
    return [_sum(criterion, files)], None


def _sum(criterion: MetricCriterion, files: Sequence[Metric]) -> Metric:
    stats: dict[str, Quantity] = {}
    for kind in KINDS:
        covered, total = f"{plural(kind)}_covered", f"{plural(kind)}_total"
        if not all(covered in m.stats and total in m.stats for m in files):
            continue  # some file has no such coverage: a partial sum would be no answer
        got = sum(m.stats[covered].value for m in files)
        out_of = sum(m.stats[total].value for m in files)
        stats[covered] = Quantity(got, Dimension.COUNT)
        stats[total] = Quantity(out_of, Dimension.COUNT)
        if out_of:
            stats[kind] = Quantity(got / out_of, Dimension.RATIO)
    sources = sorted({m.source for m in files})
    # named by the selector, so the baseline's sum of the same selection is its baseline
    return Metric(name=criterion.name, tags=dict(criterion.tags), stats=stats, kind=KIND,
                  source=", ".join(sources))  # fmt: skip
