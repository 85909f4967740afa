"""A change from the baseline judged on the rounds of a paired run (``baseline.paired``).

``gatekeeper bench`` writes one file per round and side (``head/round-01``,
``base/round-01``, …): in a round, base and HEAD ran moments apart, under the same drift of
the machine. With ``paired: true`` the benchmark's artifact holds HEAD's rounds and the
baseline's artifact the base's; rounds are paired by file name (the part after the last
``/``), each selected series gives one figure per file (the change's statistic, read as a
threshold reads it), and ``paired.compare_paired`` judges the rounds' ratios at the
baseline's confidence. Verdicts as ``engine.sampled``'s: the interval within the limit
passes, past it fails, holding it fails too (the rounds cannot show it is within).

Fail closed, naming the file: a round file without its partner, a file name twice on one
side, a series missing from some round or there twice, a figure a file lacks or that is not
a finite number above 0, fewer than ``paired.MIN_ROUNDS`` rounds: never a pass.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from gatekeeper.evidence import ArtifactEvidence, Metric, ParsedFile
from gatekeeper.model import PAIRED_CONFIDENCE, MetricCriterion
from gatekeeper.results import Measurement, Method, Outcome, Sampled
from gatekeeper.series import read_statistic, select_series
from gatekeeper.threshold import Change
from gatekeeper.units import Quantity

Judged = tuple[Outcome, Measurement, str]
Round = tuple[str, ParsedFile, ParsedFile]
"""A round's file name, and its file on the base side and on HEAD's."""


def round_name(path: str) -> str:
    """The name rounds are paired by: the part of the path after the last ``/``."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _by_name(evidence: ArtifactEvidence) -> tuple[dict[str, ParsedFile], list[str]]:
    files: dict[str, ParsedFile] = {}
    problems: list[str] = []
    for parsed in evidence.files:
        name = round_name(parsed.path)
        if name in files:
            problems.append(
                f"two round files named {name!r} in {evidence.artifact!r}: "
                f"{files[name].path} and {parsed.path}"
            )
        files[name] = parsed
    return files, problems


def pair_rounds(head: ArtifactEvidence, base: ArtifactEvidence) -> tuple[list[Round], list[str]]:
    """The rounds by file name, and why they cannot be paired (empty when they can)."""
    heads, problems = _by_name(head)
    bases, more = _by_name(base)
    problems += more
    for name in sorted(heads.keys() - bases.keys()):
        problems.append(
            f"round file {heads[name].path} has no partner named {name!r} in the baseline "
            f"{base.artifact!r}"
        )
    for name in sorted(bases.keys() - heads.keys()):
        problems.append(
            f"baseline round file {bases[name].path} has no partner named {name!r} in "
            f"{head.artifact!r}"
        )
    rounds = [(name, bases[name], heads[name]) for name in sorted(heads.keys() & bases.keys())]
    return rounds, problems


def _one(criterion: MetricCriterion, parsed: ParsedFile, label: str) -> Metric | str:
    """The series ``label`` of one round file, or why not."""
    found = [m for m in select_series(criterion, parsed.metrics) if m.label == label]
    if not found:
        return f"{label} is not in round file {parsed.path}"
    if len(found) > 1:
        return f"{label} is in round file {parsed.path} {len(found)} times"
    return found[0]


def round_figure(metric: Metric, statistic: str) -> Quantity | str:
    """One run's figure of a series: its ``statistic``, a finite number above 0 (a change in
    % is taken of it); or why there is none. ``gatekeeper bench`` reads its runs by it too."""
    value = read_statistic(metric, statistic)
    if value is None:
        have = ", ".join(sorted(metric.stats)) or "nothing"
        return f"does not report {statistic} (it has: {have})"
    if not (math.isfinite(value.value) and value.value > 0):
        return f"{statistic} = {value.value!r} is not a finite number above 0"
    return value


def _read(
    criterion: MetricCriterion,
    parsed: ParsedFile,
    label: str,
    change: Change,
    into: list[Quantity],
) -> str | None:
    """Append the round's figure of ``label`` to ``into``; or say why there is none."""
    metric = _one(criterion, parsed, label)
    if isinstance(metric, str):
        return metric
    if metric.failures and not criterion.expect_failures:
        return f"round file {parsed.path} recorded a failure: {'; '.join(metric.failures)}"
    value = round_figure(metric, change.statistic)
    if isinstance(value, str):
        return f"round file {parsed.path}: {value}"
    into.append(value)
    return None


def judge_rounds(
    criterion: MetricCriterion, label: str, rounds: Sequence[Round], confidence: float
) -> list[Judged]:
    """Every change of the series ``label`` judged on its figures round by round."""
    assert criterion.baseline is not None
    return [_judge(criterion, label, rounds, c, confidence) for c in criterion.baseline.changes]


