"""Every Outcome and every CellState has its own look in the Markdown and terminal reports."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from scenarios import (
    AUTH,
    PHASES,
    Scenario,
    broken,
    by_tests,
    case,
    matrix,
    missing,
    read,
)

from gatekeeper.evidence import ArtifactEvidence, TestStatus
from gatekeeper.model import Cell, Waiver
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.reporters.common import STATE_WORDS
from gatekeeper.reporters.markdown import MARKERS
from gatekeeper.results import CellState, Outcome

PASSING = read("unit", "unit.xml", case("test_ok"))
FAILING = read("unit", "unit.xml", case("test_ok"), case("test_bad", TestStatus.FAILED))
LIVE = Waiver("auth/stone/signing", "rig down", "jmoody", dt.date(2026, 12, 31))

EVIDENCE: dict[Outcome, ArtifactEvidence] = {
    Outcome.PASS: PASSING,
    Outcome.FAIL: FAILING,
    Outcome.MISSING: missing("unit", "reports/*.xml"),
    Outcome.ERROR: broken("unit", "unit.xml:1:1: not XML"),
    Outcome.WAIVED: FAILING,
}


def one_benchmark(outcome: Outcome) -> Scenario:
    cell = Cell("auth", "stone", "Sign mail", (by_tests("auth", "stone", "signing"),))
    waivers = (LIVE,) if outcome is Outcome.WAIVED else ()
    built = matrix("P", (AUTH,), (cell,), waivers=waivers, phases=PHASES[:1])
    return Scenario(outcome.value, built, {"unit": EVIDENCE[outcome]})


def render(scenario: Scenario, fmt: str) -> str:
    return REPORTERS[fmt](scenario.report, RenderOptions(scenario.exit_code))


TOKENS: dict[str, dict[Outcome, str]] = {
    "terminal": {
        Outcome.PASS: "  met",
        Outcome.FAIL: "FAIL    auth/stone/signing",
        Outcome.MISSING: "MISSING auth/stone/signing",
        Outcome.ERROR: "ERROR   auth/stone/signing",
        Outcome.WAIVED: "waived",
    },
    "markdown": {
        Outcome.PASS: "🟩 met<br>",
        Outcome.FAIL: "auth/stone/signing — fail",
        Outcome.MISSING: "auth/stone/signing — missing",
        Outcome.ERROR: "auth/stone/signing — error",
        Outcome.WAIVED: "waived",
    },
}
"""How each outcome shows. A waived benchmark's cell is green like a pass, so PASS's token
may appear in WAIVED's report; every other token belongs to its outcome alone."""


def test_the_walk_reaches_every_outcome() -> None:
    assert {one_benchmark(o).report.benchmarks[0].outcome for o in Outcome} == set(Outcome)
    assert set(TOKENS["terminal"]) == set(TOKENS["markdown"]) == set(Outcome)


@pytest.mark.parametrize("fmt", TOKENS)
@pytest.mark.parametrize("outcome", list(Outcome), ids=[o.value for o in Outcome])
def test_each_outcome_renders_distinctly(fmt: str, outcome: Outcome) -> None:
    renders = {o: render(one_benchmark(o), fmt) for o in Outcome}
    assert one_benchmark(outcome).report.benchmarks[0].outcome is outcome
    token = TOKENS[fmt][outcome]
    assert token in renders[outcome]
    for other, text in renders.items():
        if other is outcome:
            continue
        assert text != renders[outcome]
        if (outcome, other) != (Outcome.PASS, Outcome.WAIVED):
            assert token not in text, f"{outcome.value}'s {token!r} also shows for {other.value}"


def test_waiver_not_needed_is_not_shown_as_waived() -> None:
    cell = Cell("auth", "stone", "Sign mail", (by_tests("auth", "stone", "signing"),))
    built = matrix("P", (AUTH,), (cell,), waivers=(LIVE,), phases=PHASES[:1])
    scenario = Scenario("not needed", built, {"unit": PASSING})
    assert scenario.report.benchmarks[0].outcome is Outcome.PASS
    for fmt in TOKENS:
        text = render(scenario, fmt)
        assert "not needed" in text
        assert not re.search(r"\bwaived\b", text)


# --- cell states -----------------------------------------------------------------------------

CHAOS: dict[CellState, ArtifactEvidence | None] = {
    CellState.GREEN: read("chaos", "drill.xml", case("test_drill")),
    CellState.RED: read("chaos", "drill.xml", case("test_drill", TestStatus.FAILED)),
    CellState.GREY: missing("chaos", "drill.xml"),
    CellState.BLANK: None,
}


def two_phases(state: CellState) -> Scenario:
    """Stone is green; Bronze holds the state under test (or no cell at all)."""
    cells = [Cell("auth", "stone", "Sign mail", (by_tests("auth", "stone", "signing"),))]
    evidence = {"unit": PASSING}
    chaos = CHAOS[state]
    if chaos is not None:
        cells.append(
            Cell("auth", "bronze", "Drill", (by_tests("auth", "bronze", "drill", "chaos"),))
        )
        evidence["chaos"] = chaos
    built = matrix("P", (AUTH,), tuple(cells), phases=PHASES[:2])
    return Scenario(state.value, built, evidence)


def terminal_column(scenario: Scenario) -> str:
    lines = render(scenario, "terminal").splitlines()
    header = next(line for line in lines if "Stone" in line and "Bronze" in line)
    row = next(line for line in lines if line.startswith("  Email Authentication"))
    return row[header.index("Bronze") :].strip()


def markdown_column(scenario: Scenario) -> str:
    row = next(
        line for line in render(scenario, "markdown").splitlines() if "Email Authentication" in line
    )
    return re.split(r"(?<!\\)\|", row)[3].strip()


def test_the_walk_reaches_every_cell_state() -> None:
    for state in CellState:
        result = two_phases(state).report.cell("auth", "bronze")
        assert (result.state if result else CellState.BLANK) is state


@pytest.mark.parametrize("column", [terminal_column, markdown_column])
def test_each_cell_state_renders_distinctly(column: object) -> None:
    assert callable(column)
    shown = {state: column(two_phases(state)) for state in CellState}
    assert len(set(shown.values())) == len(CellState), shown
    for state, text in shown.items():
        word = STATE_WORDS[state]
        if column is markdown_column:
            assert text.startswith(MARKERS[state]), (state, text)
        assert (word.lower() in text.lower()) if word else text in ("", MARKERS[state])
