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
        assert len(metric.samples) == 7 and metric.sample_dimension is D.TIME
        assert (
            0 < metric.stats["min"].value <= metric.stats["med"].value <= metric.stats["max"].value
        )


_CUT = "... omitted to keep this file small"
"""What the corpus files hold in their ``data`` arrays where samples were cut out."""


def _uncut(corpus: Path, name: str, tmp_path: Path) -> Path:
    """A corpus file with the note that samples were cut out taken out of its ``data``: the
    samples it keeps are then read as they are (a string among them is refused, below)."""
    document = json.loads((corpus / "bench/pytest-benchmark" / name).read_text(encoding="utf-8"))
    for bench in document["benchmarks"]:
        bench["stats"]["data"] = [v for v in bench["stats"]["data"] if v != _CUT]
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_corpus_several_units(corpus: Path, tmp_path: Path) -> None:
    found = metrics(_uncut(corpus, "pytest_several_units.json", tmp_path))
    assert list(found) == ["test_fib_1", "test_fib_10", "test_fib_20", "test_sleep_2"]
    assert found["test_sleep_2"].stats["avg"] == Quantity(2.0038430469999997, D.TIME)
    assert found["test_fib_1"].stats["min"] == Quantity(1.422099999981441e-07, D.TIME)
    assert found["test_fib_1"].stats["iterations"] == Quantity(100, D.COUNT)
    assert found["test_fib_20"].stats["ops"] == Quantity(276.8613383807958, D.THROUGHPUT)
    assert found["test_fib_10"].aliases == ("bench.py::test_fib_10",)


def test_corpus_data_are_the_samples(corpus: Path, tmp_path: Path) -> None:
    found = metrics(_uncut(corpus, "pytest_output.json", tmp_path))
    fib = found["test_fib_10"]
    assert fib.stats["rounds"] == Quantity(38523, D.COUNT)
    assert fib.sample_dimension is D.TIME and list(fib.samples) == sorted(fib.samples)
    assert 0 < len(fib.samples) < 38523  # the rounds the file kept


def test_corpus_a_string_among_the_samples_is_refused(corpus: Path) -> None:
    """The samples decide a comparison at a confidence: a data array with a note in it is
    not read as the samples it still has (nor is the whole file then read as if it had none)."""
    with pytest.raises(
        EvidenceError, match=r"benchmarks\[0\]\.stats\.data\[4\]: expected a number"
    ):
        pytest_benchmark.parse(corpus / "bench/pytest-benchmark/pytest_output.json", "out.json")


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
