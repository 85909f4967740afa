"""The command line end to end on real files: exit codes, messages, outputs."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gatekeeper.cli import build_parser, main
from gatekeeper.commands.options import COMMANDS, OUTPUT_FORMATS, options_from
from gatekeeper.errors import ExitCode
from gatekeeper.reporters import REPORTERS
from tests.conftest import REPO
from tests.matrices import JUNIT_REPORTS, Cell, Lane, class_tests, matrix_yaml

MATRIX = matrix_yaml(
    project="Demo",
    current="one",
    phases=("one", "two"),
    artifacts={"unit": JUNIT_REPORTS, "load": ("k6", "reports/k6.json")},
    lanes=[
        Lane(
            "core",
            "Core",
            {
                "one": Cell("Core tests pass", (class_tests("tests.test_core"),)),
                "two": Cell(
                    "Fast enough",
                    (
                        "id: p95\n"
                        "metric: {from: load, name: http_req_duration}\n"
                        "threshold: p(95) < 250ms",
                    ),
                ),
            },
        )
    ],
)

JUNIT_PASS = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="2">
<testcase classname="tests.test_core" name="test_a" time="0.1"/>
<testcase classname="tests.test_core" name="test_b" time="0.1"/>
</testsuite></testsuites>
"""

JUNIT_FAIL = JUNIT_PASS.replace(
    'name="test_b" time="0.1"/>',
    'name="test_b" time="0.1"><failure message="assert 1 == 2">trace</failure></testcase>',
)

K6 = json.dumps(
    {
        "root_group": {"name": "", "path": "", "id": "d41d8cd98f00b204e9800998ecf8427e",
                       "groups": {}, "checks": {}},
        "metrics": {"http_req_duration": {"avg": 120.5, "min": 3.1, "med": 110.0, "max": 900.2,
                                          "p(90)": 200.1, "p(95)": 230.7}},
    }
)  # fmt: skip


def project(tmp_path: Path, junit: str | None = JUNIT_PASS, k6: str | None = K6) -> Path:
    (tmp_path / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    if junit is not None:
        (reports / "unit.xml").write_text(junit, encoding="utf-8")
    if k6 is not None:
        (reports / "k6.json").write_text(k6, encoding="utf-8")
    return tmp_path


def run(*argv: str) -> int:
    return main(list(argv))


def check(root: Path, *extra: str) -> int:
    return run("check", "--matrix", str(root / "gatekeeper.yml"), "--today", "2026-11-26", *extra)


def test_passing_gate_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(project(tmp_path)) == ExitCode.PASSED
    out = capsys.readouterr().out
    assert out.startswith("Demo: One gate PASSED — stands at Two\n")


def test_failing_gate_exits_1_and_names_the_failing_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(project(tmp_path, junit=JUNIT_FAIL)) == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "failed: tests.test_core::test_b — assert 1 == 2" in out
    assert "evidence: reports/unit.xml" in out


def test_phase_flag_overrides_current(tmp_path: Path) -> None:
    root = project(tmp_path, k6=K6.replace("230.7", "300.0"))
    assert check(root) == ExitCode.PASSED
    assert check(root, "--phase", "two") == ExitCode.FAILED


def test_missing_evidence_fails_and_no_evidence_at_all_exits_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, junit=None)
    assert check(root) == ExitCode.FAILED  # the k6 file was read; unit tests are missing
    assert "no evidence: no file matches reports/*.xml" in capsys.readouterr().out
    (root / "reports" / "k6.json").unlink()
    assert check(root) == ExitCode.NO_EVIDENCE


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (JUNIT_PASS[:150], "reports/unit.xml:3:"),  # truncated
        (
            b"<?xml version='1.0' encoding='utf-8'?>\n<testsuite name='\xff'/>",
            "reports/unit.xml:2:",
        ),
        ("<html><body>not a test report</body></html>", "reports/unit.xml"),
    ],
    ids=["truncated", "not-utf8", "wrong-root"],
)
def test_unreadable_evidence_is_an_error_that_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, where: str
) -> None:
    root = project(tmp_path)
    target = root / "reports" / "unit.xml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    assert check(root, "--phase", "two") == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "ERROR   core/one/tests" in out
    assert where in out
    assert "PASS" not in out.split("Blocking")[0]  # nothing claims a pass
    assert "Traceback" not in out


