"""`gatekeeper promote` in the Action: phase tags through the GitHub API, against the fake.

The folder holds the matrix and the evidence but is no git repository: in GitHub mode the
commit is GITHUB_SHA and every tag is read and made through the API.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub
from tests.test_cli import JUNIT_FAIL, JUNIT_PASS, MATRIX

ROOT = "1" * 40
PARENT = "2" * 40
HEAD = "3" * 40
ELSEWHERE = "4" * 40


@pytest.fixture
def github(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeGitHub:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_SHA", HEAD)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", fake_github.repository)
    monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")
    fake_github.add_commit(ROOT)
    fake_github.add_commit(PARENT, ROOT)
    fake_github.add_commit(HEAD, PARENT)
    fake_github.add_commit(ELSEWHERE, ROOT)
    (tmp_path / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    return fake_github


def _promote(folder: Path, *argv: str, junit: str = JUNIT_PASS) -> int:
    (folder / "reports").mkdir(exist_ok=True)
    (folder / "reports" / "unit.xml").write_text(junit, encoding="utf-8")
    return main(["promote", "--matrix", str(folder / "gatekeeper.yml"), *argv])


def test_a_passing_gate_makes_tag_object_ref_and_release(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _promote(tmp_path, "--message", "Stone age is over") == ExitCode.PASSED
    assert "created the annotated tag phase/one and its release" in capsys.readouterr().out
    (tag_object,) = github.store.tag_objects.values()
    assert tag_object["object"]["sha"] == HEAD
    assert tag_object["message"].startswith(f"Stone age is over\n\nThe One gate (one) passed on "
                                            f"commit {HEAD}")  # fmt: skip
    assert "Demo: One gate PASSED" in tag_object["message"]
    assert github.tag_refs()["refs/tags/phase/one"]["object"]["sha"] == tag_object["sha"]
    (release,) = github.releases()
    assert release["tag_name"] == "phase/one"
    assert "| **Core** | 🟩 met" in release["body"]
    assert f"on {HEAD} by gatekeeper" in release["body"]
    assert [r.path.rsplit("/", 2)[-2:] for r in github.writes()] == [
        ["git", "tags"], ["git", "refs"], ["Hello-World", "releases"]
    ]  # fmt: skip
    assert github.violations == []


def test_reachability_comes_from_compare(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_tag("phase/one", PARENT)  # an ancestor: the next phase is two
    assert _promote(tmp_path, "--dry-run") == ExitCode.FAILED  # two's p95 has no evidence
    assert "no tag phase/two created" in capsys.readouterr().err
    assert github.calls("GET", r"/compare/2{40}\.\.\.3{40}$")
    assert github.writes() == []
    assert github.violations == []


def test_a_tag_elsewhere_is_not_reachable(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_tag("phase/two", ELSEWHERE)  # on another branch: HEAD stands nowhere
    assert _promote(tmp_path, "--dry-run") == ExitCode.PASSED  # so the target is one
    assert github.writes() == []
    assert github.violations == []


def test_a_failing_gate_writes_nothing(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _promote(tmp_path, junit=JUNIT_FAIL) == ExitCode.FAILED
    assert "no tag phase/one created" in capsys.readouterr().err
    assert github.writes() == []
    assert github.violations == []


def test_an_existing_tag_is_refused(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_tag("phase/two", ELSEWHERE)
    assert _promote(tmp_path, "two") == ExitCode.USAGE
    assert "tag phase/two already exists and points at commit 444444444444" in (
        capsys.readouterr().err
    )
    assert github.writes() == []
    assert github.violations == []


def test_a_failed_release_reports_the_tag_it_made(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.fail("POST", r"/releases$", 500, times=None)
    assert _promote(tmp_path) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert f"the tag phase/one was created on {HEAD}, but its release was not" in err
    assert "HTTP 500" in err and "gave up after" in err
    assert "refs/tags/phase/one" in github.tag_refs()
    assert github.releases() == []
    assert github.violations == []


def test_dry_run_prints_the_three_bodies_and_sends_nothing(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _promote(tmp_path, "--dry-run") == ExitCode.PASSED
    out = capsys.readouterr().out
    for path in ("git/tags (tag object)", "git/refs (ref)", "releases (release)"):
        assert f"dry run: would POST {github.url}/repos/{github.repository}/{path}:" in out
    first = out.index("{", out.index("(tag object)"))
    body, _ = json.JSONDecoder().raw_decode(out[first:])
    assert body["object"] == HEAD and body["type"] == "commit" and body["tag"] == "phase/one"
    assert github.writes() == []
    assert github.violations == []


def test_local_keeps_git_even_in_the_action(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # no repository here: --local reaches for git, which says so, and GitHub hears nothing
    assert _promote(tmp_path, "--local") == ExitCode.USAGE
    assert "not in a git repository" in capsys.readouterr().err
    assert github.requests == []
