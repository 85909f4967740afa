"""Catch2's console reporter: the benchmark table, read by the catch2 format.

Fixtures, all with ``--benchmark-samples 5 --benchmark-resamples 100
--benchmark-warmup-time 1``, from Catch2 v2.13.10 (Debian) and v3.7.1 (amalgamated):

- ``console-v*.txt``: ``tools/catch2/tiny_catch2.cpp``, the program of the XML fixtures.
- ``console-cases-v*.txt``: a program whose BENCHMARKs are named ``a benchmark with a
  rather long name that has to wrap onto more than one line``,
  ``ABenchmarkNameWithoutSpacesThatCatchHasToBreak``, ``path/like/name/that/is/long/
  enough/to/wrap``, ``naps 3 ms`` and ``naps 1.2 s`` (sleeping), ``checking``
  (``CHECK(++calls % 3000 != 1)``: assertions interrupt its table before and after its
  first row), ``after the checking one`` and ``requiring`` (a failing REQUIRE).
- ``console-no-analysis-v3.7.1.txt``: the same program's ``long names`` test case with
  ``--benchmark-no-analysis``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import Metric
from gatekeeper.model import MetricCriterion
from gatekeeper.parsers import detect_format
from gatekeeper.parsers.bench import catch2
from gatekeeper.series import select_series
from gatekeeper.units import Dimension, Quantity

D = Dimension
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "catch2"
LONG = "a benchmark with a rather long name that has to wrap onto more than one line"
UNBROKEN = "ABenchmarkNameWithoutSpacesThatCatchHasToBreak"
# Catch2 broke this name after a "/", not at a space: the parts are joined with one.
PATH_LIKE = "path/like/name/that/is/long/enough/ to/wrap"
TIMES = ("avg", "avg_low", "avg_high", "stddev", "stddev_low", "stddev_high")
SCALE = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def metrics_of(path: Path) -> dict[str, Metric]:
    parsed = catch2.parse(path, path.name)
    assert parsed.format == "catch2"
    assert parsed.tests == ()
    return {m.name: m for m in parsed.metrics}


def times(row: str) -> dict[str, Quantity]:
    """Statistics as Catch2 prints them: '3134.53 ns 3101.6 ns ...' -> base units."""
    words = row.split()
    values = [float(words[i]) * SCALE[words[i + 1]] for i in range(0, len(words), 2)]
    return {k: Quantity(v, D.TIME) for k, v in zip(TIMES, values, strict=True)}


def counts(samples: int, iterations: int) -> dict[str, Quantity]:
    return {"count": Quantity(samples, D.COUNT), "iterations": Quantity(iterations, D.COUNT)}


@pytest.mark.parametrize(
    ("version", "fib15", "fib5"),
    [
        (
            "v2.13.10",
            (15, "3.14993 us 3.12949 us 3.16784 us 21.2641 ns 11.8125 ns 32.7252 ns"),
            (1568, "29.3963 ns 29.2661 ns 29.6313 ns 0.192325 ns 0.108127 ns 0.258252 ns"),
        ),
        (
            "v3.7.1",
            (9, "3.18551 us 3.16084 us 3.21953 us 34.5039 ns 27.5316 ns 41.9135 ns"),
            (906, "28.4097 ns 28.2594 ns 28.5181 ns 0.159364 ns 0.0765976 ns 0.22216 ns"),
        ),
    ],
)
def test_the_programs_table(version: str, fib15: tuple[int, str], fib5: tuple[int, str]) -> None:
    path = FIXTURES / f"console-{version}.txt"
    assert detect_format(path, path.name) == "catch2"
    found = metrics_of(path)
    assert list(found) == ["fib 15", "fib 5", "exploding"]
    assert found["fib 15"].stats == {**times(fib15[1]), **counts(5, fib15[0])}
    assert found["fib 5"].stats == {**times(fib5[1]), **counts(5, fib5[0])}
    assert found["fib 5"].stats["avg"] == Quantity(float(fib5[1].split()[0]) * 1e-9, D.TIME)
    # "exploding  Benchmark failed (bang)": nothing can pass against it
    assert found["exploding"].stats == {}
    for metric in found.values():
        assert (metric.tags, metric.kind, metric.aliases) == ({}, "benchmark", ())
        assert metric.source == path.name


def test_console_and_xml_answer_to_the_same_selector() -> None:
    criterion = MetricCriterion("catch", "fib 5", {}, ())
    for name in ("console-v3.7.1.txt", "catch2-v3.7.1.xml"):
        parsed = catch2.parse(FIXTURES / name, name)
        (selected,) = select_series(criterion, parsed.metrics)
        assert selected.name == "fib 5"
        assert set(selected.stats) >= {*TIMES, "count", "iterations"}


@pytest.mark.parametrize("version", ["v2.13.10", "v3.7.1"])
def test_long_names_units_and_interruptions(version: str) -> None:
    found = metrics_of(FIXTURES / f"console-cases-{version}.txt")
    names = [LONG, UNBROKEN, PATH_LIKE, "naps 3 ms", "naps 1.2 s", "checking"]
    assert list(found) == [*names, "after the checking one", "requiring"]
    assert found["requiring"].stats == {}  # its REQUIRE failed: no numbers
    for name in names:
        assert found[name].stats["count"] == Quantity(5, D.COUNT)
    assert 0.003 < found["naps 3 ms"].stats["avg"].value < 0.0035
    assert 1.2 < found["naps 1.2 s"].stats["avg"].value < 1.21


def test_values_in_ms_s_and_across_an_interruption() -> None:
    found = metrics_of(FIXTURES / "console-cases-v3.7.1.txt")
    naps = "3.07679 ms 3.03859 ms 3.09132 ms 25.093 us 3.8996 us 31.6192 us"
    assert found["naps 3 ms"].stats == {**times(naps), **counts(5, 1)}
    seconds = "1.20011 s 1.2001 s 1.20012 s 12.0206 us 6.48041 us 16.9387 us"
    assert found["naps 1.2 s"].stats == {**times(seconds), **counts(5, 1)}
    # The row with samples and iterations, then an assertion, then the two time rows
    # under a reopened table (lines 123-135).
    checking = "99.4601 ns 87.489 ns 121.096 ns 18.1607 ns 0.53821 ns 23.3549 ns"
    assert found["checking"].stats == {**times(checking), **counts(5, 263)}
    broken = "12.907 ns 12.596 ns 13.5251 ns 0.593678 ns 0.0258931 ns 0.746773 ns"
    assert found[UNBROKEN].stats == {**times(broken), **counts(5, 2171)}


def test_no_analysis_has_the_mean_only() -> None:
    found = metrics_of(FIXTURES / "console-no-analysis-v3.7.1.txt")
    assert list(found) == [LONG, UNBROKEN, PATH_LIKE]
    assert found[LONG].stats == {
        "avg": Quantity(37.1379 * 1e-9, D.TIME),
        **counts(5, 1243),
    }
    assert found[UNBROKEN].stats["avg"] == Quantity(12.994 * 1e-9, D.TIME)


CORPUS_FIB = {
    "Fibonacci 10": (208, "344 ns 341 ns 349 ns 19 ns 11 ns 29 ns"),
    "Fibonacci 20": (2, "41.731 us 41.25 us 42.622 us 3.256 us 2.163 us 5.353 us"),
    "Fibonacci~ 5!": (1961, "36 ns 35 ns 37 ns 4 ns 3 ns 6 ns"),
    "Fibonacci-15_bench": (20, "3.789 us 3.734 us 3.888 us 362 ns 234 ns 539 ns"),
}


@pytest.mark.parametrize("name", ["catch2_output_v2.txt", "catch2_output_v3.txt"])
def test_corpus_github_action_benchmark(corpus: Path, name: str) -> None:
    # v3 is v2's file with the header Catch2 3.5 introduced, "est run time"
    found = metrics_of(corpus / "bench" / "catch2" / name)
    assert list(found) == list(CORPUS_FIB)
    for bench, (iterations, row) in CORPUS_FIB.items():
        assert found[bench].stats == {**times(row), **counts(100, iterations)}, bench
    assert found["Fibonacci 20"].stats["avg"] == Quantity(41.731e-6, D.TIME)


def test_corpus_bencher_long_name(corpus: Path) -> None:
    # A hand-made layout: the name's second part on the mean row. Real Catch2 puts the
    # last part on the row with the samples (see the console-cases fixtures).
    parsed = catch2.parse(corpus / "bench" / "catch2" / "bencher_issue_351.txt", "b.txt")
    names = [m.name for m in parsed.metrics]
    assert names == [*CORPUS_FIB, "Fibonacci 10 with a long name", "Fibonacci 20"]
    long_name = parsed.metrics[4]
    assert long_name.stats == {**times(CORPUS_FIB["Fibonacci 10"][1]), **counts(100, 208)}
    # two test cases each have a "Fibonacci 20"; a selector takes both
    criterion = MetricCriterion("catch", "Fibonacci 20", {}, ())
    assert len(select_series(criterion, parsed.metrics)) == 2


def test_corpus_windows_line_ends_and_zero_times(corpus: Path) -> None:
    found = metrics_of(corpus / "bench" / "catch2" / "issue16_output.txt")
    assert found["Fibonacci 10"].stats == {**times("0 ns " * 6), **counts(100, 76353)}
    assert found["Fibonacci 20"].stats["avg"] == Quantity(1e-9, D.TIME)
    assert found["Fibonacci 20"].stats["iterations"] == Quantity(75814, D.COUNT)


HEAD = (
    "benchmark name                       samples       iterations    estimated\n"
    "                                     mean          low mean      high mean\n"
    "                                     std dev       low std dev   high std dev\n"
    "-------------------------------------------------------------------------------\n"
)
ROW = "fib 15                                           5            15     241.05 us\n"
MEAN = "                                        3.14993 us    3.12949 us    3.16784 us\n"
TOTALS = "=" * 79 + "\ntest cases: 1 | 1 passed\nassertions: - none -\n\n"


def error_for(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "catch.txt"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(EvidenceError) as caught:
        catch2.parse(path, "catch.txt")
    return str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEAD + ROW + MEAN, "catch.txt:6: file ends inside a benchmark table (truncated?)"),
        (HEAD[:150], "catch.txt:2: file ends inside a benchmark table (truncated?)"),
        (
            HEAD + ROW + "   hello\n",
            "catch.txt:6: benchmark 'fib 15' has no mean row here (three times such as '344 ns')",
        ),
        (
            HEAD + ROW + MEAN + "   3 ns  2 ns\n",
            "catch.txt:7: benchmark 'fib 15' has no std dev row here"
            " (three times such as '344 ns')",
        ),
        (HEAD + ROW + ROW, "catch.txt:6: benchmark 'fib 15' has no mean row"),
        (HEAD + MEAN, "catch.txt:5: times without a benchmark row above"),
        (HEAD.replace("low mean", "lo mean"), "catch.txt:2: incomplete Catch2 benchmark table"),
        (
            HEAD + ROW + MEAN.replace("3.12949 us", "nan us"),
            "catch.txt:6:55: nan us is not a finite time",
        ),
        ("All tests passed (3 assertions in 1 test case)\n", "catch.txt: no Catch2 benchmark"),
        ("", "catch.txt: no Catch2 benchmark table"),
        (
            HEAD + ROW + MEAN + MEAN + "\n",
            "catch.txt:8: the output ends before Catch2's totals ('test cases: ...'): truncated?",
        ),
        (
            HEAD + ROW + MEAN + MEAN + TOTALS + HEAD + ROW + MEAN + MEAN,
            "catch.txt:18: the output ends before Catch2's totals",
        ),
        (HEAD.encode() + b"fib \xff 15  5  15  241 us\n", "catch.txt:5:5: not valid UTF-8"),
    ],
)
def test_broken_tables_name_the_line(tmp_path: Path, content: str | bytes, message: str) -> None:
    assert error_for(tmp_path, content).startswith(message)


def test_hostile_lines_cost_linear_time(tmp_path: Path) -> None:
    path = tmp_path / "catch.txt"
    nasty = [":1" * 30_000 + ":", "1 " * 30_000, " ".join(["1 ns"] * 12_000) + " x", "x-" * 30_000]
    path.write_text(HEAD + "\n".join(nasty) + "\n" + HEAD + ROW + MEAN + MEAN + TOTALS)
    started = time.perf_counter()
    parsed = catch2.parse(path, "catch.txt")
    assert time.perf_counter() - started < 2
    assert [m.name for m in parsed.metrics] == ["fib 15"]


def test_stray_text_keeps_to_a_bound(tmp_path: Path) -> None:
    path = tmp_path / "catch.txt"
    path.write_text(HEAD + "".join(f"part{i}\n" for i in range(1000)) + ROW + MEAN + MEAN + TOTALS)
    (metric,) = catch2.parse(path, "catch.txt").metrics
    assert metric.name.startswith("part968 part969 ") and metric.name.endswith("part999 fib 15")


@pytest.mark.parametrize(
    ("head", "claimed"),
    [
        (HEAD.encode(), True),
        (HEAD.replace("estimated", "est run time").encode(), True),  # Catch2 3.5 and later
        (b"benchmark name                            samples    iterations          mean\n", True),
        (b"\xef\xbb\xbf\r\nbenchmark name  samples  iterations  estimated\r\n", True),
        (b"x" * 4000 + b"\n" + HEAD.encode(), True),
        (b"x" * 4080 + b"\nbenchmark name  samples  iterations  estimated", False),  # cut off
        (b"<testsuites><system-out>\n" + HEAD.encode(), False),
        (b'{"log": "\nbenchmark name  samples  iterations  estimated\n"}', False),
        (b"  benchmark name  samples  iterations  estimated\n", False),
        (b"benchmark name  samples  iterations\n", False),
    ],
)
def test_detect_console(head: bytes, claimed: bool) -> None:
    assert catch2.detect(head[:4096]) is claimed