def test_json_of_the_wrong_shape_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, k6=json.dumps({"metrics": [1, 2], "root_group": {}}))
    assert check(root, "--phase", "two") == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "ERROR   core/two/p95" in out
    assert "reports/k6.json" in out


def test_broken_matrix_exits_2_with_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    (root / "gatekeeper.yml").write_text(MATRIX.replace("p(95) < 250ms", "p(95) < 250 parsecs"))
    assert check(root) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert (
        "gatekeeper.yml:23:13: swimlanes[0].cells.two.benchmarks[0].threshold: unknown unit" in err
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--phase", "nine"], "--phase 'nine': not a phase of"),
        (["--today", "tomorrow"], "--today 'tomorrow': expected YYYY-MM-DD"),
        (["--output", "pdf:x.pdf"], "expected FORMAT:PATH with FORMAT one of terminal"),
        (["--root", "/nonexistent/folder"], "not a folder"),
    ],
)
def test_bad_usage_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert check(project(tmp_path), *argv) == ExitCode.USAGE
    assert message in capsys.readouterr().err


def test_unknown_flag_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", "--no-such-flag") == ExitCode.USAGE
    assert "unrecognized arguments" in capsys.readouterr().err


def test_no_matrix_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("check") == ExitCode.USAGE
    assert "no matrix file" in capsys.readouterr().err


def test_default_matrix_location_and_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run("check", "--format", "none") == ExitCode.PASSED


def test_several_outputs_in_one_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, junit=JUNIT_FAIL)
    json_path, md_path = tmp_path / "out" / "gate.json", tmp_path / "out" / "gate.md"
    code = check(
        root, "--format", "none", "--output", f"json:{json_path}", "--output", f"markdown:{md_path}"
    )
    assert code == ExitCode.FAILED
    assert capsys.readouterr().out == ""
    report = json.loads(json_path.read_text(encoding="utf-8"))
    assert (report["verdict"], report["exit_code"], report["stands_at"]) == ("failed", 1, None)
    assert md_path.read_text(encoding="utf-8").startswith("## ❌ Demo: One gate FAILED")


def test_every_reporter_is_a_format_and_an_output() -> None:
    """`--format` and `--output` accept the same reporters; the CLI names them without
    importing them (startup time), so this keeps the two lists in step."""
    assert tuple(REPORTERS) == OUTPUT_FORMATS


def test_html_page_and_badge_of_the_kmta_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO / "examples" / "kmta")
    page, badge = tmp_path / "x.html", tmp_path / "b.svg"
    code = run(
        "check", "--format", "none", "--output", f"html:{page}", "--output", f"badge:{badge}"
    )
    assert code == ExitCode.FAILED
    assert capsys.readouterr().out == ""
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n")
    assert "<title>KMTA: Iron gate FAILED — stands at Bronze</title>" in html
    assert "<code>ingress-api/iron/splitter-tests</code>" in html
    assert "<footer>exit code 1 · gatekeeper " in html
    svg = badge.read_text(encoding="utf-8")
    assert "<title>gatekeeper: Bronze · failed</title>" in svg
    assert 'fill="#cf222e"' in svg
    # the same reports on standard output
    assert run("check", "--format", "badge") == ExitCode.FAILED
    assert capsys.readouterr().out == svg
    assert run("check", "--format", "html") == ExitCode.FAILED
    assert capsys.readouterr().out == html


def test_colour_only_when_asked_or_on_a_tty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    check(root)
    assert "\033[" not in capsys.readouterr().out  # captured output is not a TTY
    check(root, "--color", "always")
    assert "\033[32m" in capsys.readouterr().out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    check(root)
    assert "\033[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    check(root)
    assert "\033[" not in capsys.readouterr().out


