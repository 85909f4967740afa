"""Attacks on the findings gate (issue 14): SARIF that a real analyser may write, a matrix a
tired user may write, or content a pull request controls, that made (or must never make) a
`findings` benchmark pass when it must not, or crash or hang gatekeeper.

Each test holds a fix: in gatekeeper/findings.py or gatekeeper/engine/findings.py, in the SARIF
parser (gatekeeper/parsers/analysis/) or in the matrix rules (gatekeeper/matrix/rules.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import Finding
from gatekeeper.findings import is_outside, new_findings
from tests.matrices import Cell, Lane, matrix_yaml
from tests.test_findings import judge as findings_judge
from tests.test_findings import outcomes, result, sarif

IN_INGRESS = "{id: ing, findings: {from: lint, file: 'src/ingress/**', max: 0}}"
NO_NEW = "{id: new, findings: {from: lint}, baseline: {from: main, max_new: 0}}"
ERRORS = "{id: err, findings: {from: lint, level: error, max: 0}}"
HIGH = "{id: high, findings: {from: lint, severity: high, max: 0}}"


def judge(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    benchmarks: list[str],
    head: str,
    base: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """``test_findings.judge`` in a checkout that holds only the files a test puts there
    (``touch``): whether a finding's file is in the project is part of what is attacked."""
    return findings_judge(tmp_path, capsys, benchmarks, head, base, touch=False)


def touch(root: Path, *files: str) -> None:
    """The checkout's files, so that a check that looks for a finding's file finds it."""
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).touch()


def log(*results: dict[str, Any], tool: str = "lint", **run: Any) -> str:
    """A SARIF log of one run with ``run``'s keys as given (``tool`` replaces the driver)."""
    document = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": tool}}, "results": list(results), **run}],
    }
    return json.dumps(document)


# Paths: a finding must be placed where the file system has it, or reported as unplaceable.


@pytest.mark.parametrize(
    "uri",
    [
        "src/lib/../ingress/run.py",
        "src/./ingress/run.py",
        "src//ingress/run.py",
        "./src/ingress/run.py",
    ],
)
def test_a_path_with_dot_or_empty_segments_is_where_the_file_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], uri: str
) -> None:
    """Was a false pass: the finding was left out of ``src/ingress/**``."""
    touch(tmp_path, "src/ingress/run.py")
    code, found = judge(tmp_path, capsys, [IN_INGRESS], sarif(result("S602", uri)))
    assert outcomes(found) == ["fail"] and code == ExitCode.FAILED
    assert found[0]["details"] == ["finding: error S602 src/ingress/run.py:3 — S602 found"]


