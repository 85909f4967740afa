"""Evidence shaped to hide a failure its tool recorded (adversarial review F3, F4, F6): a Google
Benchmark row with its error message but not its flag, hyperfine exit codes that do not pair
with the timed runs, and a JMeter label whose every request failed. Each is read through the
parser and through ``gatekeeper check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import EvidenceError, ExitCode
from gatekeeper.parsers import parse_file
from gatekeeper.parsers.load import _jmeter_csv

MATRIX = """\
version: 1
project: T
phases: [{id: one, name: One}]
artifacts:
  run: {format: FORMAT, paths: FILE}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: fast
        benchmarks:
          - id: fast
            metric: {from: run, name: "NAME"EXPECT}
            threshold: THRESHOLD
"""


def check(
    path: Path,
    fmt: str,
    metric: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
    expect: bool = False,
) -> tuple[int, str, str]:
    """``check --dry-run`` of one benchmark of ``metric`` (a series name and a threshold) on
    the file at ``path``: the exit code, the outcome, and the summary with its details."""
    name, threshold = metric
    matrix = MATRIX.replace("FORMAT", fmt).replace("FILE", path.name).replace("NAME", name)
    matrix = matrix.replace("EXPECT", ", expect_failures: true" if expect else "")
    (path.parent / "gatekeeper.yml").write_text(matrix.replace("THRESHOLD", threshold))
    argv = ["check", "-m", str(path.parent / "gatekeeper.yml"), "--dry-run", "--format", "json"]
    code = main([*argv, "--today", "2026-01-01"])
    (benchmark,) = json.loads(capsys.readouterr().out)["cells"][0]["benchmarks"]
    return code, benchmark["outcome"], "\n".join([benchmark["summary"], *benchmark["details"]])


def refusal(path: Path, fmt: str) -> str:
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, path.name, fmt)
    return str(caught.value)


# F3: Google Benchmark writes error_occurred (or skipped) only as true, always with its message.


def write_gb(tmp_path: Path, **extra: object) -> Path:
    row = {"name": "BM_x", "run_name": "BM_x", "run_type": "iteration", "repetitions": 1,
           "threads": 1, "iterations": 100, "real_time": 0.5, "cpu_time": 0.5,
           "time_unit": "us", **extra}  # fmt: skip
    path = tmp_path / "gb.json"
    path.write_text(json.dumps({"context": {"num_cpus": 4}, "benchmarks": [row]}))
    return path


@pytest.mark.parametrize(
    ("extra", "state"),
    [
        ({"error_message": "boom"}, "absent"),
        ({"error_occurred": False, "error_message": "boom"}, "false"),
    ],
)
def test_google_benchmark_an_error_message_without_its_flag_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: dict[str, object], state: str
) -> None:
    path = write_gb(tmp_path, **extra)
    said = (
        f'gb.json: benchmarks[0].error_message without "error_occurred": true (error_occurred '
        f"is {state}): the library writes the two together, so whether this run errored is "
        "unknown"
    )
    assert refusal(path, "google-benchmark") == refusal(path, "auto") == said
    code, outcome, details = check(path, "google-benchmark", ("BM_x", "real_time < 1ms"), capsys)
    assert (code, outcome) == (ExitCode.NO_EVIDENCE, "error")
    assert said in details


def test_google_benchmark_a_skip_message_without_skipped_is_refused(tmp_path: Path) -> None:
    path = write_gb(tmp_path, skip_message="not here")
    assert 'benchmarks[0].skip_message without "skipped": true (skipped is absent)' in refusal(
        path, "google-benchmark"
    )


def test_google_benchmark_the_flag_with_its_message_is_a_recorded_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_gb(tmp_path, error_occurred=True, error_message="boom")
    (metric,) = parse_file(path, "gb.json", "google-benchmark").metrics
    assert metric.failures == ("error_occurred: boom",)
    code, outcome, _ = check(path, "google-benchmark", ("BM_x", "real_time < 1ms"), capsys)
    assert (code, outcome) == (ExitCode.FAILED, "fail")


# F4: hyperfine writes one exit code per timed run (since 1.12; none before, and no failures).


def write_hf(tmp_path: Path, **result: object) -> Path:
    path = tmp_path / "hf.json"
    path.write_text(json.dumps({"results": [{"command": "./build.sh", "mean": 0.1, **result}]}))
    return path


@pytest.mark.parametrize(
    ("exit_codes", "said"),
    [
        ([], "0 exit codes for 3 runs in times"),
        ([0], "1 exit codes for 3 runs in times"),
        ([0, 0, 0, 1], "4 exit codes for 3 runs in times"),
    ],
)
def test_hyperfine_exit_codes_that_do_not_pair_with_times_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], exit_codes: list[int], said: str
) -> None:
    path = write_hf(tmp_path, times=[0.1, 0.1, 0.1], exit_codes=exit_codes)
    expected = (
        f"hf.json: results[0].exit_codes: {said}: hyperfine writes one exit code per timed "
        "run, so which runs failed is unknown"
    )
    assert refusal(path, "hyperfine") == refusal(path, "auto") == expected
    code, outcome, details = check(path, "hyperfine", ("./build.sh", "mean < 1s"), capsys)
    assert (code, outcome) == (ExitCode.NO_EVIDENCE, "error")
    assert expected in details


def test_hyperfine_null_or_timeless_exit_codes_are_refused(tmp_path: Path) -> None:
    path = write_hf(tmp_path, times=[0.1, 0.1], exit_codes=None)
    assert (
        refusal(path, "hyperfine") == "hf.json: results[0].exit_codes: expected an array, got null"
    )
    path = write_hf(tmp_path, exit_codes=[1, 1])
    assert refusal(path, "hyperfine").startswith(
        "hf.json: results[0].exit_codes: 2 exit codes but no times"
    )


def test_hyperfine_an_export_without_exit_codes_still_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_hf(tmp_path, times=[0.1, 0.1, 0.1])  # hyperfine before 1.12
    (metric,) = parse_file(path, "hf.json", "hyperfine").metrics
    assert (metric.failures, len(metric.samples)) == ((), 3)
    code, outcome, _ = check(path, "hyperfine", ("./build.sh", "mean < 1s"), capsys)
    assert (code, outcome) == (ExitCode.PASSED, "pass")


# F6: JMeter, like Locust, Gatling, wrk and vegeta: a series whose every request failed.

JTL_CSV = (
    "timeStamp,elapsed,label,responseCode,success\n"
    "1700000000000,900,GET /users/{id},500,false\n"
    "1700000000100,950,GET /users/{id},500,false\n"
    "1700000000200,10,GET /health,200,true\n"
)
JTL_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n'
    '<httpSample t="900" ts="1700000000000" s="false" lb="GET /users/{id}" rc="500"/>\n'
    '<httpSample t="950" ts="1700000000100" s="false" lb="GET /users/{id}" rc="500"/>\n'
    '<httpSample t="10" ts="1700000000200" s="true" lb="GET /health" rc="200"/>\n'
    "</testResults>\n"
)


def failures(path: Path) -> dict[str, tuple[str, ...]]:
    return {m.label: m.failures for m in parse_file(path, path.name, "jmeter").metrics}


@pytest.fixture(params=["csv", pytest.param("arrow", marks=pytest.mark.needs("pyarrow")), "xml"])
def jtl(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same run as CSV read by the csv module, CSV read by pyarrow, and XML."""
    path = tmp_path / "r.jtl"
    path.write_text(JTL_XML if request.param == "xml" else JTL_CSV, encoding="utf-8")
    if request.param == "arrow":  # the Arrow engine alone, whatever the file's size
        monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 0)
        monkeypatch.setattr(_jmeter_csv, "read_python", None)
    return path


