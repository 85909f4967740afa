"""A baseline judged at a confidence, from both sides' raw samples (issue 15).

Which formats carry samples, held to the parsers; the matrix key and what `validate` refuses;
the engine's verdicts on seeded samples (regressed, within, unclear, throughput, the plain
ratio when samples are too few or absent); the JSON report's fields against its schema; then
real pytest-benchmark and hyperfine runs judged by `gatekeeper check`, from files and from a
bundle.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gatekeeper.cli import main
from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.errors import EvidenceError, ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile, SeriesRequest
from gatekeeper.matrix.load import parse_matrix
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.model import Baseline, MetricCriterion
from gatekeeper.parsers import AUTO, PARSER_MODULES, parse_file
from gatekeeper.parsers.dimensions import SAMPLED
from gatekeeper.resources import load_schema
from gatekeeper.results import Measurement, Method, Outcome
from gatekeeper.threshold import parse_change
from gatekeeper.units import Dimension, Quantity
from tests.conftest import REPO, child_env
from tests.matrices import findings_matrix

# --- which formats carry samples ----------------------------------------------------------------

FIXTURES = (REPO / "tests" / "parsers" / "fixtures", REPO / "examples" / "kmta" / "reports")


def test_the_formats_with_samples_are_the_parsers_that_keep_them() -> None:
    """SAMPLED is what the parsers do: every format in it yields samples from a fixture (read
    as check reads a series the matrix asks for), and no other format ever does."""
    assert set(PARSER_MODULES) >= SAMPLED
    found: dict[str, bool] = {}
    for root in FIXTURES:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            try:
                parsed = parse_file(path, str(path), AUTO, (SeriesRequest("*"),))
            except EvidenceError:
                continue
            found[parsed.format] = found.get(parsed.format, False) or any(
                m.samples for m in parsed.metrics
            )
    assert {name for name, sampled in found.items() if sampled} == SAMPLED


# --- the matrix key ---------------------------------------------------------------------------

_MATRIX = """\
version: 1
phases: [{id: one, name: One}]
artifacts:
  micro: {format: %(head)s, paths: "reports/micro.json"}
  main: {format: %(base)s, paths: "baseline/micro.json"}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: No slower than main
        benchmarks:
          - id: speed
            metric: {from: micro, name: "test_*"}
            baseline: {from: main, max_change: %(change)s, confidence: %(confidence)s}
