"""The gate judges a paired run's rounds (`baseline.paired`, issue 15).

Synthetic round files in hyperfine's JSON shape (figures known in advance) give each verdict
and each fail-closed case; the matrix key and what `validate` refuses; then real
`gatekeeper bench` runs of pytest-benchmark judged by `gatekeeper check`, from the files and
from a bundle, and the README's example.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gatekeeper.cli import main
from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
from gatekeeper.matrix.load import parse_matrix
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.model import Baseline, MetricCriterion
from gatekeeper.resources import load_schema
from gatekeeper.results import Method, Outcome
from gatekeeper.threshold import parse_change
from gatekeeper.units import Dimension, Quantity
from tests.bench_runs import BENCH_TEST, PYTEST_BENCHMARK, WORK, repository
from tests.bench_runs import bench as run_bench
from tests.conftest import REPO
from tests.matrices import findings_matrix

MATRIX = """\
version: 1
phases: [{id: one, name: One}]
artifacts:
  bench-head: {format: %(fmt)s, paths: "bench/head/round-*"}
  bench-base: {format: %(fmt)s, paths: "bench/base/round-*"}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: No slower than main
        benchmarks:
          - id: speed
            metric: {from: bench-head, name: %(name)s}
            baseline: {from: bench-base, max_change: %(change)s, paired: true%(extra)s}
