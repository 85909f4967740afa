"""``go test -bench`` text and ``-json``: output of Go 1.19, the corpus files, bad input.

fixtures/go-bench/count2.{txt,json} are ``go test -run '^$' -bench . -benchmem -count 2
-benchtime 2000x`` (with and without -json) of tools/go_bench; split-line.json is a real
-json run in which test2json cut a result line in two events.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, ParsedFile
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.bench import go_bench
from gatekeeper.series import select_series
from gatekeeper.units import Dimension, Quantity
from tests.parsers.claims import claimed_bytes

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "go-bench"
PKG = "example.com/tinybench"


def parse(path: Path) -> ParsedFile:
    parsed = go_bench.parse(path, path.name)
    assert parsed.format == "go-bench"
    assert parsed.tests == ()
    return parsed


def by_label(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in parse(path).metrics}


def ns(*values: float) -> list[float]:
    return sorted(value * 1e-9 for value in values)


def test_names_procs_and_package() -> None:
    found = parse(FIXTURES / "count2.txt").metrics
    assert [m.name for m in found] == [
        "BenchmarkRepeat",
        "BenchmarkSizes/n=4",
        "BenchmarkSizes/n=64",
    ]
    assert all(m.tags == {"procs": "2", "pkg": PKG} for m in found)
    assert found[0].aliases == ("BenchmarkRepeat-2",)
    assert found[0].kind == "benchmark"
    assert found[0].source == "count2.txt"


def test_count_repeats_are_samples_of_one_series() -> None:
    repeat = parse(FIXTURES / "count2.txt").metrics[0]
    assert list(repeat.samples) == ns(83.26, 64.83)
    assert repeat.sample_dimension is D.TIME
    assert repeat.stats["count"] == Quantity(2, D.COUNT)
    assert repeat.stats["iterations"] == Quantity(4000, D.COUNT)
    assert repeat.stats["avg"].value == pytest.approx(74.045e-9)
    assert repeat.stats["min"] == Quantity(64.83 * 1e-9, D.TIME)
    assert repeat.stats["max"] == Quantity(83.26 * 1e-9, D.TIME)
    assert repeat.stats["med"].value == pytest.approx(74.045e-9)
    assert repeat.stats["stddev"].value == pytest.approx(9.215e-9)  # population, as k6
    assert repeat.stats["data_rate"].value == pytest.approx((768.64 + 987.18) / 2 * 1e6)
    assert repeat.stats["data_rate"].dimension is D.DATA_RATE
    assert repeat.stats["bytes"] == Quantity(64, D.SIZE)
    assert repeat.stats["allocs"] == Quantity(1, D.COUNT)


def test_custom_metrics_keep_their_unit_as_name() -> None:
    sizes = by_label(FIXTURES / "count2.txt")[f"BenchmarkSizes/n=64{{pkg:{PKG},procs:2}}"]
    assert sizes.stats["chars/op"] == Quantity(128.0, D.NUMBER)
    assert list(sizes.samples) == ns(144.2, 153.0)


def test_json_stream_reads_the_same_lines() -> None:
    found = parse(FIXTURES / "count2.json").metrics
    assert [m.name for m in found] == [
        "BenchmarkRepeat",
        "BenchmarkSizes/n=4",
        "BenchmarkSizes/n=64",
    ]
    assert list(found[0].samples) == ns(53.52, 47.44)
    assert found[0].tags == {"procs": "2", "pkg": PKG}
    assert found[2].stats["bytes"] == Quantity(128, D.SIZE)


def test_json_result_split_across_events_is_joined() -> None:
    lines = (FIXTURES / "split-line.json").read_text().splitlines()
    outputs = [json.loads(line).get("Output") for line in lines]
    assert "BenchmarkSub/n=4-2         \t" in outputs  # the cut the fixture is kept for
    sub = by_label(FIXTURES / "split-line.json")[f"BenchmarkSub/n=4{{pkg:{PKG},procs:2}}"]
    assert list(sub.samples) == ns(23.34, 20.98)
    assert sub.stats["count"] == Quantity(2, D.COUNT)


def test_plain_selector_finds_every_procs_setting(tmp_path: Path) -> None:
    path = tmp_path / "cpu.txt"
    path.write_text(
        "BenchmarkA   \t 100\t 10 ns/op\n"  # -cpu 1: Go prints no suffix
        "BenchmarkA-4 \t 100\t 20 ns/op\n"
        "BenchmarkAB-4\t 100\t 30 ns/op\n"
    )
    parsed = parse(path)
    criterion = MetricCriterion("go", "BenchmarkA", {}, ())
    assert [m.label for m in select_series(criterion, parsed.metrics)] == [
        "BenchmarkA{procs:1}",
        "BenchmarkA{procs:4}",
    ]
    printed = MetricCriterion("go", "BenchmarkA-4", {}, ())  # the name as Go printed it
    assert [m.label for m in select_series(printed, parsed.metrics)] == ["BenchmarkA{procs:4}"]


def test_failed_benchmarks_keep_no_statistics(corpus: Path) -> None:
    for name in ("036-benchfail.txt", "110-benchfail.gojson.txt"):
        found = by_label(corpus / "junit/go-junit-report/testdata" / name)
        pkg = "package/name/benchfail"
        assert list(found) == [
            f"BenchmarkError{{pkg:{pkg},procs:1}}",
            f"BenchmarkFatal{{pkg:{pkg},procs:1}}",
        ]
        assert all(m.stats == {} for m in found.values())


def test_a_result_cut_by_benchmark_output_is_joined(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text("BenchmarkLog-8   \tlogged something\n  500\t  1200 ns/op\nPASS\n")
    (metric,) = parse(path).metrics
    assert list(metric.samples) == ns(1200)
    assert metric.stats["iterations"] == Quantity(500, D.COUNT)


def test_corpus_same_name_in_two_packages(corpus: Path) -> None:
    found = by_label(corpus / "bench/go-bench/go_fiber_duplicate_names_output.txt")
    cache = "BenchmarkAppendMsgitem{pkg:github.com/gofiber/fiber/v3/middleware/cache,procs:4}"
    csrf = "BenchmarkAppendMsgitem{pkg:github.com/gofiber/fiber/v3/middleware/csrf,procs:4}"
    assert found[cache].stats["avg"] == Quantity(55.76 * 1e-9, D.TIME)
    assert found[csrf].stats["avg"] == Quantity(0.3733 * 1e-9, D.TIME)
    assert found[csrf].stats["data_rate"] == Quantity(2678.46e6, D.DATA_RATE)
    assert found[csrf].stats["iterations"] == Quantity(1_000_000_000, D.COUNT)


def test_corpus_benchstat_inputs(corpus: Path) -> None:
    found = by_label(corpus / "bench/go-bench/golang-perf_crc-new.txt")
    assert len(found) == 36  # 2 polynomials x 9 sizes x 2 alignments
    first = found["BenchmarkCRC32/poly=IEEE/size=15/align=0{pkg:hash/crc32,procs:8}"]
    assert first.stats["count"] == Quantity(10, D.COUNT)
    assert first.stats["med"].value == pytest.approx(44.4e-9)
    units = by_label(corpus / "bench/go-bench/golang-perf_units.txt")
    assert units["BenchmarkSize{procs:1}"].stats["text-bytes"] == Quantity(102.5, D.NUMBER)
    assert "avg" not in units["BenchmarkSize{procs:1}"].stats  # no ns/op on its lines


def test_corpus_tabs_and_odd_names(corpus: Path) -> None:
    found = by_label(corpus / "bench/go-bench/go_output.txt")
    assert found["BenchmarkFib20{procs:1}"].stats["avg"] == Quantity(40537.123 * 1e-9, D.TIME)
    odd = "BenchmarkFib/my/tabled/benchmark_-_20,var1=13,var2=14{procs:1}"
    assert found[odd].stats["iterations"] == Quantity(30001, D.COUNT)
    assert found["BenchmarkFib11{procs:16}"].stats["auxMetricUnits"] == Quantity(3, D.NUMBER)


def error_for(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "bench.txt"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        go_bench.parse(path, "bench.txt")
    return str(caught.value)


def test_truncated_json_stream_names_the_line(tmp_path: Path) -> None:
    content = (FIXTURES / "count2.json").read_bytes()
    cut = content[: content.index(b"BenchmarkSizes/n=64-2")]
    message = error_for(tmp_path, cut)
    assert message.startswith("bench.txt:13:")
    assert "truncated" in message


def test_not_utf8_names_line_and_column(tmp_path: Path) -> None:
    message = error_for(tmp_path, b"goos: linux\nBenchmarkA-8 \t 10\t 5 ns/op \xff\n")
    assert message.startswith("bench.txt:2:28:")
    assert "UTF-8" in message


def test_a_json_event_must_be_an_object(tmp_path: Path) -> None:
    assert error_for(tmp_path, b'{"Action": "start"}\n{]\n').startswith("bench.txt:2:")


def test_overlong_lines_are_skipped_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    line = b"x" * (go_bench.MAX_LINE + 10) + b"\n"
    path.write_bytes(b"BenchmarkA-8 \t 10\t 5 ns/op\n" + line + b"BenchmarkA-8 \t 10\t 7 ns/op\n")
    (metric,) = parse(path).metrics
    assert list(metric.samples) == ns(5, 7)


def test_a_long_unfinished_event_line_is_dropped_to_its_end(tmp_path: Path) -> None:
    def event(output: str) -> str:
        return json.dumps({"Action": "output", "Package": "p", "Output": output}) + "\n"

    log = "x" * (go_bench.MAX_PARTIAL + 1)
    path = tmp_path / "log.json"
    # The tail of the dropped log line would read as a result if it were kept.
    path.write_text(
        event("BenchmarkA-8 \t 10\t 5 ns/op\n")
        + event(log)
        + event("BenchmarkA-8 \t 10\t 999 ns/op\nBenchmarkA-8 ")
        + event("\t 10\t 7 ns/op\n")
        + json.dumps({"Action": "pass", "Package": "p"})  # test2json ends every package so
        + "\n"
    )
    (metric,) = parse(path).metrics
    assert list(metric.samples) == ns(5, 7)


def test_too_many_benchmarks_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(go_bench, "MAX_SERIES", 2)
    content = b"".join(b"Benchmark%d \t 10\t 5 ns/op\n" % i for i in range(3))
    assert "more than 2 distinct benchmarks" in error_for(tmp_path, content)


@pytest.mark.parametrize(
    ("head", "claimed"),
    [
        (b"BenchmarkFoo-8   1000000   1052 ns/op\n", True),
        (b"PASS\nok  \tpkg\t0.1s\ngoos: linux\ngoarch: amd64\nBenchmarkA\n", True),
        (b'{"Time":"x","Action":"output","Package":"p","Output":"goos: linux\\n"}\n', True),
        (b'{"Time":"x","Action":"run","Package":"p","Test":"TestA"}\n', False),
        (b"Benchmarking the system now 10 ms\n", False),
        (b"goos: linux\ngoarch: amd64\n  \xe2\x94\x82 old.txt \xe2\x94\x82\n", False),  # benchstat
        (b"<testsuites><system-out>BenchmarkA-8 10 5 ns/op\n", False),
        (b"test bench_a ... bench: 10 ns/iter (+/- 1)\n", False),
    ],
)
def test_detect(head: bytes, claimed: bool) -> None:
    assert ("go-bench" in claimed_bytes(head)) is claimed


def test_test2json_is_told_by_its_decoded_events() -> None:
    """The events' keys in any order, escaped, spaced: still go test -json's."""
    lines = [
        b'{ "Package" : "p", "Action" : "start" }',
        b'{"Output":"g\\u006fos: linux\\n", "Package":"p", "Action":"output"}',
    ]
    assert claimed_bytes(b"\r\n".join(lines) + b"\r\n") == ["go-bench"]
    assert not go_bench.detect_json_lines([{"Action": "output", "Output": "PASS\n"}])
    assert not go_bench.detect_json_lines([["Action", "output", "Output", "goos: linux"]])
