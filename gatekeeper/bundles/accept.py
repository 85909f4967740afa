"""Which bundles ``check --bundle`` takes as the evidence of the commit it judges.

Fail closed, with a report: a bundle that cannot be read, that does not fit the schema, that
repeats a shard or a file, or that is for another commit than the one judged is not
evidence. Then every artifact of the matrix is unreadable, saying why, so the gate fails
with the reason in every report (and in the check run), and ``check`` exits 3 (no evidence).
Taking the other bundles alone would be worse than nothing: a failing shard left out could
turn a red gate green.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from gatekeeper.bundles import SHA, BundleError
from gatekeeper.bundles.codec import read_bundle
from gatekeeper.bundles.combine import evidence, merge, refused
from gatekeeper.errors import UsageError
from gatekeeper.evidence import ArtifactEvidence
from gatekeeper.github.context import GitHubContext
from gatekeeper.model import Matrix


def commit_id(text: str, flag: str = "--sha") -> str:
    """A full commit SHA as given on the command line, in lowercase."""
    sha = text.strip().lower()
    if not SHA.fullmatch(sha):
        raise UsageError(f"{flag} {text!r}: expected a full commit SHA (40 or 64 hex digits)")
    return sha


def judged_commit(given: str | None, environ: Mapping[str, str]) -> tuple[str | None, str]:
    """The commit being judged and how it is known; (None, why) when it is not.

    As reports are posted: the pull request's head on pull_request events, the merge group's
    head, the first run's head on workflow_run, else GITHUB_SHA. Outside Actions with neither
    --sha nor GITHUB_SHA, no commit is known and bundles need only agree with each other.
    """
    if given:
        return commit_id(given), "--sha"
    context = GitHubContext.from_env(environ)
    if context.sha:
        same = context.sha == environ.get("GITHUB_SHA")
        return context.sha.lower(), "GITHUB_SHA" if same else f"the {context.event_name} head"
    return None, "; ".join(context.problems) or "no --sha and no GITHUB_SHA"


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def bundle_evidence(
    matrix: Matrix, paths: Sequence[str], given_sha: str | None, environ: Mapping[str, str],
    labels: Sequence[str] | None = None,
) -> dict[str, ArtifactEvidence]:  # fmt: skip
    """The evidence of the bundles in ``paths``, merged; refused evidence when not accepted.
    ``labels``: how to name each file in messages (fetched bundles: by their artifact)."""
    names = list(labels) if labels is not None else list(paths)
    sha, how = judged_commit(given_sha, environ)
    if sha is None and environ.get("GITHUB_ACTIONS") == "true":
        return refused(matrix, f"bundles refused: the commit being judged is unknown ({how})")
    try:
        merged = merge([(n, read_bundle(Path(p), n)) for p, n in zip(paths, names, strict=True)])
    except BundleError as exc:
        return refused(matrix, f"bundles refused: {exc}")
    if sha is not None and merged.sha != sha:
        return refused(
            matrix,
            f"bundles refused: {_names(names)}: evidence for commit {merged.sha}, "
            f"not for {sha} ({how}), the commit being judged",
        )
    return evidence(merged, matrix)
