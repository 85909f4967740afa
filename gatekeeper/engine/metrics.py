"""Metric criteria: find the series, read the statistic, compare with the threshold."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from fnmatch import fnmatchcase

from gatekeeper.evidence import ArtifactEvidence, Metric
from gatekeeper.model import MetricCriterion
from gatekeeper.results import Measurement, Outcome
from gatekeeper.stats import from_samples
from gatekeeper.threshold import Threshold, ThresholdSyntaxError
from gatekeeper.units import Quantity

FALLBACK_STATS: dict[str, tuple[str, ...]] = {
    "throughput": ("ops", "rate"),
    "rate": ("value",),
}
"""Where else a statistic may be found: throughput is pytest-benchmark's ops and a k6
counter's rate; a k6 rate metric's rate is its value in the export shape."""

Verdict = tuple[Outcome, str, tuple[str, ...], tuple[Measurement, ...]]


def _name_matches(criterion: MetricCriterion, metric: Metric) -> bool:
    return any(fnmatchcase(n, criterion.name) for n in (metric.name, *metric.aliases))


def select_series(criterion: MetricCriterion, metrics: Iterable[Metric]) -> list[Metric]:
    """Series with the name and at least the tags asked for; per name, the fewest extra tags.

    So ``http_req_duration`` means k6's metric itself, not its sub-metrics,
    while a benchmark that carries a group tag is still found by name alone.
    """
    wanted = criterion.tags.items()
    candidates = [
        m for m in metrics if _name_matches(criterion, m) and wanted <= dict(m.tags).items()
    ]
    fewest: dict[tuple[str, str], int] = {}
    for m in candidates:
        key = (m.source, m.name)
        fewest[key] = min(fewest.get(key, len(m.tags)), len(m.tags))
    return [m for m in candidates if len(m.tags) == fewest[(m.source, m.name)]]


def _statistic(metric: Metric, name: str) -> Quantity | None:
    for key in (name, *FALLBACK_STATS.get(name, ())):
        if key in metric.stats:
            return metric.stats[key]
    value = from_samples(metric.samples, name)  # any p(N), when the tool kept raw samples
    return None if value is None else Quantity(value, metric.sample_dimension)


def _measure(metric: Metric, threshold: Threshold) -> tuple[Outcome, Measurement, str]:
    value = _statistic(metric, threshold.statistic)
    if not metric.stats and not metric.samples:
        note = f"{metric.label} has no samples"
        return (
            Outcome.MISSING,
            Measurement(metric.label, metric.source, threshold.text, "", False),
            note,
        )
    if value is None:
        have = ", ".join(sorted(metric.stats))
        note = f"{metric.label} does not report {threshold.statistic} (it has: {have})"
        return (
            Outcome.ERROR,
            Measurement(metric.label, metric.source, threshold.text, "", False),
            note,
        )
    try:
        ok = threshold.holds(value)
    except ThresholdSyntaxError as exc:
        note = f"{threshold.text!r} cannot apply to {metric.label}: {exc}"
        return (
            Outcome.ERROR,
            Measurement(metric.label, metric.source, threshold.text, str(value), False),
            note,
        )
    outcome = Outcome.PASS if ok else Outcome.FAIL
    verb = "meets" if ok else "breaks"
    note = f"{metric.label} {threshold.statistic} = {value} ({verb} {threshold.text!r})"
    return outcome, Measurement(metric.label, metric.source, threshold.text, str(value), ok), note


_PRIORITY = (Outcome.FAIL, Outcome.ERROR, Outcome.MISSING)


def evaluate_metric(criterion: MetricCriterion, evidence: ArtifactEvidence) -> Verdict:
    """Every selected series must meet every threshold."""
    series = select_series(criterion, evidence.metrics)
    if not series:
        names = sorted({m.label for m in evidence.metrics})
        close = difflib.get_close_matches(criterion.selector, names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        files = ", ".join(f.path for f in evidence.files)
        return Outcome.MISSING, f"no metric {criterion.selector!r} in {files}{hint}", (), ()
    outcomes, measurements, notes = [], [], []
    for metric in series:
        for threshold in criterion.thresholds:
            outcome, measurement, note = _measure(metric, threshold)
            outcomes.append(outcome)
            measurements.append(measurement)
            notes.append(note)
    worst = next((o for o in _PRIORITY if o in outcomes), Outcome.PASS)
    bad = [n for n, o in zip(notes, outcomes, strict=True) if o is not Outcome.PASS]
    if worst is Outcome.PASS:
        summary = (
            notes[0] if len(notes) == 1 else f"{len(notes)} checks on {len(series)} series met"
        )
        return (
            Outcome.PASS,
            summary,
            tuple(notes[1:] if len(notes) == 1 else notes),
            tuple(measurements),
        )
    summary = bad[0] if len(bad) == 1 else f"{len(bad)} of {len(notes)} checks not met: {bad[0]}"
    return worst, summary, tuple(bad[1:] if len(bad) > 1 else ()), tuple(measurements)
