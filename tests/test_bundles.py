"""`gatekeeper collect` and `check --bundle`: a bundle judges exactly as its files do."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.bundles.codec import read_bundle
from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.bundle_suite import (
    SHA,
    Case,
    Command,
    ShardFiles,
    check_report,
    write_matrix,
    write_shard,
)
from tests.conftest import needs_bundled_findings

KMTA = Path(__file__).resolve().parent.parent / "examples" / "kmta"
TODAY = "2026-11-26"


def _report(
    capsys: pytest.CaptureFixture[str], matrix: Path, *extra: str
) -> tuple[int, str, dict[str, object]]:
    """check's exit code, terminal report and JSON report (one run each)."""
    return check_report(capsys, matrix, *extra, today=TODAY)


@needs_bundled_findings
def test_kmta_judged_from_its_bundle_is_judged_as_from_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = KMTA / "gatekeeper.yml"
    bundle = tmp_path / "kmta.json"
    assert main(["collect", "-m", str(matrix), "--sha", SHA, "--out", str(bundle)]) == 0
    from_files = _report(capsys, matrix)
    from_bundle = _report(capsys, matrix, "--bundle", str(bundle))
    assert from_files[0] == ExitCode.FAILED  # the README's verdict: Iron fails
    assert _unverified_why(from_bundle) == _unverified_why(from_files)


SIGNOFF = "managed-config/titanium/runbook-reviewed"


def _unverified_why(report: tuple[int, str, dict[str, Any]]) -> tuple[int, str, dict[str, Any]]:
    """The report with the example's sign-off's reason for being unverified left out: with no
    token, a check of the files says no token was there, one of the bundle that its collect
    had none. Both are `unverified` (missing); everything else is the same."""
    code, text, document = report
    text, n = re.subn(rf"({SIGNOFF}: unverified: ).*", r"\1…", text)
    assert n == 1, text
    for cell in document["cells"]:
        for bench in cell["benchmarks"]:
            if bench["ref"] == SIGNOFF:
                assert (bench["outcome"], bench["summary"][:11]) == ("missing", "unverified:")
                bench["summary"] = "…"
    return code, text, document


def test_a_bundle_is_small_and_the_same_wherever_it_was_collected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "kmta"
    shutil.copytree(KMTA, copy, ignore=shutil.ignore_patterns("suite"))
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for folder, sha, out in ((KMTA, SHA, first), (copy, SHA.upper(), second)):
        argv = ["collect", "-m", str(folder / "gatekeeper.yml"), "--sha", sha, "--out", str(out)]
        assert main(argv) == 0
    assert first.read_bytes() == second.read_bytes()
    reports = sum(p.stat().st_size for p in (KMTA / "reports").rglob("*") if p.is_file())
    assert first.stat().st_size < reports
    out = capsys.readouterr().out
    assert f"shard local, commit {SHA}" in out
    assert "  unit            read     1 file, 44 tests, 0 metrics" in out
    assert "  soak            missing  no file matches reports/k6/soak-*.json" in out


def _sharded(root: Path) -> Path:
    matrix = write_matrix(root)
    write_shard(root, ShardFiles(
        cases=(Case("api.A", "t1", "passed"), Case("api.A", "t2", "flaky"),
               Case("core.B", "t3", "failed"), Case("core.B", "t4", "skipped")),
        commands=(Command("sort-a", (0.01, 0.02, 0.07)), Command("io", (0.05, 0.09), "large"),
                  Command("noop", (0.001,) * 50)),
        broken=True,
    ), "host")  # fmt: skip
    return matrix


