"""Inputs that crashed the command (issue 9): each gets an exit code of 0 to 3 and a message,
never exit 4 or a traceback. Run through the real command, in a fresh interpreter."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.conftest import REPO

KMTA = REPO / "examples" / "kmta"


def _run(
    args: list[str], cwd: Path, encoding: str | None = None, **env: str
) -> subprocess.CompletedProcess[bytes]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONIO", "GITHUB_"))}
    if encoding:
        environ["PYTHONIOENCODING"] = encoding
    environ.update(env)
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", *args],
        cwd=cwd, capture_output=True, env=environ, timeout=120, check=False,
    )  # fmt: skip
    assert b"Traceback" not in done.stdout + done.stderr
    assert done.returncode in (0, 1, 2, 3), done.stderr.decode(errors="replace")
    return done


def _go_bench(root: Path, *values: str) -> Path:
    rows = "".join(f"BenchmarkHuge-8   \t    1000\t {v} ns/op\n" for v in values)
    path = root / "bench.txt"
    path.write_text(f"goos: linux\npkg: example.com/x\n{rows}PASS\n", encoding="utf-8")
    (root / "gatekeeper.yml").write_text(
        "version: 1\n"
        "phases: [{id: one, name: One}]\n"
        "artifacts: {go: {format: go-bench, paths: bench.txt}}\n"
        "swimlanes:\n"
        "  - {id: core, name: Core, cells: {one: {goal: Fast, benchmarks: [\n"
        '      {id: speed, metric: {from: go, name: BenchmarkHuge}, threshold: "avg < 1s"},\n'
        '      {id: spread, metric: {from: go, name: BenchmarkHuge}, threshold: "stddev < 1s"},\n'
        '      {id: p90, metric: {from: go, name: BenchmarkHuge}, threshold: "p(90) < 1s"}]}}}\n',
        encoding="utf-8",
    )
    return path


def test_go_bench_rows_of_plus_and_minus_1e308_are_refused_not_a_crash(tmp_path: Path) -> None:
    """Two rows of ±1e308 raised OverflowError in the statistics (exit 4)."""
    _go_bench(tmp_path, "1e308", "-1e308")
    inspected = _run(["inspect", "bench.txt"], tmp_path)
    assert inspected.returncode == ExitCode.NO_EVIDENCE
    assert inspected.stderr.decode() == (
        "bench.txt: impossible value: BenchmarkHuge{pkg:example.com/x,procs:8} min = -1e+299s, "
        "but a time cannot be negative\n"
    )
    assert _run(["check", "--format", "none"], tmp_path).returncode == ExitCode.NO_EVIDENCE


def test_huge_positive_go_bench_rows_are_judged_and_never_pass_a_less_than(
    tmp_path: Path,
) -> None:
    _go_bench(tmp_path, "1e308", "1.7e308", "1.7e308")
    inspected = _run(["inspect", "bench.txt"], tmp_path)
    assert inspected.returncode == ExitCode.PASSED
    assert b"avg 1.467e+299s" in inspected.stdout
    checked = _run(["check", "--format", "terminal", "--color", "never"], tmp_path)
    assert checked.returncode == ExitCode.FAILED
    assert checked.stdout.count(b"breaks") == 3  # avg, stddev and p(90): judged, all too slow


def _matrix_with(text: str, old: str, new: str, root: Path) -> Path:
    assert old in text
    path = root / "gatekeeper.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("version: 1", "version: 0x" + "F" * 4000, "gatekeeper.yml:10:10: version: "),
        ("min: 8, max_skipped: 1", "min: 0x" + "f" * 4000, ".tests.min: "),
        ("min: 8, max_skipped: 1", "min: 8, pass_rate: .nan", ".tests.pass_rate: "),
    ],
    ids=["version", "min", "nan"],
)
def test_numbers_no_comparison_can_use_are_matrix_errors(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    """A > 4,300-digit integer crashed the error message (Python's int-to-str limit)."""
    text = (KMTA / "gatekeeper.yml").read_text(encoding="utf-8")
    _matrix_with(text, old, new, tmp_path)
    for command in (["validate"], ["check", "--format", "none"]):
        done = _run(command, tmp_path)
        assert done.returncode == ExitCode.USAGE
        assert where in done.stderr.decode()


def test_inspect_refuses_an_unknown_format_naming_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`inspect --format foo` was a KeyError (exit 4)."""
    report = str(KMTA / "reports" / "k6" / "splitter-summary.json")
    done = _run(["inspect", "--format", "foo", report], tmp_path)
    assert done.returncode == ExitCode.USAGE
    assert b"argument --format: invalid choice: 'foo'" in done.stderr
    assert b"'k6-ndjson'" in done.stderr and b"'pytest-benchmark'" in done.stderr
    assert main(["inspect", "--format", "foo", report]) == ExitCode.USAGE
    assert "invalid choice: 'foo'" in capsys.readouterr().err
    assert main(["inspect", "--format", "k6", report]) == ExitCode.PASSED


def _unknown_unit_matrix(root: Path) -> None:
    text = (KMTA / "gatekeeper.yml").read_text(encoding="utf-8")
    _matrix_with(text, '"med < 250us"', '"med < 250 furlongs"', root)


@pytest.mark.parametrize(
    ("encoding", "args", "expect"),
    [
        ("ascii", ["inspect", "reports/k6/splitter-summary.json"], b"\\u2014 format k6"),
        ("ascii", ["check", "--format", "terminal", "--color", "never"], b"\\u2014 The staging"),
        ("ascii", ["check", "--format", "markdown"], b"\\u2014"),
        ("ascii", ["check", "--format", "json"], b'"project": "KMTA"'),
        ("ascii", ["check", "--format", "html"], b"<html"),
        ("ascii", ["check", "--format", "badge"], b"<svg"),
        ("cp1252", ["inspect", "reports/k6/splitter-summary.json"], b"\x97 format k6"),
        ("cp1252", ["check", "--format", "terminal", "--color", "never"], b"\x97 The staging"),
    ],
    ids=[
        "ascii-inspect",
        "ascii-terminal",
        "ascii-markdown",
        "ascii-json",
        "ascii-html",
        "ascii-badge",
        "cp1252-inspect",
        "cp1252-terminal",
    ],
)
def test_every_output_reaches_a_stream_that_cannot_encode_it(
    encoding: str, args: list[str], expect: bytes
) -> None:
    """Output to a non-UTF-8 stream raised UnicodeEncodeError (exit 4)."""
    done = _run(args, KMTA, encoding)
    assert done.returncode == (ExitCode.PASSED if args[0] == "inspect" else ExitCode.FAILED)
    assert expect in done.stdout


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_messages_reach_a_stream_that_cannot_encode_them(tmp_path: Path, encoding: str) -> None:
    """The unknown-unit message lists µs and μs: neither is ASCII, μ is not in cp1252.
    (Python's standard error escapes by default; standard output did not: the tests above.)"""
    _unknown_unit_matrix(tmp_path)
    done = _run(["validate"], tmp_path, encoding)
    assert done.returncode == ExitCode.USAGE
    assert b"unknown unit 'furlongs'" in done.stderr
    assert b"\\u03bcs" in done.stderr  # μ, escaped


def test_a_c_locale_pipe_without_utf8_mode_gets_escapes(tmp_path: Path) -> None:
    done = _run(
        ["inspect", str(KMTA / "reports" / "k6" / "splitter-summary.json")], tmp_path,
        LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0",
    )  # fmt: skip
    assert done.returncode == ExitCode.PASSED
    assert b"\\u2014 format k6" in done.stdout


def test_a_usage_error_naming_non_ascii_text_reaches_an_ascii_stream(tmp_path: Path) -> None:
    bundle = tmp_path / "b.json"
    collect = ["collect", "--shard", "caf\u00e9", "--sha", "0" * 40, "--out", str(bundle)]
    done = _run(collect, KMTA, "ascii")
    assert done.returncode == ExitCode.USAGE
    assert b"caf\\xe9" in done.stderr
    assert not bundle.exists()


def test_the_cli_entry_makes_standard_output_tolerant_in_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", ascii_out)
    report = str(KMTA / "reports" / "k6" / "splitter-summary.json")
    assert main(["inspect", report]) == ExitCode.PASSED
    ascii_out.flush()
    assert b"\\u2014 format k6" in raw.getvalue()
    assert ascii_out.errors == "backslashreplace"
