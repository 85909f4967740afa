"""What the engine concludes: per benchmark, per cell, per phase gate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum

from gatekeeper.baselines import BaselineEvidence
from gatekeeper.changes import Changes
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Finding, TestResult
from gatekeeper.freshness import MaxAge
from gatekeeper.model import Benchmark, Cell, Matrix, Phase, Waiver
from gatekeeper.policy import Policy, Rule
from gatekeeper.records import record
from gatekeeper.signoffs import Approval, RecordState, SignoffEvidence
from gatekeeper.threshold import ChangeUnit
from gatekeeper.units import Quantity


class Outcome(str, Enum):
    """A benchmark's verdict. Only PASS and WAIVED count as met."""

    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"
    """No evidence: a glob matched nothing, or the metric is not in the files."""
    ERROR = "error"
    """Evidence exists but could not be read, or cannot answer the criterion."""
    WAIVED = "waived"

    @property
    def met(self) -> bool:
        return self in (Outcome.PASS, Outcome.WAIVED)


class CellState(str, Enum):
    """A cell's colour in the matrix."""

    GREEN = "green"
    """Every benchmark passed or is waived."""
    RED = "red"
    """A benchmark failed or its evidence is unreadable."""
    GREY = "grey"
    """Pending: some evidence is missing, nothing failed."""
    BLANK = "blank"
    """No cell: the swimlane has no work in this phase."""


class Method(str, Enum):
    """How a change from the baseline asked to be judged at a confidence was judged."""

    MANN_WHITNEY = "mann-whitney"
    """From both sides' raw samples: the rank interval of the shift (``gatekeeper.compare``)."""
    RATIO = "ratio"
    """From the statistic's two values, as without a confidence: a side had too few samples."""
    WILCOXON_SIGNED_RANK = "wilcoxon-signed-rank"
    """From a paired run's rounds, one figure per round and side: the signed-rank interval of
    the rounds' ratios (``gatekeeper.paired``)."""


@record
class Sampled:
    """A comparison with the baseline at a confidence: how it was judged, on what."""

    method: Method
    confidence: float
    """The confidence the matrix asks for (two-sided), e.g. 0.95."""
    base_samples: int
    """Raw samples of the baseline's series (paired: its rounds)."""
    head_samples: int
    """Raw samples of HEAD's series (paired: its rounds)."""
    interval: tuple[float, float] | None = None
    """The change's interval [low, high] at the confidence, as fractions like ``change``
    (-1.0 or inf where the samples cannot bound it); None when judged by the ratio."""
    p_value: float | None = None
    """One-sided Mann-Whitney (paired: Wilcoxon signed-rank) p-value of "the change is within
    the limit"; None by ratio."""
    reason: str = ""
    """Why the plain ratio judged it (``RATIO``): 'no samples', too few."""
    paired: bool = False
    """Whether base and HEAD were measured in pairs, in one job (``baseline.paired``: the
    rounds of ``gatekeeper bench``); False: the baseline is another run's evidence."""


@record
class Measurement:
    """One statistic compared with one threshold."""

    series: str
    """The metric as a selector would name it: name{tag:value}."""
    source: str
    """The file it came from."""
    threshold: str
    """The threshold expression."""
    actual: str
    """The measured value, rendered with a unit ('' when absent)."""
    ok: bool
    value: Quantity | None = None
    """The measured value in its base unit, unrounded (None when not measured)."""
    limit: Quantity | None = None
    """A threshold's limit in the same base unit (None for a comparison with a baseline)."""
    baseline: Quantity | None = None
    """A comparison's baseline value, in the same base unit."""
    change: float | None = None
    """A comparison's change from the baseline, in ``change_unit``: relative (+0.124 is
    12.4 % more), or in points as a fraction of 1 (-0.007 is 0.7 points less)."""
    allowed_change: float | None = None
    """A comparison's limit as a signed fraction: +0.10 for 'mean +10%', -0.005 for
    'line -0.5pt'."""
    change_unit: ChangeUnit | None = None
    """What ``change`` and ``allowed_change`` are measured in (None for a threshold)."""
    sampled: Sampled | None = None
    """With a ``confidence``: how the comparison was judged; None for a plain comparison (its
    ``change`` is then the ratio of the statistic; with samples, the estimated shift)."""