def test_a_file_name_that_decodes_to_dot_dots_still_counts_in_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name is the pull request's to choose: ``src/ingress/a%2F..%2F..%2Fdocs.py``,
    written into a URI without percent-encoding (as many SARIF writers do), is read as
    ``src/ingress/a/../../docs.py``. Resolving the ``..`` alone walks the finding out of
    ``src/ingress`` to ``src/docs.py``, a file that exists, and the gate passes; fitting the
    glob as written or as resolved counts it. (Main's collect.rooted resolves the path before
    selection, so this test fails there until it keeps the written path too.)"""
    touch(tmp_path, "src/ingress/a%2F..%2F..%2Fdocs.py", "src/docs.py")
    head = sarif(result("S602", "src/ingress/a%2F..%2F..%2Fdocs.py"))
    _, found = judge(tmp_path, capsys, [IN_INGRESS], head)
    assert outcomes(found) == ["fail"]


@pytest.mark.parametrize("uri", ["../src/ingress/run.py", "src/../../ingress/run.py", ".."])
def test_a_relative_path_that_climbs_out_of_the_root_is_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], uri: str
) -> None:
    """Was a false pass: an analyser run in a sub-folder writes ``../src/…``; the finding was
    silently out of every file glob instead of an error like an absolute path elsewhere."""
    code, found = judge(tmp_path, capsys, [IN_INGRESS], sarif(result("S602", uri)))
    assert outcomes(found) == ["error"] and code == ExitCode.FAILED
    assert "1 finding (" in found[0]["summary"]
    assert "cannot be placed under src/ingress/**" in found[0]["summary"]
    assert is_outside(uri)


@pytest.mark.parametrize(
    "locations",
    [
        [{"logicalLocations": [{"fullyQualifiedName": "ingress.run.handler"}]}],
        [{"physicalLocation": {"address": {"absoluteAddress": 4096}}}],
        [],
    ],
)
def test_a_finding_with_no_file_under_a_file_glob_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], locations: list[dict[str, Any]]
) -> None:
    """Was a false pass: a finding with no file cannot be said to lie outside ``ingress/**``
    any more than one with a path outside the project."""
    found_at = result("S602", None, locations=locations)
    code, found = judge(tmp_path, capsys, [IN_INGRESS, ERRORS], sarif(found_at))
    assert outcomes(found) == ["error", "fail"] and code == ExitCode.FAILED
    assert found[0]["summary"] == (
        "no location: 1 finding (S602, from lint.sarif) cannot be placed under src/ingress/**: "
        "the analyser gave no file for it (select without `file` to count it)"
    )


LOW = {"properties": {"security-severity": "3.0"}}


def test_severity_over_an_analyser_that_gives_none_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was a false pass: CodeQL gives security-severities, Semgrep none; `severity: high`
    over both left Semgrep's error out ("0 findings") because one analyser gave some."""
    codeql = {
        "tool": {"driver": {"name": "CodeQL", "rules": [{"id": "py/x", **LOW}]}},
        "results": [result("py/x")],
    }
    semgrep = {"tool": {"driver": {"name": "semgrep"}}, "results": [result("sqli")]}
    head = json.dumps({"version": "2.1.0", "runs": [codeql, semgrep]})
    clean = json.dumps({"version": "2.1.0", "runs": [codeql, {**semgrep, "results": []}]})
    benchmarks = [HIGH, "{id: codeql, findings: {from: lint, tool: CodeQL, severity: high}}"]
    code, found = judge(tmp_path, capsys, benchmarks, head)
    assert outcomes(found) == ["error", "pass"] and code == ExitCode.FAILED
    assert found[0]["summary"] == (
        "severity: high asks for a security-severity, and semgrep gives none in lint.sarif "
        "(1 finding selected but for severity): judge those by level in a benchmark of their "
        "own, and name the analysers that give one with tool (CodeQL)"
    )
    _, found = judge(tmp_path, capsys, benchmarks, clean)  # nothing of semgrep's is left out
    assert outcomes(found) == ["pass", "pass"]


def test_a_log_of_many_runs_makes_a_short_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was a 220 kB summary (every one of 20,000 analysers' names), bound for a pull request
    comment and a check run that have a size limit."""
    runs = [{"tool": {"driver": {"name": f"t{i:05}"}}, "results": []} for i in range(20_000)]
    head = json.dumps({"version": "2.1.0", "runs": runs})
    _, found = judge(tmp_path, capsys, ["{id: x, findings: {from: lint, tool: ruff}}"], head)
    assert outcomes(found) == ["missing"]
    assert found[0]["summary"] == (
        "no run of ruff in lint.sarif (it has runs of t00000, t00001, t00002, t00003, t00004 "
        "and 19,995 more)"
    )


# New findings: what the baseline has must not hide what the head adds.


def finding(rule: str, file: str, hash_: str, level: str = "error") -> Finding:
    prints = (("partial:primaryLocationLineHash", hash_),)
    return Finding("CodeQL", rule, level, file, 3, f"{rule} here", fingerprints=prints)


def test_a_partial_fingerprint_is_compared_with_its_rule_and_file() -> None:
    """Was a false pass: CodeQL's primaryLocationLineHash hashes the line's text only, so a
    new rule on a line the baseline flagged for another rule, or the same line in another
    file, matched the baseline's finding and was not new."""
    base = [finding("py/unused-import", "src/a.py", "9f2c:1", "note")]
    assert len(new_findings([finding("py/sql-injection", "src/a.py", "9f2c:1")], base).new) == 1
    moved = [finding("py/unused-import", "src/ingress/b.py", "9f2c:1", "note")]
    assert len(new_findings(moved, base).new) == 1
    assert new_findings([finding("py/unused-import", "src/a.py", "9f2c:1")], base).new == ()


def test_a_column_fingerprint_alone_does_not_make_every_finding_old() -> None:
    """Was a false pass at its worst: a log whose only shared fingerprint is CodeQL's
    primaryLocationStartColumnFingerprint (the column) made every head finding at column 4
    the "same" as any baseline finding at column 4, whatever its rule and file."""
    prints = (("partial:primaryLocationStartColumnFingerprint", "4"),)
    base = [Finding("CodeQL", "py/unused", "note", "src/a.py", 1, "m", fingerprints=prints)]
    head = [Finding("CodeQL", "py/sqli", "error", "src/ingress/b.py", 9, "m", fingerprints=prints)]
    compared = new_findings(head, base)
    assert compared.new == tuple(head)
    assert compared.methods == (
        "CodeQL: by rule, file and fingerprint partial:primaryLocationStartColumnFingerprint",
    )


def test_a_full_fingerprint_is_compared_with_its_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = sarif(result("R1", level="note", fingerprints={"id/v1": "same"}))
    head = sarif(result("R2", fingerprints={"id/v1": "same"}))
    _, found = judge(tmp_path, capsys, [NO_NEW], head, base)
    assert outcomes(found) == ["fail"]
    assert found[0]["summary"] == "1 new finding against the baseline's 1; at most 0 allowed"


def test_a_finding_suppressed_in_the_baseline_is_new_once_it_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was a false pass ("0 new findings against the baseline's 0" with one counted): the
    pull request removes a ``# noqa``; the finding now counts, and nothing counted before."""
    base = sarif(result("S602", suppressions=[{"kind": "inSource"}]))
    _, found = judge(tmp_path, capsys, [NO_NEW], sarif(result("S602")), base)
    assert outcomes(found) == ["fail"]
    assert found[0]["summary"] == "1 new finding against the baseline's 0; at most 0 allowed"


# The parser (another workstream): repros of SARIF spellings that hide a finding.


def test_a_rule_described_only_in_an_extension_is_found_by_its_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = {"id": "R1", "defaultConfiguration": {"level": "error"}}
    rule["properties"] = {"security-severity": "9.0"}
    extensions = [{"name": "pack", "rules": [rule]}]
    document = json.loads(log({"ruleId": "R1", "message": {"text": "m"}}))
    document["runs"][0]["tool"]["extensions"] = extensions
    _, found = judge(tmp_path, capsys, [ERRORS, HIGH], json.dumps(document))
    assert outcomes(found) == ["fail", "fail"]


def in_pack(reference: dict[str, Any]) -> str:
    """A run whose driver describes R0 (a note) and whose extension "pack" describes R1 (an
    error of security-severity 9), with one result that refers to R1 by ``reference``."""
    rule = {"id": "R1", "defaultConfiguration": {"level": "error"}}
    rule["properties"] = {"security-severity": "9.0"}
    pack = {"name": "pack", "guid": "11111111-2222-3333-4444-555555555555", "rules": [rule]}
    document = json.loads(log({"ruleId": "R1", "rule": reference, "message": {"text": "m"}}))
    document["runs"][0]["tool"]["driver"]["rules"] = [
        {"id": "R0", "defaultConfiguration": {"level": "note"}}
    ]
    document["runs"][0]["tool"]["extensions"] = [pack]
    return json.dumps(document)


@pytest.mark.parametrize(
    "component", [{"name": "pack"}, {"guid": "11111111-2222-3333-4444-555555555555"}]
)
def test_a_tool_component_named_by_name_or_guid_is_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], component: dict[str, str]
) -> None:
    head = in_pack({"id": "R1", "index": 0, "toolComponent": component})
    _, found = judge(tmp_path, capsys, [ERRORS, HIGH], head)
    assert outcomes(found) == ["fail", "fail"]


def test_a_hierarchical_rule_id_finds_its_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = {"id": "R1", "defaultConfiguration": {"level": "error"}}
    rule["properties"] = {"security-severity": "9.0"}
    document = json.loads(log({"ruleId": "R1/sub", "message": {"text": "m"}}))
    document["runs"][0]["tool"]["driver"]["rules"] = [rule]
    _, found = judge(tmp_path, capsys, [ERRORS, HIGH], json.dumps(document))
    assert outcomes(found) == ["fail", "fail"]


def test_a_rule_index_that_contradicts_the_rule_id_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = [{"id": "R0"}, {"id": "R1", "defaultConfiguration": {"level": "error"}}]
    document = json.loads(log({"ruleId": "R1", "ruleIndex": 0, "message": {"text": "m"}}))
    document["runs"][0]["tool"]["driver"]["rules"] = rules
    code, found = judge(tmp_path, capsys, [ERRORS], json.dumps(document))
    assert code == ExitCode.NO_EVIDENCE or outcomes(found) != ["pass"]


def test_a_rule_configuration_override_sets_the_default_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    override = {"descriptor": {"id": "R1", "index": 0}, "configuration": {"level": "error"}}
    invocation = {"executionSuccessful": True, "ruleConfigurationOverrides": [override]}
    head = log(
        {"ruleId": "R1", "ruleIndex": 0, "message": {"text": "m"}},
        tool="lint",
        invocations=[invocation],
    )
    document = json.loads(head)
    document["runs"][0]["tool"]["driver"]["rules"] = [{"id": "R1"}]
    _, found = judge(tmp_path, capsys, [ERRORS], json.dumps(document))
    assert outcomes(found) == ["fail"]


def listed(artifacts: list[dict[str, Any]], **run: Any) -> str:
    location = {"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 1}}}
    found = {"ruleId": "S602", "level": "error", "message": {"text": "m"}}
    return log({**found, "locations": [location]}, artifacts=artifacts, **run)


def test_an_artifact_by_index_keeps_its_uri_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    touch(tmp_path, "src/ingress/run.py")
    artifacts = [{"location": {"uri": "ingress/run.py", "uriBaseId": "SRC"}}]
    head = listed(artifacts, originalUriBaseIds={"SRC": {"uri": "src/"}})
    _, found = judge(tmp_path, capsys, [IN_INGRESS], head)
    assert outcomes(found) == ["fail"]


def test_an_artifact_by_index_is_under_its_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    touch(tmp_path, "src/ingress/run.py")
    artifacts = [
        {"location": {"uri": "run.py"}, "parentIndex": 1},
        {"location": {"uri": "src/ingress/"}},
    ]
    _, found = judge(tmp_path, capsys, [IN_INGRESS], listed(artifacts))
    assert outcomes(found) == ["fail"]


def test_backslashes_in_a_file_uri_are_separators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    touch(tmp_path, "src/ingress/run.py")
    head = sarif(result("S602", "file:src%5Cingress%5Crun.py"))
    _, found = judge(tmp_path, capsys, [IN_INGRESS], head)
    assert outcomes(found) == ["fail"]


def test_a_security_severity_on_the_result_counts_as_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = sarif(result("A", properties={"security-severity": "9.5"}))
    _, found = judge(tmp_path, capsys, [HIGH], head)
    assert outcomes(found) == ["fail"]


# The parser: a hostile log must be an error at most, never an internal error or a hang.


def test_a_placeholder_of_many_digits_is_no_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = {"id": "m", "arguments": ["a"]}
    document = json.loads(log({"ruleId": "R", "level": "error", "message": message}))
    strings = {"m": {"text": "x {" + "9" * 5000 + "} y"}}
    document["runs"][0]["tool"]["driver"]["rules"] = [{"id": "R", "messageStrings": strings}]
    code, _ = judge(tmp_path, capsys, [ERRORS], json.dumps(document))
    assert code in (ExitCode.FAILED, ExitCode.NO_EVIDENCE)


def test_a_negative_tool_component_is_no_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = result("S602")
    found["rule"] = {"id": "S602", "index": 0, "toolComponent": {"index": -5}}
    code, _ = judge(tmp_path, capsys, [ERRORS], sarif(found))
    assert code in (ExitCode.FAILED, ExitCode.NO_EVIDENCE)


PARSE = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    from gatekeeper.errors import EvidenceError
    from gatekeeper.parsers.analysis import sarif
    try:
        sarif.parse(Path(sys.argv[1]), "lint.sarif")
    except EvidenceError as exc:
        print(exc)
    """
)


def parses_in_time(path: Path, seconds: float) -> bool:
    """Whether the SARIF parser reads ``path`` (or refuses it) within ``seconds`` and 2 GiB,
    in a process of its own so that a hang or a memory blow-up cannot take the suite down."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", PARSE, str(path)], timeout=seconds, capture_output=True
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def test_a_message_template_cannot_blow_up(tmp_path: Path) -> None:
    document = json.loads(log({"ruleId": "R", "level": "error", "message": {"id": "m"}}))
    document["runs"][0]["results"][0]["message"]["arguments"] = ["A" * 3_000_000]
    strings = {"m": {"text": "{0}" * 1_000_000}}
    document["runs"][0]["tool"]["driver"]["rules"] = [{"id": "R", "messageStrings": strings}]
    (tmp_path / "lint.sarif").write_text(json.dumps(document), encoding="utf-8")
    assert parses_in_time(tmp_path / "lint.sarif", 60)


def test_rules_by_id_are_found_in_linear_time(tmp_path: Path) -> None:
    rules = [{"id": f"R{i}"} for i in range(200_000)]
    found = {"ruleId": "R199999", "level": "error", "message": {"text": "m"}}
    document = json.loads(log(*[found] * 5_000))
    document["runs"][0]["tool"]["driver"]["rules"] = rules
    (tmp_path / "lint.sarif").write_text(json.dumps(document), encoding="utf-8")
    assert parses_in_time(tmp_path / "lint.sarif", 10)


def test_uri_bases_resolve_in_linear_time(tmp_path: Path) -> None:
    bases: dict[str, Any] = {f"B{i}": {"uri": "d/", "uriBaseId": f"B{i + 1}"} for i in range(5_000)}
    bases["B5000"] = {"uri": "file:///w/"}
    (tmp_path / "lint.sarif").write_text(log(originalUriBaseIds=bases), encoding="utf-8")
    assert parses_in_time(tmp_path / "lint.sarif", 10)


# The matrix rules (another workstream): what a tired user writes that can only pass.


def validate(tmp_path: Path, capsys: pytest.CaptureFixture[str], bench: str) -> int:
    text = matrix_yaml(
        phases=["one"],
        artifacts={"lint": ("sarif", "lint.sarif"), "main": ("sarif", "main.sarif")},
        lanes=[Lane("ingress", "Ingress", {"one": Cell("clean", (bench,))})],
    )
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    return main(["validate", str(tmp_path / "gatekeeper.yml")])


def test_a_baseline_of_the_same_artifact_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = "{id: x, findings: {from: lint}, baseline: {from: lint, max_new: 0}}"
    assert validate(tmp_path, capsys, bench) == ExitCode.USAGE


@pytest.mark.parametrize("glob", ["src/ingress/", "/src/ingress/**"])
def test_a_file_glob_that_names_no_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], glob: str
) -> None:
    bench = f"{{id: x, findings: {{from: lint, file: '{glob}', max: 0}}}}"
    assert validate(tmp_path, capsys, bench) == ExitCode.USAGE
