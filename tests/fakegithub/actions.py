"""Workflow runs, their artifacts and the artifacts' zips, as tests register them.

GitHub's download endpoint answers 302 with a short-lived storage URL on another host; the
fake answers 302 to a path of its own under ``STORAGE`` instead, and serves the zip there
only to a request without an Authorization header: a client that forwards the token to the
storage host leaks it, and is recorded as a violation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .state import Refused, Store, example, not_found, now

STORAGE = "/_fake_storage/artifacts/"
"""Outside the API root, as GitHub's storage is outside api.github.com."""


def add_run(store: Store, head_sha: str, name: str = "CI") -> dict[str, Any]:
    """A completed workflow run of ``head_sha``, built from GitHub's example."""
    run = store.rebase(example("actions/list-workflow-runs-for-repo")["workflow_runs"][0])
    run_id = store.new_id("run")
    base = f"{store.repo_api()}/actions/runs/{run_id}"
    run.update(
        id=run_id, name=name, head_sha=head_sha, status="completed", conclusion="success",
        url=base, artifacts_url=f"{base}/artifacts", created_at=now(), updated_at=now(),
    )  # fmt: skip
    store.workflow_runs.append(run)
    store.run_artifacts[run_id] = []
    return run


def add_artifact(store: Store, run_id: int, name: str, zipped: bytes) -> dict[str, Any]:
    """An artifact of run ``run_id`` whose download is ``zipped``."""
    artifact = store.rebase(example("actions/list-workflow-run-artifacts")["artifacts"][0])
    artifact_id = store.new_id("artifact")
    url = f"{store.repo_api()}/actions/artifacts/{artifact_id}"
    artifact.update(
        id=artifact_id, name=name, size_in_bytes=len(zipped), url=url,
        archive_download_url=f"{url}/zip", expired=False, created_at=now(), updated_at=now(),
    )  # fmt: skip
    artifact["workflow_run"] = {**artifact.get("workflow_run", {}), "id": run_id}
    store.run_artifacts[run_id].append(artifact)
    store.artifact_zips[artifact_id] = zipped
    return artifact


def runs_for(store: Store, params: dict[str, Any]) -> list[dict[str, Any]]:
    head_sha = params.get("head_sha")
    return [r for r in store.workflow_runs if head_sha is None or r["head_sha"] == head_sha]


def run_of(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    found = next((r for r in store.workflow_runs if r["id"] == params["run_id"]), None)
    if found is None:
        raise not_found()
    return found


def artifacts_of(store: Store, params: dict[str, Any]) -> list[dict[str, Any]]:
    found = store.run_artifacts.get(params["run_id"])
    if found is None:
        raise not_found()
    name = params.get("name")
    return [a for a in found if name is None or a["name"] == name]


def download(store: Store, params: dict[str, Any], origin: str) -> str:
    """The storage URL of the artifact's zip (GitHub: 302 Location)."""
    if params["archive_format"] != "zip":
        raise not_found()
    artifact_id = params["artifact_id"]
    if artifact_id not in store.artifact_zips:
        raise not_found()
    return f"{origin}{STORAGE}{quote(str(artifact_id))}.zip"


def stored(store: Store, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """The storage host's answer to GET ``path`` (under STORAGE)."""
    if "authorization" in headers:
        # Azure Blob Storage refuses a second credential beside the URL's own signature
        raise Refused(400, {"message": "the GitHub token was sent to the storage host"})
    name = path[len(STORAGE) :].removesuffix(".zip")
    zipped = store.artifact_zips.get(int(name)) if name.isdigit() else None
    if zipped is None:
        raise Refused(404, {"message": "no such blob"})
    return 200, zipped