def test_jmeter_a_label_whose_every_request_failed(jtl: Path) -> None:
    assert failures(jtl) == {
        "GET /users/{id}": ("every request failed (2 of 2)",),
        "GET /health": (),
        "TOTAL": (),
    }
    jtl.write_text(jtl.read_text().replace('"true"', '"false"').replace(",true", ",false"))
    assert failures(jtl) == {
        "GET /users/{id}": ("every request failed (2 of 2)",),
        "GET /health": ("every request failed (1 of 1)",),
        "TOTAL": ("every request failed (3 of 3)",),
    }


def test_jmeter_check_fails_a_latency_threshold_every_failed_request_meets(
    jtl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    metric = ("GET /users/*", "avg < 1s")
    code, outcome, summary = check(jtl, "jmeter", metric, capsys)
    assert (code, outcome) == (ExitCode.FAILED, "fail")
    assert "GET /users/{id}: the tool recorded a failure: every request failed (2 of 2)" in summary
    code, outcome, _ = check(jtl, "jmeter", metric, capsys, expect=True)
    assert (code, outcome) == (ExitCode.PASSED, "pass")  # 925 ms on average


def test_jmeter_without_success_flags_records_no_failure(tmp_path: Path) -> None:
    path = tmp_path / "r.jtl"
    path.write_text("timeStamp,elapsed,label\n1700000000000,900,GET /\n", encoding="utf-8")
    assert failures(path) == {"GET /": (), "TOTAL": ()}
