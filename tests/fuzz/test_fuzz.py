"""The standing proof: no mutation of the evidence in this suite fools the gate.

One test per case (an evidence file of tests/parsers/fixtures or examples/kmta/reports), so
a parallel run can spread them. The budget is shared out equally: about a minute in all by
default; ``GATEKEEPER_FUZZ_SECONDS=600`` searches ten times longer, and
``GATEKEEPER_FUZZ_SEED`` picks other mutations (every failure prints the command that
replays it). What each mutation may do to a verdict is stated in tests/fuzz/mutators.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from gatekeeper.commands import check
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import Matrix
from tests.fuzz.cases import Case, discover
from tests.fuzz.harness import CaseRun, Finding

pytestmark = pytest.mark.slow  # every fixture, mutated many times: about a minute in all

CASES = discover()
SEED = os.environ.get("GATEKEEPER_FUZZ_SEED", "0")
SECONDS = float(os.environ.get("GATEKEEPER_FUZZ_SECONDS", "60"))
PROCESS_EVERY = 64
"""Every this many mutations (the first included) also runs through the command line."""
SHOWN = 3
"""Examples shown per (property, kind)."""


@pytest.fixture
def matrix_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A case's matrix files never change: read each once, not once per mutation (reading and
    validating the matrix is most of an in-process run)."""
    cache: dict[tuple[str, str], Matrix] = {}

    def read_once(path: Path, display: str) -> Matrix:
        key = (str(path), display)
        if key not in cache:
            cache[key] = read_matrix(path, display)
        return cache[key]

    monkeypatch.setattr(check, "read_matrix", read_once)


def report(run: CaseRun, done: int, findings: Sequence[Finding]) -> str:
    """Findings grouped by property and kind, each example with its replay command."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.property, finding.kind), []).append(finding)
    lines = [f"{run.case.id} (format {run.case.format}, seed {run.seed}, {done} mutations):"]
    for (prop, kind), members in groups.items():
        lines.append(f"  ({prop}) {kind}: {len(members)} time(s)")
        for finding in members[:SHOWN]:
            lines.append(f"      {finding.text}")
            lines.append(f"      replay: {run.replay(finding)}")
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_no_mutation_fools_the_gate(case: Case, tmp_path: Path, matrix_read_once: None) -> None:
    stop = time.monotonic() + SECONDS / len(CASES)
    run = CaseRun(case, tmp_path, SEED)
    findings = list(run.findings)
    index = 0
    while index < run.kinds or time.monotonic() < stop:  # every kind at least once
        findings += run.run(index)
        if index % PROCESS_EVERY == 0:
            findings += run.run_process(index)
        index += 1
    assert not findings, report(run, index, findings)


def test_every_format_has_a_case() -> None:
    from gatekeeper.parsers import PARSER_MODULES

    assert {c.format for c in CASES} >= set(PARSER_MODULES)
