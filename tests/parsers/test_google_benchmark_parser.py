"""Google Benchmark JSON: files written by libbenchmark 1.7.1, the corpus file, bad input.

fixtures/google-benchmark/ holds the JSON of tools/google_benchmark/tiny_bench.cc run with
``--benchmark_repetitions=3`` (repetitions.json), also with
``--benchmark_report_aggregates_only=true`` (aggregates-only.json), and without (single.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, ParsedFile
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.bench import google_benchmark
from gatekeeper.series import select_series
from gatekeeper.units import Dimension, Quantity

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "google-benchmark"
COPY8 = "BM_StringCopy/8/iterations:20000"
SUM = "BM_Sum/iterations:2000"


def parse(path: Path) -> ParsedFile:
    parsed = google_benchmark.parse(path, path.name)
    assert parsed.format == "google-benchmark"
    assert parsed.tests == ()
    return parsed


def by_label(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in parse(path).metrics}


def ns(value: float) -> Quantity:
    return Quantity(value * 1e-9, D.TIME)


def us(value: float) -> Quantity:
    return Quantity(value * 1e-6, D.TIME)


def select(parsed: ParsedFile, name: str, **tags: str) -> list[str]:
    criterion = MetricCriterion("micro", name, tags, ())
    return [m.label for m in select_series(criterion, parsed.metrics)]


def test_every_run_has_a_plain_series_and_tagged_rows() -> None:
    labels = list(by_label(FIXTURES / "repetitions.json"))
    assert labels[:8] == [
        COPY8,
        f"{COPY8}{{repetition:0}}",
        f"{COPY8}{{repetition:1}}",
        f"{COPY8}{{repetition:2}}",
        f"{COPY8}{{aggregate:mean}}",
        f"{COPY8}{{aggregate:median}}",
        f"{COPY8}{{aggregate:stddev}}",
        f"{COPY8}{{aggregate:cv}}",
    ]
    assert len(labels) == 3 * 8 + 4  # BM_NoDatabase errored: no aggregates


def test_plain_selector_picks_the_run_and_tags_pick_rows() -> None:
    parsed = parse(FIXTURES / "repetitions.json")
    assert select(parsed, COPY8) == [COPY8]
    assert select(parsed, COPY8, aggregate="median") == [f"{COPY8}{{aggregate:median}}"]
    assert select(parsed, SUM, repetition="2") == [f"{SUM}{{repetition:2}}"]
    assert select(parsed, "BM_StringCopy/*") == [COPY8, "BM_StringCopy/4096/iterations:20000"]


def test_run_series_takes_the_aggregates() -> None:
    run = by_label(FIXTURES / "repetitions.json")[COPY8]
    assert run.kind == "benchmark"
    assert run.stats["avg"] == run.stats["real_time"] == ns(4.601483332559534)
    assert run.stats["cpu_time"] == ns(4.581116666666663)
    assert run.stats["med"] == ns(4.635900006633164)
    assert run.stats["stddev"] == ns(0.06483256739437396)
    assert run.stats["cv"] == Quantity(0.014089493041434408, D.RATIO)  # 1.41 %, not a time
    assert run.stats["min"] == ns(4.526699990492489)
    assert run.stats["max"] == ns(4.6418500005529495)
    assert run.stats["count"] == Quantity(3, D.COUNT)
    assert run.stats["iterations"] == Quantity(60000, D.COUNT)
    assert run.stats["throughput"] == Quantity(218351720.09711474, D.THROUGHPUT)
    assert run.stats["items_per_second"] == run.stats["throughput"]
    assert run.stats["data_rate"] == Quantity(1746813760.776918, D.DATA_RATE)
    assert run.stats["length"] == Quantity(8.0, D.NUMBER)  # a user counter
    repetitions = (4.526699990492489, 4.635900006633165, 4.6418500005529495)
    assert list(run.samples) == [ns(value).value for value in repetitions]
    assert run.sample_dimension is D.TIME


def test_microsecond_rows_are_converted() -> None:
    found = by_label(FIXTURES / "repetitions.json")
    assert found[SUM].stats["avg"] == us(0.2999644999590601)
    assert found[f"{SUM}{{repetition:1}}"].stats["avg"] == us(0.2919024999528119)
    assert found[f"{SUM}{{repetition:1}}"].stats["iterations"] == Quantity(2000, D.COUNT)


def test_aggregate_rows_as_written() -> None:
    found = by_label(FIXTURES / "repetitions.json")
    mean = found[f"{COPY8}{{aggregate:mean}}"]
    assert mean.stats["avg"] == ns(4.601483332559534)
    assert mean.stats["count"] == Quantity(3, D.COUNT)
    cv = found[f"{COPY8}{{aggregate:cv}}"]
    assert cv.stats["cv"] == cv.stats["real_time"] == Quantity(0.014089493041434408, D.RATIO)
    assert cv.stats["throughput"] == Quantity(0.02114985559790064, D.RATIO)
    assert "avg" not in cv.stats
    stddev = found[f"{COPY8}{{aggregate:stddev}}"]
    assert stddev.stats["stddev"] == ns(0.06483256739437396)


def test_errored_run_keeps_no_statistics() -> None:
    found = by_label(FIXTURES / "repetitions.json")
    run = found["BM_NoDatabase/iterations:10"]
    assert run.stats == {}
    assert list(run.samples) == []
    assert found["BM_NoDatabase/iterations:10{repetition:0}"].stats == {}


def test_single_runs_without_repetitions() -> None:
    found = by_label(FIXTURES / "single.json")
    assert list(found) == [COPY8, "BM_StringCopy/4096/iterations:20000", SUM]
    run = found[COPY8]
    assert run.stats["avg"] == ns(3.968900000472786)
    assert run.stats["count"] == Quantity(1, D.COUNT)
    assert run.stats["iterations"] == Quantity(20000, D.COUNT)
    assert list(run.samples) == [3.968900000472786 * 1e-9]


def test_aggregates_only() -> None:
    # --benchmark_report_aggregates_only=true: no iteration rows, so no samples, min or max
    found = by_label(FIXTURES / "aggregates-only.json")
    assert f"{COPY8}{{repetition:0}}" not in found
    run = found[COPY8]
    assert run.stats["avg"] == found[f"{COPY8}{{aggregate:mean}}"].stats["avg"]
    assert run.stats["med"] == found[f"{COPY8}{{aggregate:median}}"].stats["med"]
    assert run.stats["count"] == Quantity(3, D.COUNT)  # from the aggregates' repetitions
    assert "min" not in run.stats
    assert "iterations" not in run.stats
    assert list(run.samples) == []


def test_corpus_file(corpus: Path) -> None:
    found = by_label(corpus / "bench/google-benchmark/googlecpp_output.json")
    assert list(found) == ["fib_10", "fib_20"]
    assert found["fib_10"].stats["avg"] == ns(2.1498980114547953e02)
    assert found["fib_20"].stats["cpu_time"] == ns(2.7364903204272359e04)
    assert found["fib_20"].stats["iterations"] == Quantity(23968, D.COUNT)


def write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "gb.json"
    path.write_text(json.dumps({"context": {"num_cpus": 1}, "benchmarks": rows}))
    return path


def test_old_files_without_run_name_and_odd_counters(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"name": "BM_A", "iterations": 10, "real_time": 2, "cpu_time": 2, "time_unit": "ms"},
        {"name": "BM_A_mean", "aggregate_name": "mean", "iterations": 1, "real_time": 2.5}
        | {"cpu_time": 2, "time_unit": "ms", "bad": float("nan"), "allocs_per_iter": 3.5},
        {"name": "BM_A_cv", "aggregate_name": "cv", "iterations": 1, "real_time": 0.1}
        | {"cpu_time": 0.1, "time_unit": "ms"},
        {"name": "BM_A_BigO", "run_name": "BM_A", "run_type": "aggregate"}
        | {"aggregate_name": "BigO", "cpu_coefficient": 1.5, "big_o": "N", "time_unit": "ns"},
    ]
    found = by_label(write(tmp_path, rows))
    assert found["BM_A"].stats["avg"] == Quantity(2.5e-3, D.TIME)
    assert found["BM_A"].stats["min"] == Quantity(2e-3, D.TIME)
    assert found["BM_A"].stats["cv"] == Quantity(0.1, D.RATIO)  # no aggregate_unit: by name
    assert found["BM_A"].stats["allocs_per_iter"] == Quantity(3.5, D.NUMBER)
    assert "bad" not in found["BM_A"].stats
    assert found["BM_A{aggregate:BigO}"].stats["cpu_coefficient"] == Quantity(1.5, D.NUMBER)


def error_for(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "gb.json"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        google_benchmark.parse(path, "gb.json")
    return str(caught.value)


def test_truncated_file_names_line_and_column(tmp_path: Path) -> None:
    message = error_for(tmp_path, (FIXTURES / "single.json").read_bytes()[:900])
    assert message.startswith("gb.json:")
    assert "invalid JSON" in message


@pytest.mark.parametrize(
    ("rows", "where"),
    [
        ({}, "benchmarks: expected an array"),
        ([{"real_time": 1}], "benchmarks[0].name: expected a string"),
        ([{"name": "a", "real_time": 1}], "benchmarks[0].time_unit: expected a string"),
        ([{"name": "a", "real_time": 1, "time_unit": "fortnight"}], "expected ns, us, ms or s"),
        ([{"name": "a", "real_time": "1", "time_unit": "ns"}], "benchmarks[0].real_time"),
        ([{"name": "a", "run_type": "aggregate"}], "benchmarks[0].aggregate_name"),
    ],
)
def test_wrong_shapes_name_the_key(tmp_path: Path, rows: object, where: str) -> None:
    document = {"context": {}, "benchmarks": rows}
    assert where in error_for(tmp_path, json.dumps(document).encode())


def test_a_repeated_aggregate_is_refused(tmp_path: Path) -> None:
    row: dict[str, object] = {"name": "a_mean", "run_name": "a", "run_type": "aggregate"}
    row["aggregate_name"] = "mean"
    path = write(tmp_path, [row, row])
    with pytest.raises(EvidenceError, match="two 'mean' aggregate rows"):
        google_benchmark.parse(path, "gb.json")


@pytest.mark.parametrize(
    ("document", "claimed"),
    [
        (json.loads((FIXTURES / "single.json").read_bytes()), True),
        ({"benchmarks": [], "context": {"date": "x", "num_cpus": 4}}, True),
        ({"context": {}, "benchmarks": [{"run_type": "iteration"}]}, True),
        ({"benchmarks": [{"name": "BM_A"}]}, False),  # --benchmark_list_tests output
        ({"context": {"user": "x"}, "results": []}, False),
        ({"machine_info": {}, "context": {}}, False),
        ([{"context": {"num_cpus": 4}}], False),
    ],
)
def test_detect(document: object, claimed: bool) -> None:
    assert google_benchmark.detect_json(document) is claimed