"""


def _matrix(
    change: str = '"median +10%"', extra: str = "", fmt: str = "hyperfine", name: str = '"*"'
) -> str:
    return MATRIX % {"change": change, "extra": extra, "fmt": fmt, "name": name}


def _hyperfine(path: Path, figures: dict[str, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    results = [
        {"command": name, "mean": t, "stddev": 0.0, "median": t, "user": 0.0, "system": 0.0,
         "min": t, "max": t, "times": [t] * 3, "exit_codes": [0] * 3}
        for name, t in figures.items()
    ]  # fmt: skip
    path.write_text(json.dumps({"results": results}), encoding="utf-8")


def _rounds(root: Path, base: list[dict[str, float]], head: list[dict[str, float]]) -> None:
    for side, figures in (("base", base), ("head", head)):
        for i, round_ in enumerate(figures, 1):
            _hyperfine(root / "bench" / side / f"round-{i:02d}", round_)


REPORT_SCHEMA = Draft202012Validator(load_schema("report.schema.json"))


def _check(root: Path, matrix: str, *extra: str) -> tuple[int, dict[str, Any]]:
    (root / "gatekeeper.yml").write_text(matrix, encoding="utf-8")
    out = root / "report.json"
    code = main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "none",
                 "--output", f"json:{out}", *extra])  # fmt: skip
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    REPORT_SCHEMA.validate(report)
    return code, report


def _bench(report: dict[str, Any]) -> dict[str, Any]:
    (cell,) = report["cells"]
    (bench,) = cell["benchmarks"]
    result: dict[str, Any] = bench
    return result


SAME = [{"a": 1.0 + i / 1000} for i in range(10)]
SLOWER = [{"a": 1.3 + i / 100} for i in range(10)]


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")


# --- the matrix key ------------------------------------------------------------------------------


def test_the_matrix_declares_paired_rounds_at_95_unless_told() -> None:
    criterion = parse_matrix(_matrix().encode(), "m.yml").cells[0].benchmarks[0].criterion
    assert isinstance(criterion, MetricCriterion) and criterion.baseline is not None
    assert criterion.baseline.paired is True and criterion.baseline.confidence == 0.95
    told = parse_matrix(_matrix(extra=", confidence: 0.99").encode(), "m.yml")
    criterion = told.cells[0].benchmarks[0].criterion
    assert isinstance(criterion, MetricCriterion) and criterion.baseline is not None
    assert criterion.baseline.confidence == 0.99


@pytest.mark.parametrize(
    ("matrix", "said"),
    [
        (_matrix(change='"median +1pt"'), "paired rounds: 'median +1pt' is in percentage"),
        (_matrix().replace("{from: bench-base,", "{from: bench-head,"),
         "paired rounds need two artifacts, HEAD's rounds and the base's, not 'bench-head'"),
        (_matrix().replace("{from: bench-base, ", "{"),
         "name their artifact in from, not the merge base's evidence"),
    ],
)  # fmt: skip
def test_validate_refuses_paired_rounds_that_cannot_work(matrix: str, said: str) -> None:
    with pytest.raises(MatrixError) as caught:
        parse_matrix(matrix.encode(), "m.yml")
    problems = "\n".join(str(p) for p in caught.value.problems)
    assert said in problems, problems
    assert "swimlanes[0].cells.one.benchmarks[0].baseline.paired" in problems


@pytest.mark.parametrize("change", ['"min +10%"', '"p(95) +10%"', '"max +10%"', '"user +5%"'])
def test_paired_rounds_judge_any_statistic_a_run_reports(change: str) -> None:
    """Each round gives one figure a side and the rounds' ratios are judged: the least time
    of each run (min, the steadiest), a tail, anything a run reports, as a change in %."""
    parse_matrix(_matrix(change=change, extra=", confidence: 0.95").encode(), "m.yml")


def test_paired_rounds_need_no_format_with_samples() -> None:
    """The rounds are the samples: a format with summaries only (a k6 summary) is fine."""
    parse_matrix(_matrix(fmt="k6", name='"http_req_duration"').encode(), "m.yml")


def test_paired_on_findings_is_refused() -> None:
    text = findings_matrix("{from: lint-main, max_new: 0, paired: true}")
    with pytest.raises(MatrixError) as caught:
        parse_matrix(text.encode(), "m.yml")
    assert "paired does not apply to findings" in str(caught.value.problems[0])


# --- verdicts ------------------------------------------------------------------------------------


def test_the_same_figures_round_by_round_are_within(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 10, SAME)
    code, report = _check(tmp_path, _matrix())
    assert code == ExitCode.PASSED
    bench = _bench(report)
    assert bench["outcome"] == "pass"
    assert bench["baseline"] == {
        "artifact": "bench-base", "source": "artifact", "max_change": ["median +10%"],
        "confidence": 0.95, "paired": True, "drift": None,
    }  # fmt: skip
    (measured,) = bench["measurements"]
    assert measured["method"] == "wilcoxon-signed-rank" and measured["paired"] is True
    assert measured["samples"] == {"base": 10, "head": 10}
    assert measured["confidence"] == 0.95 and measured["ok"] is True
    low, high = measured["interval"]
    assert 0 <= low <= measured["change"] <= high < 0.01
    assert measured["value"] == pytest.approx(1.0045) and measured["baseline"] == 1.0
    assert "at 95 %, 10 rounds paired)" in bench["summary"]
    assert "within 'median +10%' of the baseline" in bench["summary"]


def test_slower_in_every_round_is_regressed(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 10, SLOWER)
    code, report = _check(tmp_path, _matrix())
    assert code == ExitCode.FAILED
    bench = _bench(report)
    assert bench["outcome"] == "fail"
    (measured,) = bench["measurements"]
    assert measured["ok"] is False and measured["interval"][0] > 0.1
    assert measured["p_value"] < 0.025
    assert bench["summary"] == (
        "a med = 1.345s vs 1s (+34.5 % [+32.0, +37.0] at 95 %, 10 rounds paired) "
        "(breaks 'median +10%' of the baseline)"
    )


def test_an_interval_holding_the_limit_is_unclear_and_fails(tmp_path: Path) -> None:
    head = [{"a": t} for t in (1.0, 1.2, 1.05, 1.15, 1.1, 1.12, 1.08, 0.98, 1.22, 1.1)]
    _rounds(tmp_path, [{"a": 1.0}] * 10, head)
    code, report = _check(tmp_path, _matrix())
    assert code == ExitCode.FAILED
    bench = _bench(report)
    assert bench["outcome"] == "fail"
    assert "cannot show it is within 'median +10%' of the baseline" in bench["summary"]


def _pytest_benchmark(path: Path, mean: float) -> None:
    stats = {"min": mean, "max": mean, "mean": mean, "median": mean, "rounds": 5,
             "iterations": 1, "ops": 1 / mean}  # fmt: skip
    document = {"machine_info": {}, "benchmarks": [{"name": "test_a", "stats": stats}]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")


def test_a_throughput_drop_is_judged_on_the_rounds(tmp_path: Path) -> None:
    """'ops -5%': pytest-benchmark's operations per second, one figure per round."""
    for i in range(1, 9):
        _pytest_benchmark(tmp_path / "bench" / "base" / f"round-{i:02d}", 1.0)
        _pytest_benchmark(tmp_path / "bench" / "head" / f"round-{i:02d}", 1.2 + i / 1000)
    matrix = _matrix(change='"ops -5%"', fmt="pytest-benchmark")
    code, report = _check(tmp_path, matrix)
    assert code == ExitCode.FAILED
    (measured,) = _bench(report)["measurements"]
    assert measured["change"] == pytest.approx(1 / 1.2045 - 1, abs=1e-3)
    assert measured["method"] == "wilcoxon-signed-rank" and measured["interval"][1] < -0.05
    fine = _matrix(change='"ops -25%"', fmt="pytest-benchmark")
    assert _check(tmp_path, fine)[0] == ExitCode.PASSED


