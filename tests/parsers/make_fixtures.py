"""Regenerate the parser fixtures that real tools produce.

Run from anywhere: ``python tests/parsers/make_fixtures.py``. It runs pytest
(``--junitxml``, both families, and a parametrised module whose test names hold the
characters selectors once read as a glob) and pytest-benchmark (``--benchmark-json``) on
throwaway modules in a temporary directory and copies their reports into
``tests/parsers/fixtures/real/``. The tests assert counts and names, not
timings, so regenerated files keep the tests green.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "fixtures" / "real"

SAMPLE_TESTS = """\
import pytest


@pytest.fixture
def broken_resource():
    raise RuntimeError("database is down")


def test_passes():
    assert sum([1, 2]) == 3


def test_fails():
    assert 1 + 1 == 3, "arithmetic is broken"


def test_errors_in_setup(broken_resource):
    pass


def test_skipped():
    pytest.skip("needs a GPU")


@pytest.mark.xfail(reason="known bug 42")
def test_expected_failure():
    assert False


class TestParser:
    def test_inside_class(self):
        assert "a".upper() == "A"
"""

SAMPLE_BENCHMARKS = """\
import pytest


@pytest.mark.benchmark(group="joining")
@pytest.mark.parametrize("size", [10, 1000])
def test_join(benchmark, size):
    benchmark(",".join, ["x"] * size)


def test_sum(benchmark):
    benchmark(sum, range(100))
"""

PARAMETRIZED_TESTS = """\
import pytest


@pytest.mark.parametrize("a, b", [(1, 2), (2, 2)])
def test_add(a, b):
    assert a + 1 == b


@pytest.mark.parametrize("text", ["a*b", "x?y", "[key]", "/kv/[key]"])
def test_literal(text):
    assert text


class TestGrid:
    @pytest.mark.parametrize("cell", ["[0][1]", "*"])
    def test_cell(self, cell):
        assert cell
"""

# Keep the run quick and free of the developer's own configuration and plugins' state.
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-o", "addopts="]


def run(args: list[str], cwd: Path, expect: set[int]) -> None:
    """Run pytest in ``cwd``; a return code outside ``expect`` means the fixture is wrong."""
    completed = subprocess.run([*PYTEST, *args], cwd=cwd, capture_output=True, text=True)
    if completed.returncode not in expect:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"pytest {' '.join(args)} exited {completed.returncode}")


def main() -> int:
    """Write the fixtures; returns the process exit code."""
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "test_sample.py").write_text(SAMPLE_TESTS)
        (work / "bench_sample.py").write_text(SAMPLE_BENCHMARKS)
        for family in ("xunit1", "xunit2"):
            report = work / f"pytest-{family}.xml"
            options = ["-o", f"junit_family={family}", "-o", "junit_suite_name=sample"]
            run(
                [*options, f"--junitxml={report}", "-p", "no:benchmark", "test_sample.py"],
                work,
                {1},
            )
            shutil.copyfile(report, OUT / report.name)
        (work / "test_param.py").write_text(PARAMETRIZED_TESTS)
        report = work / "pytest-parametrized.xml"
        options = ["-o", "junit_family=xunit2", "-o", "junit_suite_name=param"]
        run([*options, f"--junitxml={report}", "-p", "no:benchmark", "test_param.py"], work, {1})
        shutil.copyfile(report, OUT / report.name)
        bench = work / "pytest-benchmark.json"
        options = [
            "--benchmark-json",
            str(bench),
            "--benchmark-max-time=0.000001",
            "--benchmark-min-rounds=7",
        ]
        run([*options, "bench_sample.py"], work, {0})
        shutil.copyfile(bench, OUT / bench.name)
    for written in sorted(OUT.iterdir()):
        print(written.relative_to(OUT.parents[3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
