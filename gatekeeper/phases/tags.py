"""Phase tags, pure: the tag pattern, tag names back to phases, where a commit stands.

A phase tag records that the phase's gate passed on the tagged commit. The gate of a phase
covers every cell of that phase and of every earlier one, so a tag for a later phase also
vouches for the earlier phases, tagged or not: a commit stands in the highest phase tagged
among the tags reachable from it, and an earlier phase without a tag of its own (a gap) is
covered, not missing. Gaps are reported as a note, never as an error: they are what a team
that starts using gatekeeper midway, or promotes straight to a later phase, has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gatekeeper.errors import UsageError
from gatekeeper.model import PLACEHOLDER, Matrix


@dataclass(frozen=True)
class TagRef:
    """A tag as a store of phase tags sees it."""

    name: str
    """The tag name, without refs/tags/."""
    commit: str
    """The full SHA of the commit it points at (through the tag object, when annotated)."""
    annotated: bool = True
    """False for a lightweight tag: made by hand, since ``promote`` always annotates."""


@dataclass(frozen=True)
class Standing:
    """Where a commit stands by the phase tags reachable from it."""

    commit: str
    tags: tuple[tuple[str, TagRef], ...]
    """(phase id, its tag) for each tagged phase, in phase order."""
    highest: str | None
    """The highest phase tagged; None when no phase is."""
    untagged: tuple[str, ...]
    """Phases before ``highest`` without a tag of their own: covered by its gate."""
    ignored: tuple[str, ...]
    """Tags that fit the pattern but name no phase of the matrix."""
    next: str | None
    """The phase after ``highest`` (the first phase when none is tagged); None after the last."""


def _affixes(pattern: str) -> tuple[str, str]:
    prefix, found, suffix = pattern.partition(PLACEHOLDER)
    if not found:  # the schema requires exactly one {phase}; a hand-built Matrix may not
        raise UsageError(f"phase_tags {pattern!r}: expected exactly one {PLACEHOLDER}")
    return prefix, suffix


def tag_glob(pattern: str) -> str:
    """The glob of every name the pattern can produce, for git's tag listing.

    Git refuses ``*``, ``?`` and ``[`` in tag names, so the fixed parts need no escaping.
    """
    prefix, suffix = _affixes(pattern)
    return f"{prefix}*{suffix}"


def tag_part(pattern: str, tag: str) -> str | None:
    """What stands for ``{phase}`` in ``tag``, or None when the tag does not fit the pattern."""
    prefix, suffix = _affixes(pattern)
    if len(tag) <= len(prefix) + len(suffix):
        return None
    if not (tag.startswith(prefix) and tag.endswith(suffix)):
        return None
    return tag[len(prefix) : len(tag) - len(suffix)]


def phase_of_tag(matrix: Matrix, tag: str) -> str:
    """The phase a tag records; a tag that is not a phase tag of this matrix is a usage error."""
    part = tag_part(matrix.phase_tags, tag)
    if part is None:
        raise UsageError(
            f"tag {tag!r} is not a phase tag: {matrix.path} names them {matrix.phase_tags!r}"
        )
    ids = [p.id for p in matrix.phases]
    if part not in ids:
        raise UsageError(
            f"tag {tag!r} fits the pattern {matrix.phase_tags!r} but {part!r} is not a phase "
            f"of {matrix.path} ({', '.join(ids)})"
        )
    return part


def standing(matrix: Matrix, commit: str, reachable: Iterable[TagRef]) -> Standing:
    """Where ``commit`` stands, given the tags that fit the pattern and are reachable from it."""
    ids = [p.id for p in matrix.phases]
    by_phase: dict[str, TagRef] = {}
    ignored = []
    for ref in reachable:
        part = tag_part(matrix.phase_tags, ref.name)
        if part in ids:
            by_phase[part] = ref
        else:
            ignored.append(ref.name)
    tagged = [i for i in ids if i in by_phase]
    highest = tagged[-1] if tagged else None
    top = ids.index(highest) if highest is not None else -1
    return Standing(
        commit=commit,
        tags=tuple((i, by_phase[i]) for i in tagged),
        highest=highest,
        untagged=tuple(i for i in ids[: max(top, 0)] if i not in by_phase),
        ignored=tuple(sorted(ignored)),
        next=ids[top + 1] if top + 1 < len(ids) else None,
    )


@dataclass(frozen=True)
class TagGate:
    """The phase ``check`` enforces because of a phase tag."""

    phase: str
    tag: str
    source: str
    """Where the tag came from: '--phase-from-tag' or 'GITHUB_REF'."""


def tag_gate(
    matrix: Matrix, phase: str | None, tag: str | None, environ: Mapping[str, str]
) -> TagGate | None:
    """The phase tag that decides the enforced gate, if any.

    ``--phase-from-tag`` names it; otherwise, and only without ``--phase``, a push of a tag
    that fits the pattern (GITHUB_EVENT_NAME=push, GITHUB_REF=refs/tags/...) does. A pushed
    tag that fits the pattern but names no phase is an error, never a silent default gate.
    """
    if tag is not None:
        if phase is not None:
            raise UsageError("--phase and --phase-from-tag: give one, not both")
        return TagGate(phase_of_tag(matrix, tag), tag, "--phase-from-tag")
    if phase is not None or environ.get("GITHUB_EVENT_NAME") != "push":
        return None
    ref = environ.get("GITHUB_REF", "")
    if not ref.startswith("refs/tags/"):
        return None
    pushed = ref.removeprefix("refs/tags/")
    if tag_part(matrix.phase_tags, pushed) is None:
        return None  # a release tag or any other tag: not a phase promotion
    return TagGate(phase_of_tag(matrix, pushed), pushed, "GITHUB_REF")


def tag_verdict(gate: TagGate, phase_name: str, passed: bool, code: int) -> str:
    """What ``check`` says about a phase tag once its gate is decided."""
    said = f"tag {gate.tag} (from {gate.source}) records the {phase_name} phase"
    if passed:
        return f"{said}: its gate passed on this commit's evidence"
    return (
        f"{said}, but its gate did not pass on this commit's evidence (exit {code}): the tag "
        f"claims a phase the commit has not completed; remove it (git push --delete origin "
        f"{gate.tag}) or make the gate pass"
    )
