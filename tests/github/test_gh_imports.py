"""PyGithub (and requests under it) is loaded only when a call to GitHub is made: a local
run, and a --dry-run even in a GitHub context, never pay for it (``check`` builds its GitHub
client every time; the client imports them on its first call)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

KMTA = REPO / "examples" / "kmta"
HEAVY = ("github", "requests", "urllib3")


def _imported(env: dict[str, str], *argv: str, code: int = 1, folder: Path = KMTA) -> set[str]:
    """Top-level packages `python -X importtime -m gatekeeper check ...` imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gatekeeper", "check", *argv],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == code, done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "gatekeeper" in names
    return names


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env["PYTHONPATH"] = str(REPO)
    return env


def test_a_local_dry_run_imports_no_http_client() -> None:
    names = _imported(_clean_env(), "--dry-run")
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


@pytest.mark.parametrize("flags", [("--dry-run",), ("--dry-run", "--github-status", "on")])
def test_a_dry_run_in_a_github_context_previews_without_them(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    event = REPO / "tests" / "github" / "events" / "pull_request-opened.json"
    env = _clean_env() | {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_TOKEN": "ghs_not_used",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
    }
    # a pull request: KMTA's Bronze (achieved: current is iron) holds; Iron is reported. The
    # example's runbook sign-off is read through the API with a token (a read, which a dry run
    # makes too, and the reason to load the client): judged here without it
    names = _imported(env, *flags, code=0, folder=_without_signoffs(tmp_path))
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
    # a dry run spares the API, not the run's own files: the job summary is written
    assert (tmp_path / "summary").read_text(encoding="utf-8").startswith("## ")


def _without_signoffs(tmp_path: Path) -> Path:
    """A copy of the KMTA example whose matrix has no sign-off: nothing it judges needs the API."""
    copy = tmp_path / "kmta"
    shutil.copytree(KMTA, copy, ignore=shutil.ignore_patterns("suite"))
    matrix = copy / "gatekeeper.yml"
    text = matrix.read_text(encoding="utf-8")
    signoff = text[text.index("          - id: runbook-reviewed") :]
    signoff = signoff[: signoff.index("signoff: ")]
    signoff += text[text.index(signoff) + len(signoff) :].split("\n", 1)[0] + "\n"
    assert signoff.count("\n") == 3, signoff
    matrix.write_text(text.replace(signoff, ""), encoding="utf-8")
    return copy
