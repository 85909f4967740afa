"""Findings criteria (issue 14): what a `findings:` benchmark selects, counts and calls new,
judged end to end through `gatekeeper check` on SARIF logs written here, with exit codes.

The logs are SARIF 2.1.0 as analysers write them (a driver, rules, results with a level or a
rule's default, locations, fingerprints, suppressions); each test writes the least that shows
one rule. Real analysers' output is read in tests/parsers/test_sarif_*.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.engine.findings import evaluate_findings
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Finding
from gatekeeper.findings import new_findings
from gatekeeper.model import FindingsBaseline, FindingsCriterion
from gatekeeper.results import Outcome
from tests.matrices import Cell, Lane, matrix_yaml


def result(
    rule: str,
    file: str | None = "src/ingress/run.py",
    line: int = 3,
    level: str | None = "error",
    **extra: Any,
) -> dict[str, Any]:
    """One SARIF result."""
    found: dict[str, Any] = {"ruleId": rule, "message": {"text": f"{rule} found"}, **extra}
    if level is not None:
        found["level"] = level
    if file is not None:
        region = {"startLine": line}
        found["locations"] = [
            {"physicalLocation": {"artifactLocation": {"uri": file}, "region": region}}
        ]
    return found


def sarif(*results: dict[str, Any], tool: str = "lint", **run: Any) -> str:
    rules = sorted({r["ruleId"] for r in results})
    driver = {"name": tool, "rules": [{"id": r} for r in rules], **run.pop("driver", {})}
    document = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": list(results), **run}],
    }
    return json.dumps(document)


def judge(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    benchmarks: list[str],
    head: str,
    base: str | None = None,
    touch: bool = True,
) -> tuple[int, list[dict[str, Any]]]:
    """Check ``benchmarks`` against ``head`` (lint.sarif) and ``base`` (main.sarif), in a
    checkout that has the files the findings name (unless not ``touch``)."""
    text = matrix_yaml(
        phases=["one"],
        artifacts={"lint": ("sarif", "lint.sarif"), "main": ("sarif", "main.sarif")},
        lanes=[Lane("ingress", "Ingress", {"one": Cell("clean", tuple(benchmarks))})],
    )
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    (tmp_path / "lint.sarif").write_text(head, encoding="utf-8")
    if base is not None:
        (tmp_path / "main.sarif").write_text(base, encoding="utf-8")
    for log in (head, base or '{"runs": []}') if touch else ():
        for run in json.loads(log)["runs"]:
            for found in run.get("results") or ():
                for location in found.get("locations", ()):
                    place = location.get("physicalLocation", {}).get("artifactLocation", {})
                    uri = place.get("uri")  # a location may name no file, or by index
                    if (
                        isinstance(uri, str)
                        and "://" not in uri
                        and not uri.startswith(("/", ".."))
                    ):
                        (tmp_path / uri).parent.mkdir(parents=True, exist_ok=True)
                        (tmp_path / uri).touch()
    capsys.readouterr()
    code = main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out)["cells"][0]["benchmarks"] if out.strip() else []


def outcomes(results: list[dict[str, Any]]) -> list[str]:
    return [b["outcome"] for b in results]


def test_max_counts_the_selected_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = sarif(result("S602"), result("S101", level="warning"), result("D100", level="note"))
    code, found = judge(tmp_path, capsys, [
        "{id: all, findings: {from: lint, max: 3}}",
        "{id: all-over, findings: {from: lint, max: 2}}",
        "{id: errors, findings: {from: lint, level: error, max: 1}}",
        "{id: warnings-up, findings: {from: lint, level: warning, max: 1}}",
    ], log)  # fmt: skip
    assert outcomes(found) == ["pass", "fail", "pass", "fail"]
    assert code == ExitCode.FAILED
    assert found[1]["summary"] == "3 findings (error 1, warning 1, note 1); at most 2 allowed"
    assert found[3]["found"]["by_level"] == {"error": 1, "warning": 1}
    measured = found[1]["measurements"][0]
    assert (measured["value"], measured["limit"], measured["ok"]) == (3, 2, False)


def test_no_max_means_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, found = judge(tmp_path, capsys, ["{id: none, findings: {from: lint}}"],
                        sarif(result("S602", level="note")))  # fmt: skip
    assert outcomes(found) == ["fail"] and code == ExitCode.FAILED
    code, found = judge(tmp_path, capsys, ["{id: none, findings: {from: lint}}"], sarif())
    assert outcomes(found) == ["pass"] and code == ExitCode.PASSED
    assert found[0]["summary"] == "0 findings; at most 0 allowed"


def test_level_defaults_as_sarif_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No level: the rule's default configuration, else warning; a kind other than fail with
    no level is no finding."""
    log = json.dumps({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "lint", "rules": [
            {"id": "E1", "defaultConfiguration": {"level": "error"}}, {"id": "W1"}]}},
        "results": [
            {"ruleId": "E1", "ruleIndex": 0, "message": {"text": "e"}},
            {"ruleId": "W1", "message": {"text": "w"}},
            {"ruleId": "W1", "kind": "pass", "message": {"text": "passed"}},
            {"ruleId": "W1", "kind": "informational", "message": {"text": "fyi"}},
        ]}]})  # fmt: skip
    _, found = judge(tmp_path, capsys, [
        "{id: errors, findings: {from: lint, level: error, max: 0}}",
        "{id: all, findings: {from: lint, max: 2}}",
    ], log)  # fmt: skip
    assert outcomes(found) == ["fail", "pass"]
    assert found[1]["found"]["by_level"] == {"error": 1, "warning": 1}


