"""JMeter JTL results: real files from JMeter's own test suite, delimiters, XML nesting."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from gatekeeper.evidence import Metric, SeriesRequest
from gatekeeper.parsers import SNIFF_BYTES
from gatekeeper.parsers.load import jmeter, locust
from gatekeeper.stats import percentile
from gatekeeper.units import Dimension
from tests.parsers.claims import claimed

FIXTURES = Path(__file__).resolve().parent / "fixtures"
JTL = "bench/jmeter-jtl"


def by_name(metrics: tuple[Metric, ...]) -> dict[str, Metric]:
    named = {m.name: m for m in metrics}
    assert len(named) == len(metrics)
    return named


def value(metric: Metric, stat: str) -> float:
    return metric.stats[stat].value


def test_default_csv_columns_against_the_csv_module(corpus: Path) -> None:
    path = corpus / JTL / "jmeter_HTMLReportTestFile.csv"
    series = by_name(jmeter.parse(path, "results.jtl").metrics)
    assert list(series) == ["JR-OK", "JR-KO", "TOTAL"]
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for label in ("JR-OK", "JR-KO", None):
        mine = [r for r in rows if label in (None, r["label"])]
        metric = series[label or "TOTAL"]
        elapsed = sorted(int(r["elapsed"]) / 1000 for r in mine)
        first = min(int(r["timeStamp"]) for r in mine)
        last = max(int(r["timeStamp"]) + int(r["elapsed"]) for r in mine)
        assert value(metric, "count") == len(mine)
        assert value(metric, "fails") == sum(r["success"] != "true" for r in mine)
        assert value(metric, "p(95)") == percentile(elapsed, 95)
        assert value(metric, "avg") == pytest.approx(sum(elapsed) / len(elapsed), rel=1e-12)
        assert value(metric, "throughput") == pytest.approx(len(mine) / ((last - first) / 1000))
        assert list(metric.samples) == elapsed
    ok = series["JR-OK"]
    assert (value(ok, "count"), value(ok, "min"), value(ok, "max")) == (252, 0.101, 0.353)
    assert value(ok, "med") == 0.232
    assert ok.stats["p(99)"].dimension is Dimension.TIME
    assert ok.tags == {} and ok.kind == "request" and ok.source == "results.jtl"
    assert value(series["TOTAL"], "error_rate") == 3 / 255
    assert series["JR-KO"].stats["error_rate"].dimension is Dimension.RATIO


def test_xml_samples(corpus: Path) -> None:
    series = by_name(jmeter.parse(corpus / JTL / "jmeter_sample_log1c.xml.jtl", "x").metrics)
    home = series["jakarta_home"]
    assert (value(home, "count"), value(home, "min"), value(home, "max")) == (1000, 0.17, 3.195)
    assert value(series["TOTAL"], "count") == 2000
    assert value(series["TOTAL"], "error_rate") == 0
    assert len(series["TOTAL"].samples) == 2000


@pytest.mark.parametrize(
    "name", ["jmeter_BatchTestLocal_custom_columns.csv", "jmeter_BatchTestLocal.xml"]
)
def test_files_without_elapsed_report_counts_only(corpus: Path, name: str) -> None:
    series = by_name(jmeter.parse(corpus / JTL / name, name).metrics)
    total = series["TOTAL"]
    assert set(total.stats) == {"count", "fails", "error_rate"}
    assert value(total, "fails") == 16
    assert total.samples == ()
    assert value(series["Java 1 C1=1"], "count") == 6


def test_detection_on_the_corpus(corpus: Path) -> None:
    for path in sorted((corpus / JTL).iterdir()):
        assert claimed(path) == ["jmeter"], path
    others = [
        *(corpus / "bench" / "locust").iterdir(),
        *(corpus / "bench" / "k6-summary-export").iterdir(),
        *(corpus / "bench" / "gatling").iterdir(),
        *(corpus / "bench" / "junit-xml").iterdir(),
        *(FIXTURES / "real").iterdir(),
    ]
    for path in others:
        assert not jmeter.detect(path.read_bytes()[:SNIFF_BYTES]), path


def test_detect_reads_a_bom_and_prolog() -> None:
    xml = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- run 7 -->\n<testResults version="1.2">'
    assert jmeter.detect(xml)
    assert jmeter.detect(b"\xef\xbb\xbftimeStamp\telapsed\tlabel\tsuccess\n1\t2\tx\ttrue\n")
    assert not jmeter.detect(b"1551783627191,351,JR-OK,200,Good request\n")
    assert not jmeter.detect(b"<testsuites><testsuite/></testsuites>")
    assert not locust.detect(b"timeStamp,elapsed,label,success\n")


ROWS = [  # label, elapsed, timeStamp, success, a message with the delimiter and a line break
    ("A", "100", "1000", "true", ""),
    ("A", "200", "1100", "false", 'Test failed: code expected to equal /\n\n"500", not 200/'),
    ("A", "300", "1200", "true", ""),
    ("B", "50", "1050", "true", ""),
]


def write_jtl(path: Path, delimiter: str) -> Path:
    def quoted(field: str) -> str:
        if any(c in field for c in (delimiter, '"', "\n")):
            return '"' + field.replace('"', '""') + '"'
        return field

    header = ["success", "failureMessage", "label", "timeStamp", "responseMessage", "elapsed"]
    lines = [delimiter.join(header)]
    for label, elapsed, stamp, success, message in ROWS:
        fields = [success, message, label, stamp, f"a{delimiter}b", elapsed]
        lines.append(delimiter.join(quoted(f) for f in fields))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_any_delimiter_and_column_order(tmp_path: Path, delimiter: str) -> None:
    path = write_jtl(tmp_path / "r.jtl", delimiter)
    assert jmeter.detect(path.read_bytes())
    series = by_name(jmeter.parse(path, "r.jtl").metrics)
    a, b, total = series["A"], series["B"], series["TOTAL"]
    assert (value(a, "count"), value(a, "fails"), value(a, "error_rate")) == (3, 1, 1 / 3)
    assert (value(a, "med"), value(a, "avg"), value(a, "max")) == (0.2, 0.2, 0.3)
    assert value(a, "throughput") == 3 / 0.5  # from 1000 ms to 1200 + 300 ms
    assert value(b, "throughput") == 1 / 0.05
    assert value(total, "med") == pytest.approx(
        0.15
    )  # halfway between 100 and 200 ms, as k6 interpolates
    assert value(total, "p(90)") == pytest.approx(0.27)
    assert value(total, "avg") == 0.1625
    assert value(total, "throughput") == 4 / 0.5
    assert list(total.samples) == [0.05, 0.1, 0.2, 0.3]


def test_quoted_semicolon_fixture() -> None:
    series = by_name(jmeter.parse(FIXTURES / "jmeter" / "semicolon-quoted.jtl", "s").metrics)
    assert list(series) == ["/a", "/b;x", "TOTAL"]
    assert value(series["/a"], "fails") == 1
    assert value(series["/b;x"], "min") == 0.05


def test_nested_sub_results_are_not_counted_twice() -> None:
    path = FIXTURES / "jmeter" / "nested-subresults.xml"
    series = by_name(jmeter.parse(path, "n.xml").metrics)
    assert list(series) == ["home", "login", "TOTAL"]
    assert value(series["home"], "count") == 2  # not its redirect and its resource
    assert list(series["home"].samples) == [0.1, 0.3]
    assert value(series["TOTAL"], "count") == 3
    assert value(series["TOTAL"], "error_rate") == 1 / 3
    assert value(series["TOTAL"], "throughput") == 3 / 0.5  # 1000 ms to 1400 + 100 ms


def test_only_wanted_series_keep_raw_samples(tmp_path: Path) -> None:
    path = write_jtl(tmp_path / "r.jtl", ",")
    series = by_name(jmeter.parse(path, "r", [SeriesRequest("A")]).metrics)
    assert len(series["A"].samples) == 3
    assert series["B"].samples == () and series["TOTAL"].samples == ()
    assert value(series["B"], "p(95)") == 0.05  # the summary statistics stay complete


def test_header_only_leaves_an_empty_total(tmp_path: Path) -> None:
    path = tmp_path / "empty.jtl"
    path.write_text("timeStamp,elapsed,label,success\n", encoding="utf-8")
    (total,) = jmeter.parse(path, "empty.jtl").metrics
    assert total.name == "TOTAL" and total.stats == {} and total.samples == ()


def test_formatted_timestamps_give_no_throughput(tmp_path: Path) -> None:
    path = tmp_path / "dates.jtl"
    path.write_text(
        "timeStamp,elapsed,label,success\n"
        "2024/05/01 10:00:00.000,120,A,true\n2024/05/01 10:00:01.000,80,A,true\n",
        encoding="utf-8",
    )
    (a, _) = jmeter.parse(path, "dates.jtl").metrics
    assert "throughput" not in a.stats
    assert value(a, "avg") == 0.1


def test_a_sample_without_time_fails_closed(tmp_path: Path) -> None:
    path = tmp_path / "zero.jtl"
    path.write_text("timeStamp,elapsed,label,success\n1000,0,A,true\n", encoding="utf-8")
    (a, _) = jmeter.parse(path, "zero.jtl").metrics
    assert "throughput" not in a.stats  # no span to divide by
    assert value(a, "max") == 0 and not math.isnan(value(a, "avg"))
