"""A synthetic sharded suite for the bundle tests: each shard writes real artifact files (JUnit
XML, hyperfine JSON, SARIF, sometimes an unreadable file) into its own folder.

The matrix's globs start with ``**/``, so they match a shard's files in the shard's own folder
(``junit-0.xml``) as well as in the one tree that holds every shard (``s07/junit-0.xml``):
the same matrix judges the bundles and the raw files.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from gatekeeper.cli import main
from tests.matrices import Cell, Lane, matrix_yaml

SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER_SHA = "fedcba9876543210fedcba9876543210fedcba98"

MATRIX = matrix_yaml(
    project="Shards",
    current="two",
    phases=("one", "two"),
    artifacts={
        "unit": ("junit", "**/junit-*.xml"),
        "bench": ("hyperfine", "**/hyperfine*.json"),
        "soak": ("k6", "**/soak-*.json"),
    },
    lanes=[
        Lane(
            "core",
            "Core",
            {
                "one": Cell(
                    "The suites pass",
                    (
                        "{id: most-tests, tests: {from: unit, pass_rate: 80%, min: 3}}",
                        '{id: api, tests: {from: unit, class: "api.*", flaky: fail, '
                        "max_skipped: 2}}",
                    ),
                ),
                "two": Cell(
                    "Fast enough",
                    (
                        'id: sort-p90\nmetric: {from: bench, name: "sort-*"}\n'
                        "threshold: p(90) < 60ms",
                        'id: all-mean\nmetric: {from: bench, name: "*"}\n'
                        "threshold: [mean < 50ms, max < 90ms]",
                        'id: large-io\nmetric: {from: bench, name: "io{size:large}"}\n'
                        "threshold: p(99) < 95ms",
                        "id: soak\nmetric: {from: soak, name: http_req_duration}\n"
                        "threshold: p(95) < 250ms",
                    ),
                ),
            },
        )
    ],
)

# More test selections: matching nothing, with and without values close to what they say;
# every failure, flaky ones too.
SELECTIONS = """\
          - {id: typo-class, tests: {from: unit, class: ["api.Aa", "core.Cx"], name: "t*"}}
          - {id: nothing-close, tests: {from: unit, suite: "zzzz-unrelated"}}
          - {id: typo-name, tests: {from: unit, class: "api.A", name: "test_api_0_1x"}}
          - {id: every-failure, tests: {from: unit, name: "*", flaky: fail, pass_rate: 10%}}
"""
WIDE = MATRIX.replace("      two:\n", SELECTIONS + "      two:\n")

# Findings too: an analyser's SARIF in some shards, counted in all and by rule and file.
LINT_ARTIFACT = '  lint: {format: sarif, paths: "**/lint*.sarif"}\n'
LINT_BENCHMARKS = """\
          - {id: lint-errors, findings: {from: lint, level: error, file: "src/**", max: 2}}
          - {id: lint-rule, findings: {from: lint, rule: "R1*", level: note, max: 4}}
"""
LINTED = WIDE.replace("swimlanes:\n", LINT_ARTIFACT + "swimlanes:\n").replace(
    "      two:\n", LINT_BENCHMARKS + "      two:\n"
)

STATUSES = ("passed", "failed", "error", "skipped", "flaky")


@dataclass(frozen=True)
class Case:
    classname: str
    name: str
    status: str
    """One of STATUSES; flaky is a pass after a failed attempt (Surefire's flakyFailure)."""
    time: float = 0.01


@dataclass(frozen=True)
class Command:
    name: str
    times: tuple[float, ...]
    """Seconds."""
    size: str | None = None
    """A --parameter-scan value, read as the tag size."""


@dataclass(frozen=True)
class Flaw:
    """One finding of the analyser ``lint``."""

    rule: str
    level: str
    """note, warning or error."""
    file: str
    """Relative to the project (one of ``PROJECT_FILES``); '' for a result without a
    location."""
    line: int = 1
    suppressed: bool = False


@dataclass(frozen=True)
class ShardFiles:
    cases: tuple[Case, ...] = ()
    commands: tuple[Command, ...] = ()
    broken: bool = False
    """Also write a JUnit file that cannot be read."""
    flaws: tuple[Flaw, ...] | None = None
    """A SARIF file ``lint.sarif`` of these findings (empty: a run that found nothing);
    None: no SARIF file."""
    extra: dict[str, str] = field(default_factory=dict)
    """More files, by name."""


def _case(case: Case) -> str:
    attrs = f"classname={quoteattr(case.classname)} name={quoteattr(case.name)}"
    opened = f'  <testcase {attrs} time="{case.time}"'
    inner = {
        "passed": "",
        "failed": '<failure message="assert False">trace</failure>',
        "error": '<error message="boom">trace</error>',
        "skipped": '<skipped message="later"/>',
        "flaky": '<flakyFailure message="first try">trace</flakyFailure>',
    }[case.status]
    return f"{opened}>{inner}</testcase>" if inner else f"{opened}/>"


def junit(cases: tuple[Case, ...], host: str) -> str:
    """A JUnit file; ``host`` makes each shard's bytes its own, as a real report's timestamp
    and hostname do."""
    body = "\n".join(_case(c) for c in cases)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites><testsuite name="suite" hostname={quoteattr(host)} tests="{len(cases)}">\n'
        f"{body}\n</testsuite></testsuites>\n"
    )


