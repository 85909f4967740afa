"""The baseline evidence of a run, a pure value: another commit's evidence (the bundle of the
merge base, of its nearest ancestor with one, of a pinned run, or the bundle given to
``check --baseline``) and where it came from; or why there is none.

A benchmark whose baseline has no ``from`` is compared with its own artifact in this
evidence (``model.Baseline.merge_base``). Finding it is the edges' work: the GitHub API in
``gatekeeper.github.baseline``, files in ``gatekeeper.commands.check``; the engine only reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

from gatekeeper.evidence import ArtifactEvidence
from gatekeeper.records import record

ANCESTOR_BOUND = 20
"""How many first-parent commits, the merge base first, are searched for a bundle."""


@record
class BaselineEvidence:
    """The evidence a baseline without ``from`` reads, and where it comes from.

    ``kind``: 'merge-base' (the merge base's own bundle), 'ancestor' (a first-parent ancestor
    of the merge base, ``distance`` commits before it; on a push, of the pushed commit, its
    parent at ``distance`` 1, with no ``merge_base``), 'pinned' (the matrix's
    ``baselines.pin``), 'file' (``check --baseline``), or 'none' (``reason`` says why; every
    benchmark that needs it is missing) or 'error' (the search failed: an error, never a
    pass)."""

    kind: str
    artifacts: Mapping[str, ArtifactEvidence]
    description: str
    """One line for people: 'bundle of 3f2c9a1 (2 commits before the merge base 5d0e8b1)'."""
    reason: str | None = None
    """For 'none' and 'error': why there is no baseline."""
    commit: str | None = None
    """The commit whose evidence it is (the bundle's own, for a file or a pinned run)."""
    run_id: int | None = None
    merge_base: str | None = None
    distance: int | None = None
    """First-parent commits between the merge base and ``commit``: 0 for the merge base (on a
    push, between the pushed commit and ``commit``: 1 for its parent)."""
    files: tuple[str, ...] = ()
    """The bundles read: paths given, or artifact/file names fetched."""
    skipped: tuple[str, ...] = ()
    """Runs passed over on the way, and why (excluded by the matrix, expired artifacts)."""

    @property
    def found(self) -> bool:
        return self.kind not in ("none", "error")


def no_baseline(
    reason: str, skipped: tuple[str, ...] = (), *, error: bool = False
) -> BaselineEvidence:
    """Baseline evidence that is not there (or could not be read), saying why."""
    kind = "error" if error else "none"
    return BaselineEvidence(kind, {}, f"no baseline: {reason}", reason, skipped=skipped)
