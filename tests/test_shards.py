"""Complete shard sets (issue 14): an artifact may declare how many files a complete run
yields, one per shard; a gate over fewer is not a pass, whether the files are read here or
arrive as the shards' evidence bundles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode

SHA = "0123456789abcdef0123456789abcdef01234567"
MATRIX = """\
version: 1
phases: [{id: one, name: One}]
artifacts:
  unit: {format: junit, paths: "reports/*.xml", shards: 3}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: every shard's tests pass
        benchmarks:
          - {id: tests, tests: {from: unit, class: "tests.*"}}
"""


def junit(shard: int) -> str:
    return (
        f'<testsuite name="shard{shard}" tests="1">'
        f'<testcase classname="tests.test_{shard}" name="test_ok"/></testsuite>'
    )


def write_shards(root: Path, shards: range) -> Path:
    (root / "reports").mkdir(parents=True, exist_ok=True)
    for shard in shards:
        (root / "reports" / f"shard-{shard}.xml").write_text(junit(shard), encoding="utf-8")
    matrix = root / "gatekeeper.yml"
    matrix.write_text(MATRIX, encoding="utf-8")
    return matrix


def judged(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["check", "--format", "json", *argv])
    report = json.loads(capsys.readouterr().out)
    (benchmark,) = report["cells"][0]["benchmarks"]
    return code, benchmark


def test_all_shards_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    matrix = write_shards(tmp_path, range(1, 4))
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert (code, benchmark["outcome"], benchmark["summary"]) == (0, "pass", "3/3 tests passed")


def test_a_shard_that_did_not_report_is_not_a_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_shards(tmp_path, range(1, 3))  # the third shard's job died
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert code == ExitCode.FAILED  # two shards' evidence is here: the gate fails on it
    assert benchmark["outcome"] == "missing"
    assert benchmark["summary"].startswith("no complete evidence: 2 of 3 shards reported")


def test_more_files_than_shards_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_shards(tmp_path, range(1, 5))
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert code == ExitCode.FAILED
    assert benchmark["outcome"] == "error"
    assert "4 files, but shards: 3 declares the run's files" in benchmark["summary"]


def test_the_shards_bundles_are_counted_as_their_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = []
    for shard in range(1, 4):
        folder = tmp_path / f"job{shard}"
        matrix = write_shards(folder, range(shard, shard + 1))
        out = folder / "bundle.json"
        argv = ["collect", "--matrix", str(matrix), "--shard", f"job{shard}", "--sha", SHA]
        assert main([*argv, "--out", str(out)]) == 0
        bundles.append(str(out))
    judge = str(write_shards(tmp_path / "gate", range(0)))
    given = [arg for bundle in bundles[:2] for arg in ("--bundle", bundle)]
    code, benchmark = judged(capsys, "--matrix", judge, "--sha", SHA, *given)
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "missing")
    assert "2 of 3 shards reported" in benchmark["summary"]
    every = [arg for bundle in bundles for arg in ("--bundle", bundle)]
    code, benchmark = judged(capsys, "--matrix", judge, "--sha", SHA, *every)
    assert (code, benchmark["outcome"], benchmark["summary"]) == (0, "pass", "3/3 tests passed")


@pytest.mark.parametrize("value", ["0", "-1", "2.5", '"3"', "true"])
def test_shards_is_a_whole_number_of_one_or_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(MATRIX.replace("shards: 3", f"shards: {value}"), encoding="utf-8")
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    assert "artifacts.unit.shards" in capsys.readouterr().err


NAMED = MATRIX.replace("shards: 3", 'shards: {count: 3, name: "shard-{shard}.xml"}')


def write_named(root: Path, names: list[str], matrix: str = NAMED) -> Path:
    (root / "reports").mkdir(parents=True, exist_ok=True)
    for name in names:  # each file's own test: no two shards' files are the same evidence
        digits = "".join(c for c in name if c.isdigit())
        (root / "reports" / name).write_text(junit(int(digits or 0)), encoding="utf-8")
    path = root / "gatekeeper.yml"
    path.write_text(matrix, encoding="utf-8")
    return path


def test_named_shards_say_which_did_not_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_named(tmp_path, ["shard-1.xml", "shard-3.xml"])
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "missing")
    assert benchmark["summary"] == (
        "no complete evidence: 2 of 3 shards reported, not 2 ('unit' declares 3 shards named "
        "shard-{shard}.xml); a gate over part of a run is not a pass"
    )
    (tmp_path / "reports" / "shard-02.xml").write_text(junit(2), encoding="utf-8")
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert (code, benchmark["outcome"], benchmark["summary"]) == (0, "pass", "3/3 tests passed")


def test_a_shard_may_write_several_files_and_a_stray_file_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    declared = 'shards: {count: 2, name: "shard-{shard}/*.xml", first: 0}'
    per_folder = MATRIX.replace('"reports/*.xml", shards: 3', f'"reports/**/*.xml", {declared}')
    matrix = write_named(tmp_path, [], per_folder)
    for shard, files in ((0, 2), (1, 1)):
        folder = tmp_path / "reports" / f"shard-{shard}"
        folder.mkdir(parents=True)
        for index in range(files):
            (folder / f"unit-{index}.xml").write_text(junit(10 * shard + index), encoding="utf-8")
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert (code, benchmark["summary"]) == (0, "3/3 tests passed")
    (tmp_path / "reports" / "shard-2").mkdir()
    (tmp_path / "reports" / "shard-2" / "late.xml").write_text(junit(9), encoding="utf-8")
    (tmp_path / "reports" / "stray.xml").write_text(junit(8), encoding="utf-8")
    code, benchmark = judged(capsys, "--matrix", str(matrix))
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "error")
    assert (
        "2 files of no shard of the run ('unit' declares 2 shards named shard-{shard}/*.xml, "
        "0 to 1): reports/shard-2/late.xml, reports/stray.xml"
    ) in benchmark["summary"]


def test_named_shards_from_the_shards_bundles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A merged bundle puts each shard's files under its own folder: the name is matched
    against the end of the path, so the same declaration holds."""
    bundles = []
    for shard in (1, 2, 3):
        folder = tmp_path / f"job{shard}"
        matrix = write_named(folder, [f"shard-{shard}.xml"])
        out = folder / "bundle.json"
        argv = ["collect", "--matrix", str(matrix), "--shard", f"job{shard}", "--sha", SHA]
        assert main([*argv, "--out", str(out)]) == 0
        bundles.append(str(out))
    merged = tmp_path / "merged.json"
    assert main(["merge", *bundles, "--out", str(merged)]) == 0
    judge = str(write_named(tmp_path / "gate", []))
    code, benchmark = judged(capsys, "--matrix", judge, "--sha", SHA, "--bundle", str(merged))
    assert (code, benchmark["outcome"], benchmark["summary"]) == (0, "pass", "3/3 tests passed")
    given = [arg for bundle in bundles[1:] for arg in ("--bundle", bundle)]
    code, benchmark = judged(capsys, "--matrix", judge, "--sha", SHA, *given)
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "missing")
    assert "2 of 3 shards reported, not 1 " in benchmark["summary"]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ('{count: 3, name: "shard.xml"}', "must hold {shard} once"),
        ('{count: 3, name: "s-{shard}-{shard}.xml"}', "must hold {shard} once"),
        ('{count: 3, name: "s-[{shard}].xml"}', "no [...]"),
        ('{count: 3, name: "../s-{shard}.xml"}', "without '..'"),
        ('{count: 0, name: "s-{shard}.xml"}', "artifacts.unit.shards"),
        ('{name: "s-{shard}.xml"}', "artifacts.unit.shards"),
        ('{count: 3, name: "s-{shard}.xml", first: -1}', "artifacts.unit.shards"),
    ],
)
def test_a_shard_name_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, said: str
) -> None:
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(MATRIX.replace("shards: 3", f"shards: {value}"), encoding="utf-8")
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    assert said in capsys.readouterr().err
