"""What the fake GitHub remembers, and the objects it answers with.

Every object is built from the example response GitHub's description gives for the endpoint,
with its URLs moved to the fake, so clients read the same fields they read from GitHub
(`id`, `url`, `html_url`, `user`, `output.annotations_count`, ...). Behaviour the schemas do
not carry but GitHub documents or enforces is here too: annotations accumulate across
updates, a conclusion completes a check run, a status description is at most 140 characters,
a comment body at most 65,536, and a commit must exist (a full 40-hex SHA here).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from . import spec

SHA = re.compile(r"[0-9a-f]{40}")
MAX_STATUS_DESCRIPTION = 140
MAX_COMMENT_BODY = 65536


@dataclass(frozen=True)
class Identity:
    """Who a token acts as: the author of what it posts."""

    login: str
    id: int
    type: str = "User"


# Actions' GITHUB_TOKEN is an installation token of the GitHub Actions app: GET /user is
# refused, and what it posts is authored by this bot.
ACTIONS_BOT = Identity("github-actions[bot]", 41898282, "Bot")
# Another App's installation token (actions/create-github-app-token): GET /user is refused
# too, but it posts as its own bot.
APP_BOT = Identity("my-app[bot]", 149200001, "Bot")
ACTIONS_APP = {"id": 15368, "slug": "github-actions", "name": "GitHub Actions"}


class Refused(Exception):
    """GitHub answers the request with this error status and body instead."""

    def __init__(self, status: int, body: dict[str, Any], violation: bool = True) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = {**body, "status": str(status)}
        self.violation = violation
        """Whether a correct client would never have sent it (a stale id is not that)."""


def not_found() -> Refused:
    docs = "https://docs.github.com/rest"
    return Refused(404, {"message": "Not Found", "documentation_url": docs}, violation=False)


def validation_failed(resource: str, field_name: str, message: str) -> Refused:
    error = {"resource": resource, "code": "custom", "field": field_name, "message": message}
    return Refused(422, {"message": "Validation Failed", "errors": [error]})


def no_commit(sha: str) -> Refused:
    return Refused(422, {"message": f"No commit found for SHA: {sha}"})


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def example(operation_id: str) -> Any:
    found = next(e for e in spec.endpoints() if e.operation_id == operation_id)
    return copy.deepcopy(found.response_example)


def renamed(value: Any, pairs: list[tuple[str, str]]) -> Any:
    """`value` with every string's occurrences of each `old` replaced by `new`."""
    if isinstance(value, dict):
        return {k: renamed(v, pairs) for k, v in value.items()}
    if isinstance(value, list):
        return [renamed(v, pairs) for v in value]
    if isinstance(value, str):
        for old, new in pairs:
            value = value.replace(old, new)
    return value


