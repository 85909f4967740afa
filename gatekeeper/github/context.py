"""The GitHub context of a run, read from the standard Actions environment and event payload.

Nothing here talks to the network. A missing or malformed payload is a value (``problems``),
never an exception: the gate's verdict must survive whatever the runner hands us.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"
PR_NUMBER_VARIABLE = "GATEKEEPER_PR_NUMBER"
"""Names the pull request in a ``workflow_run`` whose payload lists none (GitHub leaves
``workflow_run.pull_requests`` empty when the pull request comes from a fork)."""
_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
_PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
_QUEUE_BRANCH = re.compile(r"refs/heads/gh-readonly-queue/.+/pr-([1-9][0-9]*)-[0-9a-f]{40}")
"""A merge group's head_ref: gh-readonly-queue/<base branch>/pr-<number>-<head sha>; the base
branch may hold slashes, and the pull request is the last one queued in the group."""


@dataclass(frozen=True)
class EventInfo:
    """What gatekeeper needs from ``$GITHUB_EVENT_PATH``."""

    head_sha: str | None = None
    """The commit the event is about: the PR head, the merge group head, the run's head."""
    pr_number: int | None = None
    """The event's pull request (for ``merge_group``, read from its head_ref; no comment goes
    there: see ``GitHubContext.pull_request``)."""
    base_repo: str | None = None
    """owner/name of the repository the pull request targets."""
    head_repo: str | None = None
    """owner/name the pull request's branch lives in (None when that fork was deleted)."""
    triggering_event: str | None = None
    """For ``workflow_run``: the event that ran the first workflow."""
    ref: str | None = None
    """For ``push``: the full ref (refs/heads/main, refs/tags/v1)."""
    default_branch: str | None = None
    """For ``push``: the repository's default branch (``repository.default_branch``)."""
    labels: tuple[str, ...] | None = None
    """The pull request's label names; None when the payload does not list them (only
    ``pull_request`` and ``pull_request_target`` payloads do)."""
    head_ref: str | None = None
    """The pull request's branch name (``pull_request.head.ref``), from the same payloads."""
    base_sha: str | None = None
    """The base branch's commit the event compares with: ``pull_request.base.sha``,
    ``merge_group.base_sha``; the merge base is looked up from it."""

    @property
    def from_fork(self) -> bool:
        """The pull request's branch is in another repository (or in a deleted fork).

        ``head.repo.fork`` alone is not enough: a pull request between two branches of a
        repository that is itself a fork has it set, yet its token can write."""
        return self.base_repo is not None and self.head_repo != self.base_repo

    @property
    def ref_type(self) -> str | None:
        """'branch' or 'tag' for a push, else None."""
        if self.ref is None:
            return None
        if self.ref.startswith("refs/tags/"):
            return "tag"
        return "branch" if self.ref.startswith("refs/heads/") else None

    @property
    def ref_name(self) -> str | None:
        if self.ref is None:
            return None
        return self.ref.removeprefix("refs/tags/").removeprefix("refs/heads/")

    @property
    def to_default_branch(self) -> bool:
        """A push to the repository's default branch (what the history records)."""
        return self.default_branch is not None and self.ref == f"refs/heads/{self.default_branch}"


