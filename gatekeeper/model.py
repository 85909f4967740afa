"""The phase matrix as typed, immutable records: what the matrix file declares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum

from gatekeeper.freshness import MaxAge
from gatekeeper.records import record
from gatekeeper.threshold import Change, Threshold

PLACEHOLDER = "{phase}"
"""What stands for the phase id in the phase tag, label and branch patterns."""


class FlakyPolicy(str, Enum):
    """How a test that passed only on rerun counts."""

    PASS = "pass"
    FAIL = "fail"


@record
class Phase:
    """One phase, in order."""

    id: str
    name: str
    theme: str = ""


QUERY_FORMAT = "prometheus"
"""The format of a live query's answer (``gatekeeper.parsers.load.prometheus``)."""

DEFAULT_SERVER = "GATEKEEPER_PROMETHEUS"
"""The prefix of the environment variables that name a live query's server and credentials."""


@record
class LiveQuery:
    """A PromQL query asked of a Prometheus-compatible HTTP API when the evidence is collected."""

    promql: str
    """The query."""
    time: str = "now"
    """When it is evaluated: 'now' (the time of the collection) or an RFC 3339 time; the end
    of the window for a range query."""
    range: float | None = None
    """Seconds of the window before ``time`` (``/api/v1/query_range``); None: an instant query."""
    step: float | None = None
    """Seconds between the points of a range query."""
    timeout: float = 10.0
    """Seconds to wait for the whole answer."""
    server: str = DEFAULT_SERVER
    """The prefix of the environment variables holding the server: PREFIX_URL, and
    PREFIX_TOKEN (a Bearer token) or PREFIX_USER and PREFIX_PASSWORD (basic auth)."""


@record
class Artifact:
    """A named evidence source."""

    id: str
    format: str
    """A parser name from gatekeeper.parsers, or 'auto'."""
    paths: tuple[str, ...]
    """Globs relative to the root folder."""
    shards: int | None = None
    """How many files a complete run yields (one per shard); None: any number. With
    ``shard_name``, how many shards, each with its own files."""
    shard_name: str | None = None
    """A path glob with ``{shard}`` standing for a shard's number: the files of that shard
    (``junit-{shard}.xml``, ``shard-{shard}/**/*.xml``), matched against the end of a file's
    path. None: shards are counted by their files."""
    shard_first: int = 1
    """The number of the first shard (0 for 0-based CI indexes)."""
    max_age: MaxAge | None = None
    """How old its evidence may be before benchmarks reading it are stale; None: any age."""
    query: LiveQuery | None = None
    """A live query whose answer is the evidence, instead of files (``paths`` is then empty)."""

    def shard_numbers(self) -> range:
        """The numbers of a complete run's shards."""
        return range(self.shard_first, self.shard_first + (self.shards or 0))


@record
class TestCriterion:
    """Select test cases from an artifact and require them to pass."""

    __test__ = False

    artifact: str
    suite: tuple[str, ...] = ()
    """Globs on the suite name; empty means any. Same for the three below."""
    classname: tuple[str, ...] = ()
    name: tuple[str, ...] = ()
    file: tuple[str, ...] = ()
    pass_rate: float = 1.0
    """Fraction of run (not skipped) tests that must pass."""
    min_count: int = 1
    """At least this many run tests must match: an empty selection never passes."""
    max_skipped: int | None = None
    """At most this many matching tests may be skipped; None is no limit."""
    flaky: FlakyPolicy = FlakyPolicy.PASS

    @property
    def reads(self) -> tuple[str, ...]:
        """The artifacts it reads: its own."""
        return (self.artifact,)


PAIRED_CONFIDENCE = 0.95
"""A paired baseline's confidence when the matrix names none: the rounds are always judged
at one (``gatekeeper bench``'s default too)."""


@record
class Baseline:
    """The same series in another artifact (the base branch's results), or in the same
    artifact of the baseline evidence (``merge_base``), and how far each statistic may move
    from it."""

    artifact: str
    changes: tuple[Change, ...]
    """All must hold, for every series that the baseline has too."""
    confidence: float | None = None
    """Judge each change from the raw samples of both sides at this two-sided confidence
    (``gatekeeper.compare``); None: compare the two values of the statistic."""
    paired: bool = False
    """Both artifacts hold one file per round of a paired run (``gatekeeper bench``), paired
    by file name; each change is judged from the rounds' figures (``engine.paired``) at
    ``confidence``."""
    drift: float | None = None
    """Unpaired, at a confidence: how far (a fraction, 0.15 for 15 %) two runs of the same
    code may differ between jobs, which the limit is widened by: a regression must clear both.
    None: the limit as written (the verdict says the interval includes the drift)."""
    merge_base: bool = False
    """``from`` left out: ``artifact`` is the benchmark's own, read from the baseline
    evidence (the merge base's bundle, or ``check --baseline``), not from this run's files."""


