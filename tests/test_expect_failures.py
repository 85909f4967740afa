"""A failure the tool itself recorded fails the benchmark unless it says `expect_failures`
(issue 9, class 6): in the engine, through the command line, and through a bundle."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.engine import evaluate
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
from gatekeeper.model import (
    Artifact,
    Baseline,
    Benchmark,
    Cell,
    Matrix,
    MetricCriterion,
    Phase,
    Swimlane,
)
from gatekeeper.results import BenchmarkResult, Outcome
from gatekeeper.threshold import parse_change, parse_threshold
from gatekeeper.units import Dimension, Quantity
from tests import matrices

HERE = Path(__file__).resolve().parent
HYPERFINE = HERE / "parsers" / "fixtures" / "hyperfine" / "commands.json"
TODAY = dt.date(2026, 11, 26)
SAID = "5 of 5 runs exited non-zero (exit code 1)"


def series(failures: tuple[str, ...] = (), avg: float = 0.001) -> Metric:
    stats = {"avg": Quantity(avg, Dimension.TIME)}
    return Metric("false", {}, stats, "benchmark", source="h.json", failures=failures)


def evidence(artifact: str, metric: Metric) -> ArtifactEvidence:
    parsed = ParsedFile("h.json", "hyperfine", (), (metric,))
    return ArtifactEvidence(artifact, ArtifactState.READ, (parsed,))


def judge(criterion: MetricCriterion, *found: ArtifactEvidence) -> BenchmarkResult:
    bench = Benchmark("b", "lane", "one", criterion)
    matrix = Matrix(
        path="m.yml",
        project="P",
        phases=(Phase("one", "One"),),
        swimlanes=(Swimlane("lane", "Lane"),),
        cells=(Cell("lane", "one", "goal", (bench,)),),
        artifacts={e.artifact: Artifact(e.artifact, "hyperfine", ("*",)) for e in found},
    )
    return evaluate(matrix, {e.artifact: e for e in found}, TODAY).benchmarks[0]


FAST = (parse_threshold("avg < 10ms"),)


def test_a_recorded_failure_fails_a_threshold_the_figures_meet() -> None:
    result = judge(MetricCriterion("bench", "false", {}, FAST), evidence("bench", series((SAID,))))
    assert result.outcome is Outcome.FAIL
    assert result.summary.startswith(f"false: the tool recorded a failure: {SAID}")
    (measurement,) = result.measurements
    assert (measurement.threshold, measurement.actual, measurement.ok) == (
        "no failure recorded",
        SAID,
        False,
    )


def test_expect_failures_judges_the_figures() -> None:
    criterion = MetricCriterion("bench", "false", {}, FAST, expect_failures=True)
    assert judge(criterion, evidence("bench", series((SAID,)))).outcome is Outcome.PASS
    slow = evidence("bench", series((SAID,), avg=0.5))
    assert judge(criterion, slow).outcome is Outcome.FAIL


def test_without_failures_nothing_changes() -> None:
    result = judge(MetricCriterion("bench", "false", {}, FAST), evidence("bench", series()))
    assert result.outcome is Outcome.PASS


def test_a_failed_series_without_figures_is_still_missing_when_expected() -> None:
    empty = Metric("false", {}, {}, "benchmark", source="h.json", failures=("--- FAIL: x",))
    criterion = MetricCriterion("bench", "false", {}, FAST)
    assert judge(criterion, evidence("bench", empty)).outcome is Outcome.FAIL
    expected = MetricCriterion("bench", "false", {}, FAST, expect_failures=True)
    assert judge(expected, evidence("bench", empty)).outcome is Outcome.MISSING


def test_a_baseline_whose_run_failed_cannot_be_compared() -> None:
    change = Baseline("main", (parse_change("avg +10%"),))
    criterion = MetricCriterion("bench", "false", {}, (), baseline=change)
    base = evidence("main", series((SAID,)))
    result = judge(criterion, evidence("bench", series()), base)
    assert result.outcome is Outcome.ERROR
    assert f"the baseline's run recorded a failure: {SAID} (h.json)" in result.summary
    expected = MetricCriterion("bench", "false", {}, (), baseline=change, expect_failures=True)
    assert judge(expected, evidence("bench", series()), base).outcome is Outcome.PASS


# --- end to end: the real hyperfine export of `false` with --ignore-failure -----------------

MATRIX = matrices.matrix_yaml(
    project="Demo",
    phases=("one",),
    artifacts={"bench": ("hyperfine", "reports/commands.json")},
    lanes=[
        matrices.Lane(
            "cli",
            "CLI",
            {
                "one": matrices.Cell(
                    "fast",
                    (
                        'id: false-is-fast\nmetric: {from: bench, name: "false"EXPECT}\n'
                        "threshold: mean < 1s",
                    ),
                )
            },
        )
    ],
)
"""EXPECT stands for the benchmark's `expect_failures`, or nothing."""


def _project(tmp_path: Path, expect: str = "") -> Path:
    (tmp_path / "reports").mkdir()
    shutil.copy(HYPERFINE, tmp_path / "reports" / "commands.json")
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(MATRIX.replace("EXPECT", expect), encoding="utf-8")
    return matrix


def test_check_fails_on_the_tool_s_word_and_says_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _project(tmp_path)
    assert main(["check", "--matrix", str(matrix), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (result,) = [b for c in report["cells"] for b in c["benchmarks"]]
    assert result["outcome"] == "fail"
    assert SAID in result["summary"]


def test_check_with_expect_failures_passes(tmp_path: Path) -> None:
    matrix = _project(tmp_path, ", expect_failures: true")
    assert main(["validate", str(matrix)]) == 0
    assert main(["check", "--matrix", str(matrix), "--format", "none"]) == 0


def test_expect_failures_must_be_a_boolean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _project(tmp_path, ", expect_failures: sometimes")
    assert main(["validate", str(matrix)]) == 2
    assert "expect_failures: expected true or false" in capsys.readouterr().err


def test_a_bundle_carries_the_failure(tmp_path: Path) -> None:
    matrix = _project(tmp_path)
    bundle = tmp_path / "bundle.json"
    sha = "a" * 40
    assert main(["collect", "--matrix", str(matrix), "--sha", sha, "--out", str(bundle)]) == 0
    carried = json.loads(bundle.read_text(encoding="utf-8"))
    files = carried["shards"][0]["artifacts"]["bench"]["files"]
    assert [m["failures"] for m in files[0]["metrics"]] == [[], [], [SAID]]
    argv = ["check", "--matrix", str(matrix), "--bundle", str(bundle), "--sha", sha]
    assert main([*argv, "--format", "none"]) == 1


def test_inspect_shows_what_the_tool_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(HYPERFINE)]) == 0
    shown = capsys.readouterr().out
    assert textwrap.indent(f"FAILED: {SAID}", " " * 8) in shown