"""


def _matrix(
    change: str = '"median +10%"',
    confidence: str = "0.95",
    head: str = "pytest-benchmark",
    base: str = "pytest-benchmark",
) -> bytes:
    text = _MATRIX % {"head": head, "base": base, "change": change, "confidence": confidence}
    return text.encode()


def test_the_matrix_declares_a_confidence() -> None:
    criterion = parse_matrix(_matrix(), "m.yml").cells[0].benchmarks[0].criterion
    assert isinstance(criterion, MetricCriterion) and criterion.baseline is not None
    assert criterion.baseline.confidence == 0.95
    plain = parse_matrix(_matrix().replace(b", confidence: 0.95", b""), "m.yml")
    criterion = plain.cells[0].benchmarks[0].criterion
    assert isinstance(criterion, MetricCriterion) and criterion.baseline is not None
    assert criterion.baseline.confidence is None  # the default: today's plain comparison


@pytest.mark.parametrize(
    ("matrix", "said"),
    [
        (_matrix(confidence="1.5"), "baseline.confidence: 1.5 is greater than or equal to"),
        (_matrix(confidence="1"), "baseline.confidence: 1 is greater than or equal to"),
        (_matrix(confidence="0.5"), "baseline.confidence: 0.5 is less than or equal to"),
        (_matrix(confidence=".nan"), "baseline.confidence: '.nan' is not a finite number"),
        (_matrix(confidence="yes"), "baseline.confidence: expected a number, got true or false"),
        (_matrix(head="junit"), "baseline.confidence: confidence needs raw samples on both "
                                "sides, but 'micro' is read as junit, which carries none"),
        (_matrix(base="k6"), "baseline.confidence: confidence needs raw samples on both "
                             "sides, but 'main' is read as k6, which carries none"),
        (_matrix(change='"p(95) +10%"'), "baseline.confidence: 'p(95) +10%': a confidence "
                                         "judges a shift of the whole distribution"),
        (_matrix(change='["median +10%", "max +10%"]'), "not of max: compare max without"),
        (_matrix(change='"median +1pt"'), "is in percentage points; a confidence judges"),
    ],
)  # fmt: skip
def test_validate_refuses_a_confidence_that_cannot_work(matrix: bytes, said: str) -> None:
    with pytest.raises(MatrixError) as caught:
        parse_matrix(matrix, "m.yml")
    problems = "\n".join(str(p) for p in caught.value.problems)
    assert said in problems
    assert "swimlanes[0].cells.one.benchmarks[0].baseline.confidence" in problems


def test_a_confidence_on_findings_is_refused() -> None:
    text = findings_matrix("{from: lint-main, max_new: 0, confidence: 0.95}")
    with pytest.raises(MatrixError) as caught:
        parse_matrix(text.encode(), "m.yml")
    assert "confidence does not apply to findings" in str(caught.value.problems[0])


def test_auto_formats_leave_it_to_the_evidence() -> None:
    parse_matrix(_matrix(head="auto", base="auto"), "m.yml")  # no error: check judges


# --- the engine, on seeded samples -------------------------------------------------------------


def _times(seed: int, n: int, scale: float, spread: float = 0.05) -> list[float]:
    """Log-normal timings around ``scale`` seconds, sorted as a parser hands them over."""
    rng = random.Random(seed)
    return sorted(scale * math.exp(rng.gauss(0, spread)) for _ in range(n))


def _series(source: str, samples: list[float], *, keep: bool = True) -> Metric:
    """A series with its statistics and, unless ``keep`` is false (a run written without its
    samples), the samples they were taken from."""
    ordered = sorted(samples)
    stats = {
        "med": Quantity(ordered[len(ordered) // 2], Dimension.TIME),
        "avg": Quantity(sum(ordered) / len(ordered), Dimension.TIME),
        "throughput": Quantity(len(ordered) / sum(ordered), Dimension.THROUGHPUT),
    }
    return Metric("test_work", stats=stats, source=source, samples=ordered if keep else (),
                  sample_dimension=Dimension.TIME)  # fmt: skip


def _evidence(artifact: str, metric: Metric) -> ArtifactEvidence:
    parsed = ParsedFile(metric.source, "pytest-benchmark", (), (metric,))
    return ArtifactEvidence(artifact, ArtifactState.READ, (parsed,), (), (f"{artifact}.json",))


def _judge(
    head: list[float] | Metric,
    base: list[float] | Metric,
    change: str = "median +10%",
    confidence: float | None = 0.95,
) -> tuple[Outcome, str, Measurement]:
    criterion = MetricCriterion(
        "micro", "test_work", {}, (), Baseline("main", (parse_change(change),), confidence)
    )
    mine = head if isinstance(head, Metric) else _series("micro.json", head)
    theirs = base if isinstance(base, Metric) else _series("main.json", base)
    outcome, summary, _, measured = evaluate_metric(
        criterion, _evidence("micro", mine), _evidence("main", theirs)
    )
    (measurement,) = measured
    return outcome, summary, measurement


def test_a_real_slowdown_is_regressed_with_its_interval() -> None:
    outcome, summary, measured = _judge(_times(1, 60, 1.3e-3), _times(2, 60, 1.0e-3))
    assert outcome is Outcome.FAIL
    assert "breaks 'median +10%' of the baseline" in summary
    assert measured.sampled is not None and measured.sampled.method is Method.MANN_WHITNEY
    assert measured.sampled.interval is not None
    low, high = measured.sampled.interval
    assert measured.change is not None and measured.change == pytest.approx(0.3, abs=0.05)
    assert 0.10 < low < measured.change < high < 0.5
    assert "% [+" in measured.actual and "] at 95 %" in measured.actual
    assert (measured.sampled.base_samples, measured.sampled.head_samples) == (60, 60)


def test_the_same_distribution_is_within() -> None:
    outcome, summary, measured = _judge(_times(3, 200, 1e-3), _times(4, 200, 1e-3))
    assert outcome is Outcome.PASS, summary
    assert "within 'median +10%' of the baseline" in summary
    assert measured.ok and measured.sampled is not None
    assert measured.sampled.p_value is not None and measured.sampled.p_value > 0.5


def test_an_interval_that_holds_the_limit_is_not_a_pass() -> None:
    """+10 % against a +10 % limit, in noise: the samples show neither; fail-closed."""
    outcome, summary, measured = _judge(_times(5, 30, 1.1e-3, 0.1), _times(6, 30, 1e-3, 0.1))
    assert outcome is Outcome.FAIL
    assert "cannot show it is within 'median +10%' of the baseline" in summary
    assert measured.sampled is not None and measured.sampled.interval is not None
    low, high = measured.sampled.interval
    assert low <= 0.10 <= high and not measured.ok


@pytest.mark.parametrize(("scale", "outcome"), [(1.3e-3, Outcome.FAIL), (0.8e-3, Outcome.PASS)])
def test_throughput_is_judged_on_the_reciprocals(scale: float, outcome: Outcome) -> None:
    """ops -5%: slower times are a throughput drop (a regression), faster ones a gain."""
    found, summary, measured = _judge(_times(7, 60, scale), _times(8, 60, 1e-3), "ops -5%")
    assert found is outcome, summary
    assert measured.sampled is not None and measured.sampled.method is Method.MANN_WHITNEY
    assert measured.change is not None and (measured.change < 0) == (scale > 1e-3)


@pytest.mark.parametrize(
    ("head", "base", "said"),
    [
        (3, 60, "3 samples in HEAD, fewer than 10: plain ratio"),
        (60, 9, "9 samples in the baseline, fewer than 10: plain ratio"),
        (0, 60, "no samples in HEAD: plain ratio"),
        (60, 0, "no samples in the baseline: plain ratio"),
        (0, 0, "no samples: plain ratio"),
    ],
)
def test_too_few_samples_fall_back_to_the_ratio_and_say_so(head: int, base: int, said: str) -> None:
    """A side with no samples is a run written with its statistics alone."""
    mine = _series("micro.json", _times(9, head or 60, 1.3e-3), keep=bool(head))
    theirs = _series("main.json", _times(10, base or 60, 1e-3), keep=bool(base))
    outcome, summary, measured = _judge(mine, theirs)
    assert said in summary and said in measured.actual
    assert outcome is Outcome.FAIL  # +30 % by the plain ratio too: not made looser
    assert measured.sampled is not None and measured.sampled.method is Method.RATIO
    assert measured.sampled.interval is None and measured.sampled.p_value is None
    assert measured.change == pytest.approx(0.3, abs=0.1)


def test_the_plain_ratio_is_not_stricter_than_without_a_confidence() -> None:
    """The same verdict, limit and change as a matrix without confidence: only the note."""
    head, base = _times(11, 5, 1.05e-3), _times(12, 5, 1e-3)
    plain = _judge(head, base, confidence=None)
    sampled = _judge(head, base)
    assert plain[0] is sampled[0] is Outcome.PASS
    assert plain[2].change == sampled[2].change and plain[2].sampled is None


def test_an_unusable_sample_is_an_error_never_a_pass() -> None:
    outcome, summary, _ = _judge([0.0, *_times(13, 20, 1e-3)], _times(14, 20, 1e-3))
    assert outcome is Outcome.ERROR and "every sample must be a finite number above 0" in summary


def test_a_statistic_a_shift_does_not_stand_for_is_an_error_at_check() -> None:
    """validate refuses it; a matrix built in code meets the engine's own guard."""
    outcome, summary, _ = _judge(_times(15, 20, 1e-3), _times(16, 20, 1e-3), "max +10%")
    assert outcome is Outcome.ERROR and "a confidence judges a shift" in summary


