"""One self-contained HTML page: the matrix with coloured cells, then what blocks the gate.

No external resource and no script: inline CSS only, and a Content-Security-Policy that
allows nothing else, so the page works offline, from an artifact or behind a strict CSP.
Every piece of text from the matrix file or the evidence goes through ``markup()``
(``one_line`` then ``html.escape``); every line of the page starts with a tag or is the
fixed style sheet, so printed to a CI log it carries no workflow command either.
Given a history, the page also has a timeline of phases reached above the matrix and trend
charts at its end (``html_history``). Every table scrolls sideways in its own named box, so
on a phone the page itself does not.
"""

from __future__ import annotations

from gatekeeper import __version__
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
from gatekeeper.reporters.html_history import history_top, trends_section
from gatekeeper.results import (
    BenchmarkResult,
    Outcome,
    Report,
    cells_met,
    due_results,
    evidence_sources,
    failing,
    later,
    waiver_status,
)
from gatekeeper.text import markup

CSP = "default-src 'none'; style-src 'unsafe-inline'"
_STYLE = """\
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;\
color:#1f2328;background:#fff}
h1{font-size:1.4rem;margin:0 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
h4{font-size:.95rem;margin:1rem 0 .25rem}
h1,h2,h3,h4,p,li{overflow-wrap:break-word}
:focus-visible,.scroll:focus{outline:3px solid #0969da;outline-offset:2px}
.scroll{overflow-x:auto;max-width:100%;margin:.25rem 0 .75rem}
table{border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d0d7de;padding:.35rem .55rem;text-align:left;vertical-align:top}
thead th{background:#f6f8fa}
.matrix td{min-width:7.5rem;max-width:16rem}
.green{background:#dafbe1}
.red{background:#ffebe9}
.grey{background:#eaeef2}
.state{display:block;font-weight:600}
.goal{display:block;font-size:.88em}
.ok{color:#116329}
.bad{color:#a40e26}
.warn{color:#7d4e00}
.muted{color:#59636e}
code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
ul{margin:.25rem 0;padding-left:1.4rem}
footer{margin-top:2rem;color:#59636e;font-size:.85em}
.timeline{list-style:none;padding:0;margin:.25rem 0 1rem;display:flex;flex-wrap:wrap;gap:.4rem}
.timeline li{border:1px solid #d0d7de;border-radius:6px;padding:.3rem .6rem}
.timeline .reached{background:#dafbe1}
.timeline .stands{border:3px solid #1f2328}
.timeline .phase,.here{font-weight:600}
svg.trend{display:block;width:100%;max-width:30rem;height:auto}
.trend .axis{fill:none;stroke:#6e7781}
.trend .label{font-size:12px;fill:#59636e}
.trend .line{fill:none;stroke:#0969da;stroke-width:2}
.trend .limit{fill:none;stroke:#a40e26;stroke-width:1.5;stroke-dasharray:6 4}
.trend .point{fill:#0969da}
.trend .fail{fill:#fff;stroke:#cf222e;stroke-width:2}
.trend .cross{stroke:#cf222e;stroke-width:2}
.trend .gap{stroke:#59636e;stroke-width:2}
.trend .this-run{fill:none;stroke:#1f2328;stroke-width:1.5}
@media (max-width:40rem){body{margin:1rem}}
"""
_GATE_CLASS = {"passed": "green", "FAILED": "red", "failed": "red"}
_RULE_CLASS = {"passed": "ok", "FAILED": "bad", "failed": "warn"}
_OUTCOME_CLASS = {Outcome.FAIL: "bad", Outcome.ERROR: "bad", Outcome.MISSING: "muted"}
_WAIVER_CLASS = {"expired": "bad", "waived": "warn", "not needed": "ok"}


def _box(label: str) -> str:
    """A table's own box, which scrolls sideways where the page is too narrow (a phone) so that
    the page does not; a region with a name and a tab stop so the keyboard can scroll it."""
    return f'<div class="scroll" role="region" aria-label="{label}" tabindex="0">'


