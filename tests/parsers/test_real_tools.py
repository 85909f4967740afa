"""The benchmark tools themselves, run on tiny programs: gatekeeper must read their figures.

Each test runs a real tool (hyperfine, a Google Benchmark program, a Catch2 program,
``go test -bench``) in a temporary directory, parses what it wrote with gatekeeper, and
checks the numbers against those the tool printed. A test skips only when its tool is not
installed; CI installs them (Debian: hyperfine libbenchmark-dev catch2 golang-go g++).
The programs live in tools/; the whole module takes about 20 seconds, mostly compiling
Catch2 v2's header.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree

import pytest

from gatekeeper.evidence import Metric, ParsedFile, TestStatus
from gatekeeper.parsers import detect_format, parse_file
from gatekeeper.units import Dimension
from tests.conftest import missing_tool
from tests.parsers.claims import claimed

pytestmark = pytest.mark.slow  # real programs or whole processes: seconds each

TOOLS = Path(__file__).resolve().parent / "tools"
TIMEOUT = 120


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, failing: bool = False
) -> str:
    """The tool's standard output; a failure to run shows what it said.

    ``failing``: the program reports failed tests on purpose, so any exit code but a crash.
    """
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode >= 0 if failing else done.returncode == 0, done.stderr
    return done.stdout


def need(program: str, package: str) -> str:
    found = shutil.which(program)
    if found is None:
        missing_tool(f"{program} is not installed (Debian: apt-get install {package})")
    return found


def parsed(path: Path, fmt: str) -> ParsedFile:
    """Parse as 'auto': detection must recognise what the tool wrote, and nothing else may."""
    assert claimed(path) == [fmt]
    assert detect_format(path, path.name) == fmt
    return parse_file(path, path.name, "auto")


def printed(number: str, scale: float = 1.0) -> tuple[float, float]:
    """A figure as printed, in base units, and half a unit of its last printed digit."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) - int(exponent or 0)
    return float(number) * scale, 0.5 * 10.0**-decimals * scale


def agrees(value: float, figure: tuple[float, float]) -> bool:
    shown, tolerance = figure
    return abs(value - shown) <= tolerance * (1 + 1e-9) + 1e-15


# -- hyperfine ---------------------------------------------------------------------------

_HYPERFINE_BLOCK = re.compile(
    r"Benchmark \d+: (?P<name>.+)\n"
    r"\s+Time \(mean[^)]*\):\s+(?P<mean>[\d.]+) ms\s+\S+\s+(?P<stddev>[\d.]+) ms"
    r"\s+\[User: (?P<user>[\d.]+) ms, System: (?P<system>[\d.]+) ms\]\n"
    r"\s+Range \([^)]*\):\s+(?P<min>[\d.]+) ms\s+\S+\s+(?P<max>[\d.]+) ms\s+(?P<runs>\d+) runs"
)


def test_hyperfine(tmp_path: Path) -> None:
    hyperfine = need("hyperfine", "hyperfine")
    export = tmp_path / "hyperfine.json"
    options = ["--runs", "5", "--shell=none", "--ignore-failure", "--style", "basic"]
    options += ["--time-unit", "millisecond", "--export-json", str(export)]
    text = run(
        [hyperfine, *options, "--command-name", "nap", "sleep 0.01", "true", "false"], tmp_path
    )
    blocks = {m["name"]: m for m in _HYPERFINE_BLOCK.finditer(text)}
    assert list(blocks) == ["nap", "true", "false"], text
    metrics = {m.name: m for m in parsed(export, "hyperfine").metrics}
    exported = {r["command"]: r for r in json.loads(export.read_text())["results"]}
    assert list(metrics) == list(exported) == list(blocks)
    for name, metric in metrics.items():
        block, raw = blocks[name], exported[name]
        for stat, field in (("avg", "mean"), ("med", "median"), ("min", "min"), ("max", "max")):
            assert metric.stats[stat].value == raw[field]
            assert metric.stats[stat].dimension is Dimension.TIME
        for stat in ("avg", "stddev", "user", "system", "min", "max"):
            field = "mean" if stat == "avg" else stat
            assert agrees(metric.stats[stat].value, printed(block[field], 1e-3)), (name, stat)
        assert metric.stats["count"].value == int(block["runs"]) == 5
        assert list(metric.samples) == sorted(raw["times"])
        assert metric.samples[2] == raw["median"]  # p(50) of 5 runs is the middle one
    assert metrics["false"].stats["error_rate"].value == 1.0
    assert metrics["nap"].stats["error_rate"].value == 0.0
    assert metrics["nap"].stats["min"].value >= 0.01  # it did sleep


