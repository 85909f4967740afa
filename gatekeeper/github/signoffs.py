"""Sign-off evidence, fetched: for each record file of the matrix's sign-offs, what the GitHub
API says at the judged commit, gathered before the engine runs (``signoffs.SignoffEvidence``).

Per record, in order, each step one call or one listing:

1. ``GET contents/{record}?ref={commit}``: does the record exist at the judged commit?
2. ``GET commits?path={record}&sha={commit}&per_page=1``: the last commit that changed it.
   After a squash merge that is the squash commit; after a merge commit it is the pull
   request's own commit (git's history follows the side that changed the file).
3. ``GET commits/{sha}/pulls``: the pull requests holding that commit. A merged one is taken,
   the one whose merge commit is that commit first (a squash), else the latest merged; an
   open one only when it is the run's own pull request (a change judged before it merges).
4. ``GET pulls/{n}/commits`` (oldest first) and ``GET commits?path={record}&sha={head}&
   per_page=1``: the pull request's last commit that changed the record. A review is current
   when its ``commit_id`` is that commit or a later one of the list. Two calls whatever the
   pull request's size, where reading each commit's files would be one per commit.
5. ``GET pulls/{n}/reviews``: who reviewed, how, when, at which commit.
6. For each approving (or dismissed) reviewer who is not the author and not named in every
   sign-off of the record, per named team: ``GET orgs/{org}/teams/{slug}`` (can the token
   read the team at all? 403/404: unreadable, and the sign-off is unverified, naming the
   fix) then ``GET orgs/{org}/teams/{slug}/memberships/{login}`` (404 on a readable team:
   not a member). These two use the token of ``GATEKEEPER_SIGNOFF_TOKEN`` when set: the
   default ``GITHUB_TOKEN`` cannot read an organisation's teams.

Any other failure is the record's ``error``: never a pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from gatekeeper.github.retry import APIError
from gatekeeper.model import Matrix, SignoffCriterion
from gatekeeper.signoffs import (
    FETCH_FIX,
    TOKEN_VARIABLE,
    Membership,
    RecordState,
    Review,
    SignoffEvidence,
    SignoffRecord,
    TeamMember,
    no_signoffs,
)

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient


def fetch_signoffs(
    matrix: Matrix, client: GitHubClient, given_sha: str | None, environ: Mapping[str, str]
) -> SignoffEvidence:
    """The sign-off evidence of the judged commit (``--sha``, else the event's), asked of the
    API now; or none, saying why: no token, or no commit known."""
    from gatekeeper.github.context import judged_commit

    if not client.usable:
        return no_signoffs(f"no GITHUB_TOKEN or GITHUB_REPOSITORY; {FETCH_FIX}")
    sha, how = judged_commit(given_sha, environ)
    if sha is None:
        return no_signoffs(f"the commit being judged is unknown ({how}); give --sha")
    return signoff_evidence(matrix, client, members_client(client, environ), sha)


def members_client(client: GitHubClient, environ: Mapping[str, str]) -> GitHubClient:
    """The client that reads team memberships: the sign-off token's, else the run's."""
    token = environ.get(TOKEN_VARIABLE, "").strip()
    return client.with_token(token) if token else client


def signoff_evidence(
    matrix: Matrix, client: GitHubClient, members: GitHubClient, sha: str
) -> SignoffEvidence:
    """What the API says about every record of the matrix's sign-offs at commit ``sha``."""
    by_record: dict[str, list[SignoffCriterion]] = {}
    for criterion in matrix.signoffs:
        by_record.setdefault(criterion.record, []).append(criterion)
    fetcher = _Fetcher(client, members, sha)
    return SignoffEvidence(
        "api", {path: fetcher.record(path, criteria) for path, criteria in by_record.items()}
    )


class _Fetcher:
    def __init__(self, client: GitHubClient, members: GitHubClient, sha: str) -> None:
        self.client = client
        self.members = members
        self.sha = sha
        self.own_pull = client.ctx.event.pr_number
        self.unreadable: dict[str, str | None] = {}
        """Per team: None when readable, else why not (asked once per run)."""

    def record(self, path: str, criteria: list[SignoffCriterion]) -> SignoffRecord:
        try:
            return self._record(path, criteria)
        except APIError as exc:
            return SignoffRecord(path, self.sha, RecordState.ERROR, str(exc))

    def _record(self, path: str, criteria: list[SignoffCriterion]) -> SignoffRecord:
        client, sha = self.client, self.sha
        if not client.file_exists(path, sha):
            return SignoffRecord(path, sha, RecordState.MISSING)
        changed_in = client.last_commit(path, sha)
        if changed_in is None:
            return SignoffRecord(path, sha, RecordState.NO_PULL, "no commit changed it")
        pulls = client.commit_pulls(changed_in)
        pull = self._chosen(pulls, changed_in)
        if pull is None:
            open_ones = [f"#{p.get('number')}" for p in pulls]
            reason = f"{', '.join(open_ones)} not merged" if open_ones else ""
            return SignoffRecord(path, sha, RecordState.NO_PULL, reason, changed_in)
        number, author, head = _pull_fields(pull)
        commits = client.pull_commits(number)
        last = client.last_commit(path, head)
        if last is None or last not in commits:
            raise APIError(
                f"find pull request #{number}'s last change to {path}",
                f"no commit of the pull request changed it (the last change from its head is "
                f"{(last or 'none')[:12]})",
            )
        since = commits.index(last)
        reviews = tuple(_review(r, commits, since) for r in client.pull_reviews(number))
        members = self._members(criteria, reviews, author)
        return SignoffRecord(
            path, sha, RecordState.FOUND, "", changed_in, number, author, last, reviews, members
        )

    def _chosen(self, pulls: list[dict[str, Any]], changed_in: str) -> dict[str, Any] | None:
        merged = [p for p in pulls if p.get("merged_at")]
        squashed = [p for p in merged if str(p.get("merge_commit_sha") or "").lower() == changed_in]
        if squashed or merged:
            return (squashed or sorted(merged, key=lambda p: str(p["merged_at"]))[::-1])[0]
        own = [p for p in pulls if self.own_pull is not None and p.get("number") == self.own_pull]
        return own[0] if own else None

    def _members(
        self, criteria: list[SignoffCriterion], reviews: tuple[Review, ...], author: str | None
    ) -> tuple[TeamMember, ...]:
        teams = sorted({t for c in criteria for t in c.teams})
        named = set.intersection(*({u.lower() for u in c.users} for c in criteria))
        logins = dict.fromkeys(
            r.login
            for r in reviews
            if r.state in ("APPROVED", "DISMISSED")
            and r.login.lower() != (author or "").lower()
            and r.login.lower() not in named
        )
        found: list[TeamMember] = []
        for team in teams if logins else ():
            if team not in self.unreadable:
                self.unreadable[team] = self.members.team_unreadable(team)
            why = self.unreadable[team]
            for login in logins:
                if why is not None:
                    found.append(TeamMember(team, login, Membership.UNREADABLE, why))
                    continue
                state = self.members.team_membership(team, login)
                active = Membership.ACTIVE if state == "active" else Membership.NONE
                found.append(TeamMember(team, login, active))
        return tuple(found)


def _pull_fields(pull: dict[str, Any]) -> tuple[int, str | None, str]:
    """Number, author (None for a deleted account) and head commit, or an APIError."""
    try:
        user = pull.get("user")
        author = str(user["login"]) if isinstance(user, dict) else None
        return int(pull["number"]), author, str(pull["head"]["sha"]).lower()
    except (KeyError, TypeError, ValueError) as exc:
        raise APIError("read a commit's pull requests", f"unexpected answer ({exc!r})") from exc


def _review(raw: dict[str, Any], commits: list[str], since: int) -> Review:
    try:
        user = raw.get("user")
        login = str(user["login"]) if isinstance(user, dict) else ""
        commit = raw.get("commit_id")
        commit = str(commit).lower() if commit else None
        current = commit is not None and commit in commits and commits.index(commit) >= since
        return Review(login, str(raw["state"]), raw.get("submitted_at"), commit, current)
    except (KeyError, TypeError) as exc:
        raise APIError("read a pull request's reviews", f"unexpected answer ({exc!r})") from exc