def _matrix(report: Report) -> list[str]:
    phases = report.matrix.phases
    touched = report.changes.swimlanes if report.changes else frozenset()
    lines = [
        _box("Swimlanes × phases matrix"),
        '<table class="matrix">',
        "<caption>Swimlanes × phases: each cell's state and goal</caption>",
        '<thead><tr><th scope="col">Swimlane</th>'
        + "".join(f'<th scope="col">{markup(p.name)}</th>' for p in phases)
        + "</tr></thead>",
        "<tbody>",
    ]
    for lane in report.matrix.swimlanes:
        mark = f"{TOUCHED} " if lane.id in touched else ""
        row = f'<tr><th scope="row">{mark}{markup(lane.name)}</th>'
        for phase in phases:
            cell = report.cell(lane.id, phase.id)
            if cell is None:
                row += '<td class="blank"></td>'
                continue
            state = cell.state
            row += (
                f'<td class="{state.value}"><span class="state">{STATE_WORDS[state]}</span>'
                f'<span class="goal">{markup(cell.cell.goal)}</span></td>'
            )
        lines.append(row + "</tr>")
    gates = ""
    for gate in report.gates:
        word = (
            "passed" if gate.passed else "FAILED" if gate.phase.id == report.enforced else "failed"
        )
        gates += f'<td class="{_GATE_CLASS[word]}"><span class="state">{word}</span></td>'
    lines += [
        "</tbody>",
        f'<tfoot><tr><th scope="row">gate</th>{gates}</tr></tfoot>',
        "</table>",
        "</div>",
        '<p class="muted">met: every benchmark passed or is waived · failed: a benchmark '
        "failed or its evidence is unreadable · pending: evidence missing · empty: no work "
        "in this phase</p>",
    ]
    if report.changes is not None:
        lines.append(f"<p>{TOUCHED} {markup(touched_words(report, report.changes))}</p>")
    return lines


def _rules(report: Report) -> list[str]:
    lines = [
        "<h2>Pull request rules</h2>",
        f'<p class="muted">{markup(standing_words(report))}</p>',
        _box("Pull request rules"),
        "<table>",
        "<caption>Each rule, its verdict, why it applies and the cells that keep it from "
        "holding</caption>",
        '<thead><tr><th scope="col">Rule</th><th scope="col">Verdict</th>'
        '<th scope="col">Why</th><th scope="col">Not met</th></tr></thead>',
        "<tbody>",
    ]
    for result in report.rules:
        word = rule_word(result)
        why = markup(result.rule.reason)
        if result.rule.kind is RuleKind.CURRENT_PHASE and result.rule.phase:
            met, total = cells_met(report, result.rule.phase)
            why += f" ({met} of {total} cells met)"
        cells = ", ".join(markup(c) for c in result.blocking_cells) or "—"
        lines.append(
            f'<tr><th scope="row">{RULE_TITLES[result.rule.kind]}</th>'
            f'<td class="{_RULE_CLASS[word]}">{word}</td><td>{why}</td><td>{cells}</td></tr>'
        )
    return [*lines, "</tbody>", "</table>", "</div>"]


def _blocker(report: Report, result: BenchmarkResult) -> list[str]:
    bench = result.benchmark
    cell = report.cell(bench.swimlane, bench.phase)
    lane = next(s.name for s in report.matrix.swimlanes if s.id == bench.swimlane)
    tag = result.outcome.value.upper()
    where = f"{markup(lane)} × {markup(phase_name(report, bench.phase))}"
    if cell is not None:
        where += f": {markup(cell.cell.goal)}"
    lines = [
        f'<h3><span class="{_OUTCOME_CLASS.get(result.outcome, "warn")}">{tag}</span> '
        f"<code>{markup(bench.ref)}</code></h3>",
        f'<p class="muted">{where}</p>',
        "<ul>",
    ]
    if result.details:
        lines += [f"<li>{markup(result.summary)}", "<ul>"]
        lines += [f"<li>{markup(d)}</li>" for d in result.details]
        lines += ["</ul>", "</li>"]
    else:
        lines.append(f"<li>{markup(result.summary)}</li>")
    age = age_words(result)
    if age is not None:
        lines.append(f"<li>{markup(age)}</li>")
    sources = evidence_sources(result)
    if sources:
        files = ", ".join(f"<code>{markup(s)}</code>" for s in sources)
        lines.append(f"<li>evidence: {files}</li>")
    return [*lines, "</ul>"]


