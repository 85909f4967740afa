"""Static-analysis findings through evidence bundles: a SARIF artifact judged from a bundle is
judged as from its files — collected here or on another machine, in one shard or several,
as the evidence or as the baseline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gatekeeper.bundles import (
    ArtifactRecord,
    Bundle,
    BundleError,
    FileEvidence,
    RunIdentity,
    Shard,
)
from gatekeeper.bundles.codec import dumps, loads, read_bundle
from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import Analysis, Finding, ParsedFile
from tests.bundle_suite import SHA, Flaw, check_report, sarif, write_project

FIXTURES = Path(__file__).resolve().parent / "parsers" / "fixtures" / "sarif"
RUFF_ROOT = "file:///tmp/sarifpkg/"
"""Where ruff ran when the fixture was made: its results' URIs are absolute, under it."""
TODAY = "2026-12-03"

MATRIX = """\
version: 1
project: Lint
current: one
phases:
  - {id: one, name: One}
artifacts:
  lint: {format: sarif, paths: "**/reports/*.sarif"}
  lint-main: {format: sarif, paths: "**/baseline/*.sarif"}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: Clean enough
        benchmarks:
          - {id: no-errors-in-ingress, findings: {from: lint, level: error, file: "src/ingress/**", max: 0}}
          - {id: ruff-in-tools, findings: {from: lint, tool: ruff, file: "src/tools.py", max: 2}}
          - {id: bandit-warnings, findings: {from: lint, tool: Bandit, level: warning, max: 5}}
          - {id: no-semgrep, findings: {from: lint, tool: semgrep, max: 0}}
          - id: no-new
            findings: {from: lint}
            baseline: {from: lint-main, max_new: 0}
          - id: few-new-bandit
            findings: {from: lint, tool: Bandit}
            baseline: {from: lint-main, max_new: 1}
"""  # noqa: E501


def _ruff_at(root: Path) -> str:
    """The ruff fixture as if ruff had run in ``root``: absolute paths under it."""
    text = (FIXTURES / "ruff.sarif").read_text(encoding="utf-8")
    return text.replace(RUFF_ROOT, root.absolute().as_uri() + "/")


def _tree(root: Path) -> Path:
    """A project whose lint job wrote ruff's (absolute paths) and Bandit's (relative paths)
    SARIF, and whose base branch's Bandit SARIF is the baseline."""
    (root / "reports").mkdir(parents=True)
    (root / "baseline").mkdir()
    for name in ("src/tools.py", "src/ingress/run.py"):  # the files the analysers read
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x = 1\n", encoding="utf-8")
    (root / "reports" / "ruff.sarif").write_text(_ruff_at(root), encoding="utf-8")
    shutil.copy(FIXTURES / "bandit.sarif", root / "reports" / "bandit.sarif")
    base = json.loads((FIXTURES / "bandit.sarif").read_text(encoding="utf-8"))
    del base["runs"][0]["results"][1]  # B602 is new on the branch
    (root / "baseline" / "bandit.sarif").write_text(json.dumps(base), encoding="utf-8")
    matrix = root / "gatekeeper.yml"
    matrix.write_text(MATRIX, encoding="utf-8")
    return matrix


def _report(
    capsys: pytest.CaptureFixture[str], matrix: Path, *extra: str
) -> tuple[int, str, dict[str, Any]]:
    """check's exit code, terminal report and JSON report (one run each)."""
    return check_report(capsys, matrix, *extra, today=TODAY)


def _collect(matrix: Path, out: Path, *extra: str) -> None:
    assert main(["collect", "-m", str(matrix), "--sha", SHA, "--out", str(out), *extra]) == 0


def _found(report: dict[str, Any]) -> dict[str, Any]:
    """Each benchmark's outcome and ``found`` by id."""
    return {
        b["id"]: (b["outcome"], b["found"]) for cell in report["cells"] for b in cell["benchmarks"]
    }


def test_a_sarif_artifact_judged_from_its_bundle_is_judged_as_from_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = _tree(tmp_path)
    bundle = tmp_path / "lint.json"
    _collect(matrix, bundle)
    said = capsys.readouterr().out
    assert "  lint       read     2 files, 0 tests, 0 metrics, 9 findings" in said
    assert "  lint-main  read     1 file, 0 tests, 0 metrics, 5 findings" in said
    from_files = _report(capsys, matrix)
    from_bundle = _report(capsys, matrix, "--bundle", str(bundle))
    assert from_bundle == from_files
    found = _found(from_files[2])
    assert from_files[0] == ExitCode.FAILED
    assert found["no-errors-in-ingress"][0] == "fail"
    assert found["no-errors-in-ingress"][1]["by_tool"] == {"Bandit": 1, "ruff": 1}
    assert found["ruff-in-tools"][0] == "pass"
    assert found["ruff-in-tools"][1]["by_file"] == {"src/tools.py": 2}
    assert found["bandit-warnings"][0] == "pass"
    assert found["no-semgrep"] == ("missing", None)  # no run of it: missing, bundle or not
    assert (found["no-new"][0], found["no-new"][1]["new"]) == ("fail", 4)  # ruff's 3, B602
    assert (found["few-new-bandit"][0], found["few-new-bandit"][1]["new"]) == ("pass", 1)


