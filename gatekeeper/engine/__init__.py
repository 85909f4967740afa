"""The pure core: (matrix, evidence, date) -> Report. No I/O, no printing.

Layer: verdict. May import the base and model layers and ``results``; never a parser, a
reporter or GitHub.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from gatekeeper.baselines import BaselineEvidence
from gatekeeper.changes import Changes
from gatekeeper.engine.findings import evaluate_findings
from gatekeeper.engine.freshness import hold_to_age
from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.engine.signoff import evaluate_signoff
from gatekeeper.engine.tests import evaluate_tests
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, superseded
from gatekeeper.freshness import utc
from gatekeeper.model import (
    Artifact,
    Benchmark,
    FindingsCriterion,
    Matrix,
    SignoffCriterion,
    TestCriterion,
    Waiver,
)
from gatekeeper.pathglob import shard_of
from gatekeeper.policy import Policy, Rule, RuleKind, gate_policy
from gatekeeper.results import (
    BenchmarkResult,
    CellResult,
    CellState,
    GateResult,
    Outcome,
    Report,
    RuleResult,
)
from gatekeeper.signoffs import SignoffEvidence
from gatekeeper.words import count


def _unusable(
    benchmark: Benchmark, evidence: ArtifactEvidence, what: str, artifact: Artifact | None = None
) -> BenchmarkResult | None:
    """The verdict when an artifact the benchmark reads is missing, unreadable, or not the
    complete run of shards ``artifact`` declares."""
    if evidence.state is ArtifactState.MISSING:
        globs = ", ".join(evidence.patterns)
        where = f" in {evidence.searched}" if evidence.searched else ""
        found = f"no file matches {globs}{where}" if globs else "no answer to its query is here"
        return BenchmarkResult(benchmark, Outcome.MISSING, f"no {what}: {found}")
    if evidence.state is ArtifactState.ERROR:
        files = f"{count(len(evidence.errors), 'file')} of {evidence.artifact!r} could not be read"
        if not evidence.patterns:  # no globs: a live query's answer (gatekeeper.live)
            files = f"the query of {evidence.artifact!r} got no answer to judge"
        return BenchmarkResult(
            benchmark, Outcome.ERROR, f"{what} unreadable: {files}", evidence.errors
        )
    if artifact is not None and artifact.shards is not None:
        if artifact.shard_name is not None:
            return _named_shards(benchmark, evidence, what, artifact)
        return _incomplete(benchmark, evidence, what, artifact.shards)
    return None


def _incomplete(
    benchmark: Benchmark, evidence: ArtifactEvidence, what: str, shards: int
) -> BenchmarkResult | None:
    """Fewer files than the run's shards: some shard's evidence is not here, and what is here
    cannot speak for it (missing). More: a shard counted twice, or a stray file (error)."""
    skipped = superseded(evidence.files)  # a Locust run's other files: one run, one file
    reported = sum(1 for f in evidence.files if f.path not in skipped)
    if reported < shards:
        return BenchmarkResult(
            benchmark,
            Outcome.MISSING,
            f"no complete {what}: {reported} of {shards} shards reported ({evidence.artifact!r} "
            f"declares shards: {shards}); a gate over part of a run is not a pass",
        )
    if reported > shards:
        return BenchmarkResult(
            benchmark,
            Outcome.ERROR,
            f"{what} of {evidence.artifact!r}: {reported} files, but shards: {shards} declares "
            f"the run's files: a shard counted twice, or a file of another run",
            tuple(f.path for f in evidence.files if f.path not in skipped),
        )
    return None


def _named_shards(
    benchmark: Benchmark, evidence: ArtifactEvidence, what: str, artifact: Artifact
) -> BenchmarkResult | None:
    """Every shard has a file whose path ends as its name says (missing if one has none), and
    every file is a shard's (an error if one is of no shard of the run)."""
    assert artifact.shard_name is not None
    numbers = artifact.shard_numbers()
    reported: set[int] = set()
    strays: list[str] = []
    for parsed in evidence.files:
        shard = shard_of(artifact.shard_name, parsed.path)
        if shard is None or shard not in numbers:
            strays.append(parsed.path)
        else:
            reported.add(shard)
    declared = (
        f"{evidence.artifact!r} declares {artifact.shards} shards named {artifact.shard_name}"
    )
    if strays:
        return BenchmarkResult(
            benchmark,
            Outcome.ERROR,
            f"{what} of {evidence.artifact!r}: {count(len(strays), 'file')} of no shard of the "
            f"run ({declared}, {numbers[0]} to {numbers[-1]}): {', '.join(strays[:3])}",
            tuple(strays),
        )
    absent = [n for n in numbers if n not in reported]
    if absent:
        shown = ", ".join(str(n) for n in absent[:10]) + (", …" if len(absent) > 10 else "")
        return BenchmarkResult(
            benchmark,
            Outcome.MISSING,
            f"no complete {what}: {len(numbers) - len(absent)} of {len(numbers)} shards "
            f"reported, not {shown} ({declared}); a gate over part of a run is not a pass",
        )
    return None


