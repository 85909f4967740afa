"""Criterion.rs: console logs from the corpus, a hand-made log with throughput and a change
block, hand-made ``target/criterion`` files (estimates, benchmark and sample JSON), and
bad input. Bencher-format lines are read as cargo-bench reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.bench import criterion
from gatekeeper.units import Dimension
from tests.parsers.claims import claimed, claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "criterion"
TARGET = FIXTURES / "target" / "criterion"
CORPUS = "bench/criterion"


def by_name(path: Path, display: str | None = None) -> dict[str, Metric]:
    parsed = criterion.parse(path, display or path.name)
    assert parsed.format == "criterion"
    return {m.name: m for m in parsed.metrics}


def seconds(m: Metric, stat: str) -> float:
    assert m.stats[stat].dimension is Dimension.TIME
    return m.stats[stat].value


def test_console_names_on_their_own_line(corpus: Path) -> None:
    found = by_name(corpus / CORPUS / "bencher_criterion_dogfood.txt")
    assert list(found) == [
        "Adapter::Magic (JSON)",
        "Adapter::Json",
        "Adapter::Magic (Rust)",
        "Adapter::Rust",
    ]
    magic = found["Adapter::Magic (JSON)"]
    assert seconds(magic, "avg") == pytest.approx(3.4632e-6)
    assert seconds(magic, "ci_lower") == pytest.approx(3.4623e-6)
    assert seconds(magic, "ci_upper") == pytest.approx(3.4641e-6)
    assert magic.kind == "benchmark"


def test_console_picoseconds_and_names_with_spaces(corpus: Path) -> None:
    found = by_name(corpus / CORPUS / "bencher_criterion_many.txt")
    assert len(found) == 5
    assert seconds(found["file"], "avg") == pytest.approx(323.90e-12)
    assert seconds(found["benchmark: name with spaces"], "avg") == pytest.approx(20.930e-9)
    failed = by_name(corpus / CORPUS / "bencher_criterion_failed.txt")
    assert seconds(failed["tracing_file"], "ci_upper") == pytest.approx(71.099e-6)


def test_throughput_change_block_and_bencher_lines() -> None:
    found = by_name(FIXTURES / "console-throughput.txt")
    assert list(found) == [
        "parse/json",
        "a very long benchmark name that criterion prints on its own line/1000",
        "mixed_in_bencher_line",
    ]
    json_ = found["parse/json"]
    assert seconds(json_, "avg") == pytest.approx(4.1234e-6)  # not the change block's percent
    assert json_.stats["data_rate"].value == pytest.approx(236.84 * 1024 * 1024)  # MiB/s
    long = found["a very long benchmark name that criterion prints on its own line/1000"]
    assert long.stats["throughput"].value == pytest.approx(952.38e3)  # Kelem/s
    assert seconds(found["mixed_in_bencher_line"], "avg") == pytest.approx(1.5e-6)


def test_criterion_reads_bencher_output_too(corpus: Path) -> None:
    found = by_name(corpus / CORPUS / "criterion_output.txt")
    assert seconds(found["Create Realm"], "avg") == pytest.approx(329e-9)
    assert seconds(found["Create Realm"], "deviation") == pytest.approx(4e-9)


def test_estimates_with_benchmark_and_sample_files() -> None:
    [m] = criterion.parse(
        TARGET / "fib/20/new/estimates.json", "target/criterion/fib/20/new/estimates.json"
    ).metrics
    assert m.name == "fib/20"  # benchmark.json's full_id
    assert {k: round(q.value * 1e9, 3) for k, q in m.stats.items()} == {
        "avg": 25031.0,
        "ci_lower": 24950.5,
        "ci_upper": 25120.25,
        "med": 24980.0,
        "stddev": 430.0,
        "mad": 95.5,
        "slope": 25020.0,
    }
    # sample.json: total time / iterations of each sample, sorted
    assert [round(s * 1e9, 3) for s in m.samples] == [24900.0, 25000.0, 25050.0, 25100.0]
    assert m.sample_dimension is Dimension.TIME


def test_estimates_named_by_their_folder_without_benchmark_json() -> None:
    found = by_name(TARGET / "plain/new/estimates.json")
    assert list(found) == ["plain"]
    assert "slope" not in found["plain"].stats  # null under flat sampling
    assert seconds(found["plain"], "avg") == pytest.approx(2e-9)
    assert tuple(found["plain"].samples) == ()


def test_change_estimates_are_refused() -> None:
    with pytest.raises(EvidenceError, match=r"change/estimates\.json holds relative changes"):
        criterion.parse(TARGET / "fib/20/change/estimates.json", "estimates.json")


def error_for(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        criterion.parse(path, name)
    return str(caught.value)


def test_bad_input(tmp_path: Path) -> None:
    message = error_for(tmp_path, "a.txt", "Benchmarking x: Analyzing\nx  time:   [1.2 ns 1.3\n")
    assert message == (
        "a.txt:2: cannot read this time estimate line: 'x  time:   [1.2 ns 1.3'; "
        "expected 'NAME  time: [LOW UNIT ESTIMATE UNIT HIGH UNIT]'"
    )
    message = error_for(tmp_path, "b.txt", "x  time:   [1.2 ns 1.3 cycles 1.4 ns]\n")
    assert message == "b.txt:1: cannot read the units ns cycles ns of this time estimate"
    message = error_for(
        tmp_path, "c.txt", "x  time: [1 ns 2 ns 3 ns]\n   thrpt: [1 fl/s 2 fl/s 3 fl/s]\n"
    )
    assert message == "c.txt:2: unknown throughput unit 'fl/s'"
    assert error_for(tmp_path, "d.txt", "nothing here\n").startswith(
        "d.txt: no Criterion output found"
    )
    bad = {"mean": {"point_estimate": "fast"}, "std_dev": {}}
    message = error_for(tmp_path, "e.json", json.dumps(bad))
    assert message == 'e.json: mean.point_estimate: expected a number, got "fast"'
    assert error_for(tmp_path, "f.json", '{"mean": {"point_estimate": 1').startswith("f.json:1:")


def test_custom_measurement_units_stay_plain_numbers(tmp_path: Path) -> None:
    path = tmp_path / "cycles.txt"
    path.write_text("mov  time:   [1508.0 cycles 1510.5 cycles 1513.0 cycles]\n", encoding="utf-8")
    avg = by_name(path)["mov"].stats["avg"]
    assert (avg.value, avg.dimension) == (1510.5, Dimension.NUMBER)


def test_detection(corpus: Path) -> None:
    assert claimed(TARGET / "fib/20/new/estimates.json") == ["criterion"]
    assert criterion.detect(b"Benchmarking fib: Warming up for 3.0000 s\n")
    assert not criterion.detect((corpus / CORPUS / "criterion_output.txt").read_bytes())
    assert not criterion.detect_json({"mean": 1})
    assert not criterion.detect_json({"mean": {"point_estimate": 1}})
    assert claimed_bytes(b'{"mean": {"point_estimate": 1, "confidence_interval": {}}}') == [
        "criterion"
    ]
