"""The cookbook (docs/recipes/) runs: each recipe's matrix, on a real artifact of its tool,
prints exactly the output the recipe shows (GATEKEEPER_REGENERATE=1 rewrites the blocks).

A recipe marks its parts for this test with HTML comments, invisible on GitHub:
``<!-- recipe:fixture SOURCE -> DEST -->`` (a file or folder of this repository, copied to
DEST beside the matrix; repeatable), ``<!-- recipe:matrix -->`` before the ```yaml block of
the matrix, and ``<!-- recipe:output exit=N -->`` before the ```text block that
``gatekeeper check --dry-run`` prints, N being the exit code it must give.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from gatekeeper.cli import main
from tests.conftest import REGENERATE, REPO

RECIPES = REPO / "docs" / "recipes"
INDEX = RECIPES / "README.md"
FAMILIES = {
    "pytest", "pytest-benchmark", "go", "maven-surefire", "dotnet-trx", "k6", "locust",
    "jmeter", "gatling", "google-benchmark", "hyperfine", "criterion", "litmus",
}  # fmt: skip
"""One recipe per tool family that issue 13 names, and issue 16's chaos drills."""

FIXTURE = re.compile(r"<!-- recipe:fixture (\S+) -> (\S+) -->")
MATRIX = re.compile(r"<!-- recipe:matrix -->\n```yaml\n(.*?)```\n", re.DOTALL)
OUTPUT = re.compile(r"(<!-- recipe:output exit=(\d) -->\n```text\n)(.*?)(```\n)", re.DOTALL)
CI_STEP = re.compile(r"```yaml\n(\s*- (?:name|run|uses):.*?)```\n", re.DOTALL)
COMMAND = ["check", "--dry-run"]
"""What each recipe's output block shows (run in the folder of its gatekeeper.yml)."""


@dataclass(frozen=True)
class Recipe:
    path: Path
    text: str

    @property
    def fixtures(self) -> list[tuple[str, str]]:
        return FIXTURE.findall(self.text)

    @property
    def matrices(self) -> list[str]:
        return MATRIX.findall(self.text)

    @property
    def outputs(self) -> list[tuple[str, str, str, str]]:
        return OUTPUT.findall(self.text)


def _recipes() -> list[Path]:
    return sorted(p for p in RECIPES.glob("*.md") if p != INDEX)


def _read(path: Path) -> Recipe:
    return Recipe(path, path.read_text(encoding="utf-8"))


def test_there_is_one_recipe_per_tool_family() -> None:
    assert {p.stem for p in _recipes()} == FAMILIES


def test_the_index_lists_every_recipe_and_the_readme_links_the_index() -> None:
    linked = re.findall(r"\]\(([\w.-]+\.md)\)", INDEX.read_text(encoding="utf-8"))
    assert sorted(linked) == sorted(p.name for p in _recipes())
    assert "(docs/recipes/README.md)" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", _recipes(), ids=lambda p: p.stem)
def test_a_recipe_has_its_parts_and_names_what_it_is_tested_on(path: Path) -> None:
    recipe = _read(path)
    assert len(recipe.matrices) == 1, "one <!-- recipe:matrix --> before a ```yaml block"
    assert len(recipe.outputs) == 1, "one <!-- recipe:output exit=N --> before a ```text block"
    assert recipe.fixtures, "at least one <!-- recipe:fixture SOURCE -> DEST -->"
    assert CI_STEP.search(recipe.text), "a ```yaml block with the CI step that makes the artifact"
    visible = re.sub(r"<!--.*?-->", "", recipe.text)
    for source, dest in recipe.fixtures:
        assert (REPO / source).exists(), source
        folder, name = source.rsplit("/", 1)
        named = f"`{source}`" in visible or (f"`{folder}/`" in visible and f"`{name}`" in visible)
        assert named, f"the recipe names the fixture it is tested on: {source}"
        assert not Path(dest).is_absolute() and ".." not in Path(dest).parts, dest


@pytest.mark.parametrize("path", _recipes(), ids=lambda p: p.stem)
def test_the_step_writes_where_the_matrix_reads(path: Path) -> None:
    """Each artifact's folder (its glob up to the first wildcard) is named outside the
    matrix: in the CI step, or where the recipe says the tool writes it."""
    recipe = _read(path)
    elsewhere = MATRIX.sub("", OUTPUT.sub("", recipe.text))
    globs = re.findall(r"paths: \"([^\"]+)\"", recipe.matrices[0])
    assert globs
    for glob in globs:
        folder = re.split(r"[*?\[]", glob, maxsplit=1)[0].rsplit("/", 1)[0]
        assert folder in elsewhere, f"{glob}: nothing outside the matrix writes to {folder}/"


@pytest.mark.parametrize("path", _recipes(), ids=lambda p: p.stem)
def test_a_recipe_prints_what_it_shows(
    path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    recipe = _read(path)
    (tmp_path / "gatekeeper.yml").write_text(recipe.matrices[0], encoding="utf-8")
    for source, dest in recipe.fixtures:
        target = tmp_path / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / source).is_dir():
            shutil.copytree(REPO / source, target)
        else:
            shutil.copyfile(REPO / source, target)
    monkeypatch.chdir(tmp_path)

    code = main(COMMAND)

    out, err = capsys.readouterr()
    assert err == ""
    (_, expected_code, expected_output, _) = recipe.outputs[0]
    assert code == int(expected_code), out
    if REGENERATE:
        path.write_text(
            OUTPUT.sub(lambda m: m.group(1) + out + m.group(4), recipe.text), encoding="utf-8"
        )
        return
    assert expected_output == out
