"""What a tool itself recorded as failed reaches the series (issue 9, class 6).

Each parser puts the tool's own words into ``Metric.failures``: the engine then fails any
benchmark judging that series unless it says ``expect_failures`` (see
tests/test_expect_failures.py). Real files where the tools wrote them; small
hand-made ones for the shapes the fixtures lack.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile, TestStatus
from gatekeeper.parsers import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KMTA = Path(__file__).resolve().parents[2] / "examples" / "kmta" / "reports"


def read(path: Path, fmt: str) -> ParsedFile:
    return parse_file(path, path.name, fmt)


def failures(path: Path, fmt: str) -> dict[str, tuple[str, ...]]:
    """Every series' label -> its recorded failures."""
    return {m.label: m.failures for m in read(path, fmt).metrics}


def test_hyperfine_non_zero_exit_codes() -> None:
    found = failures(FIXTURES / "hyperfine" / "commands.json", "hyperfine")
    assert found == {
        "nap": (),
        "true": (),
        "false": ("5 of 5 runs exited non-zero (exit code 1)",),  # hyperfine -i ... false
    }


def test_hyperfine_a_run_killed_by_a_signal(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    result = {"command": "x", "mean": 0.5, "times": [0.4, 0.5, 0.6], "exit_codes": [0, None, 2]}
    path.write_text(json.dumps({"results": [result]}))
    (metric,) = read(path, "hyperfine").metrics
    assert metric.failures == ("2 of 3 runs exited non-zero (exit code 2, killed by a signal)",)
    assert list(metric.samples) == [0.4, 0.5, 0.6]  # kept: expect_failures judges them


@pytest.mark.parametrize("code", ["1", 1.5, True, [1]])
def test_hyperfine_an_exit_code_that_is_not_one_is_refused(tmp_path: Path, code: object) -> None:
    path = tmp_path / "h.json"
    result = {"command": "x", "mean": 0.5, "times": [0.4, 0.6], "exit_codes": [0, code]}
    path.write_text(json.dumps({"results": [result]}))
    with pytest.raises(EvidenceError, match=r"results\[0\]\.exit_codes\[1\]: expected an exit"):
        read(path, "hyperfine")


def test_google_benchmark_error_occurred_with_its_message() -> None:
    found = failures(FIXTURES / "google-benchmark" / "repetitions.json", "google-benchmark")
    failed = {label: said for label, said in found.items() if said}
    assert set(failed) == {
        "BM_NoDatabase/iterations:10",
        *(f"BM_NoDatabase/iterations:10{{repetition:{i}}}" for i in range(3)),
    }
    assert set(failed.values()) == {("error_occurred: no database",)}


def test_google_benchmark_a_skipped_run_is_not_a_failure(tmp_path: Path) -> None:
    row = {"name": "BM_X", "run_name": "BM_X", "run_type": "iteration", "repetitions": 1,
           "iterations": 0, "real_time": 0, "cpu_time": 0, "time_unit": "ns", "skipped": True,
           "skip_message": "not on this machine"}  # fmt: skip
    path = tmp_path / "gb.json"
    path.write_text(json.dumps({"context": {"num_cpus": 1}, "benchmarks": [row]}))
    (metric,) = read(path, "google-benchmark").metrics
    assert (metric.failures, dict(metric.stats)) == ((), {})  # no figures: missing


@pytest.mark.parametrize("name", ["benchfail.txt", "benchfail.json"])
def test_go_bench_failed_benchmarks_in_text_and_test2json(name: str) -> None:
    found = failures(FIXTURES / "go-bench" / name, "go-bench")
    pkg = "package/name/benchfail"
    assert found == {
        f"BenchmarkError{{pkg:{pkg},procs:1}}": (
            "--- FAIL: BenchmarkError (bench_test.go:6: error message)",
        ),
        f"BenchmarkFatal{{pkg:{pkg},procs:1}}": (
            "--- FAIL: BenchmarkFatal (bench_test.go:10: fatal message)",
        ),
    }  # BenchmarkSkip was skipped: no series, no failure


def test_go_bench_a_package_failed_by_its_benchmarks_fails_only_them() -> None:
    # go test 1.19 -bench . -cpu 1,4 on BenchmarkOK, one that calls b.Fatal, one b.Error.
    found = failures(FIXTURES / "go-bench" / "fatal-and-error.txt", "go-bench")
    pkg = "example.com/gofail"
    assert found == {
        f"BenchmarkOK{{pkg:{pkg},procs:1}}": (),
        f"BenchmarkOK{{pkg:{pkg},procs:4}}": (),
        f"BenchmarkFatal{{pkg:{pkg},procs:1}}": ("--- FAIL: BenchmarkFatal",),
        f"BenchmarkErr{{pkg:{pkg},procs:1}}": ("--- FAIL: BenchmarkErr",),
    }


def test_go_bench_a_package_that_failed_without_a_failed_benchmark_fails_its_series(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bench.txt"
    path.write_text(
        "pkg: example.com/a\nBenchmarkA-8 \t 100\t 10 ns/op\nPASS\nok  \texample.com/a\t0.1s\n"
        "pkg: example.com/b\nBenchmarkB-8 \t 100\t 20 ns/op\nFAIL\nexit status 1\n"
        "FAIL\texample.com/b\t0.2s\n"
    )
    found = failures(path, "go-bench")
    assert found == {
        "BenchmarkA{pkg:example.com/a,procs:8}": (),
        "BenchmarkB{pkg:example.com/b,procs:8}": (
            "go test reported FAIL for package example.com/b",
        ),
    }


def test_go_bench_a_failure_at_eight_procs_finds_its_series(tmp_path: Path) -> None:
    path = tmp_path / "bench.txt"
    # Go prints the padded name, then on the same line the failure with the procs suffix.
    path.write_text("BenchmarkA-8 \t 100\t 10 ns/op\nBenchmarkB-8 \t--- FAIL: BenchmarkB-8\n")
    found = failures(path, "go-bench")
    assert found == {"BenchmarkA{procs:8}": (), "BenchmarkB{procs:8}": ("--- FAIL: BenchmarkB-8",)}


def test_go_bench_json_fail_action_alone_is_a_failure(tmp_path: Path) -> None:
    def event(**fields: str) -> str:
        return json.dumps({"Package": "p", **fields}) + "\n"

    path = tmp_path / "bench.json"
    path.write_text(
        event(Action="output", Output="pkg: p\n")
        + event(Action="output", Output="BenchmarkA-2 \t 100\t 10 ns/op\n")
        + event(Action="fail", Test="BenchmarkA")
        + event(Action="pass")
    )
    (metric,) = read(path, "go-bench").metrics
    assert metric.failures == ("--- FAIL: BenchmarkA",)
    assert metric.stats["avg"].value == pytest.approx(10e-9)  # kept for expect_failures


def test_go_bench_json_cut_between_events_is_refused(tmp_path: Path) -> None:
    lines = (FIXTURES / "go-bench" / "count2.json").read_text().splitlines(keepends=True)
    path = tmp_path / "cut.json"
    path.write_text("".join(lines[:-3]))  # whole events, but not the package's end
    with pytest.raises(EvidenceError, match="ends before its pass or fail event: the file is"):
        read(path, "go-bench")


def test_libtest_failed_line() -> None:
    found = failures(FIXTURES / "cargo-bench" / "libtest-1.95.txt", "cargo-bench")
    assert found["panics"] == ("test panics ... FAILED",)
    assert [label for label, said in found.items() if said] == ["panics"]


def test_criterion_bencher_failed_line(tmp_path: Path) -> None:
    path = tmp_path / "bencher.txt"
    path.write_text(
        "test a ... bench:         100 ns/iter (+/- 5)\n"
        "test b ... FAILED\n"
        "fib    time:   [1.0 ns 1.1 ns 1.2 ns]\n"  # Criterion's own line: read as criterion
    )
    found = failures(path, "criterion")
    assert found == {"a": (), "b": ("test b ... FAILED",), "fib": ()}


@pytest.mark.parametrize("name", ["catch2-v2.13.10.xml", "catch2-v3.7.1.xml"])
def test_catch2_xml_failed_benchmark(name: str) -> None:
    found = failures(FIXTURES / "catch2" / name, "catch2")
    assert found["exploding{test_case:benchmark that throws}"] == (
        "BENCHMARK 'exploding' failed: bang",
    )
    assert not found["fib 15{test_case:fibonacci is right}"]


def test_catch2_xml_a_test_case_failing_around_a_benchmark(tmp_path: Path) -> None:
    path = tmp_path / "c.xml"
    path.write_text(
        '<Catch2TestRun><TestCase name="tc" filename="x.cpp" line="3">'
        '<BenchmarkResults name="b" samples="5" iterations="9">'
        '<mean value="10" lowerBound="9" upperBound="11"/></BenchmarkResults>'
        '<Expression success="false" type="CHECK"><Original>a == b</Original>'
        "<Expanded>1 == 2</Expanded></Expression>"
        '<OverallResult success="false"/></TestCase></Catch2TestRun>\n'
    )
    (metric,) = read(path, "catch2").metrics
    assert metric.failures == ("test case 'tc' failed: CHECK( a == b ) with expansion: 1 == 2",)
    assert metric.stats["avg"].value == pytest.approx(10e-9)


@pytest.mark.parametrize("version", ["v2.13.10", "v3.7.1"])
def test_catch2_console_failed_benchmark_and_failed_assertions(version: str) -> None:
    found = failures(FIXTURES / "catch2" / f"console-{version}.txt", "catch2")
    assert found == {"fib 15": (), "fib 5": (), "exploding": ("Benchmark failed (bang)",)}
    cases = failures(FIXTURES / "catch2" / f"console-cases-{version}.txt", "catch2")
    checked = "test case 'checks in a benchmark' FAILED at console_cases.cpp:28"
    assert cases["checking"] == cases["after the checking one"] == (checked,)
    assert cases["requiring"]  # a failed REQUIRE: the benchmark failed
    assert not cases["naps 3 ms"]


def test_benchmarkdotnet_without_statistics() -> None:
    found = failures(FIXTURES / "benchmarkdotnet" / "params.json", "benchmarkdotnet")
    failed = {label: said for label, said in found.items() if said}
    assert list(failed.values()) == [("no Statistics: BenchmarkDotNet measured nothing",)]
    assert "Concat" in next(iter(failed))


def test_wrk_every_response_non_2xx() -> None:
    (metric,) = read(FIXTURES / "wrk" / "non2xx.txt", "wrk").metrics
    said = "every request failed (1985 non-2xx or 3xx responses, 0 socket errors)"
    assert metric.failures == (said,)
    (ok,) = read(FIXTURES / "wrk" / "latency.txt", "wrk").metrics
    assert ok.failures == ()


def test_vegeta_success_zero(tmp_path: Path) -> None:
    text = (FIXTURES / "vegeta" / "report-90th.txt").read_text()
    path = tmp_path / "v.txt"
    path.write_text(text.replace("100.00%", "0.00%"))
    (metric,) = read(path, "vegeta").metrics
    assert metric.failures == ("every request failed (success 0 of 3000)",)
    assert read(FIXTURES / "vegeta" / "report-90th.txt", "vegeta").metrics[0].failures == ()


def test_locust_a_request_that_always_failed(tmp_path: Path) -> None:
    path = tmp_path / "run_stats.csv"
    path.write_text(
        "Type,Name,Request Count,Failure Count,Median Response Time\n"
        "GET,/ok,10,1,12\nGET,/down,10,10,3\n,Aggregated,20,11,5\n"
    )
    found = failures(path, "locust")
    assert found == {
        "/ok{method:GET}": (),
        "/down{method:GET}": ("every request failed (10 of 10)",),
        "Aggregated": (),
    }


def test_gatling_every_request_ko(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "gatling" / "two-slots.json").read_text())
    requests = document["numberOfRequests"]
    requests["ko"], requests["ok"] = requests["total"], 0
    path = tmp_path / "global_stats.json"
    path.write_text(json.dumps(document))
    metrics = read(path, "gatling").metrics
    plain = next(m for m in metrics if not m.tags)
    total = requests["total"]
    assert plain.failures == (f"every request failed: KO {total:g} of {total:g}",)
    assert all(not m.failures for m in metrics if m.tags)  # ok and ko: not the whole run
    assert all(
        not m.failures for m in read(FIXTURES / "gatling" / "two-slots.json", "gatling").metrics
    )


def test_k6_summary_export_thresholds_are_tests() -> None:
    parsed = read(KMTA / "k6" / "splitter-summary.json", "k6")
    verdicts = {(t.suite, t.classname, t.name): t.status for t in parsed.tests}
    assert verdicts == {
        ("thresholds", "checks", "rate>0.99"): TestStatus.PASSED,
        ("thresholds", "http_req_duration{scenario:legacy}", "p(95)<250"): TestStatus.PASSED,
        ("thresholds", "http_req_duration{scenario:splitter}", "p(95)<250"): TestStatus.FAILED,
        ("thresholds", "http_req_failed{scenario:splitter}", "rate<0.01"): TestStatus.PASSED,
    }
    failed = next(t for t in parsed.tests if t.status is TestStatus.FAILED)
    assert (
        failed.message == "k6 threshold 'p(95)<250' on http_req_duration{scenario:splitter} failed"
    )
    assert parsed.metrics  # the statistics are still there


def test_k6_handle_summary_thresholds_are_tests(tmp_path: Path) -> None:
    document = {
        "state": {"testRunDurationMs": 1000},
        "metrics": {
            "http_req_duration": {
                "type": "trend", "contains": "time", "values": {"avg": 10, "p(95)": 20},
                "thresholds": {"p(95)<15": {"ok": False}, "avg<50": {"ok": True}},
            },
            "iterations": {"type": "counter", "values": {"count": 5, "rate": 1}},
        },
    }  # fmt: skip
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(document))
    tests = read(path, "k6").tests
    assert [(t.name, t.status) for t in tests] == [  # in key order, as JSON has no other
        ("avg<50", TestStatus.PASSED),
        ("p(95)<15", TestStatus.FAILED),
    ]


@pytest.mark.parametrize(
    ("thresholds", "where"),
    [
        ({"p(95)<15": "no"}, "metrics.m.thresholds.p(95)<15: expected true, false or {ok: ...}"),
        ({"p(95)<15": {"ok": 1}}, "metrics.m.thresholds.p(95)<15.ok: expected true or false"),
        (["p(95)<15"], "metrics.m.thresholds: expected an object"),
    ],
)
def test_k6_thresholds_of_the_wrong_shape_are_refused(
    tmp_path: Path, thresholds: object, where: str
) -> None:
    path = tmp_path / "summary.json"
    document = {"root_group": {}, "metrics": {"m": {"avg": 1, "thresholds": thresholds}}}
    path.write_text(json.dumps(document))
    with pytest.raises(EvidenceError) as caught:
        read(path, "k6")
    assert where in caught.value.message
