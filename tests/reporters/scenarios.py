"""Reports the reporter tests render: hand-built matrices and evidence, judged by the real engine.

Shared by the golden-file tests and ``regenerate.py``, so both always see the same reports.
Every scenario is evaluated on ``TODAY`` so waiver expiry never depends on the calendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gatekeeper.changes import Changes, touched
from gatekeeper.engine import evaluate
from gatekeeper.evidence import (
    Analysis,
    ArtifactEvidence,
    ArtifactState,
    Finding,
    Metric,
    ParsedFile,
    TestResult,
    TestStatus,
)
from gatekeeper.freshness import parse_max_age
from gatekeeper.history.model import History, TagMark, build
from gatekeeper.history.records import dumps, from_report, moment, read_lines
from gatekeeper.model import (
    Artifact,
    Baseline,
    Benchmark,
    Cell,
    FindingsBaseline,
    FindingsCriterion,
    FlakyPolicy,
    Matrix,
    MetricCriterion,
    Phase,
    PullRequestRules,
    SignoffCriterion,
    Swimlane,
    TestCriterion,
    Waiver,
)
from gatekeeper.policy import Policy, declarations, pull_request_policy
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.results import Report, exit_code
from gatekeeper.signoffs import (
    Membership,
    RecordState,
    Review,
    SignoffEvidence,
    SignoffRecord,
    TeamMember,
)
from gatekeeper.threshold import parse_change, parse_threshold
from gatekeeper.units import Dimension, Quantity, format_value

TODAY = dt.date(2026, 11, 26)
GOLDEN = Path(__file__).resolve().parent / "golden"

PHASES = (
    Phase("stone", "Stone", "First production deploy"),
    Phase("bronze", "Bronze", "Monitoring, engagement tracking"),
    Phase("iron", "Iron", "Route traffic; capacity proven by load tests"),
)
FORMATS = {
    "unit": "junit", "k6": "k6", "micro": "pytest-benchmark", "micro-main": "pytest-benchmark",
    "chaos": "junit", "lint": "sarif", "lint-main": "sarif",
}  # fmt: skip


# --- building blocks -------------------------------------------------------------------------


def by_tests(
    lane: str,
    phase: str,
    bench: str,
    artifact: str = "unit",
    *,
    name: tuple[str, ...] = (),
    classname: tuple[str, ...] = (),
    min_count: int = 1,
    max_skipped: int | None = None,
    flaky: FlakyPolicy = FlakyPolicy.PASS,
    line: int | None = None,
) -> Benchmark:
    criterion = TestCriterion(
        artifact,
        classname=classname,
        name=name,
        min_count=min_count,
        max_skipped=max_skipped,
        flaky=flaky,
    )
    return Benchmark(bench, lane, phase, criterion, line=line)


def by_metric(
    lane: str,
    phase: str,
    bench: str,
    name: str,
    *thresholds: str,
    artifact: str = "k6",
    tags: Mapping[str, str] | None = None,
    description: str = "",
) -> Benchmark:
    criterion = MetricCriterion(
        artifact, name, dict(tags or {}), tuple(parse_threshold(t) for t in thresholds)
    )
    return Benchmark(bench, lane, phase, criterion, description=description)


def compared(
    lane: str, phase: str, bench: str, name: str, artifact: str, baseline: str, *changes: str
) -> Benchmark:
    """A metric benchmark judged against the same series in a baseline artifact only."""
    criterion = MetricCriterion(
        artifact, name, {}, (), Baseline(baseline, tuple(parse_change(c) for c in changes))
    )
    return Benchmark(bench, lane, phase, criterion)


def case(
    name: str,
    status: TestStatus = TestStatus.PASSED,
    *,
    classname: str = "tests.test_dkim",
    suite: str = "pytest",
    message: str | None = None,
    flaky: bool = False,
    source: str = "reports/junit/unit.xml",
) -> TestResult:
    file = classname.replace(".", "/") + ".py" if classname else None
    return TestResult(
        suite, classname, name, file, 10, status, flaky, int(flaky), 0.01, message, source
    )


def seconds(value: float) -> Quantity:
    return Quantity(value, Dimension.TIME)


def series(
    name: str, source: str = "reports/k6/summary.json", tags: Mapping[str, str] | None = None,
    **stats: Quantity,
) -> Metric:  # fmt: skip
    renamed = {"p(95)" if k == "p95" else "p(99)" if k == "p99" else k: v for k, v in stats.items()}
    return Metric(name, dict(tags or {}), renamed, "trend", (), source)


def read(artifact: str, path: str, *items: TestResult | Metric | Finding) -> ArtifactEvidence:
    findings = tuple(i for i in items if isinstance(i, Finding))
    found = ParsedFile(
        path,
        FORMATS[artifact],
        tuple(i for i in items if isinstance(i, TestResult)),
        tuple(i for i in items if isinstance(i, Metric)),
        findings=findings,
        analyses=(Analysis("ruff", "0.17.6"),) if FORMATS[artifact] == "sarif" else (),
    )
    return ArtifactEvidence(artifact, ArtifactState.READ, (found,), (), (path,))


def finding(rule: str, file: str, line: int, level: str = "warning", source: str = "") -> Finding:
    return Finding("ruff", rule, level, file, line, f"{rule} here", source=source)


def missing(artifact: str, *patterns: str) -> ArtifactEvidence:
    return ArtifactEvidence(artifact, ArtifactState.MISSING, patterns=patterns)


def broken(artifact: str, *errors: str) -> ArtifactEvidence:
    return ArtifactEvidence(artifact, ArtifactState.ERROR, errors=errors, patterns=("reports/**",))


def matrix(
    project: str,
    lanes: tuple[Swimlane, ...],
    cells: tuple[Cell, ...],
    *,
    waivers: tuple[Waiver, ...] = (),
    current: str | None = None,
    phases: tuple[Phase, ...] = PHASES,
) -> Matrix:
    read = {artifact for c in cells for b in c.benchmarks for artifact in b.criterion.reads}
    artifacts = {a: Artifact(a, f, (f"reports/{a}/*",)) for a, f in FORMATS.items() if a in read}
    return Matrix("gatekeeper.yml", project, phases, lanes, cells, artifacts, waivers, current)


@dataclass(frozen=True)
class Scenario:
    """A matrix and its evidence; the report is whatever the real engine makes of them."""

    name: str
    matrix: Matrix
    evidence: Mapping[str, ArtifactEvidence]
    enforced: str | Policy | None = None
    changes: Changes | None = None
    signoffs: SignoffEvidence | None = None
    history: History | None = None
    """The project's history the HTML page is given (``RenderOptions.history``)."""
    tags: tuple[TagMark, ...] = ()

    @property
    def report(self) -> Report:
        return evaluate(
            self.matrix, self.evidence, TODAY, self.enforced, self.changes, None, self.signoffs
        )

    @property
    def exit_code(self) -> int:
        return int(exit_code(self.report))


