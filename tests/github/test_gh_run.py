"""`report_to_github` as `check` calls it: the files first, then posting through whatever
API it is given, the verdict untouched whatever fails."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper import github
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.plans import GitHubOptions
from gatekeeper.github.publish import CommentMode, GitHubAPI
from gatekeeper.github.retry import APIError, RetryPolicy
from gatekeeper.github.run import report_to_github
from tests.github.gh_build import scenario
from tests.github.gh_memory import MemoryAPI

EVENTS = Path(__file__).with_name("events")
NOW = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.timezone.utc)


def _environ(tmp_path: Path, payload: dict[str, Any] | None = None, **more: str) -> dict[str, str]:
    event = tmp_path / "event.json"
    source = EVENTS / "pull_request-opened.json"
    event.write_text(json.dumps(payload) if payload else source.read_text("utf-8"), "utf-8")
    (tmp_path / "temp").mkdir(exist_ok=True)
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_SHA": "4e1243bd22c66e76c2ba9eddc1f91394e57f9f83",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_RUN_ID": "5",
        "GITHUB_TOKEN": "ghs_secret",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "RUNNER_TEMP": str(tmp_path / "temp"),
        "GITHUB_WORKSPACE": str(tmp_path),
        **more,
    }


class Run:
    def __init__(self, tmp_path: Path, environ: dict[str, str], options: GitHubOptions,
                 api: GitHubAPI | None = None, name: str = "failing") -> None:  # fmt: skip
        self.made: list[GitHubContext] = []
        out, err = io.StringIO(), io.StringIO()
        s = scenario(name)

        def factory(ctx: GitHubContext, policy: RetryPolicy) -> GitHubAPI:
            self.made.append(ctx)
            assert api is not None
            return api

        self.result = report_to_github(
            s.report, s.exit_code, options, environ, out=out, err=err, api_factory=factory, now=NOW
        )
        self.out, self.err = out.getvalue(), err.getvalue()
        summary, output = tmp_path / "summary.md", tmp_path / "output"
        self.summary = summary.read_text("utf-8") if summary.exists() else ""
        self.outputs = output.read_text("utf-8") if output.exists() else ""


def test_summary_outputs_and_posting(tmp_path: Path) -> None:
    api = MemoryAPI()
    run = Run(tmp_path, _environ(tmp_path), GitHubOptions(status=True), api)
    assert run.err.startswith("::add-mask::ghs_secret\n")
    assert run.summary.startswith("## ❌ KMTA: Iron gate FAILED")
    assert "verdict<<ghadelimiter_" in run.outputs and "\nfailed\n" in run.outputs
    report = tmp_path / "temp" / "gatekeeper-report.json"
    assert json.loads(report.read_text("utf-8"))["verdict"] == "failed"
    assert "report<<" in run.outputs and str(report) in run.outputs
    assert run.result is not None and run.result.failed == ()
    assert [r["head_sha"] for r in api.runs.values()] == [
        "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
    ]
    assert (
        api.statuses[0]["target_url"] == "https://github.com/Codertocat/Hello-World/actions/runs/5"
    )
    assert len(api.comments_by_id) == 1
    assert "gatekeeper: check run 'gatekeeper' created" in run.err


def test_failures_are_warnings_in_the_log_and_the_summary(tmp_path: Path) -> None:
    api = MemoryAPI()
    for name in ("check_runs", "identity"):
        api.fail[name] = APIError(name, "HTTP 500: Server Error; gave up after 5 tries", 500)
    run = Run(tmp_path, _environ(tmp_path), GitHubOptions(), api)
    warnings = [line for line in run.err.splitlines() if line.startswith("::warning")]
    assert warnings == [
        "::warning title=gatekeeper::could not post the check run: check_runs: HTTP 500: "
        "Server Error; gave up after 5 tries",
        "::warning title=gatekeeper::could not post the PR comment: identity: HTTP 500: "
        "Server Error; gave up after 5 tries",
    ]
    assert "### ⚠️ Not posted to GitHub" in run.summary
    assert run.summary.index("## ❌ KMTA") < run.summary.index("Not posted")


def test_a_fork_posts_nothing_and_explains_the_recipe(tmp_path: Path) -> None:
    payload = json.loads((EVENTS / "pull_request-opened.json").read_text("utf-8"))
    payload["pull_request"]["head"]["repo"]["full_name"] = "Octoforker/Hello-World"
    run = Run(tmp_path, _environ(tmp_path, payload), GitHubOptions())
    assert run.made == []  # not even a client
    assert run.summary.startswith("> [!NOTE]\n> **Nothing was posted to the pull request.**")
    assert "`workflow_run`" in run.summary and "## ❌ KMTA" in run.summary
    assert "\nfailed\n" in run.outputs
    assert "read-only token" in run.err
    assert run.result is not None and run.result.posted == ()


def test_no_token_posts_nothing_and_warns(tmp_path: Path) -> None:
    environ = _environ(tmp_path)
    del environ["GITHUB_TOKEN"]
    run = Run(tmp_path, environ, GitHubOptions())
    assert run.made == [] and "::add-mask::" not in run.err
    assert (
        "::warning title=gatekeeper::nothing posted to GitHub: GITHUB_TOKEN is not set" in run.err
    )
    assert run.summary and run.outputs


def test_job_summary_off_and_the_given_json_report(tmp_path: Path) -> None:
    given = tmp_path / "gate.json"
    options = GitHubOptions(job_summary=False, json_report=given, comment=CommentMode.OFF)
    run = Run(tmp_path, _environ(tmp_path), options, MemoryAPI())
    assert run.summary == ""
    assert str(given.resolve()) in run.outputs
    assert not (tmp_path / "temp" / "gatekeeper-report.json").exists()


def test_a_bug_in_reporting_keeps_quiet_about_nothing(tmp_path: Path) -> None:
    class Broken(MemoryAPI):
        def check_runs(self, sha: str, name: str) -> list[Any]:
            raise ZeroDivisionError("oops")

    run = Run(tmp_path, _environ(tmp_path), GitHubOptions(comment=CommentMode.OFF), Broken())
    assert "::warning title=gatekeeper::could not post the check run: oops" in run.err


def test_an_unwritable_summary_is_a_warning(tmp_path: Path) -> None:
    environ = _environ(tmp_path, GITHUB_STEP_SUMMARY=str(tmp_path / "no" / "such" / "file"))
    run = Run(tmp_path, environ, GitHubOptions(comment=CommentMode.OFF), MemoryAPI())
    assert "::warning title=gatekeeper::could not write the job summary" in run.err
    assert "\nfailed\n" in run.outputs


def test_dry_run_prints_every_request_and_posts_nothing(tmp_path: Path) -> None:
    environ = _environ(tmp_path)
    run = Run(tmp_path, environ, GitHubOptions(dry_run=True, status=True))
    assert run.made == [] and run.err == "::add-mask::ghs_secret\n"
    # The job summary and the step outputs are the run's files, not the API: written anyway.
    assert run.summary.startswith("## ❌ KMTA: Iron gate FAILED")
    assert "verdict<<ghadelimiter_" in run.outputs and "\nfailed\n" in run.outputs
    report = tmp_path / "temp" / "gatekeeper-report.json"
    assert json.loads(report.read_text("utf-8"))["verdict"] == "failed"
    lines = run.out.splitlines()
    assert lines[1] == "--- GitHub: what would be posted (--dry-run: nothing was) ---"
    assert lines[2].startswith("check run: POST https://api.github.com/repos/Codertocat/")
    body = json.loads(run.out.split("\n", 3)[3].split("\ncommit status:", 1)[0])
    assert body["head_sha"] == "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
    assert body["completed_at"] == "2026-11-26T08:00:00Z"
    assert '"state": "failure"' in run.out
    assert "<!-- gatekeeper:comment check-name=gatekeeper -->" in run.out


def test_a_hostile_report_previews_inert(tmp_path: Path) -> None:
    run = Run(tmp_path, _environ(tmp_path), GitHubOptions(dry_run=True), name="hostile")
    for line in run.out.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "\x1b" not in line and "\u202e" not in line


@pytest.mark.parametrize(
    ("environ", "dry_run", "applies"),
    [
        ({}, False, False),
        ({}, True, False),  # a laptop's --dry-run: nothing to post to, the report alone
        ({"GITHUB_REPOSITORY": "o/r"}, True, True),
        ({"GITHUB_REPOSITORY": "o/r"}, False, False),
        ({"GITHUB_ACTIONS": "true"}, False, True),
    ],
)
def test_when_github_reporting_applies(
    environ: dict[str, str], dry_run: bool, applies: bool
) -> None:
    assert github.applies(environ, dry_run) is applies


def test_dry_run_of_a_fork_says_nothing_would_be_posted(tmp_path: Path) -> None:
    payload = json.loads((EVENTS / "pull_request-opened.json").read_text("utf-8"))
    payload["pull_request"]["head"]["repo"]["full_name"] = "Octoforker/Hello-World"
    run = Run(tmp_path, _environ(tmp_path, payload), GitHubOptions(dry_run=True))
    assert run.out.splitlines()[2].startswith("nothing: a pull request from a fork")
    assert '"head_sha"' not in run.out
