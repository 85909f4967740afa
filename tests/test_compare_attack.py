"""Attacks on issue 15's comparisons: inputs an adversary controlling a pull request's
artifacts, or a tired user writing a matrix, could give `baseline.confidence`,
`baseline.paired`, `gatekeeper bench` and the merge-base baselines, to make the gate pass
when it must not, crash, or hang. Each hole found is a test here: fixed, an ordinary test;
not fixed, ``xfail(strict=True)`` saying what is wrong.
"""

from __future__ import annotations

import array
import dataclasses
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.compare import SampleError
from gatekeeper.errors import ExitCode
from gatekeeper.matrix.load import parse_matrix
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.paired import compare_paired
from gatekeeper.results import Outcome
from tests import test_baseline_fetch as fetch
from tests.bench_runs import bench, git, repository
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import FakeGitHub
from tests.test_baseline_fetch import _upload, github, project  # noqa: F401 - fixtures
from tests.test_confidence import (
    _MATRIX,
    _bench_file,
    _check,
    _judge,
    _series,
    _times,
)

# --- baseline.confidence ---------------------------------------------------------------------


def test_a_throughput_from_times_with_a_zero_past_the_first_sample_is_an_error() -> None:
    """Throughput (``ops -5%``) is judged on the reciprocals of the times, and only the first
    sample was looked at before dividing: samples that are not in order (a NaN sorts
    anywhere; a matrix or a Metric built in code) with a 0 after a positive first one raised
    ZeroDivisionError (a traceback, exit 4). Now every sample is checked and it is an error."""
    samples = array.array("d", sorted([0.002, math.nan, 0.0, *_times(1, 20, 1e-3)]))
    assert samples[0] > 0  # the NaN kept the 0 from sorting first
    head = dataclasses.replace(_series("micro.json", _times(1, 20, 1e-3)), samples=samples)
    outcome, summary, _ = _judge(head, _times(2, 20, 1e-3), "ops -5%")
    assert outcome is Outcome.ERROR
    assert "every sample must be a finite number above 0" in summary


def test_a_limit_in_the_direction_a_time_does_not_regress_in_is_refused() -> None:
    text = _MATRIX % {"head": "pytest-benchmark", "base": "pytest-benchmark",
                      "change": '"median -10%"', "confidence": "0.95"}  # fmt: skip
    outcome, _, _ = _judge(_times(1, 60, 2e-3), _times(2, 60, 1e-3), "median -10%")
    assert outcome is Outcome.PASS  # what the engine does with it: a 2x slowdown passes
    with pytest.raises(MatrixError) as caught:
        parse_matrix(text.encode(), "m.yml")
    said = "\n".join(str(p) for p in caught.value.problems)
    assert "'median -10%' only limits an improvement: med (time) regresses by growing" in said
    assert "write 'median +10%'" in said
    both = text.replace('"median -10%"', '["median +10%", "median -50%"]')
    parse_matrix(both.encode(), "m.yml")  # a limit the other way may stay beside it
    ops = text.replace('"median -10%"', '"ops +10%"')
    with pytest.raises(MatrixError, match="regresses by dropping"):
        parse_matrix(ops.encode(), "m.yml")


# --- gatekeeper bench ------------------------------------------------------------------------

# writes hyperfine's JSON with the results (command name, time) planned for its side and round
FAKE = """\
import json, os, sys
plan = json.load(open("plan.json"))
side, round_ = os.environ["GATEKEEPER_BENCH_SIDE"], int(os.environ["GATEKEEPER_BENCH_ROUND"])
results = [
    {"command": name, "mean": t, "stddev": 0.0, "median": t, "user": 0.0, "system": 0.0,
     "min": t, "max": t, "times": [t] * 3, "exit_codes": [0] * 3}
    for name, t in plan[side][round_ - 1]
]
json.dump({"results": results}, open(sys.argv[1], "w"))
"""
RUN = ("--", sys.executable, "fake.py", "{out}")
ARGS = ("--base", "main", "--rounds", "6", "--format", "json")