# --- the scenarios ---------------------------------------------------------------------------

AUTH = Swimlane("auth", "Email Authentication")
INGRESS = Swimlane("ingress", "Ingress API")
SCALE = Swimlane("scale", "Scalability")
RESILIENCE = Swimlane("resilience", "Resilience / Availability")


def passing() -> Scenario:
    """The enforced gate (Bronze) passes; Iron is still red and grey, which does not block.

    Covers: a flaky test that passed on rerun, a waiver that is not needed, units written in
    ms and µs against values in s, a blank cell, a cell without benchmarks, a later-phase miss.
    """
    cells = (
        Cell("auth", "stone", "Sign outbound mail with DKIM", (
            by_tests("auth", "stone", "dkim-signing", classname=("tests.test_dkim",), min_count=3),
        )),
        Cell("ingress", "stone", "Use account hot setting to divert traffic", (
            by_tests("ingress", "stone", "hot-setting-e2e", classname=("tests.e2e.*",)),
        )),
        Cell("ingress", "bronze", "Engagement tracking endpoint", (
            by_metric("ingress", "bronze", "track-latency", "http_req_duration",
                   "p(95) < 250ms", "max < 2s", tags={"scenario": "track"},
                   description="tracking stays fast under load"),
        )),
        Cell("scale", "bronze", "Header parser is cheap", (
            by_metric("scale", "bronze", "parse-header", "test_parse_header", "mean < 50µs",
                   artifact="micro"),
            compared("scale", "bronze", "no-slower-than-main", "test_*", "micro", "micro-main",
                     "mean +10%"),
            Benchmark("no-new-findings", "scale", "bronze", FindingsCriterion(
                "lint", "warning", ("src/scale/**",), max=5,
                baseline=FindingsBaseline("lint-main", 1))),
        )),
        Cell("auth", "iron", "Rotate DKIM keys without downtime", (
            by_tests("auth", "iron", "key-rotation", name=("test_rotation*",)),
        ), depends_on=("auth/stone",)),
        Cell("scale", "iron", "2,000 msg/s sustained", (
            by_metric("scale", "iron", "smtp-submit-p95", "smtp_submit_duration", "p(95) < 250ms"),
        )),
        Cell("resilience", "iron", "Chaos drills (benchmarks to come)", ()),
    )  # fmt: skip
    waivers = (
        Waiver("ingress/stone/hot-setting-e2e", "e2e rig flaky in October", "jmoody",
               dt.date(2026, 12, 15)),
    )  # fmt: skip
    evidence = {
        "unit": read(
            "unit",
            "reports/junit/unit.xml",
            case("test_sign_simple"),
            case("test_sign_long_headers", flaky=True),
            case("test_sign_utf8"),
            case("test_skipped_on_ci", TestStatus.SKIPPED, message="needs HSM"),
            case("test_hot_setting_diverts", classname="tests.e2e.test_hot_setting"),
            case(
                "test_rotation_overlap",
                TestStatus.FAILED,
                classname="tests.test_rotation",
                message="AssertionError: old key revoked before new key published",
            ),
        ),
        "k6": read(
            "k6",
            "reports/k6/summary.json",
            series(
                "http_req_duration",
                tags={"scenario": "track"},
                p95=seconds(0.2013),
                max=seconds(1.2),
                avg=seconds(0.0871),
            ),
            series("http_req_duration", p95=seconds(0.31)),
            series("smtp_submit_durations", p95=seconds(0.2)),
        ),
        "micro": read(
            "micro",
            ".benchmarks/0001_parse.json",
            series("test_parse_header", source=".benchmarks/0001_parse.json", avg=seconds(31.4e-6)),
            series("test_fold_lines", source=".benchmarks/0001_parse.json", avg=seconds(2e-6)),
        ),
        "micro-main": read(  # the base branch's run: test_fold_lines is new in this one
            "micro-main",
            "baseline/0001_parse.json",
            series("test_parse_header", source="baseline/0001_parse.json", avg=seconds(30.0e-6)),
        ),
        "lint": read(  # main's finding moved down two lines, and a new one
            "lint",
            "reports/ruff.sarif",
            finding("S602", "src/scale/pool.py", 42, "error", "reports/ruff.sarif"),
            finding("PLR0913", "src/scale/pool.py", 12, source="reports/ruff.sarif"),
            finding("D100", "src/scale/pool.py", 1, "note", "reports/ruff.sarif"),
        ),
        "lint-main": read(
            "lint-main",
            "baseline/ruff.sarif",
            finding("S602", "src/scale/pool.py", 40, "error", "baseline/ruff.sarif"),
        ),
    }
    lanes = (AUTH, INGRESS, SCALE, RESILIENCE)
    return Scenario(
        "passing",
        matrix("KMTA", lanes, cells, waivers=waivers, current="bronze"),
        evidence,
    )