def _reads(artifact: str, baseline: Baseline | FindingsBaseline | None) -> tuple[str, ...]:
    """A criterion's artifacts among this run's files: its own, then its baseline's (one read
    from the merge base's evidence is not among them)."""
    if baseline is None or baseline.merge_base:
        return (artifact,)
    return (artifact, baseline.artifact)


@record
class MetricCriterion:
    """Select a metric from an artifact and hold its statistics to thresholds, to a baseline,
    or both."""

    artifact: str
    name: str
    """Glob on the metric name (or a benchmark's alias)."""
    tags: Mapping[str, str]
    """Tag filter; the series must carry exactly these tags."""
    thresholds: tuple[Threshold, ...]
    """All must hold."""
    baseline: Baseline | None = None
    expect_failures: bool = False
    """Judge the series' figures even where the tool recorded a failure (``Metric.failures``)."""

    @property
    def reads(self) -> tuple[str, ...]:
        """The artifacts it reads: its own, then its baseline's."""
        return _reads(self.artifact, self.baseline)

    @property
    def statistics(self) -> tuple[str, ...]:
        """Every statistic it reads, from thresholds and baseline changes."""
        changes = self.baseline.changes if self.baseline else ()
        return tuple(dict.fromkeys([*(t.statistic for t in self.thresholds),
                                    *(c.statistic for c in changes)]))  # fmt: skip

    @property
    def selector(self) -> str:
        """The selector as written: name{tag:value}."""
        if not self.tags:
            return self.name
        return self.name + "{" + ",".join(f"{k}:{v}" for k, v in self.tags.items()) + "}"


SEVERITIES: dict[str, float] = {"critical": 9.0, "high": 7.0, "medium": 4.0, "low": 0.1}
"""GitHub's names for a ``security-severity`` (0-10): each from this score up."""


@record
class FindingsBaseline:
    """The same analysis in another artifact (the base branch's), and how many findings may
    be new against it."""

    artifact: str
    max_new: int
    merge_base: bool = False
    """As ``Baseline.merge_base``: the own artifact, in the baseline evidence."""


@record
class FindingsCriterion:
    """Select static-analysis findings from an artifact and hold their number to a limit, to
    the baseline's findings, or both. Suppressed findings are counted apart, never against."""

    artifact: str
    level: str = "note"
    """The least severe level counted: this one and every one above it (``evidence.LEVELS``)."""
    file: tuple[str, ...] = ()
    """Path globs from the project's root; empty means any file (and findings with none)."""
    rule: tuple[str, ...] = ()
    """Globs on the rule id; empty means any."""
    tool: tuple[str, ...] = ()
    """Globs on the analyser's name; empty means any. A glob no run of the file matches is
    missing evidence."""
    severity: str | None = None
    """A name of ``SEVERITIES``: only findings with a security-severity this high or higher."""
    max: int | None = None
    """At most this many findings; None: no limit (a baseline's ``max_new`` limits instead)."""
    baseline: FindingsBaseline | None = None
    expect_failures: bool = False
    """Judge the findings even where the analyser recorded a failure of its run."""

    @property
    def reads(self) -> tuple[str, ...]:
        """The artifacts it reads: its own, then its baseline's."""
        return _reads(self.artifact, self.baseline)

    @property
    def selector(self) -> str:
        """The selection as a person reads it: findings of level >= error in ingress/**."""
        parts = [f"level >= {self.level}"]
        if self.severity:
            parts.append(f"severity >= {self.severity}")
        for key, globs in (("tool", self.tool), ("rule", self.rule), ("file", self.file)):
            if globs:
                parts.append(f"{key} {' or '.join(globs)}")
        return f"findings ({', '.join(parts)})"


@record
class SignoffCriterion:
    """What only a person can judge: met when the pull request that last changed ``record``
    was approved by one of ``by`` who is not its author, and the record did not change after
    (``gatekeeper.signoffs``, judged from what the GitHub API says)."""

    by: tuple[str, ...]
    """Who may sign off: ``@user``, or ``@org/team-slug`` for any active member of the team."""
    record: str
    """The record file, relative to the repository's root."""

    @property
    def reads(self) -> tuple[str, ...]:
        """No artifact: its evidence is the pull request that changed the record."""
        return ()

    @property
    def users(self) -> tuple[str, ...]:
        """The named users, without the ``@``."""
        return tuple(b[1:] for b in self.by if "/" not in b)

    @property
    def teams(self) -> tuple[str, ...]:
        """The named teams as ``org/team-slug``."""
        return tuple(b[1:] for b in self.by if "/" in b)


