"""BenchmarkDotNet's JSON exporter: corpus files from 0.9.9 to 0.15.8, a hand-made file with
parameters, measurements and a failed benchmark, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, ParsedFile
from gatekeeper.parsers.bench import benchmarkdotnet
from gatekeeper.units import Dimension

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "benchmarkdotnet"
CORPUS = "bench/benchmarkdotnet"


def parse(path: Path) -> ParsedFile:
    parsed = benchmarkdotnet.parse(path, path.name)
    assert parsed.format == "benchmarkdotnet"
    return parsed


def value(m: Metric, stat: str) -> float:
    return m.stats[stat].value


def test_statistics_in_seconds_per_operation(corpus: Path) -> None:
    fib10, fib20 = parse(corpus / CORPUS / "benchmarkdotnet.json").metrics
    assert (fib10.name, fib10.aliases, fib10.tags) == (
        "Sample.Benchmarks.Fib10",
        ("Benchmarks.Fib10",),
        {"job": "DefaultJob"},
    )
    assert fib10.kind == "benchmark"
    assert value(fib10, "avg") == pytest.approx(24.4202085009643e-9)
    assert value(fib10, "med") == pytest.approx(24.419498533010483e-9)
    assert value(fib10, "stddev") == pytest.approx(0.1981212530783709e-9)
    assert value(fib10, "p(95)") == pytest.approx(24.706654296815394e-9)
    assert value(fib10, "error") == pytest.approx(0.22349359775222813e-9)
    assert value(fib10, "count") == 14
    assert value(fib10, "throughput") == pytest.approx(1 / 24.4202085009643e-9)
    assert fib10.stats["throughput"].dimension is Dimension.THROUGHPUT
    assert value(fib20, "max") == pytest.approx(53.39e-9, rel=1e-3)
    # this file's measurements stop at the pilot stage: there is no Result row
    assert tuple(fib10.samples) == ()


def test_memory_and_result_measurements(corpus: Path) -> None:
    empty_list, exact_list = parse(corpus / CORPUS / "bencher_memory.json").metrics
    assert empty_list.tags == {"job": "ShortRun"}
    assert empty_list.stats["allocated"].dimension is Dimension.SIZE
    assert value(empty_list, "allocated") == 368
    assert value(empty_list, "gen0") == pytest.approx(184 / 8388608 * 1000)
    assert value(exact_list, "allocated") == 184
    assert len(empty_list.samples) == 3
    assert empty_list.samples[0] == pytest.approx(640542200 / 8388608 * 1e-9)
    assert empty_list.sample_dimension is Dimension.TIME


def test_old_exporter_without_full_name(corpus: Path) -> None:
    sleep10, sleep20 = parse(corpus / CORPUS / "bencher_two.json").metrics
    assert sleep10.name == "BenchmarkDotNet.Samples.Intro.IntroJsonExport.Sleep10"
    assert sleep10.tags == {}
    assert value(sleep10, "avg") == pytest.approx(0.010362283085796878)
    assert value(sleep20, "count") == 20


def test_null_namespace(corpus: Path) -> None:
    [m] = parse(corpus / CORPUS / "bencher_null_namespace.json").metrics
    assert (m.name, m.aliases) == ("NullNamespaceMethod", ())
    assert value(m, "avg") == 0.0
    assert "throughput" not in m.stats


def test_parameters_are_tags_and_a_failed_benchmark_has_no_statistics() -> None:
    ten, twenty = parse(FIXTURES / "params.json").metrics
    assert ten.tags == {"N": "10", "Text": "a b", "job": "DefaultJob"}
    assert ten.aliases == ("IntroParams.Concat", 'Sample.IntroParams.Concat(N: 10, Text: "a b")')
    assert [round(s * 1e9, 6) for s in ten.samples] == [100.0, 110.0, 120.0, 130.0]
    assert value(ten, "gen0") == pytest.approx(1.25)
    assert value(ten, "allocated") == 96
    assert twenty.tags["N"] == "20"
    assert twenty.stats == {}
    assert tuple(twenty.samples) == ()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"Title": "x"}, "Benchmarks: expected an array, got null"),
        ({"Benchmarks": [{"Type": "T"}]}, "Benchmarks[0].Method: expected a method name, got null"),
        (
            {"Benchmarks": [{"Method": "M", "Statistics": {"Mean": "fast"}}]},
            "Benchmarks[0].Statistics.Mean: expected a number",
        ),
        (
            {"Benchmarks": [{"Method": "M", "Parameters": "N"}]},
            'Benchmarks[0].Parameters: expected Name=value pairs, got "N"',
        ),
        (
            {
                "Benchmarks": [
                    {
                        "Method": "M",
                        "Statistics": {"Mean": 1},
                        "Measurements": [
                            {
                                "IterationMode": "Workload",
                                "IterationStage": "Result",
                                "Operations": 0,
                                "Nanoseconds": 5,
                            }
                        ],
                    }
                ]
            },
            "Benchmarks[0].Measurements[0].Operations: expected a positive count",
        ),
    ],
)
def test_wrong_shapes_name_the_key_path(tmp_path: Path, document: object, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        benchmarkdotnet.parse(path, "bad.json")
    assert str(caught.value).startswith(f"bad.json: {message}")


def test_truncated_file_names_the_position(tmp_path: Path, corpus: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes((corpus / CORPUS / "benchmarkdotnet.json").read_bytes()[:2000])
    with pytest.raises(EvidenceError, match=r"^cut.json:\d+:\d+: invalid JSON"):
        benchmarkdotnet.parse(path, "cut.json")


def test_detection() -> None:
    assert benchmarkdotnet.detect_json({"Title": "x", "HostEnvironmentInfo": {}})
    assert not benchmarkdotnet.detect_json({"context": {}, "benchmarks": []})
    assert not benchmarkdotnet.detect_json([{"HostEnvironmentInfo": {}}])


def test_a_nan_the_tool_computes_is_refused_not_recomputed(tmp_path: Path) -> None:
    """BenchmarkDotNet computes a spread from two or more measurements: a NaN there is broken
    evidence. Read as absent, the statistic would be recomputed from the raw samples by
    another definition (the population's), which is smaller and could pass (the fuzzer's)."""
    document = json.loads((FIXTURES / "params.json").read_text(encoding="utf-8"))
    statistics = document["Benchmarks"][0]["Statistics"]
    assert statistics["N"] >= 2
    statistics["StandardDeviation"] = float("nan")
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        benchmarkdotnet.parse(path, "nan.json")
    assert str(caught.value) == (
        "nan.json: Benchmarks[0].Statistics.StandardDeviation: NaN, though BenchmarkDotNet "
        "computes it from its measurements"
    )
    statistics["N"] = 1  # from one measurement it cannot: not computed, so not reported
    path.write_text(json.dumps(document), encoding="utf-8")
    stats = benchmarkdotnet.parse(path, "nan.json").metrics[0].stats
    assert "stddev" not in stats and "avg" in stats
