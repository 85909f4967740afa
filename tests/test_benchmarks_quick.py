"""The streaming benchmarks at a tiny size: they run, and every contender finds the same numbers.

At full size they measure speed and memory (see benchmarks/); here only that gatekeeper's
parsers agree with the baselines they are measured against: counts, reruns, durations,
and a percentile computed from the raw samples.
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
        ("junit_stream.py", ("'passed': ", "'failed': ", "'reruns': ", "'microseconds': ")),
        ("k6_stream.py", ("'count': ", "'ok_count': ", "'p95': ", "'ok_p95': ")),
    ],
)
def test_quick_run_agrees_with_the_baselines(
    script: str, numbers: tuple[str, ...], tmp_path: Path
) -> None:
    pytest.importorskip("junitparser" if script.startswith("junit") else "orjson")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), "--quick", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[met] same numbers from every contender" in done.stdout
    results = next(line for line in done.stdout.splitlines() if line.startswith("results: {"))
    assert all(number in results for number in numbers), results
    assert list(tmp_path.iterdir()), "the generated input goes to --dir"


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
