"""A file cut short is never read as a shorter file (issue 9, class 5).

Line and row formats: every record a tool writes ends with a line end, so a file cut anywhere
but at a line boundary ends in a line without one, and the one shared reader refuses it, naming
the file and that line; reports a tool always ends the same way are also refused when cut
between lines. Whole-document formats (JSON, XML) must fail to parse when cut anywhere
before their closing token; after it only blank text remains and the reading is the whole one.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import parse_file

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
KMTA = HERE.parents[1] / "examples" / "kmta" / "reports"

LINE_FIXTURES: dict[str, list[str]] = {
    "locust": [
        "locust/locust-2.47_stats.csv",
        "locust/locust-2.47_stats_history.csv",
        "locust/locust-2.47_failures.csv",
        "locust/locust-2.47_exceptions.csv",
        "locust/handmade_failures.csv",
        "locust/handmade_stats_na.csv",
    ],
    "go-bench": [
        "go-bench/count2.txt",
        "go-bench/count2.json",
        "go-bench/split-line.json",
        "go-bench/benchfail.txt",
        "go-bench/benchfail.json",
        "go-bench/fatal-and-error.txt",
    ],
    "catch2": [
        "catch2/console-v2.13.10.txt",
        "catch2/console-v3.7.1.txt",
        "catch2/console-cases-v3.7.1.txt",
        "catch2/console-no-analysis-v3.7.1.txt",
    ],
    "criterion": ["criterion/console-throughput.txt"],
    "cargo-bench": ["cargo-bench/libtest-1.95.txt"],
    "benchmarkjs": ["benchmarkjs/suite.txt"],
    "wrk": ["wrk/latency.txt", "wrk/non2xx.txt", "wrk/refused.txt"],
    "vegeta": ["vegeta/report-90th.txt"],
}
"""Every line- or row-based fixture of the formats read through ``_text.terminated_lines``."""
REFUSED_WHOLE = {"wrk/refused.txt": "not wrk output"}
"""Fixtures of output that is refused whole, for another reason than truncation."""

DOCUMENT_FIXTURES: dict[str, list[Path]] = {
    "auto": [FIXTURES / "real" / name for name in
             ("pytest-benchmark.json", "pytest-xunit1.xml", "pytest-xunit2.xml")],
    "junit": [FIXTURES / "handmade" / "nested-suites.xml", *sorted(KMTA.glob("junit/*.xml"))],
    "k6": [FIXTURES / "k6" / "machine-readable-summary.json", *sorted(KMTA.glob("k6/*.json"))],
    "pytest-benchmark": [KMTA / "bench" / "micro.json"],
    "criterion": sorted((FIXTURES / "criterion").rglob("new/estimates.json")),
    **{fmt: sorted((FIXTURES / fmt).glob("*.[jx]*")) for fmt in (
        "benchmarkdotnet", "gatling", "google-benchmark", "hyperfine", "jmh", "nunit", "testng",
        "xunit-net",
    )},
    "jmeter": sorted((FIXTURES / "jmeter").glob("*.xml")),
    "catch2": sorted((FIXTURES / "catch2").glob("*.xml")),
    "trx": [FIXTURES / "trx" / "results.trx"],
}  # fmt: skip
"""Every JSON and XML fixture, with the format it is read as."""


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(fmt, name) for fmt, names in table.items() for name in names]


def _line_cuts(data: bytes, rng: random.Random) -> Iterator[tuple[int, int]]:
    """(offset, line number of the line the cut ends in) for cuts inside lines: every
    offset of the last two lines, and a sample of the others."""
    inside = [o for o in range(1, len(data)) if data[o - 1] not in b"\r\n"]
    tail_from = data.rfind(b"\n", 0, data.rfind(b"\n", 0, len(data) - 1))
    chosen = {o for o in inside if o > tail_from} | set(rng.sample(inside, min(60, len(inside))))
    for offset in sorted(chosen):
        yield offset, data.count(b"\n", 0, offset) + 1


def _parse(path: Path, fmt: str) -> ParsedFile:
    return parse_file(path, path.name, fmt)


@pytest.mark.parametrize(("fmt", "name"), _cases(LINE_FIXTURES))
def test_every_line_fixture_ends_with_a_line_end_and_reads_whole(fmt: str, name: str) -> None:
    path = FIXTURES / name
    assert path.read_bytes().endswith(b"\n")
    if name in REFUSED_WHOLE:
        with pytest.raises(EvidenceError, match=REFUSED_WHOLE[name]):
            _parse(path, fmt)
    else:
        assert _parse(path, fmt).metrics or fmt == "locust"


@pytest.mark.parametrize(("fmt", "name"), _cases(LINE_FIXTURES))
def test_a_line_fixture_cut_inside_a_line_names_the_file_and_that_line(
    fmt: str, name: str, tmp_path: Path
) -> None:
    data = (FIXTURES / name).read_bytes()
    cut = tmp_path / Path(name).name
    for offset, line in _line_cuts(data, random.Random(name)):
        cut.write_bytes(data[:offset])
        with pytest.raises(EvidenceError) as caught:
            _parse(cut, fmt)
        where = caught.value.position
        assert (where.file, where.line) == (cut.name, line), (offset, caught.value.message)
        assert caught.value.message == "the last line has no line end: the file is truncated"


@pytest.mark.parametrize(("fmt", "name"), _cases(LINE_FIXTURES))
def test_the_last_line_end_removed_is_refused(fmt: str, name: str, tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes()
    cut = tmp_path / Path(name).name
    kept = data.rstrip()  # the last line that has text, without its line end
    cut.write_bytes(kept)
    with pytest.raises(EvidenceError, match="no line end") as caught:
        _parse(cut, fmt)
    assert caught.value.position.line == kept.count(b"\n") + 1


@pytest.mark.parametrize(("fmt", "name"), _cases(LINE_FIXTURES))
def test_a_crlf_file_cut_between_its_cr_and_lf_is_refused(
    fmt: str, name: str, tmp_path: Path
) -> None:
    """Saved with Windows line ends and cut after the last line's \\r: still cut short."""
    data = (FIXTURES / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    whole = tmp_path / "whole" / Path(name).name
    whole.parent.mkdir()
    whole.write_bytes(data)
    if name in REFUSED_WHOLE:
        with pytest.raises(EvidenceError, match=REFUSED_WHOLE[name]):
            _parse(whole, fmt)
    else:
        _parse(whole, fmt)  # read whole with CRLF line ends
    cut = tmp_path / Path(name).name
    cut.write_bytes(data[:-1])
    with pytest.raises(EvidenceError, match="no line end") as caught:
        _parse(cut, fmt)
    assert caught.value.position.line == data.count(b"\n")


WHOLE_REPORTS: dict[str, list[str]] = {
    "catch2": LINE_FIXTURES["catch2"],
    "wrk": ["wrk/latency.txt", "wrk/non2xx.txt", "wrk/no-requests.txt"],
}
"""Reports whose tool always ends them the same way (Catch2's totals, wrk's Transfer/sec):
cut at a line boundary they are refused too, since what follows a table or the request
count (a failed assertion, the error counts) would otherwise be lost."""


@pytest.mark.parametrize(("fmt", "name"), _cases(WHOLE_REPORTS))
def test_a_report_cut_between_lines_is_refused_or_read_whole(
    fmt: str, name: str, tmp_path: Path
) -> None:
    data = (FIXTURES / name).read_bytes()
    whole = _parse(FIXTURES / name, fmt)
    cut = tmp_path / Path(name).name
    boundaries = [i + 1 for i, byte in enumerate(data) if byte == 0x0A][:-1]
    for offset in boundaries:
        cut.write_bytes(data[:offset])
        try:
            parsed = _parse(cut, fmt)
        except EvidenceError:
            continue
        assert parsed.metrics == whole.metrics, f"cut at byte {offset} read as another report"


def test_the_issue_example_a_locust_latency_cut_mid_number(tmp_path: Path) -> None:
    path = tmp_path / "run_stats.csv"
    header = b"Type,Name,Request Count,Failure Count,Median Response Time,95%\r\n"
    path.write_bytes(header + b"GET,/a,100,0,12,210\r\n,Aggregated,100,0,12,21")
    with pytest.raises(EvidenceError) as caught:
        _parse(path, "locust")
    assert (
        str(caught.value) == "run_stats.csv:3: the last line has no line end: the file is truncated"
    )


@pytest.mark.parametrize(
    ("row", "found"), [(b"GET,/a,3,0,12\n", 5), (b"GET,/a,3,0,12,20,7\n", 7), (b"GET,/a\n", 2)]
)
def test_a_locust_row_with_missing_or_extra_fields(tmp_path: Path, row: bytes, found: int) -> None:
    path = tmp_path / "x_stats.csv"
    path.write_bytes(b"Type,Name,Request Count,Failure Count,Median Response Time,95%\n" + row)
    with pytest.raises(EvidenceError) as caught:
        _parse(path, "locust")
    assert caught.value.position.line == 2
    assert f"expected 6 fields as the header names, found {found}" in caught.value.message


def test_a_quoted_field_left_open_at_the_end_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x_failures.csv"
    path.write_bytes(b'Method,Name,Error,Occurrences\nGET,/a,"line one\nline two\n')
    with pytest.raises(EvidenceError, match="malformed CSV: unexpected end of data"):
        _parse(path, "locust")


def _document_cases() -> list[tuple[str, Path]]:
    return [(fmt, path) for fmt, paths in DOCUMENT_FIXTURES.items() for path in paths]


def _document_cuts(data: bytes, rng: random.Random) -> list[int]:
    """Every offset of small files; the first and last 64 bytes and a sample of big ones."""
    if len(data) <= 3000:
        return list(range(len(data)))
    middle = rng.sample(range(64, len(data) - 64), 150)
    return sorted({*range(64), *middle, *range(len(data) - 64, len(data))})


@pytest.mark.parametrize(
    ("fmt", "path"), _document_cases(), ids=[f"{f}-{p.name}" for f, p in _document_cases()]
)
def test_a_document_cut_before_its_end_never_reads(fmt: str, path: Path, tmp_path: Path) -> None:
    assert path.is_file()
    folder = tmp_path / "copy"
    shutil.copytree(path.parent, folder)  # siblings (Criterion's sample.json) come along
    cut = folder / path.name
    data = path.read_bytes()
    whole = _parse(cut, fmt)
    assert whole.tests or whole.metrics
    for offset in _document_cuts(data, random.Random(path.name)):
        cut.write_bytes(data[:offset])
        if not data[offset:].strip():  # only blank text was cut off: the whole document
            assert _parse(cut, fmt) == whole
            continue
        with pytest.raises(EvidenceError):
            _parse(cut, fmt)
            pytest.fail(f"{path.name} cut at byte {offset} of {len(data)} was read")
