"""pytest-benchmark JSON: a file written by the real plugin, corpus files, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.bench import pytest_benchmark
from gatekeeper.units import Dimension, Quantity

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = FIXTURES / "real" / "pytest-benchmark.json"


def metrics(path: Path) -> dict[str, Metric]:
    parsed = pytest_benchmark.parse(path, path.name)
    assert parsed.format == "pytest-benchmark"
    assert parsed.tests == ()
    return {m.name: m for m in parsed.metrics}


def test_real_file_names_tags_and_aliases() -> None:
    found = metrics(REAL)
    assert set(found) == {"test_join[10]", "test_join[1000]", "test_sum"}
    join = found["test_join[10]"]
    assert join.kind == "benchmark"
    assert join.aliases == ("bench_sample.py::test_join[10]",)
    assert join.tags == {"size": "10", "group": "joining"}
    assert join.label == "test_join[10]{group:joining,size:10}"
    assert found["test_join[1000]"].tags == {"size": "1000", "group": "joining"}
    assert found["test_sum"].tags == {}
    assert found["test_sum"].source == "pytest-benchmark.json"


def test_real_file_statistics_in_base_units() -> None:
    raw = {
        b["name"]: b["stats"] for b in json.loads(REAL.read_text(encoding="utf-8"))["benchmarks"]
    }
    for name, metric in metrics(REAL).items():
        stats = raw[name]
        assert metric.stats["avg"] == Quantity(stats["mean"], D.TIME)
        assert metric.stats["med"] == Quantity(stats["median"], D.TIME)
        for key in ("min", "max", "stddev", "iqr", "q1", "q3"):
            assert metric.stats[key] == Quantity(stats[key], D.TIME)
        assert metric.stats["ops"] == Quantity(stats["ops"], D.THROUGHPUT)
        assert metric.stats["rounds"] == Quantity(7, D.COUNT)  # --benchmark-min-rounds=7
        assert metric.stats["iterations"] == Quantity(stats["iterations"], D.COUNT)
        assert "data" not in metric.stats
        assert (
            0 < metric.stats["min"].value <= metric.stats["med"].value <= metric.stats["max"].value
        )


def test_corpus_several_units(corpus: Path) -> None:
    found = metrics(corpus / "bench/pytest-benchmark/pytest_several_units.json")
    assert list(found) == ["test_fib_1", "test_fib_10", "test_fib_20", "test_sleep_2"]
    assert found["test_sleep_2"].stats["avg"] == Quantity(2.0038430469999997, D.TIME)
    assert found["test_fib_1"].stats["min"] == Quantity(1.422099999981441e-07, D.TIME)
    assert found["test_fib_1"].stats["iterations"] == Quantity(100, D.COUNT)
    assert found["test_fib_20"].stats["ops"] == Quantity(276.8613383807958, D.THROUGHPUT)
    assert found["test_fib_10"].aliases == ("bench.py::test_fib_10",)


def test_corpus_data_array_is_ignored(corpus: Path) -> None:
    # its "data" arrays hold a string where samples were cut out
    found = metrics(corpus / "bench/pytest-benchmark/pytest_output.json")
    assert found["test_fib_10"].stats["rounds"] == Quantity(38523, D.COUNT)


def error_for(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "bench.json"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        pytest_benchmark.parse(path, "bench.json")
    return str(caught.value)


GOOD = {
    "name": "test_a",
    "fullname": "t.py::test_a",
    "group": None,
    "params": None,
    "stats": {"mean": 1.0},
}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"machine_info": {}}, "benchmarks: expected an array, got null"),
        ({"benchmarks": {}}, "benchmarks: expected an array, got {}"),
        ({"benchmarks": [GOOD, 3]}, "benchmarks[1]: expected an object, got 3"),
        (
            {"benchmarks": [{**GOOD, "name": None}]},
            "benchmarks[0].name: expected a string, got null",
        ),
        (
            {"benchmarks": [{**GOOD, "stats": {"mean": "fast"}}]},
            'benchmarks[0].stats.mean: expected a number, got "fast"',
        ),
        (
            {"benchmarks": [{**GOOD, "stats": None}]},
            "benchmarks[0].stats: expected an object, got null",
        ),
        (
            {"benchmarks": [{**GOOD, "params": [1]}]},
            "benchmarks[0].params: expected an object, got [1]",
        ),
        ({"benchmarks": [{**GOOD, "group": 5}]}, "benchmarks[0].group: expected a string, got 5"),
    ],
)
def test_wrong_shape_names_the_key_path(tmp_path: Path, document: object, message: str) -> None:
    assert error_for(tmp_path, json.dumps(document).encode()) == f"bench.json: {message}"


def test_invalid_json_has_a_position(tmp_path: Path) -> None:
    content = b'{\n  "benchmarks": [\n    {"name": "a" "stats": {}}\n  ]\n}'
    assert error_for(tmp_path, content) == "bench.json:3:18: invalid JSON: Expecting ',' delimiter"


def test_not_utf8(tmp_path: Path) -> None:
    content = b'{"benchmarks": [{"name": "caf\xe9", "stats": {}}]}'
    assert error_for(tmp_path, content) == "bench.json:1:30: not valid UTF-8 (byte 0xe9)"
