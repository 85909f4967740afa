"""k6 v1's machine-readable summary (results.metrics as a list), beside the legacy export.

The fixture has the exact shape k6 writes (internal/lib/summary/machine_readable.go,
keys snake_cased on the way through JavaScript, ``JSON.stringify(data, null, 4)``)
and the numbers of the corpus run ticket-reserve, whose legacy export is in the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import k6
from gatekeeper.units import Dimension, Quantity
from tests.parsers.claims import claimed_bytes

D = Dimension
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "k6" / "machine-readable-summary.json"
LEGACY = "bench/k6-summary-export/ticket-reserve_summary-export.json"


def metrics(path: Path) -> dict[str, Metric]:
    parsed = k6.parse(path, path.name)
    assert parsed.format == "k6"
    return {m.label: m for m in parsed.metrics}


def document() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return loaded


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(content, indent=4), encoding="utf-8")
    return path


def test_same_numbers_as_the_legacy_export_of_the_run(corpus: Path) -> None:
    found = metrics(FIXTURE)
    legacy = metrics(corpus / LEGACY)
    for label, metric in found.items():
        if label not in legacy:
            continue
        for stat, quantity in legacy[label].stats.items():
            stat = "rate" if stat == "value" and metric.kind == "rate" else stat
            assert metric.stats[stat].dimension == quantity.dimension, (label, stat)
            assert metric.stats[stat].value == pytest.approx(quantity.value), (label, stat)
    assert len(found) == 14


def test_statistics_in_base_units() -> None:
    found = metrics(FIXTURE)
    duration = found["http_req_duration"]
    assert duration.kind == "trend"
    assert duration.stats["p(95)"] == Quantity(pytest.approx(4.101811365), D.TIME)
    assert set(duration.stats) == {"avg", "max", "med", "min", "p(90)", "p(95)"}
    # counters carry only count: the rate is k6's own, count over config.duration
    assert found["http_reqs"].stats["rate"] == Quantity(
        pytest.approx(23.738350582489275), D.THROUGHPUT
    )
    assert found["data_sent"].stats["count"] == Quantity(19400, D.SIZE)
    assert found["http_req_failed"].stats == {
        "rate": Quantity(0.01, D.RATIO),
        "passes": Quantity(1, D.COUNT),
        "fails": Quantity(99, D.COUNT),
    }
    assert found["vus"].stats == {
        "max": Quantity(97, D.NUMBER),
        "min": Quantity(15, D.NUMBER),
        "value": Quantity(15, D.NUMBER),
    }


def test_checks_as_k6_names_them() -> None:
    found = metrics(FIXTURE)
    assert found["checks_total"].stats["count"] == Quantity(100, D.COUNT)
    assert found["checks_failed"].stats["rate"] == Quantity(0.01, D.RATIO)
    assert found["checks"].stats["rate"] == Quantity(0.99, D.RATIO)
    one = found["checks{check:status was 200}"]
    assert (one.name, dict(one.tags)) == ("checks", {"check": "status was 200"})
    assert one.stats["fails"] == Quantity(1, D.COUNT)


def test_null_trend_values_and_gos_own_spelling(tmp_path: Path) -> None:
    content = document()
    results = content["results"]
    assert isinstance(results, dict)
    trend = results["metrics"][1]
    assert trend["name"] == "http_req_duration"
    trend["values"] = {"avg": 2.5, "max": None, "med": None, "min": 1, "p(90)": 4, "p95": None}
    found = metrics(write(tmp_path, content))["http_req_duration"]
    assert found.stats == {
        "avg": Quantity(0.0025, D.TIME),
        "min": Quantity(0.001, D.TIME),
        "p(90)": Quantity(0.004, D.TIME),
    }


def test_a_rate_over_no_events_has_no_statistics(tmp_path: Path) -> None:
    content = document()
    results = content["results"]
    assert isinstance(results, dict)
    results["metrics"][0]["values"] = {"matches": 0, "rate": 0, "total": 0}
    assert metrics(write(tmp_path, content))["http_req_failed"].stats == {}


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("results", "metrics"), {}, "results.metrics: expected an array, got {}"),
        (("results", "metrics", 2, "type"), "histogram", "results.metrics[2].type: expected one"),
        (
            ("results", "metrics", 2, "values", "count"),
            "100",
            'results.metrics[2].values.count: expected a number, got "100"',
        ),
        (("results", "checks", "results", 0, "name"), 7, "results.checks.results[0].name"),
        (("config", "duration"), "4s", "config.duration: expected a number"),
        (
            ("results", "metrics", 1, "values", "p(95)"),
            1.5,  # p(95) and p95 both, disagreeing: neither may win by its place in the file
            "results.metrics[1].values.p95: p(95) given twice, as 1.5 and 4101.811365",
        ),
    ],
)
def test_wrong_shapes_name_the_key_path(
    tmp_path: Path, path: tuple[str | int, ...], value: object, message: str
) -> None:
    root = document()
    node: object = root
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    with pytest.raises(EvidenceError) as caught:
        k6.parse(write(tmp_path, root), "summary.json")
    assert str(caught.value).startswith(f"summary.json: {message}")


@pytest.mark.parametrize("indent", [4, None], ids=["summary-export", "handleSummary-compact"])
def test_detected_as_k6_and_nothing_else(indent: int | None) -> None:
    content = document()
    assert claimed_bytes(json.dumps(content, indent=indent).encode()) == ["k6"]
    reordered = {"metadata": content["metadata"], "results": content["results"]}
    assert claimed_bytes(json.dumps(reordered, indent=indent).encode()) == ["k6"]