def test_file_rule_and_tool_globs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = sarif(result("S602", "src/ingress/run.py"), result("S602", "src/ingress/deep/x.py"),
                result("B101", "src/tools.py"), result("S307", "setup.py"))  # fmt: skip
    _, found = judge(tmp_path, capsys, [
        '{id: ingress, findings: {from: lint, file: "src/ingress/**", max: 2}}',
        '{id: ingress-top, findings: {from: lint, file: "src/ingress/*", max: 1}}',
        '{id: s-rules, findings: {from: lint, rule: "S*", max: 3}}',
        '{id: s-rules-tight, findings: {from: lint, rule: ["S6*", "B*"], max: 2}}',
        '{id: lint-tool, findings: {from: lint, tool: "li?t", max: 4}}',
        '{id: nowhere, findings: {from: lint, file: "docs/**"}}',
    ], log)  # fmt: skip
    assert outcomes(found) == ["pass", "pass", "pass", "fail", "pass", "pass"]
    assert found[0]["found"]["by_file"] == {"src/ingress/deep/x.py": 1, "src/ingress/run.py": 1}


def test_no_run_of_the_tool_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, found = judge(tmp_path, capsys, ["{id: semgrep, findings: {from: lint, tool: semgrep}}"],
                     sarif(tool="ruff"))  # fmt: skip
    assert outcomes(found) == ["missing"]
    assert found[0]["summary"] == "no run of semgrep in lint.sarif (it has runs of ruff)"
    empty = json.dumps({"version": "2.1.0", "runs": []})
    _, found = judge(tmp_path, capsys, ["{id: any, findings: {from: lint}}"], empty)
    assert outcomes(found) == ["missing"]
    assert "no analysis run in it" in found[0]["summary"]


def test_a_run_that_failed_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failed = sarif(invocations=[{"executionSuccessful": False, "exitCode": 2}])
    noted = sarif(invocations=[{"executionSuccessful": True, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "could not parse src/a.py"}}]}])  # fmt: skip
    for log, said in ((failed, "(exit code 2)"), (noted, "could not parse src/a.py")):
        _, found = judge(tmp_path, capsys, [
            "{id: strict, findings: {from: lint}}",
            "{id: expected, findings: {from: lint, expect_failures: true}}",
        ], log)  # fmt: skip
        assert outcomes(found) == ["fail", "pass"]
        assert said in found[0]["summary"] and found[0]["found"] is None


