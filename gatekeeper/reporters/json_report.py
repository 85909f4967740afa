"""The machine-readable report; its shape is schemas/report.schema.json."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from gatekeeper import __version__
from gatekeeper.baselines import BaselineEvidence
from gatekeeper.evidence import Finding, QueryRecord, TestResult
from gatekeeper.model import FindingsCriterion, MetricCriterion, SignoffCriterion, TestCriterion
from gatekeeper.reporters.common import RenderOptions, verdict
from gatekeeper.results import (
    BenchmarkResult,
    FoundFindings,
    Freshness,
    Measurement,
    Report,
    Sampled,
)
from gatekeeper.units import Dimension, Quantity

REPORT_VERSION = 1
BASE_UNITS: dict[Dimension, str] = {
    Dimension.TIME: "s", Dimension.RATIO: "1", Dimension.THROUGHPUT: "1/s",
    Dimension.SIZE: "B", Dimension.DATA_RATE: "B/s", Dimension.COUNT: "1", Dimension.NUMBER: "",
}  # fmt: skip
"""The unit every number of a dimension is given in: seconds, a fraction (0.01 is 1 %), per
second, bytes, bytes per second; a count and a number of the tool's own have none."""
_LOG_UNSAFE = re.compile(
    "##\\[|[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _numbers(measured: Measurement) -> dict[str, Any]:
    """The measurement as numbers a program reads: the value (and the threshold's limit, or
    the baseline and the change) in the base unit of its dimension, unrounded."""
    value = measured.value
    numbers: dict[str, Any] = {
        "value": _number(value),
        "dimension": value.dimension.value if value else None,
        "unit": BASE_UNITS[value.dimension] if value else None,
        "limit": _number(measured.limit),
        "baseline": _number(measured.baseline),
        "change": measured.change,
        "allowed_change": measured.allowed_change,
        "change_unit": measured.change_unit.value if measured.change_unit else None,
        **_sampled(measured.sampled),
    }
    return numbers


def _sampled(sampled: Sampled | None) -> dict[str, Any]:
    """How a comparison at a confidence was judged: all null for any other measurement."""
    if sampled is None:
        return dict.fromkeys(("method", "confidence", "interval", "p_value", "samples", "paired"))
    interval = sampled.interval
    return {
        "method": sampled.method.value,
        "confidence": sampled.confidence,
        # an end the samples cannot bound (-100 %, infinity) is null: JSON has no infinity
        "interval": None if interval is None else [_finite(interval[0]), _finite(interval[1])],
        "p_value": sampled.p_value,
        "samples": {"base": sampled.base_samples, "head": sampled.head_samples},
        "paired": sampled.paired,
    }


def _finite(change: float) -> float | None:
    return change if -1 < change < math.inf else None


def _number(quantity: Quantity | None) -> float | None:
    return None if quantity is None else quantity.value


def _test(test: TestResult) -> dict[str, Any]:
    return {
        "suite": test.suite,
        "class": test.classname,
        "name": test.name,
        "file": test.file,
        "line": test.line,
        "status": test.status.value,
        "flaky": test.flaky,
        "message": test.message,
        "source": test.source,
    }


MAX_FINDINGS_LISTED = 500
"""Findings a benchmark lists (the counts count them all), as failed tests are capped."""


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "tool": finding.tool,
        "rule": finding.rule,
        "level": finding.level,
        "file": finding.file or None,
        "line": finding.line,
        "message": finding.message,
        "severity": finding.severity,
        "source": finding.source,
    }


def _found(found: FoundFindings | None) -> dict[str, Any] | None:
    """A findings benchmark's counts: in all, by level, rule, tool and file, and new."""
    if found is None:
        return None
    against = found.against

    def by(key: Callable[[Finding], str]) -> dict[str, int]:
        return dict(sorted(Counter(key(f) for f in found.counted).items()))

    return {
        "counted": len(found.counted),
        "suppressed": found.suppressed,
        "new": None if found.new is None else len(found.new),
        "by_level": by(lambda f: f.level),
        "by_rule": by(lambda f: f.rule),
        "by_tool": by(lambda f: f.tool),
        "by_file": by(lambda f: f.file),
        "listed": [_finding(f) for f in against[:MAX_FINDINGS_LISTED]],
    }


