"""The GitHub REST client behind ``publish.GitHubAPI``: PyGithub, imported only here, and
only when something is posted (``gatekeeper check`` never pays for it otherwise).

PyGithub's own retries and throttling are switched off (``retry=None``, no pauses between
requests): ``retry.call_with_retries`` decides, so that a creation is looked for before it
is repeated and the waiting has one budget. Objects are lazy, so nothing is fetched that is
not used: no ``GET /repos/{owner}/{repo}``, no ``GET`` of a check run before editing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from gatekeeper import __version__
from gatekeeper.github.publish import CheckRunRef, CommentRef
from gatekeeper.github.retry import APIError, Failure, RetryPolicy, call_with_retries

if TYPE_CHECKING:
    from github.IssueComment import IssueComment
    from github.Repository import Repository

T = TypeVar("T")
_NOT_ACCESSIBLE = "resource not accessible by integration"
_TIMEOUT_SECONDS = 20
"""Per request; PyGithub's default is 15."""
_TOTAL_SECONDS = 180
"""No retry starts later than this after the client is made."""
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class PyGithubClient:
    def __init__(self, *, api_url: str, repository: str, token: str, policy: RetryPolicy) -> None:
        from github import Auth, Github

        self._github = Github(
            auth=Auth.Token(token),
            base_url=api_url,
            timeout=_TIMEOUT_SECONDS,
            user_agent=f"gatekeeper/{__version__}",
            per_page=100,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )
        self._repo: Repository = self._github.get_repo(repository)
        if policy.deadline is None:
            policy = dataclasses.replace(policy, deadline=policy.clock() + _TOTAL_SECONDS)
        self._policy = policy

    def check_runs(self, sha: str, name: str) -> list[CheckRunRef]:
        def listing() -> list[CheckRunRef]:
            # every run, not only the latest of the name: the job's own check run may share it
            runs = self._repo.get_commit(sha).get_check_runs(check_name=name, filter="all")
            return [
                CheckRunRef(r.id, r.external_id, r.output.annotations_count if r.output else 0)
                for r in runs
                if r.name == name
            ]

        return self._call("list check runs", listing)

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
            from github import GithubException
            from github.CommitStatus import CommitStatus
            from github.PaginatedList import PaginatedList

            url = f"{self._repo.url}/commits/{sha}/statuses"
            try:
                listed = PaginatedList(CommitStatus, self._github.requester, url, None)
                newest = next((s for s in listed if s.context == body.get("context")), None)
            except GithubException:
                return None  # looking failed too: the retry itself will tell
            if newest is None:
                return None
            same = (newest.state, newest.description, newest.target_url) == (
                body["state"],
                body.get("description"),
                body.get("target_url"),
            )
            return True if same else None

        self._call("set commit status", create, before_retry=made, needs="statuses: write")

    def identity(self) -> str | None:
        """None for an installation token (``GITHUB_TOKEN`` or any App's), to which GitHub
        refuses GET /user: its bot's login is not guessed (see ``publish``)."""
        from github import GithubException

        def who() -> str | None:
            try:
                return self._github.get_user().login
            except GithubException as exc:
                if exc.status == 403 and _NOT_ACCESSIBLE in _message(exc.data).lower():
                    return None
                raise

        return self._call("find who the token is (GET /user)", who)

    def comments(self, number: int) -> list[CommentRef]:
        def listing() -> list[CommentRef]:
            found = self._repo.get_issue(number).get_comments()
            return [_comment_ref(c) for c in found]

        return self._call(f"list comments of #{number}", listing)

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

    def _call(
        self,
        operation: str,
        call: Callable[[], T],
        *,
        before_retry: Callable[[], T | None] | None = None,
        needs: str = "",
    ) -> T:
        try:
            return call_with_retries(operation, call, _describe, self._policy, before_retry)
        except APIError as exc:
            if exc.status == 403 and needs and _NOT_ACCESSIBLE in exc.reason.lower():
                hint = f" (the token needs `permissions: {needs}`)"
                raise APIError(operation, exc.reason + hint, exc.status) from exc
            raise


def _describe(exc: Exception) -> Failure | None:
    """A GitHub error or a broken connection, as retry.py reads them; None for anything else
    (a bug, which must not be retried)."""
    from github import GithubException
    from requests import RequestException

    if isinstance(exc, GithubException):
        headers = {str(k): str(v) for k, v in (exc.headers or {}).items()}
        return Failure(exc.status, _message(exc.data), headers)
    if isinstance(exc, RequestException):
        return Failure(None, f"{type(exc).__name__}: {exc}")
    return None


def _message(data: object) -> str:
    """GitHub's error message; from an HTML error page (a 502 from the front end), its
    title."""
    text = str(data.get("message") or data.get("data") or "") if isinstance(data, dict) else ""
    if "<html" in text.lower():
        title = _TITLE.search(text)
        text = title.group(1).strip() if title else ""
    return text[:300]


def _check_run_arguments(body: dict[str, Any]) -> dict[str, Any]:
    """The request body as PyGithub's keyword arguments; it formats ``completed_at`` back
    into exactly the string the body holds."""
    arguments = dict(body)
    if "completed_at" in arguments:
        parsed = dt.datetime.strptime(arguments["completed_at"], "%Y-%m-%dT%H:%M:%SZ")
        arguments["completed_at"] = parsed.replace(tzinfo=dt.timezone.utc)
    return arguments


def _comment_ref(comment: IssueComment) -> CommentRef:
    user = comment.user
    login, bot = (user.login, user.type == "Bot") if user else ("", False)
    return CommentRef(comment.id, login, comment.body or "", bot)
