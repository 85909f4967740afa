"""The GitHub context from the environment and real webhook payloads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.github.context import PR_NUMBER_VARIABLE, GitHubContext
from tests.conftest import CORPUS

EVENTS = Path(__file__).with_name("events")
CORPUS_EVENTS = CORPUS / "github" / "events"
PR_HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"


def _load(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _context(tmp_path: Path, event: str, payload: object, **env: str) -> GitHubContext:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    environ = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_SHA": "4e1243bd22c66e76c2ba9eddc1f91394e57f9f83",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
        "GITHUB_RUN_ID": "99",
        **env,
    }
    return GitHubContext.from_env(environ)


def _fork(payload: dict[str, Any]) -> dict[str, Any]:
    """GitHub's examples have no fork pull request: the head moved to another owner's repo."""
    forked = copy.deepcopy(payload)
    repo = forked["pull_request"]["head"]["repo"]
    repo["full_name"] = "Octoforker/Hello-World"
    repo["owner"]["login"] = "Octoforker"
    repo["fork"] = True
    return forked


def test_a_pull_request_reports_on_its_head_not_the_merge_commit(tmp_path: Path) -> None:
    ctx = _context(tmp_path, "pull_request", _load("pull_request-opened.json"))
    assert ctx.sha == PR_HEAD
    assert ctx.pull_request == 2
    assert (ctx.event.base_repo, ctx.event.head_repo) == ("Codertocat/Hello-World",) * 2
    assert not ctx.event.from_fork and not ctx.read_only
    assert ctx.problems == ()
    assert ctx.run_url == "https://github.com/Codertocat/Hello-World/actions/runs/99"


def test_a_fork_pull_request_has_a_read_only_token(tmp_path: Path) -> None:
    ctx = _context(tmp_path, "pull_request", _fork(_load("pull_request-opened.json")))
    assert ctx.event.from_fork and ctx.read_only
    assert ctx.sha == PR_HEAD and ctx.pull_request == 2
    target = _context(tmp_path, "pull_request_target", _fork(_load("pull_request-opened.json")))
    assert target.event.from_fork and not target.read_only  # its token can write


def test_a_deleted_fork_is_a_fork(tmp_path: Path) -> None:
    payload = _load("pull_request-opened.json")
    payload["pull_request"]["head"]["repo"] = None
    assert _context(tmp_path, "pull_request", payload).read_only


def test_a_pull_request_inside_a_forked_repository_can_write(tmp_path: Path) -> None:
    payload = _load("pull_request-opened.json")
    payload["pull_request"]["head"]["repo"]["fork"] = True  # the repository is itself a fork
    payload["pull_request"]["base"]["repo"]["fork"] = True
    assert not _context(tmp_path, "pull_request", payload).read_only


def test_a_pull_request_s_labels_and_branch_come_from_its_payload(tmp_path: Path) -> None:
    labeled = _context(tmp_path, "pull_request", _load("pull_request-labeled.json"))
    assert (labeled.event.labels, labeled.event.head_ref) == (("bug",), "changes")
    opened = _context(tmp_path, "pull_request_target", _load("pull_request-opened.json"))
    assert (opened.event.labels, opened.event.head_ref) == ((), "changes")  # listed, none


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ([{"name": "bug"}, {"name": 7}, "phase:two", {"id": 1}, {"name": ""}, {"name": "x"}],
         ("bug", "x")),
        ({"name": "bug"}, None),
        (None, None),
    ],
)  # fmt: skip
def test_wrong_label_types_count_as_absent(
    tmp_path: Path, labels: object, expected: tuple[str, ...] | None
) -> None:
    payload = _load("pull_request-labeled.json")
    payload["pull_request"]["labels"] = labels
    payload["pull_request"]["head"]["ref"] = 42
    ctx = _context(tmp_path, "pull_request", payload)
    assert (ctx.event.labels, ctx.event.head_ref) == (expected, None)
    assert ctx.problems == ()
    assert _context(tmp_path, "push", payload).event.labels is None  # not a pull request


def test_a_merge_group_reports_on_its_head_sha(tmp_path: Path) -> None:
    ctx = _context(tmp_path, "merge_group", _load("merge_group-checks_requested.json"))
    assert ctx.sha == "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d"
    assert ctx.pull_request is None and not ctx.read_only  # no comment on a merge group
    assert ctx.event.pr_number == 104  # gh-readonly-queue/main/pr-104-929f82...
    assert (ctx.event.labels, ctx.event.head_ref) == (None, None)  # the payload lists neither


@pytest.mark.parametrize(
    ("head_ref", "number"),
    [
        ("refs/heads/gh-readonly-queue/release/2.x/pr-7-" + "a" * 40, 7),  # a base with '/'
        ("refs/heads/gh-readonly-queue/main/pr-0-" + "a" * 40, None),
        ("refs/heads/gh-readonly-queue/main/pr-12-abc", None),
        ("refs/heads/main", None),
        (104, None),
    ],
)
def test_a_merge_group_s_pull_request_is_in_its_queue_branch(
    tmp_path: Path, head_ref: object, number: int | None
) -> None:
    payload = _load("merge_group-checks_requested.json")
    payload["merge_group"]["head_ref"] = head_ref
    assert _context(tmp_path, "merge_group", payload).event.pr_number == number


def test_a_workflow_run_reports_on_the_first_run_s_head_and_pull_request(tmp_path: Path) -> None:
    ctx = _context(tmp_path, "workflow_run", _load("workflow_run-completed.json"))
    assert ctx.sha == "3484a3fb816e0859fd6e1cea078d76385ff50625"
    assert ctx.pull_request == 2
    assert ctx.event.triggering_event == "repository_dispatch"


def test_a_fork_s_workflow_run_names_no_pull_request_unless_told(tmp_path: Path) -> None:
    payload = _load("workflow_run-completed.json")
    payload["workflow_run"]["event"] = "pull_request"
    payload["workflow_run"]["pull_requests"] = []  # what GitHub sends for a fork
    assert _context(tmp_path, "workflow_run", payload).pull_request is None
    told = _context(tmp_path, "workflow_run", payload, **{PR_NUMBER_VARIABLE: "17"})
    assert told.pull_request == 17 and told.event.triggering_event == "pull_request"
    wrong = _context(tmp_path, "workflow_run", payload, **{PR_NUMBER_VARIABLE: "seventeen"})
    assert wrong.pull_request is None and PR_NUMBER_VARIABLE in wrong.problems[0]


def test_a_push_names_its_branch_or_tag(tmp_path: Path) -> None:
    tag = _context(tmp_path, "push", {"ref": "refs/tags/iron-1", "after": "x"})
    assert (tag.event.ref_type, tag.event.ref_name) == ("tag", "iron-1")
    assert tag.sha == "4e1243bd22c66e76c2ba9eddc1f91394e57f9f83"  # GITHUB_SHA
    branch = _context(tmp_path, "push", {"ref": "refs/heads/main"})
    assert (branch.event.ref_type, branch.event.ref_name) == ("branch", "main")
    assert tag.pull_request is None


def _pushed(name: str) -> dict[str, Any]:
    """The push payloads the fake GitHub's scenarios use (tests/fakegithub/events)."""
    path = EVENTS.parent.parent / "fakegithub" / "events" / name
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_a_push_to_the_default_branch_is_known_by_the_payload(tmp_path: Path) -> None:
    """GitHub's own example: a push to refs/heads/master of a repository whose default
    branch is master. The history records only such pushes."""
    pushed = _context(tmp_path, "push", _pushed("push-default-branch.json"))
    assert pushed.event.default_branch == "master" and pushed.event.to_default_branch
    other = _pushed("push-default-branch.json")
    other["ref"] = "refs/heads/feature"
    assert not _context(tmp_path, "push", other).event.to_default_branch
    tag = _context(tmp_path, "push", _pushed("push-tag.json"))
    assert tag.event.default_branch == "master" and not tag.event.to_default_branch
    unnamed = _pushed("push-default-branch.json")
    del unnamed["repository"]["default_branch"]
    assert not _context(tmp_path, "push", unnamed).event.to_default_branch
    pull = _context(tmp_path, "pull_request", _load("pull_request-opened.json"))
    assert not pull.event.to_default_branch


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "expected a JSON object, found list"),
        ('{"pull_request": {"head": {"sha": 42}}}', "names no head commit"),
        ('{"pull_request": "x", "number": true}', "names no head commit"),
        ('{"a": "\xc3("}', "not UTF-8"),
    ],
)
def test_a_bad_payload_is_a_problem_not_a_crash(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "event.json"
    path.write_bytes(content.encode("latin-1"))
    environ = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(path)}
    ctx = GitHubContext.from_env(environ)
    assert ctx.sha is None and ctx.pull_request is None
    assert any(problem in p for p in ctx.problems), ctx.problems
    assert str(path) in " ".join(ctx.problems) or "names no head" in problem


