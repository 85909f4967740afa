"""Phases in git, on real repositories: status, promote, and a hand-pushed phase tag.

Repositories are made by `git init` in a temporary folder; identity comes from the environment
and `-c`, and the user's git configuration is shut out, so these run where git has none.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.gitrepo import Repo, make_repo
from tests.test_cli import JUNIT_FAIL, JUNIT_PASS, K6, MATRIX


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    return make_repo(tmp_path, monkeypatch)


def test_status_stands_at_the_highest_phase_tag_reachable(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = repo.git("rev-parse", "HEAD")
    repo.git("tag", "-a", "phase/one", "-m", "one")
    repo.commit("more work")
    repo.evidence()
    assert repo.run("status") == ExitCode.PASSED
    out = capsys.readouterr().out
    assert f"stands at One by its phase tags: phase/one on {first[:12]}\n" in out
    assert "working on Two: its gate does not pass yet (1 cell not met)\n" in out
    assert "Demo: Two gate FAILED" in out  # the matrix, with the next phase's gate enforced
    # a view, not a verdict: no "exit" line under a gate that says FAILED (status exits 0)
    assert "\nexit " not in out


def test_tags_of_a_branch_not_merged_into_head_do_not_count(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("tag", "-a", "phase/one", "-m", "one")
    repo.git("checkout", "--quiet", "-b", "side")
    repo.commit("side work")
    repo.git("tag", "-a", "phase/two", "-m", "two")
    repo.git("checkout", "--quiet", "main")
    repo.commit("main work")
    assert repo.run("status") == ExitCode.PASSED
    assert "working on Two" in capsys.readouterr().out
    assert repo.run("status", "--commit", "side") == ExitCode.PASSED
    assert "every phase is complete" in capsys.readouterr().out


def test_status_reports_gaps_lightweight_and_unknown_tags(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("tag", "phase/two")
    repo.git("tag", "phase/nine")
    assert repo.run("status") == ExitCode.PASSED
    captured = capsys.readouterr()
    assert "no tag of their own: One (covered: a gate includes every earlier cell)" in captured.out
    assert "lightweight (made by hand, not by `gatekeeper promote`): phase/two" in captured.out
    assert "warning: tag phase/nine fits phase_tags 'phase/{phase}' but names no" in captured.err


def test_promote_creates_an_annotated_tag_carrying_the_matrix(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    head = repo.git("rev-parse", "HEAD")
    repo.evidence()
    assert repo.run("promote", "--message", "Stone age is over") == ExitCode.PASSED
    out = capsys.readouterr().out
    assert "created the annotated tag phase/one on" in out
    assert "publish it with: git push origin phase/one\n" in out
    # what the team changes now: the matrix's current names the phase just completed
    assert out.endswith(
        "gatekeeper.yml sets current: one; set current: two when work on Two starts (check "
        "enforces the gate of current)\n"
    )
    assert repo.git("cat-file", "-t", "phase/one") == "tag"
    assert repo.git("rev-parse", "phase/one^{commit}") == head
    message = repo.git("tag", "--list", "--format=%(contents)", "phase/one")
    assert message.startswith("Stone age is over\n\nThe One gate (one) passed on commit " + head)
    assert "Demo: One gate PASSED" in message
    assert "  Core  met      pending" in message
    assert "\033[" not in message
    assert "\nexit " not in message  # the command's exit code is no part of the record


def test_promote_does_not_tag_when_the_gate_fails(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.evidence(junit=JUNIT_FAIL)
    assert repo.run("promote") == ExitCode.FAILED
    captured = capsys.readouterr()
    assert "failed: tests.test_core::test_b — assert 1 == 2" in captured.out
    assert "the One gate does not pass on" in captured.err
    assert "no tag phase/one created" in captured.err
    shutil.rmtree(repo.path / "reports")
    assert repo.run("promote") == ExitCode.NO_EVIDENCE
    assert repo.tags() == []


def test_dry_run_creates_nothing(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.evidence()
    assert repo.run("promote", "--dry-run") == ExitCode.PASSED
    out = capsys.readouterr().out
    assert "dry run: would create the annotated tag phase/one on" in out
    assert "'Demo: One phase complete'" in out
    assert repo.tags() == []


def test_promote_refuses_a_tag_that_exists(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    first = repo.git("rev-parse", "--short", "HEAD")
    repo.git("checkout", "--quiet", "-b", "side")
    repo.git("tag", "-a", "phase/one", "-m", "by hand")
    repo.git("checkout", "--quiet", "main")
    repo.commit("later")
    repo.evidence()
    assert repo.run("promote", "one") == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"tag phase/one already exists and points at commit {first} (the matrix)" in err


def test_the_next_phase_follows_the_highest_tag_and_its_gate_is_cumulative(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.evidence(junit=JUNIT_FAIL, k6=K6)
    assert repo.run("promote", "two") == ExitCode.FAILED  # One's cell blocks Two's gate
    assert "passes over One" in capsys.readouterr().err
    repo.evidence(junit=JUNIT_PASS)
    assert repo.run("promote", "two") == ExitCode.PASSED
    assert repo.tags() == ["phase/two"]
    capsys.readouterr()
    assert repo.run("promote") == ExitCode.USAGE
    assert "every phase is complete: phase/two is reachable" in capsys.readouterr().err
    assert repo.run("promote", "one") == ExitCode.USAGE
    assert "'one' is already complete on this commit" in capsys.readouterr().err


def test_promote_takes_the_phase_after_the_highest_tag(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("tag", "-a", "phase/one", "-m", "one")
    repo.commit("work on two")
    repo.evidence(k6=K6)
    assert repo.run("promote") == ExitCode.PASSED
    assert "created the annotated tag phase/two" in capsys.readouterr().out
    assert sorted(repo.tags()) == ["phase/one", "phase/two"]


def test_a_custom_pattern_and_a_dirty_tree(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    matrix = repo.path / "gatekeeper.yml"
    matrix.write_text(MATRIX + 'phase_tags: "release-{phase}-done"\n', encoding="utf-8")
    repo.evidence()
    # the matrix itself uncommitted: HEAD would be tagged by a gate it does not hold
    assert repo.run("promote") == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"{matrix}: modified, not committed: promote tags the commit HEAD" in err
    assert repo.tags() == []
    notes = repo.path / "notes.txt"
    notes.write_text("plans\n", encoding="utf-8")
    repo.git("add", "notes.txt")
    repo.commit("the pattern")
    notes.write_text("work in progress\n", encoding="utf-8")
    assert repo.run("promote") == ExitCode.PASSED  # any other change: a warning, not a refusal
    assert "has uncommitted changes" in capsys.readouterr().err
    assert repo.tags() == ["release-one-done"]
    assert repo.run("status") == ExitCode.PASSED
    assert "by its phase tags: release-one-done on" in capsys.readouterr().out


def test_a_hand_pushed_tag_on_a_failing_commit_fails_the_check(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.git("tag", "-a", "phase/two", "-m", "pushed by hand")
    repo.evidence(k6=K6.replace("230.7", "300.0"))  # One passes, Two's p95 does not
    assert repo.run("check") == ExitCode.PASSED  # current: one
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_REF", "refs/tags/phase/two")
    capsys.readouterr()
    assert repo.run("check") == ExitCode.FAILED
    captured = capsys.readouterr()
    assert "Demo: Two gate FAILED" in captured.out
    assert "tag phase/two (from GITHUB_REF) records the Two phase, but its gate did not pass" in (
        captured.err
    )
    assert repo.run("check", "--phase", "one") == ExitCode.PASSED  # --phase wins
    monkeypatch.delenv("GITHUB_REF")
    assert repo.run("check", "--phase-from-tag", "phase/two") == ExitCode.FAILED
    assert "tag phase/two (from --phase-from-tag)" in capsys.readouterr().err
    assert repo.run("check", "--phase-from-tag", "phase/one") == ExitCode.PASSED
    assert "its gate passed on this commit's evidence" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["status", "promote"])
def test_outside_a_repository_is_a_usage_error(
    repo: Repo, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    shutil.rmtree(repo.path / ".git")
    assert repo.run(command) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "not in a git repository, and phase tags are git tags" in err
    assert "Traceback" not in err


def test_without_git_or_a_commit_is_a_usage_error(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert repo.run("status", "--commit", "no-such-branch") == ExitCode.USAGE
    assert "'no-such-branch' is not a commit in the repository at" in capsys.readouterr().err
    empty = tmp_path / "empty"
    subprocess.run(["git", "init", "--quiet", str(empty)], check=True)  # no commit yet
    assert repo.run("promote", "--root", str(empty)) == ExitCode.USAGE
    assert "'HEAD' is not a commit" in capsys.readouterr().err
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))
    assert repo.run("status") == ExitCode.USAGE
    assert "git is not installed or not on PATH" in capsys.readouterr().err


def test_an_untracked_matrix_is_refused_too(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    other = repo.path / "other.yml"
    other.write_text((repo.path / "gatekeeper.yml").read_text(encoding="utf-8"), encoding="utf-8")
    repo.evidence()
    assert main(["promote", "--matrix", str(other)]) == ExitCode.USAGE
    assert f"{other}: untracked: promote tags the commit HEAD" in capsys.readouterr().err
    assert repo.tags() == []


def test_an_ignored_matrix_is_refused_too(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """git status lists no ignored file unless asked: a matrix that .gitignore matches is no
    more committed than an untracked one."""
    other = repo.path / "local.yml"
    other.write_text((repo.path / "gatekeeper.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (repo.path / ".gitignore").write_text("local.yml\n", encoding="utf-8")
    repo.git("add", ".gitignore")
    repo.commit("ignore the local matrix")
    repo.evidence()
    assert main(["promote", "--matrix", str(other)]) == ExitCode.USAGE
    assert f"{other}: ignored by git, not committed: promote tags" in capsys.readouterr().err
    assert repo.tags() == []
