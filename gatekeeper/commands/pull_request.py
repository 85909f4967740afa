"""What `check` enforces: one phase's gate, or the pull request rules, and from what.

The rules themselves are pure (``gatekeeper.policy``); here they get their inputs. Outside a
pull request: a pushed phase tag, ``--phase``, else the matrix's ``current`` or last phase.
On a pull request (``--pull-request``, or a GitHub event about one): the phase worked on comes
from ``--current``, else the matrix's ``current``, else the phase tags reachable from the
commit (through the GitHub API in the Action, with git elsewhere); the declared next-phase work
from the labels and the branch (the event's, or ``--label`` / ``--branch``); the changed files
from ``--changed-files`` or the API, only to mark the swimlanes touched.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper.changes import Changes, touched
from gatekeeper.commands import phase_option
from gatekeeper.commands.options import CheckOptions
from gatekeeper.errors import UsageError
from gatekeeper.model import Matrix
from gatekeeper.policy import Policy, declarations, gate_policy, pull_request_policy

if TYPE_CHECKING:
    from gatekeeper.github.api import GitHubClient
    from gatekeeper.phases.tags import TagGate

_MAX_CHANGED_BYTES = 16 * 1024 * 1024


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _working(
    options: CheckOptions, matrix: Matrix, root: Path, client: GitHubClient
) -> tuple[str | None, str]:
    """The phase being worked on (None: all achieved), and where that comes from."""
    if options.current is not None:
        return phase_option(matrix, "--current", options.current), f"--current {options.current}"
    if matrix.current is not None:
        return matrix.current, f"current: {matrix.current} in {matrix.path}"
    from gatekeeper.commands.project import read_standing
    from gatekeeper.github.tags import tag_store

    store = tag_store(root, client)
    commit = store.commit("HEAD")
    here = read_standing(store, matrix, commit)
    return here.next, f"the phase tags reachable from {commit[:12]}"


def _changed_files(path: str) -> list[str]:
    try:
        if path == "-":
            text = sys.stdin.read(_MAX_CHANGED_BYTES + 1)
        else:
            with Path(path).open(encoding="utf-8") as handle:
                text = handle.read(_MAX_CHANGED_BYTES + 1)
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise UsageError(f"--changed-files {path}: cannot read: {reason}") from exc
    if len(text) > _MAX_CHANGED_BYTES:
        raise UsageError(f"--changed-files {path}: over {_MAX_CHANGED_BYTES // 2**20} MiB")
    return text.splitlines()


def choose_policy(
    options: CheckOptions,
    matrix: Matrix,
    root: Path,
    tagged: TagGate | None,
    environ: Mapping[str, str],
    client: GitHubClient,
) -> tuple[Policy, Changes | None]:
    """The rules of this run, and the pull request's changed files when known; ``client``
    is the run's GitHub client (pull request facts, phase tags through the API)."""
    if tagged is not None:
        return gate_policy(matrix, tagged.phase, f"tag {tagged.tag} ({tagged.source})"), None
    if options.phase is not None:
        return gate_policy(matrix, options.phase, f"--phase {options.phase}"), None
    in_event = False
    if environ.get("GITHUB_EVENT_NAME"):  # no event, no pull request: skip the import
        from gatekeeper.github.pulls import pull_request_event

        in_event = pull_request_event(environ)
    if not (options.pull_request or in_event):
        only_for_pull_requests = {
            "label": options.label, "branch": options.branch, "current": options.current,
            "changed_files": options.changed_files,
        }  # fmt: skip
        given = [_flag(n) for n, v in only_for_pull_requests.items() if v not in (None, ())]
        if given:
            raise UsageError(f"{', '.join(given)}: only with --pull-request")
        return gate_policy(matrix), None
    labels, branch, changed = list(options.label), options.branch, None
    if in_event:
        from gatekeeper.github.pulls import pull_request_facts

        # the files only mark rows: a dry run does without them (and without an API call)
        want_files = any(s.paths for s in matrix.swimlanes) and not options.dry_run
        facts = pull_request_facts(environ, want_files=want_files, client=client)
        for warning in facts.warnings:
            print(f"gatekeeper: warning: {warning}", file=sys.stderr)
        labels += facts.labels
        branch = branch or facts.branch
        if branch is None and matrix.pull_requests.branch is not None:
            raise UsageError(
                f"{matrix.path} declares next-phase work by branch "
                f"({matrix.pull_requests.branch!r}) but the {facts.source} names no branch: "
                "the work it declares cannot be judged"
            )
        changed = facts.changed_files
    if options.changed_files is not None:
        changed = tuple(_changed_files(options.changed_files))
    declared = declarations(matrix, labels, branch)
    working, source = _working(options, matrix, root, client)
    policy = pull_request_policy(matrix, working, source, declared)
    return policy, None if changed is None else touched(matrix, changed)


def local_command(options: CheckOptions, policy: Policy, moment: str | None = None) -> str:
    """The command that gives a pull request's verdict on a laptop, on the same evidence and
    with the same phase tags: what the pull request declared, as flags; with ``moment`` (the
    run's clock, where a max_age applies), ``--as-of`` it."""
    import shlex

    argv = ["gatekeeper", "check", "--pull-request"]
    if options.matrix:
        argv += ["--matrix", options.matrix]
    for declared in policy.declarations:
        kind, _, name = declared.source.partition(" ")  # 'label phase:steel'
        argv += [f"--{kind}", name]
    if options.current is not None:
        argv += ["--current", options.current]
    if moment is not None:
        argv += ["--as-of", moment]
    return shlex.join(argv)
