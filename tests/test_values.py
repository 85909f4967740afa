"""Values a gate must not be talked into (issue 9, classes 3, 4 and 7), judged end to end.

Each test runs ``check`` in-process on a real fixture (copied into a temporary folder) or on
a small file written here, and reads the outcome from the JSON report.
"""

from __future__ import annotations

import array
import json
import math
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import EvidenceError, ExitCode
from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.parsers import AUTO, parse_file
from gatekeeper.plausible import implausible, metric_problem
from gatekeeper.units import Dimension
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "parsers" / "fixtures"


def _matrix(root: Path, artifacts: str, benchmarks: str) -> Path:
    """A one-cell matrix: ``artifacts`` and ``benchmarks`` are YAML lines, indented here."""
    lines = [
        "version: 1",
        "phases: [{id: one, name: One}]",
        "artifacts:",
        *(f"  {line}" for line in textwrap.dedent(artifacts).splitlines()),
        "swimlanes:",
        "  - id: core",
        "    name: Core",
        "    cells:",
        "      one:",
        "        goal: Measured",
        "        benchmarks:",
        *(f"          {line}" for line in textwrap.dedent(benchmarks).splitlines()),
    ]
    path = root / "gatekeeper.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(matrix: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    """The exit code and each benchmark's result in the JSON report, by id."""
    report = matrix.parent / "report.json"
    code = main(["check", "--matrix", str(matrix), "--format", "none",
                 "--output", f"json:{report}"])  # fmt: skip
    data = json.loads(report.read_text(encoding="utf-8"))
    found = {b["id"]: b for cell in data["cells"] for b in cell["benchmarks"]}
    return code, found


# --- class 3: every statistic has a dimension -----------------------------------------------


def test_a_count_of_raw_time_samples_is_a_count(tmp_path: Path) -> None:
    """Criterion's fib/20 has 4 samples: `count >= 100` read them as 4 s >= 100 ms: pass."""
    shutil.copytree(FIXTURES / "criterion" / "target", tmp_path / "target")
    matrix = _matrix(
        tmp_path,
        'crit: {format: criterion, paths: "target/criterion/fib/20/new/estimates.json"}',
        """\
        - {id: runs, metric: {from: crit, name: fib/20}, threshold: "count >= 100"}
        - {id: few, metric: {from: crit, name: fib/20}, threshold: "count == 4"}
        """,
    )
    code, found = _check(matrix)
    assert found["runs"]["outcome"] == "fail"
    assert found["runs"]["measurements"][0]["actual"] == "4"
    assert found["few"]["outcome"] == "pass"
    assert code == ExitCode.FAILED


def test_a_bare_one_against_a_ratio_is_an_error_at_check_when_the_format_is_auto(
    tmp_path: Path,
) -> None:
    """Issue 9, class 7: `error_rate < 1` read as < 100 %, so Locust's 25 % passed."""
    shutil.copy(FIXTURES / "locust" / "locust-2.47_stats.csv", tmp_path / "run_stats.csv")
    matrix = _matrix(
        tmp_path,
        'locust: {format: auto, paths: "run_stats.csv"}',
        """\
        - {id: bare, metric: {from: locust, name: Aggregated}, threshold: "error_rate < 1"}
        - {id: percent, metric: {from: locust, name: Aggregated}, threshold: "error_rate < 1%"}
        - {id: fraction, metric: {from: locust, name: Aggregated}, threshold: "error_rate < 0.3"}
        """,
    )
    code, found = _check(matrix)
    assert found["bare"]["outcome"] == "error"
    assert "error_rate is a ratio, where a bare number is a fraction" in found["bare"]["summary"]
    assert "write 1% for 1 per cent, or 100% for all" in found["bare"]["summary"]
    assert found["percent"]["outcome"] == "fail"
    assert found["fraction"]["outcome"] == "pass"  # 25 % < 30 %: a fraction below 1 is fine
    assert code == ExitCode.FAILED


def test_k6_rate_is_a_ratio_or_per_second_by_metric_so_it_is_judged_at_check(
    tmp_path: Path,
) -> None:
    shutil.copy(FIXTURES / "k6" / "machine-readable-summary.json", tmp_path / "k6.json")
    matrix = _matrix(
        tmp_path,
        'load: {format: k6, paths: "k6.json"}',
        """\
        - {id: checks, metric: {from: load, name: checks}, threshold: "rate > 5"}
        - {id: reqs, metric: {from: load, name: http_reqs}, threshold: "rate > 5"}
        - {id: mb, metric: {from: load, name: http_req_duration}, threshold: "p(95) < 5MB"}
        """,
    )
    assert main(["validate", str(matrix)]) == ExitCode.PASSED  # the dimension varies: not here
    code, found = _check(matrix)
    assert found["checks"]["outcome"] == "error"
    assert "rate is a ratio" in found["checks"]["summary"]
    assert found["reqs"]["outcome"] == "pass"  # 23.74/s: a counter's rate is per second
    assert found["mb"]["outcome"] == "error"
    assert "unit 'MB' measures size, but the statistic measures time" in found["mb"]["summary"]
    assert code == ExitCode.FAILED


