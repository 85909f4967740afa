"""Sign-off evidence, a pure value: what the GitHub API said about each record file of the
matrix's sign-offs at the judged commit, or why nothing was asked.

Finding it is the edges' work (``gatekeeper.github.signoffs`` through the API, or a bundle
that ``collect`` wrote in CI); the engine only reads it (``engine.signoff``), so a bundle
judged on a laptop gives CI's verdict without a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from gatekeeper.records import record

TOKEN_INPUT = "signoff-token"
"""The action input that names a token able to read the organisation's team members."""
TOKEN_VARIABLE = "GATEKEEPER_SIGNOFF_TOKEN"
"""The environment variable the action input sets; ``check`` and ``collect`` read it."""
TOKEN_FIX = (
    f"give a token that can read the organisation's members (a GitHub App with Members: read, "
    f"or a fine-grained token with the organisation's Members: read) as the action input "
    f"{TOKEN_INPUT} or the environment variable {TOKEN_VARIABLE}"
)
FETCH_FIX = (
    "a sign-off is verified through the GitHub API; for CI's verdict, judge the bundle CI's "
    "collect wrote: `gatekeeper check --fetch-bundles` (or --bundle FILE)"
)


class RecordState(str, Enum):
    """How far the API got with one record file."""

    FOUND = "found"
    """The pull request that last changed it is known, with its reviews."""
    MISSING = "missing"
    """The record file does not exist at the judged commit."""
    NO_PULL = "no-pull"
    """The commit that last changed it belongs to no merged pull request."""
    ERROR = "error"
    """An API call failed (``reason`` says which and why)."""


class Membership(str, Enum):
    """A reviewer's membership of a named team, as the API answered."""

    ACTIVE = "active"
    NONE = "none"
    """Not a member, or a pending invitation: the team is readable and the user not active."""
    UNREADABLE = "unreadable"
    """The token cannot read the team (403 or 404 on the team itself)."""


@record
class Review:
    """One review of the pull request, in the order GitHub lists them (oldest first)."""

    login: str
    state: str
    """GitHub's: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING."""
    submitted_at: str | None
    commit: str | None
    """The pull request's head when the review was given (its ``commit_id``)."""
    current: bool
    """Whether ``commit`` is at or after the pull request's last commit that changed the
    record: no change to the record followed the review."""


@record
class TeamMember:
    """Whether ``login`` is an active member of ``team`` (``org/team-slug``)."""

    team: str
    login: str
    membership: Membership
    reason: str = ""
    """For UNREADABLE: the API's answer."""


@record
class SignoffRecord:
    """What the API says about one record file at the judged commit."""

    path: str
    commit: str
    """The judged commit."""
    state: RecordState
    reason: str = ""
    """For ERROR: the failed call; for NO_PULL: what was found instead."""
    changed_in: str | None = None
    """The last commit at or before ``commit`` that changed the record."""
    pull: int | None = None
    """The pull request that made that change."""
    author: str | None = None
    last_change: str | None = None
    """The pull request's own last commit that changed the record."""
    reviews: tuple[Review, ...] = ()
    members: tuple[TeamMember, ...] = ()
    """The named teams' memberships of the approving reviewers that needed one."""


@record
class SignoffEvidence:
    """Every record's facts, and where they came from.

    ``source``: 'api' (asked now), 'bundle' (asked in CI by ``collect``), 'none' (not
    asked: ``reason`` says why, and every sign-off is unverified: missing), or 'error' (the
    bundles that would hold it were refused: every sign-off is an error)."""

    source: str
    records: Mapping[str, SignoffRecord]
    reason: str = ""


def no_signoffs(reason: str, *, error: bool = False) -> SignoffEvidence:
    """Sign-off evidence that was not asked for, or refused, saying why (every sign-off is
    unverified)."""
    return SignoffEvidence("error" if error else "none", {}, reason)


@record
class Approval:
    """The approval that met a sign-off: who, when, in which pull request, at which commit."""

    record: str
    approver: str
    submitted_at: str | None
    pull: int
    commit: str | None
    """The pull request's head the approval was given at."""
    changed_in: str | None
    """The commit that brought the record to the judged commit (a squash or the PR's own)."""
    source: str
    """'api' or 'bundle': where the facts came from."""
