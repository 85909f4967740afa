#!/usr/bin/env python3
"""Regenerate the KMTA example's CI artifacts: what its gatekeeper.yml reads.

    python regenerate.py              # into reports/ beside this file
    python regenerate.py --out DIR    # somewhere else

Runs the example suite (suite/) with real pytest three times: the unit tests and the
integration tests, each into a JUnit XML report, and the micro-benchmarks into a
pytest-benchmark JSON file. Then the unit tests once more under coverage.py, into a
Cobertura XML report, and Bandit over the `kmta` package, into a SARIF log (skipped, saying
so, where Bandit is not installed: `pip install 'bandit[sarif]'`). Both are run from this
folder, so their paths (`suite/kmta/dkim.py`) are relative to the matrix file, as its
selectors are. Then writes the k6 load-test summaries (see k6_summaries.py: k6 itself
cannot be installed here, so they are synthesised from seeded samples).

One unit test fails on purpose (the splitter's 0 % rollout bug): a failing test is
evidence like any other, so exit code 1 from the test runs is expected.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import k6_summaries  # beside this script: Python puts the script's folder on sys.path

HERE = Path(__file__).resolve().parent
SUITE = HERE / "suite"

TESTS_FAILED = 1
"""pytest's exit code when tests ran and some failed."""


@dataclass(frozen=True)
class PytestRun:
    """One pytest invocation and the report it writes."""

    name: str
    report: str
    """Path of the report, relative to the output folder."""
    args: tuple[str, ...]
    may_fail: bool
    """Whether failing tests are part of the evidence (JUnit) or a broken run (benchmarks)."""

    def command(self, out: Path, scratch: Path) -> list[str]:
        report = out / self.report
        if report.suffix == ".xml":
            # --tb=short: the failure text without the test's arguments, whose reprs carry
            # memory addresses that would change the report on every run.
            output = [f"--junitxml={report}", "-o", f"junit_suite_name={self.name}", "--tb=short"]
        else:
            output = [f"--benchmark-json={report}"]
        # pytest-benchmark creates its history folder on every run: keep it out of the example.
        plugin = ["-p", "pytest_benchmark.plugin", f"--benchmark-storage=file://{scratch}"]
        return [sys.executable, "-m", "pytest", *plugin, "-q", *self.args, *output]


RUNS = (
    PytestRun(
        "unit",
        "junit/unit.xml",
        ("tests", "--ignore=tests/integration", "--ignore=tests/benchmarks"),
        may_fail=True,
    ),
    PytestRun("integration", "junit/integration.xml", ("tests/integration",), may_fail=True),
    PytestRun(
        "micro",
        "bench/micro.json",
        # Rounds of >= 0.5 ms for 0.1 s: a few hundred rounds, so the file stays small.
        ("tests/benchmarks", "--benchmark-min-time=0.0005", "--benchmark-max-time=0.1"),
        may_fail=False,
    ),
)


def _environment() -> dict[str, str]:
    """The caller's environment, minus what would make the run differ from CI's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only the plugins named on the command line
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave no __pycache__ in the example
    return env


def run_pytest(run: PytestRun, out: Path, scratch: Path) -> None:
    (out / run.report).parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(run.command(out, scratch), cwd=SUITE, env=_environment(), check=False)
    allowed = {0, TESTS_FAILED} if run.may_fail else {0}
    if done.returncode not in allowed:
        raise SystemExit(f"regenerate: the {run.name} run exited {done.returncode}")


COVERAGE_RC = """\
[run]
branch = True
# a file the unit tests never import (campaigns.py) is reported at 0 %, not left out
source_pkgs = kmta
# paths relative to where coverage runs (this folder): suite/kmta/dkim.py
relative_files = True
data_file = {data}
"""


def write_coverage(out: Path, scratch: Path) -> None:
    """The unit tests under coverage.py (statements and branches), as Cobertura XML."""
    rc = scratch / "coveragerc"
    rc.write_text(COVERAGE_RC.format(data=scratch / ".coverage"), encoding="utf-8")
    # the unit run's tests, from this folder: suite/ stays pytest's root, as in the unit run
    suite = ["-c", "suite/pytest.ini", "--rootdir=suite"]
    tests = ["suite/tests", "--ignore=suite/tests/integration", "--ignore=suite/tests/benchmarks"]
    plugin = ["-p", "pytest_benchmark.plugin", f"--benchmark-storage=file://{scratch}"]
    coverage = [sys.executable, "-m", "coverage"]
    pytest = ["run", f"--rcfile={rc}", "-m", "pytest", *suite, *plugin, "-q", *tests]
    done = subprocess.run([*coverage, *pytest], cwd=HERE, env=_environment(), check=False)
    if done.returncode not in (0, TESTS_FAILED):
        raise SystemExit(f"regenerate: the coverage run exited {done.returncode}")
    report = out / "coverage" / "coverage.xml"
    report.parent.mkdir(parents=True, exist_ok=True)
    xml = [*coverage, "xml", f"--rcfile={rc}", "-q", "-o", str(report)]
    subprocess.run(xml, cwd=HERE, env=_environment(), check=True)
    print(f"wrote {report}")


def write_bandit(out: Path) -> None:
    """Bandit's security findings in the kmta package, as SARIF (`bandit[sarif]`)."""
    if importlib.util.find_spec("bandit") is None or importlib.util.find_spec("sarif_om") is None:
        print("regenerate: Bandit is not installed (pip install 'bandit[sarif]'): no SARIF log")
        return
    report = out / "sarif" / "bandit.sarif"
    report.parent.mkdir(parents=True, exist_ok=True)
    bandit = [sys.executable, "-m", "bandit", "-q", "-r", "suite/kmta", "-f", "sarif"]
    done = subprocess.run([*bandit, "-o", str(report)], cwd=HERE, env=_environment(), check=False)
    if done.returncode not in (0, 1):  # 1: Bandit found something, which is evidence too
        raise SystemExit(f"regenerate: Bandit exited {done.returncode}")
    print(f"wrote {report}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "reports",
        help="folder to write junit/, bench/, coverage/, sarif/ and k6/ into (default: reports/)",
    )
    out = parser.parse_args(argv).out.resolve()
    with tempfile.TemporaryDirectory(prefix="kmta-benchmarks-") as scratch:
        for run in RUNS:
            run_pytest(run, out, Path(scratch))
        write_coverage(out, Path(scratch))
    write_bandit(out)
    for path in k6_summaries.write_all(out / "k6"):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