def test_init_writes_a_starter_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "gk.yml"
    assert run("init", str(target)) == ExitCode.PASSED
    assert run("validate", str(target)) == ExitCode.PASSED
    assert "gk.yml: ok (2 phases, 2 cells, 3 benchmarks)" in capsys.readouterr().out
    assert run("init", str(target)) == ExitCode.USAGE
    assert "exists; use --force" in capsys.readouterr().err
    assert run("init", str(target), "--force") == ExitCode.PASSED


def test_validate_reports_all_files_and_all_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = project(tmp_path) / "gatekeeper.yml"
    bad = tmp_path / "bad.yml"
    bad.write_text(
        textwrap.dedent("""\
        version: 1
        phases: [{id: one, name: One}, {id: one, name: Again}]
        artifacts: {unit: {paths: x}}
        swimlanes:
          - {id: a, name: A, cells: {two: {goal: g, benchmarks: [{id: b, tests: {from: u}}]}}}
        """)
    )
    assert run("validate", str(good), str(bad)) == ExitCode.USAGE
    captured = capsys.readouterr()
    assert "gatekeeper.yml: ok" in captured.out
    lines = captured.err.splitlines()
    assert lines[-1] == f"{bad}: 3 problems"
    assert all(line.startswith(f"{bad}:") for line in lines)


def test_an_internal_error_is_exit_4_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("gatekeeper.commands.check.evaluate", explode)
    assert check(project(tmp_path)) == ExitCode.INTERNAL
    err = capsys.readouterr().err
    assert "internal error (RuntimeError: simulated bug); the gate is not decided" in err


def test_the_installed_command_runs_without_a_traceback(tmp_path: Path) -> None:
    root = project(tmp_path, junit="<testsuite><testcase")
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", "check", "--matrix", str(root / "gatekeeper.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.FAILED
    assert "Traceback" not in done.stdout + done.stderr
    assert "reports/unit.xml:1:" in done.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_commands_record_has_a_field_for_every_option_and_no_other(name: str) -> None:
    """The typed record a command receives holds exactly what its parser parses: an option
    added without a field (or a field no option fills) fails here, and mypy checks every
    name a command reads from its record."""
    from dataclasses import fields

    parsers: dict[str, argparse.ArgumentParser] = {}
    build_parser((name,), parsers)
    dests = {a.dest for a in parsers[name]._actions if a.dest != "help"}
    assert {f.name for f in fields(COMMANDS[name].options)} == dests


def test_a_repeated_option_reaches_the_command_as_a_tuple() -> None:
    parser = build_parser(("check",))
    parsed = parser.parse_args(["check", "--label", "phase:one", "--label", "x"])
    options = options_from(COMMANDS["check"].options, parsed)
    assert options.label == ("phase:one", "x")
    assert options.bundle == ()
    with pytest.raises(AttributeError):
        options.label = ()  # frozen


@pytest.mark.parametrize(
    ("junit", "verdict"), [(JUNIT_PASS, ExitCode.PASSED), (JUNIT_FAIL, ExitCode.FAILED)]
)
def test_a_closed_standard_output_ends_quietly_with_the_verdicts_exit_code(
    tmp_path: Path, junit: str, verdict: ExitCode
) -> None:
    """`gatekeeper check | head -1`: the reader has gone before the report is written. The
    rest of the output goes nowhere, nothing is said on standard error, and the exit code is
    still the verdict (a closed pipe is neither a pass nor an internal error)."""
    root = project(tmp_path, junit=junit)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write fails
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gatekeeper", "check", "--matrix", str(root / "gatekeeper.yml")],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (verdict, "")


@pytest.mark.parametrize(
    ("junit", "verdict"), [(JUNIT_PASS, ExitCode.PASSED), (JUNIT_FAIL, ExitCode.FAILED)]
)
def test_no_standard_output_at_all_still_gives_the_verdicts_exit_code(
    tmp_path: Path, junit: str, verdict: ExitCode
) -> None:
    """`gatekeeper check >&-`: Python starts with no sys.stdout (None)."""
    root = project(tmp_path, junit=junit)
    command = [
        sys.executable,
        "-m",
        "gatekeeper",
        "check",
        "--matrix",
        str(root / "gatekeeper.yml"),
    ]
    done = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *command],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (verdict, "")