def test_no_results_array_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "lint"}}}]})
    code, found = judge(tmp_path, capsys, ["{id: any, findings: {from: lint}}"], log)
    assert outcomes(found) == ["error"] and code == ExitCode.NO_EVIDENCE
    assert "runs[0].results: absent" in found[0]["details"][0]


def test_suppressed_findings_are_counted_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = sarif(
        result("S1", suppressions=[{"kind": "inSource"}]),
        result("S2", suppressions=[{"kind": "external", "status": "accepted"}]),
        result("S3", suppressions=[{"kind": "external", "status": "underReview"}]),
        result("S4", suppressions=[{"kind": "inSource"},
                                   {"kind": "external", "status": "rejected"}]),
    )  # fmt: skip
    benchmarks = ["{id: two, findings: {from: lint, max: 2}}",
                  "{id: one, findings: {from: lint, max: 1}}"]  # fmt: skip
    _, found = judge(tmp_path, capsys, benchmarks, log)
    assert outcomes(found) == ["pass", "fail"]
    assert found[0]["found"]["suppressed"] == 2
    assert "2 findings suppressed, not counted" in found[0]["details"]


def test_severity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    driver = {"rules": [{"id": "R9", "properties": {"security-severity": "9.1"}},
                        {"id": "R7", "properties": {"security-severity": "7.0"}},
                        {"id": "R5", "properties": {"security-severity": "5.5"}},
                        {"id": "Q"}]}  # fmt: skip
    log = sarif(result("R9"), result("R7"), result("R5"), result("Q"), driver=driver)
    log = log.replace('{"id": "Q"}, {"id": "R5"}, {"id": "R7"}, {"id": "R9"}, ', "")
    _, found = judge(tmp_path, capsys, [
        "{id: critical, findings: {from: lint, severity: critical, max: 1}}",
        "{id: high, findings: {from: lint, severity: high, max: 1}}",
        "{id: medium, findings: {from: lint, severity: medium, max: 3}}",
    ], log)  # fmt: skip
    assert outcomes(found) == ["pass", "fail", "pass"]
    _, found = judge(tmp_path, capsys, ["{id: high, findings: {from: lint, severity: high}}"],
                     sarif(result("Q")))  # fmt: skip
    assert outcomes(found) == ["error"]
    assert "gives none in lint.sarif: select by level instead" in found[0]["summary"]


def test_new_findings_by_rule_file_and_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without fingerprints: moved code (another line) is not new; a second copy is."""
    base = sarif(result("S602", line=3), result("S101", "src/tools.py", line=8))
    head = sarif(result("S602", line=30), result("S602", line=31),
                 result("S101", "src/tools.py", line=8), result("B1", "src/new.py"))  # fmt: skip
    code, found = judge(tmp_path, capsys, [
        "{id: none-new, findings: {from: lint}, baseline: {from: main, max_new: 0}}",
        "{id: two-new, findings: {from: lint}, baseline: {from: main, max_new: 2}}",
    ], head, base)  # fmt: skip
    assert outcomes(found) == ["fail", "pass"] and code == ExitCode.FAILED
    assert found[0]["summary"] == "2 new findings against the baseline's 2; at most 0 allowed"
    assert found[0]["found"]["new"] == 2 and found[0]["found"]["counted"] == 4
    assert [f["rule"] for f in found[0]["found"]["listed"]] == ["S602", "B1"]
    assert "compared lint: by rule, file and source text" in found[0]["details"]


def test_new_findings_by_fingerprint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fingerprint both sides carry decides, whatever the message or line says."""
    fp = {"partialFingerprints": {"primaryLocationLineHash": "aaa:1"}}
    other = {"partialFingerprints": {"primaryLocationLineHash": "bbb:1"}}
    base = sarif(result("S602", line=3, **fp))
    head = sarif(result("S602", line=90, message={"text": "reworded"}, **fp),
                 result("S602", line=3, **other))  # fmt: skip
    _, found = judge(tmp_path, capsys, [
        "{id: one-new, findings: {from: lint}, baseline: {from: main, max_new: 1}}",
        "{id: none-new, findings: {from: lint}, baseline: {from: main, max_new: 0}}",
    ], head, base)  # fmt: skip
    assert outcomes(found) == ["pass", "fail"]
    assert found[1]["found"]["listed"][0]["line"] == 3  # the same line, another fingerprint
    assert (
        "compared lint: by rule, file and fingerprint partial:primaryLocationLineHash"
        in found[1]["details"]
    )