def hyperfine(commands: tuple[Command, ...], host: str) -> str:
    """A hyperfine export; ``host`` (a key hyperfine does not write, and gatekeeper does not
    read) makes each shard's bytes its own, as real timings do."""
    results = []
    for command in commands:
        times = list(command.times)
        entry: dict[str, object] = {
            "command": command.name,
            "mean": statistics.fmean(times),
            "stddev": statistics.pstdev(times) if len(times) > 1 else None,
            "median": statistics.median(times),
            "user": 0.001,
            "system": 0.001,
            "min": min(times),
            "max": max(times),
            "times": times,
            "exit_codes": [0] * len(times),
        }
        if command.size is not None:
            entry["parameters"] = {"size": command.size}
        results.append(entry)
    return json.dumps({"results": results, "host": host}, indent=1)


def _result(flaw: Flaw) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": flaw.rule,
        "level": flaw.level,
        "message": {"text": f"{flaw.rule} found here"},
    }
    if flaw.file:
        physical = {"artifactLocation": {"uri": flaw.file}, "region": {"startLine": flaw.line}}
        result["locations"] = [{"physicalLocation": physical}]
    if flaw.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def sarif(flaws: tuple[Flaw, ...], host: str, tool: str = "lint") -> str:
    """A SARIF 2.1.0 log of one run; ``host`` (a run property, which gatekeeper does not read)
    makes each shard's bytes its own."""
    run = {
        "tool": {"driver": {"name": tool, "version": "1.0"}},
        "results": [_result(f) for f in flaws],
        "properties": {"host": host},
    }
    return json.dumps({"version": "2.1.0", "runs": [run]}, indent=1)


PROJECT_FILES = ("src/a.py", "src/b/c.py", "src/ingress/a.py", "src/ingress/b.py", "lib/d.py")
"""The project's files findings are in: each job that analyses checks them out."""


def write_project(folder: Path) -> None:
    for name in PROJECT_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x = 1\n", encoding="utf-8")


def write_shard(folder: Path, files: ShardFiles, host: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if files.flaws is not None:
        (folder / "lint.sarif").write_text(sarif(files.flaws, host), encoding="utf-8")
        write_project(folder)
    if files.cases:
        (folder / "junit-0.xml").write_text(junit(files.cases, host), encoding="utf-8")
    if files.commands:
        (folder / "hyperfine.json").write_text(hyperfine(files.commands, host), encoding="utf-8")
    if files.broken:
        text = junit(files.cases[:1], host)[:60]  # cut short: unreadable
        (folder / "junit-broken.xml").write_text(text, encoding="utf-8")
    for name, text in files.extra.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def write_matrix(folder: Path, text: str = MATRIX) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "gatekeeper.yml"
    path.write_text(text, encoding="utf-8")
    return path


def check_report(
    capsys: pytest.CaptureFixture[str], matrix: Path, *extra: str, today: str
) -> tuple[int, str, dict[str, Any]]:
    """check's exit code, terminal report and JSON report (one run each), as of ``today``."""
    base = ["check", "--matrix", str(matrix), "--today", today, "--color", "never", *extra]
    capsys.readouterr()
    code = main(base)
    terminal = capsys.readouterr().out
    assert main([*base, "--format", "json"]) == code
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, terminal, report
