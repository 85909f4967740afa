"""``check --delete-failed-tag``: a phase tag pushed by hand whose gate failed is deleted.

Only a tag the run was started by (a push in GitHub Actions: ``TagGate.source`` is
``GITHUB_REF``), only when the gate's exit code is not 0, and only while the tag still
points at the commit judged (``GITHUB_SHA``): a tag moved since, or whose gate passed, is
never touched. Whatever happens the exit code stays the gate's: a deletion that fails is
reported loudly, with the fix, and never raised. The calls are the run's ``api.GitHubClient``'s
(PyGithub is imported only to delete).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from gatekeeper.phases.tags import TagGate

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient

_FIX = (
    "give the job `permissions: contents: write`, and check that no tag ruleset restricts "
    "deleting it (Settings → Rules → Rulesets; the workflow's GITHUB_TOKEN cannot bypass one)"
)


def delete_failed_tag(
    tagged: TagGate, code: int, client: GitHubClient, dry_run: bool, err: TextIO
) -> None:
    """Delete ``tagged`` through the GitHub API when its gate failed; see the module.
    ``client``: the run's GitHub client, whose context says whether this is GitHub Actions."""
    name = tagged.tag
    said = f"gatekeeper: --delete-failed-tag: the tag {name}"
    if code == 0:
        err.write(f"{said} is kept: its gate passed\n")
        return
    if tagged.source != "GITHUB_REF":
        err.write(f"{said} is not deleted: it comes from {tagged.source}, not from the push "
                  f"of a tag in GitHub Actions (GITHUB_REF)\n")  # fmt: skip
        return
    ctx = client.ctx
    missing = [n for n, v in (("GITHUB_TOKEN", ctx.token), ("GITHUB_REPOSITORY", ctx.repository))
               if not v]  # fmt: skip
    if not ctx.actions:
        missing.insert(0, "GITHUB_ACTIONS=true")
    if missing:
        err.write(f"{said} is not deleted: it needs GitHub Actions ({', '.join(missing)} "
                  f"not set)\n")  # fmt: skip
        return
    where = f"{client.repo_url}/git/refs/tags/{name}"
    if dry_run:
        err.write(f"gatekeeper: dry run: would DELETE {where} (its gate failed, exit {code})\n")
        return
    _delete(name, code, client, err)


def _delete(name: str, code: int, client: GitHubClient, err: TextIO) -> None:
    from gatekeeper.github import actions_io
    from gatekeeper.github.tags import GitHubTagError, GitHubTags

    try:
        tags = GitHubTags(client)
        there = tags.tag_points_at(name, tags.head)
        if there is None:
            err.write(f"gatekeeper: the tag {name} is already gone: nothing to delete\n")
            return
        if not there:
            moved = f"no longer points at {tags.head[:12]}, the commit judged: it was moved"
            err.write(f"gatekeeper: the tag {name} {moved} since the push, and is not deleted\n")
            return
        tags.delete_tag(name)
    except GitHubTagError as exc:
        status = f"HTTP {exc.status}" if exc.status is not None else "no answer"
        message = (
            f"the phase tag {name} failed its gate (exit {code}) but could NOT be deleted "
            f"({status}): {exc}. It still claims a phase the commit has not completed. Fix: "
            f"{_FIX}; or delete it by hand: git push --delete origin {name}"
        )
        # an error annotation: red in the log and listed on the run's page (GITHUB_ACTIONS)
        err.write(actions_io.command("error", message, title="gatekeeper: phase tag not deleted"))
        return
    again = "push it again once the gate passes, or use gatekeeper promote"
    err.write(f"gatekeeper: deleted the tag {name}: its gate failed on {tags.head[:12]} "
              f"(exit {code}); {again}\n")  # fmt: skip
