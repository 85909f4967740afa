"""The pull request rules in GitHub Actions, against the fake GitHub: what is achieved comes
from the phase tags the API shows reachable from the judged commit, next-phase work from the
event's labels (a merge group's through the API), and the changed files mark the swimlanes
touched in the sticky comment."""

from __future__ import annotations

import dataclasses
import json
import shlex
from pathlib import Path

import pytest

from tests.fakegithub.fixture import actions_fixture, fake_github_fixture  # noqa: F401
from tests.fakegithub.runner import (
    EVENTS,
    MERGE_GROUP,
    MERGE_GROUP_SHA,
    PR_HEAD_SHA,
    PR_MERGE_SHA,
    PULL_REQUEST,
    Actions,
    Event,
)
from tests.fakegithub.server import FakeGitHub
from tests.matrices import JUNIT_REPORTS, Cell, Lane, class_tests, matrix_yaml

ROOT = "1" * 40
"""A commit before the pull request; the merge commit and the merge group descend from it."""
MATRIX = matrix_yaml(
    project="Demo",
    phases=("one", "two", "three"),
    artifacts={"unit": JUNIT_REPORTS},
    lanes=[
        Lane(
            "core",
            "Core",
            {"one": Cell("Core tests pass", (class_tests("tests.test_core"),))},
            paths=("src/core/**", "tests/test_core.py"),
        ),
        Lane(
            "edge",
            "Edge",
            {"two": Cell("Edge tests pass", (class_tests("tests.test_edge"),))},
            paths=("src/edge/**",),
        ),
    ],
)
"""No `current`: the phase tags say what is achieved. Edge has no tests yet: Two is red."""


@pytest.fixture(autouse=True)
def _history(actions: Actions, fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    (actions.root / "project" / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")
    fake_github.add_commit(ROOT)
    for sha in (PR_MERGE_SHA, MERGE_GROUP_SHA):
        fake_github.add_commit(sha, ROOT)


def _labelled(tmp_path: Path, *labels: str) -> Event:
    """The real pull_request payload, with these labels on the pull request."""
    payload = json.loads((EVENTS / PULL_REQUEST.payload).read_text(encoding="utf-8"))
    template = payload["pull_request"]["labels"] or [
        {"id": 1, "node_id": "L", "url": "", "name": "", "color": "f29513", "default": False,
         "description": None}
    ]  # fmt: skip
    payload["pull_request"]["labels"] = [
        {**template[0], "id": i + 1, "name": name} for i, name in enumerate(labels)
    ]
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return dataclasses.replace(PULL_REQUEST, payload=str(path))  # EVENTS / absolute = absolute


def _comment(github: FakeGitHub) -> str:
    (comment,) = github.store.comments.values()
    return str(comment["body"])


def _conclusion(github: FakeGitHub, sha: str) -> str:
    (run,) = [r for r in github.store.check_runs.values() if r["head_sha"] == sha]
    return str(run["conclusion"])


def test_an_achieved_phase_that_regresses_blocks_the_pull_request(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    fake_github.add_tag("phase/one", ROOT)
    run = actions.run(PULL_REQUEST, failing=1)
    assert run.code == 1
    assert _conclusion(fake_github, PR_HEAD_SHA) == "failure"
    body = _comment(fake_github)
    assert "Demo: pull request rules (no regression) FAILED" in body
    assert "| no regression | ❌ **failed** | One is achieved" in body
    assert "from the phase tags reachable from " + PR_MERGE_SHA[:12] in body
    assert fake_github.calls("GET", r"/compare/") != []  # reachability asked of the API


def test_without_a_phase_tag_nothing_can_regress(actions: Actions, fake_github: FakeGitHub) -> None:
    run = actions.run(PULL_REQUEST, failing=1)
    assert run.code == 0  # One is worked on: its red cell is progress, reported
    assert _conclusion(fake_github, PR_HEAD_SHA) == "success"
    assert "| current phase | ⚠️ not yet | One is being worked on" in _comment(fake_github)


def test_a_next_phase_label_waits_for_the_gates_before_it(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    fake_github.add_tag("phase/one", ROOT)
    assert actions.run(PULL_REQUEST, failing=0).code == 0  # One holds; Two is reported
    run = actions.run(_labelled(tmp_path, "bug", "phase:three"), failing=0)
    assert run.code == 1  # Three's work needs the Two gate, and Edge has no tests yet
    assert run.outputs["enforced-phase"] == "two"
    body = _comment(fake_github)  # the same sticky comment, edited
    assert (
        "| next-phase work | ❌ **failed** | label phase:three declares Three work: the Two "
        in body
    )
    assert "| edge/two |" in body
    # and the log says how to get this verdict locally
    matrix = str(actions.root / "project" / "gatekeeper.yml")
    command = shlex.join(["gatekeeper", "check", "--pull-request", "--matrix", matrix,
                          "--label", "phase:three"])  # fmt: skip
    assert f"gatekeeper: the same verdict on your machine: {command}\n" in run.err


def test_a_label_naming_no_phase_is_an_error_not_a_pass(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    run = actions.run(_labelled(tmp_path, "phase:tree"), failing=0)
    assert run.code == 2
    assert "label 'phase:tree' fits the next-phase label convention" in run.err
    assert fake_github.calls("POST", r"/check-runs$") == []  # nothing green was posted


def test_changed_files_mark_the_swimlanes_touched(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    fake_github.add_pull(
        2, head_ref="changes", files=["src/core/a.py", "src/core/b/c.py", "README.md"]
    )
    actions.run(PULL_REQUEST, failing=0)
    body = _comment(fake_github)
    assert "| ✏️ **Core** |" in body and "| **Edge** |" in body
    assert "✏️ touched by this pull request: Core (2) of 3 changed files; 1 outside" in body
    assert len(fake_github.calls("GET", r"/pulls/2/files")) == 1


def test_a_merge_group_reads_its_pull_request_s_labels_from_the_api(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    fake_github.add_tag("phase/one", ROOT)
    fake_github.add_pull(104, labels=["phase:three"], head_ref="edge-work")
    assert actions.run(MERGE_GROUP, failing=0).code == 1
    assert _conclusion(fake_github, MERGE_GROUP_SHA) == "failure"
    assert len(fake_github.calls("GET", r"/pulls/104$")) == 1


def test_a_merge_group_whose_pull_request_cannot_be_read_is_not_decided(
    actions: Actions, fake_github: FakeGitHub
) -> None:
    run = actions.run(MERGE_GROUP, failing=0)  # no pull request #104 on the fake: 404
    assert run.code == 2
    assert "pull request #104" in run.err
    assert fake_github.calls("POST", r"/check-runs$") == []


def test_a_branch_convention_without_a_branch_in_the_event_is_not_decided(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    matrix = tmp_path / "project" / "gatekeeper.yml"
    conventions = "pull_requests: {next_phase: {branch: 'phase/{phase}/'}}\n"
    matrix.write_text(MATRIX + conventions, encoding="utf-8")
    payload = json.loads((EVENTS / PULL_REQUEST.payload).read_text(encoding="utf-8"))
    del payload["pull_request"]["head"]["ref"]
    (tmp_path / "event.json").write_text(json.dumps(payload), encoding="utf-8")
    run = actions.run(dataclasses.replace(PULL_REQUEST, payload=str(tmp_path / "event.json")))
    assert run.code == 2
    assert "declares next-phase work by branch ('phase/{phase}/')" in run.err
