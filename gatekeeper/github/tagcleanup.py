"""``check --delete-failed-tag``: a phase tag pushed by hand whose gate failed is deleted.

Only a tag the run was started by (a push in GitHub Actions: ``TagGate.source`` is
``GITHUB_REF``), only when the gate's exit code is not 0, and only while the tag still
points at the commit judged (``GITHUB_SHA``): a tag moved since, or whose gate passed, is
never touched. Whatever happens the exit code stays the gate's: a deletion that fails is
reported loudly, with the fix, and never raised. requests is imported only to delete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from gatekeeper.phases.tags import TagGate

_FIX = (
    "give the job `permissions: contents: write`, and check that no tag ruleset restricts "
    "deleting it (Settings → Rules → Rulesets; the workflow's GITHUB_TOKEN cannot bypass one)"
)


def delete_failed_tag(
    tagged: TagGate, code: int, environ: Mapping[str, str], dry_run: bool, err: TextIO
) -> None:
    """Delete ``tagged`` through the GitHub API when its gate failed; see the module."""
    name = tagged.tag
    said = f"gatekeeper: --delete-failed-tag: the tag {name}"
    if code == 0:
        err.write(f"{said} is kept: its gate passed\n")
        return
    if tagged.source != "GITHUB_REF":
        err.write(f"{said} is not deleted: it comes from {tagged.source}, not from the push "
                  f"of a tag in GitHub Actions (GITHUB_REF)\n")  # fmt: skip
        return
    missing = [n for n in ("GITHUB_TOKEN", "GITHUB_REPOSITORY") if not environ.get(n)]
    if environ.get("GITHUB_ACTIONS") != "true":
        missing.insert(0, "GITHUB_ACTIONS=true")
    if missing:
        err.write(f"{said} is not deleted: it needs GitHub Actions ({', '.join(missing)} "
                  f"not set)\n")  # fmt: skip
        return
    api_url = (environ.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/")
    where = f"{api_url}/repos/{environ['GITHUB_REPOSITORY']}/git/refs/tags/{name}"
    if dry_run:
        err.write(f"gatekeeper: dry run: would DELETE {where} (its gate failed, exit {code})\n")
        return
    _delete(name, code, environ, err)


def _delete(name: str, code: int, environ: Mapping[str, str], err: TextIO) -> None:
    from gatekeeper.github import actions_io
    from gatekeeper.phases.github_store import GitHubTagError, GitHubTags

    try:
        tags = GitHubTags.from_env(environ)
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
