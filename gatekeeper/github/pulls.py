"""The pull request a run is about: its labels, branch and changed files.

The pull request rules hold next-phase work back by what the pull request declares (its
labels, its branch), so when those cannot be read the gate is not decided: a missing number,
token or answer raises ``PullRequestError`` (exit 2), never a verdict on a guess. The
changed files only highlight the rows a pull request touches: failing to read them is a
warning, not an error.

``pull_request`` and ``pull_request_target`` payloads carry the labels and the branch; for
``merge_group`` (the number is in the queue branch's name) and for ``workflow_run`` they come
from ``GET /repos/{o}/{r}/pulls/{n}``. The files come from ``GET .../pulls/{n}/files``, every
page, of which GitHub lists at most 3,000. Calls go through ``retry.call_with_retries`` like
every other GitHub call; requests is imported only when a call is made.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from gatekeeper.errors import GatekeeperError
from gatekeeper.github.context import PR_NUMBER_VARIABLE, GitHubContext

if TYPE_CHECKING:
    import requests

    from gatekeeper.github.retry import RetryPolicy

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
"""Events whose payload is the pull request itself, labels and branch included."""
MAX_FILES = 3000
"""GitHub lists at most this many files of a pull request (REST reference, "List pull
requests files": "Responses include a maximum of 3000 files")."""
_PER_PAGE = 100
_MAX_PAGES = 40
"""A hard stop, past the 30 pages that 3,000 files make."""
_TIMEOUT_SECONDS = 30
_BUDGET_SECONDS = 300
_UNDECIDED = "the declared next-phase work cannot be known, so the gate is not decided"


class PullRequestError(GatekeeperError):
    """The pull request's labels or branch cannot be read; the gate is not decided (exit 2)."""


@dataclass(frozen=True)
class PullRequestFacts:
    """What a pull request declares, and what it changes."""

    number: int | None
    """None only for a local run."""
    labels: tuple[str, ...]
    branch: str | None
    changed_files: tuple[str, ...] | None
    """None: could not be read (``warnings`` says why)."""
    warnings: tuple[str, ...] = ()
    source: str = ""
    """Where the facts come from, e.g. 'pull_request event #12'."""


def pull_request_event(environ: Mapping[str, str]) -> bool:
    """True on pull_request, pull_request_target and merge_group, and on a workflow_run whose
    triggering event (``workflow_run.event`` in the payload) is one of the first two; a
    workflow_run payload that does not say is a PullRequestError."""
    name = environ.get("GITHUB_EVENT_NAME")
    if name != "workflow_run":
        return name in (*PULL_REQUEST_EVENTS, "merge_group")
    return _about_a_pull_request(GitHubContext.from_env(environ))


def _about_a_pull_request(ctx: GitHubContext) -> bool:
    if ctx.event_name == "workflow_run":
        if ctx.event.triggering_event is None:  # unreadable: which rules apply is unknown
            problems = f": {'; '.join(ctx.problems)}" if ctx.problems else ""
            raise PullRequestError(
                f"the workflow_run event payload does not say which event started the first "
                f"workflow (workflow_run.event){problems}: whether the pull request rules apply "
                "cannot be known, so the gate is not decided"
            )
        return ctx.event.triggering_event in PULL_REQUEST_EVENTS
    return ctx.event_name in (*PULL_REQUEST_EVENTS, "merge_group")


def pull_request_facts(
    environ: Mapping[str, str], *, want_files: bool, max_files: int = MAX_FILES
) -> PullRequestFacts:
    """The labels, branch and (with ``want_files``) changed files of the run's pull request.

    Only for a run where ``pull_request_event(environ)``. Raises PullRequestError when the
    labels or the branch cannot be known; ``max_files`` is GitHub's cap on the files listed.
    """
    ctx = GitHubContext.from_env(environ)
    event = ctx.event_name or "(no event)"
    if not _about_a_pull_request(ctx):
        raise PullRequestError(f"GITHUB_EVENT_NAME {event}: not a pull request event")
    number = ctx.event.pr_number
    if number is None:
        raise PullRequestError(f"the {_event_label(ctx)} names no pull request{_why(ctx)}")
    warnings: list[str] = []
    if ctx.event_name in PULL_REQUEST_EVENTS:
        if ctx.event.labels is None:
            raise PullRequestError(
                f"the {event} event payload lists no pull_request.labels{_why(ctx)}"
            )
        labels, branch = ctx.event.labels, ctx.event.head_ref
        if branch is None:
            warnings.append(f"the {event} event payload names no pull_request.head.ref")
        source = f"{event} event #{number}"
        api = _Api.from_context(ctx, environ) if want_files else None
        if want_files and api is None:
            warnings.append(f"changed files not read: {_missing(ctx)} not set")
    else:
        api = _Api.from_context(ctx, environ)
        if api is None:
            raise PullRequestError(
                f"the labels of pull request #{number} ({_event_label(ctx)}) are read through "
                f"the GitHub API, but {_missing(ctx)} not set: {_UNDECIDED}"
            )
        labels, branch = api.declared(number)
        source = f"{_event_label(ctx)} for #{number} (labels from the API)"
    files = None
    if want_files and api is not None:
        files = api.changed_files(number, max_files, warnings)
    return PullRequestFacts(number, labels, branch, files, tuple(warnings), source)


def _event_label(ctx: GitHubContext) -> str:
    if ctx.event_name == "workflow_run":
        return f"workflow_run of {ctx.event.triggering_event}"
    return f"{ctx.event_name} event"


def _why(ctx: GitHubContext) -> str:
    hint = {
        "merge_group": " (its merge_group.head_ref is not gh-readonly-queue/<base>/pr-<N>-<sha>)",
        "workflow_run": f" (workflow_run.pull_requests is empty, as for a fork; set "
        f"{PR_NUMBER_VARIABLE})",
    }.get(ctx.event_name or "", "")
    problems = f"; {'; '.join(ctx.problems)}" if ctx.problems else ""
    return f"{hint}{problems}: {_UNDECIDED}"


def _missing(ctx: GitHubContext) -> str:
    names = [n for n, v in (("GITHUB_TOKEN", ctx.token), ("GITHUB_REPOSITORY", ctx.repository))
             if not v]  # fmt: skip
    return " and ".join(names) + (" is" if len(names) == 1 else " are")


class _Api:
    """GET requests to one repository's pull request endpoints."""

    def __init__(self, api_url: str, repository: str, token: str, policy: RetryPolicy) -> None:
        from gatekeeper.github import rest

        self.api_url = api_url
        self.repo_url = f"{api_url}/repos/{repository}"
        self.repository = repository
        self._token = token
        self._policy = policy
        self._session: requests.Session = rest.session()

    @staticmethod
    def from_context(ctx: GitHubContext, environ: Mapping[str, str]) -> _Api | None:
        if not (ctx.token and ctx.repository):
            return None
        from gatekeeper.github.retry import RetryPolicy

        policy = RetryPolicy.from_env(environ)
        deadline = policy.clock() + _BUDGET_SECONDS
        return _Api(ctx.api_url, ctx.repository, ctx.token,
                    dataclasses.replace(policy, deadline=deadline))  # fmt: skip

    def _get(self, operation: str, url: str) -> tuple[Any, str | None]:
        """The JSON answer and the next page's URL. Raises retry.APIError."""
        from gatekeeper.github.rest import Answered, describe
        from gatekeeper.github.retry import APIError, Failure, call_with_retries

        def once() -> tuple[Any, str | None]:
            response = self._session.get(
                url, headers={"Authorization": f"Bearer {self._token}"},
                timeout=_TIMEOUT_SECONDS, allow_redirects=False,
            )  # fmt: skip
            if response.status_code != 200:
                failure = Failure(response.status_code, response.text[:300], response.headers)
                raise Answered(failure)
            try:
                answer = response.json()
            except ValueError as exc:
                raise APIError(operation, "the answer is not JSON", 200) from exc
            return answer, response.links.get("next", {}).get("url")

        return call_with_retries(operation, once, describe, self._policy)

    def declared(self, number: int) -> tuple[tuple[str, ...], str | None]:
        """The pull request's label names and branch, or PullRequestError."""
        from gatekeeper.github.retry import APIError

        operation = f"read pull request #{number}"
        try:
            pull, _ = self._get(operation, f"{self.repo_url}/pulls/{number}")
        except APIError as exc:
            raise PullRequestError(f"{self.repository}: {exc}: {_UNDECIDED}") from exc
        labels = pull.get("labels") if isinstance(pull, dict) else None
        if not isinstance(labels, list):
            raise PullRequestError(
                f"{self.repository}: {operation}: the answer lists no labels: {_UNDECIDED}"
            )
        names = tuple(n for label in labels if isinstance(n := _field(label, "name"), str) and n)
        branch = _field(_field(pull, "head"), "ref")
        return names, branch if isinstance(branch, str) and branch else None

    def changed_files(
        self, number: int, max_files: int, warnings: list[str]
    ) -> tuple[str, ...] | None:
        """Every file the pull request changes (a renamed one under both names), or None with
        a warning."""
        from gatekeeper.github.retry import APIError

        operation = f"list the files of pull request #{number}"
        url: str | None = f"{self.repo_url}/pulls/{number}/files?per_page={_PER_PAGE}"
        listed: list[Any] = []
        pages = 0
        while url is not None and len(listed) < max_files:
            if pages == _MAX_PAGES:
                warnings.append(f"{operation}: stopped after {_MAX_PAGES} pages")
                break
            if not self._same_origin(url):
                warnings.append(f"{operation}: the next page is on another host ({url}); "
                                f"the token is not sent there")  # fmt: skip
                break
            pages += 1
            try:
                page, url = self._get(f"{operation} (page {pages})", url)
            except APIError as exc:
                warnings.append(f"changed files not read: {exc}")
                return None
            if not isinstance(page, list):
                warnings.append(f"changed files not read: {operation}: the answer is no list")
                return None
            listed += page
        if len(listed) >= max_files:
            warnings.append(
                f"pull request #{number} changes at least {max_files:,} files, the most GitHub "
                f"lists: rows touched only by the files past them are not highlighted"
            )
        found: dict[str, None] = {}
        for entry in listed:
            for key in ("filename", "previous_filename"):
                name = _field(entry, key)
                if isinstance(name, str) and name:
                    found[name] = None
        return tuple(found)

    def _same_origin(self, url: str) -> bool:
        given, ours = urlsplit(url), urlsplit(self.api_url)
        return (given.scheme, given.netloc) == (ours.scheme, ours.netloc)


def _field(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None
