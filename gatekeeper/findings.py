"""Which findings a criterion selects, and which of them are new against a baseline.

Selection: a finding counts when its level is the criterion's or more severe, its tool, rule
and file fit the globs (files are path globs from the project's root: ``ingress/**``), and,
with ``severity``, its security-severity is that high. A finding whose file lies outside the
project (an absolute path the analyser wrote on another machine, or a relative one that climbs
out with ``..``), whose relative path names no file of the project (the analyser ran in
another folder), or that has no file at all, cannot be placed under a file glob: the
selection reports it instead of leaving it out. Paths and globs are read without ``.`` and
empty segments and with ``..`` resolved, so ``src/lib/../ingress/run.py`` is under
``src/ingress/**`` as the file system has it; a path fits a glob when it fits as written or
as resolved, so that a name the analyser did not percent-encode (``a%2F..%2F..%2Fb.py``,
which reading the URI turns into ``a/../../b.py``) cannot walk a finding out of a folder.

New findings: the same finding in two runs is told by what the analyser gives to tell it.
For each analyser, a fingerprint every one of its findings carries on both sides (SARIF
``fingerprints`` first, then ``partialFingerprints``) is compared; without one, its rule,
file and source text (or message, when the analyser gives no snippet), never its line, so
code that moves is not new. A fingerprint is compared with the rule (and a partial one, such
as CodeQL's hash of the line's text, with the file too): SARIF's ``partialFingerprints`` only
contribute to an identity, and the same line under another rule or in another file is
another finding. Findings are counted as a multiset: a third copy of a finding
the baseline has twice is one new finding.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Sequence

from gatekeeper.evidence import LEVELS, Finding
from gatekeeper.model import SEVERITIES, FindingsCriterion
from gatekeeper.pathglob import path_glob
from gatekeeper.records import record
from gatekeeper.selector import matches_any


@record
class FindingSelection:
    """What a criterion selects of one artifact's findings."""

    counted: tuple[Finding, ...]
    """Selected and not suppressed: these count."""
    suppressed: tuple[Finding, ...]
    """Selected but suppressed: reported apart."""
    outside: tuple[Finding, ...]
    """Fit every key but ``file``, and name no file of the project (outside it, relative to
    another folder, or no file at all): where they are is unknown."""


def is_outside(path: str) -> bool:
    """An absolute path (or another scheme's URI), or a relative one that climbs out of the
    root: not a place in the project."""
    return (
        path.startswith("/")
        or "://" in path
        or (len(path) > 2 and path[1:3] == ":/")
        or normal(path) == ".."
        or normal(path).startswith("../")
    )


def normal(path: str) -> str:
    """A relative path or glob as the file system reads it: ``./`` and empty segments gone,
    ``a/../`` resolved (a glob's trailing ``/`` is kept, so it still names no file). Absolute
    paths and URIs are left as written."""
    if not path or path.startswith("/") or "://" in path:
        return path
    cleaned = posixpath.normpath(path)
    return cleaned + "/" if path.endswith("/") and cleaned != "." else cleaned


def select_findings(criterion: FindingsCriterion, findings: Sequence[Finding]) -> FindingSelection:
    floor = LEVELS.index(criterion.level)
    least = SEVERITIES[criterion.severity] if criterion.severity else None
    globs = [path_glob(normal(g)) for g in criterion.file]
    counted: list[Finding] = []
    suppressed: list[Finding] = []
    outside: list[Finding] = []
    for finding in findings:
        written = finding.file
        if written != normal(written):
            finding = finding._replace(file=normal(written))
        if LEVELS.index(finding.level) < floor:
            continue
        if least is not None and (finding.severity is None or finding.severity < least):
            continue
        if not matches_any(finding.tool, criterion.tool):
            continue
        if not matches_any(finding.rule, criterion.rule):
            continue
        if globs and not any(g.fullmatch(finding.file) or g.fullmatch(written) for g in globs):
            if not finding.file or is_outside(finding.file) or finding.placed is False:
                outside.append(finding)
            continue
        (suppressed if finding.suppressed else counted).append(finding)
    return FindingSelection(tuple(counted), tuple(suppressed), tuple(outside))


Key = tuple[str, ...]


def _shared_fingerprint(findings: Sequence[Finding]) -> str | None:
    """The fingerprint every finding carries (full ones before partial ones); None if none."""
    if not findings:
        return None
    common = set.intersection(*({name for name, _ in f.fingerprints} for f in findings))
    full = sorted(n for n in common if not n.startswith("partial:"))
    partial = sorted(n for n in common if n.startswith("partial:"))
    return (full + partial)[0] if full or partial else None


def _key(finding: Finding, fingerprint: str | None) -> Key:
    if fingerprint is None:
        return (finding.rule, finding.file, finding.context or finding.message)
    value = dict(finding.fingerprints)[fingerprint]
    if fingerprint.startswith("partial:"):
        return (finding.rule, finding.file, fingerprint, value)
    return (finding.rule, fingerprint, value)


@record
class Comparison:
    """The findings of a selection that the baseline's selection does not have."""

    new: tuple[Finding, ...]
    methods: tuple[str, ...]
    """How each analyser's findings were told apart, for the report."""


def new_findings(head: Sequence[Finding], base: Sequence[Finding]) -> Comparison:
    """The findings of ``head`` (those that count) beyond what ``base`` has of each."""
    new: list[Finding] = []
    methods: list[str] = []
    for tool in sorted({f.tool for f in head} | {f.tool for f in base}):
        mine = [f for f in head if f.tool == tool]
        theirs = [f for f in base if f.tool == tool]
        fingerprint = _shared_fingerprint([*mine, *theirs])
        how = "rule, file and source text"
        if fingerprint:
            with_file = "file and " if fingerprint.startswith("partial:") else ""
            how = f"rule, {with_file}fingerprint {fingerprint}"
        methods.append(f"{tool}: by {how}")
        left = Counter(_key(f, fingerprint) for f in theirs)
        for finding in mine:
            key = _key(finding, fingerprint)
            if left[key] > 0:
                left[key] -= 1
            else:
                new.append(finding)
    return Comparison(tuple(new), tuple(methods))
