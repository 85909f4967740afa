"""``check --fetch-bundles``: the bundles the workflow runs of the judged commit uploaded.

List the runs by head SHA, list each run's artifacts, download those whose name matches the
glob, unpack them safely (``unzip``) and hand the ``.json`` files inside to ``accept``, which
refuses a bundle for another commit as it does for ``--bundle``. The calls, the download
among them (its 302 to a storage host is followed without the token), are the run's one
``github.api.GitHubClient``'s: this module talks no HTTP itself. Every failure (API,
download, unpacking) refuses the evidence with the reason: never a pass on evidence not seen.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.bundles import BundleError
from gatekeeper.bundles.accept import Accepted, accept_bundles, refused_bundles
from gatekeeper.bundles.unzip import Limits, extract
from gatekeeper.errors import UsageError
from gatekeeper.evidence import ArtifactEvidence
from gatekeeper.github.context import judged_commit
from gatekeeper.github.retry import APIError
from gatekeeper.model import Matrix
from gatekeeper.selector import name_matches

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient

DEFAULT_GLOB = "gatekeeper-bundle-*"


def fetch_bundles(
    client: GitHubClient, sha: str, glob: str, target: Path
) -> list[tuple[str, Path]]:
    """Each bundle file of the matching artifacts, with its name: ``artifact/path``."""
    runs = client.workflow_runs(sha)
    run_id = client.ctx.run_id
    own = [r for r in runs if run_id is not None and str(r.get("id")) == run_id]
    found: list[tuple[str, Path]] = []
    for run in own or runs:
        for artifact in client.artifacts(run["id"]):
            name = str(artifact["name"])
            if not name_matches(name, glob):
                continue
            found += download_bundle(client, artifact, run["id"], target)
    if not found:
        raise BundleError(
            f"no artifact matching {glob!r} in the {len(runs)} workflow run(s) of {sha}"
        )
    return sorted(found)


def download_bundle(
    client: GitHubClient, artifact: Mapping[str, object], run_id: object, target: Path
) -> list[tuple[str, Path]]:
    """The ``.json`` files of one artifact, unpacked safely under ``target``, each with its
    name: ``artifact/path``. An expired artifact, or one with no bundle, is a BundleError."""
    name = str(artifact["name"])
    label = f"artifact {name!r} (id {artifact['id']}, run {run_id})"
    if artifact.get("expired"):
        raise BundleError(f"{label}: expired")
    zipped = client.download(f"download {label}", str(artifact["id"]))
    folder = target / str(artifact["id"])
    files = [p for p in extract(zipped, folder, label, Limits()) if p.suffix == ".json"]
    if not files:
        raise BundleError(f"{label}: no .json bundle in it")
    return [(f"{name}/{p.relative_to(folder.resolve()).as_posix()}", p) for p in files]


def fetched_evidence(
    matrix: Matrix,
    glob: str,
    given_sha: str | None,
    environ: Mapping[str, str],
    client: GitHubClient | None = None,
) -> dict[str, ArtifactEvidence]:
    """The artifacts' evidence of ``fetched``."""
    return fetched(matrix, glob, given_sha, environ, client).artifacts


def fetched(
    matrix: Matrix,
    glob: str,
    given_sha: str | None,
    environ: Mapping[str, str],
    client: GitHubClient | None = None,
) -> Accepted:
    """What ``accept_bundles`` makes of the fetched bundles; refused evidence on failure.
    ``client``: the run's GitHub client; else one is made from ``environ``."""
    from gatekeeper.github.api import open_client

    client = client or open_client(environ)
    if not client.usable:
        missing = [n for n, v in (("GITHUB_REPOSITORY", client.ctx.repository),
                                  ("GITHUB_TOKEN", client.ctx.token)) if not v]  # fmt: skip
        raise UsageError(f"--fetch-bundles needs a GitHub context: {', '.join(missing)} not set")
    sha, how = judged_commit(given_sha, environ)
    if sha is None:
        reason = f"bundles not fetched: the commit being judged is unknown ({how})"
        return refused_bundles(matrix, reason)
    with tempfile.TemporaryDirectory(prefix="gatekeeper-bundles-") as folder:
        try:
            found = fetch_bundles(client, sha, glob, Path(folder))
        except (BundleError, APIError) as exc:
            return refused_bundles(matrix, f"bundles refused: {exc}")
        paths = [str(path) for _, path in found]
        labels = [name for name, _ in found]
        return accept_bundles(matrix, paths, sha, how, commit_required=True, labels=labels)
