"""Metric criteria: find the series, read the statistic, compare with the threshold."""

from __future__ import annotations

from gatekeeper.engine.coverage import summed_coverage
from gatekeeper.evidence import ArtifactEvidence, Metric
from gatekeeper.model import MetricCriterion
from gatekeeper.plausible import implausible
from gatekeeper.results import Measurement, Outcome
from gatekeeper.selector import did_you_mean
from gatekeeper.series import read_statistic, select_series
from gatekeeper.threshold import Change, Threshold, ThresholdSyntaxError, closest_statistic
from gatekeeper.words import count

Verdict = tuple[Outcome, str, tuple[str, ...], tuple[Measurement, ...]]


def _measure(metric: Metric, threshold: Threshold) -> tuple[Outcome, Measurement, str]:
    value = read_statistic(metric, threshold.statistic)
    if not metric.stats and not metric.samples:
        note = f"{metric.label} has no samples"
        return (
            Outcome.MISSING,
            Measurement(metric.label, metric.source, threshold.text, "", False),
            note,
        )
    if value is None:
        have = ", ".join(sorted(metric.stats))
        meant = closest_statistic(threshold.statistic, metric.stats)
        hint = f"did you mean {meant}? " if meant in metric.stats else ""
        note = f"{metric.label} in {metric.source} does not report {threshold.statistic} " \
               f"({hint}it has: {have})"  # fmt: skip
        return (
            Outcome.ERROR,
            Measurement(metric.label, metric.source, threshold.text, "", False),
            note,
        )
    problem = implausible(value.value, value.dimension)  # as parse_file holds reported ones
    if problem:
        note = f"{metric.label} {threshold.statistic} {problem}"
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
            Measurement(metric.label, metric.source, threshold.text, str(value), False, value),
            note,
        )
    outcome = Outcome.PASS if ok else Outcome.FAIL
    verb = "meets" if ok else "breaks"
    note = f"{metric.label} {threshold.statistic} = {value} ({verb} {threshold.text!r})"
    limit = threshold.limit_for(value.dimension)
    measured = Measurement(
        metric.label, metric.source, threshold.text, str(value), ok, value, limit
    )
    return outcome, measured, note


def _recorded_failure(metric: Metric) -> tuple[Outcome, Measurement, str]:
    """A series the tool itself recorded as failed, in the tool's words."""
    said = "; ".join(metric.failures)
    note = f"{metric.label}: the tool recorded a failure: {said} (with expect_failures: " \
           "true its figures are judged instead)"  # fmt: skip
    return (
        Outcome.FAIL,
        Measurement(metric.label, metric.source, "no failure recorded", said, False),
        note,
    )


def _compare(
    metric: Metric,
    base: Metric,
    change: Change,
    confidence: float | None = None,
    drift: float | None = None,
) -> tuple[Outcome, Measurement, str]:
    """One statistic of a series against the same statistic of its baseline; with a
    ``confidence``, judged from their raw samples (``engine.sampled``), the limit widened by
    ``drift``."""
    what = f"{change.text} vs baseline"
    values = (read_statistic(metric, change.statistic), read_statistic(base, change.statistic))
    for series, value in zip((metric, base), values, strict=True):
        if value is None:
            have = ", ".join(sorted(series.stats)) or "nothing"
            note = f"{series.label} in {series.source} does not report {change.statistic} " \
                   f"(it has: {have})"  # fmt: skip
            return Outcome.ERROR, Measurement(metric.label, metric.source, what, "", False), note
    actual, baseline = values
    assert actual is not None and baseline is not None
    if actual.dimension is not baseline.dimension:
        note = f"{metric.label}: {change.statistic} measures {actual.dimension.value} here but " \
               f"{baseline.dimension.value} in the baseline ({base.source})"  # fmt: skip
        return (
            Outcome.ERROR,
            Measurement(metric.label, metric.source, what, str(actual), False),
            note,
        )
    try:
        change.applies_to(actual.dimension)
    except ThresholdSyntaxError as exc:
        note = f"{metric.label}: {exc}"
        return (
            Outcome.ERROR,
            Measurement(metric.label, metric.source, what, str(actual), False),
            note,
        )
    # parsed files are held to plausible values; this is the engine's own guard, so that no
    # evidence built another way brings a NaN to a comparison that a NaN would slip through
    for series, value in ((metric, actual), (base, baseline)):
        problem = implausible(value.value, value.dimension)
        if problem:
            note = f"{series.label} {change.statistic} {problem} ({series.source})"
            return Outcome.ERROR, Measurement(metric.label, metric.source, what, "", False), note
    try:
        moved = change.change(actual.value, baseline.value)
    except ThresholdSyntaxError as exc:
        note = f"{metric.label} {change.statistic}: {exc} ({base.source})"
        return (
            Outcome.ERROR,
            Measurement(metric.label, metric.source, what, str(actual), False),
            note,
        )
    ok = change.holds(moved)
    shown = f"{actual} vs {baseline} ({change.shown(moved)})"
    verb = "within" if ok else "breaks"
    note = f"{metric.label} {change.statistic} = {shown} ({verb} {change.text!r} of the baseline)"
    measured = Measurement(
        metric.label, metric.source, what, shown, ok, actual,
        baseline=baseline, change=moved, allowed_change=change.limit, change_unit=change.unit,
    )  # fmt: skip
    plain = Outcome.PASS if ok else Outcome.FAIL, measured, note
    if confidence is None:
        return plain
    from gatekeeper.engine.sampled import judge  # the statistics load only when asked for

    return judge(metric, base, change, confidence, (actual, baseline), plain, drift)


