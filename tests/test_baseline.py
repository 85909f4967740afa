"""Baselines: a metric benchmark held to the same series in the base branch's results.

`max_change` parsing and arithmetic; the engine's fail-closed cases on hand-built evidence;
then real pytest-benchmark runs of a fast and a slow version of one function, judged by
`gatekeeper check` both ways round.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
from gatekeeper.matrix.load import parse_matrix
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
from gatekeeper.results import Outcome
from gatekeeper.threshold import ThresholdSyntaxError, parse_change, parse_threshold
from gatekeeper.units import Dimension, Quantity
from tests.conftest import child_env

TODAY = dt.date(2026, 11, 26)

# --- max_change ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "statistic", "limit"),
    [
        ("mean +10%", "avg", 0.10),
        ("p(95)+5 %", "p(95)", 0.05),
        ("ops -2.5%", "throughput", -0.025),
        ("median +0%", "med", 0.0),
    ],
)
def test_changes_parse(text: str, statistic: str, limit: float) -> None:
    change = parse_change(text)
    assert (change.statistic, change.limit) == (statistic, pytest.approx(limit))


@pytest.mark.parametrize("text", ["mean 10%", "mean +10", "mean < +10%", "+10%", "p(101) +1%"])
def test_bad_changes_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ThresholdSyntaxError):
        parse_change(text)


def test_growth_and_drop_limits() -> None:
    grow, drop = parse_change("mean +10%"), parse_change("ops -10%")
    assert grow.holds(grow.change(1.1, 1.0))  # exactly at the limit: judged as written
    assert not grow.holds(grow.change(1.1001, 1.0))
    assert grow.holds(grow.change(0.5, 1.0))  # faster is never a regression
    assert drop.holds(drop.change(0.9, 1.0))
    assert not drop.holds(drop.change(0.8999, 1.0))
    assert drop.holds(drop.change(5.0, 1.0))
    assert grow.change(0.0, 0.0) == 0.0
    with pytest.raises(ThresholdSyntaxError, match="baseline is 0"):
        grow.change(1.0, 0.0)


# --- the engine -----------------------------------------------------------------------------


def _series(name: str, source: str, **stats: float) -> Metric:
    return Metric(name, {}, {k: Quantity(v, Dimension.TIME) for k, v in stats.items()},
                  "benchmark", (), source)  # fmt: skip


def _read(artifact: str, *metrics: Metric) -> ArtifactEvidence:
    parsed = ParsedFile(f"{artifact}.json", "pytest-benchmark", (), metrics)
    return ArtifactEvidence(artifact, ArtifactState.READ, (parsed,), (), (f"{artifact}.json",))


def _judge(
    current: ArtifactEvidence,
    base: ArtifactEvidence,
    *changes: str,
    thresholds: tuple[str, ...] = (),
) -> tuple[Outcome, str, tuple[str, ...]]:
    criterion = MetricCriterion(
        "micro", "test_*", {}, tuple(parse_threshold(t) for t in thresholds),
        Baseline("main", tuple(parse_change(c) for c in changes)),
    )  # fmt: skip
    cell = Cell("core", "one", "fast", (Benchmark("speed", "core", "one", criterion),))
    matrix = Matrix(
        "gatekeeper.yml", "", (Phase("one", "One"),), (Swimlane("core", "Core"),), (cell,),
        {"micro": Artifact("micro", "pytest-benchmark", ("micro.json",)),
         "main": Artifact("main", "pytest-benchmark", ("main.json",))},
    )  # fmt: skip
    report = evaluate(matrix, {"micro": current, "main": base}, TODAY)
    (result,) = report.benchmarks
    assert set(report.artifacts) == {"micro", "main"}  # both are reported as read
    return result.outcome, result.summary, result.details


def test_a_series_slower_than_allowed_fails_and_says_by_how_much() -> None:
    outcome, summary, _ = _judge(
        _read("micro", _series("test_a", "micro.json", avg=1.3e-3)),
        _read("main", _series("test_a", "main.json", avg=1.0e-3)),
        "mean +10%",
    )
    assert outcome is Outcome.FAIL
    assert summary == "test_a avg = 1.3ms vs 1ms (+30.0%) (breaks 'mean +10%' of the baseline)"


def test_new_series_are_listed_not_compared() -> None:
    outcome, _, details = _judge(
        _read("micro", _series("test_a", "m", avg=1.0), _series("test_new", "m", avg=9.0)),
        _read("main", _series("test_a", "b", avg=1.0)),
        "mean +10%",
    )
    assert outcome is Outcome.PASS
    assert details == ("new, not compared with the baseline: test_new",)


def test_nothing_to_compare_never_passes() -> None:
    outcome, summary, _ = _judge(
        _read("micro", _series("test_a", "m", avg=1.0)),
        _read("main", _series("test_other", "b", avg=1.0)),
        "mean +10%",
        thresholds=("mean < 2s",),
    )
    assert outcome is Outcome.MISSING
    assert "no baseline: none of the 1 series of 'test_*' is in main.json" in summary


@pytest.mark.parametrize(
    ("base", "said"),
    [
        (ArtifactEvidence("main", ArtifactState.MISSING, patterns=("main.json",)),
         "no baseline evidence: no file matches main.json"),
        (ArtifactEvidence("main", ArtifactState.ERROR, errors=("main.json:1:1: not JSON",)),
         "baseline evidence unreadable"),
    ],
)  # fmt: skip
def test_a_missing_or_unreadable_baseline_never_passes(base: ArtifactEvidence, said: str) -> None:
    outcome, summary, _ = _judge(_read("micro", _series("test_a", "m", avg=1.0)), base, "mean +10%")
    assert outcome in (Outcome.MISSING, Outcome.ERROR)
    assert summary.startswith(said)


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ((_series("test_a", "b1", avg=1.0), _series("test_a", "b2", avg=1.0)), "has it twice"),
        ((_series("test_a", "b", med=1.0),), "does not report avg"),
        ((_series("test_a", "b", avg=0.0),), "the baseline is 0"),
    ],
)
def test_an_unusable_baseline_series_is_an_error(base: tuple[Metric, ...], said: str) -> None:
    outcome, summary, _ = _judge(
        _read("micro", _series("test_a", "m", avg=1.0)), _read("main", *base), "mean +10%"
    )
    assert outcome is Outcome.ERROR
    assert said in summary


def test_thresholds_and_a_baseline_both_hold() -> None:
    outcome, summary, _ = _judge(
        _read("micro", _series("test_a", "m", avg=3.0)),
        _read("main", _series("test_a", "b", avg=3.0)),
        "mean +10%",
        thresholds=("mean < 2s",),
    )
    assert outcome is Outcome.FAIL  # within the baseline, over the absolute threshold
    assert "breaks 'mean < 2s'" in summary


# --- the matrix file --------------------------------------------------------------------------

_MATRIX = """\
version: 1
phases: [{id: one, name: One}]
artifacts:
  micro: {format: pytest-benchmark, paths: "reports/micro.json"}
  main: {format: pytest-benchmark, paths: "baseline/micro.json"}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: No slower than main
        benchmarks:
          - id: speed
            metric: {from: micro, name: "test_*"}
            baseline: {from: main, max_change: "mean +%s"}
