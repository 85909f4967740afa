"""The evaluation history: JSON Lines files on a branch of the repository itself, written
and read through GitHub's git database API, with no other service.

Appending one line (``append_record``) is a read-modify-write of the branch: read its
commit, tree and the file's blob; write a blob with the line added, a tree and a commit
whose parent is the commit read; move the branch there with ``force: false``. Two writers
that read the same commit cannot both move the branch: GitHub refuses the later one (422
"Update is not a fast forward"), which then starts again from the branch as it is now, after
a short random wait, at most ``attempts`` times: so concurrent jobs lose no line. The same
holds when the branch does not exist yet: each writer makes a first commit holding only the
file, and the later one finds the branch made (422 "Reference already exists").

Each line carries a ``key`` unique to its record; a key already in the file is not written
again, so a write whose answer was lost (it landed, the job did not hear it) or a rerun of
the same job adds no second line. What lines hold beyond their key is not this module's
business (historyfile.py reads only keys).

``append_record`` never raises for GitHub's failures: its ``AppendResult`` says whether the
line was recorded, was there already, or could not be written and why (like publish.py).
Transient failures (5xx, no answer, rate limits) are retried by the client's one rule.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from gatekeeper.github import historyfile
from gatekeeper.github.api import GitHubClient
from gatekeeper.github.retry import APIError

SYMLINK = "120000"
"""A tree entry's mode for a symbolic link."""
MIN_ROUND_SECONDS = 0.1
"""The least a round is taken to last when sizing the wait after a lost race."""
MAX_WAIT_SECONDS = 10.0
"""The longest wait between two tries (the run's deadline still bounds them all)."""
_LOST_RACE = ("not a fast forward", "reference already exists", "reference does not exist")
"""GitHub's words when another writer moved, made or deleted the branch since it was read."""


class Outcome(str, Enum):
    RECORDED = "recorded"
    ALREADY_RECORDED = "already-recorded"
    """A line with the key was in the file already: nothing was written."""
    FAILED = "failed"


@dataclass(frozen=True)
class AppendResult:
    outcome: Outcome
    message: str
    """One line for the job's log: what was done where, or why it could not be."""
    commit: str | None = None
    """The branch's commit that holds the line; None when the append failed."""
    tries: int = 0
    """Read-modify-write rounds made (more than 1: other writers won races)."""
    warnings: tuple[str, ...] = ()
    """What the file holds that is not a record (kept as it is)."""


class _Refused(Exception):
    """The file cannot take the line; nothing is written and nothing is retried."""


def append_record(
    client: GitHubClient, branch: str, path: str, line: str, key: str, *, attempts: int = 8
) -> AppendResult:
    """Append ``line`` (one JSON object whose ``key`` is ``key``) to ``path`` on ``branch``,
    once; see the module."""
    if attempts < 1:
        raise ValueError(f"attempts must be 1 or more, not {attempts}")
    where = f"{path} on branch {branch}"
    problem = historyfile.line_problem(line, key)
    if problem is not None:
        return AppendResult(Outcome.FAILED, f"not recorded in {where}: {problem}")
    made: set[str] = set()
    for attempt in range(1, attempts + 1):
        started = time.monotonic()
        try:
            result = _append_once(client, branch, path, line, key, made)
        except _Refused as exc:
            return AppendResult(Outcome.FAILED, f"not recorded in {where}: {exc}", tries=attempt)
        except APIError as exc:
            if not _lost_race(exc):
                failed = f"could not record {key} in {where}: {exc}"
                return AppendResult(Outcome.FAILED, failed, tries=attempt)
            if attempt == attempts:
                break
            if not client.pause(_backoff(attempt, time.monotonic() - started)):
                spent = "the time allowed for the run's calls to GitHub is spent"
                failed = f"could not record {key} in {where}: {exc} ({spent})"
                return AppendResult(Outcome.FAILED, failed, tries=attempt)
            continue
        return AppendResult(result.outcome, result.message, result.commit, attempt,
                            result.warnings)  # fmt: skip
    failed = (f"could not record {key} in {where}: other writers moved the branch first "
              f"on each of {attempts} tries; nothing was written")  # fmt: skip
    return AppendResult(Outcome.FAILED, failed, tries=attempts)