def _waivers(report: Report) -> list[str]:
    lines = [
        f"<h2>Waivers ({len(report.matrix.waivers)})</h2>",
        _box("Waivers"),
        "<table>",
        "<caption>Every waiver in the matrix file, needed or not</caption>",
        '<thead><tr><th scope="col">Benchmark</th><th scope="col">Status</th>'
        '<th scope="col">Approved by</th><th scope="col">Expires</th>'
        '<th scope="col">Reason</th></tr></thead>',
        "<tbody>",
    ]
    for w in report.matrix.waivers:
        status = waiver_status(report, w)
        lines.append(
            f'<tr><th scope="row"><code>{markup(w.benchmark)}</code></th>'
            f'<td class="{_WAIVER_CLASS[status]}">{status}</td><td>{markup(w.approved_by)}</td>'
            f"<td>{w.expires.isoformat()}</td><td>{markup(w.reason)}</td></tr>"
        )
    return [*lines, "</tbody>", "</table>", "</div>"]


def render(report: Report, options: RenderOptions) -> str:
    title = markup(headline(report, options.exit_code))
    look = "ok" if options.exit_code == 0 else "bad"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        "<style>",
        _STYLE + "</style>",
        "</head>",
        "<body>",
        "<main>",
        f'<h1 class="{look}">{title}</h1>',
    ]
    lines += history_top(report, options)
    lines += _matrix(report)
    if report.policy.pull_request:
        lines += _rules(report)
    baseline = baseline_words(report)
    if baseline:
        lines.append(f"<p>{markup(baseline[0])}</p>")
        if baseline[1:]:
            lines += ["<ul>", *(f"<li>{markup(s)}</li>" for s in baseline[1:]), "</ul>"]
    blocking = failing(report)
    if blocking:
        gate = markup(phase_name(report, report.enforced))
        lines.append(f"<h2>Blocking the {gate} gate ({len(blocking)})</h2>")
        for result in blocking:
            lines += _blocker(report, result)
    due = due_results(report)
    if due:
        lines += [f"<h2>Due ({len(due)}, not blocking: stale evidence, run it again)</h2>", "<ul>"]
        lines += [
            f'<li><span class="warn">DUE</span> <code>{markup(r.benchmark.ref)}</code>: '
            f"{markup(age_words(r) or r.summary)}</li>"
            for r in due
        ]
        lines.append("</ul>")
    pending = later(report)
    if pending:
        where = " in later phases" if report.enforced is not None else ""
        lines += [f"<h2>Not yet met{where} ({len(pending)}, not blocking)</h2>", "<ul>"]
        lines += [
            f'<li><span class="{_OUTCOME_CLASS.get(r.outcome, "warn")}">'
            f"{r.outcome.value.upper()}</span> <code>{markup(r.benchmark.ref)}</code>: "
            f"{markup(r.summary)}</li>"
            for r in pending
        ]
        lines.append("</ul>")
    if report.matrix.waivers:
        lines += _waivers(report)
    lines += trends_section(report, options)  # after what decides the verdict: context
    said = clock_words(report)
    clock = f" · {markup(said)}" if said is not None else ""
    lines += [
        "</main>",
        f"<footer>exit code {options.exit_code} · gatekeeper {__version__}{clock}</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(lines) + "\n"
