"""Test criteria: select test cases, count them, hold them to the pass rate."""

from __future__ import annotations

import json

from gatekeeper.evidence import ArtifactEvidence, TestResult, TestStatus
from gatekeeper.model import FlakyPolicy, TestCriterion
from gatekeeper.results import Outcome
from gatekeeper.tally import Selection, select

MAX_DETAIL_TESTS = 20
"""Failing tests named in a result's details; failed_tests keeps more (MAX_FAILED_KEPT)."""

Verdict = tuple[Outcome, str, tuple[str, ...], tuple[TestResult, ...]]


def test_id(test: TestResult) -> str:
    """How a test is named in reports: classname::name (or suite::name)."""
    owner = test.classname or test.suite
    return f"{owner}::{test.name}" if owner else test.name


def _describe(test: TestResult) -> str:
    label = f"{test.status.value}: {test_id(test)}"
    if test.flaky and test.status is TestStatus.PASSED:
        label = f"flaky (passed on rerun): {test_id(test)}"
    if test.message:
        label += f" — {test.message.splitlines()[0][:200]}"
    return label


def evaluate_tests(criterion: TestCriterion, evidence: ArtifactEvidence) -> Verdict:
    """Outcome, summary, detail lines and the tests that count against it (the first
    ``tally.MAX_FAILED_KEPT``), from the selection counted as the evidence was read, or
    else from the tests it holds."""
    found = evidence.selections.get(criterion)
    if found is None:
        found = select(criterion, evidence.tests)
    summary = f"{found.run - found.failed}/{found.run} tests passed"
    if found.skipped:
        summary += f", {found.skipped} skipped"
    if found.flaky:
        counted = "counted as failed" if criterion.flaky is FlakyPolicy.FAIL else "passed on rerun"
        summary += f", {found.flaky} flaky ({counted})"
    details = tuple(_describe(t) for t in found.failing[:MAX_DETAIL_TESTS])
    if found.failed > MAX_DETAIL_TESTS:
        details += (f"… and {found.failed - MAX_DETAIL_TESTS} more",)
    problems = []
    if not found.matched:
        files = ", ".join(f.path for f in evidence.files)
        problems.append(f"the selection matched no test in {files}{_hint(found)}")
    elif found.run < criterion.min_count:
        problems.append(f"{found.run} run tests matched; at least {criterion.min_count} required")
    if criterion.max_skipped is not None and found.skipped > criterion.max_skipped:
        problems.append(f"at most {criterion.max_skipped} skipped allowed")  # the count: above
    passed = found.run - found.failed
    if found.run and passed < criterion.pass_rate * found.run - 1e-9:
        rate = 100 * passed / found.run
        problems.append(f"pass rate {rate:.4g}% < required {100 * criterion.pass_rate:.4g}%")
    if problems:
        return Outcome.FAIL, f"{summary}: {'; '.join(problems)}", details, found.failing
    return Outcome.PASS, summary, details, found.failing


def _hint(found: Selection) -> str:
    """For a selection that matched nothing: the names close to each key that matches no
    test on its own (when every key matches some test, only their combination is wrong)."""
    hints = []
    for key, close in found.close:
        if close:
            hints.append(f"{key}: {' or '.join(json.dumps(c, ensure_ascii=False) for c in close)}")
    return f" (did you mean {'; '.join(hints)}?)" if hints else ""