@dataclass(frozen=True)
class GitHubContext:
    """Where to report, and what about; every field from the environment."""

    actions: bool
    """Running in GitHub Actions (GITHUB_ACTIONS=true)."""
    api_url: str
    server_url: str
    repository: str | None
    """owner/name"""
    event_name: str | None
    sha: str | None
    """The commit to report on (see ``resolve_sha``)."""
    run_id: str | None
    run_attempt: str | None = None
    job: str | None = None
    """GITHUB_JOB: the job's id in its workflow."""
    token: str | None = field(default=None, repr=False)
    step_summary: Path | None = None
    output: Path | None = None
    runner_temp: Path | None = None
    workspace: Path | None = None
    """GITHUB_WORKSPACE: annotation paths are relative to it."""
    event: EventInfo = EventInfo()
    problems: tuple[str, ...] = ()
    """Why something could not be read; whatever needs it is then not posted."""
    github_sha: str | None = None
    """GITHUB_SHA as given: the commit the workflow checked out (for a pull request, the
    merge commit), which phase tags through the API are read from and made on."""

    @property
    def run_url(self) -> str | None:
        """The Actions run's page, for target_url and details_url."""
        if not (self.repository and self.run_id):
            return None
        return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"

    @property
    def read_only(self) -> bool:
        """A ``pull_request`` from a fork: GitHub gives such runs a read-only token."""
        return self.event_name == "pull_request" and self.event.from_fork

    @property
    def pull_request(self) -> int | None:
        """The pull request a comment goes to (pull_request events and workflow_run)."""
        if self.event_name in (*_PULL_REQUEST_EVENTS, "workflow_run"):
            return self.event.pr_number
        return None

    @staticmethod
    def from_env(environ: Mapping[str, str]) -> GitHubContext:
        problems: list[str] = []
        event_name = environ.get("GITHUB_EVENT_NAME") or None
        event = EventInfo()
        event_path = environ.get("GITHUB_EVENT_PATH")
        if event_path:
            payload = _read_payload(Path(event_path), problems)
            if payload is not None:
                event = parse_event(event_name, payload, environ, problems)
        elif event_name:
            problems.append(f"GITHUB_EVENT_NAME is {event_name!r} but GITHUB_EVENT_PATH is not set")
        repository = environ.get("GITHUB_REPOSITORY") or None
        if repository is not None and repository.count("/") != 1:
            problems.append(f"GITHUB_REPOSITORY {repository!r}: expected owner/name")
            repository = None
        return GitHubContext(
            actions=environ.get("GITHUB_ACTIONS") == "true",
            api_url=(environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            server_url=(environ.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/"),
            repository=repository,
            event_name=event_name,
            sha=resolve_sha(event_name, event, environ, problems),
            run_id=environ.get("GITHUB_RUN_ID") or None,
            run_attempt=environ.get("GITHUB_RUN_ATTEMPT") or None,
            job=environ.get("GITHUB_JOB") or None,
            token=environ.get("GITHUB_TOKEN") or None,
            step_summary=_path(environ, "GITHUB_STEP_SUMMARY"),
            output=_path(environ, "GITHUB_OUTPUT"),
            runner_temp=_path(environ, "RUNNER_TEMP"),
            workspace=_path(environ, "GITHUB_WORKSPACE"),
            event=event,
            problems=tuple(problems),
            github_sha=environ.get("GITHUB_SHA") or None,
        )


def resolve_sha(
    event_name: str | None, event: EventInfo, environ: Mapping[str, str], problems: list[str]
) -> str | None:
    """pull_request: the PR head (GITHUB_SHA is a merge commit nobody sees); merge_group: the
    group's head; workflow_run: the first run's head; anything else: GITHUB_SHA."""
    if event_name in (*_PULL_REQUEST_EVENTS, "merge_group", "workflow_run"):
        if event.head_sha is None:
            problems.append(f"the {event_name} event payload names no head commit")
        return event.head_sha
    return environ.get("GITHUB_SHA") or None


def parse_event(
    event_name: str | None,
    payload: Mapping[str, Any],
    environ: Mapping[str, str],
    problems: list[str],
) -> EventInfo:
    """The fields of one event's payload; wrong types count as absent."""
    if event_name in _PULL_REQUEST_EVENTS:
        number = _int(payload, "number") or _int(payload, "pull_request", "number")
        return EventInfo(
            head_sha=_str(payload, "pull_request", "head", "sha"),
            pr_number=number,
            base_repo=_str(payload, "pull_request", "base", "repo", "full_name"),
            head_repo=_str(payload, "pull_request", "head", "repo", "full_name"),
            labels=_label_names(_dig(payload, "pull_request", "labels")),
            head_ref=_str(payload, "pull_request", "head", "ref"),
            base_sha=_str(payload, "pull_request", "base", "sha"),
        )
    if event_name == "merge_group":
        queued = _QUEUE_BRANCH.fullmatch(_str(payload, "merge_group", "head_ref") or "")
        return EventInfo(
            head_sha=_str(payload, "merge_group", "head_sha"),
            pr_number=int(queued.group(1)) if queued else None,
            base_sha=_str(payload, "merge_group", "base_sha"),
        )
    if event_name == "workflow_run":
        prs = _dig(payload, "workflow_run", "pull_requests")
        number = _int(prs[0], "number") if isinstance(prs, list) and prs else None
        if number is None and environ.get(PR_NUMBER_VARIABLE):
            number = _pr_override(environ[PR_NUMBER_VARIABLE], problems)
        return EventInfo(
            head_sha=_str(payload, "workflow_run", "head_sha"),
            pr_number=number,
            triggering_event=_str(payload, "workflow_run", "event"),
        )
    if event_name == "push":
        return EventInfo(
            ref=_str(payload, "ref") or environ.get("GITHUB_REF") or None,
            default_branch=_str(payload, "repository", "default_branch"),
        )
    return EventInfo()


def _label_names(labels: Any) -> tuple[str, ...] | None:
    """The names of a payload's label objects; an entry without a string name is skipped."""
    if not isinstance(labels, list):
        return None
    return tuple(name for label in labels if (name := _str(label, "name")) is not None)


def _pr_override(text: str, problems: list[str]) -> int | None:
    if text.strip().isdigit() and int(text) > 0:
        return int(text)
    problems.append(f"{PR_NUMBER_VARIABLE} {text!r}: expected a pull request number")
    return None


def _read_payload(path: Path, problems: list[str]) -> dict[str, Any] | None:
    where = f"GITHUB_EVENT_PATH {path}"
    try:
        if path.stat().st_size > _MAX_PAYLOAD_BYTES:
            problems.append(f"{where}: larger than {_MAX_PAYLOAD_BYTES // 2**20} MiB")
            return None
        payload = json.loads(path.read_bytes())
    except OSError as exc:
        problems.append(f"{where}: cannot read: {exc.strerror or exc}")
        return None
    except json.JSONDecodeError as exc:
        problems.append(f"{where}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}")
        return None
    except UnicodeDecodeError:
        problems.append(f"{where}: not UTF-8 text")
        return None
    if not isinstance(payload, dict):
        problems.append(f"{where}: expected a JSON object, found {type(payload).__name__}")
        return None
    return payload


def _dig(node: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _str(node: Any, *keys: str) -> str | None:
    value = _dig(node, *keys)
    return value if isinstance(value, str) and value else None


def _int(node: Any, *keys: str) -> int | None:
    value = _dig(node, *keys)
    # bool is an int in Python; JSON true is not a number
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _path(environ: Mapping[str, str], name: str) -> Path | None:
    value = environ.get(name)
    return Path(value) if value else None


def judged_commit(given: str | None, environ: Mapping[str, str]) -> tuple[str | None, str]:
    """The commit being judged and how it is known; (None, why) when it is not.

    As reports are posted: the pull request's head on pull_request events, the merge group's
    head, the first run's head on workflow_run, else GITHUB_SHA. Outside Actions with neither
    --sha nor GITHUB_SHA, no commit is known and bundles need only agree with each other.
    """
    if given:
        from gatekeeper.bundles.accept import commit_id  # only a given --sha needs checking

        return commit_id(given), "--sha"
    context = GitHubContext.from_env(environ)
    if context.sha:
        same = context.sha == environ.get("GITHUB_SHA")
        return context.sha.lower(), "GITHUB_SHA" if same else f"the {context.event_name} head"
    return None, "; ".join(context.problems) or "no --sha and no GITHUB_SHA"
