"""Benchmark.js console lines: a run of benchmark 2.1.4 (tools/benchmarkjs/suite.js), the
corpus files, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.bench import benchmarkjs
from gatekeeper.units import Dimension

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "benchmarkjs"


def by_name(path: Path) -> dict[str, Metric]:
    parsed = benchmarkjs.parse(path, path.name)
    assert parsed.format == "benchmarkjs"
    return {m.name: m for m in parsed.metrics}


def test_real_suite() -> None:
    found = by_name(FIXTURES / "suite.txt")
    assert list(found) == ["RegExp#test", "String#indexOf", "Array x 3 join"]
    regexp = found["RegExp#test"]
    assert regexp.kind == "benchmark"
    assert regexp.stats["throughput"].dimension is Dimension.THROUGHPUT
    assert regexp.stats["throughput"].value == 63_599_403
    assert regexp.stats["avg"].value == pytest.approx(1 / 63_599_403)
    assert regexp.stats["rme"].dimension is Dimension.RATIO
    assert regexp.stats["rme"].value == pytest.approx(0.0312)
    assert regexp.stats["count"].value == 91
    assert found["String#indexOf"].stats["throughput"].value == 1_168_446_044


def test_corpus_names_with_x_and_ignored_lines(corpus: Path) -> None:
    found = by_name(corpus / "bench/benchmarkjs/bencher_four.txt")
    assert list(found) == [
        "fib(10)",
        "fib(20)",
        "benchmark with x 2 many things",
        "createObjectBuffer with 200 comments",
    ]
    assert found["createObjectBuffer with 200 comments"].stats["throughput"].value == 81.61
    found = by_name(corpus / "bench/benchmarkjs/bencher_issue_506.txt")
    assert len(found) == 6
    assert found["text encoder utf16"].stats["rme"].value == pytest.approx(0.166)
    assert found["sha512 wasm from string utf8"].stats["count"].value == 7


def test_zero_runs_has_no_statistics(tmp_path: Path) -> None:
    path = tmp_path / "zero.txt"
    path.write_text("slow x 0 ops/sec ±0.00% (0 runs sampled)\n", encoding="utf-8")
    assert by_name(path)["slow"].stats == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "fib(10) x 1,431,759 ops/sec ±0.74% (93 runs sampled)\nfib(20) x 12,146 ops/sec ±0.3\n",
            "x.txt:2: cannot read this result line",
        ),
        ("Fastest is fib(10)\n", "x.txt: no Benchmark.js result found"),
    ],
)
def test_bad_input(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        benchmarkjs.parse(path, "x.txt")
    assert str(caught.value).startswith(message)


def test_detection() -> None:
    assert benchmarkjs.detect(b"a x 1 ops/sec \xc2\xb11.00% (5 runs sampled)\n")
    assert not benchmarkjs.detect(b"this x line should be ignored\n")
    assert not benchmarkjs.detect(b"BenchmarkFoo-8   1000000   1052 ns/op\n")