def test_a_series_no_base_round_has_is_new_and_not_compared(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 6, [{"a": 1.0, "b": 2.0}] * 6)
    code, report = _check(tmp_path, _matrix())
    assert code == ExitCode.PASSED
    assert "new, not compared with the baseline: b" in _bench(report)["details"]


# --- fail closed ---------------------------------------------------------------------------------


def _fails_closed(tmp_path: Path, outcome: str, *said: str) -> dict[str, Any]:
    code, report = _check(tmp_path, _matrix())
    assert code == ExitCode.FAILED
    bench = _bench(report)
    assert bench["outcome"] == outcome, bench
    text = " ".join([bench["summary"], *bench["details"]])
    for words in said:
        assert words in text, text
    return bench


def test_a_head_round_without_its_base_partner_is_an_error(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 6, [{"a": 1.0}] * 7)
    _fails_closed(tmp_path, "error", "round file bench/head/round-07 has no partner named "
                  "'round-07' in the baseline 'bench-base'")  # fmt: skip


def test_a_base_round_without_its_head_partner_is_an_error(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 6, [{"a": 1.0}] * 6)
    (tmp_path / "bench" / "head" / "round-03").rename(tmp_path / "bench" / "head" / "round-3")
    _fails_closed(
        tmp_path, "error",
        "round file bench/head/round-3 has no partner named 'round-3'",
        "baseline round file bench/base/round-03 has no partner named 'round-03' in "
        "'bench-head'",
    )  # fmt: skip


def test_a_series_missing_from_a_round_is_an_error(tmp_path: Path) -> None:
    head = [{"a": 1.0, "b": 2.0}] * 6
    head[3] = {"a": 1.0}
    _rounds(tmp_path, [{"a": 1.0, "b": 2.0}] * 6, head)
    bench = _fails_closed(tmp_path, "error", "b: b is not in round file bench/head/round-04")
    oks = [m["ok"] for m in bench["measurements"]]
    assert oks == [True, False]  # a is judged, b is not


def test_a_series_twice_in_a_round_is_an_error(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 6, [{"a": 1.0}] * 6)
    twice = {
        "results": [json.loads((tmp_path / "bench/head/round-02").read_text())["results"][0]] * 2
    }
    (tmp_path / "bench/head/round-02").write_text(json.dumps(twice), encoding="utf-8")
    _fails_closed(tmp_path, "error", "a is in round file bench/head/round-02 2 times")


def test_fewer_than_five_rounds_is_missing(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 4, [{"a": 1.0}] * 4)
    _fails_closed(tmp_path, "missing", "4 paired rounds (bench/head/round-01, ",
                  "a paired comparison needs at least 5")  # fmt: skip


def test_a_figure_of_zero_is_an_error_naming_the_file(tmp_path: Path) -> None:
    base = [{"a": 1.0}] * 6
    base[4] = {"a": 0.0}
    _rounds(tmp_path, base, [{"a": 1.0}] * 6)
    _fails_closed(tmp_path, "error", "round file bench/base/round-05: med = 0.0 is not a "
                  "finite number above 0")  # fmt: skip


