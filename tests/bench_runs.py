"""Real `gatekeeper bench` runs for the tests: a small git repository with a benchmark whose
base commit and working tree differ as a test needs, and the bench command run in it as a
user would, in a child process.

The child gets none of this suite's pytest-xdist variables: a pytest run inside
(pytest-benchmark's) would take itself for a worker and measure nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

WORK = """\
def work(n={n}):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total
"""
"""The function measured: ``n`` turns of a loop (1.5 x ``n`` is half as much work again)."""

BENCH_TEST = """\
from work import work


def test_work(benchmark):
    benchmark(work)
"""

PYTEST_BENCHMARK = (
    sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
    "-p", "no:randomly", "test_bench.py", "--benchmark-json={out}", "--benchmark-save-data",
    "--benchmark-min-rounds=15", "--benchmark-max-time=0.1", "--benchmark-warmup=off",
)  # fmt: skip
"""pytest-benchmark as a bench command: a short run, every round's time kept."""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def repository(tmp_path: Path, files: dict[str, str]) -> Path:
    """A git repository under ``tmp_path`` whose one commit, on ``main``, holds ``files``."""
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "config", "user.email", "bench@example.invalid")
    git(repo, "config", "user.name", "bench")
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "base")
    return repo


def bench(repo: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``gatekeeper bench ARGS`` in ``repo``, as a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "XDIST_"))}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "gatekeeper", "bench", *args], cwd=repo, capture_output=True,
        text=True, timeout=timeout, env=env, check=False,
    )  # fmt: skip