@dataclass
class Store:
    """The repository, its check runs, statuses and comments, and the token's identity."""

    api_url: str
    web_url: str = "https://github.com"
    repository: str = "Codertocat/Hello-World"
    repository_id: int = 186853002
    identity: Identity | None = None
    """A user's token (GET /user answers it). None: an installation token, GET /user
    refused, posting as `installation` (default github-actions[bot], GITHUB_TOKEN's)."""
    installation: Identity = ACTIONS_BOT
    """Whom an installation token posts as: an App's token posts as `<slug>[bot]`, type Bot,
    and GET /user is refused to it all the same, so "refused" says nothing of the author."""
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    annotations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    comment_issue: dict[int, int] = field(default_factory=dict)
    workflow_runs: list[dict[str, Any]] = field(default_factory=list)
    run_artifacts: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    """By workflow run id (actions.py)."""
    artifact_zips: dict[int, bytes] = field(default_factory=dict)
    commits: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each known commit's parents (gitdata.py)."""
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    """Blob contents by object id (gitobjects.py)."""
    trees: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    """Each tree object's entries (``gitobjects.Entry``), by object id."""
    commit_objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Tree, message, author and committer of the commits made through the API; their
    parents are in ``commits``."""
    tag_objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    releases: list[dict[str, Any]] = field(default_factory=list)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Pull requests by number (pulls.py)."""
    pull_files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    max_pull_files: int = 3000
    """GitHub lists at most this many files of a pull request."""
    files_at: dict[str, set[str]] = field(default_factory=dict)
    """The files of each commit's tree that a test cares about (signoffs.py)."""
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The files each commit changed, as git's history by path sees them (signoffs.py)."""
    pull_commits: dict[int, list[str]] = field(default_factory=dict)
    """Each pull request's commits, oldest first."""
    reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    teams: dict[str, dict[str, str]] = field(default_factory=dict)
    """``org/slug`` -> login -> membership state (active, pending)."""
    reads_members: bool = False
    """Whether the token of the request being answered can read the organisation's teams."""
    # Real ids are past 2**31 (comments) and 2**34 (check runs); a client that keeps them in
    # 32 bits breaks here as it would on GitHub.
    last_id: dict[str, int] = field(
        default_factory=lambda: {"check": 28_000_000_000, "status": 33_000_000_000,
                                 "comment": 2_400_000_000, "run": 12_000_000_000,
                                 "artifact": 3_900_000_000,
                                 "release": 260_000_000}
    )  # fmt: skip

    def new_id(self, kind: str) -> int:
        self.last_id[kind] += 1
        return self.last_id[kind]

    def rebase(self, value: Any) -> Any:
        """An example object with GitHub's URLs moved to the fake's."""
        return renamed(
            value, [("https://api.github.com", self.api_url), ("https://github.com", self.web_url)]
        )

    def repo_api(self) -> str:
        return f"{self.api_url}/repos/{self.repository}"

    def repo_web(self) -> str:
        return f"{self.web_url}/{self.repository}"

    def knows_repository(self, owner: str, repo: str) -> bool:
        return f"{owner}/{repo}".lower() == self.repository.lower()

    def user_object(self, who: Identity) -> dict[str, Any]:
        user = self.rebase(example("issues/create-comment")["user"])
        quoted = who.login.replace("[", "%5B").replace("]", "%5D")
        return {**user, "login": who.login, "id": who.id, "type": who.type,
                "node_id": f"U_{who.id}", "url": f"{self.api_url}/users/{quoted}",
                "html_url": f"{self.web_url}/{who.login}"}  # fmt: skip

    def author(self) -> dict[str, Any]:
        return self.user_object(self.identity or self.installation)

    def authenticated_user(self) -> dict[str, Any]:
        if self.identity is None:
            docs = "https://docs.github.com/rest/users/users#get-the-authenticated-user"
            body = {"message": "Resource not accessible by integration", "documentation_url": docs}
            raise Refused(403, body, violation=False)
        user = self.rebase(example("users/get-authenticated"))
        return {**user, **{k: v for k, v in self.author().items() if k in user}}

    def repository_object(self) -> dict[str, Any]:
        repo = self.rebase(example("repos/get"))
        for key in ("parent", "source", "template_repository", "organization"):
            repo.pop(key, None)
        repo = renamed(repo, [("octocat/Hello-World", self.repository)])
        owner, name = self.repository.split("/")
        repo.update(id=self.repository_id, name=name, full_name=self.repository, fork=False)
        repo["language"] = None  # required by the schema, absent from GitHub's own example
        repo["owner"] = {**repo["owner"], "login": owner}
        return dict(repo)

    def commit_status(self, sha: str, body: dict[str, Any]) -> dict[str, Any]:
        if not SHA.fullmatch(sha):
            raise no_commit(sha)
        description = body.get("description")
        if description is not None and len(description) > MAX_STATUS_DESCRIPTION:
            raise validation_failed(
                "Status", "description", "description is too long (maximum is 140 characters)"
            )
        status_id, stamp = self.new_id("status"), now()
        status = self.rebase(example("repos/create-commit-status"))
        status.update(
            id=status_id, node_id=f"SC_{status_id}", url=f"{self.repo_api()}/statuses/{sha}",
            state=body["state"], description=description, target_url=body.get("target_url"),
            context=body.get("context", "default"), created_at=stamp, updated_at=stamp,
            creator=self.author(),
        )  # fmt: skip
        self.statuses.append({**status, "sha": sha})
        return dict(status)
