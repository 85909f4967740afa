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

from tests.conftest import REPO


@pytest.mark.parametrize(
    ("script", "numbers"),
    [
        ("junit_stream.py", ("'passed': ", "'failed': ", "'reruns': ", "'microseconds': ")),
        ("k6_stream.py", ("'http_req_duration{status:200}': {'count': ", "'p(95)': ")),
        ("jtl.py", ("'TOTAL': {'count': '20000', 'fails': ", "'p(95)': ")),
    ],
)
def test_quick_run_agrees_with_the_baselines(
    script: str, numbers: tuple[str, ...], tmp_path: Path
) -> None:
    pytest.importorskip("junitparser" if script.startswith("junit") else "orjson")
    if script != "junit_stream.py" and not (shutil.which("hyperfine") and shutil.which("time")):
        pytest.skip("hyperfine and GNU time time the whole-process benchmarks")
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
