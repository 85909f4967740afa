"""Markdown for job summaries and PR comments: the matrix table, then each blocker."""

from __future__ import annotations

import re

from gatekeeper.policy import RuleKind
from gatekeeper.reporters.common import (
    RULE_TITLES,
    STATE_WORDS,
    TOUCHED,
    RenderOptions,
    age_words,
    baseline_words,
    clock_words,
    headline,
    phase_name,
    rule_word,
    standing_words,
    touched_words,
)
from gatekeeper.results import (
    BenchmarkResult,
    CellState,
    Outcome,
    Report,
    cells_met,
    due_results,
    evidence_sources,
    failing,
    later,
    waiver_status,
)
from gatekeeper.text import one_line

MARKERS: dict[CellState, str] = {
    CellState.GREEN: "🟩",
    CellState.RED: "🟥",
    CellState.GREY: "⬜",
    CellState.BLANK: "·",
}
_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")  # what can format or link mid-line
_GOAL_CHARS = 60
_RULE_MARK = {"passed": "✅ passed", "FAILED": "❌ **failed**", "failed": "⚠️ not yet"}
_WAIVER_STATUS = {"expired": "❌ expired", "waived": "⚠️ waived", "not needed": "✅ not needed"}


def escape(text: str) -> str:
    """Make untrusted text inert in GitHub Markdown: no tables broken, no HTML, no @mentions,
    no escape sequences (the report is also printed to CI logs with --format markdown)."""
    text = one_line(text)  # newlines would end a table row
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u2060")  # a word joiner stops the mention


def _cell(report: Report, lane: str, phase: str) -> str:
    result = report.cell(lane, phase)
    if result is None:
        return MARKERS[CellState.BLANK]
    goal = result.cell.goal
    if len(goal) > _GOAL_CHARS:
        goal = goal[: _GOAL_CHARS - 1] + "…"
    return f"{MARKERS[result.state]} {STATE_WORDS[result.state]}<br>{escape(goal)}"


def _table(report: Report) -> list[str]:
    phases = report.matrix.phases
    lines = [
        "| Swimlane | " + " | ".join(escape(p.name) for p in phases) + " |",
        "|---|" + "---|" * len(phases),
    ]
    touched = report.changes.swimlanes if report.changes else frozenset()
    for lane in report.matrix.swimlanes:
        cells = " | ".join(_cell(report, lane.id, p.id) for p in phases)
        mark = f"{TOUCHED} " if lane.id in touched else ""
        lines.append(f"| {mark}**{escape(lane.name)}** | {cells} |")
    gates = " | ".join(
        (
            "✅ passed"
            if g.passed
            else "❌ **failed**"
            if g.phase.id == report.enforced
            else "❌ failed"
        )
        for g in report.gates
    )
    lines.append(f"| *gate* | {gates} |")
    return lines


def _rules(report: Report) -> list[str]:
    lines = [
        "### Pull request rules",
        "",
        f"*{escape(standing_words(report))}*",
        "",
        "| Rule | Verdict | Why | Not met |",
        "|---|---|---|---|",
    ]
    for result in report.rules:
        why = escape(result.rule.reason)
        if result.rule.kind is RuleKind.CURRENT_PHASE and result.rule.phase:
            met, total = cells_met(report, result.rule.phase)
            why += f" ({met} of {total} cells met)"
        cells = ", ".join(escape(c) for c in result.blocking_cells) or "—"
        title = RULE_TITLES[result.rule.kind]
        lines.append(f"| {title} | {_RULE_MARK[rule_word(result)]} | {why} | {cells} |")
    return [*lines, ""]


def _blocker(report: Report, result: BenchmarkResult) -> list[str]:
    bench = result.benchmark
    cell = report.cell(bench.swimlane, bench.phase)
    lane = next(s.name for s in report.matrix.swimlanes if s.id == bench.swimlane)
    marker = MARKERS[CellState.GREY if result.outcome is Outcome.MISSING else CellState.RED]
    lines = [f"#### {marker} {escape(bench.ref)} — {result.outcome.value}", ""]
    where = f"{escape(lane)} × {escape(phase_name(report, bench.phase))}"
    if cell is not None:
        where += f": {escape(cell.cell.goal)}"
    lines += [f"*{where}*", "", f"- {escape(result.summary)}"]
    lines += [f"  - {escape(d)}" for d in result.details]
    age = age_words(result)
    if age is not None:
        lines.append(f"- {escape(age)}")
    sources = evidence_sources(result)
    if sources:
        lines.append(f"- evidence: {', '.join(escape(s) for s in sources)}")
    return [*lines, ""]


def render(report: Report, options: RenderOptions) -> str:
    icon = "✅" if options.exit_code == 0 else "❌"
    lines = [f"## {icon} {escape(headline(report, options.exit_code))}", ""]
    lines += _table(report)
    lines += [
        "",
        "🟩 met · 🟥 failed · ⬜ pending (evidence missing) · · no work in this phase",
        "",
    ]
    if report.changes is not None:
        lines += [f"{TOUCHED} {escape(touched_words(report, report.changes))}", ""]
    if report.policy.pull_request:
        lines += _rules(report)
    said = baseline_words(report)
    if said:
        lines += [*(f"- {escape(s)}" for s in said), ""]
    blocking = failing(report)
    if blocking:
        gate = escape(phase_name(report, report.enforced))
        lines += [f"### Blocking the {gate} gate ({len(blocking)})", ""]
        for result in blocking:
            lines += _blocker(report, result)
    due = due_results(report)
    if due:
        lines += [f"### Due ({len(due)}, not blocking: stale evidence, run it again)", ""]
        lines += [f"- {escape(r.benchmark.ref)}: {escape(age_words(r) or r.summary)}" for r in due]
        lines.append("")
    pending = later(report)
    if pending:
        where = " in later phases" if report.enforced is not None else ""
        lines += [f"### Not yet met{where} ({len(pending)}, not blocking)", ""]
        lines += [
            f"- {escape(r.benchmark.ref)} — {r.outcome.value}: {escape(r.summary)}" for r in pending
        ]
        lines.append("")
    if report.matrix.waivers:
        lines += [
            f"### Waivers ({len(report.matrix.waivers)})",
            "",
            "| Benchmark | Status | Approved by | Expires | Reason |",
            "|---|---|---|---|---|",
        ]
        for w in report.matrix.waivers:
            status = _WAIVER_STATUS[waiver_status(report, w)]
            lines.append(
                f"| {escape(w.benchmark)} | {status} | {escape(w.approved_by)} | "
                f"{w.expires.isoformat()} | {escape(w.reason)} |"
            )
        lines.append("")
    clock = clock_words(report)
    tail = f" · {escape(clock)}" if clock is not None else ""
    lines.append(f"<sub>gatekeeper · exit code {options.exit_code}{tail}</sub>")
    return "\n".join(lines) + "\n"
