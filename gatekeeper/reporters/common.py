"""What every reporter shares: options, the verdict in words, the order of things."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gatekeeper.changes import Changes
from gatekeeper.errors import ExitCode
from gatekeeper.freshness import age_text, utc
from gatekeeper.policy import RuleKind
from gatekeeper.records import record
from gatekeeper.results import BenchmarkResult, CellState, Report, RuleResult

if TYPE_CHECKING:  # the history's records import the JSON reporter: no cycle at run time
    from gatekeeper.history.model import History, TagMark

TOUCHED = "✏️"
"""Marks the swimlanes a pull request touches (Markdown and HTML)."""


@record
class RenderOptions:
    """How to render; never what to conclude."""

    exit_code: int
    """The exit code the run ends with (the report states it)."""
    color: bool = False
    """ANSI colour, terminal reporter only."""
    exit_line: bool = True
    """End the terminal report with ``exit N``: not where the report is a view that decides no
    exit code (``status``) or a text kept elsewhere (a phase tag's message)."""
    history: History | None = None
    """The project's past evaluations, context shown beside the verdict (HTML reporter only:
    its trend charts and phase timeline); never what to conclude."""
    tags: tuple[TagMark, ...] = ()
    """Phase tags, for the dates phases were first reached (HTML reporter only)."""
    commit: str | None = None
    """The commit this run judged; None: unknown, so this run is always drawn as the newest
    point of a trend (with it, not where the history's newest point is that commit's)."""


def phase_name(report: Report, phase_id: str | None) -> str:
    return report.matrix.phase_name(phase_id)


def verdict(report: Report, exit_code: int) -> str:
    """'passed', 'failed' or 'no evidence' — the word reports lead with."""
    if exit_code == ExitCode.NO_EVIDENCE:
        return "no evidence"
    return "passed" if report.passed else "failed"


def judged(report: Report) -> str:
    """What the verdict is on: 'Iron gate', or 'pull request rules' with those that block."""
    if report.policy.pull_request:
        blocking = [RULE_TITLES[r.rule.kind] for r in report.rules if r.blocks]
        return "pull request rules" + (f" ({', '.join(blocking)})" if blocking else "")
    return f"{phase_name(report, report.enforced)} gate"


def headline(report: Report, exit_code: int) -> str:
    """One line: project, the enforced gate, its verdict, where the project stands."""
    project = f"{report.matrix.project}: " if report.matrix.project else ""
    word = verdict(report, exit_code)
    return f"{project}{judged(report)} {word.upper()} — {standing(report)}"


def standing(report: Report) -> str:
    """'stands at Bronze', or 'no phase yet' when not even the first gate passes."""
    if report.stands_at is None:
        return "no phase yet"
    return f"stands at {phase_name(report, report.stands_at)}"


RULE_TITLES: dict[RuleKind, str] = {
    RuleKind.GATE: "gate",
    RuleKind.NO_REGRESSION: "no regression",
    RuleKind.NEXT_PHASE: "next-phase work",
    RuleKind.CURRENT_PHASE: "current phase",
}


def rule_word(result: RuleResult) -> str:
    """'passed', 'FAILED' (it blocks) or 'failed' (reported only)."""
    if result.passed:
        return "passed"
    return "FAILED" if result.rule.blocking else "failed"


def standing_words(report: Report) -> str:
    """Where a pull request starts from: what is achieved, what is worked on, and why."""
    policy = report.policy
    achieved = phase_name(report, policy.achieved)
    working = phase_name(report, policy.working) if policy.working else "nothing (all achieved)"
    return f"achieved: {achieved} · working on: {working} · from {policy.standing_from}"


def baseline_words(report: Report) -> list[str]:
    """Where the baseline evidence came from (or why there is none), then each run passed
    over; empty when no benchmark compares with it."""
    found = report.baseline
    if found is None:
        return []
    head = f"baseline: {found.description}" if found.found else found.description
    return [head, *(f"skipped {s}" for s in found.skipped)]


def touched_words(report: Report, changes: Changes) -> str:
    """The swimlanes a pull request touches, for the line under the matrix."""
    names = {s.id: s.name for s in report.matrix.swimlanes}
    files = f"{changes.files} changed file{'s' if changes.files != 1 else ''}"
    if not changes.touched:
        said = f"this pull request touches no swimlane's paths ({files})"
    else:
        lanes = ", ".join(f"{names[lane]} ({n})" for lane, n in changes.touched)
        said = f"touched by this pull request: {lanes} of {files}"
    if changes.outside:
        said += f"; {changes.outside} outside every swimlane's paths"
    return said


STATE_WORDS: dict[CellState, str] = {
    CellState.GREEN: "met",
    CellState.RED: "failed",
    CellState.GREY: "pending",
    CellState.BLANK: "",
}


def moment_words(moment: dt.datetime) -> str:
    """'2026-12-04 03:10 UTC': a time a person reads."""
    return utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def age_words(result: BenchmarkResult) -> str | None:
    """Where a max_age applies: 'evidence measured 2026-11-20 10:00 UTC, 14 days old (max
    30d)', or that it records no time; None where none applies."""
    fresh = result.freshness
    if fresh is None:
        return None
    limit = f"max {fresh.max_age.text}"
    if fresh.measured_at is None or fresh.age is None:
        return f"evidence with no recorded time ({limit})"
    if fresh.age < dt.timedelta(0):
        return f"evidence measured {moment_words(fresh.measured_at)}, after the check's time"
    old = age_text(fresh.age, fresh.max_age)
    stale = ", stale" if fresh.stale else ""
    return f"evidence measured {moment_words(fresh.measured_at)}, {old} old ({limit}{stale})"


def clock_words(report: Report) -> str | None:
    """'evidence ages as of 2026-12-04 03:10 UTC' when some benchmark has a max_age."""
    if report.as_of is None or not any(b.freshness for b in report.benchmarks):
        return None
    return f"evidence ages as of {moment_words(report.as_of)}"
