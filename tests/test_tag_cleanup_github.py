"""`check --delete-failed-tag` on the push of a phase tag, against the fake GitHub: a tag
whose gate fails is deleted, a tag whose gate passes never is, and a deletion that fails is
loud but leaves the exit code the gate's."""

from __future__ import annotations

import io

import pytest

from gatekeeper.github.api import open_client
from gatekeeper.github.tagcleanup import delete_failed_tag
from gatekeeper.phases.tags import TagGate
from tests.fakegithub.fixture import actions_fixture, fake_github_fixture  # noqa: F401
from tests.fakegithub.runner import PHASE_TAG_PUSH, TAG_SHA, Actions
from tests.fakegithub.server import FakeGitHub

DELETE = r"/git/refs/tags/phase/one$"
ELSEWHERE = "4" * 40


@pytest.fixture(autouse=True)
def _pushed(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")
    fake_github.add_commit(TAG_SHA)
    fake_github.add_commit(ELSEWHERE)
    fake_github.add_tag("phase/one", TAG_SHA)  # pushed by hand: the push started the run


def test_a_failing_gate_deletes_the_pushed_tag(actions: Actions, fake_github: FakeGitHub) -> None:
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", failing=1)
    assert run.code == 1
    assert len(fake_github.calls("DELETE", DELETE)) == 1
    assert fake_github.tag_refs() == {}
    assert f"deleted the tag phase/one: its gate failed on {TAG_SHA[:12]} (exit 1)" in run.err
    assert fake_github.check_runs(TAG_SHA)[0]["conclusion"] == "failure"  # reported as before


def test_a_passing_gate_never_deletes(actions: Actions, fake_github: FakeGitHub) -> None:
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", failing=0)
    assert run.code == 0
    assert fake_github.calls("DELETE") == []
    assert "refs/tags/phase/one" in fake_github.tag_refs()
    assert "the tag phase/one is kept: its gate passed" in run.err


def test_without_the_flag_a_failed_tag_stays(actions: Actions, fake_github: FakeGitHub) -> None:
    run = actions.run(PHASE_TAG_PUSH, failing=1)
    assert run.code == 1
    assert fake_github.calls("DELETE") == []
    assert "refs/tags/phase/one" in fake_github.tag_refs()
    assert "git push --delete origin phase/one" in run.err  # the verdict says how


def test_a_refused_deletion_is_loud_and_keeps_the_gate_s_exit_code(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    docs = "https://docs.github.com/rest/git/refs#delete-a-reference"
    refusal = {"message": "Resource not accessible by integration", "documentation_url": docs}
    fake_github.fail("DELETE", DELETE, 403, times=None, body=refusal)
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", failing=1)
    assert run.code == 1  # the gate's: not 4, not 0
    assert len(fake_github.calls("DELETE", DELETE)) == 1  # a permission 403 is not retried
    assert "refs/tags/phase/one" in fake_github.tag_refs()
    title = "::error title=gatekeeper%3A phase tag not deleted::"
    assert f"{title}the phase tag phase/one failed its gate (exit 1) but could NOT be deleted " \
           "(HTTP 403)" in run.err  # fmt: skip
    assert "Resource not accessible by integration" in run.err
    assert "permissions: contents: write" in run.err and "ruleset" in run.err


def test_dry_run_says_what_it_would_delete_and_sends_nothing(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", "--dry-run", failing=1)
    assert run.code == 1
    assert fake_github.requests == []
    url = f"{fake_github.url}/repos/Codertocat/Hello-World/git/refs/tags/phase/one"
    assert f"dry run: would DELETE {url} (its gate failed, exit 1)" in run.err


def test_a_tag_moved_since_the_push_is_left_alone(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    del fake_github.store.refs["refs/tags/phase/one"]
    fake_github.add_tag("phase/one", ELSEWHERE)  # deleted and pushed again, elsewhere
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", failing=1)
    assert run.code == 1
    assert fake_github.calls("DELETE") == []
    assert "no longer points at 6113728f27ae" in run.err


def test_a_tag_already_gone_is_said(actions: Actions, fake_github: FakeGitHub) -> None:
    del fake_github.store.refs["refs/tags/phase/one"]
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", failing=1)
    assert run.code == 1 and fake_github.calls("DELETE") == []
    assert "the tag phase/one is already gone" in run.err


def test_a_deletion_whose_answer_was_lost_is_not_sent_twice(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    fake_github.fail("DELETE", DELETE, 502, after=True)  # done, then the gateway times out
    run = actions.run(PHASE_TAG_PUSH, "--delete-failed-tag", failing=1)
    assert run.code == 1
    assert len(fake_github.calls("DELETE", DELETE)) == 1  # the retry looked first
    assert fake_github.tag_refs() == {}
    assert "deleted the tag phase/one" in run.err


@pytest.mark.parametrize(
    ("gate", "code", "environ", "said"),
    [
        (TagGate("one", "phase/one", "GITHUB_REF"), 0, {}, "is kept: its gate passed"),
        (TagGate("one", "phase/one", "--phase-from-tag"), 1, {}, "comes from --phase-from-tag"),
        (TagGate("one", "phase/one", "GITHUB_REF"), 1, {"GITHUB_REPOSITORY": "o/r"},
         "needs GitHub Actions (GITHUB_ACTIONS=true, GITHUB_TOKEN not set)"),
        (TagGate("one", "phase/one", "GITHUB_REF"), 3,
         {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": "t"}, "(GITHUB_REPOSITORY not set)"),
    ],
)  # fmt: skip
def test_why_nothing_was_deleted(
    gate: TagGate, code: int, environ: dict[str, str], said: str
) -> None:
    err = io.StringIO()
    # the run's client, as check builds it; no API at all: none is called
    delete_failed_tag(gate, code, open_client(environ), False, err)
    assert said in err.getvalue() and "deleted the tag" not in err.getvalue()
