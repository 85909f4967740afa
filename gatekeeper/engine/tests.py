"""Test criteria: select test cases, count them, hold them to the pass rate."""

from __future__ import annotations

import json

from gatekeeper.evidence import ArtifactEvidence, TestResult, TestStatus
from gatekeeper.model import FlakyPolicy, TestCriterion
from gatekeeper.results import Outcome
from gatekeeper.selector import did_you_mean, matches_any

MAX_DETAIL_TESTS = 20
"""Failing tests named in a result's details; all of them stay in failed_tests."""

Verdict = tuple[Outcome, str, tuple[str, ...], tuple[TestResult, ...]]


def _keys(criterion: TestCriterion) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(matrix key, TestResult field, selectors) for each selector key a test criterion has."""
    return (
        ("suite", "suite", criterion.suite),
        ("class", "classname", criterion.classname),
        ("name", "name", criterion.name),
        ("file", "file", criterion.file),
    )


def selected(criterion: TestCriterion, test: TestResult) -> bool:
    return all(matches_any(getattr(test, field), globs) for _, field, globs in _keys(criterion))


def _hint(criterion: TestCriterion, tests: tuple[TestResult, ...]) -> str:
    """For a selection that matched nothing: the names close to each key that matches no
    test on its own (when every key matches some test, only their combination is wrong)."""
    hints = []
    for key, field, globs in _keys(criterion):
        values = {getattr(t, field) for t in tests} - {None, ""}
        if globs and not any(matches_any(v, globs) for v in values):
            close = [json.dumps(c, ensure_ascii=False) for c in did_you_mean(globs, values)]
            if close:
                hints.append(f"{key}: {' or '.join(close)}")
    return f" (did you mean {'; '.join(hints)}?)" if hints else ""


def _counts_as_failed(criterion: TestCriterion, test: TestResult) -> bool:
    if test.status in (TestStatus.FAILED, TestStatus.ERROR):
        return True
    return test.flaky and criterion.flaky is FlakyPolicy.FAIL


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
    """Outcome, summary, detail lines and the tests that count against it."""
    matched = [t for t in evidence.tests if selected(criterion, t)]
    skipped = [t for t in matched if t.status is TestStatus.SKIPPED]
    run = [t for t in matched if t.status is not TestStatus.SKIPPED]
    failed = tuple(t for t in run if _counts_as_failed(criterion, t))
    passed = len(run) - len(failed)
    flaky = sum(1 for t in run if t.flaky and t.status is TestStatus.PASSED)
    summary = f"{passed}/{len(run)} tests passed"
    if skipped:
        summary += f", {len(skipped)} skipped"
    if flaky:
        counted = "counted as failed" if criterion.flaky is FlakyPolicy.FAIL else "passed on rerun"
        summary += f", {flaky} flaky ({counted})"
    details = tuple(_describe(t) for t in failed[:MAX_DETAIL_TESTS])
    if len(failed) > MAX_DETAIL_TESTS:
        details += (f"… and {len(failed) - MAX_DETAIL_TESTS} more",)
    problems = []
    if not matched:
        files = ", ".join(f.path for f in evidence.files)
        hint = _hint(criterion, evidence.tests)
        problems.append(f"the selection matched no test in {files}{hint}")
    elif len(run) < criterion.min_count:
        problems.append(f"{len(run)} run tests matched; at least {criterion.min_count} required")
    if criterion.max_skipped is not None and len(skipped) > criterion.max_skipped:
        problems.append(f"{len(skipped)} skipped; at most {criterion.max_skipped} allowed")
    if run and passed < criterion.pass_rate * len(run) - 1e-9:
        rate = 100 * passed / len(run)
        problems.append(f"pass rate {rate:.4g}% < required {100 * criterion.pass_rate:.4g}%")
    if problems:
        return Outcome.FAIL, f"{summary}: {'; '.join(problems)}", details, failed
    return Outcome.PASS, summary, details, failed