def _baseline_of(
    benchmark: Benchmark,
    evidence: Mapping[str, ArtifactEvidence],
    matrix: Matrix,
    fetched: BaselineEvidence | None,
) -> ArtifactEvidence | BenchmarkResult | None:
    """The evidence the benchmark's baseline reads, or the verdict when it cannot be read:
    another artifact of this run, or its own artifact in the baseline evidence."""
    criterion = benchmark.criterion
    if isinstance(criterion, TestCriterion | SignoffCriterion) or criterion.baseline is None:
        return None
    key = criterion.baseline.artifact
    if not criterion.baseline.merge_base:
        base = evidence[key]
        unusable = _unusable(benchmark, base, "baseline evidence", matrix.artifacts[key])
        return base if unusable is None else unusable
    if fetched is None or not fetched.found:
        reason = fetched.reason if fetched is not None else "no baseline evidence was sought"
        error = fetched is not None and fetched.kind == "error"
        return BenchmarkResult(
            benchmark, Outcome.ERROR if error else Outcome.MISSING, f"no baseline: {reason}"
        )
    given = fetched.artifacts.get(key)
    if given is None or given.state is ArtifactState.MISSING:
        return BenchmarkResult(
            benchmark,
            Outcome.MISSING,
            f"no baseline: the {fetched.description} has no evidence of {key!r}",
        )
    what = f"baseline evidence ({fetched.description})"
    # the base's run was sharded as this one is: a partial one is no baseline either
    unusable = _unusable(benchmark, given, what, matrix.artifacts[key])
    return given if unusable is None else unusable


def _judge_evidence(
    benchmark: Benchmark,
    evidence: Mapping[str, ArtifactEvidence],
    matrix: Matrix,
    fetched: BaselineEvidence | None = None,
    signoffs: SignoffEvidence | None = None,
    as_of: dt.datetime | None = None,
) -> BenchmarkResult:
    """The verdict on the benchmark's evidence, then held to its ``max_age`` as of
    ``as_of`` (None: not aged). A sign-off reads no artifact and is not aged (``validate``
    refuses a ``max_age`` on one)."""
    result = _judge_unaged(benchmark, evidence, matrix, fetched, signoffs)
    if as_of is None or isinstance(benchmark.criterion, SignoffCriterion):
        return result
    return hold_to_age(result, matrix, evidence[benchmark.criterion.artifact], as_of)


def _judge_unaged(
    benchmark: Benchmark,
    evidence: Mapping[str, ArtifactEvidence],
    matrix: Matrix,
    fetched: BaselineEvidence | None = None,
    signoffs: SignoffEvidence | None = None,
) -> BenchmarkResult:
    criterion = benchmark.criterion
    if isinstance(criterion, SignoffCriterion):
        outcome, summary, details, approval = evaluate_signoff(criterion, signoffs)
        return BenchmarkResult(benchmark, outcome, summary, details, signoff=approval)
    own = evidence[criterion.artifact]
    unusable = _unusable(benchmark, own, "evidence", matrix.artifacts[criterion.artifact])
    if unusable is not None:
        return unusable
    if isinstance(criterion, TestCriterion):
        outcome, summary, details, failed = evaluate_tests(criterion, own)
        return BenchmarkResult(benchmark, outcome, summary, details, failed_tests=failed)
    baseline = _baseline_of(benchmark, evidence, matrix, fetched)
    if isinstance(baseline, BenchmarkResult):
        return baseline
    if isinstance(criterion, FindingsCriterion):
        outcome, summary, details, measurements, found = evaluate_findings(criterion, own, baseline)
        return BenchmarkResult(
            benchmark, outcome, summary, details, measurements=measurements, findings=found
        )
    outcome, summary, details, measurements = evaluate_metric(criterion, own, baseline)
    return BenchmarkResult(benchmark, outcome, summary, details, measurements=measurements)


def apply_waiver(result: BenchmarkResult, waiver: Waiver | None, today: dt.date) -> BenchmarkResult:
    """A live waiver turns a shortfall into WAIVED; an expired one fails loudly."""
    if waiver is None:
        return result
    who = f"waived by {waiver.approved_by} until {waiver.expires.isoformat()}: {waiver.reason}"
    underlying = result.outcome
    if today > waiver.expires:
        summary = (
            f"waiver expired on {waiver.expires.isoformat()} (approved by {waiver.approved_by}); "
            f"the evidence alone says {underlying.value}: {result.summary}"
        )
        outcome = Outcome.FAIL
    elif underlying is Outcome.PASS:
        summary = f"{result.summary} (a waiver is in place but not needed: {who})"
        outcome = Outcome.PASS
    else:
        summary = f"{who} — the evidence alone says {underlying.value}: {result.summary}"
        outcome = Outcome.WAIVED
    return dataclasses.replace(
        result, outcome=outcome, summary=summary, waiver=waiver, underlying=underlying
    )


