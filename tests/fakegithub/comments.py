"""Issue (and pull request) comments as GitHub keeps them: ordered by ascending id, authored
by the token's identity, a body of at most 65,536 characters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .state import MAX_COMMENT_BODY, Identity, Store, example, not_found, now, validation_failed


def _check_body(body: str) -> None:
    if len(body) > MAX_COMMENT_BODY:
        raise validation_failed(
            "IssueComment", "data", f"Body is too long (maximum is {MAX_COMMENT_BODY} characters)"
        )


def create(store: Store, issue: int, body: str, author: Identity | None = None) -> dict[str, Any]:
    """A new comment on `issue`, by the token's identity unless `author` is given (seeding)."""
    _check_body(body)
    comment_id, stamp = store.new_id("comment"), now()
    comment = {
        **store.rebase(example("issues/create-comment")),
        "id": comment_id,
        "node_id": f"IC_{comment_id}",
        "url": f"{store.repo_api()}/issues/comments/{comment_id}",
        "html_url": f"{store.repo_web()}/pull/{issue}#issuecomment-{comment_id}",
        "issue_url": f"{store.repo_api()}/issues/{issue}",
        "body": body,
        "user": store.user_object(author) if author else store.author(),
        "created_at": stamp,
        "updated_at": stamp,
        "author_association": "NONE" if author is None else "CONTRIBUTOR",
        "performed_via_github_app": None,
    }
    comment["reactions"] = {**comment.get("reactions", {}), "url": f"{comment['url']}/reactions"}
    for key in ("total_count", "+1", "-1", "laugh", "confused", "heart", "hooray", "eyes"):
        comment["reactions"][key] = 0
    comment["reactions"]["rocket"] = 0
    store.comments[comment_id] = comment
    store.comment_issue[comment_id] = issue
    return dict(comment)


def update(store: Store, comment_id: int, body: str) -> dict[str, Any]:
    comment = store.comments.get(comment_id)
    if comment is None:
        raise not_found()
    _check_body(body)
    comment.update(body=body, updated_at=now())
    return dict(comment)


def _instant(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def on_issue(store: Store, issue: int, since: object = None) -> list[dict[str, Any]]:
    """The comments on `issue`, ascending id; with `since`, only those updated at or after."""
    after = None if since is None else _instant(str(since))
    return [
        dict(c)
        for cid, c in sorted(store.comments.items())
        if store.comment_issue[cid] == issue
        and (after is None or _instant(c["updated_at"]) >= after)
    ]