def _judge(
    criterion: MetricCriterion,
    label: str,
    rounds: Sequence[Round],
    change: Change,
    confidence: float,
) -> Judged:
    from gatekeeper.compare import SampleError, Verdict, shown_interval
    from gatekeeper.paired import MIN_ROUNDS, compare_paired

    source = rounds[0][2].path if rounds else ""
    what = f"{change.text} vs baseline"

    def error(note: str, outcome: Outcome = Outcome.ERROR) -> Judged:
        return outcome, Measurement(label, source, what, "", False), f"{label}: {note}"

    refusal = change.rounds_refusal()
    if refusal is not None:  # validate refuses it; a matrix built in code meets it here
        return error(f"paired rounds: {refusal}")
    if len(rounds) < MIN_ROUNDS:
        files = ", ".join(parsed.path for _, _, parsed in rounds) or "no round file"
        return error(
            f"{len(rounds)} paired rounds ({files}): a paired comparison needs at least "
            f"{MIN_ROUNDS} (6 to bound an interval at 95 %, 8 at 99 %)",
            Outcome.MISSING,
        )
    figures: dict[str, list[Quantity]] = {"base": [], "head": []}
    problems = [
        _read(criterion, parsed, label, change, figures[side])
        for _, *sides in rounds
        for side, parsed in zip(("base", "head"), sides, strict=True)
    ]
    bad = [p for p in problems if p is not None]
    if bad:
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        return error("; ".join(bad[:3]) + more)
    dimensions = {q.dimension for q in (*figures["base"], *figures["head"])}
    if len(dimensions) > 1:
        shown = ", ".join(sorted(d.value for d in dimensions))
        return error(f"{change.statistic} measures {shown} in different rounds")
    (dimension,) = dimensions
    try:
        change.applies_to(dimension)
        found = compare_paired(
            [q.value for q in figures["base"]],
            [q.value for q in figures["head"]],
            change.limit,
            confidence,
        )
    except (SampleError, ValueError) as exc:
        return error(str(exc))
    actual = Quantity(statistics.median(q.value for q in figures["head"]), dimension)
    baseline = Quantity(statistics.median(q.value for q in figures["base"]), dimension)
    from gatekeeper.engine.sampled import verdict_words

    interval = shown_interval(found.estimate, found.low, found.high, confidence)
    shown = f"{actual} vs {baseline} ({interval}, {len(rounds)} rounds paired)"
    verdict = verdict_words(found.verdict, change)
    ok = found.verdict is Verdict.WITHIN
    sampled = Sampled(
        Method.WILCOXON_SIGNED_RANK, confidence, found.base_samples, found.head_samples,
        (found.low, found.high), found.p_value, paired=True,
    )  # fmt: skip
    measured = Measurement(
        label, source, what, shown, ok, actual, baseline=baseline, change=found.estimate,
        allowed_change=change.limit, change_unit=change.unit, sampled=sampled,
    )  # fmt: skip
    note = f"{label} {change.statistic} = {shown} ({verdict})"
    return Outcome.PASS if ok else Outcome.FAIL, measured, note


def compare_rounds(
    criterion: MetricCriterion,
    series: Sequence[Metric],
    head: ArtifactEvidence,
    base: ArtifactEvidence,
) -> tuple[list[Judged], list[str]]:
    """Each selected series of HEAD's rounds judged against the base's, and the series the
    base's rounds do not have at all (new: listed, not compared)."""
    assert criterion.baseline is not None
    confidence = criterion.baseline.confidence
    if confidence is None:  # load gives a paired baseline one; a matrix built in code may not
        confidence = PAIRED_CONFIDENCE
    what = ", ".join(f"{c.text} vs baseline" for c in criterion.baseline.changes)
    rounds, problems = pair_rounds(head, base)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        note = "the rounds cannot be paired: " + "; ".join(problems[:3]) + more
        return [(Outcome.ERROR, Measurement(criterion.selector, "", what, "", False), note)], []
    labels = list(dict.fromkeys(m.label for m in series))
    based = {m.label for _, parsed, _ in rounds for m in select_series(criterion, parsed.metrics)}
    judged: list[Judged] = []
    for label in labels:
        if label in based:
            judged += judge_rounds(criterion, label, rounds, confidence)
    aside = [f"new, not compared with the baseline: {label}" for label in labels
             if label not in based]  # fmt: skip
    if not judged:  # nothing to compare is no evidence for the comparison: never a pass
        files = ", ".join(f.path for f in base.files) or "no file"
        note = f"no baseline: none of the {len(labels)} series of {criterion.selector!r} is " \
               f"in the rounds {files}"  # fmt: skip
        missing = Measurement(criterion.selector, "", what, "", False)
        return [(Outcome.MISSING, missing, note)], aside
    return judged, aside
