"""The streaming benchmarks at a tiny size: they run, and every contender finds the same numbers.

At full size they measure speed and memory (see benchmarks/); here only that gatekeeper's
parsers agree with the baselines they are measured against: counts, reruns, durations,
and a percentile computed from the raw samples. The whole-process scripts (k6_stream.py,
jtl.py) time with hyperfine and GNU time, so they run where those are installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, missing_tool


@pytest.mark.parametrize(
    ("script", "numbers"),
    [
        ("k6_stream.py", ("'http_req_duration{status:200}': {'count': ", "'p(95)': ")),
        ("jtl.py", ("'TOTAL': {'count': '20000', 'fails': ", "'p(95)': ")),
    ],
)
def test_quick_run_agrees_with_the_baselines(
    script: str, numbers: tuple[str, ...], tmp_path: Path
) -> None:
    pytest.importorskip("orjson")
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        pytest.skip("hyperfine and GNU time measure whole processes")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), "--quick", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[met] same numbers from every contender" in done.stdout
    results = next(line for line in done.stdout.splitlines() if line.startswith("results: {"))
    assert all(number in results for number in numbers), results
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


def test_quick_junit_run_agrees_with_junitparser_and_lxml(tmp_path: Path) -> None:
    """Whole processes: gatekeeper check's counts per selection are junitparser's."""
    pytest.importorskip("junitparser")
    pytest.importorskip("lxml")
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        pytest.skip("hyperfine and GNU time measure whole processes")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "junit_stream.py"), "--quick", "--dir",
         str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[met] same numbers from gatekeeper and junitparser" in done.stdout
    results = next(line for line in done.stdout.splitlines() if line.startswith("results: {"))
    assert all(f'"by-{key}": [' in results for key in ("suite", "class", "file", "name"))
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


def test_quick_bundles_run_agrees_with_the_raw_files(tmp_path: Path) -> None:
    """Whole processes: check --bundle on merged shard bundles counts as check on the files."""
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        pytest.skip("hyperfine and GNU time measure whole processes")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bundles.py"), "--quick", "--dir",
         str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[met] same numbers from the bundle as from the files" in done.stdout
    results = next(line for line in done.stdout.splitlines() if line.startswith("results: {"))
    assert all(f'"by-{key}": [' in results for key in ("suite", "class", "file", "name"))
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


def test_quick_xml_tokens_run_reads_under_the_cap_and_refuses_junk(tmp_path: Path) -> None:
    """Whole processes: check reads a report with a 1-2 MB token (exit 0) and refuses junk
    named as XML (exit 3): the script checks each exit code before timing."""
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        pytest.skip("hyperfine and GNU time measure whole processes")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "xml_tokens.py"), "--quick", "--dir",
         str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "attribute of 2 MB" in done.stdout and "junk of 30 MB" in done.stdout


def test_quick_path_globs_run_judges_every_case(tmp_path: Path) -> None:
    """Whole processes: every hostile swimlane pattern and artifact walk ends in its verdict
    (the script checks each exit code before timing)."""
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        pytest.skip("hyperfine and GNU time measure whole processes")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "path_globs.py"), "--quick", "--dir",
         str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "KMTA, 3,000 changed files" in done.stdout
    assert "*a*a*a*a*a*a*a*a*b vs 100,000 chars" in done.stdout
    assert "tree/**/**/**/**/**/unit.xml" in done.stdout


def test_quick_startup_run_measures_the_same_report_twice() -> None:
    """startup.py times the check whole-process; compared with itself, both reports agree."""
    if shutil.which("hyperfine") is None or not Path("/usr/bin/time").exists():
        missing_tool("hyperfine and GNU time are not installed (apt-get install hyperfine time)")
    gatekeeper = Path(sys.executable).with_name("gatekeeper")
    if not gatekeeper.exists():
        pytest.skip("no gatekeeper command beside the interpreter (pip install -e .)")
    script = REPO / "benchmarks" / "startup.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick", "--compare", str(gatekeeper)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[met] the same report from every check: 2 checks" in done.stdout
    assert "not judged (--quick)" in done.stdout
