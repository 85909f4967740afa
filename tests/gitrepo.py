"""A throwaway git repository for the tests of phases in git: made by `git init` in a
temporary folder, with identity from the environment and `-c`, and the user's git
configuration shut out, so the tests run where git has none."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gatekeeper.cli import main
from tests.conftest import missing_tool
from tests.test_cli import JUNIT_PASS, MATRIX

IDENTITY = ("-c", "user.name=gatekeeper tests", "-c", "user.email=tests@example.invalid")


class Repo:
    """A throwaway repository holding the test matrix; evidence is written untracked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.git("-c", "init.defaultBranch=main", "init", "--quiet")
        (path / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
        self.commit("the matrix")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *IDENTITY, "-C", str(self.path), *args],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "gatekeeper.yml")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def evidence(self, junit: str | None = JUNIT_PASS, k6: str | None = None) -> None:
        reports = self.path / "reports"
        reports.mkdir(exist_ok=True)
        for name, text in (("unit.xml", junit), ("k6.json", k6)):
            if text is not None:
                (reports / name).write_text(text, encoding="utf-8")

    def tags(self) -> list[str]:
        return self.git("tag", "--list").split()

    def run(self, command: str, *argv: str) -> int:
        return main([command, "--matrix", str(self.path / "gatekeeper.yml"), *argv])


def make_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The body of each test module's ``repo`` fixture."""
    if shutil.which("git") is None:
        missing_tool("git is not installed")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # no tag.gpgSign, no aliases
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for role in ("AUTHOR", "COMMITTER"):  # promote's own `git tag -a` needs a tagger
        monkeypatch.setenv(f"GIT_{role}_NAME", "gatekeeper tests")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "tests@example.invalid")
    folder = tmp_path / "project"
    folder.mkdir()
    return Repo(folder)