def failing() -> Scenario:
    """The enforced gate (Iron) fails on every kind of shortfall; Stone still passes.

    Covers: fail (tests, metric breaking a ms threshold with a value in s, empty selection,
    flaky counted as failed, too many skipped), error (unreadable artifact, statistic the
    series does not report), missing (no file), waived (live waiver), expired waiver.
    """
    cells = (
        Cell("auth", "stone", "Sign outbound mail with DKIM", (
            by_tests("auth", "stone", "dkim-signing", classname=("tests.test_dkim",)),
        )),
        Cell("ingress", "stone", "Use account hot setting to divert traffic", (
            by_metric("ingress", "stone", "divert-p95", "http_req_duration", "p(95) < 100ms",
                   tags={"scenario": "divert"}),
        )),
        Cell("auth", "bronze", "DMARC reports ingested", (
            by_tests("auth", "bronze", "dmarc-ingest", classname=("tests.test_dmarc",), line=42),
        )),
        Cell("ingress", "bronze", "Engagement tracking endpoint", (
            by_tests("ingress", "bronze", "tracking-e2e", "chaos"),
        )),
        Cell("scale", "bronze", "Queue workers scale out", (
            by_tests("scale", "bronze", "autoscale", classname=("tests.test_autoscale",),
                  max_skipped=0, flaky=FlakyPolicy.FAIL),
        )),
        Cell("resilience", "bronze", "Failover drill", (
            by_tests("resilience", "bronze", "failover", classname=("tests.failover.*",)),
        )),
        Cell("ingress", "iron", "New multi-modal traffic splitter", (
            by_metric("ingress", "iron", "splitter-p95", "http_req_duration",
                   "p(95) < 250ms", "avg < 0.2s", tags={"scenario": "splitter"}),
            by_metric("ingress", "iron", "splitter-throughput", "http_reqs", "p(99) < 1s"),
        ), depends_on=("ingress/stone",)),
        Cell("scale", "iron", "2,000 msg/s sustained", (
            by_metric("scale", "iron", "parse-header", "test_parse_header", "mean < 50µs",
                   artifact="micro"),
        )),
    )  # fmt: skip
    waivers = (
        Waiver("ingress/stone/divert-p95", "load rig undersized until the new hosts arrive",
               "jmoody", dt.date(2026, 12, 15)),
        Waiver("auth/bronze/dmarc-ingest", "vendor sandbox down", "akim",
               dt.date(2026, 11, 1)),
    )  # fmt: skip
    evidence = {
        "unit": read(
            "unit",
            "reports/junit/unit.xml",
            case("test_sign_simple"),
            case("test_dmarc_parse", classname="tests.test_dmarc"),
            case(
                "test_dmarc_aggregate",
                TestStatus.FAILED,
                classname="tests.test_dmarc",
                message="KeyError: 'policy_published'\nTraceback (most recent call last):",
            ),
            case("test_scale_out", classname="tests.test_autoscale"),
            case("test_scale_in", classname="tests.test_autoscale", flaky=True),
            case(
                "test_scale_to_zero",
                TestStatus.SKIPPED,
                classname="tests.test_autoscale",
                message="needs cluster",
            ),
            case(
                "test_scale_errors",
                TestStatus.ERROR,
                classname="tests.test_autoscale",
                message="fixture 'cluster' not found",
            ),
        ),
        "k6": read(
            "k6",
            "reports/k6/summary.json",
            series("http_req_duration", tags={"scenario": "divert"}, p95=seconds(0.1413)),
            series(
                "http_req_duration",
                tags={"scenario": "splitter"},
                p95=seconds(1.2),
                avg=seconds(0.1504),
            ),
            Metric(
                "http_reqs",
                {},
                {
                    "count": Quantity(120000, Dimension.COUNT),
                    "rate": Quantity(1998.5, Dimension.THROUGHPUT),
                },
                "counter",
                (),
                "reports/k6/summary.json",
            ),
        ),
        "micro": missing("micro", ".benchmarks/**/*.json"),
        "chaos": broken(
            "chaos",
            "reports/chaos/drill.xml:3:1: not well-formed (invalid token)",
            "reports/chaos/drill-2.xml: the file is empty",
        ),
    }
    lanes = (AUTH, INGRESS, SCALE, RESILIENCE)
    return Scenario(
        "failing", matrix("KMTA", lanes, cells, waivers=waivers, current="iron"), evidence
    )


