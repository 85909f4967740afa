"""Judge a sign-off from the facts the GitHub API gave (``gatekeeper.signoffs``): met when
the pull request that last changed the record was approved by a named user, or an active
member of a named team, who is not its author, in a review neither dismissed nor followed by
a change to the record. Pure: no I/O; every way of not being met says why.

Each reviewer counts by their last review that decides (approved, changes requested,
dismissed): an approval dismissed, or followed by a request for changes, is no approval.
"""

from __future__ import annotations

from gatekeeper.model import SignoffCriterion
from gatekeeper.results import Outcome
from gatekeeper.signoffs import (
    FETCH_FIX,
    TOKEN_FIX,
    Approval,
    Membership,
    RecordState,
    Review,
    SignoffEvidence,
    SignoffRecord,
)

_DECISIVE = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")

Verdict = tuple[Outcome, str, tuple[str, ...], Approval | None]


def evaluate_signoff(criterion: SignoffCriterion, evidence: SignoffEvidence | None) -> Verdict:
    """The outcome, its summary, further lines, and the approval that met it (if one did)."""
    path = criterion.record
    if evidence is None or evidence.source == "none":
        reason = evidence.reason if evidence is not None else FETCH_FIX
        return (
            Outcome.MISSING,
            f"unverified: the sign-off on {path} was not read: {reason}",
            (),
            None,
        )
    facts = evidence.records.get(path)
    if facts is None:
        return (
            Outcome.MISSING,
            f"unverified: the {_source(evidence)} holds no sign-off evidence for {path} "
            "(its collect ran without GITHUB_TOKEN and GITHUB_REPOSITORY?)",
            (),
            None,
        )
    if facts.state is RecordState.ERROR:
        return Outcome.ERROR, f"unverified: the sign-off on {path}: {facts.reason}", (), None
    if facts.state is RecordState.MISSING:
        summary = f"record missing: {path} does not exist at {facts.commit[:7]}"
        return Outcome.FAIL, summary, (), None
    if facts.state is RecordState.NO_PULL or facts.pull is None:
        where = f" (last changed in commit {facts.changed_in[:7]})" if facts.changed_in else ""
        extra = f": {facts.reason}" if facts.reason else ""
        return Outcome.FAIL, f"no pull request changed {path}{where}{extra}", (), None
    return _judge_reviews(criterion, facts, evidence.source)


def _source(evidence: SignoffEvidence) -> str:
    return "bundle" if evidence.source == "bundle" else "GitHub API's answer"


def _latest(reviews: tuple[Review, ...]) -> dict[str, Review]:
    """Each reviewer's last deciding review, by login (GitHub's logins ignore case)."""
    latest: dict[str, Review] = {}
    for review in reviews:
        if review.state in _DECISIVE:
            latest[review.login.lower()] = review
    return latest


def _judge_reviews(criterion: SignoffCriterion, facts: SignoffRecord, source: str) -> Verdict:
    assert facts.pull is not None
    path, listed = criterion.record, f"[{', '.join(criterion.by)}]"
    users = {u.lower() for u in criterion.users}
    teams = {t.lower() for t in criterion.teams}
    members = [m for m in facts.members if m.team.lower() in teams]
    author = (facts.author or "").lower()
    met: list[Review] = []
    reasons: list[tuple[int, str]] = []
    unreadable: list[str] = []
    for login, review in _latest(facts.reviews).items():
        theirs = [m for m in members if m.login.lower() == login]
        named = login in users or any(m.membership is Membership.ACTIVE for m in theirs)
        who = f"@{review.login}"
        if review.state == "DISMISSED" and named:
            reasons.append((1, f"review by {who} was dismissed"))
        elif review.state == "CHANGES_REQUESTED" and named:
            reasons.append((2, f"{who} requested changes"))
        elif review.state != "APPROVED":
            continue
        elif login == author:
            reasons.append((3, f"approved by {who}, the pull request's author, who cannot sign "
                               "off their own change"))  # fmt: skip
        elif named and review.current:
            met.append(review)
        elif named:
            change = (facts.last_change or "")[:7]
            reasons.append((0, f"{path} changed after {who}'s approval (commit {change})"))
        elif any(m.membership is Membership.UNREADABLE for m in theirs):
            why = next(m.reason for m in theirs if m.membership is Membership.UNREADABLE)
            teams_shown = ", ".join(f"@{m.team}" for m in theirs)
            unreadable.append(f"whether {who} is a member of {teams_shown} cannot be read ({why})")
        else:
            reasons.append((4, f"approved by {who}, who is not in {listed}"))
    pr = f"pull request #{facts.pull}"
    context = (f"{path} last changed in commit {(facts.changed_in or '')[:7]} by {pr}",)
    ordered = [text for _, text in sorted(reasons)]  # the first is the summary
    details = context + tuple(ordered)
    if met:
        review = met[-1]
        at = f" at {review.commit[:7]}" if review.commit else ""
        when = review.submitted_at or "at an unknown time"
        summary = f"signed off by @{review.login} in {pr} (approved {when}{at})"
        approval = Approval(
            path, review.login, review.submitted_at, facts.pull, review.commit,
            facts.changed_in, source,
        )  # fmt: skip
        return Outcome.PASS, summary, details, approval
    if unreadable:
        summary = f"unverified: {unreadable[0]}; {TOKEN_FIX}"
        return Outcome.ERROR, summary, details + tuple(unreadable[1:]), None
    if ordered:
        return Outcome.FAIL, ordered[0], context + tuple(ordered[1:]), None
    return (
        Outcome.FAIL,
        f"{pr}, which last changed {path}, has no approval by {listed}",
        details,
        None,
    )