@record
class FoundFindings:
    """What a findings benchmark counted."""

    counted: tuple[Finding, ...]
    """The selected findings that are not suppressed."""
    suppressed: int
    """Selected findings suppressed, not counted."""
    new: tuple[Finding, ...] | None = None
    """Of ``counted``, those the baseline does not have; None without a baseline."""

    @property
    def against(self) -> tuple[Finding, ...]:
        """The findings that count against the benchmark: the new ones, with a baseline."""
        return self.counted if self.new is None else self.new


@record
class Freshness:
    """How old a benchmark's evidence is, where a ``max_age`` applies to it."""

    max_age: MaxAge
    measured_at: dt.datetime | None
    """The oldest time its artifact's files record for their measurement (aware UTC); None
    when a file records none (the evidence cannot satisfy a max_age)."""
    age: dt.timedelta | None
    """``as_of`` minus ``measured_at``; None with no recorded time."""
    stale: bool
    """Older than ``max_age``: the benchmark is missing (on a pull request, due)."""


@record
class BenchmarkResult:
    """The verdict on one benchmark and the evidence behind it."""

    benchmark: Benchmark
    outcome: Outcome
    summary: str
    """One line a person reads first."""
    details: tuple[str, ...] = ()
    """Further evidence lines: failing tests, files that could not be read."""
    failed_tests: tuple[TestResult, ...] = ()
    """Tests that count against the benchmark (for annotations)."""
    measurements: tuple[Measurement, ...] = ()
    waiver: Waiver | None = None
    """The waiver that applies, expired or not."""
    underlying: Outcome | None = None
    """With a waiver: what the evidence alone said."""
    findings: FoundFindings | None = None
    """A findings benchmark's count, when the evidence could answer it."""
    signoff: Approval | None = None
    """A met sign-off's approval: who, when, in which pull request."""
    freshness: Freshness | None = None
    """Where a ``max_age`` applies: the evidence's time and age; None where none applies."""

    stale: bool = False
    """Missing only because its evidence is older than its ``max_age``: it would pass on
    fresh evidence (a pull request may report it as due)."""


@record
class CellResult:
    cell: Cell
    state: CellState
    benchmarks: tuple[BenchmarkResult, ...]


@record
class GateResult:
    """Gate of a phase: every cell of this and earlier phases must be green."""

    phase: Phase
    passed: bool
    blocking: tuple[str, ...]
    """Cells (swimlane/phase) that are not green."""


@record
class RuleResult:
    """A rule of the policy, held against the gates."""

    rule: Rule
    passed: bool
    blocking_cells: tuple[str, ...]
    """Cells (swimlane/phase) that keep the rule's gate from passing."""
    due: tuple[str, ...] = ()
    """Benchmarks (swimlane/phase/id) of the rule's gate whose evidence is stale and that
    the rule reports as due instead of blocking on (no-regression, ``stale: due``)."""

    @property
    def blocks(self) -> bool:
        """The rule fails and is one that blocks."""
        return self.rule.blocking and not self.passed


