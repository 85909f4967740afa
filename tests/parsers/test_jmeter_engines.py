"""The Arrow engine and the csv-module engine read every JTL to the same last bit, or
the Arrow engine steps aside: a verdict never depends on whether pyarrow is installed."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.load import _jmeter_arrow, _jmeter_csv, _jmeter_tally, jmeter

pytestmark = pytest.mark.needs("pyarrow")

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


@pytest.mark.parametrize(
    "rows",
    [
        b"1000,5,A,true\n1000,5,A\n",  # a row too short: ArrowInvalid
        b"1000,5,A,true\n1000,5,A,true,x\n",  # too long
        b"1000,5,caf\xe9,true\n",  # not UTF-8
        b'1000,5,"A,true\n',  # a quote never closed
        b'1000,5,"' + b"x" * 20_000 + b'",true\n',  # a field straddling Arrow's blocks
        b"1000,5x,A,true\n",  # Arrow's own give-up: not whole milliseconds
    ],
)
def test_a_file_arrow_cannot_take_gets_the_csv_readers_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: bytes
) -> None:
    """Through Arrow or not, the same file ends in the same result or the same error."""
    path = tmp_path / "r.jtl"
    path.write_bytes(HEADER.encode() + rows)

    def verdict() -> object:
        try:
            return described(jmeter.parse(path, "r.jtl").metrics)
        except EvidenceError as error:
            return str(error)

    monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 0)
    assert _jmeter_arrow.read(path, _jmeter_csv.read_header(path, "r.jtl")) is None
    through_arrow = verdict()
    monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 1 << 62)
    assert through_arrow == verdict()


def test_a_file_arrow_cannot_open_is_left_to_the_csv_reader(tmp_path: Path) -> None:
    """An OSError from Arrow (the file went away after its header was read): the csv
    reader reports it, as it would have without pyarrow."""
    path = tmp_path / "r.jtl"
    path.write_text(HEADER + "1000,5,A,true\n", encoding="utf-8")
    header = _jmeter_csv.read_header(path, "r.jtl")
    path.unlink()
    assert _jmeter_arrow.read(path, header) is None
    with pytest.raises(EvidenceError, match="cannot read"):
        _jmeter_csv.read_python(path, "r.jtl", header)


@pytest.mark.parametrize("bug", [TypeError, AttributeError, KeyError])
def test_a_bug_in_the_arrow_engine_is_not_hidden_by_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bug: type[Exception]
) -> None:
    """Only "this file is not for Arrow" falls back: a bug propagates, where a silent
    fallback would have kept the slow path running unnoticed."""

    def broken(*_: object) -> None:
        raise bug("a bug in the engine")

    monkeypatch.setattr(_jmeter_arrow, "_add", broken)
    monkeypatch.setattr(_jmeter_csv, "ARROW_FROM_BYTES", 0)
    path = random_jtl(tmp_path / "r.jtl", ",", 3)
    with pytest.raises(bug, match="a bug in the engine"):
        jmeter.parse(path, "r.jtl")


def test_arrows_own_type_errors_are_bugs_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ArrowTypeError and ArrowNotImplementedError come from a compute call misused, not
    from the file: they propagate."""
    pa = pytest.importorskip("pyarrow")  # the module's mark already requires it

    def misused(*_: object) -> None:
        raise pa.ArrowNotImplementedError("Function 'sum' has no kernel matching input types")

    monkeypatch.setattr(_jmeter_arrow, "_add", misused)
    path = random_jtl(tmp_path / "r.jtl", ",", 4)
    with pytest.raises(pa.ArrowNotImplementedError):
        _jmeter_arrow.read(path, _jmeter_csv.read_header(path, "r.jtl"))
