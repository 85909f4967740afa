"""An in-memory ``publish.GitHubAPI``: what publishing would leave on GitHub, without HTTP."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from gatekeeper.github.publish import CheckRunRef, CommentRef

BOT = "github-actions[bot]"


class MemoryAPI:
    """Keeps what is posted; ``fail`` maps a method name to the exception it raises."""

    def __init__(self, me: str = BOT, *, user_refused: bool = False) -> None:
        self.me = me
        """Whom the token posts as."""
        self.user_refused = user_refused
        """GET /user refused, as to every installation token: identity() says None."""
        self.runs: dict[int, dict[str, Any]] = {}
        self.statuses: list[dict[str, Any]] = []
        self.comments_by_id: dict[int, CommentRef] = {}
        self.calls: list[str] = []
        self.fail: dict[str, Exception] = {}
        self.lose_response: set[str] = set()
        self._ids = iter(range(100, 10_000))

    def _enter(self, name: str) -> None:
        self.calls.append(name)
        if name in self.fail:
            raise self.fail[name]

    def check_runs(self, sha: str, name: str) -> list[CheckRunRef]:
        self._enter("check_runs")
        return [
            CheckRunRef(i, r.get("external_id"), len(r.get("annotations", [])))
            for i, r in self.runs.items()
            if r["head_sha"] == sha and r["name"] == name
        ]

    def create_check_run(self, body: dict[str, Any], find: Callable[[], int | None]) -> int:
        self._enter("create_check_run")
        run_id = next(self._ids)
        self.runs[run_id] = {**body, "annotations": list(body["output"].get("annotations", []))}
        if "create_check_run" in self.lose_response:  # created, but the answer never came
            self.lose_response.discard("create_check_run")
            found = find()
            assert found is not None
            return found
        return run_id

    def update_check_run(self, run_id: int, body: dict[str, Any]) -> None:
        self._enter("update_check_run")
        run = self.runs[run_id]
        run.update({k: v for k, v in body.items() if k != "output"})
        run["output"] = body["output"]
        run["annotations"] += body["output"].get("annotations", [])

    def create_status(self, sha: str, body: dict[str, Any]) -> None:
        self._enter("create_status")
        self.statuses.append(body)

    def identity(self) -> str | None:
        self._enter("identity")
        return None if self.user_refused else self.me

    def comments(self, number: int) -> list[CommentRef]:
        self._enter("comments")
        return list(self.comments_by_id.values())

    def create_comment(
        self, number: int, body: str, find: Callable[[], CommentRef | None]
    ) -> CommentRef:
        self._enter("create_comment")
        made = CommentRef(next(self._ids), self.me, body, self.me.endswith("[bot]"))
        self.comments_by_id[made.id] = made
        return made

    def update_comment(self, comment_id: int, body: str) -> None:
        self._enter("update_comment")
        self.comments_by_id[comment_id] = dataclasses.replace(
            self.comments_by_id[comment_id], body=body
        )
