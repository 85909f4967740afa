"""``check --fetch-bundles``: the bundles the workflow runs of the judged commit uploaded.

List the runs by head SHA, list each run's artifacts, download those whose name matches the
glob, unpack them safely (``unzip``) and hand the ``.json`` files inside to ``accept``, which
refuses a bundle for another commit as it does for ``--bundle``. The download answers 302 to
a storage URL on another host; the token is not sent there. Every failure (API, download,
unpacking) refuses the evidence with the reason: never a pass on evidence not seen.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests

from gatekeeper.bundles import BundleError
from gatekeeper.bundles.accept import bundle_evidence, judged_commit
from gatekeeper.bundles.combine import refused
from gatekeeper.bundles.unzip import Limits, extract
from gatekeeper.errors import UsageError
from gatekeeper.evidence import ArtifactEvidence
from gatekeeper.github import rest
from gatekeeper.github.rest import Answered, describe
from gatekeeper.github.retry import APIError, Failure, RetryPolicy, call_with_retries
from gatekeeper.model import Matrix
from gatekeeper.selector import name_matches

DEFAULT_GLOB = "gatekeeper-bundle-*"
MAX_ZIP_BYTES = 256 * 1024 * 1024
_MAX_PAGES = 50
_TIMEOUT_SECONDS = 30


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """Explicitly no credentials: stops requests from adding ~/.netrc's for the host."""
    return request


@dataclass(frozen=True)
class Source:
    api_url: str
    repository: str
    token: str = dataclasses.field(repr=False)
    run_id: str | None = None
    """The gate's own run: when it is among the commit's runs, only its artifacts count."""
    policy: RetryPolicy = dataclasses.field(default_factory=RetryPolicy)

    @staticmethod
    def from_env(environ: Mapping[str, str]) -> Source:
        missing = [
            n for n in ("GITHUB_API_URL", "GITHUB_REPOSITORY", "GITHUB_TOKEN") if not environ.get(n)
        ]
        if missing:
            raise UsageError(
                f"--fetch-bundles needs a GitHub context: {', '.join(missing)} not set"
            )
        return Source(
            api_url=environ["GITHUB_API_URL"].rstrip("/"),
            repository=environ["GITHUB_REPOSITORY"],
            token=environ["GITHUB_TOKEN"],
            run_id=environ.get("GITHUB_RUN_ID") or None,
            policy=RetryPolicy.from_env(environ),
        )


class _Client:
    def __init__(self, source: Source) -> None:
        self._source = source
        self._session = rest.session()

    def _get(self, operation: str, url: str, authorized: bool = True) -> requests.Response:
        def once() -> requests.Response:
            headers = {"Authorization": f"Bearer {self._source.token}"} if authorized else {}
            response = self._session.get(
                url, headers=headers, auth=None if authorized else _no_auth,
                allow_redirects=False, timeout=_TIMEOUT_SECONDS, stream=True,
            )  # fmt: skip
            if response.status_code >= 400:
                message = response.text[:300]
                response.close()
                raise Answered(Failure(response.status_code, message, dict(response.headers)))
            return response

        return call_with_retries(operation, once, describe, self._source.policy)

    def listing(self, operation: str, url: str, key: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        next_url: str | None = url
        pages = 0
        while next_url is not None:
            pages += 1
            if pages > _MAX_PAGES:
                raise APIError(operation, f"more than {_MAX_PAGES} pages")
            response = self._get(operation, next_url)
            try:
                page = response.json()[key]
            except (ValueError, KeyError, TypeError) as exc:
                raise APIError(
                    operation, f"unexpected answer ({exc})", response.status_code
                ) from exc
            items += page
            next_url = response.links.get("next", {}).get("url")
        return items

    def download(self, operation: str, url: str) -> bytes:
        response = self._get(operation, url)
        if response.is_redirect:
            location = urljoin(url, response.headers["Location"])
            response = self._get(operation, location, authorized=False)  # never the token
        if response.status_code != 200:
            raise APIError(operation, f"HTTP {response.status_code}", response.status_code)
        data = response.raw.read(MAX_ZIP_BYTES + 1, decode_content=True)
        if len(data) > MAX_ZIP_BYTES:
            raise APIError(operation, f"the zip is larger than {MAX_ZIP_BYTES} bytes")
        return data


def fetch_bundles(source: Source, sha: str, glob: str, target: Path) -> list[tuple[str, Path]]:
    """Each bundle file of the matching artifacts, with its name: ``artifact/path``."""
    client = _Client(source)
    repo = f"{source.api_url}/repos/{source.repository}"
    runs = client.listing(
        f"list workflow runs of {sha}", f"{repo}/actions/runs?head_sha={sha}&per_page=100",
        "workflow_runs",
    )  # fmt: skip
    own = [r for r in runs if source.run_id is not None and str(r.get("id")) == source.run_id]
    found: list[tuple[str, Path]] = []
    for run in own or runs:
        artifacts = client.listing(
            f"list artifacts of run {run['id']}",
            f"{repo}/actions/runs/{run['id']}/artifacts?per_page=100",
            "artifacts",
        )
        for artifact in artifacts:
            name = str(artifact["name"])
            if not name_matches(name, glob):
                continue
            label = f"artifact {name!r} (id {artifact['id']}, run {run['id']})"
            if artifact.get("expired"):
                raise BundleError(f"{label}: expired")
            zipped = client.download(
                f"download {label}", f"{repo}/actions/artifacts/{artifact['id']}/zip"
            )
            folder = target / str(artifact["id"])
            files = [p for p in extract(zipped, folder, label, Limits()) if p.suffix == ".json"]
            if not files:
                raise BundleError(f"{label}: no .json bundle in it")
            found += [(f"{name}/{p.relative_to(folder.resolve()).as_posix()}", p) for p in files]
    if not found:
        raise BundleError(
            f"no artifact matching {glob!r} in the {len(runs)} workflow run(s) of {sha}"
        )
    return sorted(found)


def fetched_evidence(
    matrix: Matrix, glob: str, given_sha: str | None, environ: Mapping[str, str]
) -> dict[str, ArtifactEvidence]:
    """What ``bundle_evidence`` makes of the fetched bundles; refused evidence on failure."""
    source = Source.from_env(environ)
    sha, how = judged_commit(given_sha, environ)
    if sha is None:
        return refused(matrix, f"bundles not fetched: the commit being judged is unknown ({how})")
    with tempfile.TemporaryDirectory(prefix="gatekeeper-bundles-") as folder:
        try:
            found = fetch_bundles(source, sha, glob, Path(folder))
        except (BundleError, APIError) as exc:
            return refused(matrix, f"bundles refused: {exc}")
        paths = [str(path) for _, path in found]
        return bundle_evidence(matrix, paths, sha, environ, [name for name, _ in found])
