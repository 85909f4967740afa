"""vegeta reports: the README's JSON and text examples (corpus), a hand-made text report with
a 90th percentile and Go durations over a minute, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import vegeta
from gatekeeper.parsers.load._vegeta_text import go_duration
from gatekeeper.units import Dimension
from tests.parsers.claims import claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "vegeta"
CORPUS = "bench/vegeta/vegeta_readme_report_example"


def metric(path: Path) -> Metric:
    parsed = vegeta.parse(path, path.name)
    assert parsed.format == "vegeta"
    [only] = parsed.metrics
    assert (only.name, only.kind, only.tags) == ("vegeta", "request", {})
    return only


def values(m: Metric) -> dict[str, float]:
    return {k: q.value for k, q in m.stats.items()}


def test_json_report_in_nanoseconds(corpus: Path) -> None:
    found = values(metric(corpus / f"{CORPUS}.json"))
    assert found == pytest.approx(
        {
            "avg": 0.002371194,
            "min": 0.001949582,
            "max": 0.003660505,
            "p(50)": 0.002854306,
            "med": 0.002854306,
            "p(90)": 0.003228223,
            "p(95)": 0.003478629,
            "p(99)": 0.00353,
            "count": 100,
            "request_rate": 101.01010672380401,
            "throughput": 101.00012489812,
            "success": 1.0,
            "error_rate": 0.0,
            "duration": 0.989999944,
            "wait": 0.003507222,
            "bytes_in": 606700,
            "bytes_out": 0,
        }
    )


def test_text_report(corpus: Path) -> None:
    m = metric(corpus / f"{CORPUS}.txt")
    found = values(m)
    assert found["count"] == 1200
    assert found["throughput"] == pytest.approx(65.87)
    assert found["duration"] == pytest.approx(9.949883921)
    assert found["wait"] == pytest.approx(0.145082066)
    assert found["p(99)"] == pytest.approx(0.247771566)
    assert found["success"] == pytest.approx(0.5542)
    assert found["error_rate"] == pytest.approx(0.4458)
    assert m.stats["error_rate"].dimension is Dimension.RATIO
    assert "p(90)" not in found  # this vegeta version printed no 90th percentile


def test_text_report_reads_columns_by_their_labels() -> None:
    found = values(metric(FIXTURES / "report-90th.txt"))
    assert found["p(90)"] == pytest.approx(0.0201)
    assert found["min"] == pytest.approx(850e-6)
    assert found["max"] == pytest.approx(1.2)
    assert found["duration"] == pytest.approx(59.976)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1m0.158s", 60.158),
        ("145.082066ms", 0.145082066),
        ("850µs", 850e-6),
        ("2h1m", 7260.0),
        ("0s", 0.0),
    ],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert go_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "12", "1.5 s", "3x", "ms"])
def test_not_go_durations(text: str) -> None:
    assert go_duration(text) is None


def test_report_of_no_requests_has_no_statistics(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    empty = {
        "latencies": {"total": 0, "mean": 0, "50th": 0, "max": 0, "min": 0},
        "requests": 0,
        "rate": 0,
        "throughput": 0,
        "success": 0,
        "bytes_in": {"total": 0, "mean": 0},
    }
    path.write_text(json.dumps(empty), encoding="utf-8")
    assert metric(path).stats == {}


def error_for(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        vegeta.parse(path, name)
    return str(caught.value)


def test_errors_name_the_place(tmp_path: Path, corpus: Path) -> None:
    text = (corpus / f"{CORPUS}.json").read_text(encoding="utf-8")
    assert error_for(tmp_path, "a.json", text[:200]).startswith("a.json:12:3: invalid JSON")
    message = error_for(tmp_path, "b.json", json.dumps({"latencies": {"mean": "2ms"}}))
    assert message == 'b.json: latencies.mean: expected a number, got "2ms"'
    message = error_for(tmp_path, "c.json", json.dumps({"latencies": {}}))
    assert message == "c.json: requests: expected a number, got null"
    row = "Latencies     [min, mean, 50, max]  1ms, 2ms, 3ms\n"
    message = error_for(tmp_path, "d.txt", "Requests      [total, rate]  3, 1.0\n" + row)
    assert message == "d.txt:2: Latencies: 4 columns named but 3 values given"
    row = "Latencies     [min, mean]  1ms, 2parsecs\n"
    message = error_for(tmp_path, "e.txt", "Requests      [total, rate]  3, 1.0\n" + row)
    assert message == "e.txt:2: Latencies mean: cannot read '2parsecs' as time"
    message = error_for(tmp_path, "f.txt", "Latencies     [min, mean]  1ms, 2ms\n")
    assert message == "f.txt: not a vegeta report: no 'Requests [total, ...]' row"


def test_detection() -> None:
    assert claimed_bytes(b'{"bytes_in": {"total": 0}, "latencies": {"total": 1}}') == ["vegeta"]
    assert not vegeta.detect_json({"latencies": [1, 2, 3]})
    assert not vegeta.detect(b'{"latencies": {"total": 1}, "bytes_in": {"total": 0}}')
    text = b"Requests      [total, rate]  3, 1.0\nLatencies     [mean]  1ms\n"
    assert vegeta.detect(text)
    assert not vegeta.detect(text.splitlines()[0])
