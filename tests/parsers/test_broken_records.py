"""A line a text format recognises as a record but cannot read is refused at its line (N2).

Each case takes a real fixture, breaks one record the way the fuzzer did (a flipped byte,
``nan`` or ``Infinity`` for a number, a label corrupted) and expects an EvidenceError at
that record's line. Dropping the line instead lost a sample or an error count, and what
was left passed. The last tests show lines the tools really print that only look like
records, which must still be read (or passed over) as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def broken(tmp_path: Path, fixture: str, old: str, new: str) -> tuple[Path, int]:
    """The fixture with its first ``old`` replaced by ``new``, and the line it is on."""
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / Path(fixture).name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path, text[: text.index(old)].count("\n") + 1


def refusal(path: Path, fmt: str) -> str:
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, path.name, fmt)
    return str(caught.value)


def parsed(path: Path, fmt: str) -> ParsedFile:
    return parse_file(path, path.name, fmt)


# --- the fuzzer's findings, by hand ------------------------------------------------------


def test_go_bench_flipped_byte_in_a_result_line(tmp_path: Path) -> None:
    # count2.txt 2: the second run of n=64 was skipped, and `avg < ...` passed on the first
    last = "BenchmarkSizes/n=64-2        \t    2000\t       153.0 ns/op"
    path, line = broken(tmp_path, "go-bench/count2.txt", last, last.replace("\t    2", "\t!   2"))
    assert refusal(path, "go-bench").startswith(
        f"count2.txt:{line}: cannot read this benchmark result line: "
        "'BenchmarkSizes/n=64-2        \\t!   2000\\t"
    )


def test_go_bench_infinity_for_a_number(tmp_path: Path) -> None:
    # count2.txt 6 --seed 1: one n=4 run dropped, and its avg passed a bound it failed
    path, line = broken(tmp_path, "go-bench/count2.txt", "8.000 chars/op", "Infinity chars/op")
    assert refusal(path, "go-bench").startswith(
        f"count2.txt:{line}: cannot read this benchmark result line"
    )


def test_go_bench_json_output_line_with_inf_iterations(tmp_path: Path) -> None:
    # count2.json 86 --seed 1: the same hole inside test2json's Output fields
    old = "BenchmarkRepeat-2   \\t    2000\\t        53.52 ns/op"
    path, line = broken(tmp_path, "go-bench/count2.json", old, old.replace("2000", "inf"))
    assert refusal(path, "go-bench").startswith(
        f"count2.json:{line}: cannot read this benchmark result line: 'BenchmarkRepeat-2"
    )


@pytest.mark.parametrize(
    "new",
    [
        "  Non-2xx or 3xx responses: nan",
        "  Non-2xx or 3xx responser: 1985",
        "  Non-2x| or 3xx responses: 1985",  # --seed 5: a label broken into any character
        "  Non,2xx or 3xx responses: 1985",
    ],
    ids=["nan", "label", "bar", "comma"],
)
def test_wrk_error_count_that_does_not_read(tmp_path: Path, new: str) -> None:
    # non2xx.txt 5 and 552 --seed 1: the count was dropped, error_rate read 0 %
    path, line = broken(tmp_path, "wrk/non2xx.txt", "  Non-2xx or 3xx responses: 1985", new)
    assert refusal(path, "wrk").startswith(f"non2xx.txt:{line}: cannot read this ")


@pytest.mark.parametrize(
    ("key", "value", "new", "expected"),
    [
        (
            "IterationStage",
            "Result",
            "Resudt",
            "Unknown, Jitting, Pilot, Warmup, Actual, Result, Extra",
        ),
        ("IterationMode", "Workload", "Wor{load", "Overhead, Workload, Unknown"),
    ],
)
def test_benchmarkdotnet_enum_value_outside_the_enum(
    tmp_path: Path, key: str, value: str, new: str, expected: str
) -> None:
    # params.json 1389: that measurement left the samples and p(99) moved below its bound
    text = (FIXTURES / "benchmarkdotnet/params.json").read_text(encoding="utf-8")
    rows = json.loads(text)["Benchmarks"][0]["Measurements"]
    first = next(i for i, row in enumerate(rows) if row[key] == value)
    path, _ = broken(
        tmp_path, "benchmarkdotnet/params.json", f'"{key}": "{value}"', f'"{key}": "{new}"'
    )
    assert refusal(path, "benchmarkdotnet") == (
        f"params.json: Benchmarks[0].Measurements[{first}].{key}: expected one of {expected}, "
        f'got "{new}"'
    )


# --- one broken record line per text format ----------------------------------------------

RESULT = "cannot read this benchmark result line"
CASES = [
    # (format, fixture, text on the record line, what it becomes, the message after file:line)
    ("go-bench", "go-bench/count2.txt", "64 B/op", "64 B/o! 5", RESULT),
    ("go-bench", "go-bench/count2.txt", "83.26 ns/op", "nan ns/op", RESULT),
    ("go-bench", "go-bench/fatal-and-error.txt", "BenchmarkOK-4 ", "Benchmarkok-4 ", RESULT),
    (
        "go-bench",
        "go-bench/split-line.json",
        '"Output":"    2000\\t',
        '"Output":"    2O00\\t',
        RESULT,
    ),
    (
        "wrk",
        "wrk/latency.txt",
        "Latency     1.10ms",
        "Latency     nanms",
        "cannot read this latency",
    ),
    ("wrk", "wrk/latency.txt", "Req/Sec     1.77k", "Req/Sec     -inf", "cannot read this Req/Sec"),
    ("wrk", "wrk/latency.txt", "90%    1.61ms", "90%    1.6!ms", "cannot read this latency pe"),
    ("wrk", "wrk/latency.txt", "  1940 requests", "  19!0 requests", "cannot read this requests"),
    ("wrk", "wrk/latency.txt", "sec:   1764.00", "sec:   NaN", "cannot read this Requests/sec"),
    ("wrk", "wrk/latency.txt", "327.30KB", "327.30XB", "cannot read this Transfer/sec"),
    (
        "vegeta",
        "vegeta/report-90th.txt",
        "3000, 50.02",
        "nan, 50.02",
        "Requests total: cannot read",
    ),
    (
        "vegeta",
        "vegeta/report-90th.txt",
        "[total, mean]",
        "[total, meab]",
        "Bytes In: 'meab' is not",
    ),
    ("vegeta", "vegeta/report-90th.txt", "Bytes In ", "Bytes Im ", "'Bytes Im' is not a row"),
    ("vegeta", "vegeta/report-90th.txt", "200:3000", "200:3O00", "Status Codes: expected"),
    (
        "catch2",
        "catch2/console-no-analysis-v3.7.1.txt",
        "5          1243",
        "5          12!3",
        "cannot read this benchmark row; expected its name, samples, iterations and mean",
    ),
    (
        "catch2",
        "catch2/console-v3.7.1.txt",
        "5             9    146.295 us",
        "5  9  146.295 u!",
        "cannot read this benchmark row; expected its name, samples, iterations and estimated",
    ),
    (
        "criterion",
        "criterion/console-throughput.txt",
        "[4.1020 µs",
        "[NaN µs",
        "cannot read this time",
    ),
    (
        "criterion",
        "criterion/console-throughput.txt",
        "[235.31 MiB/s",
        "[235.31MiB/s",
        "cannot read this thr",
    ),
    (
        "criterion",
        "criterion/console-throughput.txt",
        "1,500 ns/iter",
        "1,500 ns/iter (+/- x)",
        "cannot read this benchmark line",
    ),
    (
        "cargo-bench",
        "cargo-bench/libtest-1.95.txt",
        "147.11 ns",
        "inf ns",
        "cannot read this benchmark",
    ),
    (
        "cargo-bench",
        "cargo-bench/libtest-1.95.txt",
        "... bench:      3",
        "... benc!:      3",
        "cannot read this bench",
    ),
    (
        "benchmarkjs",
        "benchmarkjs/suite.txt",
        "63,599,403 ops",
        "NaN ops",
        "cannot read this result line",
    ),
    (
        "benchmarkjs",
        "benchmarkjs/suite.txt",
        "161 ops/sec",
        "161 ops/seconds",
        "cannot read this result line",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "fixture", "old", "new", "says"), CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES]
)
def test_a_broken_record_line_is_refused_with_its_line(
    tmp_path: Path, fmt: str, fixture: str, old: str, new: str, says: str
) -> None:
    path, line = broken(tmp_path, fixture, old, new)
    assert refusal(path, fmt).startswith(f"{path.name}:{line}: {says}")


@pytest.mark.parametrize(
    ("fixture", "old", "new", "column"),
    [
        ("locust/locust-2.47_stats.csv", ",467.30914231200427,", ",nan,", "Requests/s"),
        (
            "locust/locust-2.47_stats.csv",
            ",116.82728557800107,10,12",
            ",1_16.8,10,12",
            "Failures/s",
        ),
        ("locust/handmade_failures.csv", ",7,", ",Infinity,", "Occurrences"),
    ],
)
def test_locust_field_that_is_not_a_number(
    tmp_path: Path, fixture: str, old: str, new: str, column: str
) -> None:
    path, line = broken(tmp_path, fixture, old, new)
    assert refusal(path, "locust").startswith(f"{path.name}:{line}: {column} is ")


def test_go_bench_runs_of_one_benchmark_report_the_same_units(tmp_path: Path) -> None:
    # "ns/op" misspelt on one run kept that run's time out of the samples
    old = "64.83 ns/op"
    path, line = broken(tmp_path, "go-bench/count2.txt", old, "64.83 ns/oq")
    message = refusal(path, "go-bench")
    assert message.startswith(f"count2.txt:{line}: this result of BenchmarkRepeat-2 reports")
    assert message.endswith("a unit is misspelt or missing")


def test_go_bench_result_without_a_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "orphan.txt"
    path.write_text("pkg: x\n    2000\t  12.0 ns/op\n", encoding="utf-8")
    assert refusal(path, "go-bench") == (
        "orphan.txt:2: a benchmark result without its benchmark's name before it"
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"Action":"output"', '"Action":"outptu"', "Action 'outptu' is not one test2json writes"),
        ('"Output":"Benchmark', '"Outpu!":"Benchmark', "an output event without its Output text"),
    ],
)
def test_go_bench_json_events_of_the_documented_set(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path, line = broken(tmp_path, "go-bench/count2.json", old, new)
    assert refusal(path, "go-bench").startswith(f"count2.json:{line}: {message}")


# --- lines the tools print that only look like records -----------------------------------


def test_go_bench_lines_that_look_like_results_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text(
        "goos: linux\npkg: example.com/x\n"
        "BenchmarkLog\n"  # -v prints the name alone first
        "BenchmarkLog-2   \thello from the benchmark\n"  # its output cut into the result
        "    1000\t  12.0 ns/op\n"
        "--- BENCH: BenchmarkLog-2\n"
        "    x_test.go:12: took 12 ns/op here\n"  # b.Log output quoting a unit
        "BenchmarkLog-2   \t    1000\t  14.0 ns/op\n"
        "PASS\nok  \texample.com/x\t0.1s\n",
        encoding="utf-8",
    )
    [metric] = parsed(path, "go-bench").metrics
    assert metric.stats["count"].value == 2
    assert list(metric.samples) == pytest.approx([12e-9, 14e-9])


def test_go_bench_build_events_are_not_packages(tmp_path: Path) -> None:
    # go test -json since Go 1.24 interleaves go build's events, keyed by ImportPath
    text = (FIXTURES / "go-bench/count2.json").read_text(encoding="utf-8")
    build = '{"ImportPath":"example.com/tinybench","Action":"build-output","Output":"# x\\n"}\n'
    path = tmp_path / "built.json"
    path.write_text(build + text, encoding="utf-8")
    assert len(parsed(path, "go-bench").metrics) == len(
        parsed(FIXTURES / "go-bench/count2.json", "go-bench").metrics
    )


def test_wrk_lines_around_the_report_are_not_read(tmp_path: Path) -> None:
    text = (FIXTURES / "wrk/non2xx.txt").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lua = "  Thread calibration: mean lat.: 1.2ms, rate sampling interval: 10ms\n"
    done = "Requests/sec: nan (what a Lua done() chose to print)\n"
    path = tmp_path / "lua.txt"
    path.write_text("".join([*lines[:2], lua, *lines[2:], done]), encoding="utf-8")
    [metric] = parsed(path, "wrk").metrics
    assert metric.stats["throughput"].value == pytest.approx(1983.04)
    assert metric.stats["http_errors"].value == 1985


def test_catch2_section_headers_and_short_stray_text_are_not_rows(tmp_path: Path) -> None:
    fixture = "catch2/console-cases-v3.7.1.txt"
    path, _ = broken(tmp_path, fixture, "benchmark name", "printed by the code\nbenchmark name")
    original = parsed(FIXTURES / fixture, "catch2").metrics
    assert [m.name for m in parsed(path, "catch2").metrics] == [m.name for m in original]
