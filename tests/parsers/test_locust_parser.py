"""Locust --csv outputs: files from real runs (the corpus, locust 2.47) and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers import SNIFF_BYTES
from gatekeeper.parsers.load import locust
from gatekeeper.units import Dimension
from tests.parsers.claims import claimed

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "locust"
GRPC = (
    "/backend.diftech.processing.caa.operationfacade.facadeback.v1.OperationFacadeBackService"
    "/GetOperfeed"
)


def by_label(path: Path) -> dict[str, Metric]:
    return {m.label: m for m in locust.parse(path, path.name).metrics}


def stats(metric: Metric) -> dict[str, float]:
    return {k: q.value for k, q in metric.stats.items()}


def test_corpus_stats_with_custom_percentiles(corpus: Path) -> None:
    series = by_label(corpus / "bench" / "locust" / "load-testing-hub_locust_stats.csv")
    assert list(series) == [f"{GRPC}{{method:grpc}}", "Aggregated"]
    grpc = series[f"{GRPC}{{method:grpc}}"]
    assert grpc.name == GRPC and grpc.tags == {"method": "grpc"} and grpc.kind == "request"
    assert stats(grpc) == {
        "count": 11779,
        "fails": 0,
        "error_rate": 0,
        "med": 5.1,
        "avg": 4663.453389015252 / 1000,
        "min": 83.11654099088628 / 1000,
        "max": 10975.36463898723 / 1000,
        "avg_content_size": 76266.61669072078,
        "throughput": 67.3845746547201,
        "p(50)": 5.1,
        "p(60)": 5.5,
        "p(70)": 6.0,
        "p(80)": 6.9,
        "p(90)": 7.6,
        "p(95)": 7.8,
        "p(99)": 8.2,
        "p(100)": 11.0,
    }
    assert grpc.stats["p(95)"].dimension is Dimension.TIME
    assert grpc.stats["throughput"].dimension is Dimension.THROUGHPUT
    assert grpc.stats["avg_content_size"].dimension is Dimension.SIZE
    assert series["Aggregated"].tags == {}


def test_corpus_history_keeps_each_series_last_totals(corpus: Path) -> None:
    path = corpus / "bench" / "locust" / "load-testing-hub_locust_stats_history.csv"
    series = by_label(path)
    assert list(series) == ["Aggregated", f"{GRPC}{{method:grpc}}"]
    aggregated = stats(series["Aggregated"])
    assert aggregated["count"] == 11779  # the last row, not the first (which has none)
    assert aggregated["med"] == 5.1
    assert aggregated["max"] == 10975.36463898723 / 1000
    assert not any(k.startswith("p(") for k in aggregated)  # those are the last seconds only
    assert "throughput" not in aggregated


def test_real_run_files_agree_with_each_other() -> None:
    run = {
        kind: by_label(FIXTURES / f"locust-2.47_{kind}.csv")
        for kind in ("stats", "stats_history", "failures")
    }
    assert list(run["stats"]) == [
        "/fail{method:GET}", "/items{method:POST}", "/ok{method:GET}", "Aggregated"
    ]  # fmt: skip
    fail = stats(run["stats"]["/fail{method:GET}"])
    assert (fail["count"], fail["fails"], fail["error_rate"]) == (40, 40, 1.0)
    assert stats(run["stats"]["Aggregated"])["error_rate"] == 0.25
    for label in ("/fail{method:GET}", "Aggregated"):
        history = stats(run["stats_history"][label])
        for key in ("count", "fails", "med", "avg", "min", "max"):
            assert history[key] == stats(run["stats"][label])[key], key
    assert stats(run["failures"]["/fail{method:GET}"]) == {"fails": 40}
    assert stats(run["failures"]["Aggregated"]) == {"fails": 40}


def test_exceptions_file_has_no_series() -> None:
    assert locust.parse(FIXTURES / "locust-2.47_exceptions.csv", "e").metrics == ()


def test_failures_are_summed_over_their_errors() -> None:
    series = by_label(FIXTURES / "handmade_failures.csv")
    assert {label: stats(m) for label, m in series.items()} == {
        "/fail{method:GET}": {"fails": 9},
        "/items{method:POST}": {"fails": 1},
        "Aggregated": {"fails": 10},
    }


def test_no_requests_and_not_available() -> None:
    series = by_label(FIXTURES / "handmade_stats_na.csv")
    assert series["/never{method:GET}"].stats == {}  # fail closed
    once = stats(series["/once{method:POST}"])
    assert "p(95)" not in once  # N/A
    assert once["p(99.9)"] == 0.012 and once["avg"] == 0.0125


def test_detection(corpus: Path) -> None:
    files = [*FIXTURES.iterdir(), *(corpus / "bench" / "locust").iterdir()]
    for path in files:
        assert claimed(path) == ["locust"], path
    for path in (corpus / "bench" / "jmeter-jtl").iterdir():
        assert not locust.detect(path.read_bytes()[:SNIFF_BYTES])
    assert locust.detect(b'"Type","Name","Request Count","Failure Count"\n')


def error_of(tmp_path: Path, content: bytes) -> EvidenceError:
    path = tmp_path / "locust_stats.csv"
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        locust.parse(path, "locust_stats.csv")
    return caught.value


HEADER = b"Type,Name,Request Count,Failure Count,Median Response Time,95%\n"


def test_a_bad_number_names_its_line_and_column_name(tmp_path: Path) -> None:
    error = error_of(tmp_path, HEADER + b"GET,/a,3,0,12,20\nGET,/b,3,0,fast,20\n")
    assert (error.position.file, error.position.line) == ("locust_stats.csv", 3)
    assert error.message == "Median Response Time is 'fast', expected a number or N/A"


@pytest.mark.parametrize("number", [b"nan", b"inf", b"-1", b""])
def test_numbers_that_are_not_measurements(tmp_path: Path, number: bytes) -> None:
    error = error_of(tmp_path, HEADER + b"GET,/a,3,0," + number + b",20\n")
    assert error.position.line == 2


def test_a_row_with_missing_fields(tmp_path: Path) -> None:
    error = error_of(tmp_path, HEADER + b"GET,/a,3,0,12,20\nGET,/b,3\n")
    assert error.position.line == 3
    assert "expected 6 fields as the header names, found 3 (is the file truncated?)" in str(error)


def test_not_a_locust_file(tmp_path: Path) -> None:
    error = error_of(tmp_path, b"timeStamp,elapsed,label\n1,2,3\n")
    assert (error.position.line, error.position.column) == (1, 1)
    assert "not a Locust CSV file" in error.message


def test_history_without_totals(tmp_path: Path) -> None:
    error = error_of(tmp_path, b"Timestamp,User Count,Type,Name,Requests/s\n1,2,GET,/a,3\n")
    assert error.position.line == 1
    assert "lacks Total Request Count, Total Failure Count" in error.message


def test_not_utf8(tmp_path: Path) -> None:
    error = error_of(tmp_path, HEADER + b"GET,/caf\xe9,3,0,12,20\n")
    assert (error.position.line, error.position.column) == (2, 9)
    assert "not valid UTF-8" in error.message