def no_evidence() -> Scenario:
    """Not one artifact could be read: exit code 3, whatever the cells say."""
    cells = (
        Cell("auth", "stone", "Sign outbound mail with DKIM", (
            by_tests("auth", "stone", "dkim-signing"),
        )),
        Cell("ingress", "stone", "Use account hot setting to divert traffic", (
            by_metric("ingress", "stone", "divert-p95", "http_req_duration", "p(95) < 100ms"),
        )),
    )  # fmt: skip
    evidence = {
        "unit": missing("unit", "reports/junit/*.xml"),
        "k6": broken("k6", "reports/k6/summary.json:1:1: expected a JSON object, found '['"),
    }
    return Scenario(
        "no-evidence",
        matrix("", (AUTH, INGRESS), cells, phases=PHASES[:1]),
        evidence,
    )


INJECTION = "\n::error file=app.py,line=1::pwned"
"""A newline, then a workflow command: what a hostile artifact hopes reaches a CI log."""


def hostile() -> Scenario:
    """Every piece of user text tries Markdown, HTML, mention, ANSI and workflow-command tricks."""
    phases = (
        Phase("stone", "::error::Stone", "theme <!-- hidden -->"),
        Phase("bronze", "Bronze | <b>bold</b>", "@everyone"),
    )
    lanes = (
        Swimlane("evil", "::warning::Lane @everyone <img src=x onerror=alert(1)>"),
        Swimlane("ingress", "Ingress `API`\r::notice::cr"),
    )
    cells = (
        Cell("evil", "stone",
             "Goal | pipe" + INJECTION + " <!-- c --> [x](javascript:alert(1)) @org/team",
             (by_tests("evil", "stone", "tests"),)),
        Cell("evil", "bronze", "Metric \x1b[31mred\x1b[0m ##[error]legacy", (
            by_metric("evil", "bronze", "latency", "::error::metric*", "p(95) < 250ms"),
        )),
        Cell("ingress", "stone", "Unreadable <evidence>", (
            by_tests("ingress", "stone", "e2e", "chaos"),
        )),
        Cell("ingress", "bronze", "Waived | missing", (
            by_metric("ingress", "bronze", "p95", "latency", "p(95) < 1s", artifact="micro"),
        )),
    )  # fmt: skip
    waivers = (
        Waiver("ingress/bronze/p95", "\x1b[31mred\x1b[0m | @everyone\n::set-output name=x::y <!--",
               "@org/team", dt.date(2026, 12, 31)),
        Waiver("evil/bronze/latency", "##[error]expired `rm -rf /` [x](javascript:alert(1))",
               "@everyone\n::error::approver", dt.date(2026, 1, 1)),
    )  # fmt: skip
    source = "reports/<script>alert(1)</script>.xml"
    evidence = {
        "unit": read(
            "unit",
            source,
            case(
                "test_pipe|cell" + INJECTION,
                TestStatus.FAILED,
                suite="suite <!-- s --> @everyone",
                classname="[x](javascript:alert(1))",
                message="`whoami` <script>alert(1)</script> ##[warning]legacy"
                "\n::set-output name=x::y",
                source=source,
            ),
            case(
                "test_ansi\x1b[31mRED\x1b[0m\r::notice::cr",
                TestStatus.ERROR,
                classname="",
                suite="::error::suite",
                source=source,
                message="\x1b]8;;https://evil.example\x07click\x1b]8;;\x07 \x9b31m c1",
            ),
            case(
                "test_bidi_\u202eexe.txt\u2028::error::ls",
                TestStatus.FAILED,
                classname="@org/team",
                message="\u2029::error::ps",
                source=source,
            ),
        ),
        "k6": read(
            "k6",
            "k6/<b>summary</b>.json",
            series("::error::metric\x1b[2J", source="\n::error::k6/summary.json", p95=seconds(0.3)),
        ),
        "micro": missing("micro", "reports/*|<x>.json" + INJECTION),
        "chaos": broken("chaos", "reports/x.xml\n::error::injected: line 1: <script> ##[error]"),
    }
    project = "Acme <script>alert('p')</script> | @everyone `x` ##[error]project\n::error::p"
    return Scenario(
        "hostile", matrix(project, lanes, cells, waivers=waivers, phases=phases), evidence
    )


