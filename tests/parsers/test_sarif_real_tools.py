"""ruff and Bandit themselves, on a small package with known findings: gatekeeper must count
what they count, and judge ``findings:`` benchmarks on their logs as the README says.

The package has one finding per Bandit severity (LOW, MEDIUM, HIGH: SARIF levels note,
warning, error), ruff's ``S`` rules (all written as errors) and one line silenced for both
(``# noqa: S307  # nosec B307``). Neither tool writes a silenced finding to its SARIF log
(no ``suppressions``: the result is left out, and Bandit counts it in ``skipped_tests``), so
gatekeeper's count is the tool's own. Each count is held to the tool's other output (ruff's
``--output-format json``, Bandit's ``-f json`` metrics). Then ``gatekeeper check`` on the
logs: ``max``, ``level``, a ``file`` glob, and a baseline's ``max_new`` where the head adds a
finding (new) and shifts another file's lines down (moved, not new), with exit codes. A test
skips only where Bandit is absent (``missing_tool``: a failure under CI, which installs the
``tools`` extra).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import detect_format, parse_file
from tests.parsers.claims import claimed

pytestmark = pytest.mark.slow  # real programs: seconds each

TIMEOUT = 120

RUN = '''\
"""Hands a message to the relay."""

import subprocess


def relay(command: str) -> int:
    return subprocess.call(command, shell=True)


def parse(text: str) -> object:
    return eval(text)


def trusted(text: str) -> object:
    return eval(text)  # noqa: S307  # nosec B307
'''
TOOLS = '''\
"""Helpers."""

import pickle


def load(data: bytes) -> object:
    assert data
    return pickle.loads(data)
'''
NEW = """

def unpack(text: str) -> object:
    return eval(text)
"""
"""What the head adds at the end of run.py: one more eval, a new finding for both tools."""
MOVED = '"""Moved down by a comment."""\n# (the code below is unchanged)\n\n'
"""What the head puts above everything in tools.py: each of its findings three lines lower."""


def tool(*args: str, cwd: Path, ok: tuple[int, ...] = (0, 1)) -> str:
    """A tool's standard output; exit code 1 is "found something" for both."""
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode in ok, done.stdout + done.stderr
    return done.stdout


def write_package(root: Path, *, head: bool = False) -> None:
    (root / "src" / "ingress").mkdir(parents=True, exist_ok=True)
    (root / "src" / "ingress" / "__init__.py").write_text("")
    (root / "src" / "ingress" / "run.py").write_text(RUN + (NEW if head else ""))
    (root / "src" / "tools.py").write_text((MOVED if head else "") + TOOLS)


def analyse(root: Path, folder: str) -> None:
    """ruff and Bandit on ``root/src``, their SARIF logs in ``root/folder``."""
    (root / folder).mkdir(exist_ok=True)
    ruff = ["ruff", "check", "--no-cache", "--isolated", "--select", "S", "src"]
    tool(*ruff, "--output-format", "sarif", "-o", f"{folder}/ruff.sarif", cwd=root)
    tool("bandit", "-q", "-r", "src", "-f", "sarif", "-o", f"{folder}/bandit.sarif", cwd=root)


def parsed(path: Path) -> ParsedFile:
    assert claimed(path) == ["sarif"]
    assert detect_format(path, path.name) == "sarif"
    return parse_file(path, path.name, "auto")


def test_ruff_findings_are_the_ones_ruff_reports(tmp_path: Path) -> None:
    write_package(tmp_path)
    tool("ruff", "check", "--no-cache", "--isolated", "--select", "S", "src",
         "--output-format", "sarif", "-o", "ruff.sarif", cwd=tmp_path)  # fmt: skip
    ruff = ["ruff", "check", "--no-cache", "--isolated", "--select", "S", "src"]
    reported = json.loads(tool(*ruff, "--output-format", "json", cwd=tmp_path))
    silenced = json.loads(tool(*ruff, "--ignore-noqa", "--output-format", "json", cwd=tmp_path))
    found = parsed(tmp_path / "ruff.sarif").findings
    expected = Counter(
        (r["code"], Path(r["filename"]).relative_to(tmp_path).as_posix(), r["location"]["row"])
        for r in reported
    )
    root = tmp_path.as_posix() + "/"
    assert Counter((f.rule, f.file.removeprefix(root), f.line) for f in found) == expected
    assert len(found) == len(reported) == 4 == len(silenced) - 1  # the noqa line is left out
    assert {f.level for f in found} == {"error"} and not any(f.suppressed for f in found)
    assert Counter(f.rule for f in found) == {"S602": 1, "S307": 1, "S101": 1, "S301": 1}


@pytest.mark.needs("bandit", "sarif_om")
def test_bandit_levels_are_its_severities_and_nosec_is_left_out(tmp_path: Path) -> None:
    write_package(tmp_path)
    tool("bandit", "-q", "-r", "src", "-f", "sarif", "-o", "bandit.sarif", cwd=tmp_path)
    report = json.loads(tool("bandit", "-q", "-r", "src", "-f", "json", cwd=tmp_path))
    totals = report["metrics"]["_totals"]
    found = parsed(tmp_path / "bandit.sarif").findings
    levels = Counter(f.level for f in found)
    assert levels["error"] == totals["SEVERITY.HIGH"] == 1
    assert levels["warning"] == totals["SEVERITY.MEDIUM"] == 2
    assert levels["note"] == totals["SEVERITY.LOW"] == 3
    assert len(found) == len(report["results"])
    assert Counter((f.rule, f.file, f.line) for f in found) == Counter(
        (r["test_id"], r["filename"], r["line_number"]) for r in report["results"]
    )
    assert totals["skipped_tests"] == 1 and not any(f.suppressed for f in found)  # the nosec


