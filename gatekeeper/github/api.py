"""The one GitHub client: every call gatekeeper makes to the GitHub API goes through
``GitHubClient``, and this is the only module that imports PyGithub or requests.

One client per command run, built from one ``GitHubContext`` (API URL, repository, token)
and one ``retry.RetryPolicy``, and passed to whatever needs GitHub; so a run has:

- one timeout, ``TIMEOUT_SECONDS``, for every request;
- one deadline: no retry starts later than ``RUN_SECONDS`` after the run's first call,
  whatever the call (reading a pull request's files, fetching bundles, reading phase tags and
  posting the check run spend one budget); each call may also wait at most the policy's
  ``max_wait`` in all;
- one retry rule, ``retry.call_with_retries``: only what can succeed on retry is repeated,
  and a creation is looked for before it is repeated (``before_retry``);
- one failure rule: an answer of 400 or more, or none at all, is a failure (PyGithub raises
  ``GithubException``, ``_describe`` reads it, or a transport error, as a ``retry.Failure``);
  an answer that is not the shape expected is an ``APIError`` too, never a crash;
- one paginator, ``_listing``: follows ``Link: rel="next"`` on the API's own host, at most
  ``limit`` items; past the limit it either warns (the list stops there, ``Listing.complete``
  is False: GitHub's own cap on the files of a pull request) or fails (any other list); an
  empty page that links to a next one fails (no cap would ever count it).

PyGithub is imported only when a call is made (``gatekeeper check`` run locally never
imports it). Its own retries and throttling are off (no pauses between requests, and
urllib3 retries nothing): ``call_with_retries`` decides; a GET answered 202, which PyGithub
would repeat without limit, ends at once as a failure that rule reads. Objects are lazy, so
nothing is fetched that is not used (no ``GET /repos/{owner}/{repo}``, no ``GET`` of a check
run before editing it).

Where PyGithub's ready-made methods are not used, and why:

- listings go through PyGithub's ``Requester`` page by page, each page its own retried call,
  and its items are read as PyGithub objects. ``PaginatedList`` cannot be used: a page that
  fails ends its iterator (the listing would restart from the first page on every retry) and
  it knows no cap; for ``git/matching-refs`` it also adds ``per_page``, a parameter GitHub's
  OpenAPI description does not list for that endpoint;
- the git database (a file on a branch: github/history.py): each request, and its body,
  exactly as documented, so that ``force: false`` is sent, not left to a default; PyGithub's
  ``create_git_tree`` and ``create_git_commit`` take its objects, not the ids at hand;
- deleting a ref: ``Repository.get_git_ref`` builds the URL of ``GET git/ref/{ref}``, and
  its ``delete()`` would send the DELETE there, not to ``git/refs/{ref}``; so the DELETE goes
  through the ``Requester`` to the documented URL;
- the artifact zip download goes through requests (``download``): GitHub answers 302 with a
  short-lived URL on a storage host (``*.blob.core.windows.net``) that PyGithub's requester
  refuses to follow (it asserts every host is GitHub's), and when it does follow a 302 it
  drops the token only for another host name (not another port or scheme) and leaves
  requests free to add ``~/.netrc`` credentials; here the storage request carries no
  credentials at all (``_no_auth``) and its body is read at most ``MAX_ZIP_BYTES`` + 1 bytes.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote, urljoin, urlsplit

from gatekeeper import __version__
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.retry import APIError, Failure, RetryPolicy, call_with_retries

if TYPE_CHECKING:
    # a command builds its client whether or not it calls GitHub: nothing heavy at import
    import requests
    from github import Github
    from github.IssueComment import IssueComment
    from github.Repository import Repository
    from github.Requester import Requester

    from gatekeeper.github.publish import CheckRunRef, CommentRef

T = TypeVar("T")
API_VERSION = "2022-11-28"
TIMEOUT_SECONDS = 30
"""Per request, every request (PyGithub's default is 15)."""
RUN_SECONDS = 180
"""No retry starts later than this after the run's first call to GitHub."""
PER_PAGE = 100
MAX_PAGES = 50
"""A list longer than this many pages is refused (``Limit.beyond == "error"``)."""
MAX_ZIP_BYTES = 256 * 1024 * 1024
_NOT_ACCESSIBLE = "resource not accessible by integration"
_OBJECT_ID = re.compile(r"[0-9a-f]{40}")
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Limit:
    """How long a list may be, and what happens past it."""

    items: int = MAX_PAGES * PER_PAGE
    beyond: Literal["warn", "error"] = "error"
    """``warn``: keep the first ``items`` and say the list is incomplete; ``error``: refuse."""


@dataclass(frozen=True)
class Listing:
    items: list[dict[str, Any]]
    complete: bool = True
    """False: the list went past a ``warn`` limit and was cut there."""


@dataclass(frozen=True)
class RefInfo:
    """A ref as ``git/matching-refs`` lists it."""

    ref: str
    sha: str
    type: str
    """What the ref points at: ``tag`` (an annotated tag object) or ``commit``."""


@dataclass(frozen=True)
class TreeEntry:
    """An entry of a tree listed with ``recursive``: its path from the tree's root."""

    path: str
    type: str
    """``blob`` (a file), ``tree`` (a folder) or ``commit`` (a submodule)."""
    sha: str
    size: int | None
    """A blob's size in bytes; None for the others."""
    mode: str = ""
    """Git's file mode: ``100644`` a file, ``100755`` an executable, ``120000`` a symbolic
    link (a blob too: its content is the link's target)."""


def open_client(environ: Mapping[str, str]) -> GitHubClient:
    """The client of a command run: its context and retry policy from ``environ``. Build it
    once per run and pass it on: its calls share one deadline."""
    return GitHubClient(GitHubContext.from_env(environ), RetryPolicy.from_env(environ))


ABSENT = object()
"""What ``GitHubClient._found`` answers for a 404."""


class GitHubClient:
    """The GitHub API of one repository for one command run; see the module."""

    def __init__(self, ctx: GitHubContext, policy: RetryPolicy) -> None:
        self.ctx = ctx
        self.api_url = ctx.api_url.rstrip("/")
        self.repository = ctx.repository or ""
        self.repo_url = f"{self.api_url}/repos/{self.repository}"
        self._policy = policy
        self._github: Github | None = None
        self._session: requests.Session | None = None

    @property
    def usable(self) -> bool:
        """A token and a repository: without them no call is made."""
        return bool(self.ctx.token and self.ctx.repository)

    # --- the one way a call is made ---------------------------------------------------

    def _client(self) -> Github:
        if self._github is None:
            from github import Auth, Github

            if not self.usable:  # callers check first; this keeps a bug from calling out
                raise APIError("connect to GitHub", "GITHUB_TOKEN or GITHUB_REPOSITORY not set")
            assert self.ctx.token is not None

            class Bearer(Auth.Token):
                """``Authorization: Bearer``, as GitHub documents it (PyGithub says ``token``,
                an older form): every request of the run sends the one header."""

                @property
                def token_type(self) -> str:
                    return "Bearer"

            from urllib3.util.retry import Retry

            # No retry of PyGithub's or urllib3's own (the run's one retry rule is retry.py),
            # but a GET answered 202 ends at once as requests' RetryError: PyGithub repeats
            # it every 2 s without limit (a deadline passed, then a RecursionError)
            answered_later = Retry(
                total=0,
                read=False,
                redirect=False,
                status_forcelist=frozenset({202}),
                allowed_methods=frozenset({"GET", "HEAD"}),
                respect_retry_after_header=False,
            )
            self._github = Github(
                auth=Bearer(self.ctx.token), base_url=self.api_url,
                timeout=TIMEOUT_SECONDS, user_agent=f"gatekeeper/{__version__}",
                per_page=PER_PAGE, retry=answered_later, seconds_between_requests=None,
                seconds_between_writes=None, lazy=True, api_version=API_VERSION,
            )  # fmt: skip
        return self._github

    @property
    def _repo(self) -> Repository:
        return self._client().get_repo(self.repository)

    @property
    def _requester(self) -> Requester:
        return self._client().requester

    def _call(
        self,
        operation: str,
        call: Callable[[], T],
        *,
        before_retry: Callable[[], T | None] | None = None,
        needs: str = "",
    ) -> T:
        if self._policy.deadline is None:  # the run's budget starts with its first call
            deadline = self._policy.clock() + RUN_SECONDS
            self._policy = dataclasses.replace(self._policy, deadline=deadline)
        try:
            with _shape(operation):
                return call_with_retries(operation, call, _describe, self._policy, before_retry)
        except APIError as exc:
            if exc.status == 403 and needs and _NOT_ACCESSIBLE in exc.reason.lower():
                hint = f" (the token needs `permissions: {needs}`)"
                raise APIError(operation, exc.reason + hint, exc.status) from exc
            raise

    def _listing(
        self, operation: str, path: str, *, key: str | None = None,
        params: dict[str, Any] | None = None, limit: Limit = Limit(),
    ) -> Listing:  # fmt: skip
        """Every item of a list (``key``: the answer's field that holds it), page by page;
        see the module for the limit."""
        url: str | None = f"{self.repo_url}/{path}"
        query = dict(params or {})
        items: list[dict[str, Any]] = []
        pages = 0
        while url is not None:
            if len(items) >= limit.items:
                if limit.beyond == "warn":
                    return Listing(items[: limit.items], complete=False)
                pages_allowed = -(-limit.items // PER_PAGE)
                raise APIError(operation, f"more than {pages_allowed} pages")
            if not _same_origin(url, self.api_url):
                raise APIError(operation, f"the next page is on another host ({url}); the "
                               "token is not sent there")  # fmt: skip
            pages += 1
            headers, answer = self._call(f"{operation} (page {pages})", self._page(url, query))
            found = answer.get(key) if key is not None and isinstance(answer, dict) else answer
            if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
                raise APIError(operation, "the answer is no list")
            items += found
            url, query = _next_link(headers.get("link")), {}
            if not found and url is not None:  # the item cap never counts such a page
                raise APIError(operation, f"page {pages} is empty and links to a next page")
        if limit.beyond == "warn" and len(items) >= limit.items:
            return Listing(items[: limit.items], complete=False)  # GitHub may have cut it
        return Listing(items)

    def _page(self, url: str, query: dict[str, Any]) -> Callable[[], tuple[dict[str, Any], Any]]:
        return lambda: self._requester.requestJsonAndCheck("GET", url, parameters=query)

    # --- pull requests ----------------------------------------------------------------

    def _found(self, operation: str, url: str, query: dict[str, Any] | None = None) -> Any:
        """The answer to a GET of ``url``; ``ABSENT`` when GitHub answers 404 (nothing
        there), apart from any answer it gives, a JSON ``null`` among them."""
        try:
            _, answer = self._call(operation, self._page(url, query or {}))
        except APIError as exc:
            if exc.status == 404:
                return ABSENT
            raise
        return answer

    def pull_request(self, number: int) -> tuple[tuple[str, ...], str | None]:
        """The pull request's label names and branch."""

        def read() -> tuple[tuple[str, ...], str | None]:
            pull = self._repo.get_pull(number)
            labels = tuple(label.name for label in pull.labels if label.name)
            return labels, pull.head.ref or None

        return self._call(f"read pull request #{number}", read)

    def pull_request_base(self, number: int) -> str:
        """The commit of the base branch the pull request is compared with (``base.sha``)."""
        return self._call(f"read pull request #{number}",
                          lambda: self._repo.get_pull(number).base.sha.lower())  # fmt: skip

    def pull_request_files(self, number: int, most: int) -> Listing:
        """The files the pull request changes, at most ``most`` (past it: a warning)."""
        return self._listing(
            f"list the files of pull request #{number}", f"pulls/{number}/files",
            params={"per_page": PER_PAGE}, limit=Limit(most, "warn"),
        )  # fmt: skip

    # --- sign-offs: a record file's last change, its pull request, reviews, teams -------

    def with_token(self, token: str) -> GitHubClient:
        """The same repository and retry rule with another token (a sign-off's team
        memberships, read with a token that can see the organisation's members)."""
        return GitHubClient(dataclasses.replace(self.ctx, token=token), self._policy)

    def file_exists(self, path: str, ref: str) -> bool:
        """Whether ``path`` is a file at commit ``ref`` (``GET contents/{path}?ref=``)."""
        operation = f"read {path} at {ref[:12]}"
        answer = self._found(operation, f"{self.repo_url}/contents/{quote(path)}", {"ref": ref})
        return isinstance(answer, dict) and answer.get("type") == "file"  # ABSENT is none

    def last_commit(self, path: str, sha: str) -> str | None:
        """The last commit at or before ``sha`` that changed ``path``; None when none did
        (one page of ``commits?path=&sha=&per_page=1``)."""
        operation = f"find the last commit that changed {path} at {sha[:12]}"
        query = {"sha": sha, "path": path, "per_page": 1}
        _, answer = self._call(operation, self._page(f"{self.repo_url}/commits", query))
        if not isinstance(answer, list):
            raise APIError(operation, "the answer is no list")
        with _shape(operation):
            return str(answer[0]["sha"]).lower() if answer else None

    def commit_pulls(self, sha: str) -> list[dict[str, Any]]:
        """The pull requests that hold commit ``sha`` (merged or open)."""
        operation = f"list the pull requests of commit {sha[:12]}"
        return self._listing(operation, f"commits/{sha}/pulls", params={"per_page": PER_PAGE}).items

    def pull_commits(self, number: int) -> list[str]:
        """The pull request's commits, oldest first. GitHub lists at most 250: a longer
        pull request is refused (which of its commits changed a file cannot be told)."""
        operation = f"list the commits of pull request #{number}"
        listed = self._listing(operation, f"pulls/{number}/commits",
                               params={"per_page": PER_PAGE}, limit=Limit(250, "warn"))  # fmt: skip
        if not listed.complete:
            raise APIError(operation, "more than 250 commits, the most GitHub lists")
        with _shape(operation):
            return [str(c["sha"]).lower() for c in listed.items]

    def pull_reviews(self, number: int) -> list[dict[str, Any]]:
        """The pull request's reviews, oldest first."""
        operation = f"list the reviews of pull request #{number}"
        return self._listing(
            operation, f"pulls/{number}/reviews", params={"per_page": PER_PAGE}
        ).items

    def team_unreadable(self, team: str) -> str | None:
        """None when the token can read team ``org/team-slug``; else GitHub's answer (403 or
        404: the token cannot see the organisation's teams, or there is no such team)."""
        org, _, slug = team.partition("/")
        url = f"{self.api_url}/orgs/{quote(org, safe='')}/teams/{quote(slug, safe='')}"
        try:
            self._call(f"read team @{team}", self._page(url, {}))
        except APIError as exc:
            if exc.status in (403, 404):
                return exc.reason
            raise
        return None

    def team_membership(self, team: str, login: str) -> str | None:
        """``login``'s membership state in a readable team (``active``, ``pending``); None
        when not a member (404)."""
        org, _, slug = team.partition("/")
        url = (f"{self.api_url}/orgs/{quote(org, safe='')}/teams/{quote(slug, safe='')}"
               f"/memberships/{quote(login, safe='')}")  # fmt: skip
        operation = f"read @{login}'s membership of @{team}"
        answer = self._found(operation, url)
        if answer is ABSENT:
            return None
        state = answer.get("state") if isinstance(answer, dict) else None
        if not isinstance(state, str):
            raise APIError(operation, "the answer names no state")
        return state

    # --- git data and releases (phase tags) -------------------------------------------

    def matching_tag_refs(self, prefix: str) -> list[RefInfo]:
        """The ``refs/tags/`` refs whose names start with ``prefix``."""
        from github.GitRef import GitRef

        operation = f"list tags {prefix}*"
        listed = self._listing(operation, f"git/matching-refs/tags/{quote(prefix)}")
        with _shape(operation):
            refs = [GitRef(self._requester, {}, item, completed=True) for item in listed.items]
            tags = [r for r in refs if r.ref.startswith("refs/tags/")]
            return [RefInfo(r.ref, r.object.sha, r.object.type) for r in tags]

    def tag_target(self, name: str, sha: str) -> str:
        """The commit the annotated tag object ``sha`` points at."""
        return self._call(f"read tag {name}", lambda: self._repo.get_git_tag(sha).object.sha)

    def compare(self, name: str, base: str, head: str) -> str:
        """``compare/{base}...{head}``'s status (identical, ahead, behind, diverged)."""
        return self._call(f"compare {name}", lambda: self._repo.compare(base, head).status)

    def merge_base(self, base: str, head: str) -> str:
        """The merge base of ``base`` and ``head``: ``compare/{base}...{head}``'s
        ``merge_base_commit``."""

        def read() -> str:
            sha = self._repo.compare(base, head).merge_base_commit.sha
            if not isinstance(sha, str) or not sha:
                raise ValueError("no merge_base_commit.sha")
            return sha.lower()

        return self._call(f"find the merge base of {base[:12]} and {head[:12]}", read)

    def first_parents(self, sha: str, most: int) -> list[str]:
        """``sha`` and its first-parent ancestors, at most ``most``, from one page of
        ``commits?sha=``: the chain ends early where the page does (a merged branch's
        commits listed in between) or at a root commit."""
        operation = f"list the history of {sha[:12]}"
        listed = self._listing(operation, "commits", params={"sha": sha, "per_page": PER_PAGE},
                               limit=Limit(PER_PAGE, "warn"))  # fmt: skip
        with _shape(operation):
            parents = {
                str(c["sha"]).lower(): [str(p["sha"]).lower() for p in c["parents"]]
                for c in listed.items
            }
        chain = [sha.lower()]
        while len(chain) < most and parents.get(chain[-1]):
            chain.append(parents[chain[-1]][0])
        return chain

    def create_tag_object(self, name: str, commit: str, message: str) -> str:
        """The sha of the new annotated tag object. Not looked for before a retry: GitHub
        lists no tag objects by name (a lost answer leaves an unreferenced object)."""

        def create() -> str:
            return self._repo.create_git_tag(name, message, commit, "commit").sha

        return self._call(f"create tag object {name}", create, needs="contents: write")

    def create_ref(self, name: str, sha: str, made: Callable[[], bool | None]) -> None:
        def create() -> bool:
            self._repo.create_git_ref(f"refs/tags/{name}", sha)
            return True

        self._call(f"create ref refs/tags/{name}", create, before_retry=made,
                   needs="contents: write")  # fmt: skip

    def release(self, name: str) -> int | None:
        """The id of the release of the tag ``name``, None when it has none (404)."""
        from github import UnknownObjectException

        def read() -> int | None:
            try:
                return self._repo.get_release(name).id
            except UnknownObjectException:
                return None

        return self._call(f"read release {name}", read)

    def create_release(
        self, name: str, body: dict[str, Any], made: Callable[[], int | None]
    ) -> int:
        def create() -> int:
            return self._repo.create_git_release(body["tag_name"], body["name"], body["body"]).id

        return self._call(f"create release {name}", create, before_retry=made,
                          needs="contents: write")  # fmt: skip

    def delete_tag_ref(self, name: str, gone: Callable[[], bool | None]) -> None:
        url = f"{self.repo_url}/git/refs/tags/{quote(name)}"  # quote keeps '/': two segments

        def delete() -> bool:
            self._requester.requestJsonAndCheck("DELETE", url)
            return True

        self._call(f"delete tag {name}", delete, before_retry=gone, needs="contents: write")

    # --- git database: a file on a branch of its own (github/history.py) ---------------

    def branch_head(self, branch: str) -> str | None:
        """The commit ``branch`` points at (``GET git/ref/heads/{branch}``); None when there
        is no such branch (404)."""
        operation = f"read branch {branch}"
        answer = self._found(operation, f"{self.repo_url}/git/ref/heads/{quote(branch)}")
        if answer is ABSENT:
            return None
        with _shape(operation):
            if answer["object"]["type"] != "commit":
                raise ValueError(f"the branch points at a {answer['object']['type']}")
            return _object_id(answer["object"]["sha"])

    def commit_tree(self, sha: str) -> str:
        """The tree of commit ``sha`` (``GET git/commits/{sha}``)."""
        operation = f"read commit {sha[:12]}"
        _, answer = self._call(operation, self._page(f"{self.repo_url}/git/commits/{sha}", {}))
        with _shape(operation):
            return _object_id(answer["tree"]["sha"])

    def tree_entries(self, sha: str) -> list[TreeEntry]:
        """Every entry of tree ``sha`` at every depth (``?recursive=1``); a listing GitHub
        cut short (``truncated``) is refused: a file missing from it may still exist."""
        operation = f"read tree {sha[:12]}"
        url = f"{self.repo_url}/git/trees/{sha}"
        _, answer = self._call(operation, self._page(url, {"recursive": "1"}))
        with _shape(operation):
            if answer["truncated"] is not False:
                raise APIError(operation, "GitHub cut the listing short (too many files)")
            entries = answer["tree"]
            return [_tree_entry(e) for e in entries]

    def blob(self, sha: str) -> bytes:
        """The content of blob ``sha`` (``GET git/blobs/{sha}``: base64, wrapped)."""
        operation = f"read blob {sha[:12]}"
        _, answer = self._call(operation, self._page(f"{self.repo_url}/git/blobs/{sha}", {}))
        with _shape(operation):
            if answer["encoding"] != "base64":
                raise ValueError(f"encoding {answer['encoding']!r}, not base64")
            return base64.b64decode(answer["content"])  # the line breaks are skipped

    def create_blob(self, content: bytes) -> str:
        """Objects are named by their content: repeating a creation whose answer was lost
        makes the same object again, so every creation here is simply retried."""
        body = {"content": base64.b64encode(content).decode(), "encoding": "base64"}
        return self._create("create a blob", "git/blobs", body)

    def create_tree(self, base: str | None, path: str, blob: str) -> str:
        """Tree ``base`` (None: an empty one) with the file ``path`` set to ``blob``."""
        entry = {"path": path, "mode": "100644", "type": "blob", "sha": blob}
        body = {"tree": [entry], **({"base_tree": base} if base else {})}
        return self._create(f"create a tree with {path}", "git/trees", body)

    def create_commit(self, message: str, tree: str, parents: list[str]) -> str:
        body = {"message": message, "tree": tree, "parents": parents}
        return self._create("create a commit", "git/commits", body)

    def _create(self, operation: str, path: str, body: dict[str, Any]) -> str:
        url = f"{self.repo_url}/{path}"
        _, answer = self._call(
            operation, lambda: self._requester.requestJsonAndCheck("POST", url, input=body),
            needs="contents: write",
        )  # fmt: skip
        with _shape(operation):
            return _object_id(answer["sha"])

    def move_branch(self, branch: str, sha: str) -> None:
        """``PATCH git/refs/heads/{branch}`` to commit ``sha`` with ``force: false``: GitHub
        refuses (422 "Update is not a fast forward") unless ``sha`` descends from the commit
        the branch is at. A repeat after a lost answer asks for the same move: done already,
        it changes nothing; overtaken by another writer, it is refused like any late move."""
        url = f"{self.repo_url}/git/refs/heads/{quote(branch)}"
        body = {"sha": sha, "force": False}
        self._call(
            f"move branch {branch} to {sha[:12]}",
            lambda: self._requester.requestJsonAndCheck("PATCH", url, input=body),
            needs="contents: write",
        )

    def create_branch(self, branch: str, sha: str) -> None:
        """``POST git/refs``; 422 "Reference already exists" when another writer (or this
        one, its answer lost) made it first."""
        url = f"{self.repo_url}/git/refs"
        body = {"ref": f"refs/heads/{branch}", "sha": sha}
        self._call(
            f"create branch {branch}",
            lambda: self._requester.requestJsonAndCheck("POST", url, input=body),
            needs="contents: write",
        )

    def pause(self, seconds: float) -> bool:
        """Wait ``seconds`` before a caller's own next try (another writer won a race), with
        the run's sleep; False, without waiting, when that would pass the run's deadline."""
        policy = self._policy
        if policy.deadline is not None and policy.clock() + seconds > policy.deadline:
            return False
        policy.sleep(seconds)
        return True

    # --- workflow runs and artifacts (bundles) ----------------------------------------

    def workflow_runs(self, sha: str) -> list[dict[str, Any]]:
        return self._listing(
            f"list workflow runs of {sha}", "actions/runs", key="workflow_runs",
            params={"head_sha": sha, "per_page": PER_PAGE},
        ).items  # fmt: skip

    def run_commit(self, run_id: int | str) -> str:
        """The commit workflow run ``run_id`` ran for (its ``head_sha``)."""
        operation = f"read workflow run {run_id}"
        _, answer = self._call(operation, self._page(f"{self.repo_url}/actions/runs/{run_id}", {}))
        sha = answer.get("head_sha") if isinstance(answer, dict) else None
        if not isinstance(sha, str) or not sha:
            raise APIError(operation, "the answer names no head_sha")
        return sha.lower()

    def artifacts(self, run_id: int | str) -> list[dict[str, Any]]:
        return self._listing(
            f"list artifacts of run {run_id}", f"actions/runs/{run_id}/artifacts",
            key="artifacts", params={"per_page": PER_PAGE},
        ).items  # fmt: skip

    def download(self, operation: str, artifact_id: int | str) -> bytes:
        """An artifact's zip: the API's 302 is followed to the storage host without any
        credentials; at most ``MAX_ZIP_BYTES``."""
        url = f"{self.repo_url}/actions/artifacts/{artifact_id}/zip"
        response = self._call(operation, lambda: self._raw_get(url, authorized=True))
        if response.is_redirect:
            location = urljoin(url, response.headers["Location"])
            response = self._call(operation, lambda: self._raw_get(location, authorized=False))
        if response.status_code != 200:
            raise APIError(operation, f"HTTP {response.status_code}", response.status_code)
        from urllib3.exceptions import HTTPError

        try:  # the body is read below requests: its failures are urllib3's (or the socket's)
            # never inflated: a zip is compressed already, and a Content-Encoding inflated
            # here could grow past the cap in memory before it is counted (urllib3 < 2.6);
            # an encoded body is then no zip, and is refused as one
            data = response.raw.read(MAX_ZIP_BYTES + 1, decode_content=False)
        except (HTTPError, OSError) as exc:  # cut short, or not the encoding it says
            raise APIError(operation, f"the zip could not be read ({type(exc).__name__})") from exc
        finally:
            response.close()
        if len(data) > MAX_ZIP_BYTES:
            raise APIError(operation, f"the zip is larger than {MAX_ZIP_BYTES} bytes")
        return bytes(data)

    def _raw_get(self, url: str, *, authorized: bool) -> requests.Response:
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.headers.update({
                "User-Agent": f"gatekeeper/{__version__}", "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
            })  # fmt: skip
        headers = {"Authorization": f"Bearer {self.ctx.token}"} if authorized else {}
        response = self._session.get(
            url, headers=headers, auth=None if authorized else _no_auth,
            allow_redirects=False, timeout=TIMEOUT_SECONDS, stream=True,
        )  # fmt: skip
        if response.status_code >= 400:
            message = response.text[:300]
            response.close()
            raise _Answered(Failure(response.status_code, message, dict(response.headers)))
        return response

    # --- check runs, statuses, comments: ``publish.GitHubAPI`` --------------------------

    def check_runs(self, sha: str, name: str) -> list[CheckRunRef]:
        from github.CheckRun import CheckRun

        from gatekeeper.github.publish import CheckRunRef

        # every run, not only the latest of the name: the job's own check run may share it
        listed = self._listing(
            "list check runs", f"commits/{sha}/check-runs", key="check_runs",
            params={"check_name": name, "filter": "all", "per_page": PER_PAGE},
        )  # fmt: skip
        with _shape("list check runs"):
            runs = [CheckRun(self._requester, {}, item, completed=True) for item in listed.items]
            return [
                CheckRunRef(r.id, r.external_id, r.output.annotations_count if r.output else 0)
                for r in runs
                if r.name == name
            ]

    def create_check_run(self, body: dict[str, Any], find: Callable[[], int | None]) -> int:
        def create() -> int:
            return self._repo.create_check_run(**_check_run_arguments(body)).id

        return self._call("create check run", create, before_retry=find, needs="checks: write")

    def update_check_run(self, run_id: int, body: dict[str, Any]) -> None:
        def update() -> None:
            self._repo.get_check_run(run_id).edit(**_check_run_arguments(body))

        self._call("update check run", update, needs="checks: write")

    def create_status(self, sha: str, body: dict[str, Any]) -> None:
        def create() -> bool:
            self._repo.get_commit(sha).create_status(**body)
            return True

        def made() -> bool | None:
            """After a lost answer: True when the newest status of this context is this one
            (state, description, target URL); repeating it would add a duplicate entry."""
            try:
                listed = self._listing("list commit statuses", f"commits/{sha}/statuses",
                                       params={"per_page": PER_PAGE}).items  # fmt: skip
            except APIError:
                return None  # looking failed too: the retry itself will tell
            newest = next((s for s in listed if s.get("context") == body.get("context")), None)
            if newest is None:
                return None
            same = (newest.get("state"), newest.get("description"), newest.get("target_url"))
            wanted = (body["state"], body.get("description"), body.get("target_url"))
            return True if same == wanted else None

        self._call("set commit status", create, before_retry=made, needs="statuses: write")

    def identity(self) -> str | None:
        """None for an installation token (``GITHUB_TOKEN`` or any App's), to which GitHub
        refuses GET /user: its bot's login is not guessed (see ``publish``)."""
        from github import GithubException

        def who() -> str | None:
            try:
                return self._client().get_user().login
            except GithubException as exc:
                if exc.status == 403 and _NOT_ACCESSIBLE in _message(exc.data).lower():
                    return None
                raise

        return self._call("find who the token is (GET /user)", who)

    def comments(self, number: int) -> list[CommentRef]:
        from github.IssueComment import IssueComment

        operation = f"list comments of #{number}"
        listed = self._listing(operation, f"issues/{number}/comments",
                               params={"per_page": PER_PAGE})  # fmt: skip
        with _shape(operation):
            return [
                _comment_ref(IssueComment(self._requester, {}, item, completed=True))
                for item in listed.items
            ]

    def create_comment(
        self, number: int, body: str, find: Callable[[], CommentRef | None]
    ) -> CommentRef:
        def create() -> CommentRef:
            return _comment_ref(self._repo.get_issue(number).create_comment(body))

        needs = "pull-requests: write"
        return self._call(f"comment on #{number}", create, before_retry=find, needs=needs)

    def update_comment(self, comment_id: int, body: str) -> None:
        def update() -> None:
            # any issue number: the comment's URL does not contain it
            self._repo.get_issue(1).get_comment(comment_id).edit(body)

        self._call(f"update comment {comment_id}", update, needs="pull-requests: write")


class _Answered(Exception):
    """A requests response that is not the one expected (the download path)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


@contextlib.contextmanager
def _shape(operation: str) -> Iterator[None]:
    """An answer not of the documented shape (a field missing, of another type) is refused
    as an ``APIError``, never a traceback."""
    from github import BadAttributeException

    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, BadAttributeException) as exc:
        raise APIError(operation, f"unexpected answer ({type(exc).__name__}: {exc})") from exc


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """Explicitly no credentials: stops requests from adding ~/.netrc's for the host."""
    return request


def _describe(exc: Exception) -> Failure | None:
    """A GitHub error or a broken connection, as retry.py reads them; None for anything else
    (a bug, which must not be retried)."""
    from github import GithubException
    from requests import RequestException

    if isinstance(exc, _Answered):
        return exc.failure
    if isinstance(exc, GithubException):
        headers = {str(k): str(v) for k, v in (exc.headers or {}).items()}
        return Failure(exc.status, _message(exc.data), headers)
    if isinstance(exc, RequestException):
        return Failure(None, f"{type(exc).__name__}: {exc}")
    if isinstance(exc, RuntimeError) and "redirected" in str(exc):
        # PyGithub's refusal of a 301 to another host or scheme (the token would follow it):
        # an answer, not a bug, and not one that a retry changes
        return Failure(301, str(exc).partition(", please")[0])
    return None


def _message(data: object) -> str:
    """GitHub's error message; from an HTML error page (a 502 from the front end), its
    title."""
    text = str(data.get("message") or data.get("data") or "") if isinstance(data, dict) else ""
    if "<html" in text.lower():
        title = _TITLE.search(text)
        text = title.group(1).strip() if title else ""
    return text[:300]


def _next_link(header: object) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header."""
    if not isinstance(header, str):
        return None
    for part in header.split(","):
        target, _, params = part.partition(";")
        if 'rel="next"' in params.replace(" ", ""):
            return target.strip().removeprefix("<").removesuffix(">")
    return None


def _tree_entry(item: dict[str, Any]) -> TreeEntry:
    blob = item["type"] == "blob"
    size = int(item["size"]) if blob else None
    return TreeEntry(
        str(item["path"]), str(item["type"]), _object_id(item["sha"]), size, str(item["mode"])
    )


def _object_id(value: object) -> str:
    """A git object id as GitHub writes it (40 hex digits), in lower case."""
    if not isinstance(value, str) or not _OBJECT_ID.fullmatch(value.lower()):
        raise ValueError(f"{value!r} is not a git object id")
    return value.lower()


def _same_origin(url: str, api_url: str) -> bool:
    given, ours = urlsplit(url), urlsplit(api_url)
    return (given.scheme, given.netloc) == (ours.scheme, ours.netloc)


def _check_run_arguments(body: dict[str, Any]) -> dict[str, Any]:
    """The request body as PyGithub's keyword arguments; it formats ``completed_at`` back
    into exactly the string the body holds."""
    arguments = dict(body)
    if "completed_at" in arguments:
        parsed = dt.datetime.strptime(arguments["completed_at"], "%Y-%m-%dT%H:%M:%SZ")
        arguments["completed_at"] = parsed.replace(tzinfo=dt.timezone.utc)
    return arguments


def _comment_ref(comment: IssueComment) -> CommentRef:
    from gatekeeper.github.publish import CommentRef

    user = comment.user
    login, bot = (user.login, user.type == "Bot") if user else ("", False)
    return CommentRef(comment.id, login, comment.body or "", bot)