def test_a_missing_payload_and_a_bad_repository_are_problems(tmp_path: Path) -> None:
    ctx = GitHubContext.from_env(
        {"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(tmp_path / "none.json"),
         "GITHUB_REPOSITORY": "no-slash", "GITHUB_SHA": "abc"}
    )  # fmt: skip
    assert ctx.repository is None and ctx.sha == "abc"
    assert "cannot read" in ctx.problems[0] and "expected owner/name" in ctx.problems[1]
    unnamed = GitHubContext.from_env({"GITHUB_EVENT_NAME": "push"})
    assert "GITHUB_EVENT_PATH is not set" in unnamed.problems[0]


def test_defaults_and_enterprise_server_urls() -> None:
    ctx = GitHubContext.from_env({})
    assert (ctx.api_url, ctx.server_url) == ("https://api.github.com", "https://github.com")
    assert not ctx.actions and ctx.token is None and ctx.problems == ()
    ghes = GitHubContext.from_env(
        {"GITHUB_API_URL": "https://ghe.example.com/api/v3/",
         "GITHUB_SERVER_URL": "https://ghe.example.com", "GITHUB_TOKEN": "secret"}
    )  # fmt: skip
    assert ghes.api_url == "https://ghe.example.com/api/v3"
    assert "secret" not in repr(ghes)