def test_a_finding_whose_level_rose_is_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = sarif(result("S602", level="warning"))
    head = sarif(result("S602", level="error"))
    _, found = judge(tmp_path, capsys, [
        "{id: errors, findings: {from: lint, level: error}, baseline: {from: main, max_new: 0}}",
        "{id: any, findings: {from: lint}, baseline: {from: main, max_new: 0}}",
    ], head, base)  # fmt: skip
    assert outcomes(found) == ["fail", "pass"]


def test_a_baseline_that_cannot_answer_never_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = "{id: none-new, findings: {from: lint, tool: lint}, baseline: {from: main, max_new: 5}}"
    head = sarif(result("S602"))
    _, found = judge(tmp_path, capsys, [bench], head)  # no main.sarif
    assert outcomes(found) == ["missing"]
    _, found = judge(tmp_path, capsys, [bench], head, sarif(tool="other"))
    assert outcomes(found) == ["missing"]
    assert found[0]["summary"] == "baseline: no run of lint in main.sarif (it has runs of other)"
    failed = sarif(invocations=[{"executionSuccessful": False}])
    _, found = judge(tmp_path, capsys, [bench], head, failed)
    assert outcomes(found) == ["error"]
    assert found[0]["summary"].startswith("baseline: the analyser recorded a failure")


