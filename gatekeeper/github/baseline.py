"""The baseline evidence of a pull request, fetched: the bundle the base branch's CI
uploaded for the merge base, or for its nearest first-parent ancestor that has one. On a
push, the pushed commit's first parent (or its nearest first-parent ancestor with a bundle)
stands in for the merge base: the branch as it measured before.

The merge base is GitHub's (``compare/{base}...{head}``'s ``merge_base_commit``), from the
event's base commit (``pull_request.base.sha``, ``merge_group.base_sha``; on a
``workflow_run``, the pull request's ``base.sha`` read from the API) and the judged head:
the Action's checkout is shallow, so local history cannot be relied on. From the merge base,
at most ``ANCESTOR_BOUND`` first-parent commits are searched, each by the workflow runs of
that SHA (newest first) and their artifacts named like the bundles (``--fetch-bundles``'s
glob). The matrix's ``baselines`` decides which runs may serve: a pinned run is the baseline
whatever the merge base; an excluded run is passed over, and the report says so. A bundle is
taken only for the commit its run was for (``accept.baseline_bundles``), and unpacked as
safely as ``--fetch-bundles``'s. Every failure is a value saying why (``no_baseline``): an API
error makes the benchmarks that need it errors, no bundle within the bound makes them missing,
never a pass.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gatekeeper.baselines import ANCESTOR_BOUND, BaselineEvidence, no_baseline
from gatekeeper.bundles import BundleError
from gatekeeper.bundles.accept import baseline_bundles
from gatekeeper.github.bundles import download_bundle
from gatekeeper.github.retry import APIError
from gatekeeper.model import Matrix, RunChoice
from gatekeeper.selector import name_matches
from gatekeeper.words import count

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient


def merge_base_evidence(
    matrix: Matrix, client: GitHubClient, glob: str, bound: int = ANCESTOR_BOUND
) -> BaselineEvidence:
    """The pinned run's bundle, else the merge base's or its nearest ancestor's; or why not."""
    with tempfile.TemporaryDirectory(prefix="gatekeeper-baseline-") as folder:
        try:
            if matrix.baselines.pin is not None:
                return _pinned(matrix, client, glob, matrix.baselines.pin, Path(folder))
            return _searched(matrix, client, glob, bound, Path(folder))
        except (BundleError, APIError) as exc:
            return no_baseline(f"the baseline evidence could not be fetched: {exc}", error=True)


def _pinned(
    matrix: Matrix, client: GitHubClient, glob: str, pin: RunChoice, folder: Path
) -> BaselineEvidence:
    ran_for = client.run_commit(pin.run)  # the bundle is held to it, as a searched run's is
    files = _bundles_of(client, {"id": pin.run}, glob, folder)
    if files is None:
        raise BundleError(f"the pinned run {pin.run} ({pin.reason}): no artifact matches {glob!r}")
    names = [n for n, _ in files]
    found, sha = baseline_bundles(matrix, [str(p) for _, p in files], names, ran_for)
    if sha is None:
        reason = next((e for a in found.values() for e in a.errors), "refused")
        return no_baseline(reason, error=True)
    return BaselineEvidence(
        "pinned", found, f"bundle of {sha[:7]}, run {pin.run} (pinned: {pin.reason})",
        commit=sha, run_id=pin.run, files=tuple(n for n, _ in files),
    )  # fmt: skip


def _searched(
    matrix: Matrix, client: GitHubClient, glob: str, bound: int, folder: Path
) -> BaselineEvidence:
    ctx = client.ctx
    if ctx.event_name == "push":
        return _pushed(matrix, client, glob, bound, folder)
    base, head = ctx.event.base_sha, ctx.sha
    if base is None and ctx.event_name == "workflow_run" and ctx.event.pr_number is not None:
        base = client.pull_request_base(ctx.event.pr_number)  # its payload names no base
    if base is None or head is None:
        event = ctx.event_name or "no event"
        return no_baseline(
            f"the merge base is not known: the {event} payload names no base commit "
            "(pull_request.base.sha, merge_group.base_sha, or a workflow_run's pull request) "
            "or no head; give --baseline BUNDLE"
        )
    merge_base = client.merge_base(base, head)

    def where(distance: int) -> str:
        if distance == 0:
            return "the merge base"
        return f"{count(distance, 'commit')} before the merge base {merge_base[:7]}"

    found = _first_with_bundle(
        matrix, client, glob, folder, [merge_base], where,
        lambda: client.first_parents(merge_base, bound),
    )  # fmt: skip
    if isinstance(found, BaselineEvidence):
        return found
    searched = count(found[0], "commit")
    return no_baseline(
        f"no artifact matching {glob!r} in the workflow runs of the merge base {merge_base[:7]} "
        f"or its first-parent ancestors ({searched} searched, at most {bound}); the base "
        "branch's workflow must upload a bundle on push",
        found[1],
    )


