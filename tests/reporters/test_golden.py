"""Every scenario, rendered by every reporter, matches its golden file byte for byte.

After an intended change to a reporter: ``python tests/reporters/regenerate.py`` (or run the
tests with GATEKEEPER_REGENERATE=1, as for every expected-output file), then review the diff
of tests/reporters/golden/.
"""

from __future__ import annotations

import os

import pytest
from scenarios import GOLDEN, OUTPUTS, SCENARIOS, Scenario, render_all

from gatekeeper.results import CellState, Outcome

CASES = [(scenario, output) for scenario in SCENARIOS for output in OUTPUTS]


@pytest.fixture(scope="module")
def rendered() -> dict[str, dict[str, str]]:
    return {name: render_all(build()) for name, build in SCENARIOS.items()}


@pytest.mark.parametrize(("scenario", "output"), CASES, ids=[f"{s}/{o}" for s, o in CASES])
def test_output_matches_golden_file(
    rendered: dict[str, dict[str, str]], scenario: str, output: str
) -> None:
    golden = GOLDEN / scenario / output
    if os.environ.get("GATEKEEPER_REGENERATE") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(rendered[scenario][output].encode("utf-8"))
        return
    assert golden.is_file(), f"{golden} is missing: run python tests/reporters/regenerate.py"
    expected = golden.read_bytes().decode("utf-8")
    assert rendered[scenario][output] == expected, (
        f"{golden} is out of date: run python tests/reporters/regenerate.py and review the diff"
    )


def test_no_stray_golden_files() -> None:
    expected = {f"{s}/{o}" for s, o in CASES}
    found = {f"{p.parent.name}/{p.name}" for p in GOLDEN.glob("*/*") if not p.name.startswith(".")}
    assert found == expected


def test_scenarios_end_as_intended() -> None:
    """Guards the scenarios themselves: each one exercises what its name promises."""
    ends = {name: build() for name, build in SCENARIOS.items()}
    codes = {name: s.exit_code for name, s in ends.items()}
    assert codes == {
        "stale": 0, "passing": 0, "failing": 1, "pull-request": 1, "no-evidence": 3, "hostile": 1,
        "signoff": 1, "history": 0,
    }  # fmt: skip
    rules = {(r.rule.kind.value, r.passed) for r in ends["pull-request"].report.rules}
    assert rules == {("no-regression", True), ("next-phase", False), ("current-phase", False)}
    gates = {(n, g.passed) for n, s in ends.items() for g in s.report.gates}
    assert ("passing", True) in gates
    assert ("failing", True) in gates
    assert ("failing", False) in gates


def _waivers(scenario: Scenario) -> set[str]:
    kinds = set()
    for result in scenario.report.benchmarks:
        if result.waiver is None:
            continue
        if scenario.report.today > result.waiver.expires:
            kinds.add("expired")
        else:
            kinds.add("not needed" if result.underlying and result.underlying.met else "in use")
    return kinds


def test_scenarios_cover_every_outcome_state_and_waiver_kind() -> None:
    scenarios = [build() for build in SCENARIOS.values()]
    outcomes = {b.outcome for s in scenarios for b in s.report.benchmarks}
    assert outcomes == set(Outcome)
    states = {c.state for s in scenarios for c in s.report.cells}
    blank = any(
        s.report.cell(lane.id, phase.id) is None
        for s in scenarios
        for lane in s.matrix.swimlanes
        for phase in s.matrix.phases
    )
    assert states | ({CellState.BLANK} if blank else set()) == set(CellState)
    assert set().union(*map(_waivers, scenarios)) == {"expired", "not needed", "in use"}
    tests = [t for s in scenarios for a in s.evidence.values() for t in a.tests]
    assert any(t.flaky for t in tests)
    actuals = [m.actual for s in scenarios for b in s.report.benchmarks for m in b.measurements]
    assert any(a.endswith("ms") for a in actuals)
    assert any(a.endswith("µs") for a in actuals)
    assert any(a.endswith("s") and a[-2].isdigit() for a in actuals)  # whole seconds: 1.2s
