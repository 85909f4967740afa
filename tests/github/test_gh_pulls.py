"""The pull request's labels, branch and changed files: from real payloads, and from the fake
GitHub where the payload carries none (merge_group, workflow_run)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.errors import ExitCode
from gatekeeper.github.pulls import PullRequestError, pull_request_event, pull_request_facts
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

EVENTS = Path(__file__).with_name("events")
FILES = r"/pulls/\d+/files$"


def _payload(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _env(
    github: FakeGitHub, tmp_path: Path, event: str, payload: dict[str, Any], **extra: str
) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": github.url,
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_TOKEN": DEFAULT_TOKEN,
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
        "GATEKEEPER_GITHUB_BACKOFF": "0.01",
        **extra,
    }


def _workflow_run(event: str = "pull_request") -> dict[str, Any]:
    payload = _payload("workflow_run-completed.json")  # lists pull request #2
    payload["workflow_run"]["event"] = event
    return payload


@pytest.fixture
def github(fake_github: FakeGitHub) -> Iterator[FakeGitHub]:
    yield fake_github
    assert fake_github.violations == [], "GitHub would have refused these requests"


@pytest.mark.parametrize(
    ("event", "payload", "expected"),
    [
        ("pull_request", {}, True),
        ("pull_request_target", {}, True),
        ("merge_group", {}, True),
        ("workflow_run", _workflow_run("pull_request"), True),
        ("workflow_run", _workflow_run("pull_request_target"), True),
        ("workflow_run", _workflow_run("push"), False),
        ("push", {}, False),
        ("schedule", {}, False),
    ],
)
def test_which_runs_are_about_a_pull_request(
    github: FakeGitHub, tmp_path: Path, event: str, payload: dict[str, Any], expected: bool
) -> None:
    assert pull_request_event(_env(github, tmp_path, event, payload)) is expected
    assert pull_request_event({}) is False
    assert github.requests == []


@pytest.mark.parametrize("payload", [{"workflow_run": {"event": 7}}, {}])
def test_a_workflow_run_that_does_not_say_what_started_it_is_not_decided(
    github: FakeGitHub, tmp_path: Path, payload: dict[str, Any]
) -> None:
    # judged under one gate instead, the run could pass what the pull request rules block
    with pytest.raises(PullRequestError, match=r"workflow_run\.event"):
        pull_request_event(_env(github, tmp_path, "workflow_run", payload))


def test_a_pull_request_event_s_labels_come_from_its_payload_alone(
    github: FakeGitHub, tmp_path: Path
) -> None:
    env = _env(github, tmp_path, "pull_request", _payload("pull_request-labeled.json"))
    facts = pull_request_facts(env, want_files=False)
    assert (facts.number, facts.labels, facts.branch) == (2, ("bug",), "changes")
    assert facts.changed_files is None and facts.warnings == ()
    assert facts.source == "pull_request event #2"
    assert github.requests == []  # the payload said it all
    without = _env(github, tmp_path, "pull_request_target", _payload("pull_request-opened.json"),
                   GITHUB_TOKEN="")  # fmt: skip
    assert pull_request_facts(without, want_files=False).labels == ()
    assert github.requests == []


def test_a_pull_request_event_reads_only_its_files_from_the_api(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.add_pull(2, labels=["only-in-the-api"], files=["a.py", "lanes/b.py"],
                    renamed_from={"lanes/b.py": "old/b.py"})  # fmt: skip
    env = _env(github, tmp_path, "pull_request", _payload("pull_request-labeled.json"))
    facts = pull_request_facts(env, want_files=True)
    assert facts.labels == ("bug",)
    assert facts.changed_files == ("a.py", "lanes/b.py", "old/b.py")
    assert [r.path for r in github.requests] == [f"/repos/{github.repository}/pulls/2/files"]
    assert github.requests[0].query == {"per_page": ["100"]}
    no_token = pull_request_facts({**env, "GITHUB_TOKEN": ""}, want_files=True)
    assert no_token.changed_files is None and no_token.labels == ("bug",)
    assert no_token.warnings == ("changed files not read: GITHUB_TOKEN is not set",)


def test_a_payload_without_labels_leaves_the_gate_undecided(
    github: FakeGitHub, tmp_path: Path
) -> None:
    payload = _payload("pull_request-labeled.json")
    del payload["pull_request"]["labels"]
    env = _env(github, tmp_path, "pull_request", payload)
    with pytest.raises(PullRequestError, match=r"lists no pull_request\.labels") as raised:
        pull_request_facts(env, want_files=False)
    assert "the gate is not decided" in str(raised.value)
    assert raised.value.exit_code == ExitCode.USAGE
    assert github.requests == []


def test_a_merge_group_reads_its_pull_request_from_the_api(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.repository = "octo-org/octo-repo"  # the merge group payload's repository
    github.add_pull(104, labels=["phase:two", "docs"], head_ref="two/faster")
    env = _env(github, tmp_path, "merge_group", _payload("merge_group-checks_requested.json"))
    facts = pull_request_facts(env, want_files=False)
    assert (facts.number, facts.labels, facts.branch) == (104, ("phase:two", "docs"), "two/faster")
    assert facts.source == "merge_group event for #104 (labels from the API)"
    (request,) = github.requests
    assert (request.method, request.path) == ("GET", "/repos/octo-org/octo-repo/pulls/104")
    assert request.headers["authorization"] == f"Bearer {DEFAULT_TOKEN}"
    assert request.headers["x-github-api-version"] == "2022-11-28"
    assert request.headers["user-agent"].startswith("gatekeeper/")


def test_a_workflow_run_reads_its_pull_request_from_the_api(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.add_pull(2, labels=["phase:two"], head_ref="feature", files=["x.py"])
    env = _env(github, tmp_path, "workflow_run", _workflow_run())
    facts = pull_request_facts(env, want_files=True)
    assert (facts.number, facts.labels, facts.branch, facts.changed_files) == (
        2, ("phase:two",), "feature", ("x.py",))  # fmt: skip
    assert facts.source == "workflow_run of pull_request for #2 (labels from the API)"
    assert [r.path.rsplit("/", 2)[-2:] for r in github.requests] == [["pulls", "2"],
                                                                     ["2", "files"]]  # fmt: skip


def test_a_persistent_500_leaves_the_gate_undecided(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_pull(2, labels=["phase:two"])
    github.fail("GET", r"/pulls/2$", 500, times=None)
    env = _env(github, tmp_path, "workflow_run", _workflow_run())
    with pytest.raises(PullRequestError) as raised:
        pull_request_facts(env, want_files=True)
    message = str(raised.value)
    assert "read pull request #2: HTTP 500" in message and "gave up after 5 tries" in message
    assert "the gate is not decided" in message
    assert len(github.calls("GET", r"/pulls/2$")) == 5
    assert github.calls("GET", FILES) == []


def test_a_pull_request_github_does_not_know_leaves_the_gate_undecided(
    github: FakeGitHub, tmp_path: Path
) -> None:
    payload = _workflow_run()
    payload["workflow_run"]["pull_requests"] = []  # a fork's: the number is given instead
    env = _env(github, tmp_path, "workflow_run", payload, GATEKEEPER_PR_NUMBER="3")
    with pytest.raises(PullRequestError, match=r"read pull request #3: HTTP 404"):
        pull_request_facts(env, want_files=False)
    assert len(github.calls("GET", r"/pulls/3$")) == 1  # a 404 is not retried


@pytest.mark.parametrize(
    ("event", "payload", "expected"),
    [
        ("merge_group", {"merge_group": {"head_sha": "a" * 40, "head_ref": "refs/heads/main"}},
         "names no pull request (its merge_group.head_ref is not"),
        ("workflow_run", {"workflow_run": {"head_sha": "a" * 40, "event": "pull_request",
                                           "pull_requests": []}}, "set GATEKEEPER_PR_NUMBER"),
    ],
)  # fmt: skip
def test_no_pull_request_number_leaves_the_gate_undecided(
    github: FakeGitHub, tmp_path: Path, event: str, payload: dict[str, Any], expected: str
) -> None:
    with pytest.raises(PullRequestError, match=re.escape(expected)):
        pull_request_facts(_env(github, tmp_path, event, payload), want_files=False)
    assert github.requests == []


def test_no_token_for_the_api_leaves_the_gate_undecided(github: FakeGitHub, tmp_path: Path) -> None:
    env = _env(github, tmp_path, "merge_group", _payload("merge_group-checks_requested.json"),
               GITHUB_TOKEN="", GITHUB_REPOSITORY="")  # fmt: skip
    with pytest.raises(PullRequestError) as raised:
        pull_request_facts(env, want_files=False)
    assert "GITHUB_TOKEN and GITHUB_REPOSITORY are not set" in str(raised.value)
    assert "#104" in str(raised.value)
    assert github.requests == []


def test_files_are_read_over_every_page(github: FakeGitHub, tmp_path: Path) -> None:
    names = [f"src/module_{n:03}.py" for n in range(250)]
    github.add_pull(2, files=names)
    env = _env(github, tmp_path, "workflow_run", _workflow_run())
    facts = pull_request_facts(env, want_files=True)
    assert facts.changed_files == tuple(names) and facts.warnings == ()
    pages = github.calls("GET", FILES)
    assert len(pages) == 3
    assert [r.query.get("page") for r in pages] == [None, ["2"], ["3"]]
    assert pages[1].path == "/repositories/186853002/pulls/2/files"  # GitHub's Link form


def test_a_failed_read_of_the_files_is_a_warning(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_pull(2, labels=["phase:two"], files=[f"f{n}" for n in range(150)])
    github.fail("GET", FILES, 502, times=None)
    env = _env(github, tmp_path, "workflow_run", _workflow_run())
    facts = pull_request_facts(env, want_files=True)
    assert facts.labels == ("phase:two",) and facts.changed_files is None
    (warning,) = facts.warnings
    assert warning.startswith("changed files not read: list the files of pull request #2")
    assert "HTTP 502" in warning


def test_github_s_cap_on_listed_files_is_said(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_pull(2, files=[f"f{n:04}" for n in range(3100)])
    env = _env(github, tmp_path, "workflow_run", _workflow_run())
    facts = pull_request_facts(env, want_files=True)
    assert facts.changed_files is not None and len(facts.changed_files) == 3000
    assert len(github.calls("GET", FILES)) == 30
    (warning,) = facts.warnings
    assert "changes at least 3,000 files, the most GitHub lists" in warning


def test_a_smaller_cap_stops_reading_early(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_pull(2, files=[f"f{n:04}" for n in range(450)])
    env = _env(github, tmp_path, "workflow_run", _workflow_run())
    facts = pull_request_facts(env, want_files=True, max_files=200)
    assert len(github.calls("GET", FILES)) == 2  # 200 read: no third page asked for
    assert facts.changed_files is not None and len(facts.changed_files) == 200
    assert "changes at least 200 files" in facts.warnings[0]