# --- the artifacts: broken samples are broken evidence -----------------------------------------


def _pytest_benchmark_json(data: list[Any]) -> str:
    stats = {"min": 1e-3, "max": 2e-3, "mean": 1.5e-3, "median": 1.5e-3, "stddev": 1e-4,
             "rounds": len(data), "iterations": 1, "ops": 666.0, "data": data}  # fmt: skip
    return json.dumps({"machine_info": {}, "benchmarks": [{"name": "test_work",
                       "fullname": "t.py::test_work", "stats": stats}]})  # fmt: skip


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("[0.001, -0.002]", "negative"),
        ("[0.001, NaN]", "NaN"),
        ('[0.001, "fast"]', "benchmarks[0].stats.data[1]"),
        ("[0.001, Infinity]", "Infinity"),
    ],
)
def test_broken_samples_are_refused_at_parse(tmp_path: Path, data: str, said: str) -> None:
    path = tmp_path / "bench.json"
    path.write_text(_pytest_benchmark_json([]).replace('"data": []', f'"data": {data}'))
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, "bench.json", "pytest-benchmark")
    assert said in str(caught.value)


def test_pytest_benchmark_data_are_the_samples(tmp_path: Path) -> None:
    path = tmp_path / "bench.json"
    path.write_text(_pytest_benchmark_json([3e-3, 1e-3, 2e-3]))
    (metric,) = parse_file(path, "bench.json", "pytest-benchmark").metrics
    assert list(metric.samples) == [1e-3, 2e-3, 3e-3]
    assert metric.sample_dimension is Dimension.TIME