def test_validate_refuses_the_wrong_dimension_where_the_format_is_declared(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _matrix(
        tmp_path,
        'locust: {format: locust, paths: "run_stats.csv"}',
        """\
        - {id: bare, metric: {from: locust, name: Aggregated}, threshold: "error_rate < 1"}
        """,
    )
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    line = matrix.read_text(encoding="utf-8").splitlines()[11]
    column = line.index("threshold:") + 1
    assert f"{matrix}:12:{column}: swimlanes[0].cells.one.benchmarks[0].threshold: " in err
    assert "'error_rate < 1' against locust's error_rate: error_rate is a ratio" in err


# --- class 4: impossible values are never evidence ------------------------------------------


def _k6_summary() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """k6 v1's machine-readable summary, and its metrics by name (to change in place)."""
    data = json.loads((FIXTURES / "k6" / "machine-readable-summary.json").read_text("utf-8"))
    return data, {m["name"]: m for m in data["results"]["metrics"]}


def _k6_summary_with(tmp_path: Path, stat: str, value: float) -> Path:
    data, metrics = _k6_summary()
    metrics["http_req_duration"]["values"][stat] = value
    path = tmp_path / "k6.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _refusal(path: Path, fmt: str = AUTO) -> str:
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, path.name, fmt)
    return str(caught.value)


def test_a_negative_p95_fails_closed_instead_of_passing_a_less_than(tmp_path: Path) -> None:
    _k6_summary_with(tmp_path, "p95", -250.0)
    matrix = _matrix(
        tmp_path,
        'load: {format: k6, paths: "k6.json"}',
        """\
        - {id: p95, metric: {from: load, name: http_req_duration}, threshold: "p(95) < 250ms"}
        """,
    )
    code, found = _check(matrix)
    assert found["p95"]["outcome"] == "error"
    assert found["p95"]["details"] == [
        "k6.json: impossible value: http_req_duration p(95) = -250ms, but a time cannot be negative"
    ]
    assert code == ExitCode.NO_EVIDENCE  # its only artifact is unreadable


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "neg.txt",
            "BenchmarkSort-8   1000   -5 ns/op\n",
            "neg.txt: impossible value: BenchmarkSort{procs:8} avg = -5ns, but a time cannot "
            "be negative",
        ),
        (
            "bytes.txt",
            "BenchmarkSort-8   1000   5 ns/op   -64 B/op\n",
            "bytes.txt: impossible value: BenchmarkSort{procs:8} bytes = -64B, but a size "
            "cannot be negative",
        ),
        (
            "run.ndjson",
            '{"type":"Metric","data":{"name":"http_req_duration","type":"trend",'
            '"contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}\n'
            '{"metric":"http_req_duration","type":"Point","data":{"time":'
            '"2024-08-05T15:24:38.002872567+07:00","value":-3,"tags":{"status":"200"}}}\n',
            "run.ndjson: impossible value: http_req_duration avg = -3ms, but a time cannot be "
            "negative",
        ),
    ],
    ids=["go-bench-ns-per-op", "go-bench-bytes", "k6-ndjson-sample"],
)
def test_negative_amounts_are_refused_naming_file_series_and_statistic(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert _refusal(path) == message


def test_a_negative_raw_sample_is_refused_even_where_no_statistic_shows_it(
    tmp_path: Path,
) -> None:
    """k6 NDJSON keeps raw samples only for the series asked for; p(N) comes from them."""
    lines = [
        '{"type":"Metric","data":{"name":"lat","type":"trend","contains":"time",'
        '"thresholds":[],"submetrics":null},"metric":"lat"}'
    ] + [
        f'{{"metric":"lat","type":"Point","data":{{"time":"2024-08-05T15:24:38Z",'
        f'"value":{v},"tags":{{}}}}}}'
        for v in (-1, 5, 7)
    ]
    path = tmp_path / "lat.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, "lat.ndjson", "k6-ndjson", (SeriesRequest("lat"),))
    assert "impossible value: lat" in str(caught.value)
    assert "-1ms, but a time cannot be negative" in str(caught.value)


def test_a_negative_mean_in_pytest_benchmark_is_refused(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "real" / "pytest-benchmark.json").read_text("utf-8"))
    data["benchmarks"][0]["stats"]["mean"] = -1e-6
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    name = data["benchmarks"][0]["name"]
    assert f"impossible value: {name}" in _refusal(path)
    assert "avg = -1µs, but a time cannot be negative" in _refusal(path)


def test_a_custom_gauge_may_be_negative_but_must_be_finite(tmp_path: Path) -> None:
    data, metrics = _k6_summary()
    vus = metrics["vus"]
    vus["contains"] = "default"
    vus["values"]["value"] = -3
    path = tmp_path / "k6.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    gauge = next(m for m in parse_file(path, "k6.json", "k6").metrics if m.name == "vus")
    assert gauge.stats["value"].value == -3
    vus["values"]["value"] = 1e400  # json.dumps writes the literal Infinity
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "Infinity" in _refusal(path, "k6")


@pytest.mark.parametrize("dimension", list(Dimension))
def test_the_guard_s_rules_for_every_dimension(dimension: Dimension) -> None:
    signed = dimension is Dimension.NUMBER
    assert implausible(0.0, dimension) is None
    assert implausible(1e308, dimension) is None
    assert (implausible(-1e-9, dimension) is None) is signed
    for value in (math.nan, math.inf, -math.inf):
        assert implausible(value, dimension) is not None


def test_a_sample_is_checked_at_any_position_in_millions() -> None:
    ordered = array.array("d", range(2_000_000))
    metric = Metric("lat", samples=ordered, sample_dimension=Dimension.TIME)
    assert metric_problem(metric) is None
    ordered[1_234_567] = math.nan
    assert metric_problem(metric) == "lat: a raw sample is NaN, which is not a measurement"
    ordered[1_234_567] = 5.0
    ordered[0] = -1.0
    assert metric_problem(metric) == "lat: a raw sample = -1s, but a time cannot be negative"
    gauge = Metric("g", samples=array.array("d", [-1.0, 2.0]))  # a plain number may be < 0
    assert metric_problem(gauge) is None
