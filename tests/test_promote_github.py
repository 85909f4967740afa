"""`gatekeeper promote` in the Action: phase tags through the GitHub API, against the fake.

The folder holds the matrix and the evidence but is no git repository: in GitHub mode the
commit is GITHUB_SHA and every tag is read and made through the API.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.github.tags import GitHubTags
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.runner import parse_outputs
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


def _write_paths(github: FakeGitHub) -> list[str]:
    return [r.path.rsplit("/", 1)[-1] for r in github.writes()]


def test_a_lost_answer_on_the_ref_is_looked_for_not_repeated(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fault = github.lose_answer("POST", r"/git/refs$")
    assert _promote(tmp_path) == ExitCode.PASSED
    assert "created the annotated tag phase/one and its release" in capsys.readouterr().out
    assert fault.hits == 1
    (tag_object,) = github.store.tag_objects.values()
    assert github.tag_refs()["refs/tags/phase/one"]["object"]["sha"] == tag_object["sha"]
    assert [r["tag_name"] for r in github.releases()] == ["phase/one"]
    assert _write_paths(github) == ["tags", "refs", "releases"]  # the ref was never repeated
    assert github.violations == []


def test_a_lost_answer_on_the_release_is_looked_for_not_repeated(
    github: FakeGitHub, tmp_path: Path
) -> None:
    fault = github.lose_answer("POST", r"/releases$")
    assert _promote(tmp_path) == ExitCode.PASSED
    assert fault.hits == 1
    assert list(github.tag_refs()) == ["refs/tags/phase/one"]
    assert [r["tag_name"] for r in github.releases()] == ["phase/one"]
    assert _write_paths(github) == ["tags", "refs", "releases"]
    assert github.violations == []


def test_lost_answers_on_every_try_of_the_release_still_make_one(
    github: FakeGitHub, tmp_path: Path
) -> None:
    github.lose_answer("POST", r"/releases$", times=None)  # the last try's answer too
    assert _promote(tmp_path) == ExitCode.PASSED
    assert [r["tag_name"] for r in github.releases()] == ["phase/one"]
    assert _write_paths(github) == ["tags", "refs", "releases"]


@pytest.mark.parametrize("argv", [(), ("one",)])
def test_a_rerun_completes_a_tag_left_without_its_release(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    github.add_tag("phase/one", HEAD)  # a run that made the ref, then lost the release
    assert _promote(tmp_path, *argv) == ExitCode.PASSED
    captured = capsys.readouterr()
    assert "tag phase/one is on this commit without its release" in captured.err
    assert "created the release of the existing tag phase/one" in captured.out
    (release,) = github.releases()
    assert release["tag_name"] == "phase/one" and "| **Core** | 🟩 met" in release["body"]
    assert _write_paths(github) == ["releases"]
    assert github.violations == []


def test_a_rerun_does_not_release_on_a_failing_gate(github: FakeGitHub, tmp_path: Path) -> None:
    github.add_tag("phase/one", HEAD)
    assert _promote(tmp_path, "one", junit=JUNIT_FAIL) == ExitCode.FAILED
    assert github.writes() == []


def test_a_tag_with_its_release_is_still_refused(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _promote(tmp_path) == ExitCode.PASSED
    assert _promote(tmp_path, "one") == ExitCode.USAGE
    assert "tag phase/one already exists and points at this commit" in capsys.readouterr().err
    assert len(github.releases()) == 1


def test_a_ref_made_meanwhile_on_another_commit_is_refused(github: FakeGitHub) -> None:
    # another run tagged another commit between promote's look and its POST git/refs
    store = GitHubTags.from_env(os.environ)
    github.add_tag("phase/one", ELSEWHERE)
    with pytest.raises(UsageError) as refused:
        store.publish("phase/one", HEAD, "message", "notes")
    assert refused.value.exit_code == ExitCode.USAGE
    assert "tag phase/one already exists and points at commit 444444444444" in str(refused.value)
    assert github.releases() == []


# --- step outputs: what a workflow's next step reads --------------------------------------


@pytest.mark.parametrize(
    ("argv", "junit", "code", "outputs"),
    [
        ((), JUNIT_PASS, ExitCode.PASSED, {"verdict": "passed", "tag": "phase/one"}),
        (("--dry-run",), JUNIT_PASS, ExitCode.PASSED, {"verdict": "passed", "tag": ""}),
        ((), JUNIT_FAIL, ExitCode.FAILED, {"verdict": "failed", "tag": ""}),
    ],
    ids=["made", "dry-run", "failing"],
)
def test_the_step_outputs_say_the_verdict_and_the_tag_made(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...], junit: str, code: ExitCode, outputs: dict[str, str],
) -> None:  # fmt: skip
    output = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert _promote(tmp_path, *argv, junit=junit) == code
    assert parse_outputs(output.read_text(encoding="utf-8")) == outputs
    assert len(github.tag_refs()) == (1 if outputs["tag"] else 0)


def test_a_rerun_that_completes_the_release_outputs_its_tag(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    github.add_tag("phase/one", HEAD)  # made by a promotion cut short before its release
    output = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert _promote(tmp_path) == ExitCode.PASSED
    assert parse_outputs(output.read_text(encoding="utf-8")) == {
        "verdict": "passed", "tag": "phase/one"
    }  # fmt: skip
    assert len(github.releases()) == 1


def test_a_refusal_outputs_nothing(
    github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    assert _promote(tmp_path, "nonesuch") == ExitCode.USAGE
    assert not output.exists()
