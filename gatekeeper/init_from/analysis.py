"""Benchmarks proposed from static analysis (SARIF): each analyser's findings of level
``error`` held to today's count, a ratchet (``findings: {from, level: error, max: 3}``): the
count may fall, never rise. Each is judged by the engine on the same files before it is kept;
an analyser whose run recorded its own failure gets none (its findings may be incomplete), and
a comment says so and gives the benchmark to add once it runs through."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from gatekeeper.engine.findings import evaluate_findings
from gatekeeper.evidence import ArtifactEvidence, Finding
from gatekeeper.findings import select_findings
from gatekeeper.model import FindingsCriterion
from gatekeeper.records import record
from gatekeeper.results import Outcome
from gatekeeper.text import plain
from gatekeeper.words import count

LEVEL = "error"
"""The level a drafted benchmark counts (and the levels above it: none)."""


@record
class FindingsDraft:
    """A findings benchmark to write."""

    tool: str
    """The analyser it counts ('' for every analyser of the artifact)."""
    max: int
    """Today's count of findings of ``LEVEL``: the most there may be."""


def tools(evidence: ArtifactEvidence) -> list[str]:
    """The analysers of the artifact's runs, in the order found."""
    return list(dict.fromkeys(a.tool for a in evidence.analyses))


def criterion(artifact: str, draft: FindingsDraft) -> FindingsCriterion:
    """The criterion the drafted benchmark states."""
    by_tool = (draft.tool,) if draft.tool else ()
    return FindingsCriterion(artifact, level=LEVEL, tool=by_tool, max=draft.max)


def _others(findings: Sequence[Finding]) -> str:
    """The findings below ``LEVEL`` that the benchmark does not hold, for its comment."""
    levels = Counter(f.level for f in findings if f.level != LEVEL and not f.suppressed)
    shown = [count(levels[level], level) for level in ("warning", "note") if levels[level]]
    return f" ({', '.join(shown)} not held)" if shown else ""


def draft_findings(
    artifact: str, evidence: ArtifactEvidence, tool: str
) -> tuple[FindingsDraft, str, str | None]:
    """The benchmark for ``tool``'s findings ('' for all of the artifact's), its comment,
    and why it is left out (the engine's words) when it does not pass today."""
    wanted = FindingsCriterion(artifact, level=LEVEL, tool=(tool,) if tool else ())
    selection = select_findings(wanted, evidence.findings)
    draft = FindingsDraft(tool, len(selection.counted))
    mine = [f for f in evidence.findings if not tool or f.tool == tool]
    note = f"today {count(draft.max, 'error')}{_others(mine)}; a ratchet: lower it as they go"
    outcome, summary, _, _, _ = evaluate_findings(criterion(artifact, draft), evidence)
    if outcome is not Outcome.PASS:
        return draft, note, plain(summary)
    return draft, note, None
