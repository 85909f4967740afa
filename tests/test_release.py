"""The version, the changelog and the install instructions say the same thing."""

from __future__ import annotations

import re

from gatekeeper import __version__
from tests.conftest import REPO

SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


def _project() -> dict[str, str]:
    """``name`` and ``version`` of [project] (read by pattern: tomllib is Python 3.11+)."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    table = text.split("[project]\n", 1)[1].split("\n[", 1)[0]
    return dict(re.findall(r'^(name|version) = "([^"]+)"$', table, re.M))


def test_the_version_is_one_semantic_version_everywhere() -> None:
    version = _project()["version"]
    assert SEMVER.fullmatch(version)
    assert __version__ == version
    headings = re.findall(r"^## (.+)$", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0] == "Unreleased"
    released = headings[1:]
    assert all(SEMVER.fullmatch(h) for h in released), released
    numbers = [tuple(map(int, h.split("."))) for h in released]
    assert numbers == sorted(numbers, reverse=True)  # newest first, no version twice
    assert len(set(numbers)) == len(numbers)
    assert version in released or headings[0] == "Unreleased"  # the current one, or next


def test_the_readme_installs_the_distribution_that_pyproject_builds() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install\n", 1)[1].split("\n## ", 1)[0]
    name = _project()["name"]
    assert name == "gatekeeper-phase-gate"
    assert f"pipx install {name}" in install
    assert f"pip install {name}" in install
    assert f"uvx --from {name} gatekeeper" in install
    assert "git+https://github.com/gatekeeper-ci/gatekeeper" in install
    assert (REPO / "docs" / "releasing.md").is_file()
    assert (REPO / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")


def test_ci_builds_and_smoke_tests_the_wheel() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\.ci/package$", run, re.M)
    package = (REPO / ".ci" / "package").read_text(encoding="utf-8")
    assert "python -m build" in package
    assert 'pip install --quiet "${wheel[0]}"' in package
