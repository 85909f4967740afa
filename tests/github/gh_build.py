"""Reports for the GitHub tests: the reporter tests' scenarios, and reports as large as
asked for (to push payloads past GitHub's limits), all judged by the real engine."""

from __future__ import annotations

from gatekeeper.evidence import TestStatus
from gatekeeper.model import Cell, Phase, Swimlane
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.results import Report
from tests.reporters.scenarios import (
    SCENARIOS,
    Scenario,
    by_tests,
    case,
    matrix,
    missing,
    read,
)

PHASES = (Phase("one", "One"), Phase("two", "Two"))


def scenario(name: str) -> Scenario:
    return SCENARIOS[name]()


def big(
    lanes: int,
    failing_per_lane: int,
    *,
    message: str = "assert x",
    later: bool = True,
    current: str | None = "one",
) -> Scenario:
    """``lanes`` swimlanes, each with a phase-one cell whose tests fail ``failing_per_lane``
    times (and, with ``later``, a phase-two cell whose evidence is missing)."""
    swimlanes = tuple(Swimlane(f"lane-{n:04d}", f"Swimlane number {n:04d}") for n in range(lanes))
    cells: list[Cell] = []
    cases = []
    for n in range(lanes):
        lane = f"lane-{n:04d}"
        classname = f"tests.test_lane_{n:04d}"
        bench = by_tests(lane, "one", "tests", classname=(classname,), line=10 + n)
        cells.append(Cell(lane, "one", f"Goal of swimlane {n}", (bench,)))
        if later:
            cells.append(
                Cell(lane, "two", "Later goal", (by_tests(lane, "two", "later", "chaos"),))
            )
        cases += [
            case(f"test_{i:04d}", TestStatus.FAILED, classname=classname, message=message)
            for i in range(failing_per_lane)
        ]
    evidence = {"unit": read("unit", "reports/junit/unit.xml", *cases)}
    if later:
        evidence["chaos"] = missing("chaos", "reports/chaos/*.xml")
    built = matrix("Big", swimlanes, tuple(cells), phases=PHASES, current=current)
    return Scenario("big", built, evidence)


def markdown(report: Report, exit_code: int) -> str:
    return REPORTERS["markdown"](report, RenderOptions(exit_code=exit_code))