def _baselines(
    criterion: MetricCriterion, baseline: ArtifactEvidence
) -> tuple[dict[str, Metric], set[str]]:
    """The baseline's series by label, and the labels it has more than once (ambiguous)."""
    found: dict[str, Metric] = {}
    twice: set[str] = set()
    # a baseline whose files cannot be summed gives no series: no baseline, never a pass
    selected, _ = summed_coverage(criterion, select_series(criterion, baseline.metrics))
    for metric in selected:
        if metric.label in found:
            twice.add(metric.label)
        found[metric.label] = metric
    return found, twice


_PRIORITY = (Outcome.FAIL, Outcome.ERROR, Outcome.MISSING)


def evaluate_metric(
    criterion: MetricCriterion,
    evidence: ArtifactEvidence,
    baseline: ArtifactEvidence | None = None,
) -> Verdict:
    """Every selected series must meet every threshold, and stay within every change of the
    same series in the baseline (a series the baseline lacks is new: it is not compared)."""
    series, problem = summed_coverage(criterion, select_series(criterion, evidence.metrics))
    if problem is not None:
        return Outcome.ERROR, problem, (), ()
    if not series:
        names = (n for m in evidence.metrics for n in (m.name, m.label))
        close = did_you_mean([criterion.selector], names)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        files = ", ".join(f.path for f in evidence.files)
        if not evidence.metrics and any(f.query is not None for f in evidence.files):
            files += " (an empty result: the query matched no series)"
        return Outcome.MISSING, f"no metric {criterion.selector!r} in {files}{hint}", (), ()
    outcomes, measurements, notes = [], [], []
    for metric in series:
        if metric.failures and not criterion.expect_failures:
            outcome, measurement, note = _recorded_failure(metric)
            outcomes.append(outcome)
            measurements.append(measurement)
            notes.append(note)
            continue  # the figures of a run that failed are not evidence of anything
        for threshold in criterion.thresholds:
            outcome, measurement, note = _measure(metric, threshold)
            outcomes.append(outcome)
            measurements.append(measurement)
            notes.append(note)
    aside: list[str] = []
    if criterion.baseline is not None and baseline is not None and criterion.baseline.paired:
        from gatekeeper.engine.rounds import compare_rounds

        judged, aside = compare_rounds(criterion, series, evidence, baseline)
        for outcome, measurement, note in judged:
            outcomes.append(outcome)
            measurements.append(measurement)
            notes.append(note)
    elif criterion.baseline is not None and baseline is not None:
        bases, twice = _baselines(criterion, baseline)
        compared = [m for m in series if m.label in bases]
        aside = [f"new, not compared with the baseline: {m.label}" for m in series
                 if m.label not in bases]  # fmt: skip
        # a series HEAD dropped (renamed, deleted) escapes its comparison: say so, by name
        kept = {m.label for m in series}
        gone = sorted(label for label in bases if label not in kept)
        aside += [f"in the baseline but not in HEAD, not compared: {label}" for label in gone[:20]]
        if len(gone) > 20:
            aside.append(f"and {count(len(gone) - 20, 'more series', 'more series')} in the "
                         "baseline only")  # fmt: skip
        if not compared:  # nothing to compare is no evidence for the comparison: never a pass
            files = ", ".join(f.path for f in baseline.files)
            outcomes.append(Outcome.MISSING)
            notes.append(f"no baseline: none of the {len(series)} series of "
                         f"{criterion.selector!r} is in {files}")  # fmt: skip
        for metric in compared:
            for change in criterion.baseline.changes:
                base = bases[metric.label]
                if metric.label in twice:
                    outcome, note = Outcome.ERROR, f"{metric.label}: the baseline has it twice"
                    measurement = Measurement(metric.label, metric.source, change.text, "", False)
                elif base.failures and not criterion.expect_failures:
                    said = "; ".join(base.failures)
                    note = f"{metric.label}: the baseline's run recorded a failure: {said} " \
                           f"({base.source})"  # fmt: skip
                    outcome = Outcome.ERROR
                    measurement = Measurement(metric.label, metric.source, change.text, "", False)
                else:
                    outcome, measurement, note = _compare(
                        metric, base, change, criterion.baseline.confidence,
                        criterion.baseline.drift,
                    )  # fmt: skip
                outcomes.append(outcome)
                measurements.append(measurement)
                notes.append(note)
    worst = next((o for o in _PRIORITY if o in outcomes), Outcome.PASS)
    bad = [n for n, o in zip(notes, outcomes, strict=True) if o is not Outcome.PASS]
    if worst is Outcome.PASS:
        summary = (
            notes[0] if len(notes) == 1 else f"{len(notes)} checks on {len(series)} series met"
        )
        details = notes[1:] if len(notes) == 1 else notes
        return Outcome.PASS, summary, (*details, *aside), tuple(measurements)
    summary = bad[0] if len(bad) == 1 else f"{len(bad)} of {len(notes)} checks not met: {bad[0]}"
    return worst, summary, (*bad[1:], *aside), tuple(measurements)
