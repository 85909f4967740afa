"""What every reporter shares: options, the verdict in words, the order of things."""

from __future__ import annotations

import re

from gatekeeper.changes import Changes
from gatekeeper.errors import ExitCode
from gatekeeper.model import Waiver
from gatekeeper.policy import RuleKind
from gatekeeper.records import record
from gatekeeper.results import BenchmarkResult, CellState, Outcome, Report, RuleResult

TOUCHED = "✏️"
"""Marks the swimlanes a pull request touches (Markdown and HTML)."""
WORD_JOINER = "\u2060"
"""Invisible and not whitespace: it breaks a mention or a workflow command and shows nothing."""
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Marks and overrides that reorder text as it is displayed (the 'Trojan Source' trick)."""


@record
class RenderOptions:
    """How to render; never what to conclude."""

    exit_code: int
    """The exit code the run ends with (the report states it)."""
    color: bool = False
    """ANSI colour, terminal reporter only."""


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


def cells_met(report: Report, phase: str) -> tuple[int, int]:
    """(green cells, cells) of one phase."""
    cells = [c for c in report.cells if c.cell.phase == phase]
    return sum(c.state is CellState.GREEN for c in cells), len(cells)


def enforced_results(report: Report) -> list[BenchmarkResult]:
    """Benchmarks of the cells the enforced gate covers, in matrix order."""
    if report.enforced is None:
        return []
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
    limit = -1 if report.enforced is None else report.matrix.phase_index(report.enforced)
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


def waiver_status(report: Report, waiver: Waiver) -> str:
    """'expired', 'waived' (it turns a shortfall into a pass) or 'not needed' (the benchmark
    passes on its own evidence)."""
    if report.today > waiver.expires:
        return "expired"
    result = next((b for b in report.benchmarks if b.benchmark.ref == waiver.benchmark), None)
    return "not needed" if result is not None and result.outcome is Outcome.PASS else "waived"


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
"""Control characters (Unicode category Cc) and text-direction controls: one expression,
so a text of megabytes is made inert at C speed, not a character at a time."""


def _shown(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """Untrusted text on one line: every run of whitespace (newlines included) becomes one
    space, and control and text-direction characters are shown as escapes (\\x1b, \\u202e)
    so that they do nothing to a terminal or a page."""
    return CONTROLS.sub(_shown, " ".join(text.split()))


def plain(text: str) -> str:
    """Untrusted text made inert for a terminal and a CI log.

    On one line (see ``one_line``), and never a GitHub Actions workflow command: the runner
    obeys ``::cmd::`` at the start of a line, after any spaces, and ``##[cmd]`` anywhere in
    one, so a word joiner goes in front of a leading ``::`` and inside every ``##[``. A
    ``::`` elsewhere (``tests/test_x.py::test_y``) is left alone.
    """
    text = one_line(text)
    if text.startswith("::"):
        text = WORD_JOINER + text
    return text.replace("##[", "##" + WORD_JOINER + "[")


def _xml_char(char: str) -> str:
    """Characters XML 1.0 forbids even as references (lone surrogates, U+FFFE, U+FFFF)."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return char


def shown(text: str) -> str:
    """Untrusted text as a page or an SVG shows it, before escaping: ``one_line``, and the
    characters XML cannot hold shown as escapes too."""
    return "".join(map(_xml_char, one_line(text)))


def markup(text: str) -> str:
    """Untrusted text as the content of an HTML or SVG element or a quoted attribute value.

    ``shown`` (on one line, control, text-direction and XML-forbidden characters shown as
    escapes), then ``html.escape(..., quote=True)``: no tag, entity, comment or attribute can
    begin, and an SVG stays well-formed. ``##[`` becomes ``##&#91;`` (the same on a page),
    so the text is no workflow command when the page is printed to a CI log.
    """
    import html  # only the Markdown and HTML reports escape: start-up time

    return html.escape(shown(text), quote=True).replace("##[", "##&#91;")