"""


def test_the_matrix_file_declares_a_baseline() -> None:
    matrix = parse_matrix((_MATRIX % "50%").encode(), "m.yml")
    criterion = matrix.cells[0].benchmarks[0].criterion
    assert isinstance(criterion, MetricCriterion) and criterion.thresholds == ()
    assert criterion.baseline is not None and criterion.baseline.artifact == "main"
    assert criterion.reads == ("micro", "main")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (_MATRIX % "50",
         "m.yml:15:36: swimlanes[0].cells.one.benchmarks[0].baseline.max_change: cannot read"),
        (_MATRIX.replace("from: main", "from: mian") % "5%", "unknown artifact 'mian'"),
        (_MATRIX.replace("            metric: {from: micro, name: \"test_*\"}\n", "") % "5%",
         "a benchmark needs one of: `tests`; `metric`"),
    ],
)  # fmt: skip
def test_bad_baselines_are_matrix_errors(text: str, said: str) -> None:
    with pytest.raises(Exception) as caught:
        parse_matrix(text.encode(), "m.yml")
    assert said in "\n".join(str(p) for p in caught.value.problems)  # type: ignore[attr-defined]


# --- real pytest-benchmark runs ---------------------------------------------------------------

_BENCH = """\
def work():
    return sum(range({n}))


