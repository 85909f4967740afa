"""What `gatekeeper inspect` prints of a SARIF log: each analyser run (its version, whether
it gives security-severity and fingerprints, the failures it recorded), the findings by
level, by rule, by folder and by file (each list bounded, suppressed findings counted apart),
and the ``findings`` benchmarks to paste, each judged by the engine on the same file before it
is printed, so that pasted they pass as printed.

Rule ids, paths and messages are the analysed code's and the analyser's words, which a pull
request can write: every one is shown quoted (``text.yaml_quoted``) or ``plain``.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Iterable, Sequence

from gatekeeper.engine.findings import evaluate_findings
from gatekeeper.evidence import (
    LEVELS,
    Analysis,
    ArtifactEvidence,
    ArtifactState,
    Finding,
    ParsedFile,
)
from gatekeeper.findings import is_outside, select_findings
from gatekeeper.init_from.families import glob_escape
from gatekeeper.model import FindingsBaseline, FindingsCriterion
from gatekeeper.reporters.inspect_coverage import slug
from gatekeeper.results import Outcome
from gatekeeper.text import plain, yaml_quoted
from gatekeeper.words import count

TOP = 10
"""Rules, folders and files listed, most findings first; the rest is counted."""
ARTIFACT = "sarif"
"""The artifact id the pasted lines use."""
SEVERE = list(reversed(LEVELS[1:]))
"""The levels a finding has, most severe first."""


def _levels(findings: Iterable[Finding]) -> str:
    levels = Counter(f.level for f in findings)
    return ", ".join(f"{level} {levels[level]}" for level in SEVERE if levels[level]) or "none"


def _fingerprints(findings: Sequence[Finding]) -> str:
    """The fingerprints every finding of a run carries, which tell a new finding apart."""
    if not findings:
        return "fingerprints: no finding to carry one"
    common = set.intersection(*({name for name, _ in f.fingerprints} for f in findings))
    if common:
        return f"fingerprints: {plain(', '.join(sorted(common)))} (on every finding)"
    return "fingerprints: not on every finding (new ones told by rule, file and source text)"


def _runs(tool: str, runs: Sequence[Analysis], findings: Sequence[Finding]) -> list[str]:
    """One analyser's runs (findings name the analyser, not the run: several runs of one
    analyser are shown together)."""
    versions = ", ".join(dict.fromkeys(plain(a.version) for a in runs if a.version))
    several = f" ({len(runs)} runs)" if len(runs) > 1 else ""
    counted = [f for f in findings if not f.suppressed]
    suppressed = len(findings) - len(counted)
    severities = any(a.severities for a in runs)
    lines = [
        f"    {plain(tool)}{' ' + versions if versions else ''}{several}: "
        f"{count(len(counted), 'finding')} ({_levels(counted)}), {suppressed} suppressed "
        "(counted apart, never against a limit)",
        "      security-severity: "
        + ("given (`severity: high` selects by it)" if severities else "not given")
        + " · "
        + _fingerprints(findings),
    ]
    for failure in (f for a in runs for f in a.failures):  # what makes a benchmark on it fail
        lines.append(f"      FAILED: {plain(failure)[:300]}")
    return lines


def _top(title: str, counts: Counter[str], detail: dict[str, list[Finding]]) -> list[str]:
    if not counts:
        return []
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = [(yaml_quoted(name), n, name) for name, n in ranked[:TOP]]
    width = min(max(len(name) for name, _, _ in shown), 50)
    lines = [f"  {title}:"]
    for quoted, n, name in shown:
        lines.append(f"    {quoted.ljust(width)}  {n}  ({_levels(detail[name])})")
    if len(ranked) > TOP:
        lines.append(f"    … and {len(ranked) - TOP} more")
    return lines


def _grouped(findings: Iterable[Finding], keys: Iterable[tuple[Finding, str]]) -> tuple[
    Counter[str], dict[str, list[Finding]]
]:  # fmt: skip
    counts: Counter[str] = Counter()
    detail: dict[str, list[Finding]] = {}
    for finding, key in keys:
        counts[key] += 1
        detail.setdefault(key, []).append(finding)
    return counts, detail


def _here(finding: Finding) -> bool:
    """Whether a finding's file is one of this folder's, as ``check`` places it under a glob
    (not outside, and not a relative path from another folder that names no file here)."""
    return bool(finding.file) and not is_outside(finding.file) and finding.placed is not False


def _folders(findings: Iterable[Finding]) -> Iterable[tuple[Finding, str]]:
    """(finding, ``folder/**``) for each folder a placed finding lies in, at any depth."""
    for finding in findings:
        if not _here(finding):
            continue
        folder = posixpath.dirname(finding.file)
        while folder and folder != ".":
            yield finding, glob_escape(folder) + "/**"
            folder = posixpath.dirname(folder)


def render_findings(parsed: ParsedFile) -> list[str]:
    """The log as a person writing findings benchmarks needs it."""
    lines = [f"  {count(len(parsed.analyses), 'analyser run')}:"]
    for tool in dict.fromkeys(a.tool for a in parsed.analyses):
        runs = [a for a in parsed.analyses if a.tool == tool]
        lines += _runs(tool, runs, [f for f in parsed.findings if f.tool == tool])
    counted = [f for f in parsed.findings if not f.suppressed]
    if counted:
        lines.append(
            f"  {count(len(counted), 'finding')} not suppressed, by level: {_levels(counted)}"
            " — select with `level: LEVEL` (and the levels above)"
        )
        rules = _grouped(counted, ((f, f.rule) for f in counted if f.rule))
        lines += _top("by rule — select with `rule: RULE`", *rules)
        folders = _grouped(counted, _folders(counted))
        lines += _top("by folder — select with `file: GLOB` (a path glob)", *folders)
        placed = [f for f in counted if _here(f)]
        files = _grouped(placed, ((f, f.file) for f in placed))
        lines += _top("by file — select with `file: PATH`", *files)
        outside = [f for f in counted if f.file and not _here(f)]
        if outside:
            lines.append(
                f"  {count(len(outside), 'finding')} outside this folder "
                f"({plain(outside[0].file)[:120]}): `check` makes an analyser's absolute "
                "paths relative to its root; from elsewhere no `file:` glob places them"
            )
        lines += _paste(parsed, folders[0])
    else:
        lines.append("  no finding that is not suppressed")
        lines += _paste(parsed, Counter())
    return lines


def _judged(parsed: ParsedFile, criterion: FindingsCriterion) -> bool:
    """Whether the engine passes ``criterion`` on the file (with a baseline: on itself)."""
    evidence = ArtifactEvidence(ARTIFACT, ArtifactState.READ, (parsed,))
    base = evidence if criterion.baseline is not None else None
    outcome, _, _, _, _ = evaluate_findings(criterion, evidence, base)
    return outcome is Outcome.PASS


def _folder(folders: Counter[str], errors: Sequence[Finding], placed: int) -> str | None:
    """The folder with the most errors (then findings; then the deepest) that does not hold
    every finding, else one that does; None when no finding lies in a folder."""
    in_error = Counter(folder for _, folder in _folders(errors))
    ranked = sorted(
        folders.items(),
        key=lambda kv: (kv[1] >= placed, -in_error[kv[0]], -kv[1], -kv[0].count("/"), kv[0]),
    )
    return ranked[0][0] if ranked else None


def _paste(parsed: ParsedFile, folders: Counter[str]) -> list[str]:
    """The lines to paste: the artifact, and benchmarks holding today's errors (in all and in
    a folder) where they are, and none new against the base branch's log."""
    errors = [f for f in parsed.findings if f.level == "error" and not f.suppressed]
    lines = [
        "  To paste into the matrix (the benchmarks go in a cell; limits at today's counts,",
        f"  {ARTIFACT}-main: the same analysis of the base branch):",
        "    artifacts:",
        f"      {ARTIFACT}: {{format: sarif, paths: [{yaml_quoted(glob_escape(parsed.path))}]}}",
        f'      {ARTIFACT}-main: {{format: sarif, paths: ["baseline/*.sarif"]}}'
        "  # where CI puts the base branch's",
        "    benchmarks:",
    ]
    total = FindingsCriterion(ARTIFACT, level="error", max=len(errors))
    if _judged(parsed, total):
        lines += [
            "      - id: no-more-errors",
            f"        findings: {{from: {ARTIFACT}, level: error, max: {len(errors)}}}"
            f"  # today {len(errors)}",
        ]
    placed = sum(1 for f in parsed.findings if _here(f) and not f.suppressed)
    folder = _folder(folders, errors, placed)
    if folder is not None:
        here = FindingsCriterion(ARTIFACT, level="error", file=(folder,))
        now = len(select_findings(here, parsed.findings).counted)
        criterion = FindingsCriterion(ARTIFACT, level="error", file=(folder,), max=now)
        if _judged(parsed, criterion):
            lines += [
                f"      - id: {slug(folder.rstrip('/*'))}-errors",
                f"        findings: {{from: {ARTIFACT}, level: error, file: {yaml_quoted(folder)}, "
                f"max: {now}}}  # today {now}",
            ]
    ratchet = FindingsCriterion(ARTIFACT, baseline=FindingsBaseline(f"{ARTIFACT}-main", 0))
    if _judged(parsed, ratchet):
        lines += [
            "      - id: no-new-findings",
            f"        findings: {{from: {ARTIFACT}}}",
            f"        baseline: {{from: {ARTIFACT}-main, max_new: 0}}",
        ]
    if lines[-1] == "    benchmarks:":  # the engine passed none: a run that failed
        lines.append("      []  # none passes today: the analyser recorded a failure of its run")
    return lines