def cell_state(results: tuple[BenchmarkResult, ...], *, stale_met: bool = False) -> CellState:
    """The cell's colour; with ``stale_met``, a benchmark missing only because its evidence
    is stale counts as met (a pull request's no-regression rule with ``stale: due``)."""
    outcomes = {Outcome.PASS if stale_met and r.stale else r.outcome for r in results}
    if outcomes & {Outcome.FAIL, Outcome.ERROR}:
        return CellState.RED
    if Outcome.MISSING in outcomes or not results:
        return CellState.GREY
    return CellState.GREEN


def clock(moment: dt.date) -> tuple[dt.datetime, dt.date]:
    """The run's one clock and its day: a datetime as is (in UTC), a date as its start."""
    if isinstance(moment, dt.datetime):
        as_of = utc(moment)
    else:
        as_of = dt.datetime.combine(moment, dt.time(), dt.timezone.utc)
    return as_of, as_of.date()


def _blocking(
    cells: list[CellResult], matrix: Matrix, index: int, stale_met: bool
) -> tuple[str, ...]:
    """The cells of phases up to ``index`` that are not green (``stale_met``: as if their
    stale benchmarks passed)."""
    return tuple(
        c.cell.ref
        for c in cells
        if matrix.phase_index(c.cell.phase) <= index
        and (cell_state(c.benchmarks, stale_met=True) if stale_met else c.state)
        is not CellState.GREEN
    )


def _hold(
    rule: Rule, gates: dict[str, GateResult], cells: list[CellResult], matrix: Matrix
) -> RuleResult:
    """A rule against the gates: no-regression on a pull request with ``stale: due`` holds
    when only stale evidence keeps its gate from passing, and names that evidence as due."""
    if rule.phase is None:
        return RuleResult(rule, True, ())
    gate = gates[rule.phase]
    lenient = rule.kind is RuleKind.NO_REGRESSION and not matrix.pull_requests.block_on_stale
    if gate.passed or not lenient:
        return RuleResult(rule, gate.passed, gate.blocking)
    index = matrix.phase_index(rule.phase)
    blocking = _blocking(cells, matrix, index, stale_met=True)
    due = tuple(
        b.benchmark.ref
        for c in cells
        if matrix.phase_index(c.cell.phase) <= index
        for b in c.benchmarks
        if b.stale and not b.outcome.met  # a waiver covers a stale one as any other
    )
    return RuleResult(rule, not blocking, blocking, due)


def evaluate(
    matrix: Matrix,
    evidence: Mapping[str, ArtifactEvidence],
    today: dt.date,
    enforced: str | Policy | None = None,
    changes: Changes | None = None,
    baseline: BaselineEvidence | None = None,
    signoffs: SignoffEvidence | None = None,
) -> Report:
    """Judge every benchmark, colour every cell, decide every phase gate, hold the rules.

    ``enforced``: the policy, or one phase whose gate decides; by default the matrix's
    ``current`` phase, else its last phase. ``changes`` is carried to the report as is.
    ``baseline``: the evidence a baseline without ``from`` reads (None: none was sought, and
    such a benchmark is missing). ``signoffs``: what the GitHub API said about the sign-offs'
    records (None: nothing was asked, and every sign-off is unverified). ``today``: the run's
    one clock, a datetime (``--as-of``), or a date, taken as its start; waivers are judged by
    its day, ``max_age`` by the moment.
    """
    as_of, today = clock(today)
    waivers = {w.benchmark: w for w in matrix.waivers}
    cells = []
    for cell in matrix.cells:
        results = tuple(
            apply_waiver(
                _judge_evidence(b, evidence, matrix, baseline, signoffs, as_of),
                waivers.get(b.ref),
                today,
            )
            for b in cell.benchmarks
        )
        cells.append(CellResult(cell, cell_state(results), results))
    gates = []
    for index, phase in enumerate(matrix.phases):
        blocking = _blocking(cells, matrix, index, stale_met=False)
        gates.append(GateResult(phase, not blocking, blocking))
    stands_at = None
    for gate in gates:
        if not gate.passed:
            break
        stands_at = gate.phase.id
    used = {a for c in matrix.cells for b in c.benchmarks for a in b.criterion.reads}
    policy = enforced if isinstance(enforced, Policy) else gate_policy(matrix, enforced)
    by_phase = {g.phase.id: g for g in gates}
    rules = tuple(_hold(rule, by_phase, cells, matrix) for rule in policy.rules)
    return Report(
        matrix=matrix,
        cells=tuple(cells),
        gates=tuple(gates),
        policy=policy,
        rules=rules,
        stands_at=stands_at,
        artifacts={k: v for k, v in evidence.items() if k in used},
        today=today,
        changes=changes,
        baseline=baseline,
        signoffs=signoffs,
        as_of=as_of,
    )