# --- the JSON report ---------------------------------------------------------------------------


REPORT_SCHEMA = Draft202012Validator(load_schema("report.schema.json"))


def _measurements(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for c in report["cells"] for b in c["benchmarks"] for m in b["measurements"]]


# --- real runs ---------------------------------------------------------------------------------

_BENCH = """\
def work():
    return sum(range({n}))


def test_work(benchmark):
    benchmark(work)
"""


def _pytest_benchmark(folder: Path, n: int, out: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "test_speed.py").write_text(textwrap.dedent(_BENCH.format(n=n)), encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "pytest_benchmark.plugin", "-p",
         "no:cacheprovider", str(folder / "test_speed.py"), f"--rootdir={folder}",
         "--benchmark-min-rounds=40", "--benchmark-max-time=0.05", "--benchmark-warmup=off",
         "--benchmark-save-data", f"--benchmark-storage=file://{folder / 'storage'}",
         f"--benchmark-json={out}"],
        cwd=folder, capture_output=True, text=True, timeout=120, check=False,
        env=child_env(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),  # only the plugin named
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three runs of one benchmark: two of the same code, one doing four times the work (no
    drift of this shared machine between runs, +65 % seen, brings that under +30 %)."""
    root = tmp_path_factory.mktemp("confidence")
    _pytest_benchmark(root / "base", 20_000, root / "runs" / "base.json")
    _pytest_benchmark(root / "same", 20_000, root / "runs" / "same.json")
    _pytest_benchmark(root / "slow", 80_000, root / "runs" / "slow.json")
    return root


def _check(
    root: Path, head: str, base: str, change: str, *extra: str, fmt: str = "pytest-benchmark"
) -> tuple[int, dict[str, Any]]:
    text = _matrix(f'"{change}"', head=fmt, base=fmt).decode()
    text = text.replace("reports/micro.json", f"runs/{head}.json")
    (root / "gatekeeper.yml").write_text(text.replace("baseline/micro.json", f"runs/{base}.json"))
    out = root / "report.json"
    code = main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "none",
                 "--output", f"json:{out}", *extra])  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    REPORT_SCHEMA.validate(report)
    return code, report


@pytest.mark.slow
def test_real_runs_a_slower_version_is_regressed_at_95(runs: Path) -> None:
    code, report = _check(runs, "slow", "base", "median +30%")
    assert code == ExitCode.FAILED
    (measured,) = _measurements(report)
    assert measured["method"] == "mann-whitney" and measured["confidence"] == 0.95
    assert measured["samples"]["base"] >= 40 and measured["samples"]["head"] >= 40
    assert measured["paired"] is False and measured["interval"][0] > 0.3
    assert measured["ok"] is False and 0 <= measured["p_value"] < 0.025
    baseline = report["cells"][0]["benchmarks"][0]["baseline"]
    assert baseline == {
        "artifact": "main",
        "source": "artifact",
        "max_change": ["median +30%"],
        "confidence": 0.95,
        "paired": False,
        "drift": None,
    }
    assert "breaks 'median +30%' of the baseline" in report["cells"][0]["benchmarks"][0]["summary"]


@pytest.mark.slow
def test_real_runs_the_same_code_is_not_regressed(runs: Path) -> None:
    """The same code twice, judged with a limit wide enough for this shared machine's drift
    between runs (+65 % seen a minute apart): within it."""
    code, report = _check(runs, "same", "base", "median +150%")
    (measured,) = _measurements(report)
    assert code == ExitCode.PASSED, measured["actual"]
    assert measured["method"] == "mann-whitney" and measured["ok"] is True
    low, high = measured["interval"]
    assert low <= measured["change"] <= high < 1.5


@pytest.mark.slow
def test_real_runs_judge_the_same_from_a_bundle(runs: Path) -> None:
    """A bundle keeps the samples a confidence reads, and judges as the files do."""
    code, report = _check(runs, "slow", "base", "median +30%")
    sha = "cd" * 20
    bundle = runs / "bundle.json"
    matrix = str(runs / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", sha, "--out", str(bundle)]) == 0
    out = runs / "from-bundle.json"
    again = main(["check", "--matrix", matrix, "--bundle", str(bundle), "--sha", sha,
                  "--format", "none", "--output", f"json:{out}"])  # fmt: skip
    assert again == code == ExitCode.FAILED
    (from_files,) = _measurements(report)
    (from_bundle,) = _measurements(json.loads(out.read_text(encoding="utf-8")))
    for key in ("method", "interval", "p_value", "samples", "change", "ok"):
        assert from_bundle[key] == from_files[key], key


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("hyperfine") is None, reason="hyperfine is not installed")
def test_real_hyperfine_runs_a_slower_command_is_regressed(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    for name, seconds in (("base", "0.01"), ("slow", "0.03")):
        subprocess.run(
            ["hyperfine", "--runs", "15", "--warmup", "1", "--style", "none", "-N",
             "--command-name", "test_sleep", "--export-json", str(runs / f"{name}.json"),
             f"sleep {seconds}"],
            capture_output=True, timeout=60, check=True,
        )  # fmt: skip
    code, report = _check(tmp_path, "slow", "base", "mean +50%", fmt="hyperfine")
    (measured,) = _measurements(report)
    assert code == ExitCode.FAILED, measured["actual"]
    assert measured["method"] == "mann-whitney" and measured["samples"] == {"base": 15, "head": 15}
    assert measured["interval"][0] > 0.5


# --- the README --------------------------------------------------------------------------------


def _bench_file(path: Path, samples: list[float]) -> None:
    ordered = sorted(samples)
    stats = {"min": ordered[0], "max": ordered[-1], "mean": sum(ordered) / len(ordered),
             "median": ordered[len(ordered) // 2], "rounds": len(ordered), "iterations": 1,
             "data": samples}  # fmt: skip
    document = {"machine_info": {}, "benchmarks": [{"name": "test_work", "stats": stats}]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_the_readme_confidence_example_prints_what_the_readme_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("#### At a confidence, from the raw samples") :]
    line = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    printed = section.split("```text\n", 1)[1].split("```", 1)[0]
    (tmp_path / "gatekeeper.yml").write_text(
        "version: 1\nphases: [{id: iron, name: Iron}]\nartifacts:\n"
        '  micro: {format: pytest-benchmark, paths: "reports/micro.json"}\n'
        '  micro-main: {format: pytest-benchmark, paths: "baseline/micro.json"}\n'
        "swimlanes:\n  - id: core\n    name: Core\n    cells:\n      iron:\n"
        "        goal: no slower\n        benchmarks:\n          - id: no-slower-than-main\n"
        '            metric: {from: micro, name: "test_*"}\n' + line,
        encoding="utf-8",
    )  # fmt: skip
    _bench_file(tmp_path / "reports" / "micro.json", _times(21, 50, 1.3e-3))
    _bench_file(tmp_path / "baseline" / "micro.json", _times(22, 50, 1.0e-3))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["check", "--matrix", "gatekeeper.yml"]) == ExitCode.FAILED
    out = capsys.readouterr().out
    assert printed in out, out


def test_markdown_and_html_show_the_interval(tmp_path: Path) -> None:
    (tmp_path / "gatekeeper.yml").write_text(
        _matrix().decode().replace("reports/micro.json", "head.json")
        .replace("baseline/micro.json", "base.json"), encoding="utf-8"
    )  # fmt: skip
    _bench_file(tmp_path / "head.json", _times(21, 50, 1.3e-3))
    _bench_file(tmp_path / "base.json", _times(22, 50, 1.0e-3))
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    code = main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--format", "none",
                 "--output", f"markdown:{md}", "--output", f"html:{page}"])  # fmt: skip
    assert code == ExitCode.FAILED
    unpaired = "unpaired: includes drift between runs"
    assert rf"(+30.7 % \[+27.7, +33.1\] at 95 %; {unpaired})" in md.read_text(encoding="utf-8")
    assert f"(+30.7 % [+27.7, +33.1] at 95 %; {unpaired})" in page.read_text(encoding="utf-8")