def _corpus(kind: str) -> list[Path]:
    return sorted((CORPUS_EVENTS / kind).glob("*.json"))


@pytest.mark.parametrize("path", _corpus("pull_request"), ids=lambda p: p.name)
def test_every_real_pull_request_payload(path: Path) -> None:
    ctx = _real("pull_request", path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert ctx.sha == payload["pull_request"]["head"]["sha"]
    assert ctx.pull_request == payload["number"] and not ctx.read_only and ctx.problems == ()
    pull = payload["pull_request"]
    assert ctx.event.labels == tuple(label["name"] for label in pull["labels"])
    assert ctx.event.head_ref == pull["head"]["ref"]


@pytest.mark.parametrize(
    ("kind", "path"),
    [(k, p) for k in ("merge_group", "workflow_run", "push") for p in _corpus(k)],
    ids=lambda x: x.name if isinstance(x, Path) else x,
)
def test_every_real_payload_of_the_other_events(kind: str, path: Path) -> None:
    ctx = _real(kind, path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    expected = {
        "merge_group": lambda: payload["merge_group"]["head_sha"],
        "workflow_run": lambda: payload["workflow_run"]["head_sha"],
        "push": lambda: "GITHUB_SHA",
    }[kind]()
    assert ctx.sha == expected and ctx.problems == ()
    if kind == "push":
        assert ctx.event.ref == payload["ref"]
    if kind == "merge_group":  # refs/heads/gh-readonly-queue/main/pr-104-<sha>
        assert ctx.event.pr_number == 104


def _real(event: str, path: Path) -> GitHubContext:
    environ = {
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
        "GITHUB_SHA": "GITHUB_SHA",
    }
    return GitHubContext.from_env(environ)
