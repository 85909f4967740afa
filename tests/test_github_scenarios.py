"""`gatekeeper check` on GitHub, black-box: run as an Actions step against the fake GitHub
(tests/fakegithub), driven by real webhook payloads. Every scenario also asserts that GitHub
would have accepted every request (`violations == []`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakegithub.fixture import actions_fixture, fake_github_fixture  # noqa: F401
from tests.fakegithub.runner import (
    FORK_PULL_REQUEST,
    MARKER,
    MATRIX,
    MERGE_GROUP,
    MERGE_GROUP_SHA,
    PR_HEAD_SHA,
    PR_MERGE_SHA,
    PULL_REQUEST,
    PULL_REQUEST_SYNC,
    TAG_PUSH,
    TAG_SHA,
    Actions,
)
from tests.fakegithub.server import FakeGitHub
from tests.fakegithub.state import APP_BOT, Identity

CHECK_RUN_WRITES = r"/check-runs(/\d+)?$"
BENCHMARK_LINE = 1 + MATRIX.splitlines().index(
    '          - {id: tests, tests: {from: unit, class: "tests.test_core"}}'
)


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short waits between retries of a 5xx, so that a backoff policy cannot slow the suite
    (the policy itself is gatekeeper's to choose; a Retry-After is still honoured)."""
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")


def only_check_run(github: FakeGitHub, sha: str) -> dict[str, Any]:
    runs = github.check_runs(head_sha=sha, name="gatekeeper")
    assert len(runs) == 1, f"expected one check run on {sha}, found {len(runs)}"
    assert github.check_runs(name="gatekeeper") == runs, "a check run on another commit"
    return runs[0]


def sticky_comments(github: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in github.comments(2) if MARKER in c["body"]]


def annotation_batches(github: FakeGitHub) -> list[int]:
    sizes = []
    writes = github.calls("POST", CHECK_RUN_WRITES) + github.calls("PATCH", CHECK_RUN_WRITES)
    for request in sorted(writes, key=lambda r: r.at):
        notes = ((request.body or {}).get("output") or {}).get("annotations")
        if notes and request.status < 300:
            sizes.append(len(notes))
    return sizes