# -- Google Benchmark --------------------------------------------------------------------

_GB_NUMBER = r"[\d.]+(?:e[-+]\d+)?"  # small times are printed in scientific notation
_GB_ROW = re.compile(
    rf"(?P<name>BM_\S+?)\s+(?P<real>{_GB_NUMBER}) (?P<unit>ns|us|ms|s|%)"
    rf"\s+(?P<cpu>{_GB_NUMBER}) (?:ns|us|ms|s|%)\s+(?P<iterations>\d+)(?P<counters>.*)"
)
_GB_ERROR = re.compile(r"(?P<name>BM_\S+)\s+(?:ERROR OCCURRED|SKIPPED): '(?P<message>.*)'")
_GB_COUNTER = re.compile(rf"(\w+)=({_GB_NUMBER})([kMGT]i?)?(/s|%)?")
_SCALE = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "%": 0.01}
_AGGREGATES = ("mean", "median", "stddev", "cv")


def _compiles(compiler: str, include: str, cwd: Path) -> bool:
    probe = subprocess.run(
        [compiler, "-std=c++17", "-E", "-x", "c++", "-"],
        input=f"#include <{include}>\n",
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return probe.returncode == 0


def _counter(name: str, number: str, prefix: str, per: str | None) -> tuple[float, float]:
    if per == "%":
        return printed(number, 0.01)
    # Byte rates count in powers of 1024: newer libraries say so ("Gi"), 1.7 just prints "G".
    binary = prefix.endswith("i") or name == "bytes_per_second"
    base = 1024.0 if binary else 1000.0
    return printed(number, base ** " kMGT".index(prefix[:1] or " "))


def test_google_benchmark(tmp_path: Path) -> None:
    compiler = need("g++", "g++")
    if not _compiles(compiler, "benchmark/benchmark.h", tmp_path):
        missing_tool("Google Benchmark is not installed (Debian: apt-get install libbenchmark-dev)")
    source = TOOLS / "google_benchmark" / "tiny_bench.cc"
    program = tmp_path / "tiny_bench"
    build = [compiler, "-O2", "-std=c++17", str(source), "-o", str(program)]
    subprocess.run([*build, "-lbenchmark", "-lpthread"], check=True, timeout=TIMEOUT)
    export = tmp_path / "out.json"
    options = ["--benchmark_repetitions=3", "--benchmark_format=console", "--benchmark_color=false"]
    options += [f"--benchmark_out={export}", "--benchmark_out_format=json"]
    console = run([str(program), *options], tmp_path)
    metrics = {m.label: m for m in parsed(export, "google-benchmark").metrics}
    repetition: dict[str, int] = defaultdict(int)
    checked = 0
    for line in console.splitlines():
        errored = _GB_ERROR.fullmatch(line.strip())
        if errored:  # fail closed: an errored run keeps no statistics
            assert metrics[errored["name"]].stats == {}
            continue
        row = _GB_ROW.fullmatch(line.strip())
        if not row:
            continue
        name, _, aggregate = row["name"].rpartition("_")
        if aggregate in _AGGREGATES:
            label = f"{name}{{aggregate:{aggregate}}}"
        else:
            name = row["name"]
            label = f"{name}{{repetition:{repetition[name]}}}"
            repetition[name] += 1
        stats = metrics[label].stats
        scale = _SCALE[row["unit"]]
        assert agrees(stats["real_time"].value, printed(row["real"], scale)), line
        assert agrees(stats["cpu_time"].value, printed(row["cpu"], scale)), line
        if aggregate in _AGGREGATES:
            # The run's own series takes each aggregate's Time column.
            canonical = {"mean": "avg", "median": "med"}.get(aggregate, aggregate)
            assert metrics[name].stats[canonical] == stats["real_time"]
        for counter, number, prefix, per in _GB_COUNTER.findall(row["counters"]):
            figure = _counter(counter, number, prefix, per)
            assert agrees(stats[counter].value, figure), (line, counter)
        checked += 1
    assert checked == 2 * 7 + 7  # BM_StringCopy x2 and BM_Sum: 3 repetitions + 4 aggregates
    copy = metrics["BM_StringCopy/4096/iterations:20000"]
    assert copy.stats["cv"].dimension is Dimension.RATIO
    assert copy.stats["count"].value == 3
    assert copy.stats["iterations"].value == 3 * 20000
    assert copy.stats["min"].value == min(copy.samples)
    assert copy.stats["throughput"] == copy.stats["items_per_second"]
    assert copy.stats["data_rate"].value == pytest.approx(copy.stats["throughput"].value * 4096)


# -- Catch2 ------------------------------------------------------------------------------

_CATCH_TOTALS = re.compile(r"test cases: (\d+) \| (.*)")
_CATCH_BENCH = re.compile(r"(fib \d+|exploding)\s+(\d+)\s+(\d+)\s+[\d.]+ \w+")


def test_catch2(tmp_path: Path) -> None:
    compiler = need("g++", "g++")
    source = TOOLS / "catch2" / "tiny_catch2.cpp"
    program = tmp_path / "tiny_catch2"
    build = [compiler, "-std=c++17", "-O0", str(source), "-o", str(program)]
    if _compiles(compiler, "catch2/catch_test_macros.hpp", tmp_path):
        build += ["-lCatch2Main", "-lCatch2"]  # v3: a compiled library with main
    elif not _compiles(compiler, "catch2/catch.hpp", tmp_path):
        missing_tool("Catch2 is not installed (Debian: apt-get install catch2)")
    subprocess.run(build, check=True, timeout=TIMEOUT)
    options = ["--benchmark-samples", "5", "--benchmark-resamples", "100"]
    options += ["--benchmark-warmup-time", "1"]
    report = tmp_path / "report.xml"
    run(
        [str(program), "-r", "xml", "-d", "yes", "-o", str(report), *options],
        tmp_path,
        failing=True,
    )
    console = run([str(program), *options], tmp_path, failing=True)
    result = parsed(report, "catch2")

    statuses = {t.name: t.status for t in result.tests}
    assert statuses["fibonacci is right"] is TestStatus.PASSED
    assert statuses["deliberately failing"] is TestStatus.FAILED
    assert statuses["throws"] is TestStatus.ERROR
    totals = _CATCH_TOTALS.search(console)
    assert totals, console
    said = {word: int(n) for n, word in re.findall(r"(\d+) ([a-z ]+?)(?: \||$)", totals[2])}
    assert int(totals[1]) == len(result.tests)
    counts = {s: list(statuses.values()).count(s) for s in TestStatus}
    # Catch2 counts an expected failure apart; gatekeeper calls it passed, as Catch2's XML does.
    assert said["passed"] + said.get("failed as expected", 0) == counts[TestStatus.PASSED]
    assert said["failed"] == counts[TestStatus.FAILED] + counts[TestStatus.ERROR]
    assert said.get("skipped", 0) == counts[TestStatus.SKIPPED]

    metrics = {m.name: m for m in result.metrics}
    shown = {name: int(samples) for name, samples, _ in _CATCH_BENCH.findall(console)}
    assert set(shown) == {"fib 15", "fib 5"}  # the console lists the benchmarks that ran
    assert set(metrics) == {"fib 15", "fib 5", "exploding"}
    assert metrics["exploding"].stats == {}  # it threw: nothing can pass against it
    assert metrics["fib 5"].tags == {"test_case": "fibonacci is right"}
    assert metrics["fib 5"].aliases == ("fibonacci is right/small numbers/fib 5",)
    written = ElementTree.parse(report).getroot()
    for bench in written.iter("BenchmarkResults"):
        metric = metrics[bench.get("name", "")]
        if bench.find("failed") is not None:
            continue
        _check_catch2_benchmark(metric, bench, shown)


def _check_catch2_benchmark(
    metric: Metric, bench: ElementTree.Element, shown: dict[str, int]
) -> None:
    def nanoseconds(child: str, attribute: str) -> float:
        element = bench.find(child)
        assert element is not None
        return float(element.get(attribute, "nan")) * 1e-9

    assert metric.stats["avg"].value == nanoseconds("mean", "value")
    assert metric.stats["avg_low"].value == nanoseconds("mean", "lowerBound")
    assert metric.stats["stddev"].value == nanoseconds("standardDeviation", "value")
    assert metric.stats["count"].value == shown[metric.name] == 5
    assert metric.stats["iterations"].value == float(bench.get("iterations", "nan"))
    assert 0 < metric.stats["avg_low"].value <= metric.stats["avg"].value


# -- go test -bench ----------------------------------------------------------------------

_GO_LINE = re.compile(r"(Benchmark\S+)-(\d+)\s+(\d+)\s+(.*)")


def _go_env(home: Path) -> dict[str, str]:
    return dict(os.environ) | {
        "HOME": str(home),
        "GOPATH": str(home / "gopath"),
        "GOCACHE": str(home / "gocache"),
        "GOFLAGS": "-mod=mod",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOTELEMETRY": "off",
        "CGO_ENABLED": "0",
    }


def _go_printed(text: str) -> dict[str, list[dict[str, float]]]:
    """The result lines Go printed: name -> one {unit: value} per line (-count)."""
    found: dict[str, list[dict[str, float]]] = defaultdict(list)
    for line in text.splitlines():
        row = _GO_LINE.fullmatch(line.strip())
        if row:
            tokens = row[4].split()
            values = {unit: float(v) for v, unit in zip(tokens[::2], tokens[1::2], strict=True)}
            found[row[1]].append({"procs": float(row[2]), "N": float(row[3])} | values)
    return found


def _check_go(result: ParsedFile, lines: dict[str, list[dict[str, float]]]) -> None:
    metrics = {m.name: m for m in result.metrics}
    assert (
        set(metrics)
        == set(lines)
        == {"BenchmarkRepeat", "BenchmarkSizes/n=4", "BenchmarkSizes/n=64"}
    )
    for name, runs in lines.items():
        metric = metrics[name]
        assert len(runs) == 2  # -count 2
        assert metric.tags == {"procs": str(int(runs[0]["procs"])), "pkg": "example.com/tinybench"}
        assert list(metric.samples) == sorted(run["ns/op"] * 1e-9 for run in runs)
        assert metric.stats["count"].value == 2
        assert metric.stats["iterations"].value == sum(run["N"] for run in runs) == 4000
        mean = {unit: sum(run[unit] for run in runs) / 2 for unit in runs[0]}
        assert metric.stats["bytes"].value == pytest.approx(mean["B/op"])
        assert metric.stats["allocs"].value == pytest.approx(mean["allocs/op"])
        if "MB/s" in mean:
            assert metric.stats["data_rate"].value == pytest.approx(mean["MB/s"] * 1e6)
        if "chars/op" in mean:
            assert metric.stats["chars/op"].value == pytest.approx(mean["chars/op"])


def test_go_bench(tmp_path: Path) -> None:
    go = need("go", "golang-go")
    package = tmp_path / "tinybench"
    shutil.copytree(TOOLS / "go_bench", package)
    env = _go_env(tmp_path)
    command = [go, "test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "2"]
    command += ["-benchtime", "2000x", "."]
    text = run(command, package, env)
    (tmp_path / "bench.txt").write_text(text)
    _check_go(parsed(tmp_path / "bench.txt", "go-bench"), _go_printed(text))

    stream = run([*command, "-json"], package, env)
    (tmp_path / "bench.json").write_text(stream)
    joined = "".join(
        event.get("Output", "")
        for event in map(json.loads, stream.splitlines())
        if event.get("Action") == "output"
    )
    _check_go(parsed(tmp_path / "bench.json", "go-bench"), _go_printed(joined))
