"""Git data the fake holds for phase tags: commits (their parents only), refs, annotated tag
objects and releases, answering as GitHub's git database and releases endpoints do (blobs,
trees, commits made through the API and branch updates: gitobjects.py).

A commit exists only when a test adds it; a ref or tag pointing at an unknown object, a ref
that already exists, a release for a missing tag, or the deletion of a missing ref is
refused with GitHub's 422. Deleting a tag's ref leaves its tag object, as on GitHub.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .state import Refused, Store, example, not_found, now, validation_failed


def add_commit(store: Store, sha: str, parents: tuple[str, ...] = ()) -> None:
    store.commits[sha] = parents


def ancestors(store: Store, sha: str) -> set[str]:
    """``sha`` and every commit it reaches."""
    seen: set[str] = set()
    todo = [sha]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo += store.commits.get(current, ())
    return seen


def _object(store: Store, sha: str, kind: str) -> dict[str, Any]:
    plural = "commits" if kind == "commit" else "tags"
    return {"sha": sha, "type": kind, "url": f"{store.repo_api()}/git/{plural}/{sha}"}


def ref_object(store: Store, ref: str, sha: str, kind: str) -> dict[str, Any]:
    return {"ref": ref, "node_id": f"REF_{sha[:12]}", "url": f"{store.repo_api()}/git/{ref}",
            "object": _object(store, sha, kind)}  # fmt: skip


def matching_refs(store: Store, prefix: str) -> list[dict[str, Any]]:
    return [dict(r) for name, r in sorted(store.refs.items()) if name.startswith(f"refs/{prefix}")]


def get_tag(store: Store, sha: str) -> dict[str, Any]:
    found = store.tag_objects.get(sha)
    if found is None:
        raise not_found()
    return dict(found)


def compare(store: Store, basehead: str) -> dict[str, Any]:
    base, dots, head = basehead.partition("...")
    if not dots or base not in store.commits or head not in store.commits:
        raise not_found()
    behind, ahead = ancestors(store, base), ancestors(store, head)
    if base == head:
        status = "identical"
    elif base in ahead:
        status = "ahead"
    elif head in behind:
        status = "behind"
    else:
        status = "diverged"
    answer = store.rebase(example("repos/compare-commits-with-basehead"))
    answer.update(status=status, ahead_by=len(ahead - behind), behind_by=len(behind - ahead))
    base_commit = _commit(store, _merge_base(store, head, behind))
    answer["merge_base_commit"] = {**answer["merge_base_commit"], **base_commit}
    return dict(answer)


def _merge_base(store: Store, head: str, behind: set[str]) -> str:
    """The nearest commit, breadth first from ``head``, that ``base`` reaches too."""
    todo, seen = [head], set()
    while todo:
        current = todo.pop(0)
        if current in behind:
            return current
        if current not in seen:
            seen.add(current)
            todo += store.commits.get(current, ())
    raise not_found()  # unrelated histories: GitHub answers 404 ("No common ancestor")


def _commit(store: Store, sha: str) -> dict[str, Any]:
    """A commit as the commits endpoints list it: GitHub's example with this sha and parents."""
    commit = store.rebase(example("repos/list-commits")[0])
    url = f"{store.repo_api()}/commits"
    parents = [{"sha": p, "url": f"{url}/{p}", "html_url": f"{store.repo_web()}/commit/{p}"}
               for p in store.commits.get(sha, ())]  # fmt: skip
    commit.update(sha=sha, url=f"{url}/{sha}", html_url=f"{store.repo_web()}/commit/{sha}",
                  parents=parents)  # fmt: skip
    return dict(commit)


def history(store: Store, sha: str) -> list[dict[str, Any]]:
    """``GET commits?sha=``: ``sha`` and every commit it reaches, breadth first (GitHub lists
    them newest first; the fake has no dates, and a test sets the shape it needs)."""
    if sha not in store.commits:
        raise not_found()
    order, todo = [], [sha]
    while todo:
        current = todo.pop(0)
        if current not in order:
            order.append(current)
            todo += store.commits.get(current, ())
    return [_commit(store, c) for c in order]


def create_tag(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    target = body["object"]
    if body["type"] != "commit" or target not in store.commits:
        raise validation_failed("Tag", "object", f"Object does not exist: {target}")
    text = f"{body['tag']}\n{target}\n{body['message']}\n{len(store.tag_objects)}"
    sha = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    tag = store.rebase(example("git/create-tag"))
    tag.update(
        sha=sha, node_id=f"TAG_{sha[:12]}", tag=body["tag"], message=body["message"],
        url=f"{store.repo_api()}/git/tags/{sha}", object=_object(store, target, "commit"),
    )  # fmt: skip
    tag["tagger"] = {**tag["tagger"], "date": now()}
    store.tag_objects[sha] = tag
    return dict(tag)


def create_ref(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    ref, sha = body["ref"], body["sha"]
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise validation_failed("Ref", "ref", f"{ref} is not a valid ref name.")
    if ref in store.refs:  # a race a correct client can lose (two writers create a branch)
        raise Refused(422, {"message": "Reference already exists"}, violation=False)
    kind = "tag" if sha in store.tag_objects else "commit" if sha in store.commits else None
    if kind is None:
        raise Refused(422, {"message": "Object does not exist"})
    store.refs[ref] = ref_object(store, ref, sha, kind)
    return dict(store.refs[ref])


def create_release(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    name = body["tag_name"]
    if f"refs/tags/{name}" not in store.refs:
        # GitHub would make a lightweight tag from target_commitish; gatekeeper never wants it
        raise validation_failed("Release", "tag_name", f"tag {name} does not exist")
    if any(r["tag_name"] == name for r in store.releases):
        raise Refused(422, {"message": "Validation Failed", "errors": [
            {"resource": "Release", "code": "already_exists", "field": "tag_name"}]})  # fmt: skip
    release_id = store.new_id("release")
    release = store.rebase(example("repos/create-release"))
    release.update(
        id=release_id, tag_name=name, name=body.get("name"), body=body.get("body"),
        draft=bool(body.get("draft")), prerelease=bool(body.get("prerelease")), assets=[],
        url=f"{store.repo_api()}/releases/{release_id}", created_at=now(), published_at=now(),
    )  # fmt: skip
    store.releases.append(release)
    return dict(release)


def release_by_tag(store: Store, name: str) -> dict[str, Any]:
    found = [r for r in store.releases if r["tag_name"] == name]
    if not found:
        raise Refused(404, not_found().body, violation=False)  # looking is what it is for
    return dict(found[0])


def delete_ref(store: Store, ref: str) -> None:
    """DELETE git/refs/{ref}: ``ref`` is written without its ``refs/`` (``tags/v1``)."""
    full = f"refs/{ref}"
    if full not in store.refs:
        docs = "https://docs.github.com/rest/git/refs#delete-a-reference"
        body = {"message": "Reference does not exist", "documentation_url": docs}
        raise Refused(422, body, violation=False)  # a race a correct client can lose
    del store.refs[full]