def test_a_failing_pull_request_gets_a_failure_check_run_and_one_comment(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    run = actions.run(PULL_REQUEST, failing=1)
    assert run.code == 1
    check = only_check_run(fake_github, PR_HEAD_SHA)  # the head, not GITHUB_SHA's merge commit
    assert (check["status"], check["conclusion"]) == ("completed", "failure")
    assert "fail" in check["output"]["title"].lower()
    assert "Core" in check["output"]["summary"]  # the matrix
    notes = {
        (n["path"], n["start_line"], n["annotation_level"])
        for n in fake_github.annotations(check["id"])
    }
    assert notes == {
        ("tests/test_core.py", actions.failing_lines["test_broken_0"], "failure"),  # the test
        ("gatekeeper.yml", BENCHMARK_LINE, "failure"),  # its benchmark in the matrix file
    }
    [comment] = fake_github.comments(2)
    assert MARKER in comment["body"] and "<!-- gatekeeper:state " in comment["body"]
    assert fake_github.check_runs(head_sha=PR_MERGE_SHA) == []


def test_the_second_run_edits_the_same_comment(actions: Actions, fake_github: FakeGitHub) -> None:
    actions.run(PULL_REQUEST, failing=1)
    [first] = fake_github.comments(2)
    run = actions.run(PULL_REQUEST_SYNC, failing=0)
    assert run.code == 0
    [second] = fake_github.comments(2)
    assert second["id"] == first["id"] and second["body"] != first["body"]
    assert len(fake_github.calls("POST", r"/issues/2/comments$")) == 1
    assert fake_github.calls("PATCH", rf"/issues/comments/{first['id']}$")
    latest = fake_github.check_runs(head_sha=PR_HEAD_SHA, name="gatekeeper")[-1]
    assert latest["conclusion"] == "success"


def test_the_comment_is_found_across_pages_and_an_impostor_s_is_left_alone(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    mallory = Identity("mallory", 31337)
    impostor = fake_github.add_comment(2, f"{MARKER}\nnot gatekeeper's", mallory)
    for number in range(130):  # gatekeeper's own comment lands on the second page of 100
        fake_github.add_comment(2, f"review remark {number}", Identity("reviewer", 4242))
    actions.run(PULL_REQUEST, failing=1)
    actions.run(PULL_REQUEST_SYNC, failing=0)
    ours = [c for c in sticky_comments(fake_github) if c["user"]["login"] != "mallory"]
    assert len(ours) == 1
    assert fake_github.comments(2)[0] == impostor  # neither edited nor counted as ours
    assert len(fake_github.calls("POST", r"/issues/2/comments$")) == 1


def test_an_app_token_edits_its_own_comment_over_three_runs(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    """An App's installation token is refused GET /user like GITHUB_TOKEN but posts as
    my-app[bot]: its comment is found again, never duplicated, a person's never taken."""
    fake_github.use_app_token(APP_BOT)
    impostor = fake_github.add_comment(2, f"{MARKER}\nnot gatekeeper's", Identity("eve", 7))
    for event, failing in ((PULL_REQUEST, 1), (PULL_REQUEST_SYNC, 0), (PULL_REQUEST_SYNC, 1)):
        run = actions.run(event, failing=failing)
        assert run.code == failing
        assert "::warning" not in run.out + run.err
    ours = [c for c in sticky_comments(fake_github) if c["id"] != impostor["id"]]
    assert len(ours) == 1
    assert (ours[0]["user"]["login"], ours[0]["user"]["type"]) == ("my-app[bot]", "Bot")
    assert len(fake_github.calls("POST", r"/issues/2/comments$")) == 1
    assert len(fake_github.calls("PATCH", r"/issues/comments/\d+$")) == 2
    assert fake_github.comments(2)[0] == impostor
    assert only_check_run(fake_github, PR_HEAD_SHA)["app"]["slug"] == "my-app"  # see README


def test_120_failing_tests_are_annotated_in_three_requests(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    assert actions.run(PULL_REQUEST, failing=120).code == 1
    check = only_check_run(fake_github, PR_HEAD_SHA)
    notes = fake_github.annotations(check["id"])
    on_tests = sorted(n["start_line"] for n in notes if n["path"] == "tests/test_core.py")
    assert on_tests == sorted(actions.failing_lines.values())  # 120, each once
    assert {n["path"] for n in notes} == {"tests/test_core.py", "gatekeeper.yml"}  # + the benchmark
    batches = annotation_batches(fake_github)
    assert batches == [50, 50, len(notes) - 100]  # three requests: 50, 50, the rest (20 + 1)
    assert check["output"]["annotations_count"] == len(notes)


def test_a_fork_pull_request_writes_nothing_but_the_summary_and_outputs(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    fake_github.read_only = True  # what a fork's token is
    run = actions.run(FORK_PULL_REQUEST, failing=1)
    assert run.code == 1
    assert fake_github.writes() == []
    assert "Core" in run.summary and "workflow_run" in run.summary  # the two-stage recipe
    assert run.outputs["verdict"] == "failed"
    assert run.outputs["enforced-phase"] == "one"
    assert json.loads(Path(run.outputs["report"]).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("status", "requests"), [(501, 1), (502, 2)])
def test_only_a_transient_error_is_retried(
    actions: Actions, fake_github: FakeGitHub, no_backoff: None, status: int, requests: int
) -> None:
    """A 501 is answered the same however often it is asked: one request, then a warning
    (the gate's exit code stands); a 502 is retried and the check run is made."""
    fault = fake_github.fail("POST", r"/check-runs$", status, times=1)
    assert actions.run(PULL_REQUEST, failing=1).code == 1
    assert fault.hits == 1
    assert len(fake_github.calls("POST", r"/check-runs$")) == requests
    made = fake_github.check_runs(head_sha=PR_HEAD_SHA, name="gatekeeper")
    assert len(made) == (0 if status == 501 else 1)


@pytest.mark.parametrize("after", [False, True], ids=["dropped", "done-then-502"])
def test_a_502_then_success_leaves_exactly_one_check_run(
    actions: Actions, fake_github: FakeGitHub, no_backoff: None, after: bool
) -> None:
    fault = fake_github.fail("POST", r"/check-runs$", 502, times=1, after=after)
    assert actions.run(PULL_REQUEST, failing=1).code == 1
    assert fault.hits == 1
    check = only_check_run(fake_github, PR_HEAD_SHA)
    assert check["conclusion"] == "failure"


def test_a_lost_answer_on_the_comment_leaves_exactly_one(
    actions: Actions, fake_github: FakeGitHub, no_backoff: None
) -> None:
    fault = fake_github.lose_answer("POST", r"/issues/2/comments$")
    assert actions.run(PULL_REQUEST, failing=1).code == 1
    assert fault.hits == 1
    [comment] = fake_github.comments(2)
    assert MARKER in comment["body"]
    assert len(fake_github.calls("POST", r"/issues/2/comments$")) == 1  # looked, not repeated
    assert fake_github.violations == []


def test_a_lost_answer_on_the_commit_status_leaves_exactly_one(
    actions: Actions, fake_github: FakeGitHub, no_backoff: None
) -> None:
    fault = fake_github.lose_answer("POST", r"/statuses/[0-9a-f]{40}$")
    flags = ("--github-status", "on", "--github-check", "off", "--check-name", "phase-gate")
    run = actions.run(PULL_REQUEST, *flags, failing=1)
    assert run.code == 1
    assert fault.hits == 1
    [status] = fake_github.statuses(PR_HEAD_SHA)
    assert (status["state"], status["context"]) == ("failure", "phase-gate")
    assert len(fake_github.calls("POST", r"/statuses/")) == 1
    assert fake_github.calls("GET", rf"/commits/{PR_HEAD_SHA}/statuses$")
    assert fake_github.violations == []


def test_a_dropped_status_is_sent_again_when_the_newest_differs(
    actions: Actions, fake_github: FakeGitHub, no_backoff: None
) -> None:
    flags = ("--github-status", "on", "--github-check", "off", "--check-name", "phase-gate")
    assert actions.run(PULL_REQUEST, *flags, failing=1).code == 1  # failure, then:
    fault = fake_github.fail("POST", r"/statuses/[0-9a-f]{40}$", 502)  # dropped, not done
    assert actions.run(PULL_REQUEST_SYNC, *flags, failing=0).code == 0
    assert fault.hits == 1
    states = [s["state"] for s in fake_github.statuses(PR_HEAD_SHA)]
    assert states == ["failure", "success"]


def test_a_secondary_rate_limit_is_waited_out(actions: Actions, fake_github: FakeGitHub) -> None:
    fake_github.secondary_rate_limit("POST", r"", retry_after=1)  # the first write of the run
    assert actions.run(PULL_REQUEST, failing=1).code == 1
    [limited] = [r for r in fake_github.requests if r.status == 403 and r.method == "POST"]
    retry = next(
        r for r in fake_github.requests
        if r.at > limited.at and (r.method, r.path) == (limited.method, limited.path)
    )  # fmt: skip
    assert retry.at - limited.at >= 1.0, "retried before Retry-After"
    assert only_check_run(fake_github, PR_HEAD_SHA)["conclusion"] == "failure"
    assert len(sticky_comments(fake_github)) == 1


@pytest.mark.parametrize(("failing", "code"), [(1, 1), (0, 0)], ids=["failing", "passing"])
def test_a_persistent_500_keeps_the_gate_s_exit_code_and_says_so(
    actions: Actions, fake_github: FakeGitHub, no_backoff: None, failing: int, code: int
) -> None:
    fake_github.fail("*", r"", 500, times=None)
    run = actions.run(PULL_REQUEST, failing=failing)
    assert run.code == code
    assert run.err.strip(), "the posting failure must be reported on stderr"
    assert "::warning" in run.out + run.err
    assert run.outputs["verdict"] == ("failed" if failing else "passed")
    assert "Core" in run.summary


def test_a_passing_gate_posts_a_success_check_run(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    assert actions.run(PULL_REQUEST, failing=0).code == 0
    check = only_check_run(fake_github, PR_HEAD_SHA)
    assert (check["status"], check["conclusion"]) == ("completed", "success")
    assert fake_github.annotations(check["id"]) == []


def test_a_merge_group_is_checked_on_its_head_sha(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    fake_github.add_pull(104, head_ref="feature")  # a merge group's labels come from the API
    assert actions.run(MERGE_GROUP, failing=1).code == 1
    assert only_check_run(fake_github, MERGE_GROUP_SHA)["conclusion"] == "failure"
    assert fake_github.calls("POST", r"/comments$") == []  # no pull request to comment on


def test_a_tag_push_is_checked_on_the_tagged_commit(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    assert actions.run(TAG_PUSH, failing=0).code == 0
    assert only_check_run(fake_github, TAG_SHA)["conclusion"] == "success"
    assert fake_github.calls("GET", r"/comments$") == fake_github.calls("POST", r"/comments$") == []


def test_on_failure_comments_nothing_on_a_passing_gate(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    assert actions.run(PULL_REQUEST, "--comment", "on-failure", failing=0).code == 0
    assert (
        fake_github.calls("POST", r"/comments$") == fake_github.calls("PATCH", r"/comments/") == []
    )
    assert only_check_run(fake_github, PR_HEAD_SHA)["conclusion"] == "success"


def test_a_commit_status_is_set_instead_of_a_check_run(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    flags = ("--github-status", "on", "--github-check", "off", "--check-name", "phase-gate")
    assert actions.run(PULL_REQUEST, *flags, failing=1).code == 1
    [status] = fake_github.statuses(PR_HEAD_SHA)
    assert (status["state"], status["context"]) == ("failure", "phase-gate")
    assert (
        status["target_url"] == "https://github.com/Codertocat/Hello-World/actions/runs/7123456789"
    )
    assert fake_github.check_runs() == []  # the fake refuses a description over 140 characters
    [comment] = fake_github.comments(2)
    assert "<!-- gatekeeper:comment check-name=phase-gate -->" in comment["body"]


def test_dry_run_posts_nothing_and_prints_what_it_would(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    run = actions.run(PULL_REQUEST, "--dry-run", "--github-status", "on", failing=1)
    assert run.code == 1
    assert fake_github.requests == []
    # Only the API is spared: the job summary and the step outputs are written as without it.
    assert run.summary.startswith("## ❌ Demo:")
    assert run.outputs["verdict"] == "failed" and run.outputs["enforced-phase"] == "one"
    assert Path(run.outputs["report"]).is_file()
    assert PR_HEAD_SHA in run.out  # the check run payload's head_sha
    assert MARKER in run.out  # the comment body
    assert "failure" in run.out  # the conclusion and the status state


def huge_matrix(lanes: int, phases: int = 10, current: int = 5) -> str:
    """A matrix whose table alone passes GitHub's limit in characters and more so in bytes:
    every cell up to `current` met (🟩), three later phases failed (🟥), one pending (⬜)."""
    out = ["version: 1", "project: Huge", f"current: p{current}", "artifacts:",
           '  unit: {format: junit, paths: "reports/*.xml"}',
           '  later: {format: junit, paths: "later/*.xml"}', "phases:"]  # fmt: skip
    out += [f"  - {{id: p{i}, name: P{i}}}" for i in range(1, phases + 1)]
    out.append("swimlanes:")
    for lane in range(lanes):
        out += [f"  - id: lane{lane}", f"    name: Lane {lane}", "    cells:"]
        for p in range(1, phases):
            if p <= current:
                tests = '{from: unit, class: "tests.test_core"}'
            elif p < phases - 1:
                tests = '{from: unit, class: "tests.test_nothing"}'
            else:
                tests = "{from: later}"
            out += [f"      p{p}:", "        goal: G", "        benchmarks:",
                    f"          - {{id: b{p}, tests: {tests}}}"]  # fmt: skip
    return "\n".join(out) + "\n"


@pytest.mark.slow
def test_a_huge_matrix_still_posts_its_check_run_within_github_s_byte_limit(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    (actions.root / "project" / "gatekeeper.yml").write_text(huge_matrix(600), encoding="utf-8")
    run = actions.run(PULL_REQUEST, failing=0)
    assert run.code == 0, run.err
    assert fake_github.violations == []
    check = only_check_run(fake_github, PR_HEAD_SHA)
    assert (check["status"], check["conclusion"]) == ("completed", "success")
    summary, text = check["output"]["summary"], check["output"]["text"]
    assert {"🟩", "🟥", "⬜"} <= set(summary)
    for field in (summary, text):
        assert len(field.encode("utf-8")) <= 65_535
    assert len(summary) > 50_000, "trimmed far more than the limit asks"
    assert "swimlane rows of the matrix" in summary and "65,535 bytes" in summary
    assert "| *gate* |" in summary, "the gate row stays"
