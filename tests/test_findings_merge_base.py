"""A findings baseline without `from`: the same SARIF artifact in the baseline evidence (the
merge base's bundle, here given with `check --baseline`), end to end through `collect` on the
base's checkout and `check` on HEAD's. New findings are counted against the bundle's; a
bundle without the artifact, or none at all, is `missing`, never a pass. (Fetching the bundle
from GitHub is the same path as a metric's: tests/test_baseline_fetch.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.test_findings import result, sarif

MATRIX = """\
version: 1
current: one
phases: [{id: one, name: One}]
artifacts:
  lint: {format: sarif, paths: ["lint.sarif"]}
swimlanes:
  - id: ingress
    name: Ingress
    cells:
      one:
        goal: no new findings against the merge base
        benchmarks:
          - id: none-new
            findings: {from: lint}
            baseline: {max_new: 0}
          - id: one-new
            findings: {from: lint}
            baseline: {max_new: 1}
"""

BASE = sarif(result("S602", line=3), result("S101", "src/tools.py", line=8))


def _checkout(folder: Path, log: str | None) -> Path:
    """A checkout with the matrix, ``log`` as lint.sarif and the files its findings name."""
    folder.mkdir()
    (folder / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    for name in ("src/ingress/run.py", "src/tools.py", "src/new.py"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).touch()
    if log is not None:
        (folder / "lint.sarif").write_text(log, encoding="utf-8")
    return folder


def _bundle(tmp_path: Path, log: str | None) -> Path:
    """What the base branch's CI collected: ``log`` as its lint.sarif, or none."""
    base = _checkout(tmp_path / "base", log)
    out = tmp_path / "base-bundle.json"
    argv = ["collect", "-m", str(base / "gatekeeper.yml"), "--sha", "ab" * 20, "--out", str(out)]
    assert main(argv) in (ExitCode.PASSED, ExitCode.NO_EVIDENCE)
    return out


def _check(
    tmp_path: Path, head: str, bundle: Path | None, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    """The exit code and the report's benchmarks by id."""
    project = _checkout(tmp_path / "head", head)
    argv = ["check", "-m", str(project / "gatekeeper.yml"), "--format", "json"]
    if bundle is not None:
        argv += ["--baseline", str(bundle)]
    capsys.readouterr()
    code = main(argv)
    report = json.loads(capsys.readouterr().out)
    return code, {b["id"]: b for c in report["cells"] for b in c["benchmarks"]}


def test_new_findings_are_counted_against_the_merge_base_s_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = sarif(result("S602", line=30), result("S101", "src/tools.py", line=8),
                 result("B1", "src/new.py"))  # fmt: skip
    code, found = _check(tmp_path, head, _bundle(tmp_path, BASE), capsys)
    assert code == ExitCode.FAILED
    assert (found["none-new"]["outcome"], found["one-new"]["outcome"]) == ("fail", "pass")
    summary = found["none-new"]["summary"]
    assert summary == "1 new finding against the baseline's 2; at most 0 allowed"
    assert [f["rule"] for f in found["none-new"]["found"]["listed"]] == ["B1"]


def test_the_same_findings_as_the_merge_base_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = sarif(result("S602", line=40), result("S101", "src/tools.py", line=8))
    code, found = _check(tmp_path, moved, _bundle(tmp_path, BASE), capsys)
    assert code == ExitCode.PASSED, found
    assert {b["outcome"] for b in found.values()} == {"pass"}


def test_no_baseline_evidence_is_missing_never_a_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found = _check(tmp_path, BASE, None, capsys)  # the very same log, but no baseline
    assert code == ExitCode.FAILED
    assert {b["outcome"] for b in found.values()} == {"missing"}
    assert "no --baseline BUNDLE given" in found["none-new"]["summary"]


def test_a_bundle_without_the_artifact_is_no_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found = _check(tmp_path, BASE, _bundle(tmp_path, None), capsys)
    assert code == ExitCode.FAILED
    assert {b["outcome"] for b in found.values()} == {"missing"}, found
    assert found["none-new"]["summary"].startswith("no baseline")
