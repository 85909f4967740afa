"""Publishing against an in-memory GitHubAPI: idempotence, identity, comment modes, and
failures collected rather than raised. (HTTP is the scenario tests' business.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gatekeeper.github import comment as sticky
from gatekeeper.github import payloads
from gatekeeper.github.annotate import Annotations, annotation
from gatekeeper.github.publish import (
    CommentMode,
    CommentRef,
    comment_plan,
    publish,
)
from gatekeeper.github.retry import APIError
from tests.github.gh_build import markdown, scenario
from tests.github.gh_memory import BOT, MemoryAPI

SHA = "a" * 40


def _plans(name: str = "failing", external_id: str = "gatekeeper:1:1", notes: int = 0) -> Any:
    s = scenario(name)
    text = markdown(s.report, s.exit_code)
    found = Annotations(
        tuple(annotation("a.py", n + 1, "failure", "t", ["m"]) for n in range(notes))
    )
    run = payloads.check_run(
        s.report, s.exit_code, text, found, name="gatekeeper", sha=SHA, external_id=external_id,
        details_url=None, completed_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    )  # fmt: skip
    return s, text, run


def _comment(name: str, mode: CommentMode = CommentMode.ALWAYS) -> Any:
    s = scenario(name)
    text = markdown(s.report, s.exit_code)
    return comment_plan(s.report, s.exit_code, text, mode=mode, number=2, check_name="gatekeeper")


def test_the_first_run_creates_and_a_retry_of_the_same_run_updates() -> None:
    api = MemoryAPI()
    _, _, run = _plans(notes=120)
    first = publish(api, sha=SHA, check_run=run, status=None, comment=None)
    assert first.failed == () and first.posted == (
        "check run 'gatekeeper' created (failure, 120 annotations, id 100)",
    )
    assert api.calls == ["check_runs", "create_check_run", "update_check_run", "update_check_run"]
    again = publish(api, sha=SHA, check_run=run, status=None, comment=None)
    assert again.posted[0].startswith("check run 'gatekeeper' updated")
    assert list(api.runs) == [100]


def test_another_run_s_check_run_is_reused_unless_it_has_annotations() -> None:
    api = MemoryAPI()
    _, _, clean = _plans("passing", external_id="gatekeeper:1:1")
    publish(api, sha=SHA, check_run=clean, status=None, comment=None)
    _, _, rerun = _plans("failing", external_id="gatekeeper:2:1", notes=3)
    publish(api, sha=SHA, check_run=rerun, status=None, comment=None)
    assert list(api.runs) == [100] and api.runs[100]["conclusion"] == "failure"
    _, _, third = _plans("failing", external_id="gatekeeper:3:1", notes=3)
    publish(api, sha=SHA, check_run=third, status=None, comment=None)
    assert list(api.runs) == [100, 101]  # 100's annotations cannot be taken back
    assert len(api.runs[101]["annotations"]) == 3


def test_a_check_run_that_is_not_ours_is_never_touched() -> None:
    api = MemoryAPI()
    api.runs[7] = {"head_sha": SHA, "name": "gatekeeper", "external_id": "job-uuid", "output": {}}
    _, _, run = _plans()
    publish(api, sha=SHA, check_run=run, status=None, comment=None)
    assert sorted(api.runs) == [7, 100] and api.runs[7]["output"] == {}


def test_a_creation_whose_answer_was_lost_is_found_not_repeated() -> None:
    api = MemoryAPI()
    api.lose_response.add("create_check_run")
    _, _, run = _plans()
    result = publish(api, sha=SHA, check_run=run, status=None, comment=None)
    assert list(api.runs) == [100] and result.failed == ()


def test_status_and_comment_are_posted() -> None:
    api = MemoryAPI()
    status = {"state": "failure", "description": "d", "context": "gatekeeper"}
    result = publish(api, sha=SHA, check_run=None, status=status, comment=_comment("failing"))
    assert api.statuses == [status]
    [made] = api.comments_by_id.values()
    assert made.body.startswith(sticky.marker("gatekeeper") + "\n")
    assert result.posted == (
        "commit status 'gatekeeper' set (failure)",
        f"PR comment on PR #2 created (id 100, as {BOT})",
    )


def test_the_comment_is_ours_only_with_our_marker_and_our_identity() -> None:
    api = MemoryAPI()
    marker = sticky.marker("gatekeeper")
    api.comments_by_id[1] = CommentRef(1, "mallory", f"{marker}\nfake")
    api.comments_by_id[2] = CommentRef(2, BOT, "<!-- gatekeeper:comment check-name=other -->")
    api.comments_by_id[3] = CommentRef(
        3, BOT, f"{marker}\n{sticky.state_line(sticky.CommentState('passed', {}))}"
    )
    publish(api, sha=SHA, check_run=None, status=None, comment=_comment("failing"))
    assert api.comments_by_id[1].body == f"{marker}\nfake"
    assert api.comments_by_id[2].body.endswith("other -->")
    assert "### Since the last run" in api.comments_by_id[3].body
    assert "- verdict: passed → **failed**" in api.comments_by_id[3].body
    assert "create_comment" not in api.calls


def test_an_app_token_finds_its_own_comment_by_marker_and_bot_author() -> None:
    """GET /user is refused to every installation token: the author is not assumed to be
    github-actions[bot]; a bot's comment with the marker is ours, a person's never is."""
    api = MemoryAPI("my-app[bot]", user_refused=True)
    marker = sticky.marker("gatekeeper")
    api.comments_by_id[1] = CommentRef(1, "mallory", f"{marker}\nfake")
    for _ in range(3):
        result = publish(api, sha=SHA, check_run=None, status=None, comment=_comment("failing"))
        assert result.failed == ()
    assert api.calls.count("create_comment") == 1
    assert result.posted == ("PR comment on PR #2 updated (id 100, as my-app[bot])",)
    assert api.comments_by_id[1].body == f"{marker}\nfake"
    assert [c.author for c in api.comments_by_id.values()] == ["mallory", "my-app[bot]"]


@pytest.mark.parametrize(
    ("mode", "name", "existing", "posts"),
    [
        (CommentMode.ON_FAILURE, "passing", False, False),
        (CommentMode.ON_FAILURE, "failing", False, True),
        (CommentMode.ON_FAILURE, "passing", True, True),  # a stale failure is corrected
        (CommentMode.ON_CHANGE, "failing", False, True),
        (CommentMode.ON_CHANGE, "failing", True, False),  # same states as last time
        (CommentMode.ON_CHANGE, "passing", True, True),
    ],
)
def test_comment_modes(mode: CommentMode, name: str, existing: bool, posts: bool) -> None:
    api = MemoryAPI()
    if existing:
        publish(api, sha=SHA, check_run=None, status=None, comment=_comment("failing"))
        api.calls.clear()
    before = {i: c.body for i, c in api.comments_by_id.items()}
    result = publish(api, sha=SHA, check_run=None, status=None, comment=_comment(name, mode))
    after = {i: c.body for i, c in api.comments_by_id.items()}
    assert (before != after) is posts
    assert result.failed == ()
    if not posts:
        assert result.posted == () and f"--comment {mode.value}" in result.skipped[0]


def test_every_failure_is_collected_and_nothing_raises() -> None:
    api = MemoryAPI()
    api.fail["create_check_run"] = APIError("create check run", "HTTP 502; gave up", 502)
    api.fail["create_status"] = RuntimeError("a bug")
    api.fail["identity"] = APIError("find who the token is", "HTTP 500", 500)
    _, _, run = _plans()
    status = {"state": "failure", "context": "gatekeeper"}
    result = publish(api, sha=SHA, check_run=run, status=status, comment=_comment("failing"))
    assert result.posted == ()
    assert result.failed == (
        "check run: create check run: HTTP 502; gave up",
        "commit status: a bug",
        "PR comment: find who the token is: HTTP 500",
    )


def test_no_commit_means_no_check_run_or_status() -> None:
    _, _, run = _plans()
    result = publish(MemoryAPI(), sha=None, check_run=run, status={"state": "x"}, comment=None)
    assert result.failed == (
        "check run: no commit to report on",
        "commit status: no commit to report on",
    )
