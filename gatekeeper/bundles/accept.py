"""Which bundles ``check --bundle`` takes as the evidence of the commit it judges.

Fail closed, with a report: a bundle that cannot be read, that does not fit the schema, that
repeats a shard or a file, or that is for another commit than the one judged is not
evidence. Then every artifact of the matrix is unreadable, saying why, so the gate fails
with the reason in every report (and in the check run), and ``check`` exits 3 (no evidence).
Taking the other bundles alone would be worse than nothing: a failing shard left out could
turn a red gate green.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gatekeeper.baselines import BaselineEvidence
from gatekeeper.bundles import SHA, BundleError
from gatekeeper.bundles.codec import read_bundle
from gatekeeper.bundles.combine import evidence, merge, refused, signoff_evidence
from gatekeeper.errors import UsageError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState
from gatekeeper.model import Matrix
from gatekeeper.signoffs import SignoffEvidence, no_signoffs


def commit_id(text: str, flag: str = "--sha") -> str:
    """A full commit SHA as given on the command line, in lowercase."""
    sha = text.strip().lower()
    if not SHA.fullmatch(sha):
        raise UsageError(f"{flag} {text!r}: expected a full commit SHA (40 or 64 hex digits)")
    return sha


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


@dataclass(frozen=True)
class Accepted:
    """What bundles given to ``check`` hold: the artifacts' evidence and the sign-offs'."""

    artifacts: dict[str, ArtifactEvidence]
    signoffs: SignoffEvidence


def refused_bundles(matrix: Matrix, reason: str) -> Accepted:
    """Nothing accepted: every artifact unreadable and every sign-off an error, saying why."""
    return Accepted(refused(matrix, reason), no_signoffs(reason, error=True))


def bundle_evidence(
    matrix: Matrix, paths: Sequence[str], sha: str | None, how: str = "--sha", *,
    commit_required: bool = False, labels: Sequence[str] | None = None,
) -> dict[str, ArtifactEvidence]:  # fmt: skip
    """The artifacts' evidence of ``accept_bundles``."""
    return accept_bundles(
        matrix, paths, sha, how, commit_required=commit_required, labels=labels
    ).artifacts


def accept_bundles(
    matrix: Matrix, paths: Sequence[str], sha: str | None, how: str = "--sha", *,
    commit_required: bool = False, labels: Sequence[str] | None = None,
) -> Accepted:  # fmt: skip
    """The evidence of the bundles in ``paths``, merged; refused evidence when not accepted.

    ``sha``: the commit being judged, known by ``how`` (``github.context.judged_commit``);
    None: not known, and then the bundles need only agree with each other, unless
    ``commit_required`` (in GitHub Actions, where it is always known). ``labels``: how to
    name each file in messages (fetched bundles: by their artifact)."""
    names = list(labels) if labels is not None else list(paths)
    if sha is None and commit_required:
        reason = f"bundles refused: the commit being judged is unknown ({how})"
        return refused_bundles(matrix, reason)
    try:
        merged = merge([(n, read_bundle(Path(p), n)) for p, n in zip(paths, names, strict=True)])
    except BundleError as exc:
        return refused_bundles(matrix, f"bundles refused: {exc}")
    if sha is not None and merged.sha != sha:
        return refused_bundles(
            matrix,
            f"bundles refused: {_names(names)}: evidence for commit {merged.sha}, "
            f"not for {sha} ({how}), the commit being judged",
        )
    return Accepted(evidence(merged, matrix), signoff_evidence(merged))


def baseline_bundles(
    matrix: Matrix, paths: Sequence[str], labels: Sequence[str] | None = None,
    sha: str | None = None,
) -> tuple[dict[str, ArtifactEvidence], str | None]:  # fmt: skip
    """The evidence of another commit's bundles, the baseline, and that commit (the bundles'
    own); refused evidence (and None) when they cannot be read or disagree, or, with
    ``sha``, are for another commit than the one they were fetched for."""
    names = list(labels) if labels is not None else list(paths)
    try:
        merged = merge([(n, read_bundle(Path(p), n)) for p, n in zip(paths, names, strict=True)])
    except BundleError as exc:
        return refused(matrix, f"baseline bundles refused: {exc}"), None
    if sha is not None and merged.sha != sha:
        return refused(
            matrix,
            f"baseline bundles refused: {_names(names)}: evidence for commit {merged.sha}, "
            f"not for {sha}, the commit whose run uploaded them",
        ), None
    found = evidence(merged, matrix)
    for key, artifact in matrix.artifacts.items():
        if all(key not in shard.artifacts for shard in merged.shards):
            # an artifact the base commit's matrix did not have (new in this change): no
            # baseline for it, which is missing evidence, not unreadable evidence
            found[key] = ArtifactEvidence(key, ArtifactState.MISSING, patterns=artifact.paths)
    return found, merged.sha


def given_baseline(matrix: Matrix, paths: Sequence[str]) -> BaselineEvidence:
    """``check --baseline BUNDLE...``: the baseline evidence, whatever commit it is of."""
    found, sha = baseline_bundles(matrix, paths)
    shown = _names(list(paths))
    if sha is None:  # refused: every benchmark that compares with it is an error, saying why
        reason = next((e for a in found.values() for e in a.errors), "baseline bundles refused")
        return BaselineEvidence("error", {}, f"no baseline: {reason}", reason, files=tuple(paths))
    of = f" of {sha[:12]}" if sha else ""
    return BaselineEvidence("file", found, f"bundle{of} given to --baseline ({shown})",
                            commit=sha, files=tuple(paths))  # fmt: skip