def _source(merge_base: bool) -> str:
    return "baseline evidence" if merge_base else "artifact"


def _baseline_evidence(found: BaselineEvidence | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "kind": found.kind,
        "description": found.description,
        "reason": found.reason,
        "commit": found.commit,
        "run_id": found.run_id,
        "merge_base": found.merge_base,
        "distance": found.distance,
        "files": list(found.files),
        "skipped": list(found.skipped),
        "artifacts": sorted(k for k, a in found.artifacts.items() if a.files),
    }


def _signoff(result: BenchmarkResult, criterion: SignoffCriterion) -> dict[str, Any]:
    approval = result.signoff
    return {
        "kind": "signoff",
        "signoff": {
            "by": list(criterion.by),
            "record": criterion.record,
            "approval": None
            if approval is None
            else {
                "approver": approval.approver,
                "submitted_at": approval.submitted_at,
                "pull_request": approval.pull,
                "commit": approval.commit,
                "changed_in": approval.changed_in,
                "source": approval.source,
            },
        },
    }


def _benchmark(result: BenchmarkResult) -> dict[str, Any]:
    bench = result.benchmark
    criterion = bench.criterion
    selector: dict[str, Any]
    if isinstance(criterion, SignoffCriterion):
        selector = _signoff(result, criterion)
    elif isinstance(criterion, TestCriterion):
        selector = {"kind": "tests", "artifact": criterion.artifact}
    elif isinstance(criterion, FindingsCriterion):
        selector = {
            "kind": "findings",
            "artifact": criterion.artifact,
            "findings": {
                "level": criterion.level,
                "severity": criterion.severity,
                "tool": list(criterion.tool),
                "rule": list(criterion.rule),
                "file": list(criterion.file),
                "max": criterion.max,
            },
            "baseline": None
            if criterion.baseline is None
            else {
                "artifact": criterion.baseline.artifact,
                "source": _source(criterion.baseline.merge_base),
                "max_new": criterion.baseline.max_new,
            },
            "found": _found(result.findings),
        }
    else:
        assert isinstance(criterion, MetricCriterion)
        selector = {
            "kind": "metric",
            "artifact": criterion.artifact,
            "metric": criterion.selector,
            "thresholds": [t.text for t in criterion.thresholds],
            "baseline": None
            if criterion.baseline is None
            else {
                "artifact": criterion.baseline.artifact,
                "source": _source(criterion.baseline.merge_base),
                "max_change": [c.text for c in criterion.baseline.changes],
                "confidence": criterion.baseline.confidence,
                "paired": criterion.baseline.paired,
                "drift": criterion.baseline.drift,
            },
        }
    waiver = result.waiver
    return {
        "id": bench.id,
        "ref": bench.ref,
        "description": bench.description,
        "line": bench.line,
        **selector,
        "outcome": result.outcome.value,
        "underlying": result.underlying.value if result.underlying else None,
        "summary": result.summary,
        "details": list(result.details),
        "measurements": [
            {
                "series": m.series,
                "source": m.source,
                "threshold": m.threshold,
                "actual": m.actual,
                "ok": m.ok,
                **_numbers(m),
            }
            for m in result.measurements
        ],
        "failed_tests": [_test(t) for t in result.failed_tests],
        "waiver": None
        if waiver is None
        else {
            "reason": waiver.reason,
            "approved_by": waiver.approved_by,
            "expires": waiver.expires.isoformat(),
        },
        "age": _age(result.freshness),
    }


