"""`check --history-branch` in GitHub Actions, against the fake GitHub: a push to the default
branch adds its evaluation to the branch's history and its page shows the history; nothing
else records; a failure to read or write is a warning and the exit code stays the gate's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakegithub.fixture import actions_fixture, fake_github_fixture  # noqa: F401
from tests.fakegithub.runner import (
    BRANCH_SHA,
    DEFAULT_BRANCH_PUSH,
    PULL_REQUEST,
    TAG_PUSH,
    Actions,
    payload,
)
from tests.fakegithub.server import FakeGitHub

BRANCH = "gatekeeper-history"
FILE = "history/2026-11.jsonl"  # the runner judges as of 2026-11-26


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")


def _lines(github: FakeGitHub, path: str = FILE) -> list[dict[str, object]]:
    found = github.file_on(BRANCH, path)
    return [] if found is None else [json.loads(x) for x in found.decode().splitlines()]


def test_a_push_to_the_default_branch_is_recorded(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    plain = actions.run(DEFAULT_BRANCH_PUSH, failing=1)
    run = actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=1)
    assert run.code == plain.code == 1, "the history never changes the verdict"
    [line] = _lines(fake_github)
    assert line["commit"] == BRANCH_SHA
    assert line["key"] == f"{BRANCH_SHA}:7123456789:1:-"  # no GITHUB_JOB in the runner
    assert line["ref"] == "refs/heads/master"
    assert line["run_url"] == "https://github.com/Codertocat/Hello-World/actions/runs/7123456789"
    assert line["verdict"] == "failed" and line["date"] == "2026-11-26T23:59:59Z"
    assert [b["outcome"] for b in line["benchmarks"]] == ["fail"]  # type: ignore[union-attr]
    assert f"gatekeeper: history: recorded {line['key']} in {FILE} on branch {BRANCH}" in run.err
    assert fake_github.violations == []


def test_a_rerun_of_the_same_job_adds_no_second_line(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=0)
    again = actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=0)
    assert again.code == 0
    assert len(_lines(fake_github)) == 1
    assert fake_github.violations == []


def test_the_page_shows_the_branch_and_this_run(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=0)  # one recorded
    page = tmp_path / "page.html"
    run = actions.run(PULL_REQUEST, "--history-branch", BRANCH, "--output", f"html:{page}",
                      failing=0)  # fmt: skip
    html = page.read_text(encoding="utf-8")
    assert '<ol class="timeline">' in html
    assert BRANCH_SHA[:7] in html, "the recorded push is on the page's timeline"
    assert "not recorded: only a push to the default branch is" in run.err
    assert len(_lines(fake_github)) == 1, "a pull request reads the history, never writes it"
    assert fake_github.violations == []


@pytest.mark.parametrize("event", [PULL_REQUEST, TAG_PUSH], ids=["pull request", "tag push"])
def test_only_a_push_to_the_default_branch_records(
    actions: Actions, fake_github: FakeGitHub, event: object
) -> None:
    run = actions.run(event, "--history-branch", BRANCH, failing=0)  # type: ignore[arg-type]
    assert "history: not recorded: only a push to the default branch is" in run.err
    assert fake_github.branch_head(BRANCH) is None
    assert fake_github.calls("POST", r"/git/") == []


def test_the_default_branch_is_never_the_history(actions: Actions, fake_github: FakeGitHub) -> None:
    default = str(payload(DEFAULT_BRANCH_PUSH)["repository"]["default_branch"])  # type: ignore[index]
    run = actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", default, failing=0)
    assert run.code == 0
    assert f"--history-branch {default} is the default branch" in run.err
    assert fake_github.calls("POST", r"/git/") == [] and fake_github.calls("PATCH", r"/git/") == []


def test_a_refused_write_is_a_warning_and_the_verdict_stands(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    refused = {
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest/git/blobs#create-a-blob",
    }
    fake_github.fail("POST", r"/git/blobs$", 403, times=None, body=refused)
    run = actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=0)
    assert run.code == 0
    warnings = [x for x in run.err.splitlines() if x.startswith("::warning")]
    assert any("history: not recorded" in w and "contents: write" in w for w in warnings), run.err
    assert fake_github.branch_head(BRANCH) is None


def test_an_unreadable_branch_leaves_the_page_with_this_run(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake_github.fail("GET", r"/git/ref/heads/", 500, times=None)
    page = tmp_path / "page.html"
    run = actions.run(PULL_REQUEST, "--history-branch", BRANCH, "--output", f"html:{page}",
                      failing=1)  # fmt: skip
    assert run.code == 1
    assert f"the history on {BRANCH} could not be read" in run.err
    assert page.is_file()


def test_a_dry_run_writes_nothing(actions: Actions, fake_github: FakeGitHub) -> None:
    run = actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, "--dry-run", failing=0)
    assert f"would add this evaluation to {FILE} on {BRANCH}" in run.err
    assert fake_github.branch_head(BRANCH) is None


def test_hostile_history_on_the_branch_stays_data(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=0)
    [line] = _lines(fake_github)
    line.update(key="other", commit="</svg><script>alert(1)</script>", run_url="::error::x")
    fake_github.commit_files(BRANCH, {
        "history/2026-10.jsonl": (json.dumps(line) + "\n::warning::owned\n").encode(),
    })  # fmt: skip
    page = tmp_path / "page.html"
    run = actions.run(PULL_REQUEST, "--history-branch", BRANCH, "--output", f"html:{page}",
                      failing=0)  # fmt: skip
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "</svg><" not in html
    assert "gate first passed at <code>&lt;/svg&gt;&lt;</code>" in html  # its short sha
    assert not any(x.startswith("::warning::owned") for x in run.err.splitlines())
    assert f"{BRANCH}:history/2026-10.jsonl:2: not JSON" in html