MATRIX = """\
version: 1
phases: [{{id: bronze, name: Bronze}}]
artifacts:
  ruff: {{format: sarif, paths: reports/ruff.sarif}}
  bandit: {{format: sarif, paths: reports/bandit.sarif}}
  ruff-main: {{format: sarif, paths: baseline/ruff.sarif}}
  bandit-main: {{format: sarif, paths: baseline/bandit.sarif}}
swimlanes:
  - id: ingress
    name: Ingress API
    cells:
      bronze:
        goal: static analysis
        benchmarks:
{benchmarks}
"""


def check(
    root: Path, capsys: pytest.CaptureFixture[str], **benchmarks: str
) -> tuple[int, dict[str, Any]]:
    """``gatekeeper check`` on a matrix of ``benchmarks`` (id: body); the exit code and each
    benchmark's entry of the JSON report, by id."""
    lines = "\n".join(f"          - {{id: {key}, {body}}}" for key, body in benchmarks.items())
    (root / "gatekeeper.yml").write_text(MATRIX.format(benchmarks=lines), encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, {b["id"]: b for cell in report["cells"] for b in cell["benchmarks"]}


@pytest.mark.needs("bandit", "sarif_om")
def test_check_judges_max_level_and_file_on_the_real_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_package(tmp_path)
    analyse(tmp_path, "reports")
    analyse(tmp_path, "baseline")  # unused here, but every artifact has its file
    code, found = check(
        tmp_path,
        capsys,
        ruff_at_most_4="findings: {from: ruff, max: 4}",
        bandit_no_high="findings: {from: bandit, level: error, max: 0}",
        bandit_warnings_up="findings: {from: bandit, level: warning, max: 3}",
        ingress_ruff="findings: {from: ruff, file: 'src/ingress/**', max: 1}",
        tools_ruff="findings: {from: ruff, file: src/tools.py, rule: 'S3*', max: 1}",
    )
    assert code == 1
    assert {key: b["outcome"] for key, b in found.items()} == {
        "ruff_at_most_4": "pass",
        "bandit_no_high": "fail",  # B602, subprocess with shell=True
        "bandit_warnings_up": "pass",  # B602, B307, B301
        "ingress_ruff": "fail",  # S602 and S307: the noqa'd eval is not in the log
        "tools_ruff": "pass",  # S301 alone: S101 is another rule
    }
    code, _ = check(tmp_path, capsys, ruff_at_most_4="findings: {from: ruff, max: 4}")
    assert code == 0


@pytest.mark.needs("bandit", "sarif_om")
def test_a_finding_added_in_the_head_is_new_and_moved_code_is_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base branch's logs and the head's are written in the same folder (one checkout,
    as CI does it), so their paths agree."""
    write_package(tmp_path)
    analyse(tmp_path, "baseline")
    write_package(tmp_path, head=True)  # a new eval in run.py; tools.py's lines three lower
    analyse(tmp_path, "reports")
    head = parsed(tmp_path / "reports" / "ruff.sarif").findings
    base = parsed(tmp_path / "baseline" / "ruff.sarif").findings
    tools = [(f.rule, f.line) for f in head if f.file.endswith("tools.py")]
    shift = MOVED.count("\n")
    assert tools == [(f.rule, (f.line or 0) + shift) for f in base if f.file.endswith("tools.py")]
    assert len(head) == len(base) + 1
    code, found = check(
        tmp_path,
        capsys,
        ruff_no_new="findings: {from: ruff}, baseline: {from: ruff-main, max_new: 0}",
        bandit_no_new="findings: {from: bandit}, baseline: {from: bandit-main, max_new: 0}",
        ruff_one_new="findings: {from: ruff}, baseline: {from: ruff-main, max_new: 1}",
        tools_no_new=(
            "findings: {from: bandit, file: src/tools.py}, "
            "baseline: {from: bandit-main, max_new: 0}"
        ),
    )
    assert code == 1
    assert {key: b["outcome"] for key, b in found.items()} == {
        "ruff_no_new": "fail",
        "bandit_no_new": "fail",
        "ruff_one_new": "pass",
        "tools_no_new": "pass",  # moved three lines down: the same findings
    }
    for key, rule in (("ruff_no_new", "S307"), ("bandit_no_new", "B307")):
        assert found[key]["found"]["new"] == 1, found[key]["found"]
        listed = [(f["rule"], f["file"], f["line"]) for f in found[key]["found"]["listed"]]
        assert listed == [(rule, "src/ingress/run.py", RUN.count("\n") + NEW.count("\n"))]
    code, _ = check(
        tmp_path,
        capsys,
        tools_no_new=(
            "findings: {from: ruff, file: src/tools.py}, baseline: {from: ruff-main, max_new: 0}"
        ),
    )
    assert code == 0
