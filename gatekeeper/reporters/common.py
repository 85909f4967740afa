"""What every reporter shares: options, the verdict in words, the order of things."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.errors import ExitCode
from gatekeeper.results import BenchmarkResult, CellState, Outcome, Report


@dataclass(frozen=True)
class RenderOptions:
    """How to render; never what to conclude."""

    exit_code: int
    """The exit code the run ends with (the report states it)."""
    color: bool = False
    """ANSI colour, terminal reporter only."""


def phase_name(report: Report, phase_id: str | None) -> str:
    if phase_id is None:
        return "none"
    return next(p.name for p in report.matrix.phases if p.id == phase_id)


def verdict(report: Report, exit_code: int) -> str:
    """'passed', 'failed' or 'no evidence' — the word reports lead with."""
    if exit_code == ExitCode.NO_EVIDENCE:
        return "no evidence"
    return "passed" if report.passed else "failed"


def headline(report: Report, exit_code: int) -> str:
    """One line: project, the enforced gate, its verdict, where the project stands."""
    project = f"{report.matrix.project}: " if report.matrix.project else ""
    gate = phase_name(report, report.enforced)
    word = verdict(report, exit_code)
    stands = phase_name(report, report.stands_at)
    return f"{project}{gate} gate {word.upper()} — stands at {stands}"


def enforced_results(report: Report) -> list[BenchmarkResult]:
    """Benchmarks of the cells the enforced gate covers, in matrix order."""
    limit = report.matrix.phase_index(report.enforced)
    return [
        b
        for c in report.cells
        if report.matrix.phase_index(c.cell.phase) <= limit
        for b in c.benchmarks
    ]


def failing(report: Report) -> list[BenchmarkResult]:
    """Benchmarks that block the enforced gate: failed or unreadable first, then missing."""
    order = {Outcome.FAIL: 0, Outcome.ERROR: 1, Outcome.MISSING: 2}
    blocking = [b for b in enforced_results(report) if not b.outcome.met]
    return sorted(blocking, key=lambda b: order[b.outcome])


def later(report: Report) -> list[BenchmarkResult]:
    """Benchmarks of phases after the enforced one that are not met (not blocking)."""
    limit = report.matrix.phase_index(report.enforced)
    return [
        b
        for c in report.cells
        if report.matrix.phase_index(c.cell.phase) > limit
        for b in c.benchmarks
        if not b.outcome.met
    ]


STATE_WORDS: dict[CellState, str] = {
    CellState.GREEN: "met",
    CellState.RED: "failed",
    CellState.GREY: "pending",
    CellState.BLANK: "",
}


def evidence_sources(result: BenchmarkResult) -> list[str]:
    """The files a benchmark's verdict rests on."""
    files = {m.source for m in result.measurements} | {t.source for t in result.failed_tests}
    return sorted(f for f in files if f)