def test_findings_outside_the_project_under_a_file_glob_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An absolute path inside the root is made relative; one outside cannot be placed."""
    inside = (tmp_path / "src" / "ingress" / "run.py").as_uri()
    log = sarif(result("S602", inside), result("S1", "file:///elsewhere/src/ingress/run.py"))
    _, found = judge(tmp_path, capsys, [
        '{id: ingress, findings: {from: lint, file: "src/ingress/**", max: 5}}',
        "{id: all, findings: {from: lint, max: 2}}",
    ], log)  # fmt: skip
    assert outcomes(found) == ["error", "pass"]
    said = "files not in the project: 1 finding (/elsewhere/src/ingress/run.py, from lint.sarif)"
    assert said in found[0]["summary"]
    assert found[1]["found"]["by_file"] == {
        "/elsewhere/src/ingress/run.py": 1,
        "src/ingress/run.py": 1,
    }


def test_uri_base_ids_are_resolved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path.as_uri() + "/"
    located = result("S602", "ingress/run.py")
    located["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] = "SRC"
    bases = {"ROOT": {"uri": root}, "SRC": {"uri": "src/", "uriBaseId": "ROOT"}}
    log = sarif(located, originalUriBaseIds=bases)
    bench = '{id: ingress, findings: {from: lint, file: "src/ingress/*", max: 0}}'
    _, found = judge(tmp_path, capsys, [bench], log)
    assert outcomes(found) == ["fail"]
    assert found[0]["found"]["by_file"] == {"src/ingress/run.py": 1}


def test_hostile_messages_are_inert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evil = result("S1", "src/a.py", message={"text": "::error file=x::pwned\n##[group]x \x1b[31m"})
    code, _ = judge(tmp_path, capsys, ["{id: any, findings: {from: lint}}"], sarif(evil))
    assert code == ExitCode.FAILED
    main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--color", "never"])
    text = capsys.readouterr().out
    assert "pwned" in text  # shown, on the finding's line, where the runner obeys nothing
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert "##[group]" not in text and "\x1b[31m" not in text


@pytest.mark.parametrize(
    ("bench", "said"),
    [
        ("{id: x, findings: {from: unit}}", "holds no static-analysis findings"),
        ("{id: x, tests: {from: lint}}", "holds static-analysis findings only"),
        (
            "{id: x, findings: {from: lint}, baseline: {from: main, max_change: 'mean +1%'}}",
            "max_change does not apply to findings: its baseline takes max_new",
        ),
        (
            "{id: x, metric: {from: unit, name: a}, baseline: {from: unit, max_new: 0}}",
            "max_new does not apply to a metric's series: its baseline takes max_change",
        ),
        ("{id: x, findings: {from: lint, level: fatal}}", "findings.level"),
        ("{id: x, findings: {from: lint, max: -1}}", "findings.max"),
        ("{id: x, findings: {from: lint}, threshold: 'count < 1'}", "threshold"),
        (
            "{id: x, findings: {from: lint}, baseline: {from: lint, max_new: 0}}",
            "baseline.from: the baseline is 'lint', the findings' own artifact: the log would "
            "be compared with itself and no finding could be new; name the artifact of the "
            "base branch's analysis",
        ),
        (
            "{id: x, findings: {from: lint, file: src/ingress/}}",
            "findings.file: 'src/ingress/' ends with /, and a finding's path names a file, "
            "never a folder: write 'src/ingress/**'",
        ),
        (
            "{id: x, findings: {from: lint, file: [a.py, /src/**]}}",
            "findings.file[1]: '/src/**' starts with /, and findings' paths are relative to "
            "the project's root (an absolute one is outside it): write 'src/**'",
        ),
        (
            "{id: x, findings: {from: lint, file: /}}",
            "'/' starts with /, and findings' paths are relative to the project's root (an "
            "absolute one is outside it); it ends with /, and a finding's path names a file, "
            "never a folder: write '**'",
        ),
    ],
)
def test_validate_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bench: str, said: str
) -> None:
    text = matrix_yaml(
        phases=["one"],
        artifacts={
            "lint": ("sarif", "lint.sarif"),
            "main": ("sarif", "main.sarif"),
            "unit": ("junit", "unit.xml"),
        },
        lanes=[Lane("ingress", "Ingress", {"one": Cell("clean", (bench,))})],
    )
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = main(["validate", str(tmp_path / "gatekeeper.yml")])
    assert code == ExitCode.USAGE
    assert said in capsys.readouterr().err


def test_a_baseline_of_the_findings_own_artifact_is_an_error_at_check() -> None:
    """``validate`` refuses it; a criterion built without the matrix rules errs all the same."""
    criterion = FindingsCriterion("lint", baseline=FindingsBaseline("lint", 0))
    evidence = ArtifactEvidence("lint", ArtifactState.READ)
    outcome, summary, *_ = evaluate_findings(criterion, evidence, evidence)
    assert outcome is Outcome.ERROR
    assert summary == (
        "the baseline is 'lint', the findings' own artifact: the log compared with itself has "
        "no new finding, whatever the pull request adds"
    )


def _finding(rule: str, *fingerprints: tuple[str, str], message: str = "m") -> Finding:
    return Finding("t", rule, "error", "a.py", 1, message, tuple(fingerprints))


def test_new_findings_is_a_multiset() -> None:
    base = [_finding("A"), _finding("A"), _finding("B")]
    head = [_finding("A"), _finding("A"), _finding("A"), _finding("C")]
    compared = new_findings(head, base)
    assert [f.rule for f in compared.new] == ["A", "C"]


def test_a_fingerprint_only_one_side_carries_is_not_used() -> None:
    """A baseline from an analyser version that wrote no fingerprints: compare by text."""
    base = [_finding("A")]
    head = [_finding("A", ("v1", "x"))]
    compared = new_findings(head, base)
    assert compared.new == () and compared.methods == ("t: by rule, file and source text",)
    head = [_finding("A", ("v1", "x"), ("partial:p", "1"))]
    base = [_finding("A", ("v1", "y"), ("partial:p", "1"), message="other")]
    assert [f.rule for f in new_findings(head, base).new] == ["A"]  # full before partial


def test_findings_that_count_are_annotated_at_their_line(tmp_path: Path) -> None:
    """In the check run, each finding against a failing benchmark sits at its file and line
    (the new ones, with a baseline); a finding outside the project gets none."""
    import datetime as dt

    from gatekeeper.collect import collect
    from gatekeeper.engine import evaluate
    from gatekeeper.github import annotate
    from gatekeeper.matrix.load import read_matrix

    text = matrix_yaml(
        phases=["one"],
        artifacts={"lint": ("sarif", "lint.sarif"), "main": ("sarif", "main.sarif")},
        lanes=[Lane("ingress", "Ingress", {"one": Cell("clean", (
            "{id: all, findings: {from: lint, max: 0}}",
            "{id: new, findings: {from: lint}, baseline: {from: main, max_new: 0}}",
        ))})],
    )  # fmt: skip
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    evil = {"text": "::error::pwned"}
    head = sarif(result("S602", line=7), result("B1", "src/b.py", line=2, message=evil),
                 result("X1", "file:///elsewhere/x.py"))  # fmt: skip
    (tmp_path / "lint.sarif").write_text(head, encoding="utf-8")
    (tmp_path / "main.sarif").write_text(sarif(result("S602", line=5)), encoding="utf-8")
    matrix = read_matrix(tmp_path / "gatekeeper.yml")
    report = evaluate(matrix, collect(matrix, tmp_path), dt.date(2026, 12, 3))
    notes = annotate.build(report, matrix_path="gatekeeper.yml", locate=lambda t: None)
    placed = [(n["path"], n["start_line"], n["title"]) for n in notes.items]
    assert placed == [
        ("gatekeeper.yml", 14, "ingress/one/all — fail"),
        ("src/ingress/run.py", 7, "S602 (lint)"),
        ("src/b.py", 2, "B1 (lint)"),
        ("gatekeeper.yml", 15, "ingress/one/new — fail"),
    ]
    assert notes.items[2]["message"].startswith("\u2060::error::pwned\nerror finding")


def test_a_path_from_another_folder_or_spelt_roundabout_is_placed_or_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bandit run inside src/ writes ingress/run.py: no file of the project, so a file glob
    cannot place it (an error, never a finding left out); docs/../src/ingress/run.py is
    src/ingress/run.py, whatever the spelling."""
    (tmp_path / "src" / "ingress").mkdir(parents=True)
    (tmp_path / "src" / "ingress" / "run.py").write_text("", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    bench = '{id: ingress, findings: {from: lint, file: "src/ingress/**", max: 0}}'
    log = sarif(result("B602", "ingress/run.py"))
    _, found = judge(tmp_path, capsys, [bench], log, touch=False)
    assert outcomes(found) == ["error"]
    assert found[0]["summary"].startswith("files not in the project: 1 finding (ingress/run.py")
    roundabout = sarif(result("B602", "docs/../src/ingress/run.py"),
                       result("B101", "./src/ingress/./run.py"))  # fmt: skip
    _, found = judge(tmp_path, capsys, [bench], roundabout, touch=False)
    assert outcomes(found) == ["fail"]
    assert found[0]["found"]["by_file"] == {"src/ingress/run.py": 2}
    climbing = sarif(result("B602", "src/../../elsewhere/run.py"))
    _, found = judge(tmp_path, capsys, [bench], climbing)
    assert outcomes(found) == ["error"]


def test_a_criterion_with_nothing_to_hold_findings_to_is_an_error() -> None:
    from gatekeeper.engine.findings import evaluate_findings
    from gatekeeper.evidence import Analysis, ArtifactEvidence, ArtifactState, ParsedFile
    from gatekeeper.model import FindingsCriterion
    from gatekeeper.results import Outcome

    parsed = ParsedFile("lint.sarif", "sarif", analyses=(Analysis("lint"),))
    evidence = ArtifactEvidence("lint", ArtifactState.READ, (parsed,))
    outcome, summary, *_ = evaluate_findings(FindingsCriterion("lint", max=None), evidence)
    assert outcome is Outcome.ERROR and "neither max nor" in summary
