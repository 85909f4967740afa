"""`gatekeeper inspect` on coverage reports and SARIF logs (issue 14): exact output, the lines
it says to paste judged by `check` on the same file as printed (passing at today's values,
failing one step tighter), bounded lists, hostile text made inert."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.conftest import compare_or_regenerate

FIXTURES = Path(__file__).parent / "parsers" / "fixtures"
EXPECTED = Path(__file__).parent / "inspect_expected"
COVERAGE = [
    "cobertura/coveragepy-branch.xml",
    "jacoco/groups.xml",
    "go-cover/coverpkg-count.out",
    "lcov/coveragepy-branch.info",
    "coverage-json/coveragepy-branch.json",
]
SARIF = ["sarif/bandit.sarif", "sarif/ruff.sarif"]


def inspect(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(["inspect", *argv]) == ExitCode.PASSED
    return capsys.readouterr().out


@pytest.mark.parametrize("name", COVERAGE + SARIF)
def test_inspect_output(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / name).parent.mkdir()
    shutil.copy(FIXTURES / name, tmp_path / name)
    analysed(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, name)
    compare_or_regenerate(EXPECTED / (name.replace("/", "__") + ".txt"), out)


def analysed(root: Path) -> None:
    """The files the SARIF fixtures' relative paths name, so that their findings lie in the
    project inspect is run in, as they do where the analyser ran."""
    for name in ("src/ingress/run.py", "src/tools.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("# analysed\n", encoding="utf-8")


def pasted(out: str) -> dict[str, Any]:
    """What inspect says to paste, read as YAML: ``artifacts`` and ``benchmarks``."""
    lines = out.splitlines()
    start = lines.index("    artifacts:")
    block = [line for line in lines[start:] if line.startswith("    ")]
    loaded = yaml.safe_load(textwrap.dedent("\n".join(block)))
    assert isinstance(loaded, dict)
    return loaded


def judge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], paste: dict[str, Any]
) -> tuple[int, list[dict[str, Any]]]:
    """``check`` on a matrix of the pasted artifacts and benchmarks, in one cell."""
    matrix = {
        "version": 1,
        "phases": [{"id": "one", "name": "One"}],
        "artifacts": paste["artifacts"],
        "swimlanes": [
            {
                "id": "lane",
                "name": "Lane",
                "cells": {"one": {"goal": "as printed", "benchmarks": paste["benchmarks"]}},
            }
        ],
    }
    (tmp_path / "gatekeeper.yml").write_text(yaml.safe_dump(matrix), encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, report["cells"][0]["benchmarks"]


def today(out: str) -> list[str]:
    """The ``# today …`` comment of each benchmark pasted, in order."""
    return re.findall(r"  # today (.*)$", out, flags=re.M)


@pytest.mark.parametrize("name", COVERAGE)
def test_the_coverage_benchmarks_printed_pass_at_todays_values(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pasted, TOTAL and the folder's sum pass, measured at the values printed; a point
    higher, each threshold fails: they are today's values rounded down, not looser."""
    report = Path(name).name
    shutil.copy(FIXTURES / name, tmp_path / report)
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, report)
    paste = pasted(out)
    assert paste["artifacts"]["coverage"]["paths"] == [report]
    names = [b["metric"]["name"] for b in paste["benchmarks"]]
    assert names[0] == "TOTAL" and (len(names) == 1 or names[1].endswith(("/*", ".java", ".go")))
    code, judged = judge(tmp_path, capsys, paste)
    assert code == ExitCode.PASSED
    for benchmark, said in zip(judged, today(out), strict=True):
        assert benchmark["outcome"] == "pass"
        actual = {m["threshold"].split()[0]: m["actual"] for m in benchmark["measurements"]}
        assert said == ", ".join(f"{kind} {value}" for kind, value in actual.items())
    for benchmark in paste["benchmarks"]:
        tighter = []
        for threshold in benchmark["threshold"]:
            kind, op, number = threshold.split()
            tighter.append(f"{kind} {op} {int(number.rstrip('%')) + 1}%")
        one = {**paste, "benchmarks": [{**benchmark, "threshold": tighter}]}
        code, (judged_one,) = judge(tmp_path, capsys, one)
        assert (code, judged_one["outcome"]) == (ExitCode.FAILED, "fail")
        assert all(not m["ok"] for m in judged_one["measurements"])


