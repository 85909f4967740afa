"""Findings criteria: count the selected static-analysis findings, in all and new against the
baseline, and hold them to their limits.

Zero findings is the answer a gate wants, so an empty selection passes; what makes it
evidence is that the analyser ran: no run of a selected tool in the files is ``missing``, a
run that recorded its own failure fails (its findings may be incomplete), and findings that
cannot be placed under a file glob, or a severity asked of analysers that give none (of all
of them, or of one whose findings the selection would otherwise take), are ``error``: never a
pass by leaving something out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from gatekeeper.evidence import LEVELS, ArtifactEvidence, Finding
from gatekeeper.findings import FindingSelection, new_findings, select_findings
from gatekeeper.model import FindingsCriterion
from gatekeeper.results import FoundFindings, Measurement, Outcome
from gatekeeper.selector import matches_any
from gatekeeper.text import one_line
from gatekeeper.units import Dimension, Quantity
from gatekeeper.words import count

Verdict = tuple[Outcome, str, tuple[str, ...], tuple[Measurement, ...], FoundFindings | None]

MAX_DETAIL_FINDINGS = 20


def describe(finding: Finding) -> str:
    """One finding as a detail line: level, rule, where, and the first of its message."""
    rule = f" {finding.rule}" if finding.rule else ""
    said = f" — {one_line(finding.message)[:200]}" if finding.message else ""
    return f"{finding.level}{rule} {finding.where}{said}"


def _by_level(findings: Sequence[Finding]) -> str:
    levels = Counter(f.level for f in findings)
    return ", ".join(f"{level} {levels[level]}" for level in reversed(LEVELS) if levels[level])


def _some(names: Sequence[str], limit: int = 5) -> str:
    """Names for a message, the first few: a log may hold thousands of runs or files, and a
    summary goes into comments and check runs that have a size limit."""
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit:,} more"


def _listed(findings: Sequence[Finding], what: str) -> tuple[str, ...]:
    lines = [f"{what}: {describe(f)}" for f in findings[:MAX_DETAIL_FINDINGS]]
    if len(findings) > MAX_DETAIL_FINDINGS:
        lines.append(f"… and {len(findings) - MAX_DETAIL_FINDINGS} more")
    return tuple(lines)


def _unanswerable(
    criterion: FindingsCriterion, evidence: ArtifactEvidence, side: str
) -> tuple[Outcome, str] | None:
    """Why ``evidence`` cannot answer the criterion, if it cannot: no run of a selected
    analyser (missing), a run that failed, a severity no selected analyser gives, or that
    one of them does not give for findings the criterion would select but for severity."""
    files = _some([f.path for f in evidence.files])
    runs = [a for a in evidence.analyses if matches_any(a.tool, criterion.tool)]
    if not runs:
        have = sorted({a.tool for a in evidence.analyses})
        which = f" (it has runs of {_some(have)})" if have else " (no analysis run in it)"
        wanted = " or ".join(criterion.tool) if criterion.tool else "any analyser"
        return Outcome.MISSING, f"{side}no run of {wanted} in {files}{which}"
    failures = [f for a in runs for f in a.failures]
    if failures and not criterion.expect_failures:
        said = "; ".join(one_line(f)[:200] for f in failures[:3])
        outcome = Outcome.FAIL if not side else Outcome.ERROR
        return outcome, (
            f"{side}the analyser recorded a failure of its run, so its findings may be "
            f"incomplete: {said} (with expect_failures: true its findings are judged instead)"
        )
    if criterion.severity:
        giving = {a.tool for a in runs if a.severities}
        silent = sorted({a.tool for a in runs} - giving)
        if not giving:
            return Outcome.ERROR, (
                f"{side}severity: {criterion.severity} asks for a security-severity, and "
                f"{_some(silent)} gives none in {files}: select by level instead"
            )
        # another analyser's severities say nothing of these: left out, they would pass
        unjudged = _without_severity(criterion, evidence, silent)
        if unjudged:
            return Outcome.ERROR, (
                f"{side}severity: {criterion.severity} asks for a security-severity, and "
                f"{_some(silent)} gives none in {files} ({count(unjudged, 'finding')} "
                "selected but for severity): judge those by level in a benchmark of their own, "
                f"and name the analysers that give one with tool ({_some(sorted(giving))})"
            )
    return None


def _without_severity(
    criterion: FindingsCriterion, evidence: ArtifactEvidence, tools: Sequence[str]
) -> int:
    """How many findings of ``tools`` (analysers that give no security-severity) the
    criterion would select but for its severity."""
    theirs = [f for f in evidence.findings if f.tool in tools]
    if not theirs:
        return 0
    selection = select_findings(replace(criterion, severity=None), theirs)
    return len(selection.counted) + len(selection.suppressed) + len(selection.outside)


def _placed(selection: FindingSelection, criterion: FindingsCriterion, side: str) -> str | None:
    if not selection.outside:
        return None
    first = selection.outside[0]
    under = " or ".join(criterion.file)
    if not first.file:
        return (
            f"{side}no location: {count(len(selection.outside), 'finding')} "
            f"({first.rule or 'no rule'}, from {first.source}) cannot be placed under {under}: "
            "the analyser gave no file for it (select without `file` to count it)"
        )
    return (
        f"{side}files not in the project: {count(len(selection.outside), 'finding')} "
        f"({first.file}, from {first.source}) cannot be placed under {under}: run the "
        "analyser in the checkout the gate reads, from its root, or have it write absolute paths"
    )


def evaluate_findings(
    criterion: FindingsCriterion,
    evidence: ArtifactEvidence,
    baseline: ArtifactEvidence | None = None,
) -> Verdict:
    """Count what the criterion selects; hold it to ``max`` and to ``max_new`` against the
    baseline's selection."""
    if (
        criterion.baseline is not None
        and not criterion.baseline.merge_base  # the same artifact, from another commit
        and criterion.baseline.artifact == criterion.artifact
    ):
        return (  # validate refuses it; a matrix built otherwise must not pass by it either
            Outcome.ERROR,
            f"the baseline is {criterion.artifact!r}, the findings' own artifact: the log "
            "compared with itself has no new finding, whatever the pull request adds",
            (), (), None,
        )  # fmt: skip
    problem = _unanswerable(criterion, evidence, "")
    if problem is not None:
        return problem[0], problem[1], (), (), None
    selection = select_findings(criterion, evidence.findings)
    misplaced = _placed(selection, criterion, "")
    if misplaced is not None:
        return Outcome.ERROR, misplaced, (), (), None
    found = selection.counted
    files = ", ".join(f.path for f in evidence.files)
    checks: list[tuple[bool, Measurement, str]] = []
    if criterion.max is not None:
        ok = len(found) <= criterion.max
        said = f"{count(len(found), 'finding')}" + (f" ({_by_level(found)})" if found else "")
        note = f"{said}; at most {criterion.max} allowed"
        measured = Measurement(
            criterion.selector, files, f"at most {criterion.max}", str(len(found)), ok,
            Quantity(len(found), Dimension.COUNT), Quantity(criterion.max, Dimension.COUNT),
        )  # fmt: skip
        checks.append((ok, measured, note))
    details: list[str] = []
    new = None
    if criterion.baseline is not None and baseline is not None:
        problem = _unanswerable(criterion, baseline, "baseline: ")
        if problem is not None:
            outcome = Outcome.MISSING if problem[0] is Outcome.MISSING else Outcome.ERROR
            return outcome, problem[1], (), tuple(m for _, m, _ in checks), None
        base = select_findings(criterion, baseline.findings)
        misplaced = _placed(base, criterion, "baseline: ")
        if misplaced is not None:
            return Outcome.ERROR, misplaced, (), tuple(m for _, m, _ in checks), None
        compared = new_findings(found, base.counted)  # one suppressed there counts here
        new = compared.new
        limit = criterion.baseline.max_new
        ok = len(new) <= limit
        note = (
            f"{count(len(new), 'new finding')} against the baseline's "
            f"{len(base.counted)}; at most {limit} allowed"
        )
        measured = Measurement(
            criterion.selector, files, f"at most {limit} new vs baseline", f"{len(new)} new",
            ok, Quantity(len(new), Dimension.COUNT), Quantity(limit, Dimension.COUNT),
            baseline=Quantity(len(base.counted), Dimension.COUNT),
        )  # fmt: skip
        checks.append((ok, measured, note))
        details.extend(_listed(new, "new"))
        details.append(f"compared {'; '.join(compared.methods) or 'nothing'}")
        if criterion.max is not None and not checks[0][0]:  # over the total limit too
            details.extend(_listed(found, "finding"))
    else:
        details.extend(_listed(found, "finding"))
    if selection.suppressed:
        details.append(f"{count(len(selection.suppressed), 'finding')} suppressed, not counted")
    if not checks:  # no max and no baseline (the matrix always gives one): nothing was held
        return (
            Outcome.ERROR,
            "neither max nor a baseline's max_new to hold findings to",
            (),
            (),
            None,
        )
    measurements = tuple(m for _, m, _ in checks)
    counted = FoundFindings(found, len(selection.suppressed), new)
    bad = [note for ok, _, note in checks if not ok]
    if bad:
        return Outcome.FAIL, "; ".join(bad), tuple(details), measurements, counted
    summary = "; ".join(note for _, _, note in checks)
    return Outcome.PASS, summary, tuple(details), measurements, counted
