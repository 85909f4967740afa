"""What ``check --history-branch`` does in a GitHub run: read the branch's history for the
HTML page, and on a push to the default branch add this evaluation to it.

Never raises and never changes the exit code: the history is what the page shows beside the
verdict, and a failure to read or write it is a warning in the job's log. Only a push to the
default branch is recorded (a pull request, a tag or another branch would mix evidence that
never landed into the project's memory), and never onto the default branch itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import TextIO

from gatekeeper.errors import UsageError
from gatekeeper.github import actions_io
from gatekeeper.github.api import GitHubClient
from gatekeeper.github.context import GitHubContext
from gatekeeper.github.retry import APIError
from gatekeeper.history.model import History, read_blobs
from gatekeeper.history.records import dumps, from_report
from gatekeeper.reporters.common import verdict
from gatekeeper.results import Report
from gatekeeper.text import plain

FOLDER = "history"
"""Where on the branch the history's files are: one a month, ``history/2026-12.jsonl``."""
_BRANCH = re.compile(r"(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)[A-Za-z0-9._/-]{1,200}(?<![./])")


def branch_name(text: str) -> str:
    """``--history-branch``'s value: a plain branch name (no ``refs/``, spaces, ``..``)."""
    name = text.strip()
    # git's own rules too (git check-ref-format --branch): no part begins with '.' or ends
    # with '.lock', and HEAD is no branch: GitHub refuses them, or makes a ref that confuses
    parts = name.split("/")
    odd = name == "HEAD" or any(p.startswith(".") or p.endswith(".lock") for p in parts)
    if not _BRANCH.fullmatch(name) or name.startswith(("refs/", "/")) or odd:
        raise UsageError(
            f"--history-branch {text!r}: expected a branch name such as gatekeeper-history"
        )
    return name


def month_file(moment: dt.datetime) -> str:
    utc = moment.astimezone(dt.timezone.utc)
    return f"{FOLDER}/{utc.year:04d}-{utc.month:02d}.jsonl"  # strftime's %Y writes year 1 as '1'


def _warn(err: TextIO, ctx: GitHubContext, message: str) -> None:
    if ctx.actions:
        err.write(actions_io.warning(plain(message), title="gatekeeper history"))
    else:
        err.write(f"gatekeeper: {plain(message)}\n")


def read_branch(client: GitHubClient, branch: str, ctx: GitHubContext, err: TextIO) -> History:
    """The history on ``branch`` (empty when the branch does not exist yet, or cannot be
    read: then a warning says why)."""
    from gatekeeper.reporters.trends import MAX_POINTS

    try:  # the files are fetched one at a time, as they are read: an error may come at any
        blobs = ((f"{branch}:{path}", data) for path, data in read_history(client, branch))
        return read_blobs(blobs, keep=MAX_POINTS)  # what the page shows, not the history
    except APIError as exc:
        _warn(err, ctx, f"the history on {branch} could not be read: {exc}; the page shows "
              "this run only")  # fmt: skip
    except Exception as exc:  # a bug here must not cost the verdict (as ``record``)
        _warn(err, ctx, f"the history on {branch} could not be read: internal error "
              f"({type(exc).__name__}: {exc}); the page shows this run only")  # fmt: skip
    return History(())


def read_history(client: GitHubClient, branch: str) -> Iterator[tuple[str, bytes]]:
    from gatekeeper.github.history import read_history as read

    return read(client, branch, FOLDER)


def record(
    report: Report,
    exit_code: int,
    ctx: GitHubContext,
    client: GitHubClient,
    branch: str,
    *,
    dry_run: bool,
    err: TextIO,
) -> str | None:
    """Add this evaluation to ``branch`` when the run is a push to the default branch; the
    line written (or that would be, on a dry run), None when nothing is recorded."""
    event = ctx.event
    if ctx.event_name != "push" or not event.to_default_branch:
        where = event.ref or ctx.event_name or "no event"
        err.write(f"gatekeeper: history: not recorded: only a push to the default branch is "
                  f"({plain(where)})\n")  # fmt: skip
        return None
    if branch == event.default_branch:
        _warn(err, ctx, f"history: not recorded: --history-branch {branch} is the default "
              "branch; the history needs a branch of its own, e.g. gatekeeper-history")  # fmt: skip
        return None
    if not ctx.sha or not ctx.repository or not ctx.token:
        missing = "the commit" if not ctx.sha else "GITHUB_REPOSITORY or GITHUB_TOKEN"
        _warn(err, ctx, f"history: not recorded: {missing} is not known")
        return None
    moment = report.as_of or dt.datetime.now(dt.timezone.utc)
    # unique to the job: a re-run of it is recognised, two jobs of one run are both kept
    key = f"{ctx.sha}:{ctx.run_id or 'local'}:{ctx.run_attempt or '1'}:{ctx.job or '-'}"
    line = dumps(from_report(
        report, verdict(report, exit_code), commit=ctx.sha, key=key, when=moment,
        ref=event.ref, run_url=ctx.run_url,
    ))  # fmt: skip
    path = month_file(moment)
    if dry_run:
        err.write(f"gatekeeper: --dry-run: would add this evaluation to {path} on {branch}\n")
        return line
    try:
        from gatekeeper.github.history import Outcome, append_record

        result = append_record(client, branch, path, line, key)
    except Exception as exc:  # a bug here must not cost the verdict
        _warn(err, ctx, f"history: not recorded: internal error ({type(exc).__name__}: {exc})")
        return None
    for warning in result.warnings:
        _warn(err, ctx, f"history: {warning}")
    if result.outcome is Outcome.FAILED:
        _warn(err, ctx, f"history: not recorded: {result.message}")
        return None
    err.write(f"gatekeeper: history: {plain(result.message)}\n")
    return line
