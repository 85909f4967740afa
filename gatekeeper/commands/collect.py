"""`gatekeeper collect`: reduce this job's artifacts to an evidence bundle for the gate job.

It judges nothing: it exits 0 once the bundle is written, whatever the evidence says (an
unreadable file is recorded in the bundle and judged by ``check``), and 2 when it cannot
know which commit or shard the evidence is for.
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Mapping
from pathlib import Path

from gatekeeper.bundles import SHARD_NAME, Bundle, RunIdentity
from gatekeeper.bundles.accept import commit_id
from gatekeeper.bundles.build import collect_bundle
from gatekeeper.bundles.codec import write_bundle
from gatekeeper.collect import shown
from gatekeeper.commands import locate_matrix, project_root
from gatekeeper.commands.options import CollectOptions
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.github.context import GitHubContext
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import Matrix
from gatekeeper.words import count

DEFAULT_BUNDLE = "gatekeeper-bundle.json"
DEFAULT_SHARD = "local"
_GIT_TIMEOUT_SECONDS = 60


def _git_head(root: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
            capture_output=True, text=True, timeout=_GIT_TIMEOUT_SECONDS, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"no --sha, no GITHUB_SHA, and git cannot tell HEAD: {exc}") from exc
    if done.returncode != 0:
        raise UsageError(
            f"no --sha, no GITHUB_SHA, and {root} is not in a git repository with a commit: "
            "give the commit the evidence is for with --sha"
        )
    return commit_id(done.stdout, "git rev-parse HEAD")


def evidence_commit(given: str | None, environ: Mapping[str, str], root: Path) -> str:
    """--sha; else the commit ``check`` reports on in this GitHub context; else git's HEAD."""
    if given:
        return commit_id(given)
    context = GitHubContext.from_env(environ)
    if context.sha:
        return commit_id(context.sha, "the GitHub event's commit")
    if environ.get("GITHUB_ACTIONS") == "true":  # git's HEAD would be a merge commit
        why = "; ".join(context.problems) or "no GITHUB_SHA"
        raise UsageError(f"cannot tell the commit this job tested ({why}): give --sha")
    return _git_head(root)


def shard_name(given: str | None, environ: Mapping[str, str]) -> str:
    """--shard; else the job's id (GITHUB_JOB), which every job of one matrix shares."""
    name = given if given is not None else environ.get("GITHUB_JOB") or DEFAULT_SHARD
    if not SHARD_NAME.fullmatch(name):
        raise UsageError(
            f"--shard {name!r}: use 1 to 128 letters, digits, '.', '_', '+' or '-', "
            "starting with a letter or digit"
        )
    return name


def _summary(bundle: Bundle, out: Path, root: Path) -> str:
    shard = bundle.shards[0]
    lines = [f"{out}: shard {shard.name}, commit {bundle.sha}"]
    width = max((len(key) for key in shard.artifacts), default=0)
    for key, record in shard.artifacts.items():
        tests = sum(f.parsed.test_count for f in record.files)
        metrics = sum(len(f.parsed.metrics) for f in record.files)
        if record.unreadable:
            first = record.unreadable[0]
            state = f"error    {len(record.unreadable)} unreadable, first {first.text}"
        elif record.files:
            files = count(len(record.files), "file")
            state = f"read     {files}, {count(tests, 'test')}, {count(metrics, 'metric')}"
            if any(f.parsed.analyses for f in record.files):  # analysis formats only
                findings = sum(len(f.parsed.findings) for f in record.files)
                state += f", {count(findings, 'finding')}"
        else:
            where = shown(root)
            state = f"missing  no file matches {', '.join(record.patterns)} in {where}"
        lines.append(f"  {key.ljust(width)}  {state}")
    if shard.signoffs is not None:
        states = ", ".join(f"{path} {f.state.value}" for path, f in shard.signoffs.items())
        lines.append(f"  sign-offs: {states}")
    return "\n".join(lines) + "\n"


def _with_signoffs(bundle: Bundle, matrix: Matrix, environ: Mapping[str, str]) -> Bundle:
    """The bundle with what the GitHub API says of the sign-offs at its commit, so a check
    of the bundle anywhere judges them as CI did; unchanged without a token (the check of
    such a bundle says the sign-offs are unverified, and why)."""
    from gatekeeper.github.api import open_client
    from gatekeeper.github.signoffs import members_client, signoff_evidence

    client = open_client(environ)
    if not client.usable:
        return bundle
    found = signoff_evidence(matrix, client, members_client(client, environ), bundle.sha)
    shards = tuple(dataclasses.replace(s, signoffs=found.records) for s in bundle.shards)
    return dataclasses.replace(bundle, shards=shards)


def run_collect(options: CollectOptions, environ: Mapping[str, str]) -> int:
    name = shard_name(options.shard, environ)
    path = locate_matrix(options.matrix)
    matrix = read_matrix(path, str(path))
    root = project_root(path, options.root)
    sha = evidence_commit(options.sha, environ, root)
    run = RunIdentity.from_env(environ)
    bundle = collect_bundle(matrix, root.resolve(), sha, name, run)
    if matrix.signoffs:
        bundle = _with_signoffs(bundle, matrix, environ)
    out = Path(options.out)
    write_bundle(bundle, out)
    print(_summary(bundle, out, root), end="")
    if matrix.signoffs and bundle.shards[0].signoffs is None:
        print("  sign-offs: not read (no GITHUB_TOKEN or GITHUB_REPOSITORY): a check of this "
              "bundle finds them unverified")  # fmt: skip
    return int(ExitCode.PASSED)