def _pushed(
    matrix: Matrix, client: GitHubClient, glob: str, bound: int, folder: Path
) -> BaselineEvidence:
    """On a push, the pushed commit is judged against its first parent's bundle, or its
    nearest first-parent ancestor's within the bound: what the branch measured before."""
    head = client.ctx.sha
    if head is None:
        return no_baseline("the push names no commit (GITHUB_SHA); give --baseline BUNDLE")
    history = client.first_parents(head, bound + 1)[1:]
    if not history:
        return no_baseline(f"the pushed commit {head[:7]} has no parent: nothing came before it")

    def where(distance: int) -> str:
        if distance == 1:
            return f"the parent of the pushed commit {head[:7]}"
        return f"{count(distance, 'commit')} before the pushed commit {head[:7]}"

    found = _first_with_bundle(
        matrix, client, glob, folder, history, lambda d: where(d + 1), lambda: history, 1
    )
    if isinstance(found, BaselineEvidence):
        return found
    return no_baseline(
        f"no artifact matching {glob!r} in the workflow runs of the first-parent ancestors of "
        f"the pushed commit {head[:7]} ({count(found[0], 'commit')} searched, at most {bound}); "
        "the branch's workflow must upload a bundle on push",
        found[1],
    )


def _first_with_bundle(
    matrix: Matrix, client: GitHubClient, glob: str, folder: Path, history: list[str],
    where: Callable[[int], str], more: Callable[[], list[str]], offset: int = 0,
) -> BaselineEvidence | tuple[int, tuple[str, ...]]:  # fmt: skip
    """The bundle of the first commit of ``history`` (listed further by ``more`` once the
    first has none) whose runs have one; else how many commits were searched and the runs
    passed over. ``offset`` is the first commit's distance from the judged one's reference
    (0: the merge base; 1: a pushed commit's parent)."""
    excluded = {c.run: c.reason for c in matrix.baselines.exclude}
    skipped: list[str] = []
    distance = 0
    while distance < len(history):
        sha = history[distance]
        for run in sorted(client.workflow_runs(sha), key=lambda r: int(r["id"]), reverse=True):
            why = excluded.get(int(run["id"]))
            if why is not None:
                skipped.append(f"run {run['id']} of {sha[:7]}: excluded ({why})")
                continue
            files = _bundles_of(client, run, glob, folder, skipped, sha)
            if files is None:
                continue
            names = [n for n, _ in files]
            found, _ = baseline_bundles(matrix, [str(p) for _, p in files], names, sha)
            at = distance + offset
            return BaselineEvidence(
                "merge-base" if at == 0 else "ancestor", found,
                f"bundle of {sha[:7]} ({where(distance)}), run {run['id']}", commit=sha,
                run_id=int(run["id"]), merge_base=history[0] if offset == 0 else None,
                distance=at, files=tuple(names), skipped=tuple(skipped),
            )  # fmt: skip
        if len(history) == 1:  # the first has none: the ones before it are listed now
            history = more()
        distance += 1
    return len(history), tuple(skipped)


def _bundles_of(
    client: GitHubClient, run: dict[str, Any], glob: str, folder: Path,
    skipped: list[str] | None = None, sha: str = "",
) -> list[tuple[str, Path]] | None:  # fmt: skip
    """The bundle files of the run's artifacts that match ``glob``; None when it has none.
    While searching (``skipped`` given), a run whose bundles expired is passed over."""
    matching = [a for a in client.artifacts(run["id"]) if name_matches(str(a["name"]), glob)]
    if not matching:
        return None
    if skipped is not None and any(a.get("expired") for a in matching):
        skipped.append(f"run {run['id']} of {sha[:7]}: its bundle artifacts expired")
        return None
    files: list[tuple[str, Path]] = []
    for artifact in matching:
        files += download_bundle(client, artifact, run["id"], folder)
    return files