def _moment(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def _age(freshness: Freshness | None) -> dict[str, Any] | None:
    if freshness is None:
        return None
    age = freshness.age
    return {
        "max_age": freshness.max_age.text,
        "max_age_seconds": int(freshness.max_age.span.total_seconds()),
        "measured_at": _moment(freshness.measured_at),
        "age_seconds": None if age is None else age.total_seconds(),
        "stale": freshness.stale,
    }


def _policy(report: Report) -> dict[str, Any]:
    policy = report.policy
    return {
        "kind": "pull-request" if policy.pull_request else "gate",
        "achieved": policy.achieved,
        "working": policy.working,
        "standing_from": policy.standing_from,
        "declarations": [{"phase": d.phase, "source": d.source} for d in policy.declarations],
    }


def to_dict(report: Report, exit_code: int) -> dict[str, Any]:
    matrix = report.matrix
    return {
        "report_version": REPORT_VERSION,
        "gatekeeper_version": __version__,
        "project": matrix.project,
        "matrix": matrix.path,
        "date": report.today.isoformat(),
        "as_of": _moment(report.as_of),
        "enforced_phase": report.enforced,
        "stands_at": report.stands_at,
        "verdict": verdict(report, exit_code),
        "exit_code": exit_code,
        "phases": [
            {
                "id": gate.phase.id,
                "name": gate.phase.name,
                "theme": gate.phase.theme,
                "gate": "passed" if gate.passed else "failed",
                "blocking_cells": list(gate.blocking),
            }
            for gate in report.gates
        ],
        "policy": _policy(report),
        "rules": [
            {
                "kind": r.rule.kind.value,
                "phase": r.rule.phase,
                "blocking": r.rule.blocking,
                "reason": r.rule.reason,
                "passed": r.passed,
                "blocking_cells": list(r.blocking_cells),
                "due": list(r.due),
            }
            for r in report.rules
        ],
        "changes": None
        if report.changes is None
        else {
            "files": report.changes.files,
            "touched": [{"swimlane": lane, "files": n} for lane, n in report.changes.touched],
            "outside": report.changes.outside,
        },
        "baseline_evidence": _baseline_evidence(report.baseline),
        "swimlanes": [
            {"id": s.id, "name": s.name, "paths": list(s.paths)} for s in matrix.swimlanes
        ],
        "cells": [
            {
                "swimlane": c.cell.swimlane,
                "phase": c.cell.phase,
                "goal": c.cell.goal,
                "state": c.state.value,
                "depends_on": list(c.cell.depends_on),
                "benchmarks": [_benchmark(b) for b in c.benchmarks],
            }
            for c in report.cells
        ],
        "artifacts": [
            {
                "id": a.artifact,
                "format": matrix.artifacts[a.artifact].format,
                "state": a.state.value,
                "patterns": list(a.patterns),
                "files": [
                    {
                        "path": f.path,
                        "format": f.format,
                        "tests": f.test_count,
                        "metrics": len(f.metrics),
                        **_query(f.query),
                    }
                    for f in a.files
                ],
                "errors": list(a.errors),
            }
            for a in report.artifacts.values()
        ],
        "waivers": [
            {
                "benchmark": w.benchmark,
                "reason": w.reason,
                "approved_by": w.approved_by,
                "expires": w.expires.isoformat(),
                "expired": report.today > w.expires,
            }
            for w in matrix.waivers
        ],
    }


def _query(query: QueryRecord | None) -> dict[str, Any]:
    """What a live query asked and was answered; all null for a file."""
    return {
        "query": None if query is None else query.query,
        "query_server": None if query is None else query.server,
        "query_time": None if query is None else query.time,
        "query_range": None if query is None else query.range,
        "query_step": None if query is None else query.step,
        "query_response": None if query is None else query.response,
    }


def _escape(match: re.Match[str]) -> str:
    found = match.group()
    return "##\\u005b" if found == "##[" else f"\\u{ord(found):04x}"


def log_safe(text: str) -> str:
    """JSON that stays data when printed to a CI log (``--format json``): no ``##[cmd]``
    workflow command, no C1 control (a terminal may obey one), no line or text-direction
    separator. Only string contents can match, and a JSON parser reads the same values back."""
    return _LOG_UNSAFE.sub(_escape, text)


def render(report: Report, options: RenderOptions) -> str:
    text = json.dumps(to_dict(report, options.exit_code), indent=2, ensure_ascii=False)
    return log_safe(text) + "\n"
