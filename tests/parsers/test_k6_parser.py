"""k6 summaries: both real shapes from the corpus, units, tag filters, series without samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import k6
from gatekeeper.units import Dimension, Quantity

D = Dimension
EXPORT = "bench/k6-summary-export"
HANDLE = "bench/k6-handlesummary-json"


def metrics(path: Path) -> dict[str, Metric]:
    parsed = k6.parse(path, path.name)
    assert parsed.format == "k6"
    return {m.label: m for m in parsed.metrics}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# --- --summary-export --------------------------------------------------------------------------


def test_summary_export_without_counts(corpus: Path) -> None:
    found = metrics(corpus / EXPORT / "ticket-reserve_summary-export.json")
    assert len(found) == 17
    ok = found["http_req_duration{expected_response:true}"]
    assert (ok.name, dict(ok.tags), ok.kind) == (
        "http_req_duration",
        {"expected_response": "true"},
        "trend",
    )
    assert ok.stats["p(95)"] == Quantity(pytest.approx(4.10277963), D.TIME)
    assert set(ok.stats) == {"avg", "min", "med", "max", "p(90)", "p(95)"}
    checks = found["checks"]
    assert checks.kind == "rate"
    assert checks.stats["rate"] == checks.stats["value"] == Quantity(0.99, D.RATIO)
    assert (checks.stats["passes"], checks.stats["fails"]) == (
        Quantity(99, D.COUNT),
        Quantity(1, D.COUNT),
    )
    reqs = found["http_reqs"]
    assert reqs.kind == "counter"
    assert reqs.stats == {
        "count": Quantity(100, D.COUNT),
        "rate": Quantity(23.738350582489275, D.THROUGHPUT),
    }
    received = found["data_received"]
    assert received.stats == {
        "count": Quantity(7566, D.SIZE),
        "rate": Quantity(1796.0436050711385, D.DATA_RATE),
    }
    vus = found["vus"]
    assert vus.kind == "gauge"
    assert vus.stats == {
        "min": Quantity(15, D.NUMBER),
        "max": Quantity(97, D.NUMBER),
        "value": Quantity(15, D.NUMBER),
    }
    assert all(m.source == "ticket-reserve_summary-export.json" for m in found.values())


def test_summary_export_with_counts_and_fine_percentiles(corpus: Path) -> None:
    found = metrics(corpus / EXPORT / "qr-code-generator_summary-export.json")
    duration = found["http_req_duration"]
    assert duration.tags == {}
    assert duration.stats["p(99.9)"] == Quantity(pytest.approx(0.7871129890000226), D.TIME)
    assert duration.stats["count"] == Quantity(493168, D.COUNT)
    assert found["iteration_duration"].stats["min"] == Quantity(pytest.approx(0.000110708), D.TIME)
    failed = found["http_req_failed"]
    # k6 counts "passes" of http_req_failed as failed requests: none here
    assert failed.stats["rate"] == Quantity(0, D.RATIO)
    assert failed.stats["passes"] == Quantity(0, D.COUNT)


# --- handleSummary JSON ----------------------------------------------------------------------


def test_handle_summary_custom_metrics_keep_their_numbers(corpus: Path) -> None:
    found = metrics(corpus / HANDLE / "k6-reporter_grpc.json")
    assert len(found) == 12
    assert found["fake_trend"].stats["p(95)"] == Quantity(948.0369835185951, D.NUMBER)
    assert found["grpc_req_duration"].stats["med"] == Quantity(pytest.approx(0.000758751), D.TIME)
    assert found["fake_gauge"].stats["max"] == Quantity(99.99553995801755, D.NUMBER)
    assert found["fake_rate"].stats["rate"] == Quantity(0.4998439937597504, D.RATIO)
    assert found["data_sent"].stats == {
        "rate": Quantity(748036.930094427, D.DATA_RATE),
        "count": Quantity(2538291, D.SIZE),
    }
    assert {m.kind for m in found.values()} == {"trend", "rate", "counter", "gauge"}


def test_handle_summary_sub_metric_and_groups(corpus: Path) -> None:
    found = metrics(corpus / HANDLE / "k6-reporter_simple.json")
    ok = found["http_req_duration{expected_response:true}"]
    assert ok.tags == {"expected_response": "true"}
    assert set(ok.stats) == {"avg", "min", "max", "med", "p(90)", "p(95)", "p(99)"}
    assert ok.stats["p(99)"] == Quantity(pytest.approx(0.03664458528), D.TIME)
    assert found["group_duration"].stats["max"] == Quantity(pytest.approx(0.559367927), D.TIME)
    assert found["http_req_failed"].stats["fails"] == Quantity(529, D.COUNT)


def test_handle_summary_starting_with_state(corpus: Path) -> None:
    path = corpus / HANDLE / "k6-example-circleci-orb_summary.json"
    assert path.read_bytes().startswith(b'{"state"')
    found = metrics(path)
    assert found["http_req_duration"].stats["p(95)"] == Quantity(pytest.approx(0.26064205), D.TIME)


# --- tag filters, units and empty series -------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name", "tags"),
    [
        ("http_req_duration", "http_req_duration", {}),
        (
            "http_req_duration{scenario:splitter,status:200}",
            "http_req_duration",
            {"scenario": "splitter", "status": "200"},
        ),
        ("http_req_duration{ method : GET }", "http_req_duration", {"method": "GET"}),
        ("iteration_duration{group:::setup}", "iteration_duration", {"group": "::setup"}),
        ('http_reqs{name:"https://example.com/a"}', "http_reqs", {"name": "https://example.com/a"}),
        ("http_reqs{}", "http_reqs", {}),
    ],
)
def test_tag_filters_are_split(tmp_path: Path, key: str, name: str, tags: dict[str, str]) -> None:
    path = write(tmp_path, {"metrics": {key: {"count": 1, "rate": 1}}})
    [metric] = k6.parse(path, "s.json").metrics
    assert (metric.name, dict(metric.tags)) == (name, tags)


@pytest.mark.parametrize("key", ["http_reqs{status}", "http_reqs{status:200", "{a:b}"])
def test_unreadable_tag_filter(tmp_path: Path, key: str) -> None:
    path = write(tmp_path, {"metrics": {key: {"count": 1, "rate": 1}}})
    with pytest.raises(EvidenceError, match="cannot read the tag filter") as caught:
        k6.parse(path, "s.json")
    assert str(caught.value).startswith(f"s.json: metrics.{key}: ")


@pytest.mark.parametrize(
    ("name", "dimension", "value"),
    [
        ("http_req_waiting", D.TIME, 0.25),
        ("ws_session_duration", D.TIME, 0.25),
        ("browser_web_vital_lcp", D.TIME, 0.25),
        ("webvital_first_contentful_paint", D.TIME, 0.25),
        ("browser_web_vital_cls", D.NUMBER, 250),  # layout shift is a score, not a time
        ("my_custom_trend", D.NUMBER, 250),
    ],
)
def test_export_trend_units_come_from_the_name(
    tmp_path: Path, name: str, dimension: Dimension, value: float
) -> None:
    path = write(tmp_path, {"metrics": {name: {"avg": 250, "p(95)": 250, "count": 4}}})
    [metric] = k6.parse(path, "s.json").metrics
    assert metric.stats["p(95)"] == Quantity(value, dimension)
    assert metric.stats["count"] == Quantity(4, D.COUNT)


def test_handle_summary_time_gauge_and_contains(tmp_path: Path) -> None:
    document = {
        "metrics": {
            "queue_wait": {
                "type": "gauge",
                "contains": "time",
                "values": {"value": 1500, "min": 0, "max": 2000},
            },
            "payload": {"type": "trend", "contains": "data", "values": {"avg": 2048, "count": 3}},
        }
    }
    found = metrics(write(tmp_path, document))
    assert found["queue_wait"].stats["value"] == Quantity(1.5, D.TIME)
    assert found["payload"].stats == {"avg": Quantity(2048, D.SIZE), "count": Quantity(3, D.COUNT)}


def test_series_without_samples_keep_no_statistics(tmp_path: Path) -> None:
    document = {
        "metrics": {
            "empty_trend": {
                "type": "trend",
                "contains": "time",
                "values": {"count": 0, "avg": 0, "p(95)": 0},
            },
            "empty_rate": {"passes": 0, "fails": 0, "value": 0},
            "zero_counter": {"count": 0, "rate": 0},
        }
    }
    found = metrics(write(tmp_path, document))
    assert (found["empty_trend"].kind, found["empty_trend"].stats) == ("trend", {})
    assert (found["empty_rate"].kind, found["empty_rate"].stats) == ("rate", {})
    # a counter that counted nothing did measure something: zero
    assert found["zero_counter"].stats["count"] == Quantity(0, D.COUNT)


def test_null_statistic_means_no_value(tmp_path: Path) -> None:
    document = {
        "metrics": {"t": {"type": "trend", "contains": "time", "values": {"avg": None, "p(95)": 5}}}
    }
    assert metrics(write(tmp_path, document))["t"].stats == {"p(95)": Quantity(0.005, D.TIME)}


def test_export_thresholds_are_not_statistics(tmp_path: Path) -> None:
    document = {"metrics": {"http_req_duration": {"avg": 10, "thresholds": {"p(95)<200": True}}}}
    assert metrics(write(tmp_path, document))["http_req_duration"].stats == {
        "avg": Quantity(0.01, D.TIME)
    }
