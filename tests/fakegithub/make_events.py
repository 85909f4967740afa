"""Copy the webhook payloads the scenario tests use into events/, and derive the ones the
corpus lacks (see ../shared/corpus/github/SOURCES.md: no pull request there is from a fork).

    python tests/fakegithub/make_events.py

Copies are byte for byte; a derived payload is the JSON of its source with the edits listed
in events/SOURCES.md (which this script writes), formatted as the corpus is (indent 2).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus" / "github" / "events"
EVENTS = HERE / "events"

FORK_OWNER = {"login": "Octoforker", "id": 58224561, "node_id": "MDQ6VXNlcjU4MjI0NTYx"}


def _user(template: dict[str, Any], who: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(template).replace(template["login"], who["login"])
    return {**json.loads(text), **who}


def from_fork(payload: dict[str, Any]) -> dict[str, Any]:
    """The pull request opened from a fork: the head repository is someone else's."""
    payload = copy.deepcopy(payload)
    pr = payload["pull_request"]
    head = pr["head"]
    forker = _user(head["user"], FORK_OWNER)
    repo_text = json.dumps(head["repo"]).replace("Codertocat/Hello-World", "Octoforker/Hello-World")
    repo = json.loads(repo_text)
    repo.update(id=211345876, node_id="MDEwOlJlcG9zaXRvcnkyMTEzNDU4NzY=", fork=True, owner=forker)
    pr["head"] = {**head, "label": f"{forker['login']}:{head['ref']}", "user": forker, "repo": repo}
    pr["user"] = forker
    pr["author_association"] = "CONTRIBUTOR"
    payload["sender"] = forker
    return payload


def phase_tag(payload: dict[str, Any]) -> dict[str, Any]:
    """The push of the phase tag phase/one (the corpus's tag is simple-tag)."""
    return json.loads(json.dumps(payload).replace("simple-tag", "phase/one"))  # type: ignore[no-any-return]


# target file -> (source in the corpus, edit or None for a byte-for-byte copy, what was edited)
PLAN: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]] | None, str]] = {
    "pull_request-opened.json": ("pull_request/00-opened.json", None, ""),
    "pull_request-synchronize.json": ("pull_request/22-synchronize.json", None, ""),
    "pull_request-fork.json": (
        "pull_request/00-opened.json",
        from_fork,
        "pull_request.head.repo: full_name/URLs Octoforker/Hello-World, new id and node_id, "
        "fork true, owner Octoforker; pull_request.head.label and .user, pull_request.user, "
        "sender: Octoforker; pull_request.author_association CONTRIBUTOR",
    ),
    "merge_group-checks_requested.json": ("merge_group/00-checks_requested.json", None, ""),
    "push-tag.json": ("push/00-tag-created.json", None, ""),
    "push-default-branch.json": ("push/04-branch-created.json", None, ""),
    "push-phase-tag.json": (
        "push/00-tag-created.json",
        phase_tag,
        "ref and compare URL: the tag simple-tag renamed phase/one",
    ),
}


def render() -> dict[str, bytes]:
    """Every file of events/, SOURCES.md included, as the corpus gives it now."""
    files: dict[str, bytes] = {}
    rows = []
    for target, (source, edit, edits) in PLAN.items():
        raw = (CORPUS / source).read_bytes()
        if edit is not None:
            derived = edit(json.loads(raw))
            raw = (json.dumps(derived, indent=2, ensure_ascii=False) + "\n").encode()
        files[target] = raw
        digest = hashlib.sha256((CORPUS / source).read_bytes()).hexdigest()
        rows.append(f"| `{target}` | `{source}`, sha256 `{digest}` | {edits or 'copied as is'} |")
    files["SOURCES.md"] = "\n".join([
        "# Webhook payloads for the scenario tests",
        "",
        "Written by `tests/fakegithub/make_events.py` from `../shared/corpus/github/events/`,",
        "which holds examples of `@octokit/webhooks-examples` 7.6.1 (MIT); do not edit by hand.",
        "",
        "| file | source | edits |",
        "|---|---|---|",
        *rows,
        "",
    ]).encode()  # fmt: skip
    return files


def main() -> int:
    EVENTS.mkdir(exist_ok=True)
    for name, raw in render().items():
        (EVENTS / name).write_bytes(raw)
        print(f"wrote {EVENTS / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
