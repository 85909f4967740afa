"""The JTL benchmark runs end to end at a tiny size, and its contenders agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "jtl.py"


def test_quick_run_agrees_on_count_and_p95(tmp_path: Path) -> None:
    command = [sys.executable, str(SCRIPT), "--quick", "--json", "--dir", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    outcome = json.loads(done.stdout)
    results = {r["contender"]: r for r in outcome["results"]}
    assert set(results) == {"csv", "gatekeeper", "stdlib"}
    assert {r["count"] for r in results.values()} == {outcome["rows"]} == {20_000}
    assert results["gatekeeper"]["p95"] == results["csv"]["p95"] == results["stdlib"]["p95"]
    assert 0.05 < results["csv"]["p95"] < 1.0  # seconds: the generator's p95 is ~240 ms
    assert outcome["agree"] is True
    assert all(r["peak_mb"] > 0 and r["seconds"] > 0 for r in results.values())
    assert not list(tmp_path.glob("*.partial"))
