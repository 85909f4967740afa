"""Post the check run, the commit status and the PR comment: idempotent, and never raising.

Idempotent: a check run of ours (same name, ``external_id`` starting ``gatekeeper:``) on the
commit is updated instead of a second one being created, unless it already carries
annotations from another workflow run (GitHub appends annotations and cannot remove them,
so updating it would show each one twice): then a new check run supersedes it, as a
re-run's would. A creation whose response was lost is looked for before it is repeated.
The comment is the one carrying our marker *and* written by our identity, on any page. When
GitHub will not say who the token is (``GET /user`` is refused to every installation token,
``GITHUB_TOKEN`` and any other App's alike), our identity is not guessed: the comment is the
one with our marker written by a bot (a user cannot post as one), and the login is learned
from it or from the comment we create.
Every failure is collected into the PublishResult; the gate's verdict does not depend on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from gatekeeper.github import comment as sticky
from gatekeeper.github.payloads import CheckRunPlan
from gatekeeper.results import Report

EXTERNAL_ID_PREFIX = "gatekeeper:"


class CommentMode(str, Enum):
    ALWAYS = "always"
    """Create or update the comment on every run."""
    ON_CHANGE = "on-change"
    """Create it, then update it only when a cell or the verdict changed."""
    ON_FAILURE = "on-failure"
    """Create it only when the gate fails; once it exists, keep it up to date."""
    OFF = "off"


@dataclass(frozen=True)
class CheckRunRef:
    id: int
    external_id: str | None
    annotations_count: int


@dataclass(frozen=True)
class CommentRef:
    id: int
    author: str
    body: str
    bot: bool = False
    """Whether the author is a bot (``user.type == "Bot"``): an App, never a person."""


class GitHubAPI(Protocol):
    """What publishing needs from GitHub; ``api.GitHubClient`` is the real one. Each
    method retries what is transient and raises ``retry.APIError`` for the rest."""

    def check_runs(self, sha: str, name: str) -> list[CheckRunRef]: ...
    def create_check_run(self, body: dict[str, Any], find: Callable[[], int | None]) -> int: ...
    def update_check_run(self, run_id: int, body: dict[str, Any]) -> None: ...
    def create_status(self, sha: str, body: dict[str, Any]) -> None: ...
    # identity: the token's login; None when GitHub refuses to say (an installation token)
    def identity(self) -> str | None: ...
    def comments(self, number: int) -> list[CommentRef]: ...
    def create_comment(
        self, number: int, body: str, find: Callable[[], CommentRef | None]
    ) -> CommentRef: ...
    def update_comment(self, comment_id: int, body: str) -> None: ...


@dataclass(frozen=True)
class PublishResult:
    posted: tuple[str, ...] = ()
    """What GitHub now shows, one line each."""
    skipped: tuple[str, ...] = ()
    """What was deliberately not posted, and why."""
    failed: tuple[str, ...] = ()
    """What could not be posted, and why."""


@dataclass(frozen=True)
class CommentPlan:
    mode: CommentMode
    number: int
    check_name: str
    render: Callable[[sticky.CommentState | None], str]
    """The body, given the state the previous comment recorded."""
    state: sticky.CommentState
    failed_gate: bool


@dataclass
class _Log:
    posted: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def attempt(self, what: str, action: Callable[[], str | None]) -> None:
        try:
            done = action()
        except Exception as exc:  # an APIError, or a bug: either way the gate stands
            self.failed.append(f"{what}: {exc}")
            return
        if done is not None:
            self.posted.append(done)


def publish(
    api: GitHubAPI,
    *,
    sha: str | None,
    check_run: CheckRunPlan | None,
    status: dict[str, Any] | None,
    comment: CommentPlan | None,
) -> PublishResult:
    log = _Log()
    if check_run is not None:
        if sha is None:
            log.failed.append("check run: no commit to report on")
        else:
            log.attempt("check run", lambda: _check_run(api, sha, check_run))
    if status is not None:
        if sha is None:
            log.failed.append("commit status: no commit to report on")
        else:
            log.attempt("commit status", lambda: _status(api, sha, status))
    if comment is not None:
        log.attempt("PR comment", lambda: _comment(api, comment, log.skipped))
    return PublishResult(tuple(log.posted), tuple(log.skipped), tuple(log.failed))


def _check_run(api: GitHubAPI, sha: str, plan: CheckRunPlan) -> str:
    name = plan.create["name"]
    ours = [r for r in api.check_runs(sha, name) if _is_ours(r)]
    this_run = [r for r in ours if r.external_id == plan.external_id]
    reusable = this_run or [r for r in ours if r.annotations_count == 0]
    if reusable:
        run_id = max(r.id for r in reusable)  # the newest, which GitHub shows
        api.update_check_run(run_id, plan.update)
        verb = "updated"
    else:

        def find() -> int | None:
            again = [r.id for r in api.check_runs(sha, name) if r.external_id == plan.external_id]
            return max(again, default=None)

        run_id = api.create_check_run(plan.create, find)
        verb = "created"
    for body in plan.more:
        api.update_check_run(run_id, body)
    count = sum(len(b["output"].get("annotations", ())) for b in (plan.create, *plan.more))
    conclusion = plan.create["conclusion"]
    return f"check run {name!r} {verb} ({conclusion}, {count} annotations, id {run_id})"


def _is_ours(run: CheckRunRef) -> bool:
    return (run.external_id or "").startswith(EXTERNAL_ID_PREFIX)


def _status(api: GitHubAPI, sha: str, body: dict[str, Any]) -> str:
    api.create_status(sha, body)
    return f"commit status {body['context']!r} set ({body['state']})"


def _comment(api: GitHubAPI, plan: CommentPlan, skipped: list[str]) -> str | None:
    where = f"PR #{plan.number}"
    me = api.identity()
    marker = sticky.marker(plan.check_name)

    def ours(c: CommentRef) -> bool:
        return marker in c.body and (c.author == me if me is not None else c.bot)

    def mine() -> list[CommentRef]:
        return [c for c in api.comments(plan.number) if ours(c)]

    existing = next(iter(mine()), None)
    previous = sticky.read_state(existing.body) if existing is not None else None
    reason = _hold_back(plan, existing is not None, previous)
    if reason:
        skipped.append(f"PR comment on {where} left as it is: {reason}")
        return None
    text = plan.render(previous)
    if existing is not None:
        api.update_comment(existing.id, text)
        return f"PR comment on {where} updated (id {existing.id}, as {existing.author})"
    made = api.create_comment(plan.number, text, lambda: next(iter(mine()), None))
    return f"PR comment on {where} created (id {made.id}, as {made.author})"


def _hold_back(plan: CommentPlan, exists: bool, previous: sticky.CommentState | None) -> str:
    """Why this mode posts nothing now ('' to post)."""
    if plan.mode is CommentMode.ON_CHANGE and exists and not sticky.changed(previous, plan.state):
        return "nothing changed since the last run (--comment on-change)"
    if plan.mode is CommentMode.ON_FAILURE and not exists and not plan.failed_gate:
        return "the gate passed (--comment on-failure)"
    return ""


def comment_plan(
    report: Report, exit_code: int, markdown: str, *, mode: CommentMode, number: int,
    check_name: str,
) -> CommentPlan:  # fmt: skip
    def render(previous: sticky.CommentState | None) -> str:
        return sticky.body(report, exit_code, markdown, check_name=check_name, previous=previous)

    state = sticky.state_of(report, exit_code)
    return CommentPlan(mode, number, check_name, render, state, exit_code != 0)
