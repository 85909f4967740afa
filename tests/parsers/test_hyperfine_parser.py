"""hyperfine ``--export-json``: files written by hyperfine 1.15, corpus files, bad input.

The fixtures under fixtures/hyperfine/ were made with (see tools/README.md):
``hyperfine -N -i --runs 5 -n nap 'sleep 0.01' true false``, a ``-P n 1 2`` parameter
scan and a single ``--runs 1`` run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.bench import hyperfine
from gatekeeper.results import Outcome
from gatekeeper.threshold import parse_threshold
from gatekeeper.units import Dimension, Quantity

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hyperfine"


def parse(path: Path) -> ParsedFile:
    parsed = hyperfine.parse(path, path.name)
    assert parsed.format == "hyperfine"
    assert parsed.tests == ()
    return parsed


def by_label(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in parse(path).metrics}


def test_commands_named_and_timed_in_seconds() -> None:
    found = by_label(FIXTURES / "commands.json")
    assert list(found) == ["nap", "true", "false"]  # -n nap names 'sleep 0.01'
    nap = found["nap"]
    assert nap.kind == "benchmark"
    assert nap.source == "commands.json"
    assert nap.stats["avg"] == nap.stats["mean"] == Quantity(0.016502806600000003, D.TIME)
    assert nap.stats["med"] == Quantity(0.011681277, D.TIME)
    assert nap.stats["stddev"] == Quantity(0.010916562761706742, D.TIME)
    assert nap.stats["min"] == Quantity(0.011354423, D.TIME)
    assert nap.stats["max"] == Quantity(0.036028765000000004, D.TIME)
    assert nap.stats["user"] == Quantity(0.0015448, D.TIME)
    assert nap.stats["system"] == Quantity(0.0, D.TIME)
    assert nap.stats["count"] == Quantity(5, D.COUNT)


def test_times_become_sorted_samples() -> None:
    nap = by_label(FIXTURES / "commands.json")["nap"]
    assert list(nap.samples) == [
        0.011354423,
        0.01165296,
        0.011681277,
        0.011796608,
        0.036028765000000004,
    ]
    assert nap.sample_dimension is D.TIME
    raw = json.loads((FIXTURES / "commands.json").read_text())["results"][0]
    assert sorted(raw["times"]) == list(nap.samples)


def test_p95_is_computed_from_the_run_times() -> None:
    parsed = parse(FIXTURES / "commands.json")
    evidence = ArtifactEvidence("bench", ArtifactState.READ, files=(parsed,))
    criterion = MetricCriterion("bench", "nap", {}, (parse_threshold("p(95) < 20ms"),))
    outcome, summary, _, measurements = evaluate_metric(criterion, evidence)
    # rank 0.95 * 4 = 3.8 between 11.7966 ms and 36.0288 ms
    assert outcome is Outcome.FAIL
    assert measurements[0].actual == "31.18ms"
    assert "p(95)" in summary


def test_non_zero_exit_codes_are_an_error_rate() -> None:
    found = by_label(FIXTURES / "commands.json")
    assert found["false"].stats["error_rate"] == Quantity(1.0, D.RATIO)  # run with -i
    assert found["true"].stats["error_rate"] == Quantity(0.0, D.RATIO)


def test_parameter_scan_values_are_tags() -> None:
    found = by_label(FIXTURES / "parameter-scan.json")
    assert list(found) == ["sleep 0.001{n:1}", "sleep 0.002{n:2}"]
    assert found["sleep 0.002{n:2}"].stats["avg"] == Quantity(0.0032813783333333333, D.TIME)


def test_a_single_run_has_no_stddev() -> None:
    (metric,) = parse(FIXTURES / "single-run.json").metrics
    assert "stddev" not in metric.stats  # hyperfine writes null
    assert metric.stats["avg"] == metric.stats["min"] == Quantity(0.000847506, D.TIME)
    assert metric.stats["count"] == Quantity(1, D.COUNT)


def test_corpus_files(corpus: Path) -> None:
    one = by_label(corpus / "bench/hyperfine/bencher_one.json")
    assert list(one) == ["sleep 0.01"]
    assert one["sleep 0.01"].stats["avg"] == Quantity(0.013317239025420563, D.TIME)
    two = by_label(corpus / "bench/hyperfine/bencher_two.json")
    assert list(two) == ["sleep 0.1", "sleep 0.2"]
    assert two["sleep 0.2"].stats["count"] == Quantity(13, D.COUNT)
    assert len(two["sleep 0.1"].samples) == 27
    assert two["sleep 0.1"].samples[0] == 0.10247468572  # its min


def test_memory_usage_and_signal_exits(tmp_path: Path) -> None:
    # Newer hyperfine records peak memory per run; a run killed by a signal has no exit code.
    path = tmp_path / "h.json"
    result = {"command": "x", "mean": 0.5, "stddev": 0.1, "median": 0.5, "user": 0.1}
    result |= {"system": 0.0, "min": 0.4, "max": 0.6, "times": [0.4, 0.6]}
    result |= {"memory_usage_byte": [2048, 4096], "exit_codes": [0, None]}
    path.write_text(json.dumps({"results": [result]}))
    (metric,) = parse(path).metrics
    assert metric.stats["memory"] == Quantity(4096, D.SIZE)
    assert metric.stats["error_rate"] == Quantity(0.5, D.RATIO)


def test_no_runs_means_no_statistics(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    result = {"command": "x", "mean": 0, "stddev": None, "median": 0, "user": 0, "system": 0}
    result |= {"min": 0, "max": 0, "times": [], "exit_codes": []}
    path.write_text(json.dumps({"results": [result]}))
    (metric,) = parse(path).metrics
    assert metric.stats == {}
    assert list(metric.samples) == []


def error_for(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "h.json"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        hyperfine.parse(path, "h.json")
    return str(caught.value)


def test_truncated_file_names_line_and_column(tmp_path: Path) -> None:
    content = (FIXTURES / "commands.json").read_bytes()[:300]
    assert error_for(tmp_path, content).startswith("h.json:")
    assert "invalid JSON" in error_for(tmp_path, content)


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"results": {}}, "results: expected an array"),
        ({"results": [{"mean": 1}]}, "results[0].command: expected a string"),
        ({"results": [{"command": "x", "mean": "fast"}]}, "results[0].mean: expected a number"),
        ({"results": [{"command": "x", "times": [1, "a"]}]}, "results[0].times[1]"),
        ({"results": [{"command": "x", "parameters": {"n": [1]}}]}, "results[0].parameters.n"),
    ],
)
def test_wrong_shapes_name_the_key(tmp_path: Path, document: object, where: str) -> None:
    assert where in error_for(tmp_path, json.dumps(document).encode())


@pytest.mark.parametrize(
    ("document", "claimed"),
    [
        ({"results": [{"mean": 0.1, "command": "sleep 0.1"}]}, True),
        ({"results": [{"command": "x"}]}, True),
        ({"results": [{"name": "x"}]}, False),
        ({"command": "x", "results": []}, False),
        ({"benchmarks": []}, False),
        ([{"command": "x"}], False),
    ],
)
def test_detect(document: object, claimed: bool) -> None:
    assert hyperfine.detect_json(document) is claimed