def pull_request() -> Scenario:
    """The failing scenario's evidence on a pull request: Stone is achieved and holds, the
    branch declares Iron work while the Bronze gate fails, and Bronze's progress is reported.
    The branch name (a fork's author picks it) and a changed path try Markdown and mentions."""
    base = failing()
    paths = {"auth": ("src/dkim/**",), "ingress": ("src/ingress/**", "api/*.proto")}
    lanes = tuple(
        dataclasses.replace(lane, paths=paths.get(lane.id, ())) for lane in base.matrix.swimlanes
    )
    pr_matrix = dataclasses.replace(
        base.matrix, swimlanes=lanes, current=None,
        pull_requests=PullRequestRules("phase:{phase}", "phase/{phase}/"),
    )  # fmt: skip
    declared = declarations(pr_matrix, ["phase:bronze"], "phase/iron/<img src=x>@everyone|x")
    policy = pull_request_policy(
        pr_matrix, "bronze", "the phase tags reachable from 0123456789ab", declared
    )
    changed = [
        "src/ingress/splitter.py", "src/ingress/hot/setting.py", "api/submit.proto",
        "src/dkim/sign.py", "docs/<b>x</b>|y.md",
    ]  # fmt: skip
    return Scenario("pull-request", pr_matrix, base.evidence, policy, touched(pr_matrix, changed))


