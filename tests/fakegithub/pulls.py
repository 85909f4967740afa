"""Pull requests the fake holds: number, labels, head and base branch, changed files.

Each is GitHub's example pull request with these fields set, and each file GitHub's example
file entry with its name; a test registers them (``FakeGitHub.add_pull``). Like GitHub, the
files list stops at ``Store.max_pull_files`` (3,000) however many the pull request has.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from .state import Store, example, not_found, now, renamed

_EXAMPLE_NUMBER = "1347"


def _label(store: Store, name: str, index: int) -> dict[str, Any]:
    label = store.rebase(example("pulls/get")["labels"][0])
    label.update(id=208045946 + index, node_id=f"LA_{index}", name=name, default=False,
                 url=f"{store.repo_api()}/labels/{name}")  # fmt: skip
    return dict(label)


def _file(store: Store, head_sha: str, name: str, previous: str | None) -> dict[str, Any]:
    entry = store.rebase(example("pulls/list-files")[0])
    blob = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()
    entry.update(
        filename=name, sha=blob, status="renamed" if previous else "modified",
        blob_url=f"{store.repo_web()}/blob/{head_sha}/{name}",
        raw_url=f"{store.repo_web()}/raw/{head_sha}/{name}",
        contents_url=f"{store.repo_api()}/contents/{name}?ref={head_sha}",
    )  # fmt: skip
    if previous:
        entry["previous_filename"] = previous
    return dict(entry)


def add_pull(
    store: Store,
    number: int,
    *,
    labels: Iterable[str] = (),
    head_ref: str = "feature",
    base_ref: str = "main",
    head_sha: str = "6dcb09b5b57875f334f61aebed695e2e4193db5e",
    base_sha: str | None = None,
    files: Iterable[str] = (),
    renamed_from: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A pull request #``number`` of the repository; ``renamed_from`` maps a file of
    ``files`` to its old name."""
    pull = store.rebase(example("pulls/get"))
    pull = renamed(pull, [("octocat/Hello-World", store.repository),
                          (f"/{_EXAMPLE_NUMBER}", f"/{number}")])  # fmt: skip
    pull["requested_teams"] = []  # GitHub's example team lacks `type`, which its schema requires
    owner = store.repository.split("/")[0]
    names = list(files)
    pull.update(
        number=number, id=1_900_000_000 + number, node_id=f"PR_{number}", state="open",
        labels=[_label(store, name, i) for i, name in enumerate(labels)],
        changed_files=len(names), created_at=now(), updated_at=now(),
    )  # fmt: skip
    pull["head"] = {**pull["head"], "ref": head_ref, "sha": head_sha,
                    "label": f"{owner}:{head_ref}"}  # fmt: skip
    pull["base"] = {**pull["base"], "ref": base_ref, "label": f"{owner}:{base_ref}"}
    if base_sha is not None:
        pull["base"]["sha"] = base_sha
    store.pulls[number] = pull
    old = renamed_from or {}
    store.pull_files[number] = [_file(store, head_sha, n, old.get(n)) for n in names]
    return dict(pull)


def get(store: Store, number: int) -> dict[str, Any]:
    found = store.pulls.get(number)
    if found is None:
        raise not_found()
    return dict(found)


def files(store: Store, number: int) -> list[dict[str, Any]]:
    """Its files, as many as GitHub lists at most."""
    if number not in store.pulls:
        raise not_found()
    return [dict(f) for f in store.pull_files[number][: store.max_pull_files]]
