"""The git database the fake holds beside its phase-tag data: blobs, trees and commits with
real git object ids, and branch refs moved only forward unless forced.

Every object id is the one git gives it (``sha1("blob <size>\\0" + content)``, the same for
trees and commits), so a client cannot lean on ids the fake made up. As on GitHub:

- a blob is created from ``utf-8`` or ``base64`` content and read back as base64 wrapped at
  60 characters a line;
- a tree is created from entries with nested paths over an optional ``base_tree`` (an entry
  with ``sha: null`` removes its path; ``content`` makes the blob); subtrees left empty are
  dropped; it is read back one level, or every level with ``recursive`` (any value);
- a commit needs a tree and parents that exist; its author and committer default to the
  token's identity, dated now. Commits a test added by hand (``gitdata.add_commit``: parents
  only) read back with the empty tree;
- ``PATCH git/refs/{ref}`` with ``force: false`` moves a ref only to a descendant of the
  commit it points at, else 422 "Update is not a fast forward". The whole request is
  answered under the server's lock, so reading the current commit and moving the ref are
  one step: of two writers racing from the same commit, exactly one wins.

The refusals a correct client can meet in a race (not a fast forward, the reference does not
exist (deleted meanwhile), or already exists: ``gitdata.create_ref``) are not violations;
the others are.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from . import gitdata
from .state import Refused, Store, example, not_found, now

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_MODES = {"blob": ("100644", "100755", "120000"), "tree": ("040000",), "commit": ("160000",)}


@dataclass(frozen=True)
class Entry:
    """One entry of a tree object."""

    name: str
    mode: str
    """As the API writes it: ``040000`` for a tree (git itself writes ``40000``)."""
    type: str
    sha: str


def object_id(kind: str, content: bytes) -> str:
    header = f"{kind} {len(content)}\0".encode()
    return hashlib.sha1(header + content, usedforsecurity=False).hexdigest()


def add_blob(store: Store, content: bytes) -> str:
    sha = object_id("blob", content)
    store.blobs[sha] = content
    return sha


def _add_tree(store: Store, entries: list[Entry]) -> str:
    # git orders entries by name, a tree's name as if it ended in "/"
    ordered = sorted(entries, key=lambda e: e.name + ("/" if e.type == "tree" else ""))
    raw = b"".join(
        f"{e.mode.lstrip('0')} {e.name}\0".encode() + bytes.fromhex(e.sha) for e in ordered
    )
    sha = object_id("tree", raw)
    store.trees[sha] = tuple(ordered)
    return sha


def _tree(store: Store, sha: str) -> tuple[Entry, ...]:
    if sha == EMPTY_TREE:
        return ()
    found = store.trees.get(sha)
    if found is None:
        raise not_found()
    return found


def _url(store: Store, kind: str, sha: str) -> str:
    return f"{store.repo_api()}/git/{kind}/{sha}"


# --- blobs --------------------------------------------------------------------------------


def create_blob(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    encoding = body.get("encoding", "utf-8")
    if encoding == "utf-8":
        content = body["content"].encode()
    elif encoding == "base64":
        try:
            content = base64.b64decode(body["content"], validate=True)
        except binascii.Error:
            raise Refused(422, {"message": "content is not valid Base64"}) from None
    else:
        raise Refused(422, {"message": f"encoding must be utf-8 or base64, not {encoding!r}"})
    sha = add_blob(store, content)
    return {"url": _url(store, "blobs", sha), "sha": sha}


def get_blob(store: Store, sha: str) -> dict[str, Any]:
    content = store.blobs.get(sha)
    if content is None:
        raise not_found()
    text = base64.b64encode(content).decode()
    wrapped = "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))
    return {"sha": sha, "node_id": f"B_{sha[:12]}", "size": len(content),
            "url": _url(store, "blobs", sha), "content": wrapped, "encoding": "base64"}  # fmt: skip


# --- trees --------------------------------------------------------------------------------


def _listing(store: Store, sha: str, recursive: bool, prefix: str = "") -> list[dict[str, Any]]:
    items = []
    for entry in _tree(store, sha):
        path = prefix + entry.name
        kind = "blobs" if entry.type == "blob" else "trees"
        item: dict[str, Any] = {"path": path, "mode": entry.mode, "type": entry.type,
                                "sha": entry.sha, "url": _url(store, kind, entry.sha)}  # fmt: skip
        if entry.type == "blob":
            item["size"] = len(store.blobs[entry.sha])
        items.append(item)
        if recursive and entry.type == "tree":
            items += _listing(store, entry.sha, True, path + "/")
    return items


def get_tree(store: Store, sha: str, recursive: bool) -> dict[str, Any]:
    _tree(store, sha)
    return {"sha": sha, "url": _url(store, "trees", sha), "truncated": False,
            "tree": _listing(store, sha, recursive)}  # fmt: skip


def _expand(store: Store, sha: str) -> dict[str, Any]:
    """A tree as nested dicts: a name to its ``Entry``, or to the dict of its subtree."""
    return {e.name: _expand(store, e.sha) if e.type == "tree" else e for e in _tree(store, sha)}


def _write(store: Store, nested: dict[str, Any]) -> str | None:
    """The tree object of ``nested``; None when it holds nothing (git keeps no empty tree)."""
    entries = []
    for name, value in nested.items():
        if isinstance(value, Entry):
            entries.append(value)
        else:
            sha = _write(store, value)
            if sha is not None:
                entries.append(Entry(name, "040000", "tree", sha))
    return _add_tree(store, entries) if entries else None


def _place(store: Store, root: dict[str, Any], item: dict[str, Any]) -> None:
    path, kind, mode = item.get("path", ""), item.get("type"), item.get("mode")
    parts = path.split("/")
    if not path or "" in parts or kind not in _MODES or mode not in _MODES[kind]:
        raise Refused(422, {"message": f"tree entry {path!r}: path, mode and type must agree"})
    if "content" in item:
        if kind != "blob":
            raise Refused(422, {"message": f"tree entry {path!r}: content makes a blob"})
        sha: str | None = add_blob(store, item["content"].encode())
    else:
        sha = item.get("sha")
        known = store.blobs if kind == "blob" else store.trees if kind == "tree" else {}
        if sha is not None and sha not in known and kind != "commit" and sha != EMPTY_TREE:
            raise Refused(422, {"message": f"tree.sha {sha} is not a valid {kind}"})
    folder = root
    for part in parts[:-1]:
        below = folder.get(part)
        if not isinstance(below, dict):  # absent, or a file where a folder is asked for
            below = folder[part] = {}
        folder = below
    if sha is None:
        folder.pop(parts[-1], None)
    elif kind == "tree":
        folder[parts[-1]] = _expand(store, sha)
    else:
        folder[parts[-1]] = Entry(parts[-1], mode, kind, sha)


def create_tree(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    base = body.get("base_tree")
    if base is not None and base != EMPTY_TREE and base not in store.trees:
        raise Refused(422, {"message": f"base_tree {base} is not a valid tree"})
    root = _expand(store, base) if base else {}
    for item in body["tree"]:
        _place(store, root, item)
    sha = _write(store, root) or _add_tree(store, [])
    return get_tree(store, sha, recursive=False)


# --- commits ------------------------------------------------------------------------------


def _person(given: dict[str, Any] | None, store: Store) -> dict[str, str]:
    who = store.identity or store.installation
    fallback = {"name": who.login, "email": f"{who.id}+{who.login}@users.noreply.github.com"}
    return {**fallback, **(given or {}), "date": (given or {}).get("date") or now()}


def _signature(person: dict[str, str]) -> str:
    when = dt.datetime.fromisoformat(person["date"].replace("Z", "+00:00"))
    return f"{person['name']} <{person['email']}> {int(when.timestamp())} +0000"


def create_commit(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    tree, parents = body["tree"], list(body.get("parents", []))
    if tree != EMPTY_TREE and tree not in store.trees:
        raise Refused(422, {"message": "Tree SHA does not exist"})
    for parent in parents:
        if parent not in store.commits:
            raise Refused(422, {"message": "Parent SHA does not exist or is not a commit object"})
    author = _person(body.get("author"), store)
    committer = _person(body.get("committer") or body.get("author"), store)
    lines = [f"tree {tree}", *(f"parent {p}" for p in parents),
             f"author {_signature(author)}", f"committer {_signature(committer)}"]  # fmt: skip
    sha = object_id("commit", ("\n".join(lines) + "\n\n" + body["message"]).encode())
    store.commit_objects[sha] = {"tree": tree, "message": body["message"], "author": author,
                                 "committer": committer}  # fmt: skip
    gitdata.add_commit(store, sha, tuple(parents))  # compare, history and tags see it too
    return get_commit(store, sha)


def get_commit(store: Store, sha: str) -> dict[str, Any]:
    if sha not in store.commits:
        raise not_found()
    made = store.commit_objects.get(sha)
    if made is None:  # added by a test with its parents only: a commit of nothing
        person = {"name": "Monalisa Octocat", "email": "octocat@github.com", "date": now()}
        made = {"tree": EMPTY_TREE, "message": "", "author": person, "committer": person}
    answer = store.rebase(example("git/get-commit"))
    answer.update(
        sha=sha, node_id=f"C_{sha[:12]}", url=_url(store, "commits", sha),
        html_url=f"{store.repo_web()}/commit/{sha}", message=made["message"],
        author=made["author"], committer=made["committer"],
        tree={"sha": made["tree"], "url": _url(store, "trees", made["tree"])},
        parents=[{"sha": p, "url": _url(store, "commits", p),
                  "html_url": f"{store.repo_web()}/commit/{p}"} for p in store.commits[sha]],
    )  # fmt: skip
    return dict(answer)


# --- refs ---------------------------------------------------------------------------------


def get_ref(store: Store, ref: str) -> dict[str, Any]:
    """GET git/ref/{ref}: ``ref`` without its ``refs/`` (``heads/main``)."""
    found = store.refs.get(f"refs/{ref}")
    if found is None:
        raise not_found()
    return dict(found)


def update_ref(store: Store, ref: str, body: dict[str, Any]) -> dict[str, Any]:
    full, sha = f"refs/{ref}", body["sha"]
    current = store.refs.get(full)
    if current is None:  # deleted since it was read: a race, too
        raise Refused(422, {"message": "Reference does not exist"}, violation=False)
    if sha not in store.commits:
        raise Refused(422, {"message": "Object does not exist"})
    was = current["object"]["sha"]
    if not body.get("force", False) and was not in gitdata.ancestors(store, sha):
        docs = "https://docs.github.com/rest/git/refs#update-a-reference"
        refusal = {"message": "Update is not a fast forward", "documentation_url": docs}
        raise Refused(422, refusal, violation=False)  # another writer moved it first
    store.refs[full] = gitdata.ref_object(store, full, sha, "commit")
    return dict(store.refs[full])


# --- for tests: a branch laid out, and a file read back, without HTTP ----------------------


def commit_files(
    store: Store, branch: str, files: dict[str, bytes], message: str, mode: str = "100644"
) -> str:
    """A commit on ``branch`` (made or moved forward) whose tree is the branch's with
    ``files`` written (with ``mode``: 120000 makes each a symbolic link to its content); its
    id."""
    ref = store.refs.get(f"refs/heads/{branch}")
    parents = [ref["object"]["sha"]] if ref else []
    base = get_commit(store, parents[0])["tree"]["sha"] if parents else None
    items = [{"path": path, "mode": mode, "type": "blob", "sha": add_blob(store, content)}
             for path, content in files.items()]  # fmt: skip
    tree = create_tree(store, {"tree": items, **({"base_tree": base} if base else {})})["sha"]
    sha = str(create_commit(store, {"message": message, "tree": tree, "parents": parents})["sha"])
    full = f"refs/heads/{branch}"
    store.refs[full] = gitdata.ref_object(store, full, sha, "commit")
    return sha


def file_on(store: Store, branch: str, path: str) -> bytes | None:
    """``path``'s content at the head of ``branch``; None when either is absent."""
    ref = store.refs.get(f"refs/heads/{branch}")
    if ref is None:
        return None
    tree = get_commit(store, ref["object"]["sha"])["tree"]["sha"]
    found = [i for i in _listing(store, tree, True) if i["path"] == path and i["type"] == "blob"]
    return store.blobs[found[0]["sha"]] if found else None