def test_samples_are_kept_only_where_a_threshold_needs_them(tmp_path: Path) -> None:
    matrix = _sharded(tmp_path)
    out = tmp_path / "bundle.json"
    assert main(["collect", "-m", str(matrix), "--sha", SHA, "--out", str(out)]) == 0
    (shard,) = read_bundle(out).shards
    metrics = {m.label: m for f in shard.artifacts["bench"].files for m in f.parsed.metrics}
    # sort-a: p(90) is not a statistic hyperfine writes; io{size:large}: p(99) neither;
    # noop: only mean and max are asked of it, and hyperfine writes both
    assert {label: len(m.samples) for label, m in metrics.items()} == {
        "sort-a": 3, "io{size:large}": 2, "noop": 0,
    }  # fmt: skip
    assert metrics["noop"].stats["avg"].value == pytest.approx(0.001)


def test_unreadable_files_and_missing_artifacts_travel_in_the_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _sharded(tmp_path)
    out = tmp_path / "out" / "bundle.json"
    assert main(["collect", "-m", str(matrix), "--sha", SHA, "--out", str(out)]) == 0
    raw = json.loads(out.read_text(encoding="utf-8"))
    unit = raw["shards"][0]["artifacts"]["unit"]
    assert [u["path"] for u in unit["unreadable"]] == ["junit-broken.xml"]
    assert unit["unreadable"][0]["error"]["line"] == 2
    assert raw["shards"][0]["artifacts"]["soak"] == {
        "format": "k6", "patterns": ["**/soak-*.json"], "files": [], "unreadable": [],
        "selections": [],
    }  # fmt: skip
    from_files = _report(capsys, matrix)
    assert _report(capsys, matrix, "--bundle", str(out)) == from_files
    assert "junit-broken.xml:2:" in from_files[1]


def test_the_commit_comes_from_the_github_event_then_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    matrix = _sharded(tmp_path / "repo")
    out = tmp_path / "b.json"

    def collected(*extra: str) -> str:
        assert main(["collect", "-m", str(matrix), "--out", str(out), *extra]) == 0
        return read_bundle(out).sha

    monkeypatch.setenv("GITHUB_SHA", SHA)
    assert collected() == SHA
    event = tmp_path / "event.json"
    head = "ab" * 20
    event.write_text(json.dumps({"number": 7, "pull_request": {"head": {"sha": head}}}))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    assert collected() == head  # the PR's head, not GITHUB_SHA's merge commit
    for name in ("GITHUB_SHA", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name)
    git = ["git", "-C", str(matrix.parent), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "one"], check=True)
    done = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    assert collected() == done.stdout.strip()


def test_collect_refuses_what_it_cannot_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _sharded(tmp_path)
    argv = ["collect", "-m", str(matrix), "--out", str(tmp_path / "b.json")]
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(argv) == ExitCode.USAGE  # outside git, with no --sha
    assert "give the commit the evidence is for with --sha" in capsys.readouterr().err
    assert main([*argv, "--sha", "abc123"]) == ExitCode.USAGE
    assert "expected a full commit SHA" in capsys.readouterr().err
    assert main([*argv, "--sha", SHA, "--shard", "a/b"]) == ExitCode.USAGE
    assert "--shard 'a/b': use 1 to 128 letters" in capsys.readouterr().err
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(tmp_path / "absent.json"))
    assert main(argv) == ExitCode.USAGE  # in Actions, git's HEAD would be the merge commit
    assert "cannot tell the commit this job tested" in capsys.readouterr().err
    assert not (tmp_path / "b.json").exists()


def test_the_shard_defaults_to_the_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = _sharded(tmp_path)
    out = tmp_path / "b.json"
    for name, value in {"GITHUB_JOB": "unit", "GITHUB_RUN_ID": "99", "GITHUB_RUN_ATTEMPT": "2",
                        "GITHUB_REPOSITORY": "o/r", "GITHUB_WORKFLOW": "ci"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    assert main(["collect", "-m", str(matrix), "--sha", SHA, "--out", str(out)]) == 0
    (shard,) = read_bundle(out).shards
    assert shard.name == "unit"
    assert (shard.run.run_id, shard.run.run_attempt, shard.run.repository) == ("99", "2", "o/r")