def signoff() -> Scenario:
    """Sign-offs (issue 16) judged from the facts the GitHub API gave: one met, one whose
    record changed after the approval, one whose team membership cannot be read."""
    operations = Swimlane("ops", "Managed Configuration")

    def bench(ident: str, record: str) -> Benchmark:
        return Benchmark(ident, "ops", "stone", SignoffCriterion(("@alice", "@acme/sre"), record))

    cells = (
        Cell("ops", "stone", "Runbooks reviewed", (
            bench("failover-runbook", "signoffs/failover.md"),
            bench("restore-runbook", "signoffs/restore.md"),
            bench("config-review", "signoffs/config.md"),
        )),
    )  # fmt: skip
    head, merged, first, last = "e0" * 20, "d0" * 20, "c1" * 20, "c3" * 20
    at = "2026-11-20T10:00:00Z"

    def found(path: str, *reviews: Review, members: tuple[TeamMember, ...] = ()) -> SignoffRecord:
        return SignoffRecord(path, head, RecordState.FOUND, "", merged, 7, "carol", last,
                             reviews, members)  # fmt: skip

    records = {
        "signoffs/failover.md": found("signoffs/failover.md",
                                      Review("alice", "APPROVED", at, last, True)),
        "signoffs/restore.md": found("signoffs/restore.md",
                                     Review("alice", "APPROVED", at, first, False)),
        "signoffs/config.md": found(
            "signoffs/config.md", Review("dave", "APPROVED", at, last, True),
            members=(TeamMember("acme/sre", "dave", Membership.UNREADABLE,
                                "HTTP 403: Resource not accessible by integration"),),
        ),
    }  # fmt: skip
    return Scenario(
        "signoff",
        matrix("KMTA", (operations,), cells, phases=PHASES[:1]),
        {},
        signoffs=SignoffEvidence("bundle", records),
    )


def _dated(evidence: ArtifactEvidence, days_before: float | None) -> ArtifactEvidence:
    """``evidence`` whose files record a measurement ``days_before`` TODAY's start (None:
    no recorded time)."""
    start = dt.datetime.combine(TODAY, dt.time(), dt.timezone.utc)
    when = None if days_before is None else start - dt.timedelta(days=days_before)
    files = tuple(dataclasses.replace(f, measured_at=when) for f in evidence.files)
    return dataclasses.replace(evidence, files=files)


def stale() -> Scenario:
    """Evidence that expires, on a pull request: Stone is achieved, its quarterly failover
    drill is 41 days old against max_age 30d (due, not blocking), its unit tests are fresh
    against their artifact's max_age 7d; Bronze's benchmark reads a file with no recorded
    time (missing, reported only)."""
    drill = dataclasses.replace(
        by_tests("resilience", "stone", "failover-drill", "chaos", name=("test_failover",)),
        max_age=parse_max_age("30d"),
    )
    cells = (
        Cell("auth", "stone", "DKIM signing", (by_tests("auth", "stone", "dkim-unit"),)),
        Cell("resilience", "stone", "Failover drill each quarter", (drill,)),
        Cell("resilience", "bronze", "Latency budget",
             (dataclasses.replace(by_metric("resilience", "bronze", "p95", "http_req_duration",
                                            "p(95) < 500ms"), max_age=parse_max_age("48h")),)),
    )  # fmt: skip
    base = matrix("Acme", (AUTH, RESILIENCE), cells)
    artifacts = dict(base.artifacts)
    artifacts["unit"] = dataclasses.replace(artifacts["unit"], max_age=parse_max_age("7d"))
    pr_matrix = dataclasses.replace(base, artifacts=artifacts)
    evidence = {
        "unit": _dated(read("unit", "junit/unit.xml", case("test_sign")), 2),
        "chaos": _dated(
            read(
                "chaos",
                "chaos/drill.xml",
                case("test_failover", classname="drill", source="reports/chaos/drill.xml"),
            ),
            41.25,
        ),
        "k6": _dated(
            read("k6", "k6/summary.json", series("http_req_duration", p95=seconds(0.3))), None
        ),
    }
    policy = pull_request_policy(pr_matrix, "bronze", "current: bronze in gatekeeper.yml")
    return Scenario("stale", pr_matrix, evidence, policy)