def test_no_base_rounds_at_all_is_missing(tmp_path: Path) -> None:
    _rounds(tmp_path, [], [{"a": 1.0}] * 6)
    code, report = _check(tmp_path, _matrix())
    assert code == ExitCode.FAILED
    assert _bench(report)["outcome"] == "missing"


def test_unpaired_several_baseline_files_with_a_series_stay_an_error(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 6, [{"a": 1.0}] * 6)
    code, report = _check(tmp_path, _matrix().replace(", paired: true", ""))
    assert code == ExitCode.FAILED
    assert "a: the baseline has it twice" in _bench(report)["summary"]


def test_two_round_files_of_one_name_on_a_side_are_an_error(tmp_path: Path) -> None:
    _rounds(tmp_path, [{"a": 1.0}] * 6, [{"a": 1.0}] * 6)
    _hyperfine(tmp_path / "bench" / "head" / "again" / "round-01", {"a": 1.0})
    matrix = _matrix().replace('"bench/head/round-*"', '"bench/head/**/round-*"')
    code, report = _check(tmp_path, matrix)
    assert code == ExitCode.FAILED
    bench = _bench(report)
    assert bench["outcome"] == "error"
    assert "two round files named 'round-01' in 'bench-head'" in bench["summary"]


def _evidence(artifact: str, side: str, figures: list[float]) -> ArtifactEvidence:
    files = tuple(
        ParsedFile(f"{side}/round-{i:02d}", "hyperfine",
                   metrics=(Metric("a", stats={"med": Quantity(t, Dimension.TIME),
                                               "min": Quantity(t * 0.9, Dimension.TIME)}),))
        for i, t in enumerate(figures, 1)
    )  # fmt: skip
    return ArtifactEvidence(artifact, ArtifactState.READ, files)


def _built(change: str) -> MetricCriterion:
    """A criterion built in code, as no matrix file would give it: no confidence."""
    return MetricCriterion(
        "head", "a", {}, (), Baseline("base", (parse_change(change),), None, paired=True)
    )


def test_a_paired_baseline_built_in_code_is_judged_at_95() -> None:
    outcome, summary, _, (measured,) = evaluate_metric(
        _built("median +10%"), _evidence("head", "head", [1.0] * 6),
        _evidence("base", "base", [1.0] * 6),
    )  # fmt: skip
    assert outcome is Outcome.PASS and "at 95 %, 6 rounds paired" in summary
    assert measured.sampled is not None and measured.sampled.paired
    assert measured.sampled.method is Method.WILCOXON_SIGNED_RANK


def test_a_change_rounds_cannot_judge_is_an_error_when_built_in_code() -> None:
    outcome, summary, _, _ = evaluate_metric(
        _built("med +1pt"), _evidence("head", "head", [1.0] * 6),
        _evidence("base", "base", [1.0] * 6),
    )  # fmt: skip
    assert outcome is Outcome.ERROR
    assert summary.startswith("a: paired rounds: 'med +1pt' is in percentage points")


def test_the_least_time_of_each_round_is_judged_as_pairs() -> None:
    slower = [1.3, 1.31, 1.32, 1.33, 1.34, 1.35]
    outcome, summary, _, (measured,) = evaluate_metric(
        _built("min +10%"), _evidence("head", "head", slower),
        _evidence("base", "base", [1.0] * 6),
    )  # fmt: skip
    assert outcome is Outcome.FAIL and "breaks 'min +10%'" in summary
    assert measured.value is not None and measured.value.value == pytest.approx(0.9 * 1.325)


# --- real runs: gatekeeper bench, then gatekeeper check ------------------------------------------


