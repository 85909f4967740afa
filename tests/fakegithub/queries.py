"""What tests ask the fake GitHub after a run: what it holds and what it was sent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import actions, comments, gitdata, gitobjects, pulls
from .records import RecordedRequest
from .state import Identity, Store


class Inspection:
    store: Store
    requests: list[RecordedRequest]

    def add_run(self, head_sha: str, name: str = "CI") -> int:
        """Register a completed workflow run of ``head_sha``; its id."""
        return int(actions.add_run(self.store, head_sha, name)["id"])

    def add_artifact(self, run_id: int, name: str, zipped: bytes) -> int:
        """Register an artifact of run ``run_id`` whose zip is ``zipped``; its id."""
        return int(actions.add_artifact(self.store, run_id, name, zipped)["id"])

    def add_commit(self, sha: str, *parents: str) -> None:
        """Register a commit (a 40-hex SHA) and its parents, for compare and tags."""
        gitdata.add_commit(self.store, sha, parents)

    def add_tag(self, name: str, commit: str, message: str = "by hand") -> None:
        """An annotated tag ``name`` on ``commit`` that is already on GitHub."""
        body = {"tag": name, "message": message, "object": commit, "type": "commit"}
        tag = gitdata.create_tag(self.store, body)
        gitdata.create_ref(self.store, {"ref": f"refs/tags/{name}", "sha": tag["sha"]})

    def add_pull(
        self,
        number: int,
        *,
        labels: Iterable[str] = (),
        head_ref: str = "feature",
        base_ref: str = "main",
        files: Iterable[str] = (),
        renamed_from: Mapping[str, str] | None = None,
        head_sha: str = "6dcb09b5b57875f334f61aebed695e2e4193db5e",
        base_sha: str | None = None,
    ) -> dict[str, Any]:
        """A pull request #``number`` with these labels, branches and changed files."""
        return pulls.add_pull(
            self.store, number, labels=labels, head_ref=head_ref, base_ref=base_ref,
            files=files, renamed_from=renamed_from, head_sha=head_sha, base_sha=base_sha,
        )  # fmt: skip

    def commit_files(
        self, branch: str, files: dict[str, bytes], message: str = "by hand", mode: str = "100644"
    ) -> str:
        """A commit already on GitHub that writes ``files`` (path -> content) on ``branch``,
        made or moved forward, each with ``mode`` (120000: a symbolic link); its id."""
        return gitobjects.commit_files(self.store, branch, files, message, mode)

    def file_on(self, branch: str, path: str) -> bytes | None:
        """What ``path`` holds at the head of ``branch``, read from the fake's own store."""
        return gitobjects.file_on(self.store, branch, path)

    def branch_head(self, branch: str) -> str | None:
        ref = self.store.refs.get(f"refs/heads/{branch}")
        return None if ref is None else str(ref["object"]["sha"])

    def tag_refs(self) -> dict[str, dict[str, Any]]:
        """Every ref under refs/tags/, by full name."""
        return {k: dict(v) for k, v in self.store.refs.items() if k.startswith("refs/tags/")}

    def releases(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.store.releases]

    def check_runs(
        self, head_sha: str | None = None, name: str | None = None
    ) -> list[dict[str, Any]]:
        """Every check run created, oldest first."""
        return [
            dict(run)
            for _, run in sorted(self.store.check_runs.items())
            if (head_sha is None or run["head_sha"] == head_sha)
            and (name is None or run["name"] == name)
        ]

    def annotations(self, check_run_id: int) -> list[dict[str, Any]]:
        """All annotations of a check run, in the order they were sent."""
        return list(self.store.annotations.get(check_run_id, []))

    def comments(self, issue: int | None = None) -> list[dict[str, Any]]:
        """Every comment, ascending id, optionally on one issue or pull request."""
        return [
            dict(c)
            for cid, c in sorted(self.store.comments.items())
            if issue is None or self.store.comment_issue[cid] == issue
        ]

    def statuses(self, sha: str | None = None) -> list[dict[str, Any]]:
        return [dict(s) for s in self.store.statuses if sha is None or s["sha"] == sha]

    def add_comment(self, issue: int, body: str, author: Identity | None = None) -> dict[str, Any]:
        """A comment already on the pull request (by `author`, default: the token's identity)."""
        return comments.create(self.store, issue, body, author or self.store.identity)

    def calls(self, method: str, path_regex: str = "") -> list[RecordedRequest]:
        """The requests with this method whose path matches `path_regex` (re.search)."""
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method and pattern.search(r.path)]

    def writes(self) -> list[RecordedRequest]:
        """Every request that would change something on GitHub."""
        return [r for r in self.requests if r.method not in ("GET", "HEAD")]
