"""The coverage tools themselves, run on tiny programs: gatekeeper must read their totals.

coverage.py (the ``test`` extra) measures a small package in a temporary directory and
writes Cobertura XML, JSON and LCOV; ``go test -coverprofile`` measures a Go module with no
dependencies (offline); gcovr (the ``tools`` extra) reads a C++ program built with g++
``--coverage``. Each report is detected by content and parsed, and its TOTAL and per-file
values are held to the figures the tool printed itself. A test skips only where its tool is
absent (``missing_tool``: a failure under CI, which installs them all).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import detect_format, parse_file
from tests.conftest import missing_tool
from tests.parsers.claims import claimed
from tests.parsers.test_real_tools import _go_env

pytestmark = pytest.mark.slow  # real programs: seconds each

TOOLS = Path(__file__).resolve().parent / "tools" / "coverage"
TIMEOUT = 120

_CALC = """\
def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    return 0


def unused(x):
    return x * 2
"""
_MORE = "def pick(a, b):\n    return a if a else b\n"
_TEST = """\
from pkg.calc import sign
from pkg.sub.more import pick


def test_sign():
    assert sign(3) == 1
    assert pick(0, 2) == 2
"""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def parsed(path: Path, fmt: str) -> dict[str, dict[str, float]]:
    """Detected as the tool's format alone, then each series' values by name."""
    assert claimed(path) == [fmt]
    assert detect_format(path, path.name) == fmt
    result: ParsedFile = parse_file(path, path.name, "auto")
    return {m.name: {k: q.value for k, q in m.stats.items()} for m in result.metrics}


def _package(root: Path) -> None:
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "sub" / "__init__.py").write_text("")
    (root / "pkg" / "calc.py").write_text(_CALC)
    (root / "pkg" / "sub" / "more.py").write_text(_MORE)
    (root / "test_pkg.py").write_text(_TEST)


def _coverage(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_", "COVERAGE_"))}
    env["PYTEST_ADDOPTS"] = ""
    return run([sys.executable, "-m", "coverage", *args], root, env)


def _measure(root: Path, branch: bool) -> None:
    _package(root)
    flags = ["--branch"] if branch else []
    pytest_args = ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:benchmark"]
    _coverage(root, "run", *flags, "--source=.", "-m", "pytest", *pytest_args, "test_pkg.py")
    _coverage(root, "xml", "-q", "-o", "coverage.xml")
    _coverage(root, "json", "-q", "-o", "coverage.json")
    _coverage(root, "lcov", "-q", "-o", "coverage.info")


@pytest.mark.needs("coverage")
def test_coveragepy_line_totals_equal_its_printed_total(tmp_path: Path) -> None:
    _measure(tmp_path, branch=False)
    printed = float(_coverage(tmp_path, "report", "--format=total", "--precision=6"))
    for name, fmt in (
        ("coverage.xml", "cobertura"),
        ("coverage.json", "coverage-json"),
        ("coverage.info", "lcov"),
    ):
        total = parsed(tmp_path / name, fmt)["TOTAL"]
        assert round(100 * total["line"], 6) == pytest.approx(printed, abs=1e-6), fmt


@pytest.mark.needs("coverage")
def test_coveragepy_branch_and_file_values_equal_its_json(tmp_path: Path) -> None:
    _measure(tmp_path, branch=True)
    report = json.loads((tmp_path / "coverage.json").read_text())
    # with --branch, coverage.py's printed total counts statements and branches together
    printed = float(_coverage(tmp_path, "report", "--format=total", "--precision=6"))
    for name, fmt in (
        ("coverage.xml", "cobertura"),
        ("coverage.json", "coverage-json"),
        ("coverage.info", "lcov"),
    ):
        found = parsed(tmp_path / name, fmt)
        for series, summary in [("TOTAL", report["totals"])] + [
            (path, entry["summary"]) for path, entry in report["files"].items()
        ]:
            values = found[series]
            assert values["lines_covered"] == summary["covered_lines"], (fmt, series)
            assert values["lines_total"] == summary["num_statements"], (fmt, series)
            # LCOV lists branches, so a file without any has no branch counts at all
            none = 0 if fmt == "lcov" and not summary["num_branches"] else None
            covered = values.get("branches_covered", none)
            assert covered == summary["covered_branches"], (fmt, series)
            assert values.get("branches_total", none) == summary["num_branches"], (fmt, series)
        total = found["TOTAL"]
        both = (total["lines_covered"] + total["branches_covered"]) / (
            total["lines_total"] + total["branches_total"]
        )
        assert round(100 * both, 6) == pytest.approx(printed, abs=1e-6), fmt
        totals = report["totals"]
        assert total["branch"] == totals["covered_branches"] / totals["num_branches"] == 0.25


_GO_CALC = """package calc

func Sign(x int) int {
\tif x > 0 {
\t\treturn 1
\t} else if x < 0 {
\t\treturn -1
\t}
\treturn 0
}

func Unused() int { return 2 }
"""
_GO_TEST = """package calc

import "testing"

func TestSign(t *testing.T) {
\tif Sign(3) != 1 {
\t\tt.Fatal("sign")
\t}
}
"""


@pytest.mark.parametrize("mode", ["set", "count", "atomic"])
def test_go_cover_profile_equals_go_tool_cover_func(tmp_path: Path, mode: str) -> None:
    go = shutil.which("go")
    if go is None:
        missing_tool("go is not installed (Debian: apt-get install golang-go)")
    module = tmp_path / "m"
    (module / "calc").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/m\n\ngo 1.19\n")
    (module / "calc" / "calc.go").write_text(_GO_CALC)
    (module / "calc" / "calc_test.go").write_text(_GO_TEST)
    env = _go_env(tmp_path)
    run([go, "test", f"-covermode={mode}", "-coverprofile=cover.out", "./..."], module, env)
    printed = run([go, "tool", "cover", "-func=cover.out"], module, env)
    lines = dict(re.findall(r"^(\S+?):?\s+.*?([\d.]+)%$", printed, re.MULTILINE))
    found = parsed(module / "cover.out", "go-cover")
    assert round(100 * found["TOTAL"]["line"], 1) == float(lines["total"])
    assert found["TOTAL"]["lines_total"] == 6  # Sign's five blocks of one statement, Unused
    assert found["example.com/m/calc"] == found["TOTAL"]


@pytest.mark.needs("gcovr")
def test_gcovr_cobertura_and_lcov_equal_its_printed_total(tmp_path: Path) -> None:
    compiler = shutil.which("g++")
    if compiler is None:
        missing_tool("g++ is not installed (Debian: apt-get install g++)")
    shutil.copy(TOOLS / "cpp" / "shapes.cpp", tmp_path)
    run([compiler, "--coverage", "-O0", "-o", "shapes", "shapes.cpp"], tmp_path)
    run([str(tmp_path / "shapes")], tmp_path)
    gcovr = [sys.executable, "-m", "gcovr", "-r", "."]
    printed = run([*gcovr, "--cobertura", "c.xml", "--lcov", "c.info", "--txt", "-"], tmp_path)
    total = re.search(r"^TOTAL\s+(\d+)\s+(\d+)\s+(\d+)%", printed, re.MULTILINE)
    assert total is not None, printed
    for name, fmt in (("c.xml", "cobertura"), ("c.info", "lcov")):
        found = parsed(tmp_path / name, fmt)["TOTAL"]
        assert (found["lines_total"], found["lines_covered"]) == (int(total[1]), int(total[2]))
        assert found["branch"] == 0.25  # sign(3): one of the four outcomes of two conditions
