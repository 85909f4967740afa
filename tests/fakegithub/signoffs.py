"""What a sign-off is verified from: a record file at a commit, the commits that changed it,
the pull requests holding a commit, a pull request's commits and reviews, and teams.

A test lays out the history (``add_signoff_pull``, ``FakeGitHub.add_commit`` and the
``changed`` files of each commit); the answers are GitHub's examples with these fields set.
Like GitHub, a team is readable only with a token that can read the organisation's members
(GITHUB_TOKEN cannot: 403), and a readable team answers 404 for a login that is not in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import gitdata, pulls
from .state import Refused, Store, example, not_found


def add_signoff_pull(
    store: Store, number: int, *, author: str, head_sha: str, commits: Iterable[str],
    merged_at: str | None = None, merge_commit_sha: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Pull request #``number`` by ``author`` with ``commits`` (oldest first)."""
    pull = pulls.add_pull(store, number, head_sha=head_sha)
    pull["user"] = {**pull["user"], "login": author}
    pull.update(merged_at=merged_at, merge_commit_sha=merge_commit_sha,
                state="closed" if merged_at else "open")  # fmt: skip
    store.pulls[number] = pull
    store.pull_commits[number] = list(commits)
    store.reviews.setdefault(number, [])
    return pull


def add_review(
    store: Store, number: int, login: str, state: str, commit: str, submitted_at: str
) -> None:
    review = store.rebase(example("pulls/list-reviews")[0])
    review_id = 80 + len(store.reviews[number]) + 1000 * number
    review["user"] = {**review["user"], "login": login}
    review.update(id=review_id, node_id=f"PRR_{review_id}", state=state, commit_id=commit,
                  submitted_at=submitted_at)  # fmt: skip
    store.reviews[number].append(review)


def content(store: Store, path: str, ref: str | None) -> dict[str, Any]:
    if ref is None or path not in store.files_at.get(ref, set()):
        raise not_found()
    found = store.rebase(example("repos/get-content"))
    name = path.rsplit("/", 1)[-1]
    found.update(type="file", path=path, name=name,
                 url=f"{store.repo_api()}/contents/{path}?ref={ref}")  # fmt: skip
    return dict(found)


def history(store: Store, sha: str, path: str | None) -> list[dict[str, Any]]:
    """``commits?sha=&path=``: the history from ``sha``, only the commits that changed
    ``path`` when it is given."""
    listed = gitdata.history(store, sha)
    return [c for c in listed if path is None or path in store.changed.get(c["sha"], ())]


def pulls_of(store: Store, sha: str) -> list[dict[str, Any]]:
    """``commits/{sha}/pulls``: the pull requests whose commits, or merge commit, hold it."""
    found = []
    for number, pull in sorted(store.pulls.items()):
        if sha in store.pull_commits.get(number, ()) or sha == pull.get("merge_commit_sha"):
            simple = store.rebase(example("repos/list-pull-requests-associated-with-commit")[0])
            simple.update({k: pull[k] for k in ("number", "state", "user", "head", "base",
                                                  "merged_at", "merge_commit_sha")})  # fmt: skip
            simple["requested_teams"] = []
            found.append(simple)
    return found


def commits_of(store: Store, number: int) -> list[dict[str, Any]]:
    if number not in store.pull_commits:
        raise not_found()
    listed = []
    for sha in store.pull_commits[number]:
        commit = store.rebase(example("pulls/list-commits")[0])
        commit.update(sha=sha, url=f"{store.repo_api()}/commits/{sha}")
        listed.append(commit)
    return listed


def reviews_of(store: Store, number: int) -> list[dict[str, Any]]:
    if number not in store.pulls:
        raise not_found()
    return [dict(r) for r in store.reviews.get(number, [])]


def _team(store: Store, org: str, slug: str) -> dict[str, str]:
    if not store.reads_members:
        docs = "https://docs.github.com/rest/teams/teams#get-a-team-by-name"
        body = {"message": "Resource not accessible by integration", "documentation_url": docs}
        raise Refused(403, body, violation=False)
    found = store.teams.get(f"{org}/{slug}")
    if found is None:
        raise not_found()
    return found


def team(store: Store, org: str, slug: str) -> dict[str, Any]:
    _team(store, org, slug)
    answer = store.rebase(example("teams/get-by-name"))
    # GitHub's example lacks two fields its schema requires
    answer.update(slug=slug, name=slug, type="organization")
    answer["organization"] = {**answer["organization"], "archived_at": None}
    return dict(answer)


def membership(store: Store, org: str, slug: str, login: str) -> dict[str, Any]:
    state = _team(store, org, slug).get(login)
    if state is None:
        raise not_found()
    answer = store.rebase(example("teams/get-membership-for-user-in-org"))
    answer.update(state=state)
    return dict(answer)
