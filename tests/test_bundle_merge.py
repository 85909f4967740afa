"""`gatekeeper merge` and `check --bundle` with shards: add up, keep apart, refuse doubles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.bundles.accept import bundle_evidence
from gatekeeper.bundles.codec import read_bundle
from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactState
from gatekeeper.github.context import judged_commit
from gatekeeper.matrix.load import read_matrix
from tests.bundle_suite import (
    OTHER_SHA,
    SHA,
    Case,
    Command,
    ShardFiles,
    junit,
    write_matrix,
    write_shard,
)

TODAY = "2026-11-26"
SHARDS = {
    "api": ShardFiles(
        cases=(Case("api.A", "t1", "passed"), Case("api.A", "t2", "passed")),
        commands=(Command("sort-a", (0.010, 0.020, 0.030)),),
    ),
    "core": ShardFiles(
        cases=(Case("core.B", "t3", "passed"), Case("core.B", "t4", "skipped")),
        commands=(Command("sort-a", (0.010, 0.080, 0.085)),),
    ),
    "empty": ShardFiles(),
}


def _collect(root: Path, name: str, sha: str = SHA, folder: str | None = None) -> Path:
    out = root / "bundles" / f"{name}.json"
    matrix = root / "tree" / "gatekeeper.yml"
    argv = ["collect", "-m", str(matrix), "--root", str(root / "tree" / (folder or name))]
    assert main([*argv, "--sha", sha, "--shard", name, "--out", str(out)]) == 0
    return out


@pytest.fixture
def shards(tmp_path: Path) -> dict[str, Path]:
    """The shards' files in one tree (tree/<shard>/...), and each shard's bundle."""
    write_matrix(tmp_path / "tree")
    for name, files in SHARDS.items():
        write_shard(tmp_path / "tree" / name, files, name)
    return {name: _collect(tmp_path, name) for name in SHARDS}


def _bundle_args(shards: dict[str, Path]) -> list[str]:
    return [arg for path in shards.values() for arg in ("--bundle", str(path))]


def _json_check(capsys: pytest.CaptureFixture[str], matrix: Path, *extra: str) -> dict[str, object]:
    capsys.readouterr()
    main(["check", "-m", str(matrix), "--today", TODAY, "--format", "json", *extra])
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


def test_merged_shards_judge_as_the_files_of_one_tree(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    merged = tmp_path / "merged.json"
    assert main(["merge", *map(str, shards.values()), "--out", str(merged)]) == 0
    assert capsys.readouterr().out == f"{merged}: 3 shards, 4 files, commit {SHA}\n"
    matrix = tmp_path / "tree" / "gatekeeper.yml"
    from_files = _json_check(capsys, matrix)
    assert _json_check(capsys, matrix, "--bundle", str(merged)) == from_files
    assert _json_check(capsys, matrix, *_bundle_args(shards)) == from_files


def test_tests_add_up_and_every_shard_s_series_must_pass(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = tmp_path / "tree" / "gatekeeper.yml"
    report: Any = _json_check(capsys, matrix, *_bundle_args(shards))
    results = {b["ref"]: b for c in report["cells"] for b in c["benchmarks"]}
    assert results["core/one/most-tests"]["summary"] == "3/3 tests passed, 1 skipped"
    p90 = results["core/two/sort-p90"]
    assert [(m["source"], m["ok"]) for m in p90["measurements"]] == [
        ("api/hyperfine.json", True), ("core/hyperfine.json", False),
    ]  # fmt: skip
    assert p90["outcome"] == "fail"


def test_merging_is_associative_and_order_free(tmp_path: Path, shards: dict[str, Path]) -> None:
    paths = list(map(str, shards.values()))
    first, second, third = (tmp_path / f"{n}.json" for n in ("one", "two", "three"))
    assert main(["merge", *paths, "--out", str(first)]) == 0
    assert main(["merge", paths[2], paths[0], "--out", str(second)]) == 0
    assert main(["merge", str(second), paths[1], "--out", str(third)]) == 0
    assert first.read_bytes() == third.read_bytes()


def test_the_same_shard_twice_is_refused(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    again = _collect(tmp_path, "api", folder="core")  # another job that also called itself api
    out = str(tmp_path / "m.json")
    assert main(["merge", str(shards["api"]), str(again), "--out", out]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"shard 'api' is in both {shards['api']} and {again}" in err
    assert main(["merge", str(shards["core"]), str(shards["core"]), "--out", out]) == 2
    assert not Path(out).exists()


def test_the_same_file_in_two_shards_is_refused(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "tree" / "copy").mkdir()
    for name in ("junit-0.xml", "hyperfine.json"):
        data = (tmp_path / "tree" / "api" / name).read_bytes()
        (tmp_path / "tree" / "copy" / name).write_bytes(data)
    copy = _collect(tmp_path, "copy")
    assert main(["merge", str(shards["api"]), str(copy), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert "(shard 'copy'): hyperfine.json has the same content (sha256 " in err
    assert "the same evidence would count twice" in err


def test_a_file_with_nothing_in_it_may_repeat(tmp_path: Path, shards: dict[str, Path]) -> None:
    for name in ("x", "y"):
        nothing = ShardFiles(extra={"junit-0.xml": junit((), "h")})
        write_shard(tmp_path / "tree" / name, nothing, "h")
    both = [str(_collect(tmp_path, n)) for n in ("x", "y")]
    assert main(["merge", *both, "--out", str(tmp_path / "m.json")]) == 0


def test_bundles_of_different_commits_are_refused_naming_both(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    other = _collect(tmp_path, "later", OTHER_SHA, folder="core")
    assert main(["merge", str(shards["api"]), str(other), "--out", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert f"{other} is evidence for commit {OTHER_SHA}, but {shards['api']} is for" in err


def test_check_refuses_a_bundle_of_another_commit_and_says_so(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    matrix = tmp_path / "tree" / "gatekeeper.yml"
    argv = ["check", "-m", str(matrix), "--today", TODAY, "--bundle", str(shards["api"])]
    assert main([*argv, "--sha", SHA]) == ExitCode.FAILED
    assert main([*argv, "--sha", OTHER_SHA]) == ExitCode.NO_EVIDENCE
    out = capsys.readouterr().out
    assert f"{shards['api']}: evidence for commit {SHA}, not for {OTHER_SHA} (--sha)" in out
    monkeypatch.setenv("GITHUB_SHA", OTHER_SHA)
    assert main(argv) == ExitCode.NO_EVIDENCE
    assert f"not for {OTHER_SHA} (GITHUB_SHA), the commit being judged" in capsys.readouterr().out
    assert main([*argv, "--sha", "HEAD"]) == ExitCode.USAGE


def test_a_bundle_check_cannot_read_is_no_evidence_with_the_reason(
    tmp_path: Path, shards: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"bundle_version": 1,\n "sha": ', encoding="utf-8")
    matrix = tmp_path / "tree" / "gatekeeper.yml"
    argv = ["check", "-m", str(matrix), "--today", TODAY, "--bundle", str(shards["api"])]
    assert main([*argv, "--bundle", str(broken)]) == ExitCode.NO_EVIDENCE
    out = capsys.readouterr().out
    assert f"bundles refused: {broken}:2:9: not JSON: Expecting value" in out
    assert "PASS" not in out


def test_evidence_collected_with_other_globs_is_not_taken(
    tmp_path: Path, shards: dict[str, Path]
) -> None:
    matrix_file = tmp_path / "tree" / "gatekeeper.yml"
    text = matrix_file.read_text(encoding="utf-8").replace("**/junit-*.xml", "**/unit-*.xml")
    matrix = read_matrix(write_matrix(tmp_path / "other", text), "gatekeeper.yml")
    evidence = bundle_evidence(matrix, [str(p) for p in shards.values()], SHA)
    unit = evidence["unit"]
    assert unit.state is ArtifactState.ERROR
    assert "shard 'api' collected 'unit' as format junit from **/junit-*.xml, but" in unit.errors[0]
    assert evidence["bench"].state is ArtifactState.READ


def test_in_actions_the_judged_commit_is_the_one_reports_go_to(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"merge_group": {"head_sha": SHA}}), encoding="utf-8")
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "merge_group",
               "GITHUB_EVENT_PATH": str(event), "GITHUB_SHA": OTHER_SHA}  # fmt: skip
    assert judged_commit(None, environ) == (SHA, "the merge_group head")
    assert judged_commit(OTHER_SHA.upper(), environ) == (OTHER_SHA, "--sha")
    assert judged_commit(None, {}) == (None, "no --sha and no GITHUB_SHA")


def test_a_bundle_keeps_its_shards_run(tmp_path: Path, shards: dict[str, Path]) -> None:
    merged = tmp_path / "m.json"
    assert main(["merge", *map(str, shards.values()), "--out", str(merged)]) == 0
    assert [s.name for s in read_bundle(merged).shards] == ["api", "core", "empty"]
