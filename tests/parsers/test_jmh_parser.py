"""JMH ``-rf json``: corpus files (throughput, params, a ``s/op`` score under thrpt mode),
a hand-made file with sample mode, secondary GC metrics and an avgt run, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, ParsedFile
from gatekeeper.parsers.bench import jmh
from gatekeeper.stats import from_samples
from gatekeeper.units import Dimension

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jmh"
HELLO = "org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere"


def parse(path: Path) -> ParsedFile:
    parsed = jmh.parse(path, path.name)
    assert parsed.format == "jmh"
    return parsed


def by_label(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in parse(path).metrics}


def value(m: Metric, stat: str) -> float:
    return m.stats[stat].value


def test_throughput_in_ops_per_second(corpus: Path) -> None:
    [m] = parse(corpus / "bench/jmh/jmh_output.json").metrics
    assert (m.name, m.tags, m.kind) == (HELLO, {"mode": "thrpt"}, "benchmark")
    assert m.stats["throughput"].dimension is Dimension.THROUGHPUT
    assert value(m, "throughput") == pytest.approx(3.3762388731228185e9)
    assert value(m, "error") == pytest.approx(1.4287985743935993e7)
    assert value(m, "min") == pytest.approx(3.375353964729294e9)
    assert value(m, "med") == value(m, "p(50)") == pytest.approx(3.37651988895058e9)
    assert value(m, "p(99.9999)") == pytest.approx(3.376842765688582e9)
    assert value(m, "count") == 3
    assert list(m.samples) == sorted(m.samples) and len(m.samples) == 3


def test_params_become_tags(corpus: Path) -> None:
    found = by_label(corpus / "bench/jmh/bencher_six.json")
    assert len(found) == 6
    name = "com.github.caffeine.caffeine.cache.ComputeBenchmark.compute_sameKey"
    caffeine = found[f"{name}{{computeType:Caffeine,mode:thrpt}}"]
    assert value(caffeine, "throughput") == pytest.approx(1.5252013234402195e8)
    [m] = parse(corpus / "bench/jmh/jmh_output_2.json").metrics
    assert m.tags == {"mode": "thrpt", "paramA": "17", "paramB": "33"}


def test_the_unit_decides_not_the_mode(corpus: Path) -> None:
    [m] = parse(corpus / "bench/jmh/bencher_latency.json").metrics
    assert "throughput" not in m.stats
    assert m.stats["avg"].dimension is Dimension.TIME
    assert value(m, "avg") == pytest.approx(3.3762388731228185e9)  # seconds per operation


def test_sample_mode_histogram_and_secondary_metrics() -> None:
    found = by_label(FIXTURES / "modes.json")
    sample = found["org.acme.ParseBench.parse{mode:sample,size:1024}"]
    assert value(sample, "avg") == pytest.approx(2.5e-6)
    assert value(sample, "error") == pytest.approx(0.4e-6)
    assert value(sample, "p(99)") == pytest.approx(8e-6)
    assert value(sample, "count") == 10  # the histogram's counts, expanded
    assert sample.sample_dimension is Dimension.TIME
    median = from_samples(sample.samples, "p(50)", sample.sample_dimension)
    assert median is not None and median.value == pytest.approx(2e-6)
    rate = found["org.acme.ParseBench.parse:gc.alloc.rate{mode:sample,size:1024}"]
    assert rate.stats["avg"].dimension is Dimension.DATA_RATE
    assert value(rate, "avg") == pytest.approx(512 * 1024 * 1024)
    assert "error" not in rate.stats  # JMH wrote "NaN"
    norm = found["org.acme.ParseBench.parse:gc.alloc.rate.norm{mode:sample,size:1024}"]
    assert (norm.stats["avg"].dimension, value(norm, "avg")) == (Dimension.SIZE, 1344.0)
    count = found["org.acme.ParseBench.parse:gc.count{mode:sample,size:1024}"]
    assert count.stats["avg"].dimension is Dimension.COUNT
    thrpt = found["org.acme.ParseBench.parse{mode:thrpt,size:1024}"]
    assert value(thrpt, "throughput") == pytest.approx(400_000)  # 400 ops/ms
    assert value(thrpt, "count") == 4  # two forks of two iterations
    warm = found["org.acme.ParseBench.warm{mode:avgt}"]
    assert value(warm, "avg") == pytest.approx(12.5e-9)
    assert "error" not in warm.stats


def test_a_run_without_measured_iterations_has_no_statistics(tmp_path: Path) -> None:
    run = {
        "benchmark": "a.B.c",
        "mode": "avgt",
        "primaryMetric": {
            "score": "NaN",
            "scoreError": "NaN",
            "scoreUnit": "ns/op",
            "rawData": [[]],
        },
    }
    path = tmp_path / "empty.json"
    path.write_text(json.dumps([run]), encoding="utf-8")
    [m] = parse(path).metrics
    assert (m.stats, tuple(m.samples)) == ({}, ())


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"benchmark": "x"}, "(top level): expected an array"),
        ([{"mode": "thrpt"}], "[0].benchmark: expected a string, got null"),
        (
            [{"benchmark": "x", "mode": "thrpt", "primaryMetric": {"score": 1}}],
            "[0].primaryMetric.scoreUnit: expected one of ops/ns, ops/us,",
        ),
        (
            [
                {
                    "benchmark": "x",
                    "mode": "thrpt",
                    "primaryMetric": {"score": True, "scoreUnit": "ops/s"},
                }
            ],
            "[0].primaryMetric.score: expected a number",
        ),
        (
            [
                {
                    "benchmark": "x",
                    "mode": "avgt",
                    "primaryMetric": {"score": 1, "scoreUnit": "ns/op", "rawData": [[1, "2"]]},
                }
            ],
            "[0].primaryMetric.rawData[0][1]: expected a number",
        ),
    ],
)
def test_wrong_shapes_name_the_key_path(tmp_path: Path, document: object, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        jmh.parse(path, "bad.json")
    assert str(caught.value).startswith(f"bad.json: {message}")


def test_truncated_file_names_the_position(tmp_path: Path, corpus: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes((corpus / "bench/jmh/bencher_six.json").read_bytes()[:500])
    with pytest.raises(EvidenceError, match=r"^cut.json:\d+:\d+: invalid JSON"):
        jmh.parse(path, "cut.json")


def test_detection() -> None:
    assert jmh.detect_json(json.loads((FIXTURES / "modes.json").read_bytes()))
    assert jmh.detect_json([{"threads": 1, "forks": 1, "mode": "avgt", "benchmark": "a.B.c"}])
    assert not jmh.detect_json([{"name": "a", "value": 1}])
    assert not jmh.detect_json([])
    assert not jmh.detect_json({"jmhVersion": "1.0"})
