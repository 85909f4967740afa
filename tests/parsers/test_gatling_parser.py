"""Gatling report JSON: corpus runs of Gatling 3.1.2 and 3.8.3, hand-made group trees and
assertion files (no corpus run declared an assertion), and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric, ParsedFile, TestStatus
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers.load import gatling
from gatekeeper.series import select_series
from gatekeeper.units import Dimension
from tests.parsers.claims import claimed, claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gatling"
OLD = "bench/gatling/gatling-3.1.2_googletest_"
NEW = "bench/gatling/gatling-3.8.3_kata_"


def parse(path: Path) -> ParsedFile:
    parsed = gatling.parse(path, path.name)
    assert parsed.format == "gatling"
    return parsed


def by_label(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in parse(path).metrics}


def value(metric: Metric, stat: str) -> float:
    return metric.stats[stat].value


def test_global_stats_of_gatling_3_1(corpus: Path) -> None:
    found = by_label(corpus / f"{OLD}global_stats.json")
    assert set(found) == {
        "Global Information",
        "Global Information{status:ok}",
        "Global Information{status:ko}",
    }
    total = found["Global Information"]
    assert total.kind == "request"
    assert "global" in total.aliases
    assert value(total, "count") == 388
    assert value(total, "avg") == pytest.approx(3.785)
    assert value(total, "min") == pytest.approx(0.027)
    assert value(total, "max") == pytest.approx(31.323)
    assert value(total, "stddev") == pytest.approx(5.350)
    # default percentile slots 50/75/95/99
    assert value(total, "med") == value(total, "p(50)") == pytest.approx(1.101)
    assert value(total, "p(75)") == pytest.approx(5.161)
    assert value(total, "p(95)") == value(total, "percentiles3") == pytest.approx(16.059)
    assert value(total, "p(99)") == pytest.approx(24.858)
    assert value(total, "throughput") == pytest.approx(7.918367346938775)
    assert total.stats["error_rate"].dimension is Dimension.RATIO
    assert value(total, "error_rate") == pytest.approx(1 / 388)
    assert value(total, "group3") == 190
    assert value(total, "group3_ratio") == pytest.approx(190 / 388)
    ko = found["Global Information{status:ko}"]
    assert (value(ko, "count"), value(ko, "p(99)")) == (1, pytest.approx(11.516))
    assert "error_rate" not in ko.stats


def test_global_stats_of_gatling_3_8(corpus: Path) -> None:
    found = by_label(corpus / f"{NEW}global_stats.json")
    total = found["All Requests"]
    assert total.aliases == ("global", "Global Information")
    assert value(total, "count") == 6329
    assert value(total, "error_rate") == pytest.approx(2147 / 6329)
    assert value(total, "p(99)") == pytest.approx(60.001)
    assert value(found["All Requests{status:ok}"], "p(95)") == pytest.approx(0.694)
    assert value(found["All Requests{status:ko}"], "count") == 2147


def test_stats_json_has_every_request(corpus: Path) -> None:
    metrics = parse(corpus / f"{OLD}stats.json").metrics
    assert len(metrics) == 3 * 42  # the overall node and 41 requests, three series each
    found = {m.label: m for m in metrics}
    home = found["Getting Google Homepage"]
    assert (value(home, "count"), value(home, "error_rate")) == (10, pytest.approx(0.1))
    assert value(home, "p(95)") == pytest.approx(11.559)
    assert home.aliases == ()


def test_empty_column_has_no_statistics(corpus: Path) -> None:
    found = by_label(corpus / f"{NEW}stats.json")
    assert value(found["request_0"], "avg") == pytest.approx(0.157)
    # Gatling writes 0 for every statistic of a column without requests
    assert found["request_0{status:ko}"].stats == {}


def test_selection_picks_the_plain_series_and_the_global_alias(corpus: Path) -> None:
    metrics = parse(corpus / f"{NEW}stats.json").metrics
    chosen = select_series(MetricCriterion("g", "global", {}, ()), metrics)
    assert [m.label for m in chosen] == ["All Requests"]
    chosen = select_series(MetricCriterion("g", "request_0", {"status": "ok"}, ()), metrics)
    assert [m.label for m in chosen] == ["request_0{status:ok}"]


def test_nested_groups_are_named_by_their_path() -> None:
    metrics = parse(FIXTURES / "stats-groups.json").metrics
    plain = {m.name: m for m in metrics if not m.tags}
    assert list(plain) == [
        "All Requests",
        "Checkout",
        "Checkout / Cart",
        "Checkout / Cart / add",
        "Checkout / pay",
        "home",
    ]
    assert plain["Checkout"].kind == plain["Checkout / Cart"].kind == "group"
    assert plain["Checkout / pay"].kind == "request"
    assert plain["Checkout / pay"].aliases == ("pay",)
    assert value(plain["Checkout / pay"], "error_rate") == pytest.approx(0.125)


def test_percentile_slots_of_a_two_slot_file_and_a_labelled_slot() -> None:
    [total, _, ko] = parse(FIXTURES / "two-slots.json").metrics
    assert value(total, "p(95)") == pytest.approx(0.008)  # Gatling 2.0's percentile1
    assert value(total, "p(99.9)") == pytest.approx(0.009)  # the slot's own label wins
    assert "p(99)" not in total.stats
    assert ko.stats == {}


def test_assertions_become_tests() -> None:
    tests = parse(FIXTURES / "assertions.json").tests
    assert [(t.classname, t.status) for t in tests] == [
        ("Global", TestStatus.PASSED),
        ("Checkout / pay", TestStatus.FAILED),
    ]
    failed = tests[1]
    assert failed.suite == "computerdatabase.BasicSimulation"
    assert failed.name == "Checkout / pay: percentage of failed events is less than 1.0"
    assert failed.message == f"{failed.name} (actual: [12.5])"
    assert failed.source == "assertions.json"


def test_corpus_assertion_files_declare_none(corpus: Path) -> None:
    for name in (f"{OLD}assertions.json", f"{NEW}assertions.json"):
        parsed = parse(corpus / name)
        assert (parsed.tests, parsed.metrics) == ((), ())
        assert claimed(corpus / name) == ["gatling"]


def error_for(tmp_path: Path, content: str) -> str:
    path = tmp_path / "stats.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        gatling.parse(path, "stats.json")
    return str(caught.value)


def test_truncated_file_names_the_position(tmp_path: Path, corpus: Path) -> None:
    text = (corpus / f"{NEW}global_stats.json").read_text(encoding="utf-8")
    assert error_for(tmp_path, text[:300]).startswith("stats.json:1")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"name": "x", "numberOfRequests": {"total": "7"}},
            "numberOfRequests.total: expected a number",
        ),
        ({"type": "GROUP", "name": "x", "stats": []}, "(top level).stats: expected an object"),
        (
            {"simulation": "S", "assertions": [{"path": "Global", "result": "yes"}]},
            "assertions[0].result: expected true or false",
        ),
        ({"metrics": {}}, "not a Gatling report file"),
    ],
)
def test_wrong_shapes(tmp_path: Path, document: object, message: str) -> None:
    assert message in error_for(tmp_path, json.dumps(document))


def test_other_json_is_not_claimed() -> None:
    assert not gatling.detect_json({"metrics": {"http_reqs": {"count": 1}}})
    assert not gatling.detect_json({"stats": {"numberOfRequests": {}}})
    assert claimed_bytes(b"numberOfRequests minResponseTime") == []
    assert gatling.detect_json({"simulation": "a.B", "simulationId": "b", "assertions": []})