def test_findings_of_every_kind_travel_unchanged() -> None:
    """Every field of a finding and a run, fingerprints in order, text of any kind."""
    text = "tést \udcff \u2028 ##[error] 🙂"
    findings = (
        Finding("codeql", "py/sql-injection", "error", "src/db.py", 12, text,
                (("primary", "abc"), ("partial:line", "1:2"), ("primary", "again")),
                "cursor.execute(q)", suppressed=True, severity=8.8, source="codeql.sarif",
                placed=True),
        Finding("codeql", "", "note", "", None, "", severity=0.0, source="codeql.sarif"),
        Finding("codeql", "r", "warning", "/elsewhere/x.py", 1, "m", severity=10.0,
                source="codeql.sarif", placed=False),
    )  # fmt: skip
    analyses = (
        Analysis("codeql", "2.19.0", ("codeql: the invocation did not succeed",), True),
        Analysis("codeql", "", (), False),
    )
    parsed = ParsedFile("codeql.sarif", "sarif", findings=findings, analyses=analyses)
    record = ArtifactRecord("sarif", ("*.sarif",), (FileEvidence(parsed, "0" * 64),))
    bundle = Bundle(SHA, (Shard("one", RunIdentity(), {"lint": record}),))
    text_out = dumps(bundle)
    assert text_out.isascii()
    assert loads(text_out.encode(), "b.json") == bundle
    assert dumps(loads(text_out.encode(), "b.json")) == text_out