def _planned(tmp_path: Path, base: list[Any], head: list[Any]) -> Path:
    repo = repository(
        tmp_path, {"fake.py": FAKE, "plan.json": json.dumps({"base": [], "head": []})}
    )
    (repo / "plan.json").write_text(json.dumps({"base": base, "head": head}), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "the plan")
    return repo


def test_bench_a_series_twice_in_a_run_is_not_judged_on_one_of_them(tmp_path: Path) -> None:
    """HEAD's runs hold series `a` twice, 2x slower first and as fast as the base last: the
    last used to overwrite the first and the bench passed (exit 0). A series twice in a run
    is ambiguous evidence: no verdict, exit 1 (as the gate makes a series twice an error)."""
    repo = _planned(tmp_path, [[["a", 1.0]]] * 6, [[["a", 2.0], ["a", 1.0]]] * 6)
    done = bench(repo, *ARGS, *RUN)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "'a' is in the run's file twice" in done.stderr


def test_bench_a_base_that_is_not_a_commit_is_a_usage_error(tmp_path: Path) -> None:
    """`--base HEAD:fake.py` names a blob, `--base HEAD^{tree}` a tree: never a traceback."""
    repo = _planned(tmp_path, [[["a", 1.0]]] * 6, [[["a", 1.0]]] * 6)
    for ref in ("HEAD:fake.py", "HEAD^{tree}", "no-such-ref"):
        done = bench(repo, "--base", ref, "--rounds", "6", *RUN)
        assert done.returncode == 2, (ref, done.stdout + done.stderr)
        assert "Traceback" not in done.stderr, ref


def test_samples_far_apart_are_an_error_not_an_overflow(tmp_path: Path) -> None:
    """Times of 1e-300 s against 1e300 s are finite and above 0, so a parser takes them; the
    change (head / base - 1) overflowed a float and `check` crashed (OverflowError, exit 4)
    in `compare`, and the paired comparison (the gate's and `bench`'s) alike. Now it is an
    error naming why (never a pass), and the JSON report holds to its schema."""
    head, base = tmp_path / "runs" / "head.json", tmp_path / "runs" / "base.json"
    _bench_file(head, [1e300 * (1 + i / 100) for i in range(12)])
    _bench_file(base, [1e-300 * (1 + i / 100) for i in range(12)])
    code, report = _check(tmp_path, "head", "base", "median +10%")
    assert code == ExitCode.FAILED
    assert "past what a float holds" in json.dumps(report)
    with pytest.raises(SampleError, match="past what a float holds"):
        compare_paired([1e-300] * 8, [1e300 * (1 + i / 100) for i in range(8)], 0.1, 0.95)


# --- the matrix: a baseline that can only pass ------------------------------------------------


def _self_matrix(tmp_path: Path, baseline: str, base_paths: str = "baseline/micro.json") -> Path:
    text = _MATRIX % {"head": "pytest-benchmark", "base": "pytest-benchmark",
                      "change": '"median +10%"', "confidence": "0.95"}  # fmt: skip
    text = text.replace("{from: main, max_change", "{from: " + baseline + ", max_change")
    path = tmp_path / "gatekeeper.yml"
    path.write_text(text.replace('"baseline/micro.json"', f'"{base_paths}"'), encoding="utf-8")
    return path


def test_a_baseline_from_the_metrics_own_artifact_is_refused(tmp_path: Path) -> None:
    """`baseline: {from: micro}` beside `metric: {from: micro}` compared every series with
    itself: no change, ever, so the gate passed whatever HEAD measured, and `validate`
    said ok. It is refused now, as for findings and paired rounds."""
    matrix = _self_matrix(tmp_path, "micro")
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    with pytest.raises(MatrixError) as caught:
        parse_matrix(matrix.read_bytes(), "m.yml")
    assert "the metric's own artifact" in "\n".join(str(p) for p in caught.value.problems)
    # without a confidence, the same
    text = matrix.read_text(encoding="utf-8").replace(", confidence: 0.95", "")
    with pytest.raises(MatrixError):
        parse_matrix(text.encode(), "m.yml")


