"""Benchmarks proposed from what an artifact holds today: test groups (by file, class or
suite) held to their pass rate and count, series (requests, endpoints, benchmarks) held to
a time or a throughput with headroom, or coverage where it stands, and static analysis's
errors held to today's count (``analysis``). Each proposal is judged by the engine on the
same evidence before it is kept, so the drafted matrix passes ``check`` today; what would
not pass (a failing test, a series the tool recorded as failed) is left out and said why,
never made to pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.engine.tests import evaluate_tests, test_id
from gatekeeper.evidence import (
    ArtifactEvidence,
    ArtifactState,
    Metric,
    SeriesRequest,
    TestResult,
)
from gatekeeper.init_from.analysis import FindingsDraft, draft_findings, tools
from gatekeeper.init_from.families import Family
from gatekeeper.init_from.limits import coverage_floor, lower_limit, number_floor, upper_limit
from gatekeeper.matrix.pairing import UNJUDGED
from gatekeeper.model import QUERY_FORMAT, MetricCriterion, TestCriterion
from gatekeeper.parsers.coverage import TOTAL, TOTAL_KIND
from gatekeeper.records import record
from gatekeeper.results import Outcome
from gatekeeper.selector import parse_metric_selector
from gatekeeper.series import read_statistic, select_series
from gatekeeper.tally import select
from gatekeeper.text import plain
from gatekeeper.threshold import parse_threshold

MAX_PER_ARTIFACT = 6
"""Proposals per artifact: a handful to edit, not one per test class of a large suite."""
TIME_STATISTICS = ("p(95)", "med", "avg")
"""The statistic a time series is held to, the first each selected series reports."""
LEVELS = (("file", "file"), ("class", "classname"), ("suite", "suite"), ("name", "name"))
"""(matrix key, TestResult field) tests are grouped by, coarsest first: the first that
every test carries and that tells them apart."""
MAX_LEFT_OUT = 12
"""What an artifact leaves out, listed at most; the rest is counted."""


@record
class Proposal:
    """One benchmark to write, in a swimlane of its own."""

    artifact: str
    lane: str
    """What it is about: the group's or series' name (the swimlane's name)."""
    selects: tuple[tuple[str, str], ...]
    """The selectors, (key, value): file, class, suite, name for tests (none: all of them);
    one ('name', label) for a metric."""
    threshold: str = ""
    """For a metric: the threshold; '' for tests."""
    min_count: int = 0
    """For tests: how many run today, the least that must run."""
    note: str = ""
    """Today's value and the headroom, for a comment."""
    findings: FindingsDraft | None = None
    """For static analysis: the findings to count and today's count (``selects`` is empty)."""


@record
class LeftOut:
    """Something found that no benchmark judges, and why."""

    artifact: str
    what: str
    reason: str
    draft: Proposal | None = None
    """The benchmark to add once it would pass, when one can be written."""


@record
class Proposals:
    """What an artifact gets, and what it leaves out."""

    kept: tuple[Proposal, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    unconfirmed: int = 0
    """Proposals ``confirm`` left out: they pass on the files as first read, not as ``check``
    reads them for the matrix's series."""


def propose(family: Family) -> Proposals:
    """The benchmarks for one artifact, tests then metrics."""
    evidence = ArtifactEvidence(family.id, ArtifactState.READ, family.files)
    tests = _test_proposals(family.id, evidence)
    if family.format in UNJUDGED:
        tests = _unjudged(tests)
    metrics = _metric_proposals(family.id, evidence)
    found = _findings_proposals(family.id, evidence)
    return Proposals(
        tests.kept + metrics.kept + found.kept,
        tests.left_out + metrics.left_out + found.left_out,
    )


def _findings_proposals(artifact: str, evidence: ArtifactEvidence) -> Proposals:
    """A swimlane per artifact of static analysis: a ratchet on its errors, one per analyser
    when it has runs of several (at most ``MAX_PER_ARTIFACT``)."""
    names = tools(evidence)
    if not names:
        return Proposals()
    lane = f"Static analysis: {', '.join(names)}"
    kept: list[Proposal] = []
    left: list[LeftOut] = []
    for tool in names if len(names) > 1 else [""]:
        draft, note, problem = draft_findings(artifact, evidence, tool)
        proposal = Proposal(artifact, lane, (), note=note, findings=draft)
        if problem is not None:
            left.append(LeftOut(artifact, plain(tool or lane), problem, proposal))
        elif len(kept) < MAX_PER_ARTIFACT:
            kept.append(proposal)
        else:
            left.append(LeftOut(artifact, plain(tool), "not proposed, to keep this short"))
    return _proposals(artifact, kept, left)


def requests(proposals: Proposals) -> tuple[SeriesRequest, ...]:
    """The series the metric benchmarks ask of their artifact, as ``check`` asks them."""
    wanted = []
    for proposal in proposals.kept:
        if proposal.threshold:
            name, tags = parse_metric_selector(proposal.selects[0][1])
            wanted.append(SeriesRequest(name, tuple(sorted(tags.items()))))
    return tuple(dict.fromkeys(wanted))


def confirm(proposals: Proposals, evidence: ArtifactEvidence) -> Proposals:
    """The metric proposals judged again on ``evidence`` as ``check`` reads it for them
    (``requests``): one that does not pass there is left out, with the engine's words."""
    kept: list[Proposal] = []
    left = list(proposals.left_out)
    for proposal in proposals.kept:
        if proposal.threshold:
            name, tags = parse_metric_selector(proposal.selects[0][1])
            criterion = MetricCriterion(
                proposal.artifact, name, tags, (parse_threshold(proposal.threshold),)
            )
            outcome, summary, _, _ = evaluate_metric(criterion, evidence)
            if outcome is not Outcome.PASS:
                left.append(LeftOut(proposal.artifact, plain(proposal.lane), plain(summary)))
                continue
        kept.append(proposal)
    return Proposals(tuple(kept), tuple(left), len(proposals.kept) - len(kept))


def _split(
    tests: Sequence[TestResult], start: int, *, apart: bool = True
) -> tuple[int, dict[str, list[TestResult]]]:
    """The tests grouped by the first level from ``start`` that every one of them carries
    and, with ``apart``, that tells them apart (one group when none does); and that level.
    Without ``apart`` (the swimlanes), the coarsest level carried, a file or a class or a
    suite, even as one group: a swimlane per test of a one-module suite is noise."""
    found: tuple[int, dict[str, list[TestResult]]] | None = None
    last = len(LEVELS) if apart else len(LEVELS) - 1  # never a swimlane per test name
    for level in range(start, last):
        field = LEVELS[level][1]
        if all(getattr(t, field) for t in tests):
            groups: dict[str, list[TestResult]] = {}
            for test in tests:
                groups.setdefault(str(getattr(test, field)), []).append(test)
            found = found or (level, groups)
            if len(groups) > 1 or not apart:
                return level, groups
    return found or (len(LEVELS), {})


Group = tuple[tuple[tuple[str, str], ...], list[TestResult], int]
"""A group of tests: its selectors (key, value), its tests, the level that made it."""


def _unjudged(tests: Proposals) -> Proposals:
    """Tests that say a fault ran, never how the system took it (Chaos Mesh): none proposed
    alone, which ``validate`` would refuse; each is listed with its benchmark to add beside a
    metric of the system's health."""
    reason = (
        "says the fault was injected and recovered, not that the system stayed healthy: add "
        "it to a cell beside a metric of the system's health during the fault"
    )
    left = [LeftOut(k.artifact, f"tests {plain(k.lane)}", reason, draft=k) for k in tests.kept]
    return Proposals((), (*left, *tests.left_out))


def _test_proposals(artifact: str, evidence: ArtifactEvidence) -> Proposals:
    """A swimlane per group of tests (by file, else class, else suite), held by one
    benchmark; a group with a failing test is split further (the classes of the file, then
    its tests), a benchmark per part that passes, so only the failing tests are left out."""
    tests = evidence.tests
    if not tests:
        return Proposals()
    level, groups = _split(tests, 0, apart=False)
    key = LEVELS[level][0] if level < len(LEVELS) else ""
    tops: list[Group] = [(((key, g),), part, level) for g, part in groups.items()]
    tops = tops or [((), list(tests), level)]  # no key every test carries: all of them
    kept: list[Proposal] = []
    left: list[LeftOut] = []
    lanes = 0
    for index, top in enumerate(tops):
        if lanes == MAX_PER_ARTIFACT:
            left.append(_not_shown(artifact, "groups of tests", tops[index:]))
            break
        held, out = _hold(artifact, evidence, top)
        lanes += 1 if held else 0
        kept += held
        left += out
    return _proposals(artifact, kept, left)


def _proposals(artifact: str, kept: list[Proposal], left: list[LeftOut]) -> Proposals:
    """What an artifact proposes, with at most ``MAX_LEFT_OUT`` of what it leaves out listed
    (the rest counted)."""
    if len(left) > MAX_LEFT_OUT:
        rest = len(left) - MAX_LEFT_OUT + 1
        left[MAX_LEFT_OUT - 1 :] = [LeftOut(artifact, f"{rest} more", "left out as above")]
    return Proposals(tuple(kept), tuple(left))


def _hold(
    artifact: str, evidence: ArtifactEvidence, top: Group
) -> tuple[list[Proposal], list[LeftOut]]:
    """The benchmarks of one swimlane: its group, or the parts of it that pass."""
    lane = _lane(top[0])
    queue = [top]
    kept: list[Proposal] = []
    left: list[LeftOut] = []
    while queue and len(kept) < MAX_PER_ARTIFACT:
        selects, members, level = queue.pop(0)
        proposal, out, failed = _test_group(artifact, evidence, selects, len(members))
        if proposal is not None:
            kept.append(replace(proposal, lane=lane))
            continue
        deeper, parts = _split(members, level + 1)
        if failed < len(members) and len(parts) > 1:  # hold what passes in it
            key = LEVELS[deeper][0]
            queue[:0] = [((*selects, (key, g)), part, deeper) for g, part in parts.items()]
        elif out is not None:
            left.append(out)
    if queue:
        left.append(_not_shown(artifact, f"parts of {plain(lane)}", queue))
    return kept, left


def _not_shown(artifact: str, what: str, groups: Sequence[Group]) -> LeftOut:
    names = ", ".join(plain(_lane(selects)) for selects, _, _ in groups[:8])
    more = " …" if len(groups) > 8 else ""
    return LeftOut(artifact, f"{len(groups)} more {what}",
                   f"not proposed, to keep this short: {names}{more}")  # fmt: skip


def _lane(selects: Sequence[tuple[str, str]]) -> str:
    return "::".join(value for _, value in selects) or "all tests"


def _criterion(artifact: str, selects: Sequence[tuple[str, str]]) -> TestCriterion:
    by_key: dict[str, tuple[str, ...]] = {key: () for key, _ in LEVELS}
    for key, value in selects:
        by_key[key] += (value,)
    return TestCriterion(
        artifact, suite=by_key["suite"], classname=by_key["class"], name=by_key["name"],
        file=by_key["file"],
    )  # fmt: skip


def _test_group(
    artifact: str, evidence: ArtifactEvidence, selects: tuple[tuple[str, str], ...], size: int
) -> tuple[Proposal | None, LeftOut | None, int]:
    """The group's proposal, or why it is left out; and how many of its tests fail.
    ``size``: how many tests the group holds, all its selectors must select and no more."""
    criterion = _criterion(artifact, selects)
    found = select(criterion, evidence.tests)
    label = plain(" ".join(f"{key} {value}" for key, value in selects) or "all tests")
    draft = Proposal(artifact, _lane(selects), selects, min_count=max(found.run, 1))
    if found.matched != size:  # a name with * or ?, a wildcard in a selector
        reason = f"its selectors select {found.matched} tests, not its {size} (* and ? are " \
                 "wildcards in a selector): write one that names only these"  # fmt: skip
        return None, LeftOut(artifact, label, reason), 0
    if not found.run:
        return None, LeftOut(artifact, label, f"all {found.matched} tests skipped today"), 0
    if found.failed:
        first = plain(test_id(found.failing[0])) if found.failing else ""
        reason = f"{found.failed} of {found.run} fail today (first: {first}); a gate must " \
                 "not pass on a failure: add this benchmark once they pass"  # fmt: skip
        return None, LeftOut(artifact, label, reason, draft), found.failed
    outcome, summary, _, _ = evaluate_tests(replace(criterion, min_count=found.run), evidence)
    if outcome is not Outcome.PASS:  # never expected: the engine has the last word
        return None, LeftOut(artifact, label, plain(summary), draft), found.run
    note = f"today {found.run} of {found.run} pass"
    if found.skipped:
        note += f", {found.skipped} skipped"
    return replace(draft, note=note), None, 0


def _metric_proposals(artifact: str, evidence: ArtifactEvidence) -> Proposals:
    """A swimlane per series (request, endpoint, benchmark), durations first (k6's
    ``http_req_duration`` before its ``http_req_blocked``), at most ``MAX_PER_ARTIFACT``."""
    labels = list(dict.fromkeys(m.label for m in evidence.metrics if not m.subseries))
    # a coverage report's TOTAL first: the one series a coverage gate is usually about
    totals = {m.label for m in evidence.metrics if m.kind == TOTAL_KIND and m.name == TOTAL}
    labels.sort(key=lambda label: (label not in totals, "duration" not in label.lower()))
    kept: list[Proposal] = []
    left: list[LeftOut] = []
    unheld: list[str] = []
    more: list[str] = []
    for label in labels:
        proposal, out = _series(artifact, evidence, label)
        if proposal is not None and len(kept) < MAX_PER_ARTIFACT:
            kept.append(proposal)
        elif proposal is not None:
            more.append(plain(label))
        elif out is not None:
            left.append(out)
        else:
            unheld.append(plain(label))
    if more:
        shown = ", ".join(more[:8]) + (" …" if len(more) > 8 else "")
        left.append(LeftOut(artifact, f"{len(more)} more series",
                            f"not proposed, to keep this short: {shown}"))  # fmt: skip
    if unheld:
        shown = ", ".join(unheld[:12]) + (" …" if len(unheld) > 12 else "")
        reason = (
            "no time, throughput or coverage above 0 % that every series of the name "
            f"reports: {shown}"
        )
        left.append(LeftOut(artifact, f"{len(unheld)} series", reason))
    return _proposals(artifact, kept, left)


def _series(
    artifact: str, evidence: ArtifactEvidence, label: str
) -> tuple[Proposal | None, LeftOut | None]:
    """The proposal for the series ``label`` selects; (None, None) when it has no time or
    throughput to hold it to."""
    shown = plain(label)
    try:
        name, tags = parse_metric_selector(label)
    except ValueError:
        return None, LeftOut(artifact, shown or "(empty name)", "a name no selector can spell")
    criterion = MetricCriterion(artifact, name, tags, ())
    selected = select_series(criterion, evidence.metrics)
    if label not in {m.label for m in selected}:
        return None, LeftOut(artifact, shown, "its name reads as a tag filter: no selector "
                             "selects it alone")  # fmt: skip
    if {m.label for m in selected} != {label}:  # a name with * or ?
        others = len({m.label for m in selected} - {label})
        reason = f"its name selects {others} other series too (* and ? are wildcards in a " \
                 "selector): write one that names only it"  # fmt: skip
        return None, LeftOut(artifact, shown, reason)
    failed = [m for m in selected if m.failures]
    if failed:
        said = plain("; ".join(failed[0].failures))[:200]
        reason = f"the tool recorded a failure ({said}); a gate must not pass on it"
        return None, LeftOut(artifact, shown, reason)
    limit = _limit(selected)
    if limit is None and all(f.format == QUERY_FORMAT for f in evidence.files):
        limit = _query_limit(selected)
    if limit is None:
        return None, None
    text, note = limit
    criterion = replace(criterion, thresholds=(parse_threshold(text),))
    outcome, summary, _, _ = evaluate_metric(criterion, evidence)
    draft = Proposal(artifact, label, (("name", label),), text, note=note)
    if outcome is not Outcome.PASS:  # several series of one name that disagree, …
        return None, LeftOut(artifact, shown, plain(summary), draft)
    return draft, None


def _query_limit(selected: Sequence[Metric]) -> tuple[str, str] | None:
    """A Prometheus answer's series: its lowest ``value`` today, held (see ``number_floor``)."""
    values = [read_statistic(m, "value") for m in selected]
    present = [v for v in values if v is not None]
    if present and len(present) == len(values):
        return number_floor("value", min(present, key=lambda q: q.value))
    return None


def _limit(selected: Sequence[Metric]) -> tuple[str, str] | None:
    """A threshold every selected series meets today: its slowest time with headroom, or
    else its lowest throughput with headroom, or else (coverage) its lowest line coverage."""
    for statistic in TIME_STATISTICS:
        values = [read_statistic(m, statistic) for m in selected]
        present = [v for v in values if v is not None]
        if present and len(present) == len(values):
            limit = upper_limit(statistic, max(present, key=lambda q: q.value))
            if limit is not None:
                return limit
    values = [read_statistic(m, "throughput") for m in selected]
    present = [v for v in values if v is not None]
    if present and len(present) == len(values):
        return lower_limit("throughput", min(present, key=lambda q: q.value))
    values = [read_statistic(m, "line") for m in selected]
    present = [v for v in values if v is not None]
    if present and len(present) == len(values):
        return coverage_floor("line", min(present, key=lambda q: q.value))
    return None