def test_the_folder_printed_is_summed_as_check_sums_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`*` crosses `/`: ``pkg/*`` is every file below pkg/ (4 files: 6 of 10 lines), and a
    JaCoCo folder whose glob would take a package's series too is written ``*.java``."""
    monkeypatch.chdir(FIXTURES)
    out = inspect(capsys, "cobertura/coveragepy-branch.xml")
    assert '    "pkg/*"      4 files · line 60% (6/10) · branch 25% (1/4)' in out
    out = inspect(capsys, "jacoco/groups.xml")
    assert '"org/shop/*.java"' in out and '"org/shop/*" ' not in out


def lcov(files: int, folders: int) -> str:
    lines = []
    for number in range(files):
        lines += [f"SF:src/d{number % folders:02d}/f{number:03d}.py", "DA:1,1", "DA:2,0"]
        lines += ["LF:2", "LH:1", "end_of_record"]
    return "\n".join(lines) + "\n"


def test_a_big_report_lists_the_first_files_and_folders_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "big.info").write_text(lcov(300, 30), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "big.info")
    assert "  TOTAL: line 50% (300/600)" in out
    assert "  31 folders — " in out and "    … and 11 more\n" in out
    assert "  300 files — " in out and "    … and 280 more\n" in out
    assert len(out.splitlines()) < 70
    assert '        metric: {from: coverage, name: "src/d00/*"}' in out


def test_nothing_covered_pastes_no_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """0 % is no floor to hold (``line >= 0%`` would pass on anything)."""
    (tmp_path / "none.info").write_text("SF:a.py\nDA:1,0\nLF:1\nLH:0\nend_of_record\n")
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "none.info")
    assert pasted(out)["benchmarks"] == []
    assert "      []  # no coverage above 0 % to hold" in out


@pytest.mark.parametrize("name", SARIF)
def test_the_findings_benchmarks_printed_pass_at_todays_counts(
    name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Pasted (with the same log as the base branch's), every benchmark passes at the count
    printed; a limit one lower fails."""
    log = Path(name).name
    shutil.copy(FIXTURES / name, tmp_path / log)
    analysed(tmp_path)
    (tmp_path / "baseline").mkdir()
    shutil.copy(FIXTURES / name, tmp_path / "baseline" / log)
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, log)
    paste = pasted(out)
    ids = [b["id"] for b in paste["benchmarks"]]
    assert ids[0] == "no-more-errors" and ids[-1] == "no-new-findings"
    code, judged = judge(tmp_path, capsys, paste)
    assert code == ExitCode.PASSED
    limited = [b for b in judged if b["id"] != "no-new-findings"]
    for benchmark, said in zip(limited, today(out), strict=True):
        assert benchmark["outcome"] == "pass"
        assert benchmark["measurements"][0]["actual"] == said
    for benchmark in paste["benchmarks"]:
        if "max" in benchmark["findings"] and benchmark["findings"]["max"] > 0:
            lower = {**benchmark["findings"], "max": benchmark["findings"]["max"] - 1}
            one = {**paste, "benchmarks": [{**benchmark, "findings": lower}]}
            code, (judged_one,) = judge(tmp_path, capsys, one)
            assert (code, judged_one["outcome"]) == (ExitCode.FAILED, "fail")


def sarif(results: list[dict[str, Any]], **run: Any) -> str:
    driver = {"name": "semgrep", "semanticVersion": "1.2.3", "rules": []}
    driver.update(run.pop("driver", {}))
    body = {"tool": {"driver": driver}, "results": results, **run}
    return json.dumps({"version": "2.1.0", "runs": [body]})


def result(rule: str, level: str, uri: str, **more: Any) -> dict[str, Any]:
    location = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": 1}}}
    return {"ruleId": rule, "level": level, "message": {"text": "m"}, "locations": [location],
            **more}  # fmt: skip


def test_a_log_with_suppressions_fingerprints_severities_and_a_failed_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Suppressed findings are counted apart; the fingerprint every finding carries and a
    security-severity are said; a run that recorded its failure gets no benchmark, since
    none passes on it."""
    print_ = {"partialFingerprints": {"primaryLocationLineHash": "abc"}}
    results = [
        result("r1", "error", "src/a.py", **print_),
        result("r1", "error", "src/a.py", suppressions=[{"kind": "inSource"}], **print_),
        result("r2", "warning", "src/b/c.py", **print_),
    ]
    rules = [{"id": "r1", "properties": {"security-severity": "8.1"}}]
    failed = {"invocations": [{"executionSuccessful": False, "exitCode": 2}]}
    (tmp_path / "s.sarif").write_text(sarif(results, driver={"rules": rules}, **failed))
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "s.sarif")
    assert "    semgrep 1.2.3: 2 findings (error 1, warning 1), 1 suppressed" in out
    assert "security-severity: given" in out
    assert "fingerprints: partial:primaryLocationLineHash (on every finding)" in out
    assert "      FAILED: semgrep: the invocation did not succeed (exit code 2)" in out
    assert pasted(out)["benchmarks"] == []
    assert "the analyser recorded a failure of its run" in out


HOSTILE = "::error::x\n##[group]\u202e\x1b[31m`[a](b)`"


def test_hostile_rule_ids_paths_and_tool_names_are_printed_inert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    results = [result(HOSTILE, "error", "src/" + HOSTILE.replace("\n", "%0A") + "/x.py")]
    failure = {"invocations": [{"toolExecutionNotifications": [
        {"level": "error", "message": {"text": HOSTILE}}]}]}  # fmt: skip
    log = sarif(results, driver={"name": HOSTILE, "semanticVersion": HOSTILE}, **failure)
    (tmp_path / "h.sarif").write_text(log)
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "h.sarif")
    for line in out.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "\x1b" not in line and "\u202e" not in line
    assert out.count("\n") == len(out.splitlines())  # no line break of the file's own
    assert '"::error::x\\n##\\x5bgroup]\\u202e\\u001b[31m`[a](b)`"' in out  # the rule, exact


def test_a_clean_log_pastes_a_zero_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "clean.sarif").write_text(sarif([]))
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "clean.sarif")
    assert "  no finding that is not suppressed" in out
    limits = [b["findings"].get("max") for b in pasted(out)["benchmarks"]]
    assert limits == [0, None]


@pytest.mark.parametrize(
    ("command", "fixture"),
    [
        ("coverage.xml", "cobertura/coveragepy-branch.xml"),
        ("reports/bandit.sarif", "sarif/bandit.sarif"),
    ],
)
def test_the_readme_shows_what_inspect_prints(
    command: str,
    fixture: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each line of the README's sample is the next such line of the output ("…" leaves
    lines out)."""
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index(f"$ gatekeeper inspect {command}\n")
    sample = readme[start : readme.index("```", start)].splitlines()[1:]
    (tmp_path / command).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / fixture, tmp_path / command)
    analysed(tmp_path)
    monkeypatch.chdir(tmp_path)
    printed = iter(inspect(capsys, command).splitlines())
    for line in sample:
        if line.strip() != "…":
            assert line in printed, line


def test_runs_of_one_analyser_are_shown_together_and_long_lists_are_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Findings name their analyser, not their run: two runs of one are one line; the rules,
    folders and files with the most findings come first, ten of each, the rest counted."""
    many = [result(f"r{n:02d}", "warning", f"d{n:02d}/f.py") for n in range(15)]
    runs = [
        {"tool": {"driver": {"name": "eslint", "version": "9.1"}}, "results": many},
        {"tool": {"driver": {"name": "eslint", "version": "9.1"}}, "results": many[:1]},
        {"tool": {"driver": {"name": "trivy"}}, "results": []},
    ]
    (tmp_path / "m.sarif").write_text(json.dumps({"version": "2.1.0", "runs": runs}))
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "m.sarif")
    assert "  3 analyser runs:\n    eslint 9.1 (2 runs): 16 findings (warning 16)" in out
    assert "\n    trivy: 0 findings (none), 0 suppressed" in out
    assert '    "r00"  2  (warning 2)\n    "r01"  1  (warning 1)' in out
    assert out.count("    … and 5 more\n") == 3  # rules, folders, files


def test_absolute_paths_below_the_current_folder_are_shown_as_check_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ruff writes ``file:///…/src/a.py``: run where the matrix reads paths from, inspect
    shows ``src/a.py`` and a ``file:`` glob that `check` places the findings under."""
    (tmp_path / "src" / "app").mkdir(parents=True)
    (tmp_path / "src" / "app" / "a.py").write_text("import pickle\n")
    uri = (tmp_path / "src" / "app" / "a.py").as_uri()
    results = [result("S1", "error", uri), result("S2", "error", uri), result("S3", "note", uri)]
    (tmp_path / "ruff.sarif").write_text(sarif(results, driver={"name": "ruff"}))
    (tmp_path / "baseline").mkdir()
    shutil.copy(tmp_path / "ruff.sarif", tmp_path / "baseline")
    monkeypatch.chdir(tmp_path)
    out = inspect(capsys, "ruff.sarif")
    assert '    "src/app/a.py"  3  (error 2, note 1)' in out
    paste = pasted(out)
    assert paste["benchmarks"][1]["findings"]["file"] == "src/app/**"
    code, judged = judge(tmp_path, capsys, paste)
    assert code == ExitCode.PASSED
    assert [b["measurements"][0]["actual"] for b in judged[:2]] == ["2", "2"]
