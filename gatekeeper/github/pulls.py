"""The pull request a run is about: its labels, branch and changed files.

The pull request rules hold next-phase work back by what the pull request declares (its
labels, its branch), so when those cannot be read the gate is not decided: a missing number,
token or answer raises ``PullRequestError`` (exit 2), never a verdict on a guess. The
changed files only highlight the rows a pull request touches: failing to read them is a
warning, not an error.

``pull_request`` and ``pull_request_target`` payloads carry the labels and the branch; for
``merge_group`` (the number is in the queue branch's name) and for ``workflow_run`` they come
from ``GET /repos/{o}/{r}/pulls/{n}``. The files come from ``GET .../pulls/{n}/files``, every
page, of which GitHub lists at most 3,000. This module holds the event facts; the calls go
through the run's one ``api.GitHubClient`` (given, or made from the environment).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gatekeeper.errors import GatekeeperError
from gatekeeper.github.context import PR_NUMBER_VARIABLE, GitHubContext

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
"""Events whose payload is the pull request itself, labels and branch included."""
MAX_FILES = 3000
"""GitHub lists at most this many files of a pull request (REST reference, "List pull
requests files": "Responses include a maximum of 3000 files")."""
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
    environ: Mapping[str, str],
    *,
    want_files: bool,
    max_files: int = MAX_FILES,
    client: GitHubClient | None = None,
) -> PullRequestFacts:
    """The labels, branch and (with ``want_files``) changed files of the run's pull request.

    Only for a run where ``pull_request_event(environ)``. Raises PullRequestError when the
    labels or the branch cannot be known; ``max_files`` is GitHub's cap on the files listed.
    ``client``: the run's GitHub client (its context is the run's); else one is made.
    """
    if client is None:
        from gatekeeper.github.api import open_client

        client = open_client(environ)
    ctx = client.ctx
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
        if want_files and not client.usable:
            warnings.append(f"changed files not read: {_missing(ctx)} not set")
    else:
        if not client.usable:
            raise PullRequestError(
                f"the labels of pull request #{number} ({_event_label(ctx)}) are read through "
                f"the GitHub API, but {_missing(ctx)} not set: {_UNDECIDED}"
            )
        labels, branch = _declared(client, number)
        source = f"{_event_label(ctx)} for #{number} (labels from the API)"
    files = None
    if want_files and client.usable:
        files = _changed_files(client, number, max_files, warnings)
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


def _declared(client: GitHubClient, number: int) -> tuple[tuple[str, ...], str | None]:
    """The pull request's label names and branch, or PullRequestError."""
    from gatekeeper.github.retry import APIError

    try:
        return client.pull_request(number)
    except APIError as exc:
        raise PullRequestError(f"{client.repository}: {exc}: {_UNDECIDED}") from exc


def _changed_files(
    client: GitHubClient, number: int, max_files: int, warnings: list[str]
) -> tuple[str, ...] | None:
    """Every file the pull request changes (a renamed one under both names), or None with
    a warning."""
    from gatekeeper.github.retry import APIError

    try:
        listed = client.pull_request_files(number, max_files)
    except APIError as exc:
        warnings.append(f"changed files not read: {exc}")
        return None
    if not listed.complete:
        warnings.append(
            f"pull request #{number} changes at least {max_files:,} files, the most GitHub "
            f"lists: rows touched only by the files past them are not highlighted"
        )
    found: dict[str, None] = {}
    for entry in listed.items:
        for key in ("filename", "previous_filename"):
            name = _field(entry, key)
            if isinstance(name, str) and name:
                found[name] = None
    return tuple(found)


def _field(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None
