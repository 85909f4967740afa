"""`gatekeeper init`: write the commented starter matrix file, or with ``--from`` one drafted
from the artifacts CI already produces (``gatekeeper.init_from``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.commands import project_root
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState
from gatekeeper.resources import starter_matrix

if TYPE_CHECKING:
    from gatekeeper.init_from.families import Family
    from gatekeeper.init_from.propose import Proposals

MATRIX_SUFFIXES = (".yml", ".yaml")


def run_init(target: str | None, *, force: bool, sources: Sequence[str] = ()) -> int:
    """Write the starter (or, given ``sources``, the drafted) matrix to ``target``. A last
    source that names a YAML file which is not a folder is the target when none is given
    (``init --from reports gatekeeper.yml``)."""
    from gatekeeper import DEFAULT_MATRIX

    sources = list(sources)
    if target is None and len(sources) > 1 and _names_matrix(sources[-1]):
        target = sources.pop()
    path = Path(target or DEFAULT_MATRIX)
    if path.exists() and not force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    if not sources:
        _write(path, starter_matrix())
        print(f"wrote {path}: edit it, then run `gatekeeper validate {path}`")
        return int(ExitCode.PASSED)
    text, summary = _draft(path, sources)
    _write(path, text)
    print(f"wrote {path}: {summary}")
    print(f"next: decide every 'TODO: decide' in it, then `gatekeeper validate {path}` and "
          f"`gatekeeper check --dry-run --matrix {path}`")  # fmt: skip
    return int(ExitCode.PASSED)


def _names_matrix(source: str) -> bool:
    return source.endswith(MATRIX_SUFFIXES) and not Path(source).is_dir()


def _draft(path: Path, sources: Sequence[str]) -> tuple[str, str]:
    """The drafted matrix and a one-line summary of it."""
    from gatekeeper.init_from.families import families
    from gatekeeper.init_from.render import Draft, render
    from gatekeeper.init_from.scan import scan
    from gatekeeper.words import count

    root = project_root(path, None)
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
    from gatekeeper.init_from.families import per_file

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
    from gatekeeper.init_from.propose import confirm, propose, requests
    from gatekeeper.init_from.scan import reread

    proposed = propose(family)
    wanted = requests(proposed)
    if not wanted:
        return proposed
    files = reread(family.files, root, wanted)
    return confirm(proposed, ArtifactEvidence(family.id, ArtifactState.READ, files))


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a name a tool wrote may hold what UTF-8 cannot (a lone surrogate), in a comment
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
