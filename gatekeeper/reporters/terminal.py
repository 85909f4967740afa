"""The report for a CI log or a terminal: the matrix, then what blocks the gate.

Every piece of text from the matrix file or the evidence goes through ``plain()``: a CI log
obeys escape sequences and workflow commands, and a test name is not allowed to send either.
"""

from __future__ import annotations

from gatekeeper.policy import RuleKind
from gatekeeper.reporters.common import (
    RULE_TITLES,
    STATE_WORDS,
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
from gatekeeper.text import plain
from gatekeeper.words import count

_COLORS = {"green": "32", "red": "31", "grey": "90", "bold": "1", "yellow": "33"}
_STATE_COLOR = {CellState.GREEN: "green", CellState.RED: "red", CellState.GREY: "grey"}
_OUTCOME_COLOR = {Outcome.FAIL: "red", Outcome.ERROR: "red", Outcome.MISSING: "grey"}
_WAIVER_LOOK = {"expired": ("EXPIRED", "red"), "waived": ("waived", "yellow")}


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, color: str) -> str:
        if not self.enabled or not text.strip():
            return text
        return f"\033[{_COLORS[color]}m{text}\033[0m"


_GATE = "gate"
"""The label of the table's last row; every row's label column is at least this wide."""


def _table(report: Report, paint: _Painter) -> list[str]:
    phases = report.matrix.phases
    names = [plain(p.name) for p in phases]
    lanes = [(s.id, plain(s.name)) for s in report.matrix.swimlanes]
    lane_width = max(len(name) for name in (*(n for _, n in lanes), _GATE)) + 2
    widths = [max(len(name), 7) + 2 for name in names]
    lines = [
        (
            " " * (lane_width + 2) + "".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
        ).rstrip()
    ]
    touched = report.changes.swimlanes if report.changes else frozenset()
    for lane_id, lane_name in lanes:
        row = ("* " if lane_id in touched else "  ") + lane_name.ljust(lane_width)
        for phase, width in zip(phases, widths, strict=True):
            cell = report.cell(lane_id, phase.id)
            state = cell.state if cell else CellState.BLANK
            word = STATE_WORDS[state].upper() if state is CellState.RED else STATE_WORDS[state]
            row += (
                paint(word.ljust(width), _STATE_COLOR.get(state, "grey")) if word else " " * width
            )
        lines.append(row.rstrip())
    gate_row = "  " + _GATE.ljust(lane_width)
    for gate, width in zip(report.gates, widths, strict=True):
        word = (
            "passed" if gate.passed else "FAILED" if gate.phase.id == report.enforced else "failed"
        )
        gate_row += paint(word.ljust(width), "green" if gate.passed else "red")
    lines.append(gate_row.rstrip())
    if report.changes is not None:
        lines.append(f"  * {plain(touched_words(report, report.changes))}")
    return lines


def _rule_lines(report: Report, paint: _Painter) -> list[str]:
    """The pull request rules: which held, which blocked, and why each applies."""
    lines = [f"Pull request rules ({plain(standing_words(report))}):"]
    for result in report.rules:
        word = rule_word(result)
        color = "green" if result.passed else "red" if result.rule.blocking else "yellow"
        title = RULE_TITLES[result.rule.kind]
        lines.append(f"    {paint(word.ljust(8), color)}{title}: {plain(result.rule.reason)}")
        if result.rule.kind is RuleKind.CURRENT_PHASE and result.rule.phase:
            met, total = cells_met(report, result.rule.phase)
            lines.append(f"            {met} of {count(total, 'cell')} met")
        if not result.passed:
            cells = ", ".join(plain(c) for c in result.blocking_cells)
            lines.append(f"            not met: {cells}")
    return [*lines, ""]


def _benchmark_lines(result: BenchmarkResult, paint: _Painter) -> list[str]:
    tag = result.outcome.value.upper()
    color = _OUTCOME_COLOR.get(result.outcome, "yellow")
    lines = [f"    {paint(tag.ljust(8), color)}{plain(result.benchmark.ref)}"]
    lines.append(f"            {plain(result.summary)}")
    lines.extend(f"            {plain(d)}" for d in result.details)
    age = age_words(result)
    if age is not None:
        lines.append(f"            {plain(age)}")
    sources = evidence_sources(result)
    if sources:
        lines.append(f"            evidence: {', '.join(plain(s) for s in sources)}")
    return lines


def render(report: Report, options: RenderOptions) -> str:
    paint = _Painter(options.color)
    ok = report.passed and options.exit_code == 0
    lines = [paint(plain(headline(report, options.exit_code)), "green" if ok else "red")]
    clock = clock_words(report)
    lines += [clock, ""] if clock is not None else [""]
    lines += _table(report, paint)
    lines.append("")
    if report.policy.pull_request:
        lines += _rule_lines(report, paint)
    said = baseline_words(report)
    if said:
        lines += [plain(said[0]), *(f"    {plain(s)}" for s in said[1:]), ""]
    blocking = failing(report)
    gate = plain(phase_name(report, report.enforced))
    if blocking:
        lines.append(paint(f"Blocking the {gate} gate ({len(blocking)}):", "bold"))
        for result in blocking:
            lines += _benchmark_lines(result, paint)
        lines.append("")
    due = due_results(report)
    if due:
        lines.append(f"Due ({len(due)}, not blocking: stale evidence of an achieved phase, run "
                     "it again):")  # fmt: skip
        for result in due:
            age = age_words(result) or result.summary
            lines.append(f"    {paint('DUE'.ljust(8), 'yellow')}{plain(result.benchmark.ref)}: "
                         f"{plain(age)}")  # fmt: skip
        lines.append("")
    pending = later(report)
    if pending:
        where = " in later phases" if report.enforced is not None else ""
        lines.append(f"Not yet met{where} ({len(pending)}, not blocking):")
        lines += [
            f"    {r.outcome.value.upper().ljust(8)}{plain(r.benchmark.ref)}: {plain(r.summary)}"
            for r in pending
        ]
        lines.append("")
    if report.matrix.waivers:
        lines.append(f"Waivers ({len(report.matrix.waivers)}):")
        for w in report.matrix.waivers:
            status = waiver_status(report, w)
            word, color = _WAIVER_LOOK.get(status, (status, "grey"))
            lines.append(
                f"    {paint(word.ljust(11), color)}{plain(w.benchmark)} — {plain(w.reason)}"
                f" (approved by {plain(w.approved_by)}, expires {w.expires.isoformat()})"
            )
        lines.append("")
    if options.exit_line:
        lines.append(f"exit {options.exit_code}")
    return "\n".join(lines).rstrip("\n") + "\n"
