"""The Arrow engine and the csv-module engine read every JTL to the same last bit, or
the Arrow engine steps aside: a verdict never depends on whether pyarrow is installed."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import _jmeter_arrow, _jmeter_csv, _jmeter_tally, jmeter

pytestmark = pytest.mark.skipif(  # CI installs it: there the test must run
    not _jmeter_arrow.available() and not os.environ.get("CI"), reason="pyarrow is not installed"
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "jmeter"
HEADER = "timeStamp,elapsed,label,success\n"


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many blocks and many flushes even for small files, quoted line breaks across blocks."""
    monkeypatch.setattr(_jmeter_arrow, "BLOCK_BYTES", 4096)
    monkeypatch.setattr(_jmeter_arrow, "PENDING_ROWS", 150)


def described(metrics: tuple[Metric, ...]) -> list[tuple[str, dict[str, float], list[float]]]:
    return [(m.name, {k: q.value for k, q in m.stats.items()}, list(m.samples)) for m in metrics]


def both_engines(path: Path) -> tuple[list[object], list[object]]:
    header = _jmeter_csv.read_header(path, path.name)
    arrow = _jmeter_arrow.read(path, header)
    assert arrow is not None, "the Arrow engine gave up"
    python = _jmeter_csv.read_python(path, path.name, header)
    return (
        list(described(_jmeter_tally.metrics(arrow, "f"))),
        list(described(_jmeter_tally.metrics(python, "f"))),
    )


def random_jtl(path: Path, delimiter: str, seed: int) -> Path:
    rng = random.Random(seed)
    labels = ["GET /a", "POST /b", 'say "hi"', f"x{delimiter}y", "é ü"]
    lines = [delimiter.join(["timeStamp", "elapsed", "label", "success", "failureMessage"])]
    for n in range(2_000):
        label = labels[rng.randrange(len(labels))]
        if '"' in label or delimiter in label:
            label = '"' + label.replace('"', '""') + '"'
        failed = rng.random() < 0.1
        message = '"expected 200,\n""got"" 500"' if failed else ""
        elapsed = rng.randrange(0, 5_000)
        fields = [str(1_700_000_000_000 + 3 * n), str(elapsed), label, str(not failed).lower()]
        lines.append(delimiter.join([*fields, message]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(("delimiter", "seed"), [(",", 1), ("\t", 2), (";", 3), ("|", 4)])
def test_random_files(tmp_path: Path, delimiter: str, seed: int) -> None:
    arrow, python = both_engines(random_jtl(tmp_path / "r.jtl", delimiter, seed))
    assert arrow == python


@pytest.mark.parametrize(
    "name", ["jmeter_HTMLReportTestFile.csv", "jmeter_HTMLReportFalseTestFile.csv"]
)
def test_corpus_files(corpus: Path, name: str) -> None:
    arrow, python = both_engines(corpus / "bench" / "jmeter-jtl" / name)
    assert arrow == python


def test_quoted_fixture() -> None:
    arrow, python = both_engines(FIXTURES / "semicolon-quoted.jtl")
    assert arrow == python


@pytest.mark.parametrize(
    "rows",
    [
        "1000,5,A,true\n1000, 5,A,true\n",  # Arrow would read " 5" as 5
        "1000,5,A,true\n1000,0x5,A,true\n",  # and "0x5" as 5
        "1000,5,A,true\n1000,-5,A,true\n",
        "1000,5,A,true\n1000,5,A\n",
        "1000,5,A,true\n1000,,A,true\n",
    ],
)
def test_arrow_steps_aside_where_the_csv_reader_must_judge(tmp_path: Path, rows: str) -> None:
    path = tmp_path / "r.jtl"
    path.write_text(HEADER + rows, encoding="utf-8")
    assert _jmeter_arrow.read(path, _jmeter_csv.read_header(path, "r.jtl")) is None


def test_formatted_timestamps_give_no_throughput_in_either_engine(tmp_path: Path) -> None:
    """JMeter's timestamp_format: the first row decides, as in the csv reader."""
    path = tmp_path / "r.jtl"
    path.write_text(HEADER + "2024/05/01 10:00:00,5,A,true\n2024/05/01 10:00:01,7,A,false\n")
    arrow, python = both_engines(path)
    assert arrow == python
    assert [(name, "throughput" in stats) for name, stats, _ in arrow] == [
        ("A", False),
        ("TOTAL", False),
    ]


def test_not_utf8_is_left_to_the_csv_reader(tmp_path: Path) -> None:
    path = tmp_path / "r.jtl"
    path.write_bytes(HEADER.encode() + b"1000,5,caf\xe9,true\n")
    assert _jmeter_arrow.read(path, _jmeter_csv.read_header(path, "r.jtl")) is None


def test_large_files_go_through_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 0)
    used: list[bool] = []
    real = _jmeter_arrow.read

    def spy(path: Path, header: _jmeter_csv.Header) -> _jmeter_tally.Tally | None:
        tally = real(path, header)
        used.append(tally is not None)
        return tally

    monkeypatch.setattr(_jmeter_arrow, "read", spy)
    path = random_jtl(tmp_path / "r.jtl", ",", 5)
    arrow = described(jmeter.parse(path, "r.jtl").metrics)
    assert used == [True]
    monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 1 << 62)
    assert described(jmeter.parse(path, "r.jtl").metrics) == arrow
    assert used == [True]

    bad = tmp_path / "bad.jtl"
    bad.write_text(HEADER + "1000,5,A,true\n1000,5x,A,true\n", encoding="utf-8")
    monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 0)
    with pytest.raises(EvidenceError) as caught:
        jmeter.parse(bad, "bad.jtl")
    assert caught.value.position.line == 3  # the csv reader's judgement, with its line
    assert used == [True, False]