def _lost_race(exc: APIError) -> bool:
    return exc.status == 422 and any(words in exc.reason.lower() for words in _LOST_RACE)


def _backoff(attempt: int, round_seconds: float) -> float:
    """How long to wait after losing race ``attempt``: at random, so that racing writers
    drift apart, in a range that grows with each lost race and with how long a round takes
    (the time another writer needs to land its line: GitHub is slower than a test's fake)."""
    unit = max(MIN_ROUND_SECONDS, round_seconds)
    return random.uniform(0, min(MAX_WAIT_SECONDS, unit * 2**attempt))


def _append_once(
    client: GitHubClient, branch: str, path: str, line: str, key: str, made: set[str]
) -> AppendResult:
    """One read-modify-write round; raises the client's APIError (a lost race among them)."""
    where = f"{path} on branch {branch}"
    head = client.branch_head(branch)
    tree, old = None, b""
    if head is not None:
        tree = client.commit_tree(head)
        entry = next((e for e in client.tree_entries(tree) if e.path == path), None)
        if entry is not None:
            if entry.type != "blob":
                raise _Refused(f"{path} is a {entry.type}, not a file")
            if entry.mode == SYMLINK:  # appending would turn the link into a file of its target
                raise _Refused(f"{path} is a symbolic link, not a file; it is left as it is")
            adding = len(line.encode("utf-8")) + 2
            too_big = historyfile.size_problem(path, entry.size or 0, adding)
            if too_big is None:  # read only a file that may still grow
                old = client.blob(entry.sha)
                too_big = historyfile.size_problem(path, len(old), adding)
            if too_big is not None:
                raise _Refused(too_big)
    scan = historyfile.scan(old)
    warning = historyfile.unreadable_warning(path, scan)
    warnings = () if warning is None else (warning,)
    if key in scan.keys:
        if head in made:  # our own commit: the answer to moving the branch was lost
            return AppendResult(Outcome.RECORDED, f"recorded {key} in {where}", head,
                                warnings=warnings)  # fmt: skip
        message = f"{key} is in {where} already: not written again"
        return AppendResult(Outcome.ALREADY_RECORDED, message, head, warnings=warnings)
    blob = client.create_blob(historyfile.appended(old, line))
    new_tree = client.create_tree(tree, path, blob)
    commit = client.create_commit(f"gatekeeper: record {key} in {path}", new_tree,
                                  [head] if head is not None else [])  # fmt: skip
    made.add(commit)
    if head is None:
        client.create_branch(branch, commit)
    else:
        client.move_branch(branch, commit)
    return AppendResult(Outcome.RECORDED, f"recorded {key} in {where}", commit,
                        warnings=warnings)  # fmt: skip


def read_history(client: GitHubClient, branch: str, folder: str) -> Iterator[tuple[str, bytes]]:
    """Every ``*.jsonl`` file under ``folder`` on ``branch`` (path, content), by path, each
    fetched when it is asked for (a year of files is never held at once); none when the
    branch does not exist. Raises the client's APIError for any other failure, and for a
    file larger than the writer writes (``MAX_FILE_BYTES``), before it is fetched."""
    head = client.branch_head(branch)
    if head is None:
        return
    prefix = folder.strip("/") + "/" if folder.strip("/") else ""
    entries = client.tree_entries(client.commit_tree(head))
    files = sorted(
        (e for e in entries
         if e.type == "blob" and e.path.startswith(prefix) and e.path.endswith(".jsonl")),
        key=lambda e: e.path,
    )  # fmt: skip
    for entry in files:
        if (entry.size or 0) > historyfile.MAX_FILE_BYTES:
            raise APIError(
                f"read {entry.path}",
                f"{entry.size:,} bytes, more than the {historyfile.MAX_FILE_BYTES:,} bytes a "
                "history file may hold: not read",
            )
        yield entry.path, client.blob(entry.sha)
