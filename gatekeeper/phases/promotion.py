"""What ``promote`` decides, pure: which phase, what it refuses, what the tag says.

The gate of a phase covers every cell of that phase and of every earlier one, so promoting
past an untagged phase needs no separate check of it: the engine's gate for the target phase
is what decides. Skipped phases are named, and get no tag of their own.
"""

from __future__ import annotations

from gatekeeper.errors import UsageError
from gatekeeper.model import Matrix
from gatekeeper.phases.tags import Standing, TagRef
from gatekeeper.text import one_line


def _name(matrix: Matrix, phase_id: str) -> str:
    return next(p.name for p in matrix.phases if p.id == phase_id)


def target_phase(matrix: Matrix, here: Standing, requested: str | None) -> str:
    """The phase to promote to: the one asked for, else the one after the highest tagged."""
    ids = [p.id for p in matrix.phases]
    if requested is not None:
        if requested not in ids:
            raise UsageError(
                f"phase {requested!r}: not a phase of {matrix.path} ({', '.join(ids)})"
            )
        return requested
    if here.next is None:
        last = here.tags[-1][1].name
        raise UsageError(f"every phase is complete: {last} is reachable; nothing to promote")
    return here.next


def refuse_existing(tag: str, existing: TagRef | None, described: str, head: str) -> None:
    """A phase tag is never moved or made twice: say where the one that exists points."""
    if existing is None:
        return
    where = "this commit" if existing.commit == head else f"commit {described}"
    raise UsageError(
        f"tag {tag} already exists and points at {where}; a phase tag is made once "
        f"(to redo it, delete it first: git tag -d {tag})"
    )


def refuse_covered(matrix: Matrix, here: Standing, phase: str) -> None:
    """A phase at or before the highest tagged one is already vouched for by that tag."""
    if here.highest is None or matrix.phase_index(phase) > matrix.phase_index(here.highest):
        return
    top = dict(here.tags)[here.highest].name
    raise UsageError(
        f"phase {phase!r} is already complete on this commit: {top} is reachable, and the "
        f"{_name(matrix, here.highest)} gate covers every earlier cell"
    )


def skipped(matrix: Matrix, here: Standing, phase: str) -> tuple[str, ...]:
    """Phases between the highest tagged one and ``phase``: covered by its gate, not tagged."""
    start = matrix.phase_index(here.highest) + 1 if here.highest is not None else 0
    return tuple(p.id for p in matrix.phases[start : matrix.phase_index(phase)])


def tag_message(
    matrix: Matrix, phase: str, commit: str, report_text: str, version: str, text: str | None
) -> str:
    """The annotated tag's message: the user's text (or a subject line), the verdict, then
    the matrix as rendered. The verdict and the matrix are always there."""
    project = f"{one_line(matrix.project)}: " if matrix.project else ""
    given = (text or "").strip()
    first = given or f"{project}{_name(matrix, phase)} phase complete"
    verdict = (
        f"The {_name(matrix, phase)} gate ({phase}) passed on commit {commit}; "
        f"promoted by gatekeeper {version}."
    )
    return f"{first}\n\n{verdict}\n\n{report_text.rstrip()}\n"
