"""Artifact globs: each real file is evidence once, symlinks cannot multiply or hang the
walk, and the walk costs one look per folder entry whatever the pattern."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from gatekeeper import findfiles
from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.findfiles import find_files
from tests.matrices import Cell, Lane, matrix_yaml

JUNIT = Path(__file__).resolve().parent / "parsers" / "fixtures" / "real" / "pytest-xunit2.xml"
"""6 tests, 1 failed, 1 errored, 2 skipped: 2 of 4 run tests pass."""

MATRIX = matrix_yaml(
    current="one",
    phases=("one",),
    artifacts={"unit": ("junit", "reports/**/*.xml")},
    lanes=[
        Lane(
            "core",
            "Core",
            {
                "one": Cell(
                    "enough tests pass",
                    ("{id: tests, tests: {from: unit, pass_rate: 40%, min: 10}}",),
                )
            },
        )
    ],
)


def _names(root: Path, *patterns: str) -> list[str]:
    found = find_files(root, patterns)
    assert found.problems == ()
    return [os.path.relpath(p, root) for p in found.files]


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    (tmp_path / "reports").mkdir()
    shutil.copyfile(JUNIT, tmp_path / "reports" / "unit.xml")
    return tmp_path


def _check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    (root / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    argv = ["check", "-m", str(root / "gatekeeper.yml"), "--dry-run", "--format", "json"]
    code = main([*argv, "--today", "2026-01-01"])
    return code, json.loads(capsys.readouterr().out)


def _benchmark(report: dict[str, object]) -> dict[str, object]:
    cells = report["cells"]
    assert isinstance(cells, list)
    found = cells[0]["benchmarks"][0]
    assert isinstance(found, dict)
    return found


def test_a_symlink_loop_reads_the_file_once_and_min_still_fails(
    reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (reports / "reports" / "again").symlink_to(".")
    assert _names(reports, "reports/**/*.xml") == ["reports/unit.xml"]
    code, report = _check(reports, capsys)
    assert code == ExitCode.FAILED
    assert "2/4 tests passed" in str(_benchmark(report)["summary"])


def test_a_symlinked_copy_and_a_hard_link_are_the_same_file(reports: Path) -> None:
    (reports / "reports" / "copy.xml").symlink_to("unit.xml")
    os.link(reports / "reports" / "unit.xml", reports / "reports" / "hard.xml")
    # the real name wins over the symlink's; of two real names (hard links), the first
    assert _names(reports, "reports/*.xml") == ["reports/hard.xml"]
    assert _names(reports, "reports/copy.xml") == ["reports/copy.xml"]
    # two patterns naming one file: still once
    assert _names(reports, "reports/copy.xml", "reports/unit.xml") == ["reports/unit.xml"]


def test_a_symlink_alone_is_read_by_its_target(reports: Path) -> None:
    (reports / "shards").mkdir()
    (reports / "shards" / "one.xml").symlink_to("../reports/unit.xml")
    assert _names(reports, "shards/*.xml") == ["shards/one.xml"]


def test_globs_do_not_enter_symlinked_folders_but_a_written_path_does(
    reports: Path, tmp_path: Path
) -> None:
    (reports / "linked").symlink_to("reports")
    assert _names(reports, "**/*.xml") == ["reports/unit.xml"]
    assert _names(reports, "*/unit.xml") == ["reports/unit.xml"]
    assert _names(reports, "linked/*.xml") == ["linked/unit.xml"]
    assert _names(reports, "linked/unit.xml") == ["linked/unit.xml"]


def test_a_symlink_out_of_the_root_is_refused(
    reports: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.xml"
    shutil.copyfile(JUNIT, outside)
    (reports / "reports" / "leak.xml").symlink_to(outside)
    found = find_files(reports, ("reports/*.xml",))
    assert [p.name for p in found.files] == ["unit.xml"]
    assert [str(p) for p in found.problems] == [
        f"reports/leak.xml: a symlink to {outside}, outside {os.path.realpath(reports)}: refused"
    ]
    code, report = _check(reports, capsys)
    assert code == ExitCode.NO_EVIDENCE  # the only artifact is unreadable
    assert "outside" in json.dumps(report)


def test_hidden_names_need_the_dot_written(reports: Path) -> None:
    for hidden in (".cache/x.xml", "reports/.partial.xml", "deep/.venv/lib/y.xml"):
        (reports / hidden).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(JUNIT, reports / hidden)
    assert _names(reports, "**/*.xml") == ["reports/unit.xml"]
    assert _names(reports, ".cache/*.xml", "reports/.*.xml") == [
        ".cache/x.xml",
        "reports/.partial.xml",
    ]
    assert _names(reports, "**/.venv/**/*.xml") == ["deep/.venv/lib/y.xml"]


def test_absolute_patterns_and_parent_folders(reports: Path) -> None:
    root = reports / "matrix-folder"
    root.mkdir()
    assert _names(root, "../reports/*.xml") == ["../reports/unit.xml"]
    found = find_files(root, (f"{reports}/reports/*.xml", f"{reports}/reports/unit.xml"))
    assert found.files == (reports / "reports" / "unit.xml",)
    assert _names(root, "./../reports/./unit.xml") == ["../reports/unit.xml"]


def test_nothing_found_is_no_file_and_no_problem(reports: Path) -> None:
    # A dangling symlink is something found: see test_find_files_not_files.py
    for pattern in ("absent/*.xml", "absent.xml", "reports/unit.xml/x", "x" * 300 + "/*.xml"):
        assert find_files(reports, (pattern,)) == findfiles.FoundFiles(())
    assert _names(reports, "reports/*.xml") == ["reports/unit.xml"]


def test_a_parent_folder_after_a_wildcard_is_refused(reports: Path) -> None:
    found = find_files(reports, ("reports/*/../unit.xml",))
    assert found.files == ()
    assert [p.message for p in found.problems] == [
        "glob 'reports/*/../unit.xml': '..' after a wildcard is not supported"
    ]


def test_an_unreadable_folder_is_a_problem(reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (reports / "reports" / "locked").mkdir()
    listing = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return listing(path)

    monkeypatch.setattr(findfiles.os, "scandir", scandir)
    found = find_files(reports, ("reports/**/*.xml",))
    assert [p.name for p in found.files] == ["unit.xml"]
    assert [str(p) for p in found.problems] == [
        "reports/locked: cannot list the folder: Permission denied"
    ]


def _tree(root: Path, depth: int, fanout: int) -> int:
    """A full tree of folders; returns how many folders it has, the root included."""
    folders = [root]
    for _ in range(depth):
        folders = [f / f"d{i}" for f in folders for i in range(fanout)]
        for folder in folders:
            folder.mkdir(parents=True)
    return sum(fanout**level for level in range(depth + 1))


def test_stacked_double_stars_walk_each_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = _tree(tmp_path / "t", depth=6, fanout=3)
    assert count == 1093  # the tree: five ``**`` took 14 s on it with glob.glob
    shutil.copyfile(JUNIT, tmp_path / "t" / "d0" / "d1" / "d2" / "unit.xml")
    listed: list[str] = []
    listing = os.scandir

    def scandir(path: Path) -> object:
        listed.append(str(path))
        return listing(path)

    monkeypatch.setattr(findfiles.os, "scandir", scandir)
    found = find_files(tmp_path, ("t/**/**/**/**/**/*.xml", "t/**/*.xml"))
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["t/d0/d1/d2/unit.xml"]
    assert len(listed) == len(set(listed)) == count


def test_a_walk_enters_only_folders_a_pattern_can_match_below(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, depth=3, fanout=3)
    listed: list[str] = []
    listing = os.scandir

    def scandir(path: Path) -> object:
        listed.append(Path(path).relative_to(tmp_path).as_posix())
        return listing(path)

    monkeypatch.setattr(findfiles.os, "scandir", scandir)
    assert find_files(tmp_path, ("d1/*/x.xml",)).files == ()
    assert sorted(listed) == ["d1", "d1/d0", "d1/d1", "d1/d2"]


def test_too_many_entries_is_an_error_naming_the_glob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path / "reports", depth=2, fanout=5)
    monkeypatch.setattr(findfiles, "MAX_ENTRIES", 20)
    found = find_files(tmp_path, ("reports/**/*.xml",))
    assert [str(p) for p in found.problems] == [
        "reports: the glob 'reports/**/*.xml' looks at more than 20 files and folders; narrow it"
    ]


def test_collect_records_what_the_search_refused(
    reports: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.xml"
    shutil.copyfile(JUNIT, outside)
    (reports / "reports" / "leak.xml").symlink_to(outside)
    (reports / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    bundle = reports / "bundle.json"
    matrix = str(reports / "gatekeeper.yml")
    assert main(["collect", "-m", matrix, "--sha", "a" * 40, "--out", str(bundle)]) == 0
    code = main(["check", "-m", matrix, "--bundle", str(bundle), "--sha", "a" * 40,
                 "--dry-run", "--format", "json", "--today", "2026-01-01"])  # fmt: skip
    assert code == ExitCode.NO_EVIDENCE
    assert "reports/leak.xml: a symlink to" in capsys.readouterr().out
