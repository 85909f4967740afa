"""``init --from``'s whole draft: scan the files, group them into artifacts, propose the
benchmarks (each confirmed on the files read again as ``check`` reads them), render."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import UsageError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState
from gatekeeper.init_from.families import Family, families, per_file
from gatekeeper.init_from.propose import Proposals, confirm, propose, requests
from gatekeeper.init_from.render import Draft, render
from gatekeeper.init_from.scan import reread, scan
from gatekeeper.words import count


def draft(path: Path, root: Path, sources: Sequence[str]) -> tuple[str, str]:
    """The matrix drafted from the files under ``sources`` to be written at ``path`` (its
    globs start from ``root``), and a one-line summary of it. Raises UsageError when none
    of the files is in a format gatekeeper reads."""
    found = scan(sources, root, path)
    artifacts = families(found.files)
    if not artifacts:
        unread = [s for s in found.files if s.parsed is None]
        first = f" (first: {unread[0].path}: {unread[0].problem})" if unread else ""
        raise UsageError(f"--from {' '.join(sources)}: {count(len(found.files), 'file')}, none "
                         f"in a format gatekeeper reads{first}")  # fmt: skip
    artifacts, proposals = _propose_all(artifacts, root)
    kept = tuple(p for each in proposals for p in each.kept)
    left = tuple(p for each in proposals for p in each.left_out)
    command = "gatekeeper init --from " + " ".join(sources)
    draft = Draft(command, root.name or "My project", found.files, tuple(artifacts), kept, left,
                  found.left_unread)  # fmt: skip
    read = sum(1 for s in found.files if s.parsed is not None)
    summary = (
        f"{count(read, 'file')} read into {count(len(artifacts), 'artifact')} "
        f"({', '.join(f'{a.id}: {a.format}' for a in artifacts)}); "
        f"{count(len(kept), 'benchmark')} proposed"
    )
    if left:
        summary += f", {len(left)} left out (said why in its comments)"
    if not kept:
        summary += "; nothing passes today, so `check` fails on it until a benchmark is added"
    unread_count = len(found.files) - read + found.left_unread
    if unread_count:
        summary += f"; {count(unread_count, 'file')} not read (listed at its top)"
    return render(draft), summary


def _propose_all(artifacts: Sequence[Family], root: Path) -> tuple[list[Family], list[Proposals]]:
    """Each artifact's proposals; an artifact of several files on which some proposal does
    not pass as ``check`` reads it is tried as one artifact per file, kept when that holds
    more."""
    taken = {family.id for family in artifacts}
    kept_families: list[Family] = []
    kept_proposals: list[Proposals] = []
    for family in artifacts:
        proposed = _proposals(family, root)
        if len(family.files) > 1 and proposed.unconfirmed:
            parts = per_file(family, taken)
            split = [_proposals(part, root) for part in parts]
            if sum(len(p.kept) for p in split) > len(proposed.kept):
                kept_families += parts
                kept_proposals += split
                continue
        kept_families.append(family)
        kept_proposals.append(proposed)
    return kept_families, kept_proposals


def _proposals(family: Family, root: Path) -> Proposals:
    """What ``propose`` makes of the artifact, confirmed on its files read again as
    ``check`` will read them for those benchmarks."""
    proposed = propose(family)
    wanted = requests(proposed)
    if not wanted:
        return proposed
    files = reread(family.files, root, wanted)
    return confirm(proposed, ArtifactEvidence(family.id, ArtifactState.READ, files))
