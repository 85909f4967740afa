"""libtest ``cargo bench`` lines: a run of Rust 1.95's libtest (tools/cargo_bench, built with
RUSTC_BOOTSTRAP=1 for ``#![feature(test)]``), the corpus files, a live run, bad input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.parsers.bench import cargo_bench
from gatekeeper.units import Dimension
from tests.conftest import missing_tool

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "cargo-bench"
CORPUS = "bench/cargo-libtest-bench"


def by_name(path: Path) -> dict[str, Metric]:
    parsed = cargo_bench.parse(path, path.name)
    assert parsed.format == "cargo-bench"
    return {m.name: m for m in parsed.metrics}


def terminated(source: Path, folder: Path) -> Path:
    """A copy of a corpus file with the final line end its source project stripped (libtest
    writes one): without it the file reads as truncated."""
    copy = folder / source.name
    copy.write_bytes(source.read_bytes() + b"\n")
    return copy


def seconds(m: Metric, stat: str = "avg") -> float:
    assert m.stats[stat].dimension is Dimension.TIME
    return m.stats[stat].value


def test_libtest_run_with_throughput_and_a_panic() -> None:
    found = by_name(FIXTURES / "libtest-1.95.txt")
    assert list(found) == ["copy_4k", "fib_10", "fib_20", "panics"]
    assert seconds(found["fib_20"]) == pytest.approx(32_996.54e-9)
    assert seconds(found["fib_20"], "deviation") == pytest.approx(25_812.94e-9)
    copy = found["copy_4k"]
    assert copy.stats["data_rate"].dimension is Dimension.DATA_RATE
    assert copy.stats["data_rate"].value == pytest.approx(70_620e6)
    assert found["panics"].stats == {}  # FAILED: nothing can pass against it
    assert "slow_test" not in found  # ignored tests are not benchmarks


def test_corpus_files(corpus: Path, tmp_path: Path) -> None:
    found = by_name(corpus / CORPUS / "bencher_issue_390.txt")
    assert seconds(found["bleu::benchmark::bench_batch_bleu"]) == pytest.approx(13_967_756.30e-9)
    assert seconds(found["tokenizer::benchmark::bench_tokenizer"], "deviation") == pytest.approx(
        6_749.97e-9
    )
    found = by_name(corpus / CORPUS / "bencher_many.txt")
    assert seconds(found["tests::one_digit"]) == pytest.approx(1e-6)  # μs/iter
    assert seconds(found["tests::two_digit"]) == pytest.approx(22e-3)
    assert seconds(found["tests::three_digit"]) == 333.0
    found = by_name(corpus / CORPUS / "bencher_multi_target.txt")
    assert list(found) == ["tests::benchmark", "tests::other_benchmark"]
    found = by_name(terminated(corpus / CORPUS / "bencher_failed.txt", tmp_path))
    assert found["tests::benchmark_b"].stats == {}
    assert seconds(found["tests::benchmark_c"]) == pytest.approx(3_215e-9)
    assert by_name(corpus / CORPUS / "bencher_zero.txt") == {}


def test_units_other_than_time_per_iteration_stay_plain_numbers(
    corpus: Path, tmp_path: Path
) -> None:
    with pytest.raises(EvidenceError, match="the last line has no line end"):
        by_name(corpus / CORPUS / "cargo_output_units.txt")  # stripped: a record cut short
    found = by_name(terminated(corpus / CORPUS / "cargo_output_units.txt", tmp_path))
    cmov = found["cmov"].stats
    assert (cmov["avg"].value, cmov["avg"].dimension) == (2835, Dimension.NUMBER)
    assert found["download"].stats["deviation"].value == 69


def test_criterion_bencher_lines(corpus: Path) -> None:
    found = by_name(corpus / "bench/criterion/criterion_output.txt")
    assert seconds(found["Fibonacci (Execution)"]) == pytest.approx(1_672_496e-9)
    assert len(found) == 4


def error_for(tmp_path: Path, content: str) -> str:
    path = tmp_path / "x.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        cargo_bench.parse(path, "x.txt")
    return str(caught.value)


def test_bad_input(tmp_path: Path) -> None:
    assert error_for(tmp_path, "\nrunning 1 test\ntest a ... bench: 12 ns/iter (+/-\n").startswith(
        "x.txt:3: cannot read this benchmark line"
    )
    message = error_for(tmp_path, "test a ... bench: 1 ns/iter (+/- 1) = 9 furlongs/s\n")
    assert message.startswith("x.txt:1:41: unknown throughput unit 'furlongs/s'")
    assert error_for(tmp_path, "hello\n").startswith("x.txt: no cargo bench output found")
    message = error_for(tmp_path, "fib  time:   [1.0 ns 1.1 ns 1.2 ns]\n")
    assert message.startswith(
        "x.txt:1: this is Criterion's console output; set `format: criterion`"
    )


def test_detection(corpus: Path) -> None:
    assert cargo_bench.detect(b"test a ... bench:   1,234 ns/iter (+/- 5)\n")
    assert not cargo_bench.detect(b"running 0 tests\n\ntest result: ok. 0 passed; 0 measured;\n")
    assert not cargo_bench.detect(
        (corpus / "bench/criterion/bencher_criterion_many.txt").read_bytes()
    )


@pytest.mark.slow
def test_real_cargo_bench_matches_what_it_printed(tmp_path: Path) -> None:
    if shutil.which("cargo") is None:
        missing_tool("cargo is not installed")
    crate = tmp_path / "crate"
    shutil.copytree(HERE / "tools" / "cargo_bench", crate)
    env = {**os.environ, "RUSTC_BOOTSTRAP": "1", "CARGO_TARGET_DIR": str(tmp_path / "target")}
    run = subprocess.run(
        ["cargo", "bench", "--offline", "--quiet"],
        cwd=crate,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,  # the 'panics' benchmark fails the run on purpose
    )
    path = tmp_path / "bench.txt"
    path.write_text(run.stdout, encoding="utf-8")
    assert cargo_bench.detect(path.read_bytes()), run.stderr[-2000:]
    found = by_name(path)
    printed = re.findall(r"^[.iF]*test (\S+)\s+\.\.\. bench:\s+([\d,.]+) ns/iter", run.stdout, re.M)
    assert {name for name, _ in printed} == {"copy_4k", "fib_10", "fib_20"}
    for name, ns in printed:
        assert seconds(found[name]) == pytest.approx(float(ns.replace(",", "")) * 1e-9)
    # --quiet prints the panicked benchmark as a bare 'F': it is simply absent
    assert "panics" not in found or found["panics"].stats == {}