def _pushes(report: Report) -> list[bytes]:
    """Eight earlier pushes of the passing scenario, a week apart from 2026-10-01, as history
    lines: track-latency's p(95) rising past its limit once (that push fails Bronze), a push
    that measured nothing, the first two before Bronze's gate passed."""
    p95 = (0.182, 0.19, None, 0.205, 0.262, 0.231, 0.224, 0.215)
    worst = (1.1, 1.15, None, 1.3, 1.9, 1.4, 1.25, 1.2)
    parse = (3.3e-5, 3.2e-5, 3.3e-5, 3.1e-5, 3.0e-5, 3.2e-5, 3.1e-5, 3.15e-5)
    start = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.timezone.utc)
    lines = []
    for i in range(8):
        when = start + dt.timedelta(days=7 * i)
        sha = f"{i + 1:x}{'5e1f' * 10}"[:40]
        run = f"https://github.com/o/r/actions/runs/{100 + i}"
        line = from_report(report, "passed", commit=sha, key=f"{sha}:{100 + i}:1", when=when,
                           ref="refs/heads/main", run_url=run)  # fmt: skip
        values = {"p(95) < 250ms": p95[i], "max < 2s": worst[i], "mean < 50µs": parse[i]}
        for bench in line["benchmarks"]:
            for point in bench["points"]:
                if point["threshold"] in values:
                    value = values[point["threshold"]]
                    shown = "" if value is None else format_value(value, Dimension.TIME)
                    ok = value is not None and value < point["limit"]
                    point.update(value=value, actual=shown, ok=ok)
            if not all(p["ok"] for p in bench["points"]):
                bench["outcome"] = "fail" if bench["points"][0]["value"] is not None else "missing"
        failed = any(b["outcome"] in ("fail", "missing") for b in line["benchmarks"]
                     if b["ref"].split("/")[1] == "bronze")  # fmt: skip
        for phase in line["phases"]:
            if phase["id"] == "bronze" and (failed or i < 2):
                phase["gate"] = "failed"
        line["stands_at"] = "stone" if failed or i < 2 else "bronze"
        lines.append(dumps(line).encode())
    return [*lines[:5], b'{"history_version": 2}', *lines[5:]]


def with_history() -> Scenario:
    """The passing scenario with a history: the page's phase timeline (Stone by its tag,
    Bronze by its gate, Iron not reached), a line of history it cannot read, and its trend
    charts (limits, a failing point, a gap, this run as the newest point)."""
    scenario = passing()
    found = build(read_lines("history/2026-10.jsonl", _pushes(scenario.report)))
    tag = TagMark("stone", "phase/stone", dt.datetime(2026, 9, 20, 16, 0, tzinfo=dt.timezone.utc),
                  "0f" * 20)  # fmt: skip
    assert moment(found.evaluations[0].date) == "2026-10-01T09:30:00Z"
    return dataclasses.replace(scenario, name="history", history=found, tags=(tag,))


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "stale": stale,
    "passing": passing,
    "failing": failing,
    "pull-request": pull_request,
    "no-evidence": no_evidence,
    "hostile": hostile,
    "signoff": signoff,
    "history": with_history,
}


def _render(fmt: str, color: bool = False) -> Callable[[Report, RenderOptions], str]:
    def render(report: Report, options: RenderOptions) -> str:
        return REPORTERS[fmt](report, dataclasses.replace(options, color=color))

    return render


OUTPUTS: dict[str, Callable[[Report, RenderOptions], str]] = {
    "terminal.txt": _render("terminal"),
    "terminal-color.txt": _render("terminal", color=True),
    "report.md": _render("markdown"),
    "report.json": _render("json"),
    "report.html": _render("html"),
    "badge.svg": _render("badge"),
}
"""Golden file name -> how it is rendered."""


def render_all(scenario: Scenario) -> dict[str, str]:
    """Every golden output of one scenario, by file name."""
    report = scenario.report
    options = RenderOptions(scenario.exit_code, history=scenario.history, tags=scenario.tags)
    return {name: render(report, options) for name, render in OUTPUTS.items()}