Criterion = TestCriterion | MetricCriterion | FindingsCriterion | SignoffCriterion


@record
class Benchmark:
    """One measurable criterion of a cell."""

    id: str
    swimlane: str
    phase: str
    criterion: Criterion
    description: str = ""
    line: int | None = None
    """Line of the benchmark in the matrix file, for annotations."""
    max_age: MaxAge | None = None
    """How old its evidence may be; None: its artifact's ``max_age`` (if any) applies."""

    @property
    def ref(self) -> str:
        """Its full id: swimlane/phase/benchmark."""
        return f"{self.swimlane}/{self.phase}/{self.id}"


@record
class Cell:
    """Where a swimlane meets a phase."""

    swimlane: str
    phase: str
    goal: str
    benchmarks: tuple[Benchmark, ...]
    depends_on: tuple[str, ...] = ()
    """Other cells, as swimlane/phase."""

    @property
    def ref(self) -> str:
        return f"{self.swimlane}/{self.phase}"


@record
class Swimlane:
    """A component that carries work across phases."""

    id: str
    name: str
    paths: tuple[str, ...] = ()
    """Globs of the files that belong to it, from the repository's root (a ``**`` segment
    for any number of folders): a pull request that changes one touches the swimlane."""


@record
class PullRequestRules:
    """How a pull request declares work for a later phase, and what its current phase does."""

    label: str | None = "phase:{phase}"
    """A label fitting this pattern declares work for the phase it names; None: no label does."""
    branch: str | None = None
    """A branch whose name starts with this pattern (filled in) declares it; None: none does."""
    block_on_current: bool = False
    """Whether the gate of the phase being worked on blocks (default: reported only)."""
    block_on_stale: bool = False
    """Whether stale evidence in the phases already achieved blocks the no-regression rule
    (``stale: block``); default: it is reported as due."""


@record
class Waiver:
    """Permission to let one benchmark pass regardless, until a date."""

    benchmark: str
    """swimlane/phase/benchmark"""
    reason: str
    approved_by: str
    expires: dt.date
    """Last day the waiver holds."""


@record
class RunChoice:
    """A workflow run named in ``baselines``, and why."""

    run: int
    reason: str


@record
class BaselineRuns:
    """Which runs' bundles may be the baseline evidence: a pinned run is used whatever the
    merge base; an excluded run (a known-bad run on the base branch) is never used."""

    exclude: tuple[RunChoice, ...] = ()
    pin: RunChoice | None = None


@record
class Matrix:
    """The whole matrix file."""

    path: str
    """The matrix file, as the user named it."""
    project: str
    phases: tuple[Phase, ...]
    swimlanes: tuple[Swimlane, ...]
    cells: tuple[Cell, ...]
    artifacts: Mapping[str, Artifact]
    waivers: tuple[Waiver, ...] = ()
    current: str | None = None
    """The phase the team is working to complete."""
    phase_tags: str = "phase/{phase}"
    """Pattern of the git tags that record a completed phase ({phase}: the phase id)."""
    pull_requests: PullRequestRules = PullRequestRules()
    baselines: BaselineRuns = BaselineRuns()

    @property
    def wants_baseline_evidence(self) -> bool:
        """Some benchmark compares with the baseline evidence (a baseline without ``from``)."""
        criteria = [b.criterion for c in self.cells for b in c.benchmarks]
        return any(
            isinstance(c, MetricCriterion | FindingsCriterion)
            and c.baseline is not None
            and c.baseline.merge_base
            for c in criteria
        )

    @property
    def signoffs(self) -> tuple[SignoffCriterion, ...]:
        """Every sign-off criterion, in matrix order."""
        return tuple(
            b.criterion
            for c in self.cells
            for b in c.benchmarks
            if isinstance(b.criterion, SignoffCriterion)
        )

    def phase_tag(self, phase_id: str) -> str:
        """The tag that records ``phase_id`` as completed."""
        return self.phase_tags.replace(PLACEHOLDER, phase_id)

    def phase_index(self, phase_id: str) -> int:
        return [p.id for p in self.phases].index(phase_id)

    def phase_name(self, phase_id: str | None) -> str:
        """The display name of a phase; 'none' for None."""
        if phase_id is None:
            return "none"
        return next(p.name for p in self.phases if p.id == phase_id)

    def previous_phase(self, phase_id: str) -> str | None:
        """The phase before ``phase_id``; None for the first."""
        index = self.phase_index(phase_id)
        return self.phases[index - 1].id if index > 0 else None

    def cell(self, swimlane: str, phase: str) -> Cell | None:
        for cell in self.cells:
            if cell.swimlane == swimlane and cell.phase == phase:
                return cell
        return None
