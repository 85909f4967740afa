"""Coverage of a folder (issue 14): a selector that picks several files is judged on the sum
of their counts ("line coverage of ingress/ >= 80 %"), never file by file, and never by
counting a line twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode


def lcov(files: dict[str, tuple[int, int, tuple[int, int] | None]]) -> str:
    """An LCOV tracefile: each file with (covered, total) lines and optional branches."""
    out = []
    for name, (covered, total, branches) in files.items():
        out.append(f"SF:{name}")
        out += [f"DA:{line},{1 if line <= covered else 0}" for line in range(1, total + 1)]
        out += [f"LF:{total}", f"LH:{covered}"]
        if branches is not None:
            hit, found = branches
            out += [f"BRDA:1,0,{b},{1 if b < hit else 0}" for b in range(found)]
            out += [f"BRF:{found}", f"BRH:{hit}"]
        out.append("end_of_record")
    return "\n".join(out) + "\n"


def matrix(thresholds: list[str], name: str = "ingress/*", baseline: str = "") -> str:
    base = f", baseline: {{from: main, max_change: {baseline!r}}}" if baseline else ""
    shown = ", ".join(repr(t) for t in thresholds)
    return f"""\
version: 1
phases: [{{id: one, name: One}}]
artifacts:
  cov: {{format: lcov, paths: "cov/*.info"}}
  main: {{format: lcov, paths: "main/*.info"}}
swimlanes:
  - id: ingress
    name: Ingress
    cells:
      one:
        goal: covered
        benchmarks:
          - {{id: cov, metric: {{from: cov, name: {name!r}}}, threshold: [{shown}]{base}}}
"""


def judge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *reports: tuple[str, str]
) -> tuple[int, dict[str, Any]]:
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    for relative, content in reports:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(content, encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    (benchmark,) = report["cells"][0]["benchmarks"]
    return code, benchmark


INGRESS = {
    "ingress/api.py": (95, 100, (8, 10)),
    "ingress/split.py": (70, 100, (2, 10)),
    "other/tool.py": (0, 50, None),
}


def test_a_folder_is_judged_on_the_sum_of_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """95/100 and 70/100 are 82.5 % together: the folder passes 80 %, although one file
    alone would not (and the 0 % file elsewhere is not selected)."""
    code, benchmark = judge(
        tmp_path, capsys, matrix(["line >= 80%", "branch >= 50%"]), ("cov/unit.info", lcov(INGRESS))
    )
    assert (code, benchmark["outcome"]) == (ExitCode.PASSED, "pass")
    line, branch = benchmark["measurements"]
    assert (line["series"], line["value"], line["actual"]) == ("ingress/*", 0.825, "82.5%")
    assert branch["value"] == pytest.approx(0.5)  # (8 + 2) / (10 + 10)
    code, benchmark = judge(
        tmp_path, capsys, matrix(["line >= 85%"]), ("cov/unit.info", lcov(INGRESS))
    )
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "fail")


def test_a_selection_of_files_and_their_total_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, benchmark = judge(
        tmp_path, capsys, matrix(["line >= 1%"], name="*"), ("cov/unit.info", lcov(INGRESS))
    )
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "error")
    assert "their lines would count twice" in benchmark["summary"]


def test_a_file_in_two_reports_is_not_summed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = lcov(INGRESS)
    integration = lcov({"ingress/api.py": (10, 100, None)})
    code, benchmark = judge(
        tmp_path, capsys, matrix(["line >= 1%"]),
        ("cov/unit.info", unit), ("cov/integration.info", integration),
    )  # fmt: skip
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "error")
    assert "ingress/api.py is covered in two reports" in benchmark["summary"]


def test_a_kind_of_coverage_one_file_lacks_is_not_summed_from_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**INGRESS, "ingress/split.py": (70, 100, None)}  # no branches measured there
    code, benchmark = judge(
        tmp_path, capsys, matrix(["branch >= 1%"]), ("cov/unit.info", lcov(files))
    )
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "error")
    assert "does not report branch" in benchmark["summary"]


def test_the_baseline_is_the_same_selection_summed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {"ingress/api.py": (95, 100, None), "ingress/split.py": (85, 100, None)}
    code, benchmark = judge(
        tmp_path, capsys, matrix(["line >= 50%"], baseline="line -5%"),
        ("cov/unit.info", lcov(INGRESS)), ("main/unit.info", lcov(before)),
    )  # fmt: skip
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "fail")  # 82.5 % vs 90 %: -7.5 pt
    compared = benchmark["measurements"][-1]
    assert (compared["value"], compared["baseline"]) == (0.825, 0.9)
    assert compared["change"] == pytest.approx(0.825 - 0.9)  # coverage: in points