def _readme_matrix() -> str:
    """The matrix lines of the README's "Paired runs" section, in a whole matrix."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Paired runs: `gatekeeper bench`") :]
    section = section[: section.index("\n### ")]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    (block,) = [b for b in blocks if "paired: true" in b]
    artifacts, benchmarks = block.split("...\n")
    return (
        "version: 1\nphases: [{id: iron, name: Iron}]\n" + artifacts
        + "swimlanes:\n  - id: core\n    name: Core\n    cells:\n      iron:\n"
        "        goal: no slower\n        benchmarks:\n" + benchmarks
    )  # fmt: skip


def _readme_verdict() -> str:
    """The verdict line the README's "Paired runs" section shows."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Paired runs: `gatekeeper bench`") :]
    section = section[: section.index("\n### ")]
    blocks = [b.split("```", 1)[0] for b in section.split("```text\n")[1:]]
    (block,) = [b for b in blocks if "rounds paired" in b]
    return block.splitlines()[1].strip()


def _bench_runs(repo: Path) -> subprocess.CompletedProcess[str]:
    return run_bench(repo, "--base", "main", "--rounds", "12", "--format", "json", "--",
                 *PYTEST_BENCHMARK)  # fmt: skip


@pytest.mark.slow
def test_real_paired_runs_judged_by_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gatekeeper bench` with pytest-benchmark, then `gatekeeper check` on its round files
    with the README's matrix: the same code is not regressed, twice the work is (12 rounds:
    1.5x the work in 8 came out `unclear` once with the suite loading both cores); a bundle
    collected from the rounds judges as the files do."""
    repo = repository(
        tmp_path, {"work.py": WORK.format(n=20_000), "test_bench.py": BENCH_TEST, "pytest.ini": ""}
    )
    matrix = _readme_matrix()
    verdicts = {}
    for name, n in (("same", 20_000), ("slower", 40_000)):
        (repo / "work.py").write_text(WORK.format(n=n), encoding="utf-8")
        done = _bench_runs(repo)
        assert done.returncode in (0, 1), done.stderr[-3000:]
        monkeypatch.chdir(repo)
        code, report = _check(repo, matrix, "--dry-run")
        bench = _bench(report)
        (measured,) = bench["measurements"]
        assert measured["method"] == "wilcoxon-signed-rank" and measured["paired"] is True
        assert measured["samples"] == {"base": 12, "head": 12}
        verdicts[name] = (code, bench["outcome"], measured["change"], bench["summary"])
        bundle = repo / "bundle.json"
        sha = "ab" * 20
        collect = ["collect", "--matrix", str(repo / "gatekeeper.yml"), "--sha", sha]
        assert main([*collect, "--out", str(bundle)]) == 0
        out = repo / "from-bundle.json"
        again = main(["check", "--matrix", str(repo / "gatekeeper.yml"), "--bundle",
                      str(bundle), "--sha", sha, "--dry-run", "--format", "none",
                      "--output", f"json:{out}"])  # fmt: skip
        from_bundle = _bench(json.loads(out.read_text(encoding="utf-8")))
        assert again == code
        assert from_bundle["summary"] == bench["summary"]
        assert from_bundle["measurements"] == bench["measurements"]
        # the same runs judged unpaired: round 1 of each side, from its raw samples
        unpaired = matrix.replace("round-*", "round-01").replace("paired: true", "confidence: 0.95")
        _, report = _check(repo, unpaired, "--dry-run")
        verdicts[f"{name}, unpaired round 1"] = (_bench(report)["summary"],)
        assert "unpaired: includes drift between runs" in _bench(report)["summary"]
    with capsys.disabled():
        print("\npaired gate, real runs:", json.dumps(verdicts, indent=1, ensure_ascii=False))
    shown = (
        r"test_work med = \S+ vs \S+ \(\+\d+\.\d % \[[+-]\d+\.\d, \+\d+\.\d\] at 95 %, "
        r"\d+ rounds paired\) \(breaks 'median \+10%' of the baseline\)"
    )
    assert re.fullmatch(shown, verdicts["slower"][3])
    assert re.fullmatch(shown, _readme_verdict())  # the README shows such a run
    assert verdicts["same"][1] != "fail" or "cannot show" in verdicts["same"][3]
    assert "breaks" not in verdicts["same"][3]
    assert verdicts["slower"][:2] == (ExitCode.FAILED, "fail")
    assert "breaks 'median +10%' of the baseline" in verdicts["slower"][3]
    assert verdicts["slower"][2] > 0.2