@record
class Report:
    """Everything a reporter needs; produced by ``engine.evaluate``."""

    matrix: Matrix
    cells: tuple[CellResult, ...]
    gates: tuple[GateResult, ...]
    policy: Policy
    rules: tuple[RuleResult, ...]
    """Each rule of the policy, in the policy's order."""
    stands_at: str | None
    """The highest phase whose gate passes; None when even the first fails."""
    artifacts: Mapping[str, ArtifactEvidence]
    today: dt.date
    """The day of ``as_of``: waivers are judged by it."""
    changes: Changes | None = None
    """A pull request's changed files against the swimlanes; None when not known."""
    baseline: BaselineEvidence | None = None
    """The evidence baselines without ``from`` read, and where it came from; None when none
    was sought."""
    signoffs: SignoffEvidence | None = None
    """What the GitHub API said about the sign-offs' records; None when none was sought."""
    as_of: dt.datetime | None = None
    """The run's one clock (``--as-of``, else now), aware UTC: evidence ages are measured to
    it. None only for reports built without one (the start of ``today``)."""

    @property
    def due(self) -> tuple[str, ...]:
        """Benchmarks a rule reports as due rather than blocking on (stale evidence), except
        those a failing blocking rule's gate covers: there stale evidence blocks."""
        failed = [self.matrix.phase_index(r.rule.phase) for r in self.rules
                  if r.blocks and r.rule.phase is not None]  # fmt: skip
        limit = max(failed, default=-1)
        return tuple(dict.fromkeys(
            ref for r in self.rules for ref in r.due
            if self.matrix.phase_index(ref.split("/")[1]) > limit
        ))  # fmt: skip

    @property
    def enforced(self) -> str | None:
        """The highest phase whose gate a blocking rule checks: its cells decide the verdict.
        None when no rule blocks (a pull request before any phase is achieved)."""
        phases = [r.rule.phase for r in self.rules if r.rule.blocking and r.rule.phase]
        return max(phases, key=self.matrix.phase_index, default=None)

    @property
    def passed(self) -> bool:
        """Whether every blocking rule holds."""
        return not any(r.blocks for r in self.rules)

    @property
    def no_evidence(self) -> bool:
        """True when not a single artifact could be read, nor a sign-off judged."""
        signed = self.signoffs is not None and any(
            s.state is not RecordState.ERROR for s in self.signoffs.records.values()
        )
        return not signed and all(
            a.state is not ArtifactState.READ for a in self.artifacts.values()
        )

    def gate(self, phase: str) -> GateResult:
        return next(g for g in self.gates if g.phase.id == phase)

    def cell(self, swimlane: str, phase: str) -> CellResult | None:
        for result in self.cells:
            if result.cell.swimlane == swimlane and result.cell.phase == phase:
                return result
        return None

    @property
    def benchmarks(self) -> tuple[BenchmarkResult, ...]:
        return tuple(b for c in self.cells for b in c.benchmarks)


# Queries on a report, shared by every reporter and by the GitHub layer.


def cells_met(report: Report, phase: str) -> tuple[int, int]:
    """(green cells, cells) of one phase."""
    cells = [c for c in report.cells if c.cell.phase == phase]
    return sum(c.state is CellState.GREEN for c in cells), len(cells)


def enforced_results(report: Report) -> list[BenchmarkResult]:
    """Benchmarks of the cells the enforced gate covers, in matrix order."""
    if report.enforced is None:
        return []
    limit = report.matrix.phase_index(report.enforced)
    return [
        b
        for c in report.cells
        if report.matrix.phase_index(c.cell.phase) <= limit
        for b in c.benchmarks
    ]


def failing(report: Report) -> list[BenchmarkResult]:
    """Benchmarks that block the enforced gate: failed or unreadable first, then missing."""
    order = {Outcome.FAIL: 0, Outcome.ERROR: 1, Outcome.MISSING: 2}
    due = set(report.due)
    blocking = [
        b for b in enforced_results(report) if not b.outcome.met and b.benchmark.ref not in due
    ]
    return sorted(blocking, key=lambda b: order[b.outcome])


def due_results(report: Report) -> list[BenchmarkResult]:
    """Benchmarks whose evidence is stale and that a rule reports as due, not blocking."""
    due = set(report.due)
    return [b for b in report.benchmarks if b.benchmark.ref in due]


def later(report: Report) -> list[BenchmarkResult]:
    """Benchmarks of phases after the enforced one that are not met (not blocking)."""
    limit = -1 if report.enforced is None else report.matrix.phase_index(report.enforced)
    return [
        b
        for c in report.cells
        if report.matrix.phase_index(c.cell.phase) > limit
        for b in c.benchmarks
        if not b.outcome.met
    ]


def evidence_sources(result: BenchmarkResult) -> list[str]:
    """The files a benchmark's verdict rests on."""
    files = {m.source for m in result.measurements} | {t.source for t in result.failed_tests}
    return sorted(f for f in files if f)


def waiver_status(report: Report, waiver: Waiver) -> str:
    """'expired', 'waived' (it turns a shortfall into a pass) or 'not needed' (the benchmark
    passes on its own evidence)."""
    if report.today > waiver.expires:
        return "expired"
    result = next((b for b in report.benchmarks if b.benchmark.ref == waiver.benchmark), None)
    return "not needed" if result is not None and result.outcome is Outcome.PASS else "waived"


def exit_code(report: Report) -> ExitCode:
    """The one place a verdict becomes an exit code."""
    if report.no_evidence:
        return ExitCode.NO_EVIDENCE
    return ExitCode.PASSED if report.passed else ExitCode.FAILED