def test_a_baseline_artifact_with_the_metrics_paths_is_refused(tmp_path: Path) -> None:
    matrix = _self_matrix(tmp_path, "main", base_paths="reports/micro.json")
    assert main(["validate", str(matrix)]) == ExitCode.USAGE


# --- merge-base baselines --------------------------------------------------------------------


def _fetching(request: pytest.FixtureRequest) -> tuple[FakeGitHub, Path]:
    """test_baseline_fetch's fake GitHub (a pull request whose merge base is commit 0) and
    project, by name (taken as parameters, they would shadow the imported fixtures)."""
    return request.getfixturevalue("github"), request.getfixturevalue("project")


def test_a_pinned_run_s_bundle_for_another_commit_is_refused(
    request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, folder = _fetching(request)
    pinned = _upload(fake, fetch._sha(5), fetch._bundle(folder, fetch._sha(9)))
    (folder / "gatekeeper.yml").write_text(
        fetch.MATRIX + f"baselines:\n  pin: {{run: {pinned}, reason: last good run}}\n",
        encoding="utf-8",
    )
    code, _, bench = fetch._check(folder, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "error"), bench["summary"]
    assert fake.violations == []


def test_a_pinned_run_that_does_not_exist_is_an_error(
    request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, folder = _fetching(request)
    (folder / "gatekeeper.yml").write_text(
        fetch.MATRIX + "baselines:\n  pin: {run: 424242, reason: gone}\n", encoding="utf-8"
    )
    code, used, bench = fetch._check(folder, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "error"), bench["summary"]
    assert used["kind"] == "error"
    assert fake.violations == []


def test_an_excluded_run_that_is_the_only_one_leaves_no_baseline(
    request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, folder = _fetching(request)
    only = _upload(fake, fetch._sha(0), fetch._bundle(folder, fetch._sha(0), 0.5))
    (folder / "gatekeeper.yml").write_text(
        fetch.MATRIX + f"baselines:\n  exclude: [{{run: {only}, reason: throttled}}]\n",
        encoding="utf-8",
    )
    code, used, bench = fetch._check(folder, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing"), bench["summary"]
    assert any(f"run {only}" in s for s in used["skipped"])
    assert fake.violations == []


def test_a_series_head_dropped_is_named_not_silently_left_out() -> None:
    """A pull request that renames or deletes a benchmark escapes that benchmark's comparison;
    the verdict names it, so a reviewer sees what was not compared."""
    from gatekeeper.engine.metrics import evaluate_metric
    from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
    from gatekeeper.model import Baseline, MetricCriterion
    from gatekeeper.threshold import parse_change
    from gatekeeper.units import Dimension, Quantity

    def evidence(artifact: str, names: list[str]) -> ArtifactEvidence:
        metrics = tuple(
            Metric(n, stats={"avg": Quantity(1e-3, Dimension.TIME)}, source=f"{artifact}.json")
            for n in names
        )
        parsed = ParsedFile(f"{artifact}.json", "pytest-benchmark", (), metrics)
        return ArtifactEvidence(artifact, ArtifactState.READ, (parsed,), (), (f"{artifact}.json",))

    criterion = MetricCriterion(
        "micro", "test_*", {}, (), Baseline("main", (parse_change("mean +10%"),))
    )
    outcome, _, details, _ = evaluate_metric(
        criterion, evidence("micro", ["test_a"]), evidence("main", ["test_a", "test_slow"])
    )
    assert outcome is Outcome.PASS  # what HEAD has is within the limit
    assert "in the baseline but not in HEAD, not compared: test_slow" in details
