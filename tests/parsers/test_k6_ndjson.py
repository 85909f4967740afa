"""k6's raw NDJSON stream: statistics as k6 computes them, tag filters, both field orders."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.parsers.load import _k6_lines, _k6_series, k6, k6_ndjson
from gatekeeper.stats import percentile
from gatekeeper.units import Dimension, Quantity
from tests.parsers.claims import claimed, claimed_bytes

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "k6-ndjson"
RUN = "bench/k6-ndjson/ticket-reserve_output.ndjson"
SAME_RUN_EXPORT = "bench/k6-summary-export/ticket-reserve_summary-export.json"
DURATION = SeriesRequest("http_req_duration")
OK_DURATION = SeriesRequest("http_req_duration", (("status", "200"),))


def by_label(path: Path, *wanted: SeriesRequest) -> dict[str, Metric]:
    parsed = k6_ndjson.parse(path, path.name, wanted)
    assert parsed.format == "k6-ndjson"
    labels = [m.label for m in parsed.metrics]
    assert len(labels) == len(set(labels))
    return {m.label: m for m in parsed.metrics}


def test_every_statistic_matches_k6s_own_summary_of_the_same_run(corpus: Path) -> None:
    """The corpus holds the stream and the --summary-export of one run: they must agree."""
    export = {m.label: m for m in k6.parse(corpus / SAME_RUN_EXPORT, "export").metrics}
    names = [m.name for m in export.values() if not m.tags]
    found = by_label(corpus / RUN, *(SeriesRequest(n) for n in names))
    assert set(found) == set(names)
    for label, metric in found.items():
        expected = export[label]
        assert metric.kind == expected.kind
        for stat, quantity in expected.stats.items():
            if stat == "value" and metric.kind == "rate":
                stat = "rate"
            if stat == "rate" and metric.kind == "counter":
                continue  # k6 divides by the run's duration, the stream has only its span
            assert metric.stats[stat].dimension == quantity.dimension, (label, stat)
            assert metric.stats[stat].value == pytest.approx(quantity.value, rel=1e-12), (
                label,
                stat,
            )


def test_sub_metric_by_tag_keeps_only_matching_points(corpus: Path) -> None:
    found = by_label(corpus / RUN, DURATION, OK_DURATION)
    overall, ok = found["http_req_duration"], found["http_req_duration{status:200}"]
    assert (overall.stats["count"], ok.stats["count"]) == (
        Quantity(100, D.COUNT),
        Quantity(99, D.COUNT),
    )
    assert ok.tags == {"status": "200"}
    # the one failed request (status 0) is the only one left out: same as k6's
    # http_req_duration{expected_response:true} in the summary of this run
    assert ok.stats["p(95)"] == Quantity(pytest.approx(4.10277963), D.TIME)
    assert ok.stats["avg"] == Quantity(pytest.approx(3.292049930303031), D.TIME)
    assert list(ok.samples) == sorted(ok.samples)
    assert ok.sample_dimension is D.TIME
    assert ok.samples[0] == pytest.approx(0.4644323)
    # any p(N) from the samples, cross-checked against a plain JSON read of the same lines
    rows = [json.loads(line) for line in (corpus / RUN).read_text().splitlines()]
    values = sorted(
        r["data"]["value"] / 1000
        for r in rows
        if r.get("metric") == "http_req_duration"
        and r["type"] == "Point"
        and r["data"]["tags"]["status"] == "200"
    )
    rank = 0.99 * (len(values) - 1)
    low = int(rank)
    expected = values[low] + (values[low + 1] - values[low]) * (rank - low)
    assert percentile(ok.samples, 99) == pytest.approx(expected)


def test_counter_rate_is_count_over_the_streams_span(corpus: Path) -> None:
    reqs = by_label(corpus / RUN, SeriesRequest("http_reqs"))["http_reqs"]
    span = 42.6728867 - 38.952806  # first and last sample line of the file
    assert reqs.stats["count"] == Quantity(100, D.COUNT)
    assert reqs.stats["rate"] == Quantity(pytest.approx(100 / span), D.THROUGHPUT)
    received = by_label(corpus / RUN, SeriesRequest("data_received"))["data_received"]
    assert received.stats["count"] == Quantity(7566, D.SIZE)
    assert received.stats["rate"].dimension is D.DATA_RATE
    assert not reqs.samples  # only trends keep raw samples


def test_rate_and_gauge(corpus: Path) -> None:
    found = by_label(corpus / RUN, SeriesRequest("checks"), SeriesRequest("vus"))
    assert found["checks"].stats == {
        "rate": Quantity(0.99, D.RATIO),
        "passes": Quantity(99, D.COUNT),
        "fails": Quantity(1, D.COUNT),
    }
    assert found["vus"].stats == {
        "value": Quantity(15, D.NUMBER),
        "min": Quantity(15, D.NUMBER),
        "max": Quantity(97, D.NUMBER),
    }


def test_glob_requests_every_declared_metric_it_matches(corpus: Path) -> None:
    found = by_label(corpus / RUN, SeriesRequest("http_req_*", (("method", "POST"),)))
    assert len(found) == 8  # the seven timings and http_req_failed; http_reqs does not match
    assert found["http_req_duration{method:POST}"].stats["count"] == Quantity(100, D.COUNT)
    assert found["http_req_failed{method:POST}"].kind == "rate"


def test_a_series_without_points_fails_closed(corpus: Path) -> None:
    found = by_label(
        corpus / RUN,
        SeriesRequest("http_req_duration", (("status", "503"),)),
        SeriesRequest("no_such_metric"),
    )
    assert found["http_req_duration{status:503}"].stats == {}
    assert found["http_req_duration{status:503}"].kind == "trend"
    assert found["no_such_metric"].stats == {}
    assert not found["no_such_metric"].samples


def test_without_requests_every_metric_gets_streaming_statistics(corpus: Path) -> None:
    found = by_label(corpus / RUN)
    assert len(found) == 16
    duration = found["http_req_duration"]
    assert set(duration.stats) == {"count", "min", "max", "avg"}
    assert duration.stats["max"] == Quantity(pytest.approx(4.1807135), D.TIME)
    assert duration.stats["avg"] == Quantity(pytest.approx(3.264992537), D.TIME)
    assert not duration.samples
    assert found["checks"].stats["rate"] == Quantity(0.99, D.RATIO)
    assert found["vus_max"].stats["value"] == Quantity(100, D.NUMBER)


def test_older_field_order_and_null_tags() -> None:
    path = FIXTURES / "old-field-order.ndjson"
    found = by_label(path, DURATION, OK_DURATION, SeriesRequest("vus"))
    assert found["http_req_duration"].stats["count"] == Quantity(2, D.COUNT)
    assert found["http_req_duration{status:200}"].stats["max"] == Quantity(
        pytest.approx(0.459865729), D.TIME
    )
    assert found["vus"].stats["value"] == Quantity(4, D.NUMBER)
    assert by_label(path)["vus"].stats["min"] == Quantity(4, D.NUMBER)


def test_metadata_escaped_tags_and_the_name_in_another_metrics_tag() -> None:
    path = FIXTURES / "metadata-and-escapes.ndjson"
    lamp = SeriesRequest("http_req_duration", (("name", 'https://api.test/search?q="lamp"'),))
    windows = SeriesRequest("http_req_duration", (("url", "https://api.test/C:\\path"),))
    found = by_label(path, DURATION, OK_DURATION, lamp, windows, SeriesRequest("checked_metrics"))
    every = pytest.approx([4e-7, 0.1005, 0.2, 0.30025])
    assert list(found["http_req_duration"].samples) == every
    assert list(found["http_req_duration{status:200}"].samples) == pytest.approx(
        [4e-7, 0.1005, 0.2]
    )
    assert found[lamp_label(lamp)].stats["count"] == Quantity(1, D.COUNT)
    assert found[lamp_label(windows)].stats["avg"] == Quantity(0.30025, D.TIME)
    assert found["checked_metrics"].stats["count"] == Quantity(3, D.COUNT)
    check = SeriesRequest("checks", (("check", 'body says "ok"'),))
    assert by_label(path, check)[lamp_label(check)].stats["rate"] == Quantity(0.5, D.RATIO)
    inspected = by_label(path)
    assert inspected["http_req_duration"].stats["count"] == Quantity(4, D.COUNT)
    assert inspected["checks"].stats["passes"] == Quantity(2, D.COUNT)


def lamp_label(request: SeriesRequest) -> str:
    return Metric(request.name, dict(request.tags)).label


def test_block_boundaries_do_not_matter(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = (DURATION, OK_DURATION, SeriesRequest("vus"), SeriesRequest("http_reqs"))
    whole = by_label(corpus / RUN, *wanted)
    whole_inspected = by_label(corpus / RUN)
    monkeypatch.setattr(_k6_lines, "BLOCK_SIZE", 97)
    assert by_label(corpus / RUN, *wanted) == whole
    assert by_label(corpus / RUN) == whole_inspected


def test_large_series_are_sorted_in_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_k6_series, "_SORT_RUN", 7)
    rng = random.Random(3)
    values = [round(rng.uniform(0, 1000), 3) for _ in range(100)]
    path = tmp_path / "stream.ndjson"
    declaration = {"type": "Metric", "data": {"name": "t", "type": "trend", "contains": "time"}}
    rows = [{**declaration, "metric": "t"}]
    rows += [
        {"metric": "t", "type": "Point", "data": {"time": "2025-01-01T00:00:00Z", "value": v}}
        for v in values
    ]
    path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows))
    trend = by_label(path, SeriesRequest("t"))["t"]
    assert list(trend.samples) == sorted(v * 1e-3 for v in values)
    assert trend.stats["p(90)"].value == pytest.approx(percentile(sorted(values), 90) / 1000)
    assert math.isclose(trend.stats["avg"].value, sum(values) / 100 / 1000)


def test_detect_claims_the_stream_and_nothing_else_claims_it(corpus: Path) -> None:
    for path in (corpus / RUN, *sorted(FIXTURES.glob("*.ndjson"))):
        assert claimed(path) == ["k6-ndjson"], path
    for other in (SAME_RUN_EXPORT, "bench/k6-handlesummary-json/k6-reporter_simple.json"):
        assert "k6-ndjson" not in claimed(corpus / other)
    assert "k6-ndjson" not in claimed_bytes(b'{"metric":"x"}\n{"metric":"y"}\n')
    assert "k6-ndjson" not in claimed_bytes(b'[{"type":"Point","data":{}}]\n')