def test_work(benchmark):
    benchmark(work)


def test_only_here(benchmark):
    benchmark(lambda: None)
"""


def _pytest_benchmark(folder: Path, n: int, out: Path, *, only_here: bool) -> None:
    code = _BENCH.format(n=n)
    if not only_here:
        code = code.split("\n\n\ndef test_only_here")[0] + "\n"
    folder.mkdir(parents=True)
    (folder / "test_speed.py").write_text(textwrap.dedent(code), encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "pytest_benchmark.plugin", "-p",
         "no:cacheprovider", str(folder / "test_speed.py"), f"--rootdir={folder}",
         "--benchmark-min-time=0.0005", "--benchmark-max-time=0.05",
         f"--benchmark-storage=file://{folder / 'storage'}", f"--benchmark-json={out}"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
        env=child_env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),  # only the plugin named
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project folder with a fast run (n=100) and a slow run (n=100,000) of the same
    benchmark, the slow one about a thousand times slower: no machine noise flips that."""
    root = tmp_path_factory.mktemp("baseline")
    _pytest_benchmark(root / "fast", 100, root / "runs" / "fast.json", only_here=True)
    _pytest_benchmark(root / "slow", 100_000, root / "runs" / "slow.json", only_here=False)
    return root


def _check(root: Path, current: str, base: str, change: str) -> tuple[int, dict[str, object]]:
    text = (_MATRIX % change).replace("reports/micro.json", f"runs/{current}.json")
    (root / "gatekeeper.yml").write_text(text.replace("baseline/micro.json", f"runs/{base}.json"))
    out = root / "report.json"
    code = main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "none",
                 "--output", f"json:{out}"])  # fmt: skip
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_real_runs_a_slower_change_is_blocked(runs: Path) -> None:
    code, report = _check(runs, "slow", "fast", "50%")
    assert code == ExitCode.FAILED
    (bench,) = report["cells"][0]["benchmarks"]  # type: ignore[index]
    assert bench["outcome"] == "fail"
    assert "test_work avg = " in bench["summary"] and "breaks 'mean +50%'" in bench["summary"]
    assert bench["baseline"] == {
        "artifact": "main", "source": "artifact", "max_change": ["mean +50%"],
        "confidence": None, "paired": False, "drift": None,
    }  # fmt: skip


@pytest.mark.slow
def test_real_runs_a_faster_change_passes_and_new_benchmarks_are_listed(runs: Path) -> None:
    code, report = _check(runs, "fast", "slow", "10%")
    assert code == ExitCode.PASSED
    (bench,) = report["cells"][0]["benchmarks"]  # type: ignore[index]
    assert bench["outcome"] == "pass"
    assert "new, not compared with the baseline: test_only_here" in bench["details"]
    (measured,) = bench["measurements"]
    assert measured["threshold"] == "mean +10% vs baseline" and measured["ok"] is True


@pytest.mark.slow
def test_real_runs_judge_the_same_from_a_bundle(runs: Path) -> None:
    code, _ = _check(runs, "slow", "fast", "50%")
    sha = "ab" * 20
    bundle = runs / "bundle.json"
    matrix = str(runs / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", sha, "--out", str(bundle)]) == 0
    again = main(["check", "--matrix", matrix, "--bundle", str(bundle), "--sha", sha,
                  "--format", "none"])  # fmt: skip
    assert again == code == ExitCode.FAILED
    kept = json.loads(bundle.read_text(encoding="utf-8"))
    assert set(kept["shards"][0]["artifacts"]) == {"micro", "main"}  # the baseline travels too
