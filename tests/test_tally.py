"""The streamed tally of a test selection against the straightforward list-based judgement.

The reference is the engine's judgement as it was before tallies: every test in a list,
each filtered through every glob, the hint from ``did_you_mean`` over every value. Hypothesis
draws tests (statuses, flaky reruns, suites, classes, names, files from small alphabets so
that selections match, miss and come close) and criteria (globs on each key, pass rate,
minimum, skipped limit, flaky policy); the tally must give the same outcome, summary,
details and failing tests (the first MAX_FAILED_KEPT), also when the values to suggest
from overflow and the close names come from the second pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper import tally
from gatekeeper.collect import collect_artifact
from gatekeeper.engine.tests import MAX_DETAIL_TESTS, _describe, evaluate_tests
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile, TestResult, TestStatus
from gatekeeper.model import Artifact, FlakyPolicy, TestCriterion
from gatekeeper.results import Outcome
from gatekeeper.selector import did_you_mean, matches_any
from tests.parsers.fuzz_budget import budget

WORDS = ("alpha", "alpine", "beta", "betta", "gamma", "a.b", "a[1]", "")
GLOBS = ("alpha", "alp*", "*ta", "b?ta", "gama", "a.*", "a[1]", "*", "zeta", "alphx")

tests_ = st.builds(
    TestResult,
    suite=st.sampled_from(WORDS),
    classname=st.sampled_from(WORDS),
    name=st.sampled_from(WORDS),
    file=st.sampled_from((*WORDS, None)),
    line=st.none(),
    status=st.sampled_from(TestStatus),
    flaky=st.booleans(),
    reruns=st.integers(0, 2),
    message=st.sampled_from((None, "boom", "two\nlines")),
    source=st.just("r.xml"),
)
globs = st.lists(st.sampled_from(GLOBS), max_size=2).map(tuple)
criteria = st.builds(
    TestCriterion,
    artifact=st.just("unit"),
    suite=globs,
    classname=globs,
    name=globs,
    file=globs,
    pass_rate=st.sampled_from((1.0, 0.5, 0.0)),
    min_count=st.integers(0, 3),
    max_skipped=st.sampled_from((None, 0, 2)),
    flaky=st.sampled_from(FlakyPolicy),
)


def _reference(criterion: TestCriterion, tests: list[TestResult]) -> tuple[object, ...]:
    keys = (
        ("suite", "suite", criterion.suite),
        ("class", "classname", criterion.classname),
        ("name", "name", criterion.name),
        ("file", "file", criterion.file),
    )
    matched = [t for t in tests if all(matches_any(getattr(t, f), g) for _, f, g in keys)]
    skipped = [t for t in matched if t.status is TestStatus.SKIPPED]
    run = [t for t in matched if t.status is not TestStatus.SKIPPED]
    failed = tuple(
        t
        for t in run
        if t.status in (TestStatus.FAILED, TestStatus.ERROR)
        or (t.flaky and criterion.flaky is FlakyPolicy.FAIL)
    )
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
        hints = []
        for key, field, written in keys:
            values = {getattr(t, field) for t in tests} - {None, ""}
            if written and not any(matches_any(v, written) for v in values):
                close = [json.dumps(c, ensure_ascii=False) for c in did_you_mean(written, values)]
                if close:
                    hints.append(f"{key}: {' or '.join(close)}")
        hint = f" (did you mean {'; '.join(hints)}?)" if hints else ""
        problems.append(f"the selection matched no test in r.xml{hint}")
    elif len(run) < criterion.min_count:
        problems.append(f"{len(run)} run tests matched; at least {criterion.min_count} required")
    if criterion.max_skipped is not None and len(skipped) > criterion.max_skipped:
        problems.append(f"at most {criterion.max_skipped} skipped allowed")
    if run and passed < criterion.pass_rate * len(run) - 1e-9:
        rate = 100 * passed / len(run)
        problems.append(f"pass rate {rate:.4g}% < required {100 * criterion.pass_rate:.4g}%")
    outcome = Outcome.FAIL if problems else Outcome.PASS
    summary = f"{summary}: {'; '.join(problems)}" if problems else summary
    return outcome, summary, details, failed[: tally.MAX_FAILED_KEPT]


@contextmanager
def limits(characters: int, kept: int) -> Iterator[None]:
    saved = tally._CANDIDATE_CHARACTERS, tally.MAX_FAILED_KEPT, tally._CACHED
    tally._CANDIDATE_CHARACTERS, tally.MAX_FAILED_KEPT, tally._CACHED = characters, kept, 3
    try:
        yield
    finally:
        tally._CANDIDATE_CHARACTERS, tally.MAX_FAILED_KEPT, tally._CACHED = saved


def _evidence(
    tests: list[TestResult], selections: dict[TestCriterion, tally.Selection]
) -> ArtifactEvidence:
    parsed = ParsedFile("r.xml", "junit", (), streamed_tests=len(tests))
    return ArtifactEvidence("unit", ArtifactState.READ, (parsed,), selections=selections)


@pytest.mark.slow
@budget(examples=300)
@given(
    st.lists(tests_, max_size=45),
    criteria,
    st.sampled_from((5, 10**6)),
    st.sampled_from((MAX_DETAIL_TESTS, 500)),
)
def test_the_tally_judges_as_the_whole_list_does(
    tests: list[TestResult], criterion: TestCriterion, characters: int, kept: int
) -> None:
    with limits(characters, kept):
        expected = _reference(criterion, tests)
        counted = tally.Tally(criterion)
        tally.tally_all([counted], lambda: tests)  # streamed: a second pass when it overflows
        streamed = evaluate_tests(criterion, _evidence(tests, {criterion: counted.result()}))
        in_memory = evaluate_tests(
            criterion,
            ArtifactEvidence(
                "unit", ArtifactState.READ, (ParsedFile("r.xml", "junit", tuple(tests)),)
            ),
        )
    assert streamed == expected
    assert in_memory == expected


def test_check_streams_a_report_and_judges_as_the_list_does(tmp_path: Path) -> None:
    """Through collect: the hint pass re-reads the file when the names overflow."""
    cases = "".join(
        f'<testcase classname="pkg.C{i % 7}" name="test_{i}" file="t/f{i % 3}.py">'
        + ("<failure message='no'/>" if i % 5 == 0 else "")
        + "</testcase>"
        for i in range(300)
    )
    (tmp_path / "r.xml").write_text(f"<testsuite name='s'>{cases}</testsuite>")
    chosen = [
        TestCriterion("unit", classname=("pkg.C1",), pass_rate=0.5),
        TestCriterion("unit", name=("test_1999",)),
        TestCriterion("unit", file=("t/f9.py",), name=("test_2*",)),
        TestCriterion("unit", suite=("S",), flaky=FlakyPolicy.FAIL),
    ]
    artifact = Artifact("unit", "junit", ("r.xml",))
    whole = collect_artifact(artifact, tmp_path)
    assert len(whole.tests) == 300
    for characters in (10**6, 40):
        with limits(characters, 500):
            streamed = collect_artifact(artifact, tmp_path, criteria=tuple(chosen))
        assert streamed.tests == () and streamed.files[0].test_count == 300
        for criterion in chosen:
            assert evaluate_tests(criterion, streamed) == evaluate_tests(criterion, whole)
    hinted = evaluate_tests(chosen[1], streamed)[1]
    assert 'did you mean name: "test_199"' in hinted


@pytest.mark.parametrize("failing", [3, 1200])
def test_only_the_first_failures_are_kept_with_their_count(failing: int) -> None:
    tests = [TestResult("s", "c", f"t{i}", None, None, TestStatus.FAILED) for i in range(failing)]
    found = tally.select(TestCriterion("unit"), tests)
    assert found.failed == failing
    assert found.failing == tuple(tests[: tally.MAX_FAILED_KEPT])