def test_paths_are_made_relative_where_the_analyser_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bundle built on one machine, ruff's paths absolute under its checkout, judges the
    same ``file:`` globs on another, where those paths mean nothing."""
    ci, laptop = tmp_path / "runner" / "work", tmp_path / "laptop" / "repo"
    matrix = _tree(ci)
    bundle = tmp_path / "lint.json"
    _collect(matrix, bundle)
    files = read_bundle(bundle).shards[0].artifacts["lint"].files
    assert {f.file for x in files for f in x.parsed.findings} == {
        "src/ingress/run.py", "src/tools.py",
    }  # fmt: skip
    in_ci = _report(capsys, matrix)

    shutil.copytree(ci, laptop)  # the same files, ruff's paths still under the runner's root
    elsewhere = laptop / "gatekeeper.yml"
    from_bundle = _report(capsys, elsewhere, "--bundle", str(bundle))
    assert (from_bundle[0], _found(from_bundle[2])) == (in_ci[0], _found(in_ci[2]))
    # ruff's absolute paths lie outside the laptop's checkout: reading them there cannot
    # place them under a file glob, which is why collect makes them relative where they are
    on_laptop = _found(_report(capsys, elsewhere)[2])
    assert on_laptop["no-errors-in-ingress"] == ("error", None)
    # and collected again there, from the runner's files, the bundle says the same
    _collect(elsewhere, tmp_path / "again.json")
    again = read_bundle(tmp_path / "again.json").shards[0].artifacts["lint"].files
    assert {f.file for x in again for f in x.parsed.findings} >= {str(ci / "src" / "tools.py")}


def _shard(tree: Path, name: str, flaws: tuple[Flaw, ...], baseline: bool = False) -> None:
    folder = tree / name / ("baseline" if baseline else "reports")
    folder.mkdir(parents=True)
    (folder / "lint.sarif").write_text(sarif(flaws, host=name), encoding="utf-8")


SHARD_FLAWS = {
    "api": (Flaw("R1", "error", "src/ingress/a.py", 3), Flaw("R2", "warning", "src/a.py"),
            Flaw("R1", "error", "src/ingress/b.py", 9, suppressed=True)),
    "core": (Flaw("R1", "error", "src/ingress/a.py", 3), Flaw("R3", "note", "")),
}  # fmt: skip


def test_merged_shards_count_each_file_s_findings_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    write_project(tree)  # each job's checkout, and the one tree's
    for name, flaws in SHARD_FLAWS.items():
        _shard(tree, name, flaws)
        write_project(tree / name)
    _shard(tree, "main", SHARD_FLAWS["api"][:1], baseline=True)  # the base branch's, alone
    write_project(tree / "main")
    matrix = tree / "gatekeeper.yml"
    matrix.write_text(MATRIX.replace("tool: ruff", "tool: lint"), encoding="utf-8")
    bundles = []
    for name in (*SHARD_FLAWS, "main"):
        out = tmp_path / "bundles" / f"{name}.json"
        _collect(matrix, out, "--root", str(tree / name), "--shard", name)
        bundles.append(out)
    merged = tmp_path / "merged.json"
    assert main(["merge", *map(str, bundles), "--out", str(merged)]) == 0
    from_files = _report(capsys, matrix)
    assert _report(capsys, matrix, "--bundle", str(merged)) == from_files
    args = [arg for path in bundles for arg in ("--bundle", str(path))]
    assert _report(capsys, matrix, *args) == from_files
    found = _found(from_files[2])
    ingress = found["no-errors-in-ingress"][1]
    assert (ingress["counted"], ingress["suppressed"]) == (2, 1)  # one per shard, one apart
    assert ingress["by_file"] == {"src/ingress/a.py": 2}
    assert [f["source"] for f in ingress["listed"]] == [
        "api/reports/lint.sarif",
        "core/reports/lint.sarif",
    ]
    new = found["no-new"][1]  # the baseline's one R1 finding is one of the two
    assert (new["counted"], new["new"]) == (4, 3)


def test_the_same_findings_in_two_shards_are_refused_and_a_run_that_found_nothing_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    matrix = tree / "gatekeeper.yml"
    tree.mkdir()
    matrix.write_text(MATRIX, encoding="utf-8")
    outs = {}
    for flaws, names in ((SHARD_FLAWS["api"], ("a", "b")), ((), ("c", "d"))):
        for name in names:
            folder = tree / name / "reports"
            folder.mkdir(parents=True)
            (folder / "lint.sarif").write_text(sarif(flaws, host="same"), encoding="utf-8")
            outs[name] = tmp_path / f"{name}.json"
            _collect(matrix, outs[name], "--root", str(tree / name), "--shard", name)
    capsys.readouterr()
    assert main(["merge", str(outs["a"]), str(outs["b"]), "--out", str(tmp_path / "m")]) == 2
    assert "reports/lint.sarif has the same content" in capsys.readouterr().err
    assert main(["merge", str(outs["c"]), str(outs["d"]), "--out", str(tmp_path / "m")]) == 0


# --- a hostile bundle: every refusal names the bundle and the key path --------------------


@pytest.fixture(scope="module")
def lint_bundle(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("lint")
    matrix = _tree(root)
    out = root / "lint.json"
    _collect(matrix, out)
    return out.read_text(encoding="utf-8")


def _bandit_file(data: dict[str, Any]) -> dict[str, Any]:
    (bandit,) = (
        f
        for f in data["shards"][0]["artifacts"]["lint"]["files"]
        if f["path"] == "reports/bandit.sarif"
    )
    return bandit


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(BundleError) as caught:
        loads(json.dumps(data).encode(), "b.json")
    return str(caught.value)


AT = "b.json: not a gatekeeper bundle: shards[0].artifacts.lint.files[0]"
"""reports/bandit.sarif: the first file of the artifact, by path."""


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("level", "fatal", ".findings[1].level: 'fatal' is not one of ['note', 'warning', 'er"),
        ("level", "none", ".findings[1].level: 'none' is not one of"),
        ("line", 0, ".findings[1].line: 0 is less than the minimum of 1"),
        ("line", -3, ".findings[1].line: -3 is less than the minimum of 1"),
        ("line", 2.5, ".findings[1].line: expected ['integer', 'null'], got number"),
        ("line", "8", ".findings[1].line: expected ['integer', 'null'], got string"),
        ("severity", "NaN", ".findings[1].severity: 'NaN' is not valid under any of the given"),
        ("severity", 10.5, ".findings[1].severity: 10.5 is not valid under any of the given"),
        ("severity", -1, ".findings[1].severity: -1 is not valid under any of the given"),
        ("severity", True, ".findings[1].severity: True is not valid under any of the given"),
        ("fingerprints", {"a": "b"}, ".findings[1].fingerprints: expected array, got object"),
        ("fingerprints", [["a"]], ".findings[1].fingerprints[0]: ['a'] is too short"),
        ("fingerprints", [["a", "b", "c"]], ".findings[1].fingerprints[0]: ['a', 'b', 'c'] is too"),
        ("fingerprints", [["a", 1]], ".findings[1].fingerprints[0][1]: expected string, got"),
        ("suppressed", "yes", ".findings[1].suppressed: expected boolean, got string"),
        ("message", ["x"] * 10_000, ".findings[1].message: expected string, got array"),
        ("tool", None, ".findings[1].tool: expected string, got null"),
        ("placed", "yes", ".findings[1].placed: expected ['boolean', 'null'], got string"),
        ("surprise", 1, ".findings[1]: Additional properties are not allowed ('surprise' was"),
    ],
    ids=["level", "level-none", "line-0", "line-negative", "line-fraction", "line-text",
         "severity-nan", "severity-over", "severity-negative", "severity-bool",
         "fingerprints-object", "fingerprint-short", "fingerprint-long", "fingerprint-number",
         "suppressed", "message", "tool", "placed", "extra"],
)  # fmt: skip
def test_a_finding_out_of_its_set_is_refused_by_key_path(
    lint_bundle: str, key: str, value: Any, says: str
) -> None:
    data = json.loads(lint_bundle)
    _bandit_file(data)["findings"][1][key] = value
    assert _refused(data).startswith(AT + says)


def test_an_overflowing_severity_is_refused(lint_bundle: str) -> None:
    """JSON has no NaN, but 1e400 reads as infinity."""
    text = lint_bundle.replace('"severity":null', '"severity":1e400', 1)
    with pytest.raises(BundleError, match=r"findings\[0\]\.severity: inf is not valid"):
        loads(text.encode(), "b.json")


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("failures", [1], ".analyses[0].failures[0]: expected string, got number"),
        ("failures", "boom", ".analyses[0].failures: expected array, got string"),
        ("severities", None, ".analyses[0].severities: expected boolean, got null"),
        ("version", 1.0, ".analyses[0].version: expected string, got number"),
    ],
)
def test_a_run_out_of_its_set_is_refused_by_key_path(
    lint_bundle: str, key: str, value: Any, says: str
) -> None:
    data = json.loads(lint_bundle)
    _bandit_file(data)["analyses"][0][key] = value
    assert _refused(data).startswith(AT + says)


@pytest.mark.parametrize("key", ["findings", "analyses"])
def test_a_file_without_findings_or_runs_is_refused(lint_bundle: str, key: str) -> None:
    data = json.loads(lint_bundle)
    del _bandit_file(data)[key]
    assert _refused(data).startswith(f"{AT}: '{key}' is a required property")


def test_a_finding_of_an_analyser_without_a_run_is_refused(lint_bundle: str) -> None:
    """Reading a file gives every finding its run: a bundle cannot drop the run (which would
    make the criterion's analyser look absent) and keep what it found."""
    data = json.loads(lint_bundle)
    _bandit_file(data)["analyses"] = []
    assert _refused(data) == f"{AT}.findings[0].tool: 'Bandit' has no run in the file's analyses"


def test_one_bad_finding_among_very_many_is_named_without_checking_each_slowly(
    lint_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of 30,000 findings: the plain checks pass over the good ones; jsonschema sees
    the file without them, then only the finding that does not fit."""
    data = json.loads(lint_bundle)
    bandit = _bandit_file(data)
    good = bandit["findings"][0]
    bandit["findings"] = [good] * 30_000
    assert loads(json.dumps(data).encode(), "b.json")  # all fit: taken
    bandit["findings"] = [*[good] * 12_345, {**good, "level": "fatal"}, *[good] * 17_654]
    findings_checked: list[object] = []
    real = Draft202012Validator.iter_errors

    def counting(self: Draft202012Validator, instance: object, *args: Any) -> Any:
        if isinstance(instance, dict) and "fingerprints" in instance:
            findings_checked.append(instance)
        return real(self, instance, *args)

    monkeypatch.setattr(Draft202012Validator, "iter_errors", counting)
    assert _refused(data) == (
        f"{AT}.findings[12345].level: 'fatal' is not one of ['note', 'warning', 'error']"
    )
    assert len(findings_checked) == 1  # jsonschema saw the bad finding, and no other


def test_a_finding_whose_file_was_not_in_the_checkout_stays_unplaced_in_its_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the bundle was collected, a finding's path named no file (an analyser run from
    another folder): no file glob can place it there, nor from the bundle on a machine where
    such a file happens to exist."""
    ci, laptop = tmp_path / "ci", tmp_path / "laptop"
    matrix = _tree(ci)
    (ci / "src" / "ingress" / "run.py").unlink()
    bundle = tmp_path / "lint.json"
    _collect(matrix, bundle)
    in_ci = _report(capsys, matrix)
    assert _found(in_ci[2])["ruff-in-tools"] == ("error", None)  # run.py: not placed
    shutil.copytree(ci, laptop)
    (laptop / "src" / "ingress" / "run.py").write_text("x = 1\n", encoding="utf-8")
    from_bundle = _report(capsys, laptop / "gatekeeper.yml", "--bundle", str(bundle))
    assert (from_bundle[0], _found(from_bundle[2])) == (in_ci[0], _found(in_ci[2]))
