"""Read a matrix file: YAML -> schema and rule checks -> typed ``Matrix``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gatekeeper.durations import parse_duration
from gatekeeper.errors import Position
from gatekeeper.freshness import MaxAge, parse_max_age
from gatekeeper.matrix.problems import MatrixError, Problem
from gatekeeper.matrix.rules import rule_problems
from gatekeeper.matrix.schema import schema_problems
from gatekeeper.matrix.yamlpos import Located, load_yaml
from gatekeeper.model import (
    DEFAULT_SERVER,
    PAIRED_CONFIDENCE,
    QUERY_FORMAT,
    Artifact,
    Baseline,
    BaselineRuns,
    Benchmark,
    Cell,
    Criterion,
    FindingsBaseline,
    FindingsCriterion,
    FlakyPolicy,
    LiveQuery,
    Matrix,
    MetricCriterion,
    Phase,
    PullRequestRules,
    RunChoice,
    SignoffCriterion,
    Swimlane,
    TestCriterion,
    Waiver,
)
from gatekeeper.selector import parse_metric_selector
from gatekeeper.threshold import parse_change, parse_threshold


def _globs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _rate(value: Any) -> float:
    if value is None:
        return 1.0
    text = str(value).rstrip("%")
    return float(text) / 100


def _criterion(bench: dict[str, Any]) -> Criterion:
    if "tests" in bench:
        tests = bench["tests"]
        return TestCriterion(
            artifact=tests["from"],
            suite=_globs(tests.get("suite")),
            classname=_globs(tests.get("class")),
            name=_globs(tests.get("name")),
            file=_globs(tests.get("file")),
            pass_rate=_rate(tests.get("pass_rate")),
            min_count=tests.get("min", 1),
            max_skipped=tests.get("max_skipped"),
            flaky=FlakyPolicy(tests.get("flaky", "pass")),
        )
    if "signoff" in bench:
        signoff = bench["signoff"]
        return SignoffCriterion(tuple(signoff["by"]), signoff["record"])
    if "findings" in bench:
        return _findings(bench["findings"], bench.get("baseline"))
    metric = bench["metric"]
    name, tags = parse_metric_selector(metric["name"])
    baseline = bench.get("baseline")
    return MetricCriterion(
        artifact=metric["from"],
        name=name,
        tags=tags,
        thresholds=tuple(parse_threshold(t) for t in _globs(bench.get("threshold"))),
        baseline=None
        if baseline is None
        else Baseline(
            baseline.get("from", metric["from"]),
            tuple(parse_change(c) for c in _globs(baseline["max_change"])),
            _confidence(baseline.get("confidence"), baseline.get("paired", False)),
            baseline.get("paired", False),
            _drift(baseline.get("drift")),
            merge_base="from" not in baseline,
        ),
        expect_failures=metric.get("expect_failures", False),
    )


def _drift(value: Any) -> float | None:
    """``"15%"`` as 0.15 (the schema holds the spelling)."""
    return None if value is None else float(str(value).strip().rstrip("%")) / 100


def _confidence(value: Any, paired: bool) -> float | None:
    if value is None:
        return PAIRED_CONFIDENCE if paired else None
    return float(value)


def _findings(findings: dict[str, Any], baseline: dict[str, Any] | None) -> FindingsCriterion:
    limit = findings.get("max", 0 if baseline is None else None)  # a baseline limits new ones
    return FindingsCriterion(
        artifact=findings["from"],
        level=findings.get("level", "note"),
        file=_globs(findings.get("file")),
        rule=_globs(findings.get("rule")),
        tool=_globs(findings.get("tool")),
        severity=findings.get("severity"),
        max=limit,
        baseline=None
        if baseline is None
        else FindingsBaseline(
            baseline.get("from", findings["from"]), baseline["max_new"], "from" not in baseline
        ),
        expect_failures=findings.get("expect_failures", False),
    )


def _max_age(value: Any) -> MaxAge | None:
    return None if value is None else parse_max_age(value)


def _artifact(key: str, data: dict[str, Any]) -> Artifact:
    max_age = _max_age(data.get("max_age"))
    if "query" in data:  # its max_age holds the answer's evaluation time to it
        return Artifact(
            key, data.get("format", QUERY_FORMAT), (), max_age=max_age, query=_live_query(data)
        )
    shards = data.get("shards")
    if isinstance(shards, dict):  # {count, name, first}: shards told apart by their files' names
        return Artifact(
            key, data.get("format", "auto"), _globs(data["paths"]), shards["count"],
            shards["name"], shards.get("first", 1), max_age,
        )  # fmt: skip
    return Artifact(key, data.get("format", "auto"), _globs(data["paths"]), shards, max_age=max_age)


def _live_query(data: dict[str, Any]) -> LiveQuery:
    window = data.get("window")
    return LiveQuery(
        promql=data["query"],
        time=data.get("time", "now"),
        range=None if window is None else parse_duration(window["range"]),
        step=None if window is None else parse_duration(window["step"]),
        timeout=parse_duration(data.get("timeout", "10s")),
        server=data.get("server", DEFAULT_SERVER),
    )


def build(located: Located) -> Matrix:
    """Typed matrix from data that passed the schema and the rules."""
    data = located.data
    cells = []
    for lane_index, lane in enumerate(data["swimlanes"]):
        for phase, cell in lane["cells"].items():
            benchmarks = tuple(
                Benchmark(
                    id=b["id"],
                    swimlane=lane["id"],
                    phase=phase,
                    criterion=_criterion(b),
                    description=b.get("description", ""),
                    line=located.position(
                        ("swimlanes", lane_index, "cells", phase, "benchmarks", i)
                    ).line,
                    max_age=_max_age(b.get("max_age")),
                )
                for i, b in enumerate(cell["benchmarks"])
            )
            cells.append(
                Cell(lane["id"], phase, cell["goal"], benchmarks, tuple(cell.get("depends_on", ())))
            )
    return Matrix(
        path=located.file,
        project=data.get("project", ""),
        phases=tuple(Phase(p["id"], p["name"], p.get("theme", "")) for p in data["phases"]),
        swimlanes=tuple(
            Swimlane(s["id"], s["name"], _globs(s.get("paths"))) for s in data["swimlanes"]
        ),
        cells=tuple(cells),
        artifacts={key: _artifact(key, a) for key, a in data["artifacts"].items()},
        waivers=tuple(
            Waiver(
                w["benchmark"], w["reason"], w["approved_by"], dt.date.fromisoformat(w["expires"])
            )
            for w in data.get("waivers", ())
        ),
        current=data.get("current"),
        phase_tags=data.get("phase_tags", "phase/{phase}"),
        pull_requests=_pull_request_rules(data.get("pull_requests", {})),
        baselines=_baseline_runs(data.get("baselines", {})),
    )


def _baseline_runs(data: dict[str, Any]) -> BaselineRuns:
    pin = data.get("pin")
    return BaselineRuns(
        tuple(RunChoice(e["run"], e["reason"]) for e in data.get("exclude", ())),
        None if pin is None else RunChoice(pin["run"], pin["reason"]),
    )


def _pull_request_rules(data: dict[str, Any]) -> PullRequestRules:
    block = data.get("current_phase", "report") == "block"
    stale = data.get("stale", "due") == "block"
    if "next_phase" not in data:  # the default convention: a phase:<id> label
        return PullRequestRules(block_on_current=block, block_on_stale=stale)
    declared = data["next_phase"]
    return PullRequestRules(declared.get("label"), declared.get("branch"), block, stale)


def parse_matrix(raw: bytes, file: str) -> Matrix:
    """Validate and build; raise MatrixError listing every problem."""
    located = load_yaml(raw, file)
    if not isinstance(located.data, dict):
        raise MatrixError([Problem(Position(file, 1, 1), (), "the matrix file must be a mapping")])
    problems = schema_problems(located) + rule_problems(located)
    if problems:
        unique = {str(p): p for p in problems}  # a rule may restate a schema finding
        raise MatrixError(sorted(unique.values(), key=_order))
    return build(located)


def _order(problem: Problem) -> tuple[int, int]:
    return problem.position.line or 0, problem.position.column or 0


def read_matrix(path: Path, display: str | None = None) -> Matrix:
    """Read and parse the matrix file at ``path``."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise MatrixError([Problem(Position(shown), (), f"cannot read: {reason}")]) from exc
    return parse_matrix(raw, shown)
